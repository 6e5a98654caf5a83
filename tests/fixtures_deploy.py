"""The production set-up on loopback for the deployment, load and fault tests: one PostgreSQL,
two portal instances under gunicorn (``deploy/gunicorn.conf.py``), Debian's nginx in front
(``deploy/nginx.conf.template``) with TLS from a throw-away certificate (fixture
``deploy_stack``), and wrk (``run_wrk``, the parser of ``scripts/bench.py``)."""

from __future__ import annotations

import http.client
import importlib.util
import os
import re
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
WRK = shutil.which("wrk") or "/usr/bin/wrk"


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench", module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


bench = _bench_module()
BIN = bench.BIN


def run_wrk(url: str, seconds: int, connections: int, script: str | None = None, threads=2):
    """wrk's figures (requests/s, p50/p99, requests, non-2xx/3xx plus socket errors)."""
    return bench.wrk(url, seconds, connections, script=script, threads=threads)[0]


def wait_until(check, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{what} within {seconds} s")


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def cookies(self) -> SimpleCookie:
        jar = SimpleCookie()
        for value in self.headers.get_all("Set-Cookie") or []:
            jar.load(value)
        return jar


@dataclass
class Stack:
    workdir: Path
    database_url: str
    instances: list[bench.Server]
    http_port: int
    https_port: int
    certificate: Path
    env: dict = field(default_factory=dict)
    nginx: subprocess.Popen | None = None

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    def tls(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.certificate))

    def request(
        self,
        method: str,
        path: str,
        headers: dict | None = None,
        body: bytes | None = None,
        https: bool = True,
    ) -> Reply:
        if https:
            conn = http.client.HTTPSConnection(
                "127.0.0.1", self.https_port, timeout=10, context=self.tls()
            )
        else:
            conn = http.client.HTTPConnection("127.0.0.1", self.http_port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return Reply(response.status, response.headers, response.read())
        finally:
            conn.close()

    def get(self, path: str, **headers) -> Reply:
        return self.request("GET", path, {k.replace("_", "-"): v for k, v in headers.items()})

    def direct(self, path: str, headers: dict | None = None, instance: int = 0) -> Reply:
        """``path`` from one instance itself, with the headers nginx adds (as nginx sends it)."""
        forwarded = {
            "Host": "127.0.0.1",
            "X-Forwarded-For": "127.0.0.1",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "127.0.0.1",
            "X-Forwarded-Port": str(self.https_port),
        }
        conn = http.client.HTTPConnection("127.0.0.1", self.instances[instance].port, timeout=10)
        try:
            conn.request("GET", path, headers={**(headers or {}), **forwarded})
            response = conn.getresponse()
            return Reply(response.status, response.headers, response.read())
        finally:
            conn.close()


def make_certificate(directory: Path) -> tuple[Path, Path]:
    certificate, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(certificate),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return certificate, key


def nginx_config(stack: Stack, key: Path) -> str:
    """The template with its ``${NAME}`` placeholders filled in (as ``envsubst`` with a list of
    names does: nginx's own ``$variables`` stay)."""
    text = (ROOT / "deploy" / "nginx.conf.template").read_text()
    values = dict(
        RUNTIME_DIR=str(stack.workdir),
        SERVER_NAME=f"127.0.0.1:{stack.https_port}",
        LISTEN_HTTP=f"127.0.0.1:{stack.http_port}",
        LISTEN_HTTPS=f"127.0.0.1:{stack.https_port}",
        CERTIFICATE=str(stack.certificate),
        CERTIFICATE_KEY=str(key),
        UPSTREAM_A=f"127.0.0.1:{stack.instances[0].port}",
        UPSTREAM_B=f"127.0.0.1:{stack.instances[1].port}",
    )
    for name, value in values.items():
        text = text.replace("${" + name + "}", value)
    return text


def create_database(postgres_url: str) -> str:
    return bench.create_database(postgres_url, f"deploy_{uuid.uuid4().hex[:12]}")


def drop_database(postgres_url: str, url: str) -> None:
    import psycopg

    name = re.search(r"/(deploy_\w+)\?", url)[1]
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def start_stack(postgres_url: str, translations: Path | None = None) -> Stack:
    for tool in (NGINX, WRK, "openssl"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} is needed: run `make test-deploy` (installs wrk and nginx-light)")
    workdir = Path(tempfile.mkdtemp(prefix="sozialberichte-deploy-"))
    os.chmod(workdir, 0o755)  # nginx's workers (nobody) use the temp and cache directories
    database_url = create_database(postgres_url)
    env = bench.production_env(
        DATABASE_URL=database_url,
        SOZIALBERICHTE_PROXY_FIX="1",
        SOZIALBERICHTE_CATALOG_CHECK_SECONDS="0.5",
        WEB_CONCURRENCY="2",
    )
    env["SECRET_KEY"] = secrets.token_hex(32)  # one key for both instances
    if translations is not None:
        env["SOZIALBERICHTE_TRANSLATIONS_DIR"] = str(translations)
    bench.migrate(env)
    certificate, key = make_certificate(workdir)
    instances = [bench.Server(env) for _ in range(2)]
    stack = Stack(
        workdir,
        database_url,
        instances,
        bench.free_port(),
        bench.free_port(),
        certificate,
        env=env,
    )
    config = workdir / "nginx.conf"
    config.write_text(nginx_config(stack, key))
    try:
        for instance in instances:
            instance.start()
        for instance in instances:
            instance.wait_ready()
        with (workdir / "nginx.out").open("w") as log:
            stack.nginx = subprocess.Popen(
                [NGINX, "-p", str(workdir), "-c", str(config), "-g", "daemon off;"],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_until(lambda: stack.get("/healthz").status == 200, 20, "nginx answers")
    except BaseException:
        stop_stack(stack, postgres_url)
        raise
    return stack


def stop_stack(stack: Stack, postgres_url: str) -> None:
    bench.stop_process(stack.nginx, signal.SIGQUIT)  # nginx's graceful stop
    for instance in stack.instances:
        instance.stop()
    drop_database(postgres_url, stack.database_url)
    shutil.rmtree(stack.workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def deploy_stack(postgres_url, tmp_path_factory):
    """The whole set-up, once per test session (``make test-deploy``)."""
    from .fixtures_editor import copy_catalogs

    translations = copy_catalogs(tmp_path_factory.mktemp("deploy") / "translations")
    stack = start_stack(postgres_url, translations)
    yield stack
    stop_stack(stack, postgres_url)
