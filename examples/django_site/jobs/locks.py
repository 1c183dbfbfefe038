"""Distributed locks on Redis database 1 (the cache's server connection, django-redis alias
`default`), so that one thing happens once even when many processes (Celery worker children,
web workers, cron jobs) try it at the same moment.

The lock is one string key, `jobboard:lock:<name>`, holding a random token that only the holder
knows:

* acquire: `SET key token NX PX ttl_ms`: the key is created only if nobody holds it, with an
  expiry (milliseconds) so that a holder that dies never blocks everyone forever;
* release: a Lua script deletes the key only if it still holds *our* token. A plain DEL would
  delete the lock of whoever took it after ours expired;
* extend: a Lua script pushes the expiry out, again only while the key holds our token.

The scripts run through redis-py's `Script` (EVALSHA, and SCRIPT LOAD then EVALSHA again after
a NOSCRIPT reply), so each call sends the 40-character hash, not the script.

Units: `ttl_ms` and `additional_ms` are milliseconds (Redis's PX/PEXPIRE); `timeout` and
`retry_interval` of a blocking acquire are seconds (Python's time functions).

django-redis also offers `cache.lock(name, timeout=seconds)` (redis-py's `Lock`, the same
token-checked scheme, key `jobboard:1:<name>`); this module is ours so that its behaviour when
a lock was lost is explicit: `release()` returns False and the context manager raises
`LockLost`.
"""
from __future__ import annotations

import time
import uuid
from contextlib import contextmanager

from django_redis import get_redis_connection

KEY_PREFIX = "jobboard:lock:"
DEFAULT_TTL_MS = 30_000

# KEYS[1] = lock key, ARGV[1] = our token. Returns 1 if our lock was deleted, 0 if the key is
# gone or belongs to someone else (left alone).
RELEASE_SCRIPT = """\
if redis.call('GET', KEYS[1]) == ARGV[1] then
    return redis.call('DEL', KEYS[1])
end
return 0
"""

# KEYS[1] = lock key, ARGV[1] = our token, ARGV[2] = milliseconds, ARGV[3] = '1' to set the
# remaining time to ARGV[2], '0' to add ARGV[2] to the remaining time. Returns the new
# remaining time in milliseconds, or 0 if the lock is not ours (left alone).
EXTEND_SCRIPT = """\
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
    return 0
end
local ttl = tonumber(ARGV[2])
if ARGV[3] == '0' then
    local remaining = redis.call('PTTL', KEYS[1])
    if remaining > 0 then
        ttl = ttl + remaining
    end
end
redis.call('PEXPIRE', KEYS[1], ttl)
return ttl
"""


class LockError(Exception):
    """Base class of this module's errors."""


class LockTimeout(LockError):
    """A blocking acquire gave up: someone else held the lock for the whole `timeout`."""


class LockLost(LockError):
    """The lock expired (or was taken over) while we believed we held it: the protected work
    may have overlapped with another holder's."""


class RedisLock:
    """A lock named `name`, held for at most `ttl_ms` milliseconds unless extended.

    One instance is one attempt to hold the lock; it remembers its token between `acquire()`
    and `release()`. `client` is a redis-py client; by default django-redis's connection of
    the `default` cache alias (database 1). The key is `KEY_PREFIX + name`, written without
    django-redis's key prefix or value serialisation (the token is a plain string).
    """

    def __init__(self, name: str, ttl_ms: int = DEFAULT_TTL_MS, client=None):
        if ttl_ms <= 0:
            raise ValueError("ttl_ms must be a positive number of milliseconds")
        self.name = name
        self.key = KEY_PREFIX + name
        self.ttl_ms = int(ttl_ms)
        self.client = client if client is not None else get_redis_connection("default")
        self.token: str | None = None
        self._release = self.client.register_script(RELEASE_SCRIPT)
        self._extend = self.client.register_script(EXTEND_SCRIPT)

    def acquire(self, blocking: bool = True, timeout: float | None = None, retry_interval: float = 0.05) -> bool:
        """Takes the lock (SET key token NX PX ttl_ms). Returns True once held.

        Non-blocking: one attempt. Blocking: retries every `retry_interval` seconds until it
        succeeds or, if `timeout` (seconds) is given, until `timeout` has passed (then returns
        False). Acquiring an instance that already holds its lock is an error.
        """
        if self.token is not None:
            raise LockError(f"{self.key} is already held by this instance")
        token = uuid.uuid4().hex
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            if self.client.set(self.key, token, nx=True, px=self.ttl_ms):
                self.token = token
                return True
            if not blocking:
                return False
            if deadline is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                time.sleep(min(retry_interval, remaining))
            else:
                time.sleep(retry_interval)

    def release(self) -> bool:
        """Gives the lock up. Returns True if our lock was deleted, False if it had already
        expired or belongs to another holder now (whose lock is left untouched). Either way
        this instance no longer holds it."""
        if self.token is None:
            return False
        token, self.token = self.token, None
        return self._release(keys=[self.key], args=[token]) == 1

    def extend(self, additional_ms: int, replace: bool = False) -> bool:
        """Keeps holding the lock longer: adds `additional_ms` milliseconds to the remaining
        time, or with `replace=True` sets the remaining time to `additional_ms`. Returns False
        (and changes nothing) if the lock is no longer ours."""
        if self.token is None:
            return False
        if additional_ms <= 0:
            raise ValueError("additional_ms must be a positive number of milliseconds")
        new_ttl = self._extend(keys=[self.key], args=[self.token, int(additional_ms), "1" if replace else "0"])
        return int(new_ttl) > 0

    def owned(self) -> bool:
        """True if the key still holds this instance's token (one GET)."""
        if self.token is None:
            return False
        value = self.client.get(self.key)
        if isinstance(value, bytes):
            value = value.decode()
        return value == self.token

    def locked(self) -> bool:
        """True if anyone holds the lock (EXISTS)."""
        return self.client.exists(self.key) == 1

    def __enter__(self) -> "RedisLock":
        if not self.acquire():
            raise LockTimeout(self.key)
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self.release() and exc_type is None:
            raise LockLost(self.key)


@contextmanager
def distributed_lock(name: str, ttl_ms: int = DEFAULT_TTL_MS, timeout: float | None = 10.0, client=None):
    """`with distributed_lock("payout:7"):` runs the block while holding the lock `name`.

    Waits up to `timeout` seconds (None: forever; 0: a single attempt) for the lock, else
    raises `LockTimeout`.
    Holds it for at most `ttl_ms` milliseconds (call `.extend()` on the yielded `RedisLock`
    for long work). On leaving the block the lock is released; if it had been lost meanwhile,
    `LockLost` is raised (unless the block itself raised).
    """
    lock = RedisLock(name, ttl_ms=ttl_ms, client=client)
    if not lock.acquire(blocking=True, timeout=timeout):
        raise LockTimeout(f"{lock.key}: still held by another holder after {timeout} s")
    failed = False
    try:
        yield lock
    except BaseException:
        failed = True
        raise
    finally:
        released = lock.release()
        if not released and not failed:
            raise LockLost(f"{lock.key}: expired or taken over before release")
