"""Pub/sub through redis-py 8's PubSub object, in RESP2 and RESP3 (the `protocol` fixture):
in RESP3 every confirmation and message is a push frame (`>`), in RESP2 an array; redis-py
turns both into the same dicts. Covers Celery's result wait (SUBSCRIBE, then a PUBLISH
inside MULTI/EXEC from another client), kombu-style pattern subscriptions, confirmations
with nothing subscribed, PING while subscribed, shard channels, ordering, and PUBSUB
introspection.
"""

import time

import pytest

from conftest import admin_client, make_client


def next_message(p, timeout=5.0):
    """The next non-None message from `p`, failing after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        msg = p.get_message(timeout=0.2)
        if msg is not None:
            return msg
    pytest.fail("no pub/sub message arrived")


@pytest.fixture
def pubsub(r):
    p = r.pubsub()
    yield p
    p.close()


def test_celery_result_wait_with_publish_inside_multi(servers, protocol, pubsub):
    channel = "celery-task-meta-0b1c"
    pubsub.subscribe(channel)
    assert next_message(pubsub) == {"type": "subscribe", "pattern": None, "channel": channel, "data": 1}
    worker = make_client(servers.port, protocol)
    pipe = worker.pipeline()  # MULTI ... EXEC, as Celery's redis backend does
    pipe.set(channel, '{"status": "SUCCESS"}').publish(channel, '{"status": "SUCCESS"}')
    assert pipe.execute() == [True, 1]
    assert next_message(pubsub) == {
        "type": "message",
        "pattern": None,
        "channel": channel,
        "data": '{"status": "SUCCESS"}',
    }
    worker.connection_pool.disconnect()


def test_pattern_and_channel_deliver_once_per_subscription(r, pubsub):
    pubsub.subscribe("broadcast.pidbox")
    pubsub.psubscribe("broadcast.*")
    assert next_message(pubsub)["data"] == 1
    assert next_message(pubsub) == {"type": "psubscribe", "pattern": None, "channel": "broadcast.*", "data": 2}
    assert r.publish("broadcast.pidbox", "ping") == 2
    assert next_message(pubsub) == {"type": "message", "pattern": None, "channel": "broadcast.pidbox", "data": "ping"}
    assert next_message(pubsub) == {
        "type": "pmessage",
        "pattern": "broadcast.*",
        "channel": "broadcast.pidbox",
        "data": "ping",
    }
    assert r.publish("broadcast.other", "x") == 1
    assert next_message(pubsub)["pattern"] == "broadcast.*"
    assert r.publish("unicast", "x") == 0


def test_unsubscribe_confirmations(r, pubsub):
    pubsub.subscribe("a")
    assert next_message(pubsub)["data"] == 1
    pubsub.ssubscribe("s")
    assert next_message(pubsub)["data"] == 1  # shard channels count apart
    pubsub.unsubscribe()
    assert next_message(pubsub) == {"type": "unsubscribe", "pattern": None, "channel": "a", "data": 0}
    # No pattern subscribed: one confirmation with a null name (redis-py reads it while the
    # shard subscription keeps the PubSub object subscribed).
    pubsub.punsubscribe()
    assert next_message(pubsub) == {"type": "punsubscribe", "pattern": None, "channel": None, "data": 0}


def test_ping_while_subscribed_resp2(servers):
    # RESP2 subscribed context: PING answers ["pong", "hello"], which redis-py turns into a
    # "pong" message. (In RESP3 PING gives its ordinary reply, which redis-py's PubSub does
    # not parse as a message; the Rust tests cover that shape.)
    r = make_client(servers.port, 2)
    pubsub = r.pubsub()
    pubsub.subscribe("a")
    next_message(pubsub)
    pubsub.ping("hello")
    assert next_message(pubsub) == {"type": "pong", "pattern": None, "channel": None, "data": "hello"}
    pubsub.close()


def test_messages_arrive_in_publish_order(r, pubsub):
    pubsub.subscribe("seq")
    next_message(pubsub)
    pipe = r.pipeline(transaction=False)
    for i in range(2000):
        pipe.publish("seq", str(i))
    assert pipe.execute() == [1] * 2000
    got = [next_message(pubsub)["data"] for _ in range(2000)]
    assert got == [str(i) for i in range(2000)]


def test_shard_channels(r, pubsub):
    pubsub.ssubscribe("orders")
    assert next_message(pubsub) == {"type": "ssubscribe", "pattern": None, "channel": "orders", "data": 1}
    assert r.publish("orders", "x") == 0
    assert r.spublish("orders", "new") == 1
    msg = None
    deadline = time.monotonic() + 5
    while msg is None and time.monotonic() < deadline:
        msg = pubsub.get_sharded_message(timeout=0.2)
    assert msg == {"type": "smessage", "pattern": None, "channel": "orders", "data": "new"}
    assert r.pubsub_shardnumsub("orders", "none") == [("orders", 1), ("none", 0)]
    assert r.pubsub_shardchannels() == ["orders"]


def test_pubsub_introspection(r, pubsub):
    assert r.pubsub_numsub("a", "b") == [("a", 0), ("b", 0)]
    assert r.pubsub_numpat() == 0
    assert r.pubsub_channels() == []
    pubsub.subscribe("a", "ab")
    pubsub.psubscribe("x*", "y*")
    for _ in range(4):
        next_message(pubsub)
    assert r.pubsub_numsub("a", "b") == [("a", 1), ("b", 0)]
    assert r.pubsub_numpat() == 2
    assert sorted(r.pubsub_channels()) == ["a", "ab"]
    assert r.pubsub_channels("a?") == ["ab"]


def test_slow_subscriber_is_disconnected_and_memory_stays_bounded(servers, protocol):
    """A subscriber that never reads (a stuck Celery result waiter) is disconnected by
    `client-output-buffer-limit pubsub`; the server's RSS grows by no more than 64 MiB over
    the limit while a publisher keeps sending (RESP2 and RESP3 subscribers)."""
    admin = admin_client(servers.port)
    old = admin.config_get("client-output-buffer-limit")["client-output-buffer-limit"]
    assert admin.config_set("client-output-buffer-limit", "pubsub 4mb 2mb 60")
    try:
        stuck = make_client(servers.port, protocol)
        p = stuck.pubsub()
        p.subscribe("results.stuck")
        assert next_message(p)["type"] == "subscribe"  # then never reads again
        rss_before = admin.info("memory")["used_memory_rss"]
        payload = "x" * 65536
        sent = 0
        deadline = time.monotonic() + 30
        # 64 KiB messages; the subscriber's socket buffers fill, then its output buffer
        # passes the 4 MiB hard limit and the server closes it.
        while admin.pubsub_numsub("results.stuck")[0][1] == 1:
            assert time.monotonic() < deadline, "the slow subscriber was never disconnected"
            for _ in range(32):
                admin.publish("results.stuck", payload)
            sent += 32
        grown = admin.info("memory")["used_memory_rss"] - rss_before
        assert sent * len(payload) > 4 * 1024 * 1024
        assert grown < 64 * 1024 * 1024, f"RSS grew by {grown} bytes"
        # Later messages reach nobody.
        assert admin.publish("results.stuck", "late") == 0
        p.close()
    finally:
        admin.config_set("client-output-buffer-limit", old)
