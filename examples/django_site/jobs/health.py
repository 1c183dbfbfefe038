"""`/health/redis/`: 200 when the server answers a cache write and read, 503 when it does not."""
from django.core.cache import cache
from django.http import JsonResponse


def redis_health_check(request):
    try:
        cache.set("health:ping", "pong", timeout=5)
        if cache.get("health:ping") != "pong":
            raise RuntimeError("read back a different value")
    except Exception as exc:  # any client error means "down"
        return JsonResponse({"redis": "down", "error": type(exc).__name__}, status=503)
    return JsonResponse({"redis": "ok"})
