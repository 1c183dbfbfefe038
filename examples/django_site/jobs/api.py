"""The job board's small JSON API. Every `/api/` path is counted by the rate-limit middleware
(jobs/ratelimit.py, database 3); the views below use the other roles:

- GET  /api/jobs/                 the job list (cache, database 1: services.list_jobs)
- GET  /api/jobs/<id>/            one job (cache-aside) and its audience: a logged-in viewer joins
                                  the job's viewer set, every visitor its daily HyperLogLog
- GET  /api/search/?q=<words>     jobs whose title contains the words; remembers the query (a
                                  logged-in user's Redis list on database 1, an anonymous
                                  visitor's session on database 2); limited by our `rate_limit`
                                  decorator to SEARCH_LIMIT per SEARCH_WINDOW seconds per IP
- GET  /api/leaderboard/          employers by applications received (sorted set)
- GET  /api/employers/<id>/       the employer's profile hash (read-through, HINCRBY views)
- POST /jobs/<id>/report/         report a job listing; django-ratelimit allows REPORT_RATE per
                                  client IP (`block=True`: 403 beyond it), counting in the
                                  `ratelimit` cache alias (database 3)
"""
from django.http import Http404, JsonResponse
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.decorators import ratelimit

from . import services, structures
from .models import Employer, Job
from .ratelimit import client_ip, rate_limit

SEARCH_LIMIT = 10  # searches per window per client IP
SEARCH_WINDOW = 60  # seconds
REPORT_RATE = "3/h"  # django-ratelimit rate: 3 reports per hour per client IP
SESSION_SEARCHES = "recent_searches"  # session key of an anonymous visitor's searches


@require_GET
def job_list(request):
    """All jobs, newest first, from the cache (services.list_jobs)."""
    return JsonResponse({"jobs": services.list_jobs()})


@require_GET
def job_detail(request, job_id: int):
    """One job (cache-aside) with its viewer count and today's distinct visitors. Records the
    visit: SADD of the user id (logged-in users) and PFADD of `user:<id>` or `ip:<address>`."""
    job = services.get_job(job_id)
    if job is None:
        raise Http404("no such job")
    if request.user.is_authenticated:
        structures.add_viewer(job_id, request.user.pk)
        visitor = f"user:{request.user.pk}"
    else:
        visitor = f"ip:{client_ip(request)}"
    structures.add_unique_view(job_id, visitor)
    return JsonResponse(
        {
            "job": job,
            "viewers": structures.viewer_count(job_id),
            "unique_views_today": structures.unique_views(job_id, [structures.today()]),
        }
    )


@require_GET
@rate_limit("search", SEARCH_LIMIT, SEARCH_WINDOW)
def search(request):
    """Jobs whose title contains `q` (case-insensitive), and the visitor's recent searches,
    newest first (at most structures.RECENT_SEARCHES)."""
    query = request.GET.get("q", "").strip()
    if query:
        if request.user.is_authenticated:
            structures.add_recent_search(request.user.pk, query)
        else:
            recent = [query, *request.session.get(SESSION_SEARCHES, [])]
            request.session[SESSION_SEARCHES] = recent[: structures.RECENT_SEARCHES]
    if request.user.is_authenticated:
        recent = structures.recent_searches(request.user.pk)
    else:
        recent = request.session.get(SESSION_SEARCHES, [])
    results = [j for j in services.list_jobs() if query.lower() in j["title"].lower()] if query else []
    return JsonResponse({"query": query, "results": results, "recent": recent})


@require_GET
def leaderboard(request):
    """The top 10 employers by applications received: [{"employer", "score", "rank"}]."""
    rows = structures.top_employers(10)
    return JsonResponse(
        {"employers": [{"employer": name, "score": score, "rank": i + 1} for i, (name, score) in enumerate(rows)]}
    )


@require_GET
def employer_detail(request, employer_id: int):
    """The employer's profile hash (filled from the database when missing), counting the
    visit in its `views` field (HINCRBY)."""
    employer = Employer.objects.filter(pk=employer_id).first()
    if employer is None:
        raise Http404("no such employer")
    profile = structures.load_employer(employer)
    profile["views"] = str(structures.bump_employer_counter(employer_id, "views"))
    rank = structures.employer_rank(employer.name)
    return JsonResponse({"employer": profile, "rank": None if rank is None else rank + 1})


@require_POST
@ratelimit(key="ip", rate=REPORT_RATE, block=True)
def report_job(request, job_id: int):
    """Counts a report against the job's employer (HINCRBY `reports` on its hash)."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        raise Http404("no such job")
    reports = structures.bump_employer_counter(job.employer_id, "reports")
    return JsonResponse({"job": job_id, "employer_reports": reports})
