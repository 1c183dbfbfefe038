"""Fixed-window rate limiting on database 3 (the guide's middleware and decorator, without
its flaw): INCR and EXPIRE NX are sent in one MULTI/EXEC, so a counter can never be left
without a TTL, and the reply's TTL gives `Retry-After`.

Key: `ratelimit:<scope>:<client ip>`; a window of RATE_LIMIT_WINDOW seconds allows
RATE_LIMIT_REQUESTS requests; the next one gets 429 with `Retry-After: <seconds left>`.
"""
import functools

from django.conf import settings
from django.http import JsonResponse
from django_redis import get_redis_connection


def hit(scope: str, ident: str, limit: int, window: int) -> tuple[bool, int]:
    """Counts one request; returns (allowed, seconds until the window resets)."""
    conn = get_redis_connection("ratelimit")
    key = f"ratelimit:{scope}:{ident}"
    with conn.pipeline(transaction=True) as pipe:
        pipe.incr(key)
        pipe.expire(key, window, nx=True)
        pipe.ttl(key)
        count, _, ttl = pipe.execute()
    return count <= limit, max(int(ttl), 1)


def client_ip(request) -> str:
    """The client's address as the server saw it (REMOTE_ADDR; no proxy headers trusted)."""
    return request.META.get("REMOTE_ADDR") or "unknown"


def too_many(retry_after: int) -> JsonResponse:
    """A 429 JSON response whose `Retry-After` is `retry_after` seconds."""
    response = JsonResponse({"detail": "rate limit exceeded"}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


class RateLimitMiddleware:
    """Limits every `/api/` request per client IP (settings RATE_LIMIT_REQUESTS per
    RATE_LIMIT_WINDOW seconds)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            allowed, retry_after = hit(
                "api", client_ip(request), settings.RATE_LIMIT_REQUESTS, settings.RATE_LIMIT_WINDOW
            )
            if not allowed:
                return too_many(retry_after)
        return self.get_response(request)


def rate_limit(scope: str, limit: int, window: int):
    """View decorator: at most `limit` calls per `window` seconds per client IP for `scope`."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            allowed, retry_after = hit(scope, client_ip(request), limit, window)
            if not allowed:
                return too_many(retry_after)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
