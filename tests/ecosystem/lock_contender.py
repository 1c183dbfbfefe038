"""One OS process contending for a `jobs.locks.RedisLock` (run by test_locks.py with
conftest.django_env(), several at once).

    python lock_contender.py try NAME DIR INDEX
        One non-blocking acquire. The winner prints `won <token>`, waits (at most 60 s) for the
        file DIR/release, releases, prints `released True|False` and exits 0; a loser prints
        `lost` and exits 1.
    python lock_contender.py count NAME DIR INDEX ROUNDS
        ROUNDS times: blocking acquire (timeout 60 s), then a deliberately non-atomic
        read-modify-write of the database-1 key `jobboard:test:counter` (GET, 10 ms pause, SET)
        and an RPUSH of `<enter> <exit>` (Unix seconds) to `jobboard:test:intervals`, then
        release. Prints `released <how many releases returned True>` and exits 0.

Both first create DIR/ready-INDEX and wait (at most 60 s) for DIR/go, so that all contenders
start together, after their slow imports.
"""
import os
import sys
import time


def wait_for_file(path: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            sys.exit(f"{path} never appeared")
        time.sleep(0.01)


def main() -> int:
    mode, name, directory, index = sys.argv[1:5]
    import django

    django.setup()
    from django_redis import get_redis_connection

    from jobs.locks import RedisLock

    redis = get_redis_connection("default")
    redis.ping()  # connect before the barrier
    open(os.path.join(directory, f"ready-{index}"), "w").close()
    wait_for_file(os.path.join(directory, "go"))

    if mode == "try":
        lock = RedisLock(name, ttl_ms=60_000, client=redis)
        if not lock.acquire(blocking=False):
            print("lost", flush=True)
            return 1
        print(f"won {lock.token}", flush=True)
        wait_for_file(os.path.join(directory, "release"))
        print(f"released {lock.release()}", flush=True)
        return 0

    if mode == "count":
        rounds = int(sys.argv[5])
        released = 0
        for _ in range(rounds):
            lock = RedisLock(name, ttl_ms=10_000, client=redis)
            if not lock.acquire(blocking=True, timeout=60, retry_interval=0.01):
                sys.exit("no lock within 60 s")
            entered = time.time()
            value = int(redis.get("jobboard:test:counter") or 0)
            time.sleep(0.01)  # widen the window a lost update would need
            redis.set("jobboard:test:counter", value + 1)
            redis.rpush("jobboard:test:intervals", f"{entered!r} {time.time()!r}")
            released += lock.release()
        print(f"released {released}", flush=True)
        return 0

    sys.exit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    sys.exit(main())
