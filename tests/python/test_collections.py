"""Collections through redis-py 8, RESP2 and RESP3 (the `r`/`protocol` fixtures): the reply
shapes of the client census (/work/shared/design/client-census.md §1: kombu, channels_redis,
Celery, django-redis) as redis-py parses them. `run.sh --reference` runs the same tests
against a real redis-server.
"""

import threading
import time

import pytest

from conftest import make_client


def norm(v):
    """redis-py returns pairs as tuples under RESP2 and as lists under RESP3; compare contents."""
    if isinstance(v, (list, tuple)):
        return [norm(x) for x in v]
    return v


def test_kombu_queue_lpush_brpop_priority_keys(r):
    # kombu names priority queues `<queue>\x06\x16<n>` and BRPOPs them in priority order;
    # the key comes back byte-exact so it can strip the suffix.
    q0, q3, q6 = "celery", "celery\x06\x163", "celery\x06\x166"
    assert r.lpush(q6, "low") == 1
    assert r.lpush(q3, "mid") == 1
    assert norm(r.brpop([q0, q3, q6], timeout=1)) == [q3, "mid"]
    assert norm(r.brpop([q0, q3, q6], timeout=1)) == [q6, "low"]
    assert r.brpop([q0, q3, q6], timeout=0.05) is None


def test_brpop_wakes_on_push_from_another_client(servers, protocol):
    consumer = make_client(servers.port, protocol)
    producer = make_client(servers.port, protocol)
    got = {}

    def consume():
        got["v"] = consumer.brpop(["tasks"], timeout=5)

    t = threading.Thread(target=consume)
    t.start()
    deadline = time.time() + 5
    while producer.info("clients")["blocked_clients"] != 1:
        assert time.time() < deadline, "consumer never blocked"
        time.sleep(0.01)
    producer.lpush("tasks", '{"task": "add"}')
    t.join(5)
    assert norm(got["v"]) == ["tasks", '{"task": "add"}']


def test_kombu_unacked_hash_and_index(r, protocol):
    # QoS.append: MULTI, ZADD unacked_index <time> <tag>, HSET unacked <tag> <json>, EXEC.
    with r.pipeline() as p:
        p.zadd("unacked_index", {"tag1": 1724131234.5678282})
        p.hset("unacked", "tag1", '{"body": 1}')
        assert p.execute() == [1, 1]
    got = r.zrevrangebyscore("unacked_index", 1724131300, 0, start=0, num=10, withscores=True)
    assert norm(got) == [["tag1", 1724131234.5678282]]
    assert r.hgetall("unacked") == {"tag1": '{"body": 1}'}
    assert r.hget("unacked", "tag1") == '{"body": 1}'


def test_kombu_restore_with_watch_retries_on_change(servers, protocol):
    r = make_client(servers.port, protocol)
    other = make_client(servers.port, protocol)
    r.hset("unacked", "t", "msg")
    with r.pipeline() as p:
        p.watch("unacked")
        assert p.hget("unacked", "t") == "msg"
        other.hset("unacked", "t", "changed")
        p.multi()
        p.hdel("unacked", "t")
        p.rpush("celery", "msg")
        with pytest.raises(Exception) as e:
            p.execute()
        assert type(e.value).__name__ == "WatchError"
    assert r.llen("celery") == 0


def test_exchange_bindings_set(r):
    assert r.sadd("_kombu.binding.celery", "celery\x06\x16\x06\x16celery") == 1
    assert r.smembers("_kombu.binding.celery") == {"celery\x06\x16\x06\x16celery"}
    assert r.sismember("_kombu.binding.celery", "nope") == 0
    assert r.smismember("_kombu.binding.celery", ["nope", "celery\x06\x16\x06\x16celery"]) == [0, 1]
    assert r.sadd("s2", "a", "b") == 2
    assert r.sinter("s2", "s2") == {"a", "b"}
    assert r.sunion("s2", "missing") == {"a", "b"}
    assert r.sdiff("s2", "missing") == {"a", "b"}
    assert sorted(r.spop("s2", 2)) == ["a", "b"]


def test_channels_layer_zset_shapes(r, protocol):
    assert r.zadd("asgi:chan", {"m1": 1.5, "m2": 2.25}) == 2
    assert r.zrange("asgi:chan", 0, -1) == ["m1", "m2"]
    assert norm(r.zrange("asgi:chan", 0, -1, withscores=True)) == [["m1", 1.5], ["m2", 2.25]]
    assert r.zscore("asgi:chan", "m2") == 2.25
    assert r.zincrby("asgi:chan", 1e-05, "m1") == 1.50001
    # RESP2: redis-py pairs the flat reply; RESP3: Redis sends the flat [member, double].
    want = [["m1", 1.50001]] if protocol == 2 else ["m1", 1.50001]
    assert norm(r.zpopmin("asgi:chan")) == want
    assert norm(r.bzpopmin("asgi:chan", timeout=1)) == ["asgi:chan", "m2", 2.25]
    assert r.bzpopmin("asgi:chan", timeout=0.05) is None
    assert r.zadd("chord.j", {"result": "+inf"}) == 1
    assert r.zcount("chord.j", "-inf", "+inf") == 1
    assert r.zscore("chord.j", "result") == float("inf")


def test_zadd_options_and_errors(r):
    assert r.zadd("z", {"a": 1}, nx=True) == 1
    assert r.zadd("z", {"a": 5}, xx=True, ch=True) == 1
    assert r.zadd("z", {"a": 3}, gt=True, ch=True) == 0
    assert r.zadd("z", {"a": 2}, incr=True) == 7.0
    with pytest.raises(Exception) as e:
        r.execute_command("ZADD", "z", "NX", "XX", "1", "a")
    assert "XX and NX options at the same time are not compatible" in str(e.value)
    with pytest.raises(Exception) as e:
        r.zadd("z", {"a": "nan"})
    assert "not a valid float" in str(e.value)


def test_hash_helpers_and_leaderboard(r, protocol):
    assert r.hset("employer:1", mapping={"name": "Acme", "jobs": 3}) == 2
    assert r.hincrby("employer:1", "jobs", 2) == 5
    assert r.hincrbyfloat("employer:1", "score", 0.1) == 0.1
    assert r.hgetall("employer:1") == {"name": "Acme", "jobs": "5", "score": "0.1"}
    assert r.hdel("employer:1", "score") == 1
    assert sorted(r.hkeys("employer:1")) == ["jobs", "name"]
    r.zadd("leaderboard", {"acme": 10, "globex": 20})
    assert norm(r.zrevrange("leaderboard", 0, -1, withscores=True)) == [["globex", 20.0], ["acme", 10.0]]
    assert r.zrevrank("leaderboard", "acme") == 1


def test_recent_searches_list(r):
    for q in ["python", "rust", "django"]:
        r.lpush("recent:1", q)
    r.ltrim("recent:1", 0, 1)
    assert r.lrange("recent:1", 0, -1) == ["django", "rust"]
    assert r.expire("recent:1", 60) is True
    assert r.lpop("recent:1", 5) == ["django", "rust"]
    assert r.lpop("recent:1") is None
    assert r.lpop("recent:1", 2) is None


def test_unique_views_hyperloglog(r):
    assert r.pfadd("views:1", *[f"user{i}" for i in range(1000)]) == 1
    assert r.pfadd("views:2", *[f"user{i}" for i in range(500, 1500)]) == 1
    assert 980 <= r.pfcount("views:1") <= 1020
    assert r.pfmerge("views:all", "views:1", "views:2") is True
    assert 1470 <= r.pfcount("views:all") <= 1530


def test_wrongtype(r):
    r.set("s", "x")
    for call in (lambda: r.lpush("s", 1), lambda: r.hset("s", "f", 1), lambda: r.sadd("s", 1),
                 lambda: r.zadd("s", {"m": 1})):
        with pytest.raises(Exception) as e:
            call()
        assert str(e.value) == "WRONGTYPE Operation against a key holding the wrong kind of value"
