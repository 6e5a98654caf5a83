"""``make run`` faces browsers directly (issue 11, point 6): its server holds idle and slow
clients. Run against the exact command ``make run`` starts (read from ``make -n run``), with
its SQLite in a temporary directory. And gunicorn trusts ``X-Forwarded-*`` only when
``SOZIALBERICHTE_PROXY_FIX`` says a proxy is in front (point 7).

Marker ``deploy`` (about a minute: it waits 35 s on purpose): ``make test-deploy``."""

from __future__ import annotations

import http.client
import os
import secrets
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from .fixtures_deploy import BIN, ROOT, bench, wait_until

pytestmark = [pytest.mark.deploy, pytest.mark.xdist_group("deploy")]

#: A screen-reader user listens longer than gunicorn's worker timeout (30 s) before the next click.
IDLE_SECONDS = 35
ANSWER_WITHIN = 2.0


def make_run_command(port: int) -> list[str]:
    """The server command of ``make run`` (its environment assignments dropped: the test sets
    SECRET_KEY and the database itself)."""
    listing = subprocess.run(
        ["make", "-n", "run", f"PORT={port}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    lines = listing.replace("\\\n", " ").splitlines()
    [line] = [line for line in lines if "gunicorn " in line]
    words = shlex.split(line)
    while "=" in words[0] and not words[0].startswith(("-", "/", ".")):
        words.pop(0)
    assert words[0].endswith("/gunicorn"), words
    return words


class RunServer:
    """``make run``'s server on a free port of 127.0.0.1 with a throw-away SQLite file."""

    def __init__(self, **env):
        self.port = bench.free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="make-run-"))
        self.env = {
            **os.environ,
            "SECRET_KEY": secrets.token_hex(32),
            "DATABASE_URL": f"sqlite:///{self.dir}/db.sqlite3",
            "ACCESS_LOG": "",
            "LOG_LEVEL": "warning",
            **env,
        }
        self.log = self.dir / "server.log"
        self.process = None

    def __enter__(self) -> RunServer:
        bench.migrate(self.env)
        command = make_run_command(self.port)
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        wait_until(self.answers, 60, f"make run's server answers ({self.log.read_text()[-500:]})")
        return self

    def answers(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"server exited: {self.log.read_text()[-2000:]}")
        return self.get("/healthz").status == 200

    def __exit__(self, *exc):
        bench.stop_process(self.process)
        shutil.rmtree(self.dir, ignore_errors=True)

    def connection(self, timeout: float = 10) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def get(self, path: str, headers: dict | None = None, conn=None) -> http.client.HTTPResponse:
        own = conn is None
        conn = conn or self.connection()
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            response.body = response.read()
            return response
        finally:
            if own:
                conn.close()


def timed_get(server: RunServer, path: str, conn=None) -> float:
    started = time.monotonic()
    response = server.get(path, conn=conn)
    took = time.monotonic() - started
    assert response.status == 200, (path, response.status, response.body[:300])
    return took


def idle_connections(port: int, count: int) -> list[socket.socket]:
    """Connections that say nothing (a browser's pre-connects, a paused screen reader)."""
    return [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(count)]


def slow_connections(port: int, count: int) -> list[socket.socket]:
    """Connections stuck in the middle of a request header (a slow phone line, slowloris)."""
    conns = idle_connections(port, count)
    for conn in conns:
        conn.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    return conns


def test_make_run_holds_idle_connections_and_a_long_pause_on_a_keep_alive_connection():
    with RunServer() as server:
        reader = server.connection(timeout=30)
        assert timed_get(server, "/hilfen", conn=reader) < 10  # the first click (warms up)
        first_socket = reader.sock
        assert first_socket is not None, "make run's server closed the keep-alive connection"
        idle = idle_connections(server.port, 12)
        slow = slow_connections(server.port, 10)
        try:
            # Meanwhile other visitors are served at once.
            for path in ("/", "/hilfen", "/en/", "/kontakt") * 2:
                took = timed_get(server, path)
                assert took < ANSWER_WITHIN, f"{path} took {took:.1f} s beside idle clients"
            time.sleep(IDLE_SECONDS)
            # The next click on the same (kept-alive) connection, as the browser sends it.
            took = timed_get(server, "/barrierefreiheit", conn=reader)
            assert took < ANSWER_WITHIN, f"the click after the pause took {took:.1f} s"
            assert reader.sock is first_socket, "the answer came on a new connection"
            took = timed_get(server, "/hilfen")
            assert took < ANSWER_WITHIN, f"a new visitor after the pause waited {took:.1f} s"
        finally:
            reader.close()
            for conn in idle + slow:
                conn.close()
        log = server.log.read_text()
        assert "WORKER TIMEOUT" not in log and "Internal Server Error" not in log, log[-2000:]


@pytest.mark.parametrize(
    "config, proxy_fix",
    [("make run", "0"), ("deploy/gunicorn.conf.py", "0"), ("deploy/gunicorn.conf.py", "1")],
)
def test_forwarded_headers_are_trusted_only_when_proxy_fix_says_so(config, proxy_fix):
    """A forged ``X-Forwarded-Proto: https`` on a server without a proxy in front must not make
    it think the visitor came by HTTPS (HSTS, Secure cookies); with ``PROXY_FIX=1`` the
    proxy's header counts."""
    env = {"SOZIALBERICHTE_PROXY_FIX": proxy_fix}
    forged = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    server_class = RunServer if config == "make run" else ProductionServer
    with server_class(**env) as server:
        response = server.get("/hilfen", headers=forged)
        assert response.status == 200
        hsts = response.getheader("Strict-Transport-Security")
        if proxy_fix == "0":
            assert hsts is None, f"{config} trusted a forged X-Forwarded-Proto"
        else:
            assert hsts, f"{config} ignored the proxy's X-Forwarded-Proto"


class ProductionServer(RunServer):
    """gunicorn with deploy/gunicorn.conf.py (the instances behind nginx)."""

    def __enter__(self) -> ProductionServer:
        bench.migrate(self.env)
        command = [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
        command += ["--bind", f"127.0.0.1:{self.port}", "webapp:create_app()"]
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        wait_until(self.answers, 60, "gunicorn answers")
        return self
