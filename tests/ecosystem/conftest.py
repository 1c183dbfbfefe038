"""Fixtures of the ecosystem suite (run through run.sh, which sets the environment).

The server under test starts once per session on REDIS_PORT (`redis_server`). Its kind comes
from ECOSYSTEM_SERVER: `ferrodis` (a release build) or `redis` (reference mode: the same
tests against Debian's redis-server, to prove they assert Redis's behaviour). A session check
makes sure the server answering is the kind the mode says: Ferrodis reports
`ferrodis_version` in INFO server, Redis does not.

Databases follow the guide: 0 broker/results, 1 cache, 2 sessions, 3 rate limits, 4 Channels.
Before each test, databases 1 to 4 are flushed; database 0 is left alone, because a running
Celery worker keeps its queue bindings there.
"""
import os
import sys

import pytest
import redis

import serverctl

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
SITE = os.path.join(ROOT, "examples", "django_site")

if "REDIS_PORT" not in os.environ:
    raise pytest.UsageError("run the suite through tests/ecosystem/run.sh (it sets REDIS_PORT and the server kind)")


def pytest_collection_modifyitems(config, items):
    """Tests marked `restarts_server` run after all others: the server comes back empty, and
    session-scoped processes (a Celery worker, Daphne) would see their broker state vanish."""
    items.sort(key=lambda item: item.get_closest_marker("restarts_server") is not None)


def pytest_report_header(config):
    return (
        f"server under test: {os.environ.get('ECOSYSTEM_SERVER', 'ferrodis')} on port "
        f"{os.environ['REDIS_PORT']}; redis-py {redis.__version__} "
        f"(set {os.environ.get('ECOSYSTEM_SET', '?')})"
    )


@pytest.fixture(scope="session")
def redis_server():
    """The running server (a `serverctl.Server`: `.kind`, `.port`, `.stop()`, `.start()`)."""
    server = serverctl.from_environment()
    server.start()
    try:
        info = redis.Redis(host=serverctl.HOST, port=server.port, protocol=2).info("server")
        is_ferrodis = "ferrodis_version" in info
        assert is_ferrodis == (server.kind == "ferrodis"), (
            f"mode says {server.kind}, but the server on {server.port} is "
            f"{'Ferrodis' if is_ferrodis else 'Redis'} {info.get('redis_version')}"
        )
        yield server
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def _fresh_databases(redis_server):
    """Flushes databases 1 to 4 (cache, sessions, rate limits, Channels) before each test."""
    if redis_server.proc is None:  # a test left it stopped
        redis_server.start()
    for db in (1, 2, 3, 4):
        with redis.Redis(host=serverctl.HOST, port=redis_server.port, db=db) as r:
            r.flushdb()
    yield


@pytest.fixture
def raw_redis(redis_server):
    """`raw_redis(db)`: a plain redis-py client on database `db` (decoded strings)."""
    clients = []

    def make(db: int = 0) -> redis.Redis:
        client = redis.Redis(host=serverctl.HOST, port=redis_server.port, db=db, decode_responses=True)
        clients.append(client)
        return client

    yield make
    for c in clients:
        c.close()


def django_env(**extra) -> dict:
    """Environment for a subprocess that runs the example (a Celery worker, Daphne, a lock
    contender): same server, same test database file as this pytest process."""
    env = dict(os.environ)
    env["PYTHONPATH"] = SITE + os.pathsep + env.get("PYTHONPATH", "")
    env["DJANGO_SETTINGS_MODULE"] = "jobboard.settings"
    # pytest-django renamed the database to its TEST NAME; children must open that file.
    env["JOBBOARD_SQLITE"] = os.environ.get("JOBBOARD_SQLITE_TEST", os.path.join(SITE, "test-db.sqlite3"))
    env.update({k: str(v) for k, v in extra.items()})
    return env


PYTHON = sys.executable
