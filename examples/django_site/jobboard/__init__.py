"""The job-board example project: every Redis role of the Redis-in-Django guide, served by one
Ferrodis (or Redis) server. Importing the package loads the Celery app, so `@shared_task`
functions bind to it (Celery's documented Django layout)."""
from .celery import app as celery_app

__all__ = ("celery_app",)
