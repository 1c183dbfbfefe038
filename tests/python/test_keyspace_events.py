"""Keyspace notifications (`notify-keyspace-events`), received through redis-py's PubSub in
RESP2 and RESP3: the event names and order every command family produces, the keyspace
(`__keyspace@<db>__:<key>`) and keyevent (`__keyevent@<db>__:<event>`) channels, class
masks, `expired` events from lazy and active expiry, and `new` events.

Each test subscribes, runs commands on another connection, then PUBLISHes a sentinel on a
channel of its own and collects every notification that arrived before the sentinel, so the
comparison is exact (nothing missing, nothing extra) without sleeping. The expected lists are
what Redis sends (run with --reference to check them against a real redis-server).
"""

import time

import pytest

from conftest import admin_client, make_client

SENTINEL = "ferrodis-test-sentinel"


@pytest.fixture
def events(servers, protocol):
    """`events(flags, run)`: sets notify-keyspace-events to `flags`, subscribes to every
    keyspace/keyevent channel, calls `run(client)`, and returns the notifications as
    `(channel, data)` pairs in arrival order. Resets the flags afterwards."""
    admin = admin_client(servers.port)
    listener = make_client(servers.port, protocol)
    actor = make_client(servers.port, protocol)

    def collect(flags, run):
        assert admin.config_set("notify-keyspace-events", flags)
        p = listener.pubsub()
        p.psubscribe("__key*__:*")
        p.subscribe(SENTINEL)
        confirmations = 0
        while confirmations < 2:
            msg = p.get_message(timeout=5)
            assert msg is not None, "no subscribe confirmation"
            confirmations += msg["type"] in ("psubscribe", "subscribe")
        run(actor)
        actor.publish(SENTINEL, "end")
        got = []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            msg = p.get_message(timeout=1)
            if msg is None:
                continue
            if msg["type"] == "message" and msg["channel"] == SENTINEL:
                p.close()
                return got
            assert msg["type"] == "pmessage", msg
            got.append((msg["channel"], msg["data"]))
        pytest.fail(f"the sentinel never arrived; got {got}")

    yield collect
    admin.config_set("notify-keyspace-events", "")
    listener.connection_pool.disconnect()
    actor.connection_pool.disconnect()


def keyevents(pairs, db=0):
    """`[(event, key), ...]` → the keyevent notifications Redis sends for them."""
    return [(f"__keyevent@{db}__:{event}", key) for event, key in pairs]


def test_config_get_reports_flags_in_redis_order(servers):
    admin = admin_client(servers.port)
    for given, reported in [("KEA", "AKE"), ("gKE", "gKE"), ("$lshzxeKE", "$lshzxeKE"), ("Elg", "glE"), ("", "")]:
        assert admin.config_set("notify-keyspace-events", given)
        assert admin.config_get("notify-keyspace-events") == {"notify-keyspace-events": reported}
    with pytest.raises(Exception, match="Invalid event class character"):
        admin.config_set("notify-keyspace-events", "KEQ")


def test_keyspace_and_keyevent_channels(events):
    got = events("KEA", lambda r: r.set("k", "v"))
    assert got == [("__keyspace@0__:k", "set"), ("__keyevent@0__:set", "k")]


def test_classes_mask_events(events):
    def run(r):
        r.set("s", "1")  # $ (masked out)
        r.lpush("l", "a")  # l
        r.expire("l", 100)  # g (masked out)
        r.sadd("st", "m")  # s (masked out)

    assert events("El", run) == keyevents([("lpush", "l")])
    assert events("Eg", run) == keyevents([("expire", "l")])


def test_string_and_generic_events(events):
    def run(r):
        r.set("s", "1")
        r.set("s", "2", ex=100)
        r.append("s", "x")
        r.incrby("n", 5)
        r.incrbyfloat("n", 1.5)
        r.setrange("s", 0, "z")
        r.expire("s", 100)
        r.persist("s")
        r.rename("s", "s2")
        r.copy("s2", "s3")
        r.move("s3", 1)
        r.delete("s2", "n", "missing")
        r.set("t", "1")
        r.expire("t", -1)  # a time in the past deletes the key: `del` (Redis 7.2 documents it)
        r.mset({"m1": "1", "m2": "2"})
        r.getdel("m1")
        r.getex("m2", px=100000)
        r.getex("m2", persist=True)
        r.setbit("bits", 1, 1)
        r.setbit("bits", 1, 1)  # unchanged
        r.pfadd("hll", "a")
        r.pfadd("hll", "a")  # unchanged: no event
        r.setnx("m2", "x")  # exists: no event

    got = events("EA", run)
    assert got == keyevents(
        [
            ("set", "s"),
            ("set", "s"),
            ("expire", "s"),
            ("append", "s"),
            ("incrby", "n"),
            ("incrbyfloat", "n"),
            ("setrange", "s"),
            ("expire", "s"),
            ("persist", "s"),
            ("rename_from", "s"),
            ("rename_to", "s2"),
            ("copy_to", "s3"),
            ("move_from", "s3"),
        ]
    ) + keyevents([("move_to", "s3")], db=1) + keyevents(
        [
            ("del", "s2"),
            ("del", "n"),
            ("set", "t"),
            ("del", "t"),
            ("set", "m1"),
            ("set", "m2"),
            ("del", "m1"),
            ("expire", "m2"),
            ("persist", "m2"),
            ("setbit", "bits"),
            ("pfadd", "hll"),
        ]
    )


def test_list_events(events):
    def run(r):
        r.lpush("l", "a", "b")
        r.rpush("l", "c")
        r.linsert("l", "BEFORE", "a", "x")
        r.lset("l", 0, "y")
        r.lrem("l", 1, "y")
        r.lrem("l", 1, "nope")  # nothing removed: no event
        r.ltrim("l", 0, 1)
        r.lpop("l")
        r.rpoplpush("l", "l2")  # empties l
        r.lmove("l2", "l3", "LEFT", "RIGHT")
        r.rpushx("missing", "v")  # no list: no event

    got = events("EA", run)
    assert got == keyevents(
        [
            ("lpush", "l"),
            ("rpush", "l"),
            ("linsert", "l"),
            ("lset", "l"),
            ("lrem", "l"),
            ("ltrim", "l"),
            ("lpop", "l"),
            ("lpush", "l2"),
            ("rpop", "l"),
            ("del", "l"),
            ("rpush", "l3"),
            ("lpop", "l2"),
            ("del", "l2"),
        ]
    )


def test_hash_set_and_zset_events(events):
    def run(r):
        r.hset("h", mapping={"f": "1", "g": "2"})
        r.hsetnx("h", "f", "9")  # exists: no event
        r.hincrby("h", "f", 2)
        r.hincrbyfloat("h", "f", 0.5)
        r.hdel("h", "f", "g")
        r.sadd("st", "a", "b")
        r.srem("st", "a")
        r.smove("st", "st2", "b")
        r.sadd("x1", "1", "2")
        r.sinterstore("out", ["st2", "x1"])  # empty result, no destination: no event
        r.sunionstore("out", ["st2", "x1"])
        r.spop("out")
        r.zadd("z", {"a": 1, "b": 2})
        r.zincrby("z", 1, "a")
        r.zrem("z", "a")
        r.zadd("z", {"c": 3})
        r.zremrangebyscore("z", 0, 2)
        r.zpopmin("z")
        r.zadd("z2", {"m": 1})
        r.zunionstore("z3", ["z2"])
        r.zinterstore("z3", ["z2", "nothing"])  # empty result deletes z3

    got = events("EA", run)
    assert got == keyevents(
        [
            ("hset", "h"),
            ("hincrby", "h"),
            ("hincrbyfloat", "h"),
            ("hdel", "h"),
            ("del", "h"),
            ("sadd", "st"),
            ("srem", "st"),
            ("srem", "st"),
            ("del", "st"),
            ("sadd", "st2"),
            ("sadd", "x1"),
            ("sunionstore", "out"),
            ("spop", "out"),
            ("zadd", "z"),
            ("zincr", "z"),
            ("zrem", "z"),
            ("zadd", "z"),
            ("zremrangebyscore", "z"),
            ("zpopmin", "z"),
            ("del", "z"),
            ("zadd", "z2"),
            ("zunionstore", "z3"),
            ("del", "z3"),
        ]
    )


def test_transaction_events_arrive_in_command_order(events):
    def run(r):
        pipe = r.pipeline()  # MULTI ... EXEC, as Django's set_many and kombu send
        pipe.incr("rate:1.2.3.4").expire("rate:1.2.3.4", 60).lpush("q", "job")
        assert pipe.execute() == [1, True, 1]

    assert events("EA", run) == keyevents([("incrby", "rate:1.2.3.4"), ("expire", "rate:1.2.3.4"), ("lpush", "q")])


def test_expired_events_lazy_and_active(events):
    def run(r):
        r.set("lazy", "1", px=20)
        r.set("active", "1", px=20)
        time.sleep(0.05)
        # Reclaimed by this read (lazily), unless the active cycle got there first: either
        # way one `expired` event, as in Redis.
        assert r.get("lazy") is None
        deadline = time.monotonic() + 5
        while r.dbsize() and time.monotonic() < deadline:  # the active cycle takes `active`
            time.sleep(0.02)

    got = events("Ex", run)
    # Which key the active cycle reclaims first is timing (as in Redis): compare as sets.
    assert sorted(got) == sorted(keyevents([("expired", "lazy"), ("expired", "active")]))


def test_new_key_events(events):
    def run(r):
        r.set("foo", "bar")
        r.set("foo", "baz")  # overwrite: not new
        r.lpush("bar", "x")
        r.rename("foo", "bar")  # the destination is deleted and added again: new

    assert events("En", run) == keyevents([("new", "foo"), ("new", "bar"), ("new", "bar")])
