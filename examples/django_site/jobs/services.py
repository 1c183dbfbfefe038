"""Cache-aside reads of jobs (database 1) and their invalidation.

Keys (before django-redis adds KEY_PREFIX and version): `job:<id>` holds one job as a dict;
`jobs:list:v<N>` the job list, where N is `jobs:list:generation`, bumped to invalidate every
list page at once (version-bump bulk invalidation).
"""
from django.core.cache import cache

from .models import Job

JOB_TTL = 600  # seconds


def job_as_dict(job: Job) -> dict:
    return {
        "id": job.pk,
        "title": job.title,
        "employer": job.employer.name,
        "salary": job.salary,
        "description": job.description,
    }


def get_job(job_id: int) -> dict | None:
    """Cache-aside: the cached dict, else the database row, cached for JOB_TTL seconds."""
    key = f"job:{job_id}"
    data = cache.get(key)
    if data is None:
        job = Job.objects.select_related("employer").filter(pk=job_id).first()
        if job is None:
            return None
        data = job_as_dict(job)
        cache.set(key, data, timeout=JOB_TTL)
    return data


def list_generation() -> int:
    return cache.get_or_set("jobs:list:generation", 1, timeout=None)


def list_jobs() -> list[dict]:
    """All jobs, newest first, through `get_or_set` under the current list generation."""
    key = f"jobs:list:v{list_generation()}"
    return cache.get_or_set(
        key,
        lambda: [job_as_dict(j) for j in Job.objects.select_related("employer")],
        timeout=JOB_TTL,
    )


def invalidate_job(job_id: int) -> None:
    cache.delete(f"job:{job_id}")
    invalidate_all_jobs()


def invalidate_all_jobs() -> None:
    """Bump the list generation: every cached list page becomes a miss at once."""
    try:
        cache.incr("jobs:list:generation")
    except ValueError:  # not cached yet
        cache.set("jobs:list:generation", 2, timeout=None)
