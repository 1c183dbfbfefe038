"""Cache invalidation and counters driven by model signals (post_save / post_delete).

- a job saved or deleted: its cached dict, its employer's list, the cached list pages and the
  list generation (services.invalidate_job, database 1);
- an employer saved or deleted: every job list (version bump) and its profile hash
  (`jobboard:employer:<id>`, database 1);
- an application saved or deleted: the applicant's per-user cache keys (`user:<id>:*`); a new
  application also adds 1 to its employer's leaderboard score (ZINCRBY, database 1).
"""
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import services, structures
from .models import Application, Employer, Job


@receiver([post_save, post_delete], sender=Job)
def job_changed(sender, instance, **kwargs):
    """Drops every cached view of the job (see services.invalidate_job)."""
    services.invalidate_job(instance.pk, instance.employer_id)


@receiver([post_save, post_delete], sender=Employer)
def employer_changed(sender, instance, **kwargs):
    """Every job list shows the employer's name: bump the list generation; drop its hash."""
    services.invalidate_all_jobs()
    structures.redis().delete(structures.employer_key(instance.pk))


@receiver([post_save, post_delete], sender=Application)
def application_changed(sender, instance, created=False, **kwargs):
    """Drops the applicant's per-user pages; a new application scores for the employer."""
    services.invalidate_user(instance.user_id)
    if created:
        structures.record_application(instance.job.employer.name)
