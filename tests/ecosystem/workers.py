"""Real Celery worker processes for the ecosystem suite.

A `Worker` runs `python -m celery -A jobboard worker` in its own process group (its own
session), with the environment of `conftest.django_env()` (same server, same SQLite test
database file) plus any extra variables (e.g. CELERY_VISIBILITY_TIMEOUT). Its stdout and stderr
go to `<ECOSYSTEM_WORK>/celery-<name>-<n>.log`. `start()` returns once the log says the worker
is ready; `kill()` SIGKILLs the whole group (the main process and its pool children), as a
crash would; `stop()` asks for a warm shutdown (SIGTERM) and SIGKILLs what is left after 15 s.
`wait_for()` polls a condition with a deadline (the suite's stand-in for sleeps).
"""
from __future__ import annotations

import itertools
import os
import signal
import socket
import subprocess
import tempfile
import time

import pytest

from conftest import PYTHON, SITE, django_env

_serial = itertools.count(1)


class Worker:
    """One `celery worker` process group named `<name>@<host>`, consuming `queues` (a
    comma-separated list; Celery's default queue `celery` if None)."""

    def __init__(self, name: str, *, queues: str | None = None, pool: str = "prefork", concurrency: int = 2, **env):
        self.name = name
        self.nodename = f"{name}@{socket.gethostname()}"
        self.queues = queues
        self.pool = pool
        self.concurrency = concurrency
        self.env = env
        workdir = os.environ.get("ECOSYSTEM_WORK") or tempfile.mkdtemp(prefix="ferrodis-ecosystem.")
        self.log_path = os.path.join(workdir, f"celery-{name}-{next(_serial)}.log")
        self.proc: subprocess.Popen | None = None

    @property
    def argv(self) -> list[str]:
        argv = [
            PYTHON, "-m", "celery", "-A", "jobboard", "worker",
            f"--pool={self.pool}", f"--concurrency={self.concurrency}",
            "--loglevel=info", f"--hostname={self.nodename}",
            # Mingle asks the other workers for their revoked lists at start-up and waits a
            # second for answers; these tests start workers often and need none of it.
            "--without-mingle",
        ]
        if self.queues:
            argv += ["--queues", self.queues]
        return argv

    def log(self) -> str:
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def start(self, timeout: float = 60.0) -> "Worker":
        assert self.proc is None, "already running"
        log = open(self.log_path, "ab")
        try:
            self.proc = subprocess.Popen(
                self.argv, cwd=SITE, env=django_env(**self.env),
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            log.close()
        deadline = time.monotonic() + timeout
        ready = f"{self.nodename} ready."
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                code = self.proc.returncode
                self.proc = None
                raise RuntimeError(f"worker {self.nodename} exited with {code}:\n{self.log()[-3000:]}")
            if ready in self.log():
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"worker {self.nodename} not ready within {timeout}s:\n{self.log()[-3000:]}")

    def _signal_group(self, sig: int) -> None:
        try:
            os.killpg(self.proc.pid, sig)  # the group id is the leader's pid (new session)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        """SIGKILL to the whole process group, as if the machine lost the worker: no warm
        shutdown, no acknowledgement, no restore of its unacknowledged messages."""
        if self.proc is None:
            return
        self._signal_group(signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.proc = None

    def stop(self) -> None:
        """Warm shutdown (SIGTERM to the group), then SIGKILL to whatever is left."""
        if self.proc is None:
            return
        self._signal_group(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
        # Pool children outlive a main process that died first: clean the group either way.
        self._signal_group(signal.SIGKILL)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self.proc = None


def wait_for(predicate, timeout: float, what: str, interval: float = 0.05):
    """Polls `predicate()` until it returns a true value (returned) or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


@pytest.fixture(scope="module")
def jobboard_worker(redis_server, django_db_setup):
    """A worker for the module's tests: prefork pool, 2 children, default queue `celery`,
    started after pytest-django created the SQLite test database file (the tasks open it)."""
    worker = Worker("eco-main", pool="prefork", concurrency=2).start()
    try:
        yield worker
    finally:
        worker.stop()
