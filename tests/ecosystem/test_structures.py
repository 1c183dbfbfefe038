"""Raw data structures on the cache database (database 1) through django-redis's raw client
(jobs/structures.py) and the JSON views over them (jobs/api.py): lists, sets, sorted sets,
HyperLogLogs and hashes. The tests check the server's exact replies."""
import pytest

from jobs import structures
from jobs.models import Application, Employer, Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def db1(raw_redis):
    return raw_redis(1)


def redis_bytes_client(r):
    """A client on the same server and database as `r`, without response decoding."""
    import redis

    kwargs = dict(r.connection_pool.connection_kwargs)
    kwargs["decode_responses"] = False
    return redis.Redis(connection_pool=redis.ConnectionPool(**kwargs))


def redis_bytes(r, key):
    """The raw bytes of `key` (HyperLogLogs are binary strings)."""
    with redis_bytes_client(r) as b:
        return b.get(key)


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", password="pw")


# ─── lists ────────────────────────────────────────────────────────────────────────────────


def test_recent_searches_are_capped_newest_first_with_a_ttl(db1):
    for i in range(12):
        structures.add_recent_search(7, f"query {i}")
    structures.add_recent_search(8, "other user")
    key = "jobboard:searches:user:7"
    assert db1.llen(key) == 10
    assert structures.recent_searches(7) == [f"query {i}" for i in range(11, 1, -1)]
    assert db1.lrange(key, 0, 2) == ["query 11", "query 10", "query 9"]
    assert structures.recent_searches(8) == ["other user"]
    assert structures.recent_searches(9) == []
    assert db1.type(key) == "list"
    assert 604_798 <= db1.ttl(key) <= 604_800
    # Duplicates are allowed: a list, not a set.
    structures.add_recent_search(8, "other user")
    assert structures.recent_searches(8) == ["other user", "other user"]


def test_search_view_remembers_a_logged_in_users_queries(client, alice, db1):
    acme = Employer.objects.create(name="Acme")
    Job.objects.create(employer=acme, title="Rust engineer")
    Job.objects.create(employer=acme, title="Python developer")
    client.force_login(alice)
    body = client.get("/api/search/", {"q": "rust"}).json()
    assert [j["title"] for j in body["results"]] == ["Rust engineer"]
    assert body["recent"] == ["rust"]
    body = client.get("/api/search/", {"q": "PYTHON"}).json()
    assert [j["title"] for j in body["results"]] == ["Python developer"]
    assert body["recent"] == ["PYTHON", "rust"]
    assert db1.lrange(f"jobboard:searches:user:{alice.pk}", 0, -1) == ["PYTHON", "rust"]


# ─── sets ─────────────────────────────────────────────────────────────────────────────────


def test_job_viewers_set(db1):
    assert structures.add_viewer(99, 1) is True
    assert structures.add_viewer(99, 2) is True
    assert structures.add_viewer(99, 1) is False  # already there
    assert structures.viewer_count(99) == 2
    assert structures.has_viewed(99, 1) is True
    assert structures.has_viewed(99, 3) is False
    assert structures.viewer_count(100) == 0
    assert db1.smembers("jobboard:viewers:job:99") == {"1", "2"}
    assert 604_798 <= db1.ttl("jobboard:viewers:job:99") <= 604_800


def test_job_view_api_counts_viewers_and_visitors(client, alice, django_user_model, db1):
    acme = Employer.objects.create(name="Acme")
    job = Job.objects.create(employer=acme, title="Rust engineer")
    bob = django_user_model.objects.create_user("bob", password="pw")
    # Anonymous: a visitor (by IP) but not a viewer.
    body = client.get(f"/api/jobs/{job.pk}/").json()
    assert body["job"]["title"] == "Rust engineer"
    assert (body["viewers"], body["unique_views_today"]) == (0, 1)
    client.force_login(alice)
    assert client.get(f"/api/jobs/{job.pk}/").json()["viewers"] == 1
    body = client.get(f"/api/jobs/{job.pk}/").json()
    assert (body["viewers"], body["unique_views_today"]) == (1, 2)
    client.force_login(bob)
    body = client.get(f"/api/jobs/{job.pk}/").json()
    assert (body["viewers"], body["unique_views_today"]) == (2, 3)
    assert db1.smembers(f"jobboard:viewers:job:{job.pk}") == {str(alice.pk), str(bob.pk)}
    assert client.get("/api/jobs/999999/").status_code == 404


# ─── sorted sets ──────────────────────────────────────────────────────────────────────────


def test_employer_leaderboard(db1):
    assert structures.set_scores({"acme_corp": 95.5, "techco": 88.0}) == 2
    assert structures.set_scores({"techco": 90.0, "initech": 12}) == 1  # one new member
    assert structures.record_application("acme_corp") == 96.5
    assert structures.record_application("newco", 2.5) == 2.5
    assert structures.top_employers(10) == [
        ("acme_corp", 96.5),
        ("techco", 90.0),
        ("initech", 12.0),
        ("newco", 2.5),
    ]
    assert structures.top_employers(2) == [("acme_corp", 96.5), ("techco", 90.0)]
    assert structures.employer_rank("acme_corp") == 0
    assert structures.employer_rank("newco") == 3
    assert structures.employer_rank("nobody") is None
    # Equal scores: reverse lexicographic order of the members.
    structures.set_scores({"aaa": 50, "bbb": 50, "ccc": 50})
    assert [name for name, _ in structures.top_employers(10)][2:5] == ["ccc", "bbb", "aaa"]
    assert db1.zscore(structures.LEADERBOARD_KEY, "acme_corp") == 96.5
    assert db1.zcard(structures.LEADERBOARD_KEY) == 7
    assert db1.ttl(structures.LEADERBOARD_KEY) == -1


def test_applications_feed_the_leaderboard_view(client, django_user_model):
    acme = Employer.objects.create(name="Acme")
    initech = Employer.objects.create(name="Initech")
    jobs = [Job.objects.create(employer=acme, title=f"A{i}") for i in range(2)]
    other = Job.objects.create(employer=initech, title="I")
    users = [django_user_model.objects.create_user(f"u{i}", password="pw") for i in range(3)]
    for u in users:
        Application.objects.create(job=jobs[0], user=u)  # post_save: ZINCRBY Acme 1
    Application.objects.create(job=jobs[1], user=users[0])
    Application.objects.create(job=other, user=users[1])
    assert client.get("/api/leaderboard/").json() == {
        "employers": [
            {"employer": "Acme", "score": 4.0, "rank": 1},
            {"employer": "Initech", "score": 1.0, "rank": 2},
        ]
    }
    body = client.get(f"/api/employers/{initech.pk}/").json()
    assert body["rank"] == 2


# ─── HyperLogLog ──────────────────────────────────────────────────────────────────────────


def test_unique_views_small_sets_are_exact(db1):
    assert structures.add_unique_view(99, "user:1", day="2026-01-01") is True
    assert structures.add_unique_view(99, "user:2", day="2026-01-01") is True
    assert structures.add_unique_view(99, "user:1", day="2026-01-01") is False  # no change
    assert structures.add_unique_view(99, "user:3", day="2026-01-02") is True
    assert structures.add_unique_view(99, "user:2", day="2026-01-02") is True
    assert structures.unique_views(99, ["2026-01-01"]) == 2
    assert structures.unique_views(99, ["2026-01-02"]) == 2
    assert structures.unique_views(99, ["2026-01-01", "2026-01-02"]) == 3  # the union
    assert structures.unique_views(99, ["2026-01-03"]) == 0
    assert structures.merge_unique_views(99, ["2026-01-01", "2026-01-02"]) == 3
    assert db1.pfcount("jobboard:unique_views:job:99:total") == 3
    assert 2_591_998 <= db1.ttl("jobboard:unique_views:job:99:total") <= 2_592_000
    assert 2_591_998 <= db1.ttl("jobboard:unique_views:job:99:2026-01-01") <= 2_592_000
    # A HyperLogLog is a string the server recognises as one.
    assert db1.type("jobboard:unique_views:job:99:2026-01-01") == "string"
    assert db1.getrange("jobboard:unique_views:job:99:2026-01-01", 0, 3) == "HYLL"


def test_unique_views_large_sets_are_within_hll_error(db1):
    r = db1
    day1 = "jobboard:unique_views:job:5:2026-02-01"
    day2 = "jobboard:unique_views:job:5:2026-02-02"
    # Day 1: visitors 0..5999; day 2: visitors 3000..8999 (3000 in common); union 9000.
    for start in range(0, 6000, 1000):
        r.pfadd(day1, *[f"visitor:{i}" for i in range(start, start + 1000)])
    for start in range(3000, 9000, 1000):
        r.pfadd(day2, *[f"visitor:{i}" for i in range(start, start + 1000)])
    c1 = structures.unique_views(5, ["2026-02-01"])
    c2 = structures.unique_views(5, ["2026-02-02"])
    union = structures.unique_views(5, ["2026-02-01", "2026-02-02"])
    # Standard error 0.81%; 3% is well beyond three standard deviations.
    assert abs(c1 - 6000) <= 180
    assert abs(c2 - 6000) <= 180
    assert abs(union - 9000) <= 270
    # The estimate is deterministic (MurmurHash64A with Redis' seed, Redis' estimator): these
    # are Redis 7's exact replies, so a server whose HyperLogLogs are interchangeable with
    # Redis' (a value copied between servers with GET/SET) gives exactly these.
    assert (c1, c2, union) == (6007, 6014, 8989)
    raw = redis_bytes(db1, day1)
    assert raw[:5] == b"HYLL\x00" and len(raw) == 16 + 16384 * 6 // 8  # dense: 16384 6-bit registers
    # PFMERGE stores exactly the union PFCOUNT computed on the fly.
    assert structures.merge_unique_views(5, ["2026-02-01", "2026-02-02"]) == union
    # A HyperLogLog copied byte for byte (GET, SET) is the same HyperLogLog.
    with redis_bytes_client(db1) as b:
        b.set("jobboard:copy", raw)
    assert r.pfcount("jobboard:copy") == c1
    # Re-adding known visitors changes nothing.
    assert r.pfadd(day1, *[f"visitor:{i}" for i in range(100)]) == 0
    assert structures.unique_views(5, ["2026-02-01"]) == c1


# ─── hashes ───────────────────────────────────────────────────────────────────────────────


def test_employer_hash(db1):
    assert structures.store_employer(42, {"name": "Acme Corp", "plan": "premium", "active_jobs": 5}) == 3
    assert structures.store_employer(42, {"plan": "basic", "city": "Lyon"}) == 1  # one new field
    assert structures.employer_field(42, "name") == "Acme Corp"
    assert structures.employer_field(42, "missing") is None
    assert structures.employer_profile(42) == {
        "name": "Acme Corp",
        "plan": "basic",
        "active_jobs": "5",
        "city": "Lyon",
    }
    assert structures.bump_employer_counter(42, "active_jobs") == 6
    assert structures.bump_employer_counter(42, "active_jobs", -2) == 4
    assert structures.bump_employer_counter(42, "views") == 1  # created at 0
    assert structures.drop_employer_field(42, "plan") == 1
    assert structures.drop_employer_field(42, "plan") == 0
    assert db1.hgetall("jobboard:employer:42") == {
        "name": "Acme Corp",
        "active_jobs": "4",
        "city": "Lyon",
        "views": "1",
    }
    assert db1.hlen("jobboard:employer:42") == 4
    assert 3598 <= db1.ttl("jobboard:employer:42") <= 3600
    assert structures.employer_profile(43) == {}


def test_employer_view_reads_through_the_hash(client, db1, django_assert_num_queries):
    acme = Employer.objects.create(name="Acme", city="Lyon")
    Job.objects.create(employer=acme, title="A")
    Job.objects.create(employer=acme, title="B")
    body = client.get(f"/api/employers/{acme.pk}/").json()
    assert body == {
        "employer": {"name": "Acme", "city": "Lyon", "active_jobs": "2", "views": "1"},
        "rank": None,
    }
    # The second read takes the hash: one query (the employer row), no job count.
    with django_assert_num_queries(1):
        body = client.get(f"/api/employers/{acme.pk}/").json()
    assert body["employer"]["views"] == "2"
    # Saving the employer drops the hash (post_save): the next read refills it.
    acme.city = "Paris"
    acme.save()
    assert db1.exists(f"jobboard:employer:{acme.pk}") == 0
    body = client.get(f"/api/employers/{acme.pk}/").json()
    assert body["employer"] == {"name": "Acme", "city": "Paris", "active_jobs": "2", "views": "1"}
