"""The example answers on every role's database: a first check that the wiring is right."""
import pytest
from django.core.cache import caches


def test_health_endpoint_is_200_while_the_server_runs(client):
    response = client.get("/health/redis/")
    assert response.status_code == 200
    assert response.json() == {"redis": "ok"}


def test_cache_aliases_write_to_their_databases(raw_redis):
    caches["default"].set("smoke", {"a": 1}, timeout=30)
    caches["sessions"].set("smoke", "s", timeout=30)
    caches["ratelimit"].set("smoke", "r", timeout=30)
    # django-redis keys are `<KEY_PREFIX>:<version>:<key>`.
    assert raw_redis(1).exists("jobboard:1:smoke") == 1
    assert raw_redis(2).exists("jobboard:1:smoke") == 1
    assert raw_redis(3).exists("jobboard:1:smoke") == 1
    assert 0 < raw_redis(1).ttl("jobboard:1:smoke") <= 30
    assert caches["default"].get("smoke") == {"a": 1}
