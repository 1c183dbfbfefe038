"""WebSocket notifications (Channels layer on database 4).

Each logged-in user's socket joins the Channels group `user-<id>`; an event sent to that group
with `type: "notify"` (jobs.tasks.notify_user, from a Celery worker) is forwarded to the browser
as the JSON text `{"message": ...}`. Anonymous sockets are refused with close code 4401.

What this puts in database 4 depends on the layer (settings.CHANNEL_LAYERS, prefix
`jobboard:channels`):
- `RedisChannelLayer` (core): the group is the sorted set `jobboard:channels:group:user-<id>`
  (members: channel names, scores: join time in seconds; EXPIRE group_expiry, 86400 seconds),
  and each Daphne process's messages wait in the sorted set
  `jobboard:channelsspecific.<uuid of the process's layer>!` (EXPIRE `expiry`, 10 seconds), read with BZPOPMIN.
- `RedisPubSubChannelLayer`: no keys; the group is the Pub/Sub channel
  `jobboard:channels__group__user-<id>` that the Daphne process SUBSCRIBEs to while a member
  socket is open, and a group_send is a PUBLISH.
"""
from channels.generic.websocket import AsyncJsonWebsocketConsumer

# WebSocket close code for "not logged in" (4000-4999 are free for applications).
CLOSE_UNAUTHENTICATED = 4401


def user_group(user_id: int) -> str:
    """The Channels group of one user's notification sockets."""
    return f"user-{user_id}"


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    """One browser tab's notification socket at /ws/notifications/."""

    async def connect(self):
        """Refuses anonymous users; otherwise joins the user's group, then accepts. The order
        matters: once the client sees the socket open, a group_send reaches it."""
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        """Leaves the group (core layer: ZREM from the group's sorted set; pubsub layer:
        UNSUBSCRIBE when the process's last member socket of the group closes)."""
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def notify(self, event):
        """Handler of group events with `type: "notify"`: forwards `event["message"]`."""
        await self.send_json({"message": event["message"]})
