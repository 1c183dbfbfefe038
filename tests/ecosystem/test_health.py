"""`/health/redis/` (jobs/health.py): 200 while the server answers, 503 once it is stopped,
200 again after it restarts on the same port, through Django's test client and the same
django-redis connection pool throughout (its stale connections must recover)."""
import time

import pytest

DEADLINE = 15.0  # seconds to wait for the client to reconnect after the restart


@pytest.mark.restarts_server
def test_health_goes_503_when_the_server_stops_and_back_to_200(client, redis_server, raw_redis):
    response = client.get("/health/redis/")
    assert response.status_code == 200
    assert response.json() == {"redis": "ok"}
    db1 = raw_redis(1)
    assert db1.exists("jobboard:1:health:ping") == 1
    assert 1 <= db1.ttl("jobboard:1:health:ping") <= 5

    redis_server.stop()
    try:
        for _ in range(2):  # the pool's stale connections, then new ones refused
            response = client.get("/health/redis/")
            assert response.status_code == 503
            # django-redis re-raises redis-py's own error (ConnectionInterrupted.__cause__).
            assert response.json() == {"redis": "down", "error": "ConnectionError"}
    finally:
        redis_server.start()

    # Same port, same pool: the next requests reconnect.
    deadline = time.monotonic() + DEADLINE
    statuses = []
    while time.monotonic() < deadline:
        response = client.get("/health/redis/")
        statuses.append(response.status_code)
        if response.status_code == 200:
            break
        time.sleep(0.1)
    assert statuses[-1] == 200, f"still {statuses[-1]} after {DEADLINE}s: {statuses}"
    assert response.json() == {"redis": "ok"}
    # A fresh server (no persistence): the ping key is the one just written.
    assert 1 <= raw_redis(1).ttl("jobboard:1:health:ping") <= 5


def test_health_writes_and_reads_through_the_cache(client, raw_redis):
    raw_redis(1).set("jobboard:1:health:ping", "stale")
    response = client.get("/health/redis/")
    assert response.status_code == 200
    # The check wrote a fresh value with a 5-second TTL before reading it back.
    assert raw_redis(1).ttl("jobboard:1:health:ping") in (4, 5)
