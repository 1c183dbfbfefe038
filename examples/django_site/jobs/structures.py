"""Redis data structures beyond key/value caching, used through django-redis's raw client on
the cache database (database 1, `get_redis_connection("default")`).

The raw client bypasses the cache API, so these keys carry no KEY_PREFIX/version part; they
start with `jobboard:` by hand, which keeps them apart from the cache's `jobboard:<version>:`
keys (and out of reach of `cache.delete_pattern`). `cache.clear()` flushes database 1 and
drops them too.

| key                                    | type        | what                                    | TTL       |
|----------------------------------------|-------------|-----------------------------------------|-----------|
| jobboard:searches:user:<user id>       | list        | a user's last RECENT_SEARCHES queries   | 7 days    |
| jobboard:viewers:job:<job id>          | set         | ids of the users who viewed a job       | 7 days    |
| jobboard:unique_views:job:<id>:<day>   | HyperLogLog | distinct visitors of a job on one day   | 30 days   |
| jobboard:unique_views:job:<id>:total   | HyperLogLog | PFMERGE of the days asked for           | 30 days   |
| jobboard:leaderboard:employers         | sorted set  | employer name -> applications received  | none      |
| jobboard:employer:<employer id>        | hash        | an employer's profile fields, counters  | 1 hour    |

All TTLs are in seconds. Replies of the raw client are bytes; the functions here decode them.
"""
from __future__ import annotations

import datetime

from django_redis import get_redis_connection

RECENT_SEARCHES = 10  # entries kept per user
SEARCHES_TTL = 86400 * 7  # seconds
VIEWERS_TTL = 86400 * 7  # seconds
UNIQUE_VIEWS_TTL = 86400 * 30  # seconds
EMPLOYER_TTL = 3600  # seconds
LEADERBOARD_KEY = "jobboard:leaderboard:employers"


def redis():
    """The raw redis-py client of the cache alias (database 1; replies are bytes)."""
    return get_redis_connection("default")


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


# ─── Lists: recent searches ──────────────────────────────────────────────────────────────


def searches_key(user_id: int) -> str:
    """The list of the user's recent searches."""
    return f"jobboard:searches:user:{user_id}"


def add_recent_search(user_id: int, query: str) -> None:
    """Puts `query` at the front of the user's recent searches, keeps the newest
    RECENT_SEARCHES, and (re)starts the list's SEARCHES_TTL, all in one MULTI/EXEC
    (LPUSH, LTRIM, EXPIRE), so the list never exists uncapped or without a TTL."""
    key = searches_key(user_id)
    with redis().pipeline(transaction=True) as pipe:
        pipe.lpush(key, query)
        pipe.ltrim(key, 0, RECENT_SEARCHES - 1)
        pipe.expire(key, SEARCHES_TTL)
        pipe.execute()


def recent_searches(user_id: int) -> list[str]:
    """The user's recent searches, newest first (LRANGE 0 -1)."""
    return [_text(q) for q in redis().lrange(searches_key(user_id), 0, -1)]


# ─── Sets: who viewed a job ───────────────────────────────────────────────────────────────


def viewers_key(job_id: int) -> str:
    """The set of the ids of the users who viewed the job."""
    return f"jobboard:viewers:job:{job_id}"


def add_viewer(job_id: int, user_id: int) -> bool:
    """Records that the user viewed the job (SADD, then EXPIRE VIEWERS_TTL, in one
    MULTI/EXEC). Returns True for the user's first view, False for a repeat."""
    key = viewers_key(job_id)
    with redis().pipeline(transaction=True) as pipe:
        pipe.sadd(key, user_id)
        pipe.expire(key, VIEWERS_TTL)
        added, _ = pipe.execute()
    return added == 1


def viewer_count(job_id: int) -> int:
    """How many distinct logged-in users viewed the job (SCARD)."""
    return redis().scard(viewers_key(job_id))


def has_viewed(job_id: int, user_id: int) -> bool:
    """Whether the user viewed the job (SISMEMBER)."""
    return bool(redis().sismember(viewers_key(job_id), user_id))


# ─── HyperLogLog: unique visitors per day ─────────────────────────────────────────────────


def today() -> str:
    """The day part of the unique-view keys: the UTC date, YYYY-MM-DD."""
    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()


def unique_views_key(job_id: int, day: str) -> str:
    """The HyperLogLog of the job's distinct visitors on `day` (YYYY-MM-DD)."""
    return f"jobboard:unique_views:job:{job_id}:{day}"


def add_unique_view(job_id: int, visitor: str, day: str | None = None) -> bool:
    """Counts `visitor` (a user id or an IP address) among the job's visitors of `day`
    (default: today, UTC) with PFADD, and keeps the day's HyperLogLog for UNIQUE_VIEWS_TTL
    seconds. Returns PFADD's reply: True if the estimate changed."""
    key = unique_views_key(job_id, day or today())
    with redis().pipeline(transaction=True) as pipe:
        pipe.pfadd(key, visitor)
        pipe.expire(key, UNIQUE_VIEWS_TTL)
        changed, _ = pipe.execute()
    return bool(changed)


def unique_views(job_id: int, days: list[str]) -> int:
    """Estimated distinct visitors over `days` (PFCOUNT of several keys: the union's size,
    within HyperLogLog's error of about 0.81%; exact for small sets)."""
    return redis().pfcount(*[unique_views_key(job_id, d) for d in days])


def merge_unique_views(job_id: int, days: list[str]) -> int:
    """Stores the union of the days' HyperLogLogs under `...:total` (PFMERGE) and returns
    its estimate (PFCOUNT)."""
    dest = f"jobboard:unique_views:job:{job_id}:total"
    conn = redis()
    with conn.pipeline(transaction=True) as pipe:
        pipe.pfmerge(dest, *[unique_views_key(job_id, d) for d in days])
        pipe.expire(dest, UNIQUE_VIEWS_TTL)
        pipe.pfcount(dest)
        _, _, count = pipe.execute()
    return count


# ─── Sorted sets: employer leaderboard ────────────────────────────────────────────────────


def set_scores(scores: dict[str, float]) -> int:
    """Sets employers' scores (ZADD); returns how many employers were new."""
    return redis().zadd(LEADERBOARD_KEY, scores)


def record_application(employer_name: str, amount: float = 1.0) -> float:
    """Adds `amount` to the employer's score (ZINCRBY); returns the new score."""
    return float(redis().zincrby(LEADERBOARD_KEY, amount, employer_name))


def top_employers(n: int = 10) -> list[tuple[str, float]]:
    """The `n` highest-scoring employers, best first, as (name, score) (ZREVRANGE 0 n-1
    WITHSCORES; equal scores in reverse lexicographic order of the names)."""
    rows = redis().zrevrange(LEADERBOARD_KEY, 0, n - 1, withscores=True)
    return [(_text(name), float(score)) for name, score in rows]


def employer_rank(employer_name: str) -> int | None:
    """The employer's 0-based position from the top (ZREVRANK), None if not ranked."""
    return redis().zrevrank(LEADERBOARD_KEY, employer_name)


# ─── Hashes: employer profile ─────────────────────────────────────────────────────────────


def employer_key(employer_id: int) -> str:
    """The hash of the employer's profile fields and counters."""
    return f"jobboard:employer:{employer_id}"


def store_employer(employer_id: int, fields: dict[str, str | int]) -> int:
    """Writes the employer's profile fields (HSET mapping) and restarts the hash's
    EMPLOYER_TTL; returns how many fields were new."""
    key = employer_key(employer_id)
    with redis().pipeline(transaction=True) as pipe:
        pipe.hset(key, mapping=fields)
        pipe.expire(key, EMPLOYER_TTL)
        added, _ = pipe.execute()
    return added


def employer_field(employer_id: int, field: str) -> str | None:
    """One profile field (HGET), None if absent."""
    value = redis().hget(employer_key(employer_id), field)
    return None if value is None else _text(value)


def employer_profile(employer_id: int) -> dict[str, str]:
    """Every profile field (HGETALL); {} when the hash does not exist."""
    return {_text(k): _text(v) for k, v in redis().hgetall(employer_key(employer_id)).items()}


def bump_employer_counter(employer_id: int, field: str, amount: int = 1) -> int:
    """Adds `amount` to an integer field (HINCRBY, which creates it at 0); returns the new value."""
    return redis().hincrby(employer_key(employer_id), field, amount)


def drop_employer_field(employer_id: int, field: str) -> int:
    """Removes a field (HDEL); returns 1 if it existed, 0 if not."""
    return redis().hdel(employer_key(employer_id), field)


def load_employer(employer) -> dict[str, str]:
    """Read-through: the employer's hash, filled from the database (name, city, open job
    count) when it is missing or expired."""
    profile = employer_profile(employer.pk)
    if "name" not in profile:
        store_employer(
            employer.pk,
            {"name": employer.name, "city": employer.city, "active_jobs": employer.jobs.count()},
        )
        profile = employer_profile(employer.pk)
    return profile
