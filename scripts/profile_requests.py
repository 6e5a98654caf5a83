"""Where the time goes: CPU profile of the portal's request path, without a server.

Calls the WSGI app directly (as gunicorn's worker does) N times for each case and reports,
per request, the number of Python function calls and the CPU time, next to bare Flask
answering a constant (``scripts/bench.py``'s anchor). CPU time, not wall time: the figures
hold on a loaded machine. ``--top`` prints the functions with the most own time. The cached
cases run through the page cache's shortcut (``webapp/caching.py``) and, for comparison,
through Flask's whole path (the shortcut off).

    .venv/bin/python scripts/profile_requests.py [-n 2000] [--top 15]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import os  # noqa: E402

os.environ.setdefault("SECRET_KEY", "profile-" + os.urandom(16).hex())
from werkzeug.test import EnvironBuilder  # noqa: E402

CASES = [
    ("bare Flask (anchor)", "bare", "/healthz", {}),
    ("/healthz", "portal", "/healthz", {}),
    ("start page, cached", "portal", "/", {}),
    (
        "event page fragment, cached",
        "portal",
        "/veranstaltungen/sozialkonferenz-ruhr-2019",
        {"HX-Request": "true", "HX-Current-URL": "http://localhost/"},
    ),
    # The same through Flask's whole path (the shortcut off): what a request costs that the
    # shortcut leaves to Flask (a periodic check due, HEAD, a print view).
    ("/healthz, Flask's path", "flask", "/healthz", {}),
    ("start page, cached, Flask's path", "flask", "/", {}),
    (
        "event page fragment, cached, Flask's path",
        "flask",
        "/veranstaltungen/sozialkonferenz-ruhr-2019",
        {"HX-Request": "true", "HX-Current-URL": "http://localhost/"},
    ),
    ("portal's trivial route (no cache)", "portal", "/_bench/floor", {}),
]
HEADERS = {"Accept-Encoding": "gzip, br", "Accept": "text/html"}


def environ_for(path: str, headers: dict) -> dict:
    return EnvironBuilder(path=path, headers={**HEADERS, **headers}).get_environ()


def call(app, environ: dict) -> int:
    status = []

    def start_response(s, h, exc_info=None):
        status.append(s)

    body = app(dict(environ), start_response)
    for _ in body:
        pass
    if hasattr(body, "close"):
        body.close()
    return int(status[0].split()[0])


def measure(app, environ: dict, n: int) -> tuple[float, int, pstats.Stats]:
    for _ in range(50):  # warm-up: the page cache filled, catalogs loaded
        call(app, environ)
    # The least CPU time of ten slices: other work on the machine only ever adds to it.
    slices = []
    for _ in range(10):
        start = time.process_time()
        for _ in range(max(1, n // 10)):
            call(app, environ)
        slices.append((time.process_time() - start) / max(1, n // 10))
    cpu = min(slices)
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(n):
        call(app, environ)
    profile.disable()
    stats = pstats.Stats(profile)
    return cpu, stats.total_calls // n, stats


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=2000)
    parser.add_argument("--top", type=int, default=0)
    args = parser.parse_args()
    import bench

    flask_path = bench.bench_app()
    flask_path.shortcut = None  # webapp/lean.py: every request through Flask's request context
    apps = {"bare": bench.bare_app(), "portal": bench.bench_app(), "flask": flask_path}
    rows = []
    for label, which, path, headers in CASES:
        cpu, calls, stats = measure(apps[which], environ_for(path, headers), args.n)
        rows.append((label, path, cpu, calls))
        if args.top:
            out = io.StringIO()
            stats.stream = out
            stats.sort_stats("tottime").print_stats(args.top)
            print(f"== {label}\n" + out.getvalue().split("\n\n", 2)[-1][:4000])
    anchor = rows[0][2]
    print("| case | path | CPU µs/request | function calls/request | bare Flask's CPU time |")
    print("|---|---|---:|---:|---:|")
    for label, path, cpu, calls in rows:
        print(f"| {label} | `{path}` | {cpu * 1e6:.0f} | {calls} | {anchor / cpu:.0%} |")


if __name__ == "__main__":
    main()
