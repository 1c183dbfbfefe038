"""Settings of the job-board example, laid out as a user of the Redis-in-Django guide lays
them out: one server, one logical database per role.

| DB | role                                  | settings                                   |
|----|---------------------------------------|--------------------------------------------|
| 0  | Celery broker and result backend      | CELERY_BROKER_URL, CELERY_RESULT_BACKEND   |
| 1  | cache (django-redis, and Django's own) | CACHES["default"], CACHES["builtin"]      |
| 2  | sessions                              | CACHES["sessions"], SESSION_CACHE_ALIAS    |
| 3  | rate-limit counters                   | CACHES["ratelimit"], RATELIMIT_USE_CACHE   |
| 4  | Channels layer                        | CHANNEL_LAYERS                             |

The server comes from the environment: REDIS_HOST (default 127.0.0.1), REDIS_PORT (6379),
REDIS_PASSWORD (none). CHANNEL_LAYER=pubsub switches the Channels layer to
`RedisPubSubChannelLayer` (default: `RedisChannelLayer`). CELERY_VISIBILITY_TIMEOUT (seconds,
default 3600) is how long an unacknowledged message waits before the broker redelivers it.
"""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "jobboard-example-not-secret")
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver", "[::1]"]

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jobs.ratelimit.RateLimitMiddleware",
]

ROOT_URLCONF = "jobboard.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
WSGI_APPLICATION = "jobboard.wsgi.application"
ASGI_APPLICATION = "jobboard.asgi.application"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("JOBBOARD_SQLITE", str(BASE_DIR / "db.sqlite3")),
        # Celery workers, Daphne and the web server share the file.
        "OPTIONS": {"timeout": 20},
        # Tests run a real worker and Daphne in other processes: the test database must be a
        # file they can open too, not SQLite's in-memory default.
        "TEST": {"NAME": os.environ.get("JOBBOARD_SQLITE_TEST", str(BASE_DIR / "test-db.sqlite3"))},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_TZ = True
STATIC_URL = "static/"
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"  # not Django admin's "Logged out" page

# ─── Redis (Ferrodis) ────────────────────────────────────────────────────────────────────
REDIS_HOST = os.environ.get("REDIS_HOST", "127.0.0.1")
REDIS_PORT = int(os.environ.get("REDIS_PORT", "6379"))
REDIS_PASSWORD = os.environ.get("REDIS_PASSWORD") or None
_auth = f":{REDIS_PASSWORD}@" if REDIS_PASSWORD else ""
REDIS_URL = f"redis://{_auth}{REDIS_HOST}:{REDIS_PORT}"


def redis_url(db: int) -> str:
    """The server's URL for logical database `db`."""
    return f"{REDIS_URL}/{db}"


DJANGO_REDIS_OPTIONS = {
    "CLIENT_CLASS": "django_redis.client.DefaultClient",
    "SOCKET_CONNECT_TIMEOUT": 5,
    "SOCKET_TIMEOUT": 5,
    "RETRY_ON_TIMEOUT": True,
    "MAX_CONNECTIONS": 1000,
    "COMPRESSOR": "django_redis.compressors.zlib.ZlibCompressor",
}

CACHES = {
    # The cache: django-redis, zlib-compressed values, a project prefix, 5 minutes by default.
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": redis_url(1),
        "OPTIONS": DJANGO_REDIS_OPTIONS,
        "KEY_PREFIX": "jobboard",
        "TIMEOUT": 300,
    },
    # Django's own Redis backend, on the same database under its own prefix.
    "builtin": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": redis_url(1),
        "KEY_PREFIX": "jobboard-builtin",
        "TIMEOUT": 300,
    },
    # Sessions: their own database, so clearing the cache never logs anyone out.
    "sessions": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": redis_url(2),
        "OPTIONS": DJANGO_REDIS_OPTIONS,
        "KEY_PREFIX": "jobboard",
    },
    # Rate-limit counters (our middleware and django-ratelimit).
    "ratelimit": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": redis_url(3),
        "OPTIONS": {k: v for k, v in DJANGO_REDIS_OPTIONS.items() if k != "COMPRESSOR"},
        "KEY_PREFIX": "jobboard",
    },
}

SESSION_ENGINE = "django.contrib.sessions.backends.cache"
SESSION_CACHE_ALIAS = "sessions"
SESSION_COOKIE_AGE = 86400 * 30  # seconds: 30 days, also the session key's TTL
SESSION_SAVE_EVERY_REQUEST = False

RATELIMIT_USE_CACHE = "ratelimit"  # django-ratelimit
# Our middleware (jobs/ratelimit.py): requests per client IP per window, on /api/ paths.
RATE_LIMIT_REQUESTS = int(os.environ.get("RATE_LIMIT_REQUESTS", "50"))
RATE_LIMIT_WINDOW = int(os.environ.get("RATE_LIMIT_WINDOW", "60"))  # seconds

# ─── Celery: broker and results on database 0 ──────────────────────────────────────────────
CELERY_BROKER_URL = redis_url(0)
CELERY_RESULT_BACKEND = redis_url(0)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = CELERY_BROKER_TRANSPORT_OPTIONS
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600  # seconds
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The queue tasks go to when not routed otherwise (default "celery"). The tests give each of
# their workers its own queue, so that a worker started with another configuration (e.g. the
# other Channels layer) never takes a task meant for a different one.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "celery")

# ─── Channels: database 4 ──────────────────────────────────────────────────────────────────
# socket_timeout=None: redis-py 8 defaults to a 5-second socket timeout, which races
# channels_redis's own 5-second BZPOPMIN in receive(); without this, idle consumers see
# spurious TimeoutErrors (with Redis as with Ferrodis).
_channel_host = {"address": redis_url(4), "socket_timeout": None}
if os.environ.get("CHANNEL_LAYER", "core") == "pubsub":
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [_channel_host], "prefix": "jobboard:channels"},
        }
    }
else:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [_channel_host],
                "prefix": "jobboard:channels",
                "capacity": 1500,  # messages queued per channel
                "expiry": 10,  # seconds an unread message lives
            },
        }
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
