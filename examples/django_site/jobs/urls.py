from django.contrib.auth import views as auth_views
from django.urls import path

from . import health, views

urlpatterns = [
    path("", views.job_list, name="job-list"),
    path("jobs/<int:job_id>/", views.job_detail, name="job-detail"),
    path("jobs/<int:job_id>/apply/", views.apply, name="job-apply"),
    path("notifications/", views.notifications, name="notifications"),
    path("login/", auth_views.LoginView.as_view(template_name="jobs/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("health/redis/", health.redis_health_check, name="health-redis"),
]
