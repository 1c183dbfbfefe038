"""Celery against the server: broker and result backend on database 0, with real worker
processes (tests/ecosystem/workers.py).

What the broker (kombu's Redis transport) keeps in database 0, and what these tests look at:
* `celery` (list): the default queue; messages are LPUSHed and taken with BRPOP;
* `unacked` (hash, delivery tag -> [message, exchange, routing key]) and `unacked_index` (sorted
  set, delivery tag -> Unix time of delivery): messages a worker took but has not acknowledged;
  a message older than the visibility timeout is put back on its queue;
* `celery-task-meta-<task id>` (string, JSON): a task's result, SET with an expiry of
  CELERY_RESULT_EXPIRES seconds and PUBLISHed on a channel of the same name;
* `_kombu.binding.<exchange>` (set): which queues an exchange routes to.
Control commands (ping, revoke) travel by PUBLISH on `/0.celery.pidbox`.
"""
import json
import subprocess
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from celery import chord, group
from celery.exceptions import TaskRevokedError
from celery.result import AsyncResult

from conftest import PYTHON, SITE, django_env
from jobboard.celery import app
from jobs.tasks import acks_late_job, add, flaky_add, record_order, record_run, total
from workers import Worker, jobboard_worker, wait_for  # noqa: F401  (jobboard_worker: a module-scoped fixture)

RESULT_EXPIRES = 3600  # seconds: settings.CELERY_RESULT_EXPIRES


def task_key(token: str, what: str) -> str:
    """jobs.tasks._task_key: the database-1 bookkeeping key of a test task."""
    return f"jobboard:task:{token}:{what}"


def unacked_tags_of(r0, task_id: str) -> list[str]:
    """Delivery tags in the broker's `unacked` hash whose message is task `task_id`."""
    tags = []
    for tag, entry in r0.hgetall("unacked").items():
        message, _exchange, _routing_key = json.loads(entry)
        if message["headers"]["id"] == task_id:
            tags.append(tag)
    return tags


def test_worker_answers_a_broadcast_ping(jobboard_worker):
    replies = app.control.ping(destination=[jobboard_worker.nodename], timeout=10, limit=1)
    assert replies == [{jobboard_worker.nodename: {"ok": "pong"}}]
    # The same through the command line an operator would use.
    cli = subprocess.run(
        [PYTHON, "-m", "celery", "-A", "jobboard", "inspect", "ping", "--timeout", "3",
         "--destination", jobboard_worker.nodename],
        cwd=SITE, env=django_env(), capture_output=True, text=True, timeout=120,
    )
    assert cli.returncode == 0, cli.stderr
    assert f"{jobboard_worker.nodename}: OK" in cli.stdout
    assert "pong" in cli.stdout
    assert "1 node online." in cli.stdout


def test_task_result_comes_back_through_database_0(jobboard_worker, raw_redis):
    r0 = raw_redis(0)
    result = add.delay(2, 3)
    assert result.get(timeout=20) == 5
    assert result.state == "SUCCESS"
    meta = json.loads(r0.get(f"celery-task-meta-{result.id}"))
    assert meta["status"] == "SUCCESS"
    assert meta["result"] == 5
    assert meta["task_id"] == result.id
    assert 0 < r0.ttl(f"celery-task-meta-{result.id}") <= RESULT_EXPIRES
    # Consumed and acknowledged: nothing left on the queue nor among the unacknowledged.
    assert r0.llen("celery") == 0
    wait_for(lambda: unacked_tags_of(r0, result.id) == [], 10, "the acknowledgement")
    assert r0.type("_kombu.binding.celery") == "set"
    assert any(member.startswith("celery") for member in r0.smembers("_kombu.binding.celery"))
    # Nothing of the broker or the results leaks into the cache's database.
    assert raw_redis(1).exists(f"celery-task-meta-{result.id}") == 0
    result.forget()  # DEL of the result key
    assert r0.exists(f"celery-task-meta-{result.id}") == 0


def test_retry_with_countdown_runs_three_times_then_succeeds(jobboard_worker, raw_redis):
    token = uuid.uuid4().hex
    result = flaky_add.delay(token, 3, 4, failures=2, countdown=1.0)
    assert result.get(timeout=30) == {"sum": 7, "attempt": 3, "retries": 2}
    r1 = raw_redis(1)
    assert r1.get(task_key(token, "attempts")) == "3"
    times = [float(t) for t in r1.lrange(task_key(token, "times"), 0, -1)]
    assert len(times) == 3
    # Each retry was scheduled `countdown` seconds after the failing attempt started; it may
    # not run earlier (0.1 s allowed for the clock of the timer).
    assert times[1] - times[0] >= 0.9
    assert times[2] - times[1] >= 0.9
    assert result.state == "SUCCESS"


def test_eta_task_waits_unacknowledged_until_its_eta(jobboard_worker, raw_redis):
    r0, r1 = raw_redis(0), raw_redis(1)
    token = uuid.uuid4().hex
    eta = datetime.now(timezone.utc) + timedelta(seconds=4)
    result = record_run.apply_async(args=[token], eta=eta)
    # The worker takes the message at once and keeps it (unacknowledged) until the ETA.
    tags = wait_for(lambda: unacked_tags_of(r0, result.id), 10, "the ETA message in `unacked`")
    checked_at = time.time()
    not_yet_run = r1.exists(task_key(token, "ran")) == 0 and result.state == "PENDING"
    if checked_at < eta.timestamp():
        assert not_yet_run, "the task ran before its ETA"
    ran_at = result.get(timeout=20)
    assert ran_at >= eta.timestamp() - 0.1
    assert float(r1.get(task_key(token, "ran"))) == ran_at
    # Acknowledged when the pool accepted it, which the worker's main process may record
    # just after the result was stored.
    wait_for(lambda: not r0.hexists("unacked", tags[0]), 10, "the ETA message to leave `unacked`")
    assert r0.zscore("unacked_index", tags[0]) is None


def test_chord_sums_the_results_of_its_group(jobboard_worker, raw_redis):
    result = chord(add.s(i, i) for i in range(10))(total.s())
    assert result.get(timeout=30) == 90  # 2 * (0 + 1 + ... + 9)
    r0 = raw_redis(0)
    parent = result.parent
    assert len(parent.results) == 10
    assert [json.loads(r0.get(f"celery-task-meta-{child.id}"))["result"] for child in parent.results] == [
        2 * i for i in range(10)
    ]
    # The backend's chord bookkeeping (Lua scripts over `celery-taskset-meta-<group id>.*`):
    # once the callback is sent, the parts (.j), counters (.t, .s) and marker (.d) are deleted
    # and the dispatch claim (.c) says "done" for 300 seconds.
    prefix = f"celery-taskset-meta-{parent.id}"
    wait_for(lambda: r0.get(f"{prefix}.c") == "done", 10, "the chord's cleanup")
    assert 0 < r0.ttl(f"{prefix}.c") <= 300
    assert r0.exists(f"{prefix}.j", f"{prefix}.t", f"{prefix}.s", f"{prefix}.d") == 0


def test_group_results_in_order(jobboard_worker):
    result = group(add.s(i, 100) for i in range(6)).apply_async()
    assert result.get(timeout=30) == [100, 101, 102, 103, 104, 105]
    assert result.successful()


def test_revoked_task_with_countdown_never_runs(jobboard_worker, raw_redis):
    r0, r1 = raw_redis(0), raw_redis(1)
    token = uuid.uuid4().hex
    result = record_run.apply_async(args=[token], countdown=3)
    # The worker holds the message (unacknowledged) until the countdown is up.
    tags = wait_for(lambda: unacked_tags_of(r0, result.id), 10, "the countdown message in `unacked`")
    result.revoke()
    # The worker records REVOKED at once (the task had not started) ...
    wait_for(lambda: AsyncResult(result.id, app=app).state == "REVOKED", 10, "state REVOKED")
    assert json.loads(r0.get(f"celery-task-meta-{result.id}"))["status"] == "REVOKED"
    with pytest.raises(TaskRevokedError):
        result.get(timeout=5)
    # ... and when the countdown is up it discards the message (acknowledges it unrun).
    wait_for(lambda: not r0.hexists("unacked", tags[0]), 20, "the revoked message to leave `unacked`")
    assert r0.zscore("unacked_index", tags[0]) is None
    assert r0.llen("celery") == 0
    assert r1.exists(task_key(token, "ran")) == 0
    assert AsyncResult(result.id, app=app).state == "REVOKED"


def test_priorities_split_a_queue_and_lower_numbers_run_first(redis_server, raw_redis):
    """kombu's Redis transport keeps one list per priority step (0, 3, 6, 9): `<queue>` for 0
    and `<queue>\\x06\\x16<step>` for the others, and BRPOPs them in that order, so 0 runs first."""
    r0, r1 = raw_redis(0), raw_redis(1)
    queue = f"eco-priority-{uuid.uuid4().hex[:8]}"
    token = uuid.uuid4().hex
    results = [record_order.apply_async(args=[token, str(p)], queue=queue, priority=p) for p in (9, 3, 6, 0)]
    assert r0.llen(queue) == 1
    for step in (3, 6, 9):
        assert r0.llen(f"{queue}\x06\x16{step}") == 1
    worker = Worker("eco-priority", queues=queue, pool="solo", concurrency=1).start()
    try:
        assert [r.get(timeout=30) for r in results] == ["9", "3", "6", "0"]
        assert r1.lrange(task_key(token, "order"), 0, -1) == ["0", "3", "6", "9"]
        assert r0.exists(queue, *(f"{queue}\x06\x16{step}" for step in (3, 6, 9))) == 0
    finally:
        worker.stop()


def test_warm_shutdown_puts_a_held_message_back_on_its_queue(redis_server, raw_redis):
    """A worker stopped with SIGTERM hands back the messages it held unacknowledged (here one
    waiting for its countdown): out of `unacked`, back on the queue, flagged redelivered."""
    r0, r1 = raw_redis(0), raw_redis(1)
    queue = f"eco-shutdown-{uuid.uuid4().hex[:8]}"
    token = uuid.uuid4().hex
    worker = Worker("eco-shutdown", queues=queue, pool="solo", concurrency=1).start()
    try:
        result = record_run.apply_async(args=[token], queue=queue, countdown=300)
        tags = wait_for(lambda: unacked_tags_of(r0, result.id), 10, "the message in `unacked`")
        assert r0.llen(queue) == 0
    finally:
        worker.stop()
    assert r0.hexists("unacked", tags[0]) is False
    assert r0.zscore("unacked_index", tags[0]) is None
    assert r0.llen(queue) == 1
    message = json.loads(r0.lindex(queue, 0))
    assert message["headers"]["id"] == result.id
    assert message["headers"]["redelivered"] is True
    assert message["properties"]["delivery_info"]["redelivered"] is True
    assert r1.exists(task_key(token, "ran")) == 0
    assert result.state == "PENDING"
    r0.delete(queue)


VISIBILITY_TIMEOUT = 5  # seconds, for the acks_late workers only


def test_acks_late_task_of_a_killed_worker_is_redelivered_after_the_visibility_timeout(redis_server, raw_redis):
    """A worker dies (SIGKILL) in the middle of an acks_late task; the message stays in
    `unacked`; once it is older than the visibility timeout, a new worker puts it back on its
    queue and runs it to the end."""
    r0, r1 = raw_redis(0), raw_redis(1)
    queue = f"eco-acks-late-{uuid.uuid4().hex[:8]}"
    token = uuid.uuid4().hex
    settings = dict(queues=queue, pool="solo", concurrency=1, CELERY_VISIBILITY_TIMEOUT=VISIBILITY_TIMEOUT)
    first = Worker("eco-acks-1", **settings).start()
    try:
        result = acks_late_job.apply_async(args=[token], queue=queue)
        wait_for(lambda: r1.get(task_key(token, "starts")) == "1", 30, "the task's first start")
        tags = unacked_tags_of(r0, result.id)
        assert len(tags) == 1
        delivered_at = r0.zscore("unacked_index", tags[0])
        assert delivered_at is not None
    finally:
        first.kill()
    # Nobody acknowledged it and nobody put it back: it is neither done nor queued.
    assert r0.llen(queue) == 0
    assert r0.hexists("unacked", tags[0]) is True
    assert result.state == "PENDING"
    r1.set(task_key(token, "release"), "1")  # the next run may finish
    # A worker starting now restores what is older than the visibility timeout; wait until
    # the message is, then start one.
    wait_for(lambda: time.time() > delivered_at + VISIBILITY_TIMEOUT + 0.5, VISIBILITY_TIMEOUT + 5, "the timeout")
    assert r0.hexists("unacked", tags[0]) is True
    second = Worker("eco-acks-2", **settings).start()
    try:
        assert result.get(timeout=30) == {"starts": 2, "redelivered": True}
        times = [float(t) for t in r1.lrange(task_key(token, "times"), 0, -1)]
        assert len(times) == 2
        assert times[1] >= delivered_at + VISIBILITY_TIMEOUT
        assert r0.llen(queue) == 0
        # Acknowledged at the end, this time (just after the result was stored).
        wait_for(lambda: unacked_tags_of(r0, result.id) == [], 10, "the acknowledgement")
    finally:
        second.stop()
