"""Rate limiting on database 3: our fixed-window middleware and decorator (jobs/ratelimit.py:
INCR, EXPIRE NX and TTL in one MULTI/EXEC) and django-ratelimit (RATELIMIT_USE_CACHE =
"ratelimit").

The main test sends 200 requests at once, from a thread pool, to a real threaded HTTP server
(Django's ThreadedWSGIServer, the one behind pytest-django's `live_server`, started in this
process with a listen backlog large enough for the burst) with a limit of 50 per window: exactly 50 pass, 150 get 429
with a `Retry-After` inside the window, the counter ends at 200, and it never exists without
a TTL while the requests run.
"""
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django_ratelimit import ALL
from django_ratelimit.core import _get_window, _make_cache_key

from jobs import api, ratelimit
from jobs.models import Employer, Job

WINDOW = settings.RATE_LIMIT_WINDOW  # seconds


@pytest.fixture
def db3(raw_redis):
    return raw_redis(3)


@pytest.fixture
def wsgi_server(transactional_db):
    """The project's WSGI application in Django's ThreadedWSGIServer (a thread per request)
    on a free port of 127.0.0.1; yields its base URL. `live_server` is the same server with
    a listen backlog of 10: a burst of 50 connections overflows it and the kernel drops SYNs
    that the clients resend a second later, which only makes the test slow."""
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class Server(ThreadedWSGIServer):
        request_queue_size = 256

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    httpd = Server(("127.0.0.1", 0), QuietHandler, allow_reuse_address=False)
    httpd.set_app(get_wsgi_application())
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


def fetch(url: str) -> tuple[int, str | None]:
    """GET `url`; returns (status, Retry-After header)."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()
            return response.status, response.headers.get("Retry-After")
    except urllib.error.HTTPError as err:
        err.read()
        return err.code, err.headers.get("Retry-After")


def test_200_concurrent_requests_against_a_limit_of_50(wsgi_server, raw_redis):
    assert settings.RATE_LIMIT_REQUESTS == 50 and WINDOW == 60
    acme = Employer.objects.create(name="Acme")
    Job.objects.create(employer=acme, title="Rust engineer")
    db3 = raw_redis(3)
    watcher_client = raw_redis(3)
    url = wsgi_server + "/api/jobs/"

    # Watch the counter while the requests run: it must never exist without a TTL (-1).
    stop = threading.Event()
    observed = {"with_ttl": 0, "without_ttl": 0}

    def watch():
        while not stop.is_set():
            for key in watcher_client.scan_iter(match="ratelimit:api:*"):
                ttl = watcher_client.ttl(key)
                if ttl == -1:
                    observed["without_ttl"] += 1
                elif ttl > 0:
                    observed["with_ttl"] += 1

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    start = threading.Barrier(50)

    def one(_):
        try:
            start.wait(timeout=30)  # the first 50 leave together
        except threading.BrokenBarrierError:
            pass
        return fetch(url)

    try:
        with ThreadPoolExecutor(max_workers=50) as pool:
            results = list(pool.map(one, range(200)))
    finally:
        stop.set()
        watcher.join(timeout=10)

    statuses = [status for status, _ in results]
    assert statuses.count(200) == 50
    assert statuses.count(429) == 150
    retry_after = [int(value) for status, value in results if status == 429]
    assert len(retry_after) == 150 and all(1 <= v <= WINDOW for v in retry_after)
    assert all(value is None for status, value in results if status == 200)

    counters = list(db3.scan_iter(match="ratelimit:api:*"))
    assert len(counters) == 1  # one client address
    key = counters[0]
    assert key == "ratelimit:api:127.0.0.1"
    assert db3.get(key) == "200"
    assert 0 < db3.ttl(key) <= WINDOW
    assert observed["without_ttl"] == 0
    assert observed["with_ttl"] > 0  # the watcher did see the counter


def test_middleware_only_counts_api_paths(client, db3, db):
    assert client.get("/api/jobs/").status_code == 200
    assert client.get("/health/redis/").status_code == 200
    assert client.get("/").status_code == 200
    assert db3.keys("*") == ["ratelimit:api:127.0.0.1"]
    assert db3.get("ratelimit:api:127.0.0.1") == "1"
    assert WINDOW - 2 <= db3.ttl("ratelimit:api:127.0.0.1") <= WINDOW


def test_middleware_returns_429_with_retry_after(client, db3, db):
    db3.set("ratelimit:api:127.0.0.1", 50, ex=42)  # the window's 50 requests are spent
    response = client.get("/api/jobs/")
    assert response.status_code == 429
    assert response.json() == {"detail": "rate limit exceeded"}
    assert 40 <= int(response["Retry-After"]) <= 42
    assert db3.get("ratelimit:api:127.0.0.1") == "51"
    # Another client address has its own counter.
    assert client.get("/api/jobs/", REMOTE_ADDR="10.0.0.2").status_code == 200
    assert db3.get("ratelimit:api:10.0.0.2") == "1"


def test_hit_starts_the_window_once_and_repairs_a_counter_without_ttl(db3):
    assert ratelimit.hit("t", "1.2.3.4", limit=2, window=30) == (True, 30)
    db3.expire("ratelimit:t:1.2.3.4", 7)
    # EXPIRE NX: later hits do not restart the window.
    allowed, retry = ratelimit.hit("t", "1.2.3.4", limit=2, window=30)
    assert allowed is True and 6 <= retry <= 7
    allowed, retry = ratelimit.hit("t", "1.2.3.4", limit=2, window=30)
    assert allowed is False and 6 <= retry <= 7
    assert db3.get("ratelimit:t:1.2.3.4") == "3"
    # A counter left without a TTL (the flaw of INCR then EXPIRE in two steps) gets one.
    db3.set("ratelimit:t:5.6.7.8", 9)
    assert db3.ttl("ratelimit:t:5.6.7.8") == -1
    assert ratelimit.hit("t", "5.6.7.8", limit=100, window=30) == (True, 30)
    assert db3.get("ratelimit:t:5.6.7.8") == "10"
    assert 28 <= db3.ttl("ratelimit:t:5.6.7.8") <= 30


def test_rate_limit_decorator_on_search(client, db3, db):
    for i in range(api.SEARCH_LIMIT):
        assert client.get("/api/search/", {"q": f"q{i}"}).status_code == 200
    response = client.get("/api/search/", {"q": "one too many"})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= api.SEARCH_WINDOW
    assert db3.get("ratelimit:search:127.0.0.1") == str(api.SEARCH_LIMIT + 1)
    assert api.SEARCH_WINDOW - 2 <= db3.ttl("ratelimit:search:127.0.0.1") <= api.SEARCH_WINDOW
    # The middleware counted the same requests under its own key.
    assert db3.get("ratelimit:api:127.0.0.1") == str(api.SEARCH_LIMIT + 1)
    # The limited request did not reach the view: its query is not remembered.
    session = client.session
    assert session["recent_searches"][0] == f"q{api.SEARCH_LIMIT - 1}"


def test_django_ratelimit_blocks_the_fourth_report(client, db3, db):
    acme = Employer.objects.create(name="Acme")
    job = Job.objects.create(employer=acme, title="Rust engineer")
    window_before = _get_window("127.0.0.1", 3600)
    bodies = [client.post(f"/jobs/{job.pk}/report/") for _ in range(4)]
    window_after = _get_window("127.0.0.1", 3600)
    assert [b.status_code for b in bodies] == [200, 200, 200, 403]  # block=True: PermissionDenied
    assert [b.json()["employer_reports"] for b in bodies[:3]] == [1, 2, 3]
    assert client.get(f"/jobs/{job.pk}/report/").status_code == 405  # POST only
    keys = db3.keys("jobboard:1:rl:*")
    assert len(keys) == 1
    # The key is `rl:` + sha256(group, rate, client address, window end, methods), under the
    # alias' KEY_PREFIX and version. The window end only changes on an hour boundary.
    expected = {
        "jobboard:1:" + _make_cache_key("jobs.api.report_job", w, api.REPORT_RATE, "127.0.0.1", ALL)
        for w in (window_before, window_after)
    }
    assert keys[0] in expected
    assert len(keys[0]) == len("jobboard:1:rl:") + 64  # sha256 hex
    # cache.add(key, 1, 3600 + 5), then INCR for each later request (also the blocked one).
    assert db3.get(keys[0]) == "4"
    assert 3600 <= db3.ttl(keys[0]) <= 3605
    # Another client address is not limited.
    assert client.post(f"/jobs/{job.pk}/report/", REMOTE_ADDR="10.0.0.9").status_code == 200
