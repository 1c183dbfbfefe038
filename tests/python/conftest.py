"""Fixtures for the redis-py suite: the servers, and redis-py clients in RESP2 and RESP3.

Servers come from run.sh through the environment (FERRODIS_TEST_PORT, FERRODIS_TEST_AUTH_PORT,
FERRODIS_TEST_PASSWORD). When those are not set (plain `pytest tests/python`), this file
starts them itself: Ferrodis from FERRODIS_BIN (default target/debug/ferrodis-server), or a
real redis-server in reference mode.

Reference mode (`--reference` or FERRODIS_TEST_REFERENCE=1) runs the same tests against a real
Redis, to prove that they assert Redis's behaviour. A session check makes sure the server
is the one the mode says (Ferrodis reports `ferrodis_version` in INFO server).

Every client uses redis-py's pure-Python parsers (`_RESP2Parser` / `_RESP3Parser`), the
strict ones: hiredis is more tolerant of wrong encodings (client census, appendix B).
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time

import pytest
import redis
from redis._parsers import _RESP2Parser, _RESP3Parser

HOST = "127.0.0.1"
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PASSWORD_DEFAULT = "ferrodis-test-pw"
# What Ferrodis claims to be; in reference mode the version comes from the server.
FERRODIS_REDIS_VERSION = "7.2.4"


def pytest_addoption(parser):
    parser.addoption(
        "--reference",
        action="store_true",
        default=False,
        help="run against a real redis-server instead of Ferrodis (also FERRODIS_TEST_REFERENCE=1)",
    )


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "redis72: needs a Redis 7.2 feature; skipped only in reference mode against an older Redis",
    )
    config.addinivalue_line(
        "markers",
        "ferrodis_gap(issue, reason): Redis behaviour Ferrodis does not have yet; a strict xfail "
        "against Ferrodis (it must start failing loudly once the issue lands), a normal test in "
        "reference mode",
    )


def pytest_collection_modifyitems(config, items):
    if is_reference(config):
        return
    for item in items:
        gap = item.get_closest_marker("ferrodis_gap")
        if gap is not None:
            issue = gap.kwargs.get("issue", "?")
            reason = gap.kwargs.get("reason", "")
            item.add_marker(pytest.mark.xfail(strict=True, reason=f"issue {issue}: {reason}"))


def is_reference(config):
    return bool(config.getoption("--reference")) or os.environ.get("FERRODIS_TEST_REFERENCE") == "1"


def pytest_report_header(config):
    mode = "reference (real redis-server)" if is_reference(config) else "ferrodis"
    return f"server under test: {mode}; redis-py {redis.__version__}"


def _free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _ping(port, timeout=0.5):
    try:
        with socket.create_connection((HOST, port), timeout=timeout) as s:
            s.sendall(b"PING\r\n")
            return s.recv(1)[:1] in (b"+", b"-")
    except OSError:
        return False


class _Process:
    """A server process on a free port in its own temp dir (used when run.sh did not start one)."""

    def __init__(self, binary, extra_args, reference):
        self.dir = tempfile.mkdtemp(prefix="ferrodis-pytest-")
        last = ""
        for _ in range(5):
            self.port = _free_port()
            args = [binary, "--port", str(self.port), "--bind", HOST] + list(extra_args)
            if reference:
                args += ["--save", "", "--appendonly", "no"]
            self.log = os.path.join(self.dir, f"server-{self.port}.log")
            with open(self.log, "wb") as log:
                self.proc = subprocess.Popen(args, cwd=self.dir, stdout=log, stderr=subprocess.STDOUT,
                                             stdin=subprocess.DEVNULL)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and self.proc.poll() is None:
                if _ping(self.port):
                    return
                time.sleep(0.05)
            self.stop()
            with open(self.log, errors="replace") as f:
                last = f.read()
        raise RuntimeError(f"could not start {binary}; last log:\n{last}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def remove_dir(self):
        shutil.rmtree(self.dir, ignore_errors=True)


class Servers:
    def __init__(self, port, auth_port, password, reference):
        self.port = port
        self.auth_port = auth_port
        self.password = password
        self.reference = reference


@pytest.fixture(scope="session")
def servers(pytestconfig):
    reference = is_reference(pytestconfig)
    if os.environ.get("FERRODIS_TEST_PORT"):
        s = Servers(
            int(os.environ["FERRODIS_TEST_PORT"]),
            int(os.environ["FERRODIS_TEST_AUTH_PORT"]),
            os.environ.get("FERRODIS_TEST_PASSWORD", PASSWORD_DEFAULT),
            reference,
        )
        procs = []
    else:
        if reference:
            binary = shutil.which("redis-server")
            if not binary:
                pytest.fail("reference mode needs redis-server (Debian: apt-get install -y redis-server)")
        else:
            binary = os.environ.get("FERRODIS_BIN") or os.path.join(ROOT, "target", "debug", "ferrodis-server")
            if not os.path.exists(binary):
                pytest.fail(f"no Ferrodis binary at {binary}: cargo build -p ferrodis, or set FERRODIS_BIN")
        plain = _Process(binary, [], reference)
        protected = _Process(binary, ["--requirepass", PASSWORD_DEFAULT], reference)
        procs = [plain, protected]
        s = Servers(plain.port, protected.port, PASSWORD_DEFAULT, reference)
    try:
        # The server must be what the mode says it is.
        info = admin_client(s.port).info("server")
        if reference and "ferrodis_version" in info:
            pytest.fail("reference mode, but the server on the test port is Ferrodis")
        if not reference and "ferrodis_version" not in info:
            pytest.fail("the server on the test port is not Ferrodis (no ferrodis_version in INFO server); "
                        "use --reference to test a real Redis")
        yield s
    finally:
        for p in procs:
            p.stop()
            p.remove_dir()


def admin_client(port, **kw):
    """A RESP2 client for set-up and checks, independent of the protocol under test."""
    pool = redis.ConnectionPool(host=HOST, port=port, protocol=2, parser_class=_RESP2Parser,
                                socket_timeout=10, decode_responses=True, **kw)
    return redis.Redis(connection_pool=pool)


def make_client(port, protocol, **kw):
    """A client the way the Django/Celery libraries build one: their own ConnectionPool, no
    retries, redis-py 8's 5 s socket timeout, the pure-Python parser for `protocol`."""
    kw.setdefault("socket_timeout", 5)
    kw.setdefault("decode_responses", True)
    if protocol is not None:
        kw["protocol"] = protocol
        kw.setdefault("parser_class", _RESP3Parser if protocol == 3 else _RESP2Parser)
    else:
        # redis-py 8's default protocol (3), with the pure-Python RESP3 parser.
        kw.setdefault("parser_class", _RESP3Parser)
    pool = redis.ConnectionPool(host=HOST, port=port, **kw)
    return redis.Redis(connection_pool=pool)


@pytest.fixture
def expected_version(servers):
    if servers.reference:
        return admin_client(servers.port).info("server")["redis_version"]
    return FERRODIS_REDIS_VERSION


@pytest.fixture(autouse=True)
def _redis72_only(request, servers):
    """In reference mode against Redis < 7.2 (Debian's 7.0), skip tests of 7.2 features.
    Against Ferrodis they always run."""
    if servers.reference and request.node.get_closest_marker("redis72"):
        version = admin_client(servers.port).info("server")["redis_version"]
        if tuple(int(x) for x in version.split(".")[:2]) < (7, 2):
            pytest.skip(f"needs Redis 7.2; the reference server is {version}")


@pytest.fixture(autouse=True)
def _flush(servers):
    admin_client(servers.port).flushall()
    admin = admin_client(servers.auth_port, password=servers.password)
    admin.flushall()
    yield


@pytest.fixture(params=[2, 3], ids=["resp2", "resp3"])
def protocol(request):
    return request.param


@pytest.fixture
def r(servers, protocol):
    client = make_client(servers.port, protocol)
    yield client
    client.connection_pool.disconnect()


@pytest.fixture
def rb(servers, protocol):
    """Like `r`, but returning bytes (for binary values)."""
    client = make_client(servers.port, protocol, decode_responses=False)
    yield client
    client.connection_pool.disconnect()
