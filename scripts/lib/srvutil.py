"""Shared helpers for Ferrodis' test and benchmark scripts (Python 3 stdlib only).

Used by scripts/conformance and bench/compare:
  - free_port():            a free TCP port on 127.0.0.1
  - RespClient:             a tiny blocking RESP2 client (PING, INFO, DBSIZE, ...)
  - Server:                 start a server process on its own process group, wait until it
                            answers PING, stop it by pid (SIGTERM, then SIGKILL)
  - proc_cpu_seconds(pid):  utime+stime of a process (all threads) from /proc/<pid>/stat
  - proc_rss_bytes(pid):    VmRSS from /proc/<pid>/status
  - system_cpu_seconds():   busy CPU seconds of the whole machine from /proc/stat

Everything talks to 127.0.0.1 only.
"""

import os
import shlex
import signal
import socket
import subprocess
import time

HOST = "127.0.0.1"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port():
    """Return a TCP port that is free on 127.0.0.1 right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class RespError(Exception):
    """An error reply (-ERR ...) from the server."""


class RespClient:
    """Minimal blocking RESP2 client, enough for PING/INFO/DBSIZE/CONFIG."""

    def __init__(self, port, host=HOST, timeout=10.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.buf = b""

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("server closed the connection")
        self.buf += data

    def _line(self):
        while b"\r\n" not in self.buf:
            self._fill()
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _exact(self, n):
        while len(self.buf) < n + 2:
            self._fill()
        data, self.buf = self.buf[:n], self.buf[n + 2:]
        return data

    def _reply(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode("utf-8", "replace")
        if kind == b"-":
            raise RespError(rest.decode("utf-8", "replace"))
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            return None if n < 0 else self._exact(n)
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self._reply() for _ in range(n)]
        raise ConnectionError("unexpected RESP reply: %r" % line[:80])

    def call(self, *args):
        out = [b"*%d\r\n" % len(args)]
        for a in args:
            if not isinstance(a, bytes):
                a = str(a).encode()
            out.append(b"$%d\r\n%s\r\n" % (len(a), a))
        self.sock.sendall(b"".join(out))
        return self._reply()

    def info(self, section=None):
        """INFO [section] parsed into a dict of strings."""
        raw = self.call("INFO", section) if section else self.call("INFO")
        if isinstance(raw, bytes):
            raw = raw.decode("utf-8", "replace")
        result = {}
        for line in (raw or "").splitlines():
            if line and not line.startswith("#") and ":" in line:
                k, v = line.split(":", 1)
                result[k.strip()] = v.strip()
        return result


def ping(port, host=HOST, timeout=1.0):
    """True if something answers a RESP PING on host:port (any reply, even an error)."""
    try:
        with RespClient(port, host, timeout=timeout) as c:
            try:
                c.call("PING")
            except RespError:
                pass  # e.g. NOAUTH: the server is up
            return True
    except (OSError, ConnectionError, ValueError):
        return False


class Server:
    """A server process we started. Stopped only by its own pid.

    argv is a list (exec'd directly) or a string (run as `/bin/sh -c "exec <string>"`, so the
    pid we hold is the server's, not a shell's).
    """

    def __init__(self, argv, port, log_path, cwd=None, name="server"):
        self.argv = argv
        self.port = port
        self.log_path = log_path
        self.cwd = cwd
        self.name = name
        self.proc = None
        self._log = None

    def describe(self):
        if isinstance(self.argv, str):
            return self.argv
        return " ".join(shlex.quote(a) for a in self.argv)

    def start(self, ready_timeout=20.0):
        """Start the process and wait for PING. Raises RuntimeError with the log tail on failure."""
        self._log = open(self.log_path, "ab")
        if isinstance(self.argv, str):
            cmd, shell = "exec " + self.argv, True
        else:
            cmd, shell = self.argv, False
        self.proc = subprocess.Popen(
            cmd, shell=shell, cwd=self.cwd, stdin=subprocess.DEVNULL,
            stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("%s exited with code %s during startup; log tail:\n%s"
                                   % (self.name, self.proc.returncode, self.log_tail()))
            if ping(self.port):
                return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("%s did not answer PING on port %d within %.0fs; log tail:\n%s"
                           % (self.name, self.port, ready_timeout, self.log_tail()))

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, grace=5.0):
        """SIGTERM the pid, then SIGKILL after `grace` seconds. Returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            try:
                os.kill(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                try:
                    os.kill(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait()
        if self._log:
            self._log.close()
            self._log = None
        return self.proc.returncode

    def log_tail(self, n=20):
        try:
            with open(self.log_path, "rb") as f:
                lines = f.read().decode("utf-8", "replace").splitlines()
            return "\n".join(lines[-n:])
        except OSError:
            return "(no log)"


def proc_cpu_seconds(pid):
    """utime+stime of pid in seconds, summed over all its threads (/proc/<pid>/stat)."""
    with open("/proc/%d/stat" % pid) as f:
        data = f.read()
    fields = data.rsplit(")", 1)[1].split()
    # fields[0] is field 3 (state); utime is field 14, stime field 15.
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def proc_rss_bytes(pid):
    """VmRSS of pid in bytes (/proc/<pid>/status)."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return None


def system_cpu_seconds():
    """(busy, total) CPU seconds of the machine since boot, all cores (/proc/stat)."""
    with open("/proc/stat") as f:
        parts = f.readline().split()[1:]
    vals = [int(x) for x in parts[:8]]
    idle = vals[3] + vals[4]  # idle + iowait
    total = sum(vals)
    return (total - idle) / CLK_TCK, total / CLK_TCK


def loadavg1():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])
