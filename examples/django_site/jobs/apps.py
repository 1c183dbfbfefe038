from django.apps import AppConfig


class JobsConfig(AppConfig):
    """The job board: employers, jobs, applications, and every Redis role around them."""

    name = "jobs"

    def ready(self):
        from . import signals  # noqa: F401  (cache invalidation on save/delete)
