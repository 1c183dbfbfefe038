"""The Channels layer on database 4, with both layers the example configures:
`channels_redis.core.RedisChannelLayer` (settings default) and `RedisPubSubChannelLayer`
(CHANNEL_LAYER=pubsub).

1. The layer API directly (send/receive, groups, capacity, expiry), asserting what the core
   layer leaves in database 4: messages in the sorted set `<prefix><channel>` (score: send
   time, EXPIRE `expiry`), groups in the sorted set `<prefix>:group:<group>` (EXPIRE
   group_expiry, 86400 s). The pubsub layer keeps nothing in the keyspace: its channels and
   groups are Pub/Sub channels (PUBSUB NUMSUB shows the subscribers).
2. Real processes: Daphne serving jobboard.asgi and a Celery worker (tests/ecosystem/
   procs_channels.py), a WebSocket client logged in over HTTP (the session in database 2)
   receiving what the worker's `notify_user` task sent through `group_send`.
"""
import asyncio
import http.cookiejar
import json
import time

import pytest
import websocket
from channels.exceptions import ChannelFull
from channels_redis.core import RedisChannelLayer
from channels_redis.pubsub import RedisPubSubChannelLayer
from django.conf import settings
from django.contrib.auth import get_user_model

import procs_channels
from jobs.consumers import user_group
from jobs.models import Application, Employer, Job
from jobs.tasks import notify_user
from jobs.views import application_message
from procs_channels import wait_until

PREFIX = "jobboard:channels"
GROUP_EXPIRY = 86400  # seconds, channels_redis's default group_expiry


def host() -> dict:
    """The layer's host entry from the settings (database 4, socket_timeout None)."""
    return dict(settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0])


def core_layer(**overrides) -> RedisChannelLayer:
    """A core layer configured as in the settings (capacity 1500, expiry 10 s), `overrides`
    applied (e.g. a small capacity)."""
    config = {"hosts": [host()], "prefix": PREFIX, "capacity": 1500, "expiry": 10}
    config.update(overrides)
    return RedisChannelLayer(**config)


def pubsub_layer() -> RedisPubSubChannelLayer:
    """A pubsub layer on the settings' host and prefix (what CHANNEL_LAYER=pubsub configures)."""
    return RedisPubSubChannelLayer(hosts=[host()], prefix=PREFIX)


def run(coro):
    """Runs a coroutine on a fresh event loop (channels_redis binds its pools to the loop and
    closes them when the loop closes)."""
    return asyncio.run(coro)


# ─── settings ───────────────────────────────────────────────────────────────────────────────


def test_settings_configure_the_core_layer_on_database_4():
    assert settings.CHANNEL_LAYERS == {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": f"redis://127.0.0.1:{settings.REDIS_PORT}/4",
                        "socket_timeout": None,
                    }
                ],
                "prefix": PREFIX,
                "capacity": 1500,
                "expiry": 10,
            },
        }
    }


# ─── core layer, API ────────────────────────────────────────────────────────────────────────


def test_core_send_receive_keeps_the_message_in_a_sorted_set_until_read(raw_redis):
    db4 = raw_redis(4)

    async def scenario():
        layer = core_layer()
        await layer.send("jobs-inbox", {"type": "job.new", "id": 7})
        key = PREFIX + "jobs-inbox"
        assert db4.type(key) == "zset"
        assert db4.zcard(key) == 1
        assert 0 < db4.ttl(key) <= 10
        now = time.time()
        assert db4.zcount(key, now - 60, now + 60) == 1  # scored by its send time, in seconds
        assert await layer.receive("jobs-inbox") == {"type": "job.new", "id": 7}
        await layer.wait_received()  # the backup `<key>$inflight` is cleaned asynchronously
        assert db4.keys("*") == []

        # A process-specific channel: all of a process's channels share one sorted set,
        # named after the process part (`specific.<uuid>!`), the full name inside the message.
        channel = await layer.new_channel()
        assert channel.startswith(f"specific.{layer.client_prefix}!")
        await layer.send(channel, {"type": "hello"})
        assert db4.keys("*") == [f"{PREFIX}specific.{layer.client_prefix}!"]
        assert await layer.receive(channel) == {"type": "hello"}
        await layer.wait_received()
        assert db4.keys("*") == []

    run(scenario())


def test_core_messages_are_received_in_order(raw_redis):
    async def scenario():
        layer = core_layer()
        for n in range(5):
            await layer.send("ordered", {"type": "n", "n": n})
        assert raw_redis(4).zcard(PREFIX + "ordered") == 5
        got = [(await layer.receive("ordered"))["n"] for _ in range(5)]
        assert got == [0, 1, 2, 3, 4]
        await layer.wait_received()

    run(scenario())


def test_core_groups_add_send_discard(raw_redis):
    db4 = raw_redis(4)
    group_key = f"{PREFIX}:group:jobs-alerts"

    async def scenario():
        # Two layers stand for two Daphne processes: their channels live under different keys.
        one, two = core_layer(), core_layer()
        ch1, ch2 = await one.new_channel(), await two.new_channel()
        key1, key2 = f"{PREFIX}specific.{one.client_prefix}!", f"{PREFIX}specific.{two.client_prefix}!"

        await one.group_add("jobs-alerts", ch1)
        await two.group_add("jobs-alerts", ch2)
        assert sorted(db4.zrange(group_key, 0, -1)) == sorted([ch1, ch2])
        assert GROUP_EXPIRY - 10 < db4.ttl(group_key) <= GROUP_EXPIRY

        await one.group_send("jobs-alerts", {"type": "notify", "message": "first"})
        assert db4.zcard(key1) == 1 and db4.zcard(key2) == 1
        assert await one.receive(ch1) == {"type": "notify", "message": "first"}
        assert await two.receive(ch2) == {"type": "notify", "message": "first"}
        await one.wait_received()
        await two.wait_received()

        await two.group_discard("jobs-alerts", ch2)
        assert db4.zrange(group_key, 0, -1) == [ch1]
        await two.group_discard("jobs-alerts", ch2)  # discarding twice is no error
        await one.group_send("jobs-alerts", {"type": "notify", "message": "second"})
        assert db4.zcard(key1) == 1
        assert db4.exists(key2) == 0  # nothing was queued for the channel that left
        assert await one.receive(ch1) == {"type": "notify", "message": "second"}
        await one.wait_received()

        await one.group_discard("jobs-alerts", ch1)
        assert db4.exists(group_key) == 0  # ZREM of the last member deletes the key

    run(scenario())


def test_core_capacity_overflow_raises_channel_full(raw_redis):
    db4 = raw_redis(4)

    async def scenario():
        layer = core_layer(capacity=3)
        for n in range(3):
            await layer.send("small", {"type": "n", "n": n})
        with pytest.raises(ChannelFull):
            await layer.send("small", {"type": "n", "n": 3})
        assert db4.zcard(PREFIX + "small") == 3

        # group_send does not raise: the Lua script skips full channels (ZCOUNT >= capacity).
        channel = await layer.new_channel()
        key = f"{PREFIX}specific.{layer.client_prefix}!"
        await layer.group_add("crowd", channel)
        for n in range(5):
            await layer.group_send("crowd", {"type": "n", "n": n})
        assert db4.zcard(key) == 3
        got = [(await layer.receive(channel))["n"] for _ in range(3)]
        assert got == [0, 1, 2]
        assert [(await layer.receive("small"))["n"] for _ in range(3)] == [0, 1, 2]
        await layer.wait_received()

    run(scenario())


def test_core_unread_messages_expire(raw_redis):
    db4 = raw_redis(4)
    key = PREFIX + "stale"

    async def scenario():
        layer = core_layer(expiry=1)
        await layer.send("stale", {"type": "n", "n": 1})
        assert 0 < db4.pttl(key) <= 1000
        # The server deletes the unread message when the key's TTL (expiry, 1 s) runs out.
        wait_until(lambda: db4.exists(key) == 0, 10, "the unread message to expire")
        await layer.send("stale", {"type": "n", "n": 2})
        assert db4.zcard(key) == 1
        assert await layer.receive("stale") == {"type": "n", "n": 2}
        await layer.wait_received()

    run(scenario())


def test_core_idle_receive_outlives_the_5_second_bzpopmin():
    """Why the settings give the layer's host `socket_timeout: None`: receive() waits with
    BZPOPMIN <key> 5 in a loop, and redis-py 8 gives connections a 5-second socket timeout by
    default, so an idle consumer's read times out just as the server answers the BZPOPMIN
    (TimeoutError after 5.0 s, with Redis as with Ferrodis; redis-py 7 has no default). With
    the settings' host, a receive that waits 5.5 s gets the message."""
    assert RedisChannelLayer.brpop_timeout == 5  # seconds

    async def scenario():
        layer = core_layer()
        sender = core_layer()

        async def send_later():
            await asyncio.sleep(5.5)  # the idle time under test, not a synchronisation
            await sender.send("idle", {"type": "late"})

        late = asyncio.ensure_future(send_later())
        assert await asyncio.wait_for(layer.receive("idle"), 30) == {"type": "late"}
        await late
        await layer.wait_received()

    run(scenario())


def test_core_flush_deletes_every_key_of_the_prefix(raw_redis):
    db4 = raw_redis(4)
    db4.set("unrelated", "stays")

    async def scenario():
        layer = core_layer()
        channel = await layer.new_channel()
        await layer.group_add("g", channel)
        await layer.send("inbox", {"type": "x"})
        assert len(db4.keys(PREFIX + "*")) == 2
        await layer.flush()

    run(scenario())
    assert db4.keys("*") == ["unrelated"]


# ─── pubsub layer, API ──────────────────────────────────────────────────────────────────────


def numsub(db4, channel: str) -> int:
    """PUBSUB NUMSUB of one Pub/Sub channel: how many connections subscribe to it."""
    return dict(db4.pubsub_numsub(channel))[channel]


def test_pubsub_send_receive_uses_no_keys(raw_redis):
    db4 = raw_redis(4)

    async def scenario():
        layer = pubsub_layer()
        channel = await layer.new_channel()
        assert channel.startswith(PREFIX + "specific.")
        wait_until(lambda: numsub(db4, channel) == 1, 10, "the layer's SUBSCRIBE")
        await layer.send(channel, {"type": "hello", "n": 1})
        assert await asyncio.wait_for(layer.receive(channel), 10) == {"type": "hello", "n": 1}
        assert db4.dbsize() == 0
        await layer.flush()
        wait_until(lambda: numsub(db4, channel) == 0, 10, "the subscription to end")

    run(scenario())


def test_pubsub_groups_add_send_discard(raw_redis):
    db4 = raw_redis(4)
    group_channel = f"{PREFIX}__group__jobs-alerts"

    async def scenario():
        one, two, sender = pubsub_layer(), pubsub_layer(), pubsub_layer()
        ch1, ch2 = await one.new_channel(), await two.new_channel()
        await one.group_add("jobs-alerts", ch1)
        await two.group_add("jobs-alerts", ch2)
        # One subscription per process (layer) and group.
        wait_until(lambda: numsub(db4, group_channel) == 2, 10, "two group subscribers")

        await sender.group_send("jobs-alerts", {"type": "notify", "message": "first"})
        assert await asyncio.wait_for(one.receive(ch1), 10) == {"type": "notify", "message": "first"}
        assert await asyncio.wait_for(two.receive(ch2), 10) == {"type": "notify", "message": "first"}

        await two.group_discard("jobs-alerts", ch2)
        wait_until(lambda: numsub(db4, group_channel) == 1, 10, "the UNSUBSCRIBE of the group")
        await sender.group_send("jobs-alerts", {"type": "notify", "message": "second"})
        assert await asyncio.wait_for(one.receive(ch1), 10) == {"type": "notify", "message": "second"}
        assert db4.dbsize() == 0
        for layer in (one, two, sender):
            await layer.flush()

    run(scenario())


def test_pubsub_has_no_capacity_limit(raw_redis):
    """Unlike the core layer (capacity 1500, ChannelFull), the pubsub layer queues in the
    receiving process only: 2000 messages to one channel all arrive, in order."""
    db4 = raw_redis(4)

    async def scenario():
        layer = pubsub_layer()
        channel = await layer.new_channel()
        wait_until(lambda: numsub(db4, channel) == 1, 10, "the layer's SUBSCRIBE")
        for n in range(2000):
            await layer.send(channel, {"type": "n", "n": n})
        got = [(await asyncio.wait_for(layer.receive(channel), 10))["n"] for _ in range(2000)]
        assert got == list(range(2000))
        await layer.flush()

    run(scenario())


# ─── Daphne + Celery worker + WebSocket client ─────────────────────────────────────────────


@pytest.fixture(scope="module", params=["core", "pubsub"])
def stack(request, redis_server, django_db_setup):
    """Daphne and a Celery worker on the same Channels layer (core, then pubsub)."""
    with procs_channels.channels_stack(request.param) as s:
        yield s


def make_user(name: str):
    """A user `name` with the password `<name>-password` (SQLite, visible to Daphne)."""
    return get_user_model().objects.create_user(name, password=f"{name}-password")


def assert_in_group(raw_redis, stack, user_id: int, sockets: int) -> None:
    """Database 4 shows `sockets` member channels in the user's group (core: the group's
    sorted set; pubsub: one Daphne process subscribed to the group's Pub/Sub channel)."""
    db4 = raw_redis(4)
    if stack.layer == "core":
        members = db4.zrange(f"{PREFIX}:group:{user_group(user_id)}", 0, -1)
        assert len(members) == sockets and all(m.startswith("specific.") for m in members), members
    else:
        channel = f"{PREFIX}__group__{user_group(user_id)}"
        wait_until(lambda: numsub(db4, channel) == (1 if sockets else 0), 10, f"NUMSUB {channel}")
        assert db4.dbsize() == 0


def receive_json(ws) -> dict:
    """The next WebSocket text frame, decoded (raises WebSocketTimeoutException after the
    socket's timeout)."""
    return json.loads(ws.recv())


@pytest.mark.django_db(transaction=True)
def test_anonymous_socket_is_refused(stack):
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        procs_channels.ws_connect(stack.ws_url)
    # The consumer closes (code CLOSE_UNAUTHENTICATED) before accepting, which Daphne turns
    # into an HTTP 403 answer to the handshake.
    assert refused.value.status_code == 403


@pytest.mark.django_db(transaction=True)
def test_socket_of_a_logged_out_session_is_refused(stack, raw_redis):
    """Logging out deletes the session from database 2 (`flush`); a socket that still presents
    the old session cookie is anonymous to Daphne and refused."""
    make_user("carol")
    jar = procs_channels.login(stack.base_url, "carol", "carol-password")
    old_session = procs_channels.cookies(jar)["sessionid"]
    session_key = f"jobboard:1:django.contrib.sessions.cache{old_session}"
    assert raw_redis(2).exists(session_key) == 1
    procs_channels.ws_connect(stack.ws_url, jar).close()  # accepted while logged in

    status, _, _ = procs_channels.post_form(stack.base_url, jar, "/logout/", {})
    assert status == 200  # the logged-out page
    assert raw_redis(2).exists(session_key) == 0
    stale = http.cookiejar.CookieJar()
    stale.set_cookie(http.cookiejar.Cookie(
        0, "sessionid", old_session, None, False, "127.0.0.1", False, False, "/", True,
        False, None, False, None, None, {},
    ))
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        procs_channels.ws_connect(stack.ws_url, stale)
    assert refused.value.status_code == 403


@pytest.mark.django_db(transaction=True)
def test_worker_task_reaches_the_users_socket(stack, raw_redis):
    alice = make_user("alice")
    jar = procs_channels.login(stack.base_url, "alice", "alice-password")
    # The session Daphne created is in database 2 (django-redis key `jobboard:1:<cache key>`).
    session_key = procs_channels.cookies(jar)["sessionid"]
    assert raw_redis(2).exists(f"jobboard:1:django.contrib.sessions.cache{session_key}") == 1

    ws = procs_channels.ws_connect(stack.ws_url, jar)
    try:
        assert_in_group(raw_redis, stack, alice.pk, 1)
        result = notify_user.apply_async((alice.pk, "Your interview is at 10:00"), queue=stack.queue)
        assert result.get(timeout=30) == "Your interview is at 10:00"
        assert receive_json(ws) == {"message": "Your interview is at 10:00"}
    finally:
        ws.close()
    if stack.layer == "core":
        # The consumer left the group (ZREM of the only member deletes the key) and its
        # message was read: nothing of the layer is left in database 4.
        wait_until(lambda: raw_redis(4).keys("*") == [], 10, "database 4 to be empty")
    else:
        assert_in_group(raw_redis, stack, alice.pk, 0)


@pytest.mark.django_db(transaction=True)
def test_notifications_reach_every_socket_of_the_user_and_no_one_else(stack, raw_redis):
    alice, bob = make_user("alice"), make_user("bob")
    alice_jar = procs_channels.login(stack.base_url, "alice", "alice-password")
    bob_jar = procs_channels.login(stack.base_url, "bob", "bob-password")
    sockets = [procs_channels.ws_connect(stack.ws_url, alice_jar) for _ in range(2)]
    bob_ws = procs_channels.ws_connect(stack.ws_url, bob_jar)
    try:
        assert_in_group(raw_redis, stack, alice.pk, 2)
        assert_in_group(raw_redis, stack, bob.pk, 1)
        notify_user.apply_async((alice.pk, "for alice"), queue=stack.queue).get(timeout=30)
        notify_user.apply_async((bob.pk, "for bob"), queue=stack.queue).get(timeout=30)
        assert [receive_json(ws) for ws in sockets] == [{"message": "for alice"}] * 2
        # Bob's socket gets messages in order: had alice's reached it, it would come first.
        assert receive_json(bob_ws) == {"message": "for bob"}
    finally:
        for ws in (*sockets, bob_ws):
            ws.close()


@pytest.mark.django_db(transaction=True)
def test_applying_over_http_notifies_the_open_socket(stack, raw_redis):
    """The apply flow without a browser: POST /jobs/<id>/apply/ (the JSON reply the page's
    fetch() gets) while a socket is open; the worker's notification arrives on it."""
    alice = make_user("alice")
    job = Job.objects.create(employer=Employer.objects.create(name="Acme"), title="Rust developer")
    jar = procs_channels.login(stack.base_url, "alice", "alice-password")
    ws = procs_channels.ws_connect(stack.ws_url, jar)
    try:
        assert_in_group(raw_redis, stack, alice.pk, 1)
        status, _, body = procs_channels.post_form(
            stack.base_url, jar, f"/jobs/{job.pk}/apply/", {"cover_letter": "Hello"},
            headers={"Accept": "application/json"},
        )
        assert status == 200, body
        assert json.loads(body) == {
            "created": True, "job": "Rust developer", "notification": application_message("Rust developer"),
        }
        assert receive_json(ws) == {"message": "Application received: Rust developer"}
        assert Application.objects.filter(job=job, user=alice, cover_letter="Hello").count() == 1
        # The apply view's rate-limit counter: database 3, one hit, a 60-second window.
        db3 = raw_redis(3)
        assert db3.get("ratelimit:apply:127.0.0.1") == "1"
        assert 0 < db3.ttl("ratelimit:apply:127.0.0.1") <= 60

        # Applying again stores nothing and sends no notification; the plain form post
        # (no JavaScript) is redirected to /notifications/.
        status, headers, _ = procs_channels.post_form(
            stack.base_url, jar, f"/jobs/{job.pk}/apply/", {"cover_letter": "Again"}
        )
        assert status == 200  # urllib followed the redirect
        assert Application.objects.filter(job=job).count() == 1
        assert db3.get("ratelimit:apply:127.0.0.1") == "2"
        notify_user.apply_async((alice.pk, "marker"), queue=stack.queue).get(timeout=30)
        assert receive_json(ws) == {"message": "marker"}  # not a second application notice
    finally:
        ws.close()
