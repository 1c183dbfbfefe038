"""`/health/redis/`: 200 when the server answers a cache write and read, 503 when it does not."""
from django.core.cache import cache
from django.http import JsonResponse


def redis_health_check(request):
    """Writes `health:ping` (5-second TTL) through the default cache (database 1) and reads it
    back: 200 `{"redis": "ok"}`, or 503 with the client error's class name."""
    try:
        cache.set("health:ping", "pong", timeout=5)
        if cache.get("health:ping") != "pong":
            raise RuntimeError("read back a different value")
    except Exception as exc:  # any client error means "down"
        return JsonResponse({"redis": "down", "error": type(exc).__name__}, status=503)
    return JsonResponse({"redis": "ok"})
