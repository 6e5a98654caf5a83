"""Redis fixtures: a throw-away Debian ``redis-server`` for the shared-limit tests.

``redis_server`` (function scope) starts ``/usr/bin/redis-server`` (installed by ``make test``)
on a Unix socket in a temporary directory, without persistence, and yields an object with its
``url`` (``redis+unix:///…/redis.sock``, the form Flask-Limiter takes) and ``stop()``,
which ends the server early (the "Redis is down" tests). The directory is removed afterwards.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

REDIS_SERVER = "/usr/bin/redis-server"


class RedisServer:
    def __init__(self, root: Path):
        if not Path(REDIS_SERVER).exists():
            pytest.fail("Debian's redis-server is needed for these tests: run `make test`")
        self.socket = root / "redis.sock"
        self.url = f"redis+unix://{self.socket}"
        self.process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                "0",
                "--unixsocket",
                str(self.socket),
                "--unixsocketperm",
                "700",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(root),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not self.socket.exists():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture()
def redis_server():
    root = Path(tempfile.mkdtemp(prefix="sozialberichte-redis-"))
    server = RedisServer(root)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
