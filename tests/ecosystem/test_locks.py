"""Distributed locks on database 1: our `jobs.locks.RedisLock` (SET NX PX, token-checked Lua
release/extend), django-redis's `cache.lock()` (redis-py's Lock), OS processes contending for
one lock, and the `process_payout` Celery task that must pay exactly once.

Keys: `jobboard:lock:<name>` (ours, plain token string), `jobboard:1:<name>` (django-redis's
lock, with the cache's key prefix and version).
"""
import hashlib
import os
import subprocess
import time

import pytest
from django.core.cache import cache
from django_redis import get_redis_connection
from redis.exceptions import LockNotOwnedError

from conftest import HERE, PYTHON, django_env
from jobs.locks import RELEASE_SCRIPT, LockLost, LockTimeout, RedisLock, distributed_lock
from jobs.models import Employer, Payout
from jobs.tasks import process_payout
from workers import jobboard_worker, wait_for  # noqa: F401  (jobboard_worker: a module-scoped fixture)

CONTENDERS = 6


def start_contenders(tmp_path, *args) -> list[subprocess.Popen]:
    """Starts CONTENDERS lock_contender.py processes, waits until each is ready (imports done,
    connected), then lets them all go at once (the file `go`)."""
    procs = [
        subprocess.Popen(
            [PYTHON, os.path.join(HERE, "lock_contender.py"), args[0], args[1], str(tmp_path), str(i), *args[2:]],
            env=django_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            start_new_session=True,
        )
        for i in range(CONTENDERS)
    ]
    try:
        wait_for(
            lambda: all((tmp_path / f"ready-{i}").exists() for i in range(CONTENDERS))
            or any(p.poll() is not None for p in procs),
            60, "the contenders to be ready",
        )
        assert all(p.poll() is None for p in procs), [p.communicate() for p in procs if p.poll() is not None]
        (tmp_path / "go").touch()
    except BaseException:
        for p in procs:
            p.kill()
            p.wait()
        raise
    return procs


def test_exactly_one_of_six_processes_gets_the_lock(tmp_path, raw_redis):
    r1 = raw_redis(1)
    procs = start_contenders(tmp_path, "try", "contended")
    try:
        # The losers give up at once; the winner holds the lock until told to release it.
        wait_for(lambda: sum(p.poll() is not None for p in procs) == CONTENDERS - 1, 60, "the losers to exit")
        losers = [p for p in procs if p.poll() is not None]
        (winner,) = [p for p in procs if p.poll() is None]
        for p in losers:
            out, err = p.communicate()
            assert (p.returncode, out) == (1, "lost\n"), err
        first_line = winner.stdout.readline()
        assert first_line.startswith("won ")
        token = first_line.split()[1]
        assert r1.get("jobboard:lock:contended") == token
        assert 0 < r1.pttl("jobboard:lock:contended") <= 60_000
        (tmp_path / "release").touch()
        out, err = winner.communicate(timeout=60)
        assert (winner.returncode, out) == (0, "released True\n"), err
        assert r1.exists("jobboard:lock:contended") == 0
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()


def test_blocking_lock_serialises_a_read_modify_write_across_processes(tmp_path, raw_redis):
    r1 = raw_redis(1)
    rounds = 5
    procs = start_contenders(tmp_path, "count", "counter", str(rounds))
    try:
        results = [p.communicate(timeout=120) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
    assert [(p.returncode, out) for p, (out, _err) in zip(procs, results)] == [(0, f"released {rounds}\n")] * CONTENDERS, results
    # GET, pause, SET by 6 processes: without mutual exclusion updates would be lost.
    assert r1.get("jobboard:test:counter") == str(CONTENDERS * rounds)
    intervals = sorted(tuple(map(float, item.split())) for item in r1.lrange("jobboard:test:intervals", 0, -1))
    assert len(intervals) == CONTENDERS * rounds
    for (_, previous_exit), (enter, _) in zip(intervals, intervals[1:]):
        assert enter >= previous_exit, "two holders were inside the critical section together"
    assert r1.exists("jobboard:lock:counter") == 0


def test_lock_key_token_and_ttl(raw_redis):
    r1 = raw_redis(1)
    lock = RedisLock("report", ttl_ms=5000)
    assert lock.acquire(blocking=False) is True
    assert r1.get("jobboard:lock:report") == lock.token
    assert len(lock.token) == 32
    assert 4000 < r1.pttl("jobboard:lock:report") <= 5000
    assert lock.owned() and lock.locked()
    other = RedisLock("report", ttl_ms=5000)
    assert other.acquire(blocking=False) is False
    assert other.token is None
    assert lock.release() is True
    assert r1.exists("jobboard:lock:report") == 0
    assert lock.release() is False  # nothing left to release
    assert other.acquire(blocking=False) is True
    assert other.release() is True
    # The scripts went through EVALSHA: the server has them cached under their SHA1.
    assert r1.script_exists(hashlib.sha1(RELEASE_SCRIPT.encode()).hexdigest()) == [True]


def test_release_after_script_flush_reloads_the_script(raw_redis):
    r1 = raw_redis(1)
    lock = RedisLock("flushed", ttl_ms=5000)
    assert lock.acquire(blocking=False)
    r1.script_flush()
    sha = hashlib.sha1(RELEASE_SCRIPT.encode()).hexdigest()
    assert r1.script_exists(sha) == [False]
    assert lock.release() is True  # NOSCRIPT, then SCRIPT LOAD and EVALSHA again
    assert r1.script_exists(sha) == [True]
    assert r1.exists("jobboard:lock:flushed") == 0


def test_expired_lock_passes_on_and_a_stale_release_leaves_the_new_owner_alone(raw_redis):
    r1 = raw_redis(1)
    stale = RedisLock("batch", ttl_ms=300)
    assert stale.acquire(blocking=False)
    assert 0 < r1.pttl("jobboard:lock:batch") <= 300
    # PX: the server deletes the key after 300 ms, with no help from the holder.
    wait_for(lambda: r1.exists("jobboard:lock:batch") == 0, 5, "the lock to expire")
    assert stale.owned() is False
    fresh = RedisLock("batch", ttl_ms=10_000)
    assert fresh.acquire(blocking=False)
    assert stale.extend(60_000) is False
    assert stale.release() is False
    assert r1.get("jobboard:lock:batch") == fresh.token
    assert 9000 < r1.pttl("jobboard:lock:batch") <= 10_000
    assert fresh.release() is True
    assert r1.exists("jobboard:lock:batch") == 0


def test_context_manager_raises_lock_lost_when_the_lock_expired_inside(raw_redis):
    r1 = raw_redis(1)
    with pytest.raises(LockLost):
        with distributed_lock("short", ttl_ms=200, timeout=1) as lock:
            assert r1.get("jobboard:lock:short") == lock.token
            wait_for(lambda: r1.exists("jobboard:lock:short") == 0, 5, "the lock to expire")
            r1.set("jobboard:lock:short", "someone-else", px=10_000)
    assert r1.get("jobboard:lock:short") == "someone-else"


def test_extend_adds_to_or_replaces_the_remaining_time(raw_redis):
    r1 = raw_redis(1)
    lock = RedisLock("long-job", ttl_ms=1000)
    assert lock.acquire(blocking=False)
    assert lock.extend(5000) is True
    assert 5000 < r1.pttl("jobboard:lock:long-job") <= 6000
    assert lock.extend(2000, replace=True) is True
    assert 1000 < r1.pttl("jobboard:lock:long-job") <= 2000
    assert r1.get("jobboard:lock:long-job") == lock.token
    assert lock.release() is True
    assert lock.extend(1000) is False


def test_blocking_acquire_waits_for_the_holder_or_times_out(raw_redis):
    holder = RedisLock("import", ttl_ms=700)
    assert holder.acquire(blocking=False)
    waiter = RedisLock("import", ttl_ms=5000)
    started = time.monotonic()
    assert waiter.acquire(blocking=True, timeout=0.2) is False
    assert time.monotonic() - started >= 0.2
    with pytest.raises(LockTimeout):
        with distributed_lock("import", timeout=0.1):
            pass
    # Given enough time, the waiter gets it when the holder's 700 ms are up.
    assert waiter.acquire(blocking=True, timeout=10) is True
    assert raw_redis(1).get("jobboard:lock:import") == waiter.token
    assert holder.release() is False
    assert waiter.release() is True


def test_django_redis_cache_lock(raw_redis):
    r1 = raw_redis(1)
    key = "jobboard:1:nightly-report"  # the cache's KEY_PREFIX and version apply
    with cache.lock("nightly-report", timeout=5, blocking_timeout=1) as lock:
        token = r1.get(key)
        assert token is not None and len(token) == 32
        assert 4000 < r1.pttl(key) <= 5000
        assert cache.lock("nightly-report", timeout=5).acquire(blocking=False) is False
        assert lock.extend(10) is True
        assert 14_000 < r1.pttl(key) <= 15_000
    assert r1.exists(key) == 0
    # A holder whose lock expired cannot release the next holder's lock.
    stale = cache.lock("nightly-report", timeout=0.3)
    assert stale.acquire(blocking=False)
    wait_for(lambda: r1.exists(key) == 0, 5, "the django-redis lock to expire")
    fresh = cache.lock("nightly-report", timeout=10)
    assert fresh.acquire(blocking=False)
    with pytest.raises(LockNotOwnedError):
        stale.release()
    assert r1.exists(key) == 1
    fresh.release()
    assert r1.exists(key) == 0


@pytest.mark.django_db(transaction=True)
def test_payout_task_sent_eight_times_concurrently_pays_once(jobboard_worker, raw_redis):
    employer = Employer.objects.create(name="Initech", city="Austin")
    payout = Payout.objects.create(employer=employer, amount=1250)
    results = [process_payout.delay(payout.pk) for _ in range(8)]
    outcomes = sorted(r.get(timeout=60) for r in results)
    assert outcomes == ["already processed"] * 7 + ["processed"]
    payout.refresh_from_db()
    assert (payout.processed, payout.times_processed) == (True, 1)
    assert raw_redis(1).exists(f"jobboard:lock:payout:{payout.pk}") == 0
    # The lock's key was our own: the worker used database 1 through django-redis.
    assert get_redis_connection("default").connection_pool.connection_kwargs["db"] == 1


@pytest.mark.django_db(transaction=True)
def test_payout_task_retries_while_someone_else_holds_the_lock(jobboard_worker, raw_redis):
    employer = Employer.objects.create(name="Hooli", city="Palo Alto")
    payout = Payout.objects.create(employer=employer, amount=300)
    held = RedisLock(f"payout:{payout.pk}", ttl_ms=30_000)
    assert held.acquire(blocking=False)
    result = process_payout.delay(payout.pk, lock_wait=0.2)
    try:
        # It could not get the lock: the result backend says RETRY (a new message waits 1 s).
        wait_for(lambda: result.state == "RETRY", 20, "state RETRY", interval=0.05)
        payout.refresh_from_db()
        assert (payout.processed, payout.times_processed) == (False, 0)
    finally:
        assert held.release() is True
    assert result.get(timeout=30) == "processed"
    payout.refresh_from_db()
    assert (payout.processed, payout.times_processed) == (True, 1)
    assert raw_redis(1).exists(f"jobboard:lock:payout:{payout.pk}") == 0
