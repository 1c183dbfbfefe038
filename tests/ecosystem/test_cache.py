"""The cache role (database 1): django-redis (`default`: zlib, KEY_PREFIX `jobboard`, TIMEOUT
300 s) and Django's own Redis backend (`builtin`, prefix `jobboard-builtin`) on one database.

Every test looks at the raw keys in database 1 (`<prefix>:<version>:<key>`), their TTLs and
stored bytes, so it checks what the server did, not only what the client library returns.
"""
import pickle
import re
import zlib

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobs import services
from jobs.models import Application, Employer, Job

pytestmark = pytest.mark.django_db


def keys(r, pattern="*"):
    """The sorted key names matching `pattern` (SCAN, so the server's cursor code runs too)."""
    return sorted(r.scan_iter(match=pattern, count=10))


@pytest.fixture
def db1(raw_redis):
    return raw_redis(1)


@pytest.fixture
def db1_bytes(redis_server):
    import redis

    import serverctl

    client = redis.Redis(host=serverctl.HOST, port=redis_server.port, db=1)
    yield client
    client.close()


@pytest.fixture
def acme(db):
    return Employer.objects.create(name="Acme", city="Lyon")


@pytest.fixture
def jobs(acme):
    """Two jobs of Acme (created in this order: the list shows the second first)."""
    return [
        Job.objects.create(employer=acme, title="Rust engineer", salary=90000, description="x" * 50),
        Job.objects.create(employer=acme, title="Django developer", salary=70000),
    ]


# ─── cache-aside, get_or_set ──────────────────────────────────────────────────────────────


def test_cache_aside_get_job_caches_the_row_and_a_hit_runs_no_sql(jobs, db1, django_assert_num_queries):
    job = jobs[0]
    with django_assert_num_queries(1):
        first = services.get_job(job.pk)
    assert first == {
        "id": job.pk,
        "title": "Rust engineer",
        "employer": "Acme",
        "salary": 90000,
        "description": "x" * 50,
    }
    key = f"jobboard:1:job:{job.pk}"
    assert keys(db1, "jobboard:1:job:*") == [key]
    assert services.JOB_TTL - 2 <= db1.ttl(key) <= services.JOB_TTL
    with django_assert_num_queries(0):
        assert services.get_job(job.pk) == first
    # A missing job is not cached (nothing to cache) and costs one query each time.
    with django_assert_num_queries(1):
        assert services.get_job(10**6) is None
    assert db1.exists(f"jobboard:1:job:{10**6}") == 0


def test_job_detail_page_reads_through_the_cache(client, jobs, db1):
    job = jobs[1]
    with CaptureQueriesContext(connection) as queries:
        assert b"Django developer" in client.get(f"/jobs/{job.pk}/").content
    assert len(queries) == 1
    assert db1.exists(f"jobboard:1:job:{job.pk}") == 1
    with CaptureQueriesContext(connection) as queries:
        assert b"Django developer" in client.get(f"/jobs/{job.pk}/").content
    assert len(queries) == 0
    job.delete()  # post_delete drops the entry: the page is a 404 at once
    assert db1.exists(f"jobboard:1:job:{job.pk}") == 0
    assert client.get(f"/jobs/{job.pk}/").status_code == 404


def test_stored_values_are_zlib_compressed_pickles_and_integers_stay_plain(db1_bytes):
    big = {"description": "Ferrodis " * 2000, "tags": list(range(100))}
    cache.set("big", big)
    raw = db1_bytes.get("jobboard:1:big")
    assert raw[:2] == b"\x78\x9c"  # zlib stream, compression level 6 (django-redis preset)
    assert pickle.loads(zlib.decompress(raw)) == big
    assert len(raw) < len(pickle.dumps(big, pickle.HIGHEST_PROTOCOL)) // 10
    # The default TIMEOUT (300 s) becomes a PX of 300000 ms.
    assert 298_000 <= db1_bytes.pttl("jobboard:1:big") <= 300_000
    # Integers are stored as plain numbers, so the server's INCRBY works on them.
    cache.set("n", 41)
    assert db1_bytes.get("jobboard:1:n") == b"41"
    assert db1_bytes.incr("jobboard:1:n") == 42
    assert cache.get("n") == 42
    # Values of 15 bytes or less (after pickling) are stored uncompressed.
    cache.set("tiny", b"")
    raw_tiny = db1_bytes.get("jobboard:1:tiny")
    assert len(raw_tiny) <= 15 and pickle.loads(raw_tiny) == b""


def test_get_or_set_list_runs_the_query_once(jobs, db1, django_assert_num_queries):
    with django_assert_num_queries(1):
        listed = services.list_jobs()
    assert [j["title"] for j in listed] == ["Django developer", "Rust engineer"]
    # The fixtures' saves bumped the generation by signal: creating the employer set it to 2
    # (there was none), each of the two jobs added 1.
    assert db1.get("jobboard:1:jobs:list:generation") == "4"
    assert keys(db1, "jobboard:1:jobs:*") == ["jobboard:1:jobs:list:generation", "jobboard:1:jobs:list:v4"]
    assert db1.ttl("jobboard:1:jobs:list:generation") == -1  # timeout=None: no expiry
    assert services.JOB_TTL - 2 <= db1.ttl("jobboard:1:jobs:list:v4") <= services.JOB_TTL
    with django_assert_num_queries(0):
        assert services.list_jobs() == listed
    # get_or_set with a value that is already there returns the cached one, untouched.
    assert cache.get_or_set("jobs:list:v4", ["ignored"]) == listed


def test_get_or_set_starts_the_generation_at_1(db1):
    assert services.list_jobs() == []
    assert db1.get("jobboard:1:jobs:list:generation") == "1"
    assert db1.exists("jobboard:1:jobs:list:v1") == 1


def test_version_bump_invalidates_every_list_at_once(jobs, db1, django_assert_num_queries):
    services.list_jobs()
    assert db1.get("jobboard:1:jobs:list:generation") == "4"
    services.invalidate_all_jobs()
    assert db1.get("jobboard:1:jobs:list:generation") == "5"
    # The old generation's entry is left to expire; readers no longer look at it.
    assert db1.exists("jobboard:1:jobs:list:v4") == 1
    with django_assert_num_queries(1):
        services.list_jobs()
    assert db1.exists("jobboard:1:jobs:list:v5") == 1


def test_invalidate_all_jobs_without_a_generation_starts_at_2(db1):
    services.invalidate_all_jobs()  # incr of a missing key raises ValueError: set 2
    assert db1.get("jobboard:1:jobs:list:generation") == "2"
    assert db1.ttl("jobboard:1:jobs:list:generation") == -1


# ─── invalidation by signals ──────────────────────────────────────────────────────────────


def test_saving_a_job_drops_its_entries_by_signal(acme, jobs, db1):
    other = Employer.objects.create(name="Initech")
    other_job = Job.objects.create(employer=other, title="COBOL maintainer")
    services.get_job(jobs[0].pk)
    services.get_job(jobs[1].pk)
    services.employer_jobs(acme.pk)
    services.employer_jobs(other.pk)
    cache.set(f"employer:{acme.pk}:jobs:page:2", ["p2"])
    services.list_jobs()
    generation = int(db1.get("jobboard:1:jobs:list:generation"))

    jobs[0].title = "Senior Rust engineer"
    jobs[0].save()  # post_save

    assert db1.exists(f"jobboard:1:job:{jobs[0].pk}") == 0
    assert db1.exists(f"jobboard:1:job:{jobs[1].pk}") == 1  # another job's entry stays
    # delete_pattern("employer:<acme>:*") took both of Acme's keys, none of Initech's.
    assert keys(db1, "jobboard:1:employer:*") == [f"jobboard:1:employer:{other.pk}:jobs"]
    assert db1.get("jobboard:1:jobs:list:generation") == str(generation + 1)
    assert services.get_job(jobs[0].pk)["title"] == "Senior Rust engineer"
    assert [j["title"] for j in services.list_jobs()][-1] == "Senior Rust engineer"

    services.employer_jobs(acme.pk)
    other_job.delete()  # post_delete
    assert keys(db1, "jobboard:1:employer:*") == [f"jobboard:1:employer:{acme.pk}:jobs"]
    assert db1.get("jobboard:1:jobs:list:generation") == str(generation + 2)


def test_per_user_key_for_a_users_applications(jobs, db1, django_user_model, django_assert_num_queries):
    alice = django_user_model.objects.create_user("alice", password="pw")
    bob = django_user_model.objects.create_user("bob", password="pw")
    Application.objects.create(job=jobs[0], user=alice)
    with django_assert_num_queries(1):
        mine = services.user_applications(alice.pk)
    assert [a["title"] for a in mine] == ["Rust engineer"]
    assert services.user_applications(bob.pk) == []
    assert keys(db1, "jobboard:1:user:*") == sorted(
        [f"jobboard:1:user:{alice.pk}:applications", f"jobboard:1:user:{bob.pk}:applications"]
    )
    ttl = db1.ttl(f"jobboard:1:user:{alice.pk}:applications")
    assert services.USER_TTL - 2 <= ttl <= services.USER_TTL
    with django_assert_num_queries(0):
        assert services.user_applications(alice.pk) == mine
    # A new application of Alice's drops her keys only (post_save -> delete_pattern).
    cache.set(f"user:{alice.pk}:other", 1)
    Application.objects.create(job=jobs[1], user=alice)
    assert keys(db1, "jobboard:1:user:*") == [f"jobboard:1:user:{bob.pk}:applications"]
    assert [a["title"] for a in services.user_applications(alice.pk)] == ["Django developer", "Rust engineer"]


def test_my_applications_page_is_cached_per_user(client, jobs, db1, django_user_model):
    alice = django_user_model.objects.create_user("alice", password="pw")
    Application.objects.create(job=jobs[1], user=alice)
    client.force_login(alice)
    response = client.get("/my/applications/")
    assert response.status_code == 200
    assert b"Django developer" in response.content
    assert db1.exists(f"jobboard:1:user:{alice.pk}:applications") == 1
    # Change the database behind the cache's back (update() sends no signal): the page
    # still shows the cached title until the per-user key is dropped.
    Job.objects.filter(pk=jobs[1].pk).update(title="Renamed")
    assert b"Django developer" in client.get("/my/applications/").content
    assert services.invalidate_user(alice.pk) == 1
    assert b"Renamed" in client.get("/my/applications/").content


# ─── cache_page ───────────────────────────────────────────────────────────────────────────


def test_cache_page_on_the_job_list(client, jobs, db1):
    first = client.get("/")
    assert first.status_code == 200
    assert b"Rust engineer" in first.content
    page_keys = keys(db1, "jobboard:1:views.decorators.cache.cache_page.*")
    header_keys = keys(db1, "jobboard:1:views.decorators.cache.cache_header.*")
    assert len(page_keys) == 1 and len(header_keys) == 1
    assert re.fullmatch(r"jobboard:1:views\.decorators\.cache\.cache_page\.\.GET\.[0-9a-f]{32}\.[0-9a-f]{32}\.en-us\.UTC", page_keys[0])
    for key in page_keys + header_keys:
        assert 15 * 60 - 2 <= db1.ttl(key) <= 15 * 60
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/")
    assert len(queries) == 0  # served from the cache: no view, no SQL
    assert second.content == first.content
    assert "max-age=900" in second["Cache-Control"]

    # A new job drops the cached page (post_save -> delete_pattern on cache_page's keys).
    Job.objects.create(employer=jobs[0].employer, title="Site reliability engineer")
    assert keys(db1, "jobboard:1:views.decorators.cache.cache_*") == []
    assert b"Site reliability engineer" in client.get("/").content


# ─── the cache API, key by key ────────────────────────────────────────────────────────────


def test_versioning_and_incr_version(db1):
    cache.set("jobs_list", ["a", "b"], timeout=120, version=2)
    assert keys(db1, "jobboard:*:jobs_list") == ["jobboard:2:jobs_list"]
    assert cache.get("jobs_list", version=2) == ["a", "b"]
    assert cache.get("jobs_list") is None  # version 1
    assert cache.incr_version("jobs_list", version=2) == 3
    # The value moved to version 3 with its TTL; version 2 is gone.
    assert keys(db1, "jobboard:*:jobs_list") == ["jobboard:3:jobs_list"]
    assert 115 <= db1.ttl("jobboard:3:jobs_list") <= 120
    assert cache.get("jobs_list", version=2) is None
    assert cache.get("jobs_list", version=3) == ["a", "b"]
    with pytest.raises(ValueError):
        cache.incr_version("missing")
    assert cache.delete("jobs_list", version=3) is True
    assert keys(db1, "jobboard:*") == []


def test_set_many_get_many_delete_many(db1):
    cache.set_many({"user:42:profile": {"n": "Ann"}, "user:42:jobs": [1, 2], "user:42:alerts": 3}, timeout=90)
    assert keys(db1) == ["jobboard:1:user:42:alerts", "jobboard:1:user:42:jobs", "jobboard:1:user:42:profile"]
    for key in keys(db1):
        assert 88 <= db1.ttl(key) <= 90
    got = cache.get_many(["user:42:profile", "user:42:jobs", "user:42:missing", "user:42:alerts"])
    assert got == {"user:42:profile": {"n": "Ann"}, "user:42:jobs": [1, 2], "user:42:alerts": 3}
    assert cache.delete_many(["user:42:profile", "user:42:jobs", "user:42:missing"]) == 2
    assert keys(db1) == ["jobboard:1:user:42:alerts"]


def test_delete_pattern_only_touches_matching_keys(db1):
    for i in range(25):
        cache.set(f"feed:user:7:page:{i}", i)
    cache.set("feed:user:8:page:0", 0)
    cache.set("feed:user:7", "not a page")
    assert cache.delete_pattern("feed:user:7:*", itersize=7) == 25
    assert keys(db1) == ["jobboard:1:feed:user:7", "jobboard:1:feed:user:8:page:0"]
    assert cache.delete_pattern("nothing:*") == 0


def test_add_is_first_write_wins(db1):
    assert cache.add("lock:job:99", "first", timeout=30) is True
    assert cache.add("lock:job:99", "second", timeout=30) is False
    assert cache.get("lock:job:99") == "first"
    assert 28 <= db1.ttl("jobboard:1:lock:job:99") <= 30


def test_incr_decr_keep_the_ttl(db1):
    with pytest.raises(ValueError):
        cache.incr("views:job:42")
    assert db1.exists("jobboard:1:views:job:42") == 0  # a failed incr creates nothing
    cache.set("views:job:42", 0, timeout=86400)
    assert cache.incr("views:job:42") == 1
    assert cache.incr("views:job:42", 5) == 6
    assert cache.decr("views:job:42") == 5
    assert cache.decr("views:job:42", 10) == -5
    assert db1.get("jobboard:1:views:job:42") == "-5"
    assert 86398 <= db1.ttl("jobboard:1:views:job:42") <= 86400
    assert cache.incr("counter:new", 3, ignore_key_check=True) == 3
    assert db1.ttl("jobboard:1:counter:new") == -1


def test_touch_and_ttl(db1):
    cache.set("profile", {"a": 1})  # default TIMEOUT: 300 s
    assert 298 <= cache.ttl("profile") <= 300
    assert cache.touch("profile", 30) is True
    assert 28 <= db1.ttl("jobboard:1:profile") <= 30
    assert 28_000 <= cache.pttl("profile") <= 30_000
    assert cache.touch("profile", None) is True  # PERSIST
    assert db1.ttl("jobboard:1:profile") == -1
    assert cache.ttl("profile") is None
    assert cache.touch("missing", 30) is False
    assert cache.ttl("missing") == 0
    assert cache.has_key("profile") and not cache.has_key("missing")
    cache.set("gone", 1, timeout=0)  # timeout 0: deleted at once
    assert db1.exists("jobboard:1:gone") == 0


def test_builtin_backend_shares_database_1(db1, db1_bytes):
    builtin = caches["builtin"]
    builtin.set("shared", {"from": "builtin"}, timeout=60)
    cache.set("shared", {"from": "django-redis"}, timeout=60)
    assert keys(db1) == ["jobboard-builtin:1:shared", "jobboard:1:shared"]
    # Django's backend pickles without compression; django-redis compresses.
    assert pickle.loads(db1_bytes.get("jobboard-builtin:1:shared")) == {"from": "builtin"}
    assert pickle.loads(zlib.decompress(db1_bytes.get("jobboard:1:shared"))) == {"from": "django-redis"}
    assert builtin.get("shared") == {"from": "builtin"}
    assert cache.get("shared") == {"from": "django-redis"}
    assert 58 <= db1.ttl("jobboard-builtin:1:shared") <= 60

    # Both store integers as plain numbers: one counter, read and bumped by either backend.
    builtin.set("hits", 10, timeout=None)
    assert db1.get("jobboard-builtin:1:hits") == "10"
    assert db1.ttl("jobboard-builtin:1:hits") == -1
    assert builtin.incr("hits", 5) == 15
    assert cache.get("hits", version=1) is None  # another prefix: another key
    assert cache.incr("hits", 1, ignore_key_check=True) == 1
    assert builtin.get_many(["hits", "shared", "nope"]) == {"hits": 15, "shared": {"from": "builtin"}}
    builtin.set_many({"a": 1, "b": "two"}, timeout=45)
    assert 43 <= db1.ttl("jobboard-builtin:1:b") <= 45
    builtin.delete_many(["a", "b"])
    assert builtin.add("hits", 0) is False
    assert builtin.touch("shared", 10) is True
    assert 8 <= db1.ttl("jobboard-builtin:1:shared") <= 10

    # django-redis' delete_pattern stays inside its own prefix ...
    assert cache.delete_pattern("*") == 2
    assert keys(db1) == ["jobboard-builtin:1:hits", "jobboard-builtin:1:shared"]
    # ... but either backend's clear() is FLUSHDB: it empties database 1 for both.
    cache.set("again", 1)
    builtin.clear()
    assert db1.dbsize() == 0


# ─── django-redis beyond Django's cache API ───────────────────────────────────────────────


def test_keys_iter_keys_and_glob_escaping(db1):
    for name in ("job:1", "job:2", "job:10", "job:[x]", "job:*", "employer:1"):
        cache.set(name, 1)
    assert sorted(cache.keys("job:*")) == ["job:*", "job:1", "job:10", "job:2", "job:[x]"]
    assert sorted(cache.iter_keys("job:?", itersize=2)) == ["job:*", "job:1", "job:2"]
    assert sorted(cache.keys("job:[12]")) == ["job:1", "job:2"]  # a class, in the pattern
    assert cache.keys("job:\\[x\\]") == ["job:[x]"]  # escaped: literal brackets
    assert cache.keys("job:\\*") == ["job:*"]
    # keys() only sees this alias' prefix: the builtin alias' job:1 is another key.
    caches["builtin"].set("job:1", 1)
    assert cache.keys("job:1") == ["job:1"]
    assert cache.delete_pattern("job:[x]") == 0  # the class [x] matches job:x, not job:[x]
    assert cache.delete_pattern("job:\\[x\\]") == 1
    assert sorted(db1.keys("*:job:*")) == [
        "jobboard-builtin:1:job:1",
        "jobboard:1:job:*",
        "jobboard:1:job:1",
        "jobboard:1:job:10",
        "jobboard:1:job:2",
    ]


def test_expire_pexpire_expire_at_persist(db1):
    import datetime

    cache.set("k", "v", timeout=None)
    assert db1.ttl("jobboard:1:k") == -1
    assert cache.expire("k", 100) is True
    assert 98 <= db1.ttl("jobboard:1:k") <= 100
    assert cache.pexpire("k", 5_500) is True
    assert 5_000 <= db1.pttl("jobboard:1:k") <= 5_500
    at = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=1000)
    assert cache.expire_at("k", at) is True
    assert 997 <= db1.ttl("jobboard:1:k") <= 1000
    assert cache.pexpire_at("k", at + datetime.timedelta(seconds=1000)) is True
    assert 1997 <= db1.ttl("jobboard:1:k") <= 2000
    assert cache.persist("k") is True
    assert db1.ttl("jobboard:1:k") == -1
    assert cache.persist("k") is False  # no TTL to remove
    assert cache.expire("missing", 10) is False
    # A time in the past deletes the key.
    assert cache.expire_at("k", at - datetime.timedelta(days=1)) is True
    assert db1.exists("jobboard:1:k") == 0


def test_cache_level_sets_sorted_sets_and_hashes(db1):
    """django-redis' set, sorted-set and hash methods: prefixed keys, pickled members."""
    assert cache.sadd("tags", "rust", "django", "rust") == 2
    assert cache.sadd("tags2", "django", "celery") == 2
    assert cache.scard("tags") == 2
    assert cache.smembers("tags") == {"rust", "django"}
    assert cache.sismember("tags", "rust") is True
    assert cache.smismember("tags", "rust", "go") == [True, False]
    assert cache.sinter("tags", "tags2") == {"django"}
    assert cache.sunion("tags", "tags2") == {"rust", "django", "celery"}
    assert cache.sdiff("tags", "tags2") == {"rust"}
    assert cache.sinterstore("both", "tags", "tags2") == 1
    assert cache.smembers("both") == {"django"}
    assert cache.srem("tags", "rust") == 1
    assert db1.type("jobboard:1:tags") == "set" and db1.scard("jobboard:1:tags") == 1

    assert cache.zadd("scores", {"a": 1, "b": 2, "c": 3}) == 3
    assert cache.zincrby("scores", 5, "a") == 6.0
    assert cache.zrange("scores", 0, -1, withscores=True) == [("b", 2.0), ("c", 3.0), ("a", 6.0)]
    assert cache.zrevrange("scores", 0, 0) == ["a"]
    assert cache.zrangebyscore("scores", 2, 3) == ["b", "c"]
    assert cache.zcount("scores", "-inf", "+inf") == 3
    assert cache.zrank("scores", "c") == 1
    assert cache.zscore("scores", "c") == 3.0
    assert cache.zpopmin("scores") == ("b", 2.0)
    assert cache.zpopmax("scores", 1) == [("a", 6.0)]
    assert cache.zcard("scores") == 1
    assert db1.type("jobboard:1:scores") == "zset"

    assert cache.hset("emp", "name", "Acme") == 1
    assert cache.hset("emp", mapping={"city": "Lyon", "jobs": 3}) == 2
    assert cache.hlen("emp") == 3
    assert sorted(cache.hkeys("emp")) == ["city", "jobs", "name"]
    assert cache.hexists("emp", "city") is True
    assert cache.hdel("emp", "city") == 1
    assert cache.hexists("emp", "city") is False
    assert db1.hget("jobboard:1:emp", "jobs") == "3"  # integers stay plain here too
