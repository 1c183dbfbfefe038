"""Starting and stopping the server under test: Ferrodis (a release build) or, in reference
mode, Debian's redis-server. Both run with no persistence on 127.0.0.1:<port>.

Environment (set by run.sh): ECOSYSTEM_SERVER (`ferrodis` or `redis`), FERRODIS_RELEASE_BIN,
REDIS_SERVER, ECOSYSTEM_WORK (a scratch directory for logs).
"""
import os
import socket
import subprocess
import tempfile
import time

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def answers_ping(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(7).startswith(b"+PONG")
    except OSError:
        return False


class Server:
    """One server process on a fixed port; `stop()` and `start()` may be called repeatedly
    (the health test takes the server away and brings it back on the same port)."""

    def __init__(self, kind: str, port: int, workdir: str):
        self.kind = kind
        self.port = port
        self.workdir = workdir
        self.proc: subprocess.Popen | None = None
        self.log_path = os.path.join(workdir, f"{kind}-{port}.log")

    @property
    def argv(self) -> list[str]:
        common = ["--port", str(self.port), "--bind", HOST, "--save", "", "--appendonly", "no"]
        if self.kind == "ferrodis":
            return [os.environ["FERRODIS_RELEASE_BIN"], *common]
        return [os.environ.get("REDIS_SERVER", "redis-server"), *common]

    def start(self, timeout: float = 10.0) -> None:
        assert self.proc is None, "already running"
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(self.argv, cwd=self.workdir, stdout=log, stderr=log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.kind} exited with {self.proc.returncode}; see {self.log_path}")
            if answers_ping(self.port):
                return
            time.sleep(0.05)
        raise RuntimeError(f"{self.kind} did not answer PING on port {self.port} within {timeout}s")

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


def from_environment() -> Server:
    kind = os.environ.get("ECOSYSTEM_SERVER", "ferrodis")
    if kind not in ("ferrodis", "redis"):
        raise RuntimeError(f"ECOSYSTEM_SERVER must be ferrodis or redis, not {kind!r}")
    port = int(os.environ["REDIS_PORT"])
    workdir = os.environ.get("ECOSYSTEM_WORK") or tempfile.mkdtemp(prefix="ferrodis-ecosystem.")
    return Server(kind, port, workdir)
