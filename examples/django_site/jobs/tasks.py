"""Celery tasks (broker and results on database 0)."""
from asgiref.sync import async_to_sync
from celery import shared_task
from channels.layers import get_channel_layer

from .consumers import user_group


@shared_task
def notify_user(user_id: int, message: str) -> str:
    """Pushes `message` to every open notification socket of the user (Channels group_send)."""
    async_to_sync(get_channel_layer().group_send)(
        user_group(user_id), {"type": "notify", "message": message}
    )
    return message
