"""Load and faults on loopback, bounded in time (``make test-deploy``): a minute at 64
connections without one error, a worker killed under load, and slow idle connections that
must not starve other visitors. Through the deployment of docs/deploy.md (nginx, TLS, two
gunicorn instances, PostgreSQL)."""

from __future__ import annotations

import os
import signal
import socket
import ssl
import tempfile
import threading
import time
from pathlib import Path

import pytest

from .fixtures_deploy import run_wrk, wait_until

pytestmark = [pytest.mark.deploy, pytest.mark.xdist_group("deploy")]

LOAD_SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
PATHS = [
    ("/", False),
    ("/veranstaltungen/", False),
    ("/en/", False),
    ("/leichte-sprache/hilfen", False),
    ("/suche?q=Sozialbericht", False),
    ("/hilfen", True),  # an htmx fragment
    ("/uebersicht", False),
]

#: wrk Lua: the pages above in turn, the fragment with ``HX-Request``, compressed.
LUA = """
local paths = {%(paths)s}
local htmx = {%(htmx)s}
local n = 0
function request()
  n = n + 1
  local i = (n %% #paths) + 1
  local headers = {["Accept-Encoding"] = "br, gzip"}
  if htmx[i] then headers["HX-Request"] = "true" end
  return wrk.format("GET", paths[i], headers)
end
"""


@pytest.fixture(scope="module")
def lua_script(deploy_stack):
    page = deploy_stack.get("/").text
    stylesheet = page.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    paths = [*PATHS, (stylesheet, False)]
    text = LUA % {
        "paths": ", ".join(f'"{p}"' for p, _ in paths),
        "htmx": ", ".join("true" if h else "false" for _, h in paths),
    }
    handle, name = tempfile.mkstemp(prefix="load-", suffix=".lua")
    os.close(handle)
    Path(name).write_text(text)
    yield name
    os.unlink(name)


def test_a_minute_at_64_connections_without_one_error(deploy_stack, lua_script):
    result = run_wrk(deploy_stack.origin + "/", LOAD_SECONDS, 64, script=lua_script)
    print(
        f"{LOAD_SECONDS} s at 64 connections through nginx: {result.requests:,} requests, "
        f"{result.requests_per_s:.0f}/s, p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms"
    )
    assert result.requests > LOAD_SECONDS * 50, "the portal hardly answered"
    assert result.bad == 0, f"{result.bad} non-2xx/3xx responses or socket errors"
    # And it still answers normally afterwards.
    assert deploy_stack.get("/").status == 200


def test_a_worker_killed_under_load_costs_at_most_its_request_and_is_replaced(deploy_stack):
    instance = deploy_stack.instances[0]
    workers = instance.worker_pids()
    victim = workers[0]
    url = f"http://127.0.0.1:{instance.port}/veranstaltungen/"
    outcome = {}
    load = threading.Thread(target=lambda: outcome.update(result=run_wrk(url, 8, 16)))
    load.start()
    time.sleep(3)
    os.kill(victim, signal.SIGKILL)
    load.join(timeout=60)
    result = outcome["result"]
    # A sync worker has one request in flight: that one may be lost, no other.
    assert result.bad <= 1, f"{result.bad} requests failed"
    assert result.requests > 100

    def replaced():
        now = instance.worker_pids()
        return len(now) == len(workers) and victim not in now

    wait_until(replaced, 15, "gunicorn replaces the killed worker")
    assert deploy_stack.get("/").status == 200


def slow_client(port: int, context: ssl.SSLContext) -> ssl.SSLSocket:
    """A TLS connection that sends half a request header and then nothing (slowloris)."""
    raw = socket.create_connection(("127.0.0.1", port), timeout=10)
    conn = context.wrap_socket(raw, server_hostname="127.0.0.1")
    conn.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    return conn


def test_slow_idle_connections_do_not_starve_other_visitors(deploy_stack):
    context = deploy_stack.tls()
    slow = [slow_client(deploy_stack.https_port, context) for _ in range(200)]
    # And connections that say nothing at all, not even a TLS handshake.
    slow += [
        socket.create_connection(("127.0.0.1", deploy_stack.https_port), timeout=10)
        for _ in range(100)
    ]
    try:
        # 300 connections idle or hanging mid-header — far more than all gunicorn workers
        # together (4); nginx holds them, so normal visitors are served at once.
        timings = []
        for path in ("/", "/hilfen", "/veranstaltungen/", "/en/", "/kontakt") * 4:
            started = time.monotonic()
            assert deploy_stack.get(path).status == 200, path
            timings.append(time.monotonic() - started)
        assert max(timings) < 1.0, f"slowest normal request {max(timings):.2f} s"
        # None of the slow clients got an answer: they never finished their request.
        slow[0].settimeout(0.2)
        with pytest.raises((TimeoutError, socket.timeout)):
            slow[0].recv(1)
    finally:
        for conn in slow:
            conn.close()
