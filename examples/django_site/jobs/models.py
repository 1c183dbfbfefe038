"""The relational data (SQLite): employers post jobs, users apply to them."""
from django.conf import settings
from django.db import models


class Employer(models.Model):
    name = models.CharField(max_length=200, unique=True)
    city = models.CharField(max_length=100, blank=True)

    def __str__(self):
        return self.name


class Job(models.Model):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="jobs")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    salary = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class Application(models.Model):
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="applications")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    cover_letter = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("job", "user")]


class Payout(models.Model):
    """Money owed to an employer's referrer; processed exactly once by a Celery task under a
    distributed lock (jobs/tasks.py)."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE)
    amount = models.PositiveIntegerField()
    processed = models.BooleanField(default=False)
    times_processed = models.PositiveIntegerField(default=0)
