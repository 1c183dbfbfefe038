from django.contrib.auth import views as auth_views
from django.urls import path

from . import api, health, pages, views

urlpatterns = [
    path("", views.job_list, name="job-list"),
    path("jobs/<int:job_id>/", views.job_detail, name="job-detail"),
    path("jobs/<int:job_id>/apply/", views.apply, name="job-apply"),
    path("notifications/", views.notifications, name="notifications"),
    path("login/", auth_views.LoginView.as_view(template_name="jobs/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("health/redis/", health.redis_health_check, name="health-redis"),
    # Cache, rate limits and data structures (jobs/api.py, jobs/pages.py).
    path("my/applications/", pages.my_applications, name="my-applications"),
    path("jobs/<int:job_id>/report/", api.report_job, name="job-report"),
    path("api/jobs/", api.job_list, name="api-job-list"),
    path("api/jobs/<int:job_id>/", api.job_detail, name="api-job-detail"),
    path("api/search/", api.search, name="api-search"),
    path("api/leaderboard/", api.leaderboard, name="api-leaderboard"),
    path("api/employers/<int:employer_id>/", api.employer_detail, name="api-employer"),
]
