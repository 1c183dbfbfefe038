"""Cache invalidation: saving or deleting a job or employer drops the cached views of it."""
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import services
from .models import Employer, Job


@receiver([post_save, post_delete], sender=Job)
def job_changed(sender, instance, **kwargs):
    services.invalidate_job(instance.pk)


@receiver([post_save, post_delete], sender=Employer)
def employer_changed(sender, instance, **kwargs):
    services.invalidate_all_jobs()
