"""`python manage.py seed_demo`: demo data for the job board (SQLite), idempotent.

Creates three employers with a few jobs each, and the user `demo` with the password given by
`--password` (default `ferrodis-demo`), so a newcomer can log in and apply right away.
"""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from jobs.models import Employer, Job

DEMO = {
    "Acme Rockets": ("Houston", [("Site reliability engineer", 120000), ("Rust developer", 135000)]),
    "Blue Lagoon Analytics": ("Reykjavik", [("Data engineer", 98000), ("Django developer", 90000)]),
    "Corner Bakery Co-op": ("Lyon", [("Backend developer (Python)", 70000)]),
}


class Command(BaseCommand):
    help = "Creates demo employers, jobs and the user `demo` (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default="ferrodis-demo", help="password of the user `demo`")

    def handle(self, *args, password, **options):
        jobs = 0
        for name, (city, openings) in DEMO.items():
            employer, _ = Employer.objects.get_or_create(name=name, defaults={"city": city})
            for title, salary in openings:
                _, created = Job.objects.get_or_create(
                    employer=employer,
                    title=title,
                    defaults={"salary": salary, "description": f"{title} at {name}, {city}."},
                )
                jobs += created
        User = get_user_model()
        user, created = User.objects.get_or_create(username="demo")
        if created or not user.check_password(password):
            user.set_password(password)
            user.save()
        self.stdout.write(
            f"demo data ready: {Employer.objects.count()} employers, {Job.objects.count()} jobs "
            f"({jobs} new); log in as demo / {password}"
        )
