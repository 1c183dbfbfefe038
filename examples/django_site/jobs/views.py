"""Pages of the job board. Each view says which Redis role it uses."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_POST

from . import services
from .models import Application, Job
from .tasks import notify_user


@cache_page(60 * 15)  # whole-response cache (database 1), 15 minutes
def job_list(request):
    return render(request, "jobs/job_list.html", {"jobs": services.list_jobs()})


def job_detail(request, job_id: int):
    job = services.get_job(job_id)  # cache-aside
    if job is None:
        raise Http404("no such job")
    return render(request, "jobs/job_detail.html", {"job": job})


@login_required
@require_POST
def apply(request, job_id: int):
    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        raise Http404("no such job")
    _, created = Application.objects.get_or_create(
        job=job, user=request.user, defaults={"cover_letter": request.POST.get("cover_letter", "")}
    )
    if created:
        # Through the broker (database 0) to a worker, then the Channels layer (database 4).
        notify_user.delay(request.user.pk, f"Application received: {job.title}")
    messages.success(request, f"You applied to {job.title}.")
    return redirect("notifications")


@login_required
def notifications(request):
    return render(request, "jobs/notifications.html")
