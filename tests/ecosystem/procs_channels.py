"""Real processes for the Channels tests: Daphne serving `jobboard.asgi:application` on a free
port and a Celery worker, both configured with the same Channels layer (CHANNEL_LAYER=core or
pubsub, settings.CHANNEL_LAYERS on database 4) and the same private Celery queue, so that no
other worker of the session (started with another configuration) takes their tasks.

Each process runs in its own process group (start_new_session) and is stopped by killing the
group: SIGTERM, then SIGKILL after 10 seconds. Their output goes to ECOSYSTEM_WORK (kept by
run.sh when a run fails) as `daphne-<layer>.log` and `worker-<layer>.log`.

Also here: `login()`, a real login over HTTP (urllib and a cookie jar) that returns the session
cookie Daphne set (the session itself lives in database 2), and `ws_connect()`, a
websocket-client connection that carries that cookie.
"""
import contextlib
import http.cookiejar
import os
import re
import signal
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

import websocket

import serverctl
from conftest import PYTHON, SITE, django_env

START_TIMEOUT = 60.0  # seconds; two shared cores, and Django imports are not instant


class Proc:
    """One child process in its own process group, its output appended to `log_path`."""

    def __init__(self, name: str, argv: list[str], env: dict, log_path: str):
        self.name = name
        self.log_path = log_path
        log = open(log_path, "ab")
        try:
            self.popen = subprocess.Popen(
                argv, cwd=SITE, env=env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )
        finally:
            log.close()

    def alive(self) -> bool:
        """True while the process runs."""
        return self.popen.poll() is None

    def log(self) -> str:
        """Everything the process has printed so far."""
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def check_alive(self) -> None:
        """Raises RuntimeError, with the end of the log, if the process has exited."""
        if not self.alive():
            raise RuntimeError(f"{self.name} exited with {self.popen.returncode}:\n{self.log()[-3000:]}")

    def stop(self) -> None:
        """SIGTERM to the whole process group, SIGKILL if it is still there after 10 s."""
        if self.popen.returncode is not None:
            return
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
            try:
                os.killpg(self.popen.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.popen.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        # The leader is gone; make sure no child of the group survives it.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)


def wait_until(predicate, timeout: float, what: str, poll: float = 0.05):
    """Polls `predicate()` until it returns a true value (returned) or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(poll)


class ChannelsStack:
    """Daphne and a Celery worker sharing one Channels layer (`layer`: core or pubsub) and one
    Celery queue (`queue`). `base_url` is Daphne's http://127.0.0.1:<port>, `ws_url` its
    ws:// address."""

    def __init__(self, layer: str):
        self.layer = layer
        self.queue = f"jobboard-channels-{layer}"
        self.port = serverctl.free_port()
        self.base_url = f"http://{serverctl.HOST}:{self.port}"
        self.ws_url = f"ws://{serverctl.HOST}:{self.port}"
        workdir = os.environ.get("ECOSYSTEM_WORK") or tempfile.mkdtemp(prefix="ferrodis-ecosystem.")
        env = django_env(CHANNEL_LAYER=layer, CELERY_TASK_DEFAULT_QUEUE=self.queue)
        self.worker = Proc(
            f"celery worker ({layer})",
            [PYTHON, "-m", "celery", "-A", "jobboard", "worker", "--pool", "solo",
             "--without-gossip", "--without-mingle", "--without-heartbeat",
             "--loglevel", "INFO", "--hostname", f"channels-{layer}@%h"],
            env, os.path.join(workdir, f"worker-{layer}.log"),
        )
        self.daphne = Proc(
            f"daphne ({layer})",
            [PYTHON, "-m", "daphne", "-b", serverctl.HOST, "-p", str(self.port),
             "jobboard.asgi:application"],
            env, os.path.join(workdir, f"daphne-{layer}.log"),
        )

    def wait_ready(self) -> None:
        """Daphne answers HTTP and the worker has logged `ready.` (it consumes its queue)."""

        def daphne_up():
            self.daphne.check_alive()
            try:
                with urllib.request.urlopen(self.base_url + "/login/", timeout=2) as r:
                    return r.status == 200
            except OSError:
                return False

        def worker_up():
            self.worker.check_alive()
            return " ready." in self.worker.log()

        wait_until(daphne_up, START_TIMEOUT, f"Daphne on port {self.port}", poll=0.2)
        wait_until(worker_up, START_TIMEOUT, "the Celery worker to be ready", poll=0.2)

    def stop(self) -> None:
        """Stops Daphne and the worker (their whole process groups)."""
        self.daphne.stop()
        self.worker.stop()


@contextlib.contextmanager
def channels_stack(layer: str):
    """Starts Daphne and a worker for `layer`, yields the `ChannelsStack`, always stops both."""
    stack = ChannelsStack(layer)
    try:
        stack.wait_ready()
        yield stack
    finally:
        stack.stop()


def login(base_url: str, username: str, password: str) -> http.cookiejar.CookieJar:
    """Logs in through the login form over HTTP, as a browser would: GET /login/ for the CSRF
    cookie and token, POST the form. Returns the cookie jar (holding `sessionid`); asserts that
    the login succeeded (redirect to LOGIN_REDIRECT_URL, `/`)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base_url + "/login/", timeout=10) as r:
        page = r.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token, "next": "/"}
    ).encode()
    with opener.open(base_url + "/login/", data=body, timeout=10) as r:
        assert r.status == 200 and r.url == base_url + "/", (r.status, r.url)
    assert "sessionid" in cookies(jar), "no session cookie after logging in"
    return jar


def cookies(jar: http.cookiejar.CookieJar) -> dict:
    """The jar's cookies as {name: value}."""
    return {c.name: c.value for c in jar}


def post_form(base_url: str, jar, path: str, fields: dict, headers: dict | None = None):
    """POSTs `fields` to `path` with the jar's cookies and its CSRF token (the `csrftoken`
    cookie, sent back as the X-CSRFToken header); returns (status, headers, body bytes)."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    request = urllib.request.Request(
        base_url + path, data=urllib.parse.urlencode(fields).encode(),
        headers={"X-CSRFToken": cookies(jar)["csrftoken"], **(headers or {})},
    )
    try:
        with opener.open(request, timeout=10) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def ws_connect(ws_url: str, jar=None, timeout: float = 20.0) -> websocket.WebSocket:
    """Opens /ws/notifications/ with the jar's cookies (none: anonymous). `recv()` on the
    returned socket raises websocket.WebSocketTimeoutException after `timeout` seconds."""
    header_cookie = "; ".join(f"{k}={v}" for k, v in cookies(jar).items()) if jar else None
    return websocket.create_connection(
        ws_url + "/ws/notifications/", timeout=timeout, cookie=header_cookie
    )
