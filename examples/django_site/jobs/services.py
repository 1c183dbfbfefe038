"""Cache-aside reads of jobs (database 1) and their invalidation.

Keys (before django-redis adds KEY_PREFIX and version: the raw key of `job:7` in database 1
is `jobboard:1:job:7`); TTLs in seconds:
- `job:<id>`: one job as a dict (cache-aside, JOB_TTL);
- `jobs:list:v<N>`: the job list (`get_or_set`, JOB_TTL), where N is `jobs:list:generation`
  (no TTL), bumped to invalidate every list at once (version-bump bulk invalidation);
- `employer:<id>:jobs`: one employer's jobs (`get_or_set`, JOB_TTL), dropped with
  `delete_pattern("employer:<id>:*")` when one of its jobs changes;
- `user:<id>:applications`: a user's applications page (per-user key, USER_TTL), dropped with
  `delete_pattern("user:<id>:*")` when one of their applications changes;
- `views.decorators.cache.cache_page...` / `...cache_header...`: the job list page cached by
  `cache_page` (views.job_list), dropped with `delete_pattern` when any job changes.
"""
from django.core.cache import cache

from .models import Job

JOB_TTL = 600  # seconds
USER_TTL = 120  # seconds: per-user pages change often


def job_as_dict(job: Job) -> dict:
    """The cached form of a job: plain types only (no model instances)."""
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
    """The current job-list generation (`jobs:list:generation`, no TTL; 1 when unset)."""
    return cache.get_or_set("jobs:list:generation", 1, timeout=None)


def list_jobs() -> list[dict]:
    """All jobs, newest first, through `get_or_set` under the current list generation."""
    key = f"jobs:list:v{list_generation()}"
    return cache.get_or_set(
        key,
        lambda: [job_as_dict(j) for j in Job.objects.select_related("employer")],
        timeout=JOB_TTL,
    )


def invalidate_job(job_id: int, employer_id: int | None = None) -> None:
    """Drops everything cached about one job: its dict, its employer's job list
    (`delete_pattern`), the cached job list pages (`delete_pattern` over `cache_page`'s
    keys), and every `jobs:list` generation (version bump)."""
    cache.delete(f"job:{job_id}")
    if employer_id is not None:
        cache.delete_pattern(f"employer:{employer_id}:*")
    cache.delete_pattern("views.decorators.cache.cache_*")
    invalidate_all_jobs()


def employer_jobs(employer_id: int) -> list[dict]:
    """The employer's jobs through `get_or_set` under `employer:<id>:jobs` (JOB_TTL)."""
    return cache.get_or_set(
        f"employer:{employer_id}:jobs",
        lambda: [job_as_dict(j) for j in Job.objects.select_related("employer").filter(employer_id=employer_id)],
        timeout=JOB_TTL,
    )


def user_applications(user_id: int) -> list[dict]:
    """The user's applications (job id, title, employer, when), newest first, cached per user
    under `user:<id>:applications` for USER_TTL seconds."""
    from .models import Application

    def load():
        rows = Application.objects.select_related("job__employer").filter(user_id=user_id)
        return [
            {
                "job_id": a.job_id,
                "title": a.job.title,
                "employer": a.job.employer.name,
                "applied_at": a.created_at.isoformat(),
            }
            for a in rows.order_by("-created_at", "-id")
        ]

    return cache.get_or_set(f"user:{user_id}:applications", load, timeout=USER_TTL)


def invalidate_user(user_id: int) -> int:
    """Drops every per-user cache key of the user (`delete_pattern("user:<id>:*")`);
    returns how many keys were deleted."""
    return cache.delete_pattern(f"user:{user_id}:*")


def invalidate_all_jobs() -> None:
    """Bump the list generation: every cached list page becomes a miss at once."""
    try:
        cache.incr("jobs:list:generation")
    except ValueError:  # not cached yet
        cache.set("jobs:list:generation", 2, timeout=None)
