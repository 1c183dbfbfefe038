"""Pages of the job board. Each view says which Redis role it uses."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_cookie

from . import services
from .models import Application, Job
from .ratelimit import rate_limit
from .tasks import notify_user


@cache_page(60 * 15)  # whole-response cache (database 1), 15 minutes
@vary_on_cookie  # one cached page per session: the page shows who is logged in
def job_list(request):
    return render(request, "jobs/job_list.html", {"jobs": services.list_jobs()})


def job_detail(request, job_id: int):
    job = services.get_job(job_id)  # cache-aside
    if job is None:
        raise Http404("no such job")
    return render(request, "jobs/job_detail.html", {"job": job})


APPLY_LIMIT = 10  # applications per client IP per APPLY_WINDOW
APPLY_WINDOW = 60  # seconds


def application_message(title: str) -> str:
    """The notification text a user receives once an application to the job `title` is stored."""
    return f"Application received: {title}"


@login_required
@require_POST
@rate_limit("apply", APPLY_LIMIT, APPLY_WINDOW)  # counter `ratelimit:apply:<ip>` on database 3
def apply(request, job_id: int):
    """Stores the user's application (SQLite) and, for a new one, queues `notify_user`
    (broker on database 0), whose worker pushes the notification through the Channels layer
    (database 4) to the user's open sockets.

    How the user gets to see it: a `group_send` to a group nobody has joined yet is lost, so
    the task must not run before the user's socket is in the group `user-<id>`. The job page
    therefore posts the form with fetch() and stays on the page, and it posts only after the
    notification socket of the page (base.html's widget) has opened: the consumer joins the
    group before it accepts the socket, so by the time the browser sees `open`, the group
    holds its channel (core layer: the ZADD to `<prefix>:group:user-<id>` has been answered;
    pubsub layer: the SUBSCRIBE has been sent on the layer's connection before the accept
    frame, several round trips before the worker's PUBLISH). No countdown, no timing guess.

    Replies: with `Accept: application/json` (the page's fetch), a JSON
    `{"created": bool, "job": title, "notification": text}`; otherwise (a plain form post,
    without JavaScript) a redirect to /notifications/, where the widget also runs.
    429 with Retry-After after APPLY_LIMIT posts in APPLY_WINDOW seconds from one client IP.
    """
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        raise Http404("no such job")
    _, created = Application.objects.get_or_create(
        job=job, user=request.user, defaults={"cover_letter": request.POST.get("cover_letter", "")}
    )
    text = application_message(job.title)
    if created:
        # Through the broker (database 0) to a worker, then the Channels layer (database 4).
        notify_user.delay(request.user.pk, text)
    if request.headers.get("Accept") == "application/json":
        return JsonResponse({"created": created, "job": job.title, "notification": text})
    messages.success(request, f"You applied to {job.title}.")
    return redirect("notifications")


@login_required
def notifications(request):
    return render(request, "jobs/notifications.html")
