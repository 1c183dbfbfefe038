"""HTML pages that use a per-user cache key (database 1)."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import services


@login_required
def my_applications(request):
    """The logged-in user's applications, cached under `user:<id>:applications`
    (services.user_applications, USER_TTL seconds; dropped when an application changes)."""
    return render(
        request,
        "jobs/my_applications.html",
        {"applications": services.user_applications(request.user.pk)},
    )
