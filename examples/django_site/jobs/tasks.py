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


# ─── Tasks that show what the broker and the result backend must do ─────────────────────────
# Their bookkeeping (attempt counters, "it ran" markers) goes to database 1 through
# django-redis's raw connection, under `jobboard:task:<token>:...` keys: plain strings and
# integers, so that tests and operators can read them with any Redis client.

import time  # noqa: E402

from django.db import transaction  # noqa: E402
from django_redis import get_redis_connection  # noqa: E402

from .locks import LockTimeout, distributed_lock  # noqa: E402


def _task_key(token: str, what: str) -> str:
    """The database-1 key of a task's bookkeeping: `jobboard:task:<token>:<what>`."""
    return f"jobboard:task:{token}:{what}"


@shared_task
def add(x: int, y: int) -> int:
    """Returns x + y (the result travels back through the result backend, database 0)."""
    return x + y


@shared_task
def total(numbers: list[int]) -> int:
    """Sums `numbers`: the callback of a chord, called with the results of its group."""
    return sum(numbers)


@shared_task(bind=True, max_retries=5)
def flaky_add(self, token: str, x: int, y: int, failures: int = 2, countdown: float = 1.0) -> dict:
    """Fails its first `failures` attempts, each time asking Celery to run it again `countdown`
    seconds later (Task.retry: a new message with an ETA), then returns x + y.

    Every attempt INCRs `jobboard:task:<token>:attempts` and RPUSHes its start time (Unix
    seconds, float) to `jobboard:task:<token>:times` in database 1. Returns
    {"sum": x + y, "attempt": <1-based attempt number>, "retries": <Celery's retry count>}.
    """
    redis = get_redis_connection("default")
    attempt = redis.incr(_task_key(token, "attempts"))
    redis.rpush(_task_key(token, "times"), repr(time.time()))
    if attempt <= failures:
        raise self.retry(exc=RuntimeError(f"attempt {attempt} failed on purpose"), countdown=countdown)
    return {"sum": x + y, "attempt": attempt, "retries": self.request.retries}


@shared_task
def record_run(token: str) -> float:
    """Marks that it ran: SETs `jobboard:task:<token>:ran` (database 1) to the Unix time (float
    seconds) at which it started, and returns that time. ETA and revoke tests send it."""
    now = time.time()
    get_redis_connection("default").set(_task_key(token, "ran"), repr(now))
    return now


@shared_task
def record_order(token: str, label: str) -> str:
    """RPUSHes `label` to `jobboard:task:<token>:order` (database 1), so that a test can see in
    which order a worker ran several of these; returns `label`."""
    get_redis_connection("default").rpush(_task_key(token, "order"), label)
    return label


@shared_task(bind=True, acks_late=True)
def acks_late_job(self, token: str, wait_seconds: float = 60.0) -> dict:
    """A task acknowledged only when it finishes (acks_late), so that a worker dying in the
    middle of it leaves its message unacknowledged and the broker hands it out again once the
    visibility timeout has passed.

    Each start INCRs `jobboard:task:<token>:starts` and RPUSHes its start time (Unix seconds) to
    `jobboard:task:<token>:times` (database 1); then it waits until the key
    `jobboard:task:<token>:release` exists (polled every 0.05 s, for at most `wait_seconds`).
    Returns {"starts": <how many times it started>, "redelivered": <the broker's flag>}.
    """
    redis = get_redis_connection("default")
    starts = redis.incr(_task_key(token, "starts"))
    redis.rpush(_task_key(token, "times"), repr(time.time()))
    deadline = time.monotonic() + wait_seconds
    while not redis.exists(_task_key(token, "release")):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{_task_key(token, 'release')} never appeared")
        time.sleep(0.05)
    return {"starts": starts, "redelivered": bool(self.request.delivery_info.get("redelivered"))}


PAYOUT_LOCK_TTL_MS = 30_000  # how long one payout may hold its lock (milliseconds)


def _send_transfer(payout) -> None:
    """Stands in for the payment provider's API call (a slow, non-idempotent side effect):
    0.2 seconds of waiting."""
    time.sleep(0.2)


@shared_task(bind=True, max_retries=3)
def process_payout(self, payout_id: int, lock_wait: float = 10.0) -> str:
    """Pays payout `payout_id` exactly once, however many times the task is sent and however
    many workers run it at the same moment.

    Holds the distributed lock `payout:<id>` (key `jobboard:lock:payout:<id>` in database 1,
    TTL PAYOUT_LOCK_TTL_MS milliseconds) around read-check-pay-write. A run that cannot get the
    lock within `lock_wait` seconds gives the worker back and retries 1 second later (at most 3
    retries; the task's state is RETRY meanwhile). Returns "processed" for the run that paid,
    "already processed" for the others.
    """
    from .models import Payout

    try:
        with distributed_lock(f"payout:{payout_id}", ttl_ms=PAYOUT_LOCK_TTL_MS, timeout=lock_wait):
            payout = Payout.objects.get(pk=payout_id)
            if payout.processed:
                return "already processed"
            _send_transfer(payout)
            with transaction.atomic():
                payout.times_processed += 1
                payout.processed = True
                payout.save(update_fields=["times_processed", "processed"])
            return "processed"
    except LockTimeout as exc:
        raise self.retry(exc=exc, countdown=1)
