"""``make bench``: the portal under gunicorn with the production settings on 127.0.0.1, measured
with wrk; prints the figures and writes docs/bench.md.

Measured in one interleaved run, against two anchors started in the same run: **bare Flask**
(a Flask app with no middleware returning a short constant, under the same gunicorn settings:
every ratio is to it) and **nginx serving the start page as a static file** (the limit). The
documented deployment (``deploy/nginx.conf.template`` with TLS in front of two instances on one
PostgreSQL) is measured against the same nginx serving the start page as a file on the same TLS
listener, one after the other in every round. Then
requests/s and p50/p99 latency of the portal's own trivial route (what the portal's middleware
costs), the start page, an event page, an htmx fragment, a search and a static file; bytes on
the wire (full page vs. fragment); the compressed first-load weight (HTML + CSS + JS); the
memory of each worker over 100,000 requests. Beside requests/s, the CPU time the server's own
processes (gunicorn's workers, nginx's workers) spent per request during each endpoint's
rounds: on a loaded machine the comparable figure.

gunicorn loads ``bench:bench_app()`` from this file (the portal plus its trivial route) and
``bench:bare_app()`` (bare Flask).
"""

from __future__ import annotations

import argparse
import datetime as dt
import glob
import http.client
import math
import os
import re
import runpy
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
FLOOR_PATH = "/_bench/floor"
ACCEPT = {"Accept-Encoding": "gzip, br"}
HX = {"HX-Request": "true"}

BARE = "bare Flask (anchor)"
NGINX_FILE = "nginx, start page as a file (limit)"
DEPLOYED_FILE = "through nginx (TLS): start page as a file"
DEPLOYED_PAGE = "through nginx (TLS, micro-cache): start page"

#: The targets of issues 8 and 15; ratios are to bare Flask under the same gunicorn settings.
RATIO_HEALTHZ = 0.90
RATIO_PAGE = 0.85
RATIO_FRAGMENT = 0.85
FIRST_LOAD_MAX = 45 * 1024
#: … and with the web fonts the stylesheet loads (Fira Sans, two weights, subset)
FIRST_LOAD_FONTS_MAX = 100 * 1024
FRAGMENT_SHARE_MAX = 0.30
P99_MAX_MS = 50.0
MEMORY_GROWTH_MAX = 0.10


def bench_app():
    """The portal with the floor route (only in the benchmark server)."""
    sys.path.insert(0, str(ROOT))
    from flask import Response

    from webapp import create_app

    app = create_app()
    app.add_url_rule(FLOOR_PATH, "bench_floor", lambda: Response("ok\n", mimetype="text/plain"))
    return app


def bare_app():
    """The anchor: bare Flask, no middleware, the same constant as the portal's trivial route."""
    from flask import Flask, Response

    app = Flask("bare")
    app.add_url_rule(FLOOR_PATH, "bare", lambda: Response("ok\n", mimetype="text/plain"))
    app.add_url_rule("/healthz", "healthz", lambda: Response("ok\n", mimetype="text/plain"))
    return app


NGINX_STATIC_CONF = """
worker_processes %(workers)d;
pid %(root)s/nginx.pid;
error_log %(root)s/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path %(root)s/tmp;
    proxy_temp_path %(root)s/tmp;
    fastcgi_temp_path %(root)s/tmp;
    uwsgi_temp_path %(root)s/tmp;
    scgi_temp_path %(root)s/tmp;
    types { text/html html; }
    gzip_static on;
    server {
        listen 127.0.0.1:%(port)d;
        root %(root)s/www;
        location / { index index.html; }
    }
}
"""


def throwaway_certificate(root: Path) -> tuple[Path, Path]:
    certificate, key = root / "cert.pem", root / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(certificate)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return certificate, key


def nginx_worker_pids(root: Path) -> list[int]:
    """nginx's worker processes (and its cache manager; the cache loader exits on its own)."""
    master = int((root / "nginx.pid").read_text())
    return [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU time of each of ``pids`` still running."""
    times = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended (nginx's cache loader)
        times[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return times


def cpu_spent(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(after[pid] - before[pid] for pid in before.keys() & after.keys())


def stop_nginx(root: Path) -> None:
    """Stop the nginx whose prefix is ``root`` (gracefully, by its pid file); remove ``root``."""
    pid_file = root / "nginx.pid"
    if pid_file.exists():
        os.kill(int(pid_file.read_text()), signal.SIGQUIT)
        deadline = time.monotonic() + 10
        while pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    shutil.rmtree(root, ignore_errors=True)


def start_postgres(root: Path) -> tuple[str, list[str]]:
    bindir = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    if not bindir:
        raise SystemExit("Debian's postgresql package is needed")
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    data = root / "data"
    subprocess.run(
        [*as_postgres, f"{bindir[-1]}/initdb", "--pgdata", str(data), "--username=postgres"]
        + ["--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"],
        check=True,
        capture_output=True,
    )
    options = f"-k {root} -c listen_addresses=''"
    pg_ctl = [*as_postgres, f"{bindir[-1]}/pg_ctl", "--pgdata", str(data)]
    subprocess.run(
        [*pg_ctl, "--log", str(root / "log"), "-o", options, "-w", "start"],
        check=True,
        capture_output=True,
    )
    return f"postgresql://postgres@/postgres?host={root}", [*pg_ctl, "-m", "fast", "stop"]


def create_database(postgres_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return postgres_url.replace("/postgres?", f"/{name}?", 1)


class StaticNginx:
    """The limit: Debian's nginx serving the portal's start page as a file (gzip precompressed,
    as the portal sends it compressed too), with as many workers as gunicorn."""

    def __init__(self, html: str, workers: int):
        import gzip

        self.root = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
        # nginx's workers (nobody, when started as root) read it
        os.chmod(self.root, 0o755)  # noqa: S103
        (self.root / "www").mkdir()
        (self.root / "tmp").mkdir()
        (self.root / "www" / "index.html").write_text(html, encoding="utf-8")
        (self.root / "www" / "index.html.gz").write_bytes(gzip.compress(html.encode(), 9))
        self.port = free_port()
        conf = self.root / "nginx.conf"
        settings = {
            "workers": workers,
            "root": self.root,
            "port": self.port,
        }
        conf.write_text(NGINX_STATIC_CONF % settings)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        subprocess.run([nginx, "-c", str(conf), "-p", str(self.root)], check=True, timeout=30)
        deadline = time.monotonic() + 10
        while True:
            try:
                if fetch(self.port, "/").status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("nginx did not answer")
            time.sleep(0.05)

    def stop(self) -> None:
        stop_nginx(self.root)


class DeployedNginx:
    """The documented deployment's nginx: ``deploy/nginx.conf.template`` as it is (TLS with a
    throw-away certificate, the page micro-cache) in front of ``upstreams`` (two portal
    instances on one PostgreSQL). One location is added for the anchor: the same nginx, on the
    same TLS listener, serving the start page as a file (``FILE_PATH``, gzip precompressed as
    the limit's file)."""

    FILE_PATH = "/_bench/start-page.html"

    def __init__(self, upstreams: list[int], html: str):
        import gzip

        self.root = Path(tempfile.mkdtemp(prefix="bench-deploy-"))
        os.chmod(self.root, 0o755)  # noqa: S103 - nginx's workers use its cache directories
        certificate, key = throwaway_certificate(self.root)
        page = self.root / "start-page.html"
        page.write_text(html, encoding="utf-8")
        page.with_name(page.name + ".gz").write_bytes(gzip.compress(html.encode(), 9))
        self.port = free_port()
        values = {
            "RUNTIME_DIR": str(self.root),
            "SERVER_NAME": f"127.0.0.1:{self.port}",
            "LISTEN_HTTP": f"127.0.0.1:{free_port()}",
            "LISTEN_HTTPS": f"127.0.0.1:{self.port}",
            "CERTIFICATE": str(certificate),
            "CERTIFICATE_KEY": str(key),
            "UPSTREAM_A": f"127.0.0.1:{upstreams[0]}",
            "UPSTREAM_B": f"127.0.0.1:{upstreams[-1]}",
        }
        text = (ROOT / "deploy" / "nginx.conf.template").read_text()
        for name, value in values.items():
            text = text.replace("${" + name + "}", value)
        anchor = f"location = {self.FILE_PATH} {{ gzip_static on; alias {page}; }}\n"
        if text.count("        location / {") != 1:
            raise SystemExit("deploy/nginx.conf.template: no single `location / {` for the anchor")
        text = text.replace("        location / {", "        " + anchor + "        location / {")
        conf = self.root / "nginx.conf"
        conf.write_text(text)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        subprocess.run([nginx, "-c", str(conf), "-p", str(self.root)], check=True, timeout=30)
        self.base = f"https://127.0.0.1:{self.port}"
        time.sleep(0.5)

    def stop(self) -> None:
        stop_nginx(self.root)


# -- the server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


BIN = Path(sys.executable).parent


def production_env(**extra) -> dict:
    """The environment of a production instance: a random SECRET_KEY unless one is set."""
    env = dict(os.environ)
    env.setdefault("SECRET_KEY", secrets.token_hex(32))
    env.update(ACCESS_LOG="", LOG_LEVEL="warning", **extra)
    return env


def migrate(env: dict) -> None:
    """``flask db upgrade`` on the database of ``env``, as ``make run`` does."""
    subprocess.run(
        [str(BIN / "flask"), "--app", "webapp:create_app()", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )


def stop_process(process: subprocess.Popen | None, sig=signal.SIGTERM, seconds=30) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Server:
    """gunicorn with deploy/gunicorn.conf.py on a free port of 127.0.0.1 (``WEB_CONCURRENCY``
    workers from ``env``)."""

    def __init__(
        self,
        env: dict,
        app: str = "webapp:create_app()",
        pythonpath: str = "",
        config: Path = GUNICORN_CONF,
    ):
        self.port = free_port()
        self.config = config
        self.env = env
        self.app = app
        self.pythonpath = pythonpath
        self.workers = int(env["WEB_CONCURRENCY"])
        self.process: subprocess.Popen | None = None
        self.log = Path(tempfile.mkstemp(prefix="gunicorn-", suffix=".log")[1])

    def start(self) -> Server:
        command = [str(BIN / "gunicorn"), "-c", str(self.config)]
        command += ["--bind", f"127.0.0.1:{self.port}"]
        if self.pythonpath:
            command += ["--pythonpath", self.pythonpath]
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [*command, self.app], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        return self

    def ready(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{self.log.read_text()[-3000:]}")
        try:
            answers = fetch(self.port, "/healthz").status == 200
        except OSError:
            return False
        return answers and len(self.worker_pids()) == self.workers

    def wait_ready(self, seconds: float = 60) -> Server:
        deadline = time.monotonic() + seconds
        while not self.ready():
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer within {seconds} s")
            time.sleep(0.1)
        return self

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def stop(self) -> None:
        stop_process(self.process)
        self.log.unlink(missing_ok=True)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


# -- single requests ----------------------------------------------------------------------


@dataclass
class Fetched:
    status: int
    headers: dict[str, str]
    body: bytes
    wire_bytes: int  # status line + headers + body as sent


def fetch(port: int, path: str, headers: dict | None = None) -> Fetched:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        head = f"HTTP/1.1 {response.status} {response.reason}\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in response.getheaders()
        )
        return Fetched(
            response.status,
            {k.lower(): v for k, v in response.getheaders()},
            body,
            len(head) + 2 + len(body),
        )
    finally:
        conn.close()


class Resources(HTMLParser):
    """Stylesheets and scripts a page makes the browser load."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "").split() and attrs.get("href"):
            self.urls.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])


def first_load(port: int, path: str) -> tuple[int, list[tuple[str, int, str]], list]:
    """Compressed bytes of a page and every stylesheet and script it loads; the fonts the
    stylesheets load (``url(…woff2)``) apart."""
    page = fetch(port, path, ACCEPT)
    parser = Resources()
    parser.feed(decode(page))
    parts = [(path, len(page.body), page.headers.get("content-encoding", "identity"))]
    fonts = []
    for url in parser.urls:
        resource = fetch(port, url, ACCEPT)
        encoding = resource.headers.get("content-encoding", "identity")
        if resource.status != 200:
            encoding = f"**{resource.status}**"
        parts.append((url, len(resource.body), encoding))
        if url.split("?")[0].endswith(".css") and resource.status == 200:
            for font in sorted(set(re.findall(r'url\("?([^")]+\.woff2)"?\)', decode(resource)))):
                font_url = urljoin(url, font)
                font_resource = fetch(port, font_url, ACCEPT)
                fonts.append((font_url, len(font_resource.body), "woff2"))
    return sum(size for _, size, _ in parts), parts, fonts


def decode(fetched: Fetched) -> str:
    encoding = fetched.headers.get("content-encoding", "identity")
    body = fetched.body
    if encoding == "br":
        import brotli

        body = brotli.decompress(body)
    elif encoding == "gzip":
        import gzip

        body = gzip.decompress(body)
    return body.decode("utf-8")


# -- wrk ----------------------------------------------------------------------------------


@dataclass
class WrkResult:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    bad: int  # non-2xx/3xx responses plus socket errors
    cpu_us: float = 0.0  # CPU time of the answering server's processes per request (median)


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def parse_wrk(output: str) -> WrkResult:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M)[1])
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M)[1])
    requests = int(re.search(r"(\d+) requests in", output)[1])
    bad = 0
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if match:
        bad += int(match[1])
    match = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if match:
        bad += sum(int(n) for n in match.groups())
    return WrkResult(rps, p50, p99, requests, bad)


def wrk(
    url: str,
    seconds: int,
    connections: int,
    headers: dict | None = None,
    script: str | None = None,
    threads: int = 2,
) -> tuple[WrkResult, str]:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in {**ACCEPT, **(headers or {})}.items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", script]
    command.append(url)
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 120
    ).stdout
    return parse_wrk(output), output


#: wrk Lua: cycle through paths. (No ``thread:stop()`` after a count: a stopped thread leaves
#: connections open without a request, and a sync worker waits on them until its timeout.)
LUA_REQUESTS = """
local paths = {%(paths)s}
local sent = 0
function request()
  sent = sent + 1
  return wrk.format("GET", paths[(sent %% #paths) + 1])
end
"""


def lua_requests(paths: list[str]) -> str:
    name = tempfile.mkstemp(prefix="bench-", suffix=".lua")[1]
    quoted = ", ".join(f'"{p}"' for p in paths)
    Path(name).write_text(LUA_REQUESTS % {"paths": quoted})
    return name


# -- the run ------------------------------------------------------------------------------


def main_content_bytes(html: str) -> int:
    """The page's ``<main>`` content, Brotli-compressed alone as the portal compresses pages:
    the least a fragment of the page can send."""
    import brotli

    start = html.index(">", html.index('<main id="inhalt"')) + 1
    return len(brotli.compress(html[start : html.index("</main>")].encode(), quality=11))


def fragment_shares(port: int) -> list[tuple[str, float, float]]:
    """Every page of the site map (three languages), opened by an htmx click from the page one
    level up (a list's entry from the list; a section page, or a start page, from the news
    list): the fragment's bytes on the wire as a share of the full page's, and the page's own
    ``<main>`` content alone as a share of it (what no fragment can go below)."""
    sitemap = decode(fetch(port, "/sitemap.xml"))
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    paths = [re.sub(r"^https?://[^/]+", "", location) for location in locations]
    shares = []
    for path in paths:
        prefix = re.match(r"^(/en|/leichte-sprache)?", path)[0]
        rest = path[len(prefix) :]
        parent = rest.rstrip("/").rsplit("/", 1)[0] + "/"
        if rest in ("", "/") or parent == "/":
            parent = "/aktuelles/" if rest not in ("/aktuelles/", "/aktuelles") else "/"
        current = f"http://127.0.0.1:{port}{prefix}{parent}"
        full = fetch(port, path, ACCEPT)
        fragment = fetch(port, path, {**ACCEPT, **HX, "HX-Current-URL": current})
        if full.status != 200 or fragment.status != 200:
            raise SystemExit(f"{path}: {full.status} / {fragment.status}")
        content = main_content_bytes(decode(full))
        shares.append((path, fragment.wire_bytes / full.wire_bytes, content / full.wire_bytes))
    return shares


def event_path(port: int) -> str:
    listing = decode(fetch(port, "/veranstaltungen/", ACCEPT))
    found = re.findall(r'href="(/veranstaltungen/[^"/?#]+)"', listing)
    found = [p for p in found if not p.endswith(".ics")]
    if not found:
        raise SystemExit("no event page linked from /veranstaltungen/")
    return found[0]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="per endpoint and round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--memory-requests", type=int, default=100_000)
    parser.add_argument("--output", default=str(ROOT / "docs" / "bench.md"))
    parser.add_argument(
        "--scale",
        type=int,
        default=0,
        metavar="N",
        help="only the scale run (issue 14): N and 4N news items (scripts/scale_bench.py)",
    )
    parser.add_argument(
        "--config",
        default=str(GUNICORN_CONF),
        help="gunicorn settings, e.g. deploy/gunicorn-run.conf.py (make run's gthread workers)",
    )
    args = parser.parse_args(argv)
    if args.scale:  # the scale run: figures for N and 4N, printed (see docs/bench.md)
        sys.path.insert(0, str(ROOT / "scripts"))
        import scale_bench

        return scale_bench.main([str(args.scale), "--output", args.output])
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: `make bench` installs Debian's wrk (as root)")

    load_before = os.getloadavg()
    started = dt.datetime.now(dt.UTC)
    database = tempfile.mkdtemp(prefix="bench-db-")  # migrated as in production (make run)
    env = production_env(
        WEB_CONCURRENCY=str(args.workers), DATABASE_URL=f"sqlite:///{database}/bench.sqlite3"
    )
    migrate(env)
    config = Path(args.config)
    server = Server(env, "bench:bench_app()", str(ROOT / "scripts"), config).start()
    bare = Server(env, "bench:bare_app()", str(ROOT / "scripts"), config).start()
    nginx = deployed = stop_postgres = None
    instances: list[Server] = []
    postgres_root = Path(tempfile.mkdtemp(prefix="bench-pg-"))
    try:
        # The documented deployment: two instances on one PostgreSQL behind nginx with TLS.
        postgres_url, stop_postgres = start_postgres(postgres_root)
        deploy_env = production_env(
            WEB_CONCURRENCY=str(args.workers),
            DATABASE_URL=create_database(postgres_url, "bench"),
            SOZIALBERICHTE_PROXY_FIX="1",
            SECRET_KEY=env["SECRET_KEY"],  # one key for both instances
        )
        migrate(deploy_env)
        instances = [Server(deploy_env, config=config).start() for _ in range(2)]
        server.wait_ready()
        bare.wait_ready()
        for instance in instances:
            instance.wait_ready()
        port = server.port
        base = f"http://127.0.0.1:{port}"
        start_html = decode(fetch(port, "/", ACCEPT))
        nginx = StaticNginx(start_html, args.workers)
        deployed = DeployedNginx([instance.port for instance in instances], start_html)
        event = event_path(port)
        start_page = decode(fetch(port, "/"))
        static = re.search(r'href="(/static/dist/portal\.[0-9a-f]+\.css)"', start_page)
        static_path = static[1] if static else "/static/dist/portal.css"
        search_path = "/suche?q=Sozialbericht"
        search_status = fetch(port, search_path).status
        full = fetch(port, event, ACCEPT)
        # As htmx sends it: a click in the list of events, the page the browser shows.
        hx = {**HX, "HX-Current-URL": f"http://127.0.0.1:{port}/veranstaltungen/"}
        fragment = fetch(port, event, {**ACCEPT, **hx})
        fragment_differs = fragment.body != full.body
        content_bytes = main_content_bytes(decode(full))
        shares = fragment_shares(port)
        bare_base = f"http://127.0.0.1:{bare.port}"
        nginx_base = f"http://127.0.0.1:{nginx.port}"
        endpoints = [
            (BARE, bare_base, FLOOR_PATH, {}),
            (NGINX_FILE, nginx_base, "/", {}),
            ("portal: trivial route", base, FLOOR_PATH, {}),
            ("portal: /healthz", base, "/healthz", {}),
            ("start page", base, "/", {}),
            ("event page", base, event, {}),
            ("htmx fragment (event page)", base, event, hx),
            ("search", base, search_path, {}),
            ("static file (CSS)", base, static_path, {}),
            # the anchor and the cached page one after the other in every round
            (DEPLOYED_FILE, deployed.base, DeployedNginx.FILE_PATH, {}),
            (DEPLOYED_PAGE, deployed.base, "/", {}),
            ("through nginx: htmx fragment", deployed.base, event, hx),
        ]
        # Whose CPU time an endpoint's requests cost: the server that answers them.
        processes = {
            base: server.worker_pids(),
            bare_base: bare.worker_pids(),
            nginx_base: nginx_worker_pids(nginx.root),
            deployed.base: nginx_worker_pids(deployed.root),
        }
        cpu: dict[str, list[float]] = {name: [] for name, _, _, _ in endpoints}
        # Warm up every worker's caches (a page is rendered once per worker).
        for _, host, path, headers in endpoints:
            wrk(host + path, 2, args.connections, headers)
        # Rounds over all endpoints, interleaved, the median round of each counts: a burst of
        # other work on the machine spoils one round of every endpoint, not one endpoint's figure.
        rounds: dict[str, list[WrkResult]] = {name: [] for name, _, _, _ in endpoints}
        for number in range(args.rounds):
            for name, host, path, headers in endpoints:
                spent = cpu_seconds(processes[host])
                result, _ = wrk(host + path, args.seconds, args.connections, headers)
                spent = cpu_spent(spent, cpu_seconds(processes[host]))
                cpu[name].append(spent / max(1, result.requests))
                rounds[name].append(result)
                print(
                    f"round {number + 1}: {name:30} {result.requests_per_s:9.0f} req/s  "
                    f"p50 {result.p50_ms:6.2f} ms  p99 {result.p99_ms:6.2f} ms  "
                    f"non-2xx/3xx {result.bad}",
                    flush=True,
                )
        results = {}
        for name, _, path, headers in endpoints:
            runs = sorted(rounds[name], key=lambda r: r.requests_per_s)
            median = runs[len(runs) // 2]
            median.bad = sum(r.bad for r in runs)
            median.cpu_us = sorted(cpu[name])[len(cpu[name]) // 2] * 1e6
            results[name] = (path, headers, median)
        weight, parts, fonts = first_load(port, "/")

        # Memory of each worker over 100,000 requests of the portal's pages above.
        paths = [p for _, h, p, hd in endpoints if h == base and not hd and p != FLOOR_PATH]
        script = lua_requests(paths)
        slowest = min(results[name][2].requests_per_s for name, h, _, _ in endpoints if h == base)
        seconds = max(10, math.ceil(args.memory_requests / slowest * 1.3))
        before = {pid: rss_kib(pid) for pid in server.worker_pids()}
        memory_run, _ = wrk(base + "/", seconds, args.connections, script=script)
        os.unlink(script)
        if memory_run.requests < args.memory_requests:
            print(f"memory run: only {memory_run.requests:,} requests in {seconds} s")
        after = {pid: rss_kib(pid) for pid in server.worker_pids()}
        if set(after) != set(before):
            raise SystemExit("a worker was replaced during the memory run")
    finally:
        server.stop()
        bare.stop()
        if nginx is not None:
            nginx.stop()
        if deployed is not None:
            deployed.stop()
        for instance in instances:
            instance.stop()
        if stop_postgres is not None:
            subprocess.run(stop_postgres, capture_output=True, check=False, timeout=60)
        shutil.rmtree(postgres_root, ignore_errors=True)
        shutil.rmtree(database, ignore_errors=True)
    finished = dt.datetime.now(dt.UTC)
    load_after = os.getloadavg()

    floor = results[BARE][2].requests_per_s
    growth = {pid: (after[pid] - before[pid]) / before[pid] for pid in before}
    report = Report(
        results=results,
        rounds=rounds,
        floor=floor,
        full_bytes=full.wire_bytes,
        fragment_bytes=fragment.wire_bytes,
        bodies=(len(decode(full)), len(decode(fragment)), len(full.body), len(fragment.body)),
        fragment_differs=fragment_differs,
        content_bytes=content_bytes,
        shares=shares,
        full_encoding=full.headers.get("content-encoding", "identity"),
        search_status=search_status,
        weight=weight,
        parts=parts,
        fonts=fonts,
        before=before,
        after=after,
        growth=growth,
        memory_requests=memory_run.requests,
        started=started,
        finished=finished,
        load=(load_before, load_after),
        args=args,
    )
    text = report.markdown()
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT / "scripts"))
    import scale_bench

    text = scale_bench.keep_section(Path(args.output), text)  # the scale run's own section
    Path(args.output).write_text(text, encoding="utf-8")
    print()
    print(text)
    print(f"written to {os.path.relpath(args.output, ROOT)}")
    return 0


@dataclass
class Report:
    results: dict
    rounds: dict  # every endpoint's rounds, in order
    floor: float
    full_bytes: int
    fragment_bytes: int
    bodies: tuple[int, int, int, int]  # full, fragment: uncompressed, compressed
    fragment_differs: bool
    content_bytes: int  # the page's own <main>, compressed alone (what a fragment must carry)
    shares: list  # every page: (path, fragment share, content share) of the full page's bytes
    full_encoding: str
    search_status: int
    weight: int
    parts: list
    fonts: list
    before: dict
    after: dict
    growth: dict
    memory_requests: int
    started: dt.datetime
    finished: dt.datetime
    load: tuple
    args: argparse.Namespace

    def beyond_content(self) -> float:
        """What the fragment sends beyond the page's own content, as a share of what the full
        page sends beyond it (tests/test_navigation.py holds it at 30 % at most)."""
        return (self.fragment_bytes - self.content_bytes) / (self.full_bytes - self.content_bytes)

    def shares_text(self) -> str:
        def quartiles(values: list[float]) -> str:
            values = sorted(values)
            picks = [values[0], values[len(values) // 4], values[len(values) // 2]]
            picks += [values[3 * len(values) // 4], values[-1]]
            return " / ".join(f"{value:.0%}" for value in picks)

        fragments = [share for _, share, _ in self.shares]
        contents = [content for _, _, content in self.shares]
        within = sum(share <= FRAGMENT_SHARE_MAX for share in fragments)
        unreachable = sum(content > FRAGMENT_SHARE_MAX for content in contents)
        return (
            f"Every page of the site map ({len(self.shares)} in three languages), each opened by "
            "an htmx click from the page one level up, bytes on the wire as above — the "
            "fragment's share of its full page, least / lower quartile / median / upper "
            f"quartile / most: {quartiles(fragments)}; the page's own `<main>` content alone: "
            f"{quartiles(contents)}. {within} of {len(fragments)} fragments are at most "
            f"{FRAGMENT_SHARE_MAX:.0%} of their page; for {unreachable} pages the content alone "
            "is more than that."
        )

    def targets(self) -> list[tuple[str, str, bool]]:
        r = {name: res for name, (_, _, res) in self.results.items()}
        rows = []
        for name, target in (
            ("portal: /healthz", RATIO_HEALTHZ),
            ("start page", RATIO_PAGE),
            ("event page", RATIO_PAGE),
            ("htmx fragment (event page)", RATIO_FRAGMENT),
        ):
            ratio = r[name].requests_per_s / self.floor
            rows.append((f"{name} ≥ {target:.0%} of bare Flask", f"{ratio:.1%}", ratio >= target))
        # The anchor is the same nginx serving the page as a file on the same TLS listener: the
        # documented deployment speaks only TLS (its plain port redirects). The plain-HTTP file
        # (the limit, without TLS) is shown beside it.
        share = r[DEPLOYED_PAGE].requests_per_s / r[DEPLOYED_FILE].requests_per_s
        cpu = r[DEPLOYED_FILE].cpu_us / r[DEPLOYED_PAGE].cpu_us if r[DEPLOYED_PAGE].cpu_us else 0
        plain = r[DEPLOYED_PAGE].requests_per_s / r[NGINX_FILE].requests_per_s
        pages, files = self.rounds[DEPLOYED_PAGE], self.rounds[DEPLOYED_FILE]
        pairs = sorted(
            page.requests_per_s / file.requests_per_s
            for page, file in zip(pages, files, strict=True)
        )
        rows.append(
            (
                "start page through the documented deployment (TLS, two instances, PostgreSQL, "
                "micro-cache) ≥ 80% of its nginx serving the page as a file",
                f"{share:.1%} (CPU: {cpu:.0%}; round by round: "
                + ", ".join(f"{pair:.0%}" for pair in pairs)
                + f"; of the plain-HTTP file, no TLS: {plain:.1%})",
                share >= 0.80,
            )
        )
        rows.append(
            (
                "first load ≤ 45 KB compressed (HTML + CSS + JS incl. htmx)",
                f"{self.weight / 1024:.1f} KB",
                self.weight <= FIRST_LOAD_MAX,
            )
        )
        with_fonts = self.weight + sum(size for _, size, _ in self.fonts)
        rows.append(
            (
                "first load ≤ 100 KB with the web fonts",
                f"{with_fonts / 1024:.1f} KB",
                with_fonts <= FIRST_LOAD_FONTS_MAX,
            )
        )
        share = self.fragment_bytes / self.full_bytes
        rows.append(
            (
                "fragment ≤ 30 % of its full page (bytes on the wire)",
                f"{share:.0%}"
                + ("" if self.fragment_differs else " (no fragment served)")
                + f" (its own content alone: {self.content_bytes / self.full_bytes:.0%})",
                share <= FRAGMENT_SHARE_MAX and self.fragment_differs,
            )
        )
        anchors = (BARE, NGINX_FILE, DEPLOYED_FILE)
        worst = max(res.p99_ms for name, res in r.items() if name not in anchors)
        rows.append(
            (
                f"p99 < {P99_MAX_MS:.0f} ms at {self.args.connections} connections, every endpoint",
                f"{worst:.1f} ms (worst)",
                worst < P99_MAX_MS,
            )
        )
        most = max(self.growth.values())
        rows.append(
            (
                f"worker memory grows < {MEMORY_GROWTH_MAX:.0%} over "
                f"{self.args.memory_requests:,} requests",
                f"{most:+.1%} (largest of {len(self.growth)} workers)",
                most < MEMORY_GROWTH_MAX,
            )
        )
        return rows

    def markdown(self) -> str:
        full_plain, fragment_plain, full_packed, fragment_packed = self.bodies
        config = Path(getattr(self.args, "config", GUNICORN_CONF))
        config_name = config.resolve().relative_to(ROOT) if config.is_absolute() else config
        worker_kind = runpy.run_path(str(config)).get("worker_class", "sync")
        cpu = "unknown CPU"
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        lines = [
            "# Benchmark",
            "",
            f"Measured by `make bench` on {self.started:%Y-%m-%d} from {self.started:%H:%M} to "
            f"{self.finished:%H:%M} UTC: gunicorn with `{config_name}` "
            f"({self.args.workers} {worker_kind} workers) on 127.0.0.1, {os.cpu_count()} cores "
            f"({cpu}), "
            f"wrk 4.1 with 2 threads and {self.args.connections} connections on the same cores, "
            f"`Accept-Encoding: gzip, br`, after a warm-up; {self.args.rounds} rounds of "
            f"{self.args.seconds} s per endpoint, each row is the endpoint's median round "
            "(non-2xx/3xx: all rounds). Load average before/after: "
            f"{self.load[0][0]:.2f} / {self.load[1][0]:.2f}.",
            "",
            "Every ratio is to bare Flask (a constant from a Flask app without middleware under "
            "the same gunicorn settings); nginx serving the start page as a file is the limit.",
            "",
            "CPU per request: user + system time of the answering server's processes (gunicorn's "
            "workers; nginx's workers for the nginx rows) during the endpoint's rounds, divided by "
            "its requests (median round); bare Flask's share of it is the CPU ratio.",
            "",
            "| endpoint | path | requests/s | of bare Flask | CPU/request | bare Flask's CPU "
            "| p50 | p99 | non-2xx/3xx |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        bare_cpu = self.results[BARE][2].cpu_us
        for name, (path, headers, res) in self.results.items():
            label = name + (" (`HX-Request: true`)" if headers else "")
            share = f"{bare_cpu / res.cpu_us:.0%}" if res.cpu_us else "–"
            lines.append(
                f"| {label} | `{path}` | {res.requests_per_s:,.0f} | "
                f"{res.requests_per_s / self.floor:.1%} | {res.cpu_us:.0f} µs | {share} | "
                f"{res.p50_ms:.2f} ms | {res.p99_ms:.2f} ms | {res.bad} |"
            )
        if self.search_status != 200:
            lines += ["", f"The search answered {self.search_status}: its row measures that."]
        lines += [
            "",
            f"Bytes on the wire (headers + {self.full_encoding} body): full event page "
            f"{self.full_bytes:,} B, its htmx fragment {self.fragment_bytes:,} B "
            f"({self.fragment_bytes / self.full_bytes:.0%}). Bodies alone: "
            f"{full_plain:,} B vs. {fragment_plain:,} B uncompressed "
            f"({fragment_plain / full_plain:.0%}), {full_packed:,} B vs. {fragment_packed:,} B "
            f"compressed ({fragment_packed / full_packed:.0%}). The page's own `<main>`, "
            f"compressed alone (the least its fragment can carry): {self.content_bytes:,} B "
            f"({self.content_bytes / self.full_bytes:.0%} of the full page on the wire); what the "
            "fragment sends beyond it is "
            f"{self.beyond_content():.0%} of what the full page sends beyond it.",
            "",
            self.shares_text(),
            "",
            "First load of the start page, compressed: "
            + ", ".join(f"`{url}` {size:,} B ({enc})" for url, size, enc in self.parts)
            + f" — {self.weight:,} B = {self.weight / 1024:.1f} KB in all; fonts: "
            + ", ".join(f"`{url}` {size:,} B" for url, size, _ in self.fonts)
            + f" — with them {self.weight + sum(s for _, s, _ in self.fonts):,} B.",
            "",
            f"Worker memory (RSS) before/after {self.memory_requests:,} requests: "
            + ", ".join(
                f"{self.before[pid]:,} → {self.after[pid]:,} KiB ({self.growth[pid]:+.1%})"
                for pid in self.before
            )
            + ".",
            "",
            "## Targets",
            "",
            "| target | measured | met |",
            "|---|---:|---|",
        ]
        for target, measured, met in self.targets():
            lines.append(f"| {target} | {measured} | {'yes' if met else '**no**'} |")
        lines.append("")
        return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
