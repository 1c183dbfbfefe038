"""WebSocket URL routes (served by Daphne through jobboard.asgi): /ws/notifications/ is the
per-user notification socket (jobs.consumers.NotificationConsumer, Channels layer on database 4)."""
from django.urls import path

from .consumers import NotificationConsumer

websocket_urlpatterns = [path("ws/notifications/", NotificationConsumer.as_asgi())]
