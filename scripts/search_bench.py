"""Search at scale (issue 14, point 4): the SQLite file against PostgreSQL's full-text search.

    python scripts/search_bench.py 2000            # N = 2000 (and --also 8000)

For a synthetic corpus of N news items (scripts/generate_news.py, in a temporary folder) and
each backend (``SEARCH_BACKEND=sqlite`` and ``postgresql``, on Debian's PostgreSQL started
here in a temporary folder, as the tests do): the start that builds the index
(``create_app()``, wall and CPU of this process — PostgreSQL's own CPU is not in it), a
later start that opens it, and in that process the first and second answer of ``/suche``
(wall and CPU) and of the index's query alone for a few queries. Each in a fresh process.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from bench import start_postgres  # noqa: E402
from generate_news import generate  # noqa: E402

QUERIES = (
    ("de", "/suche", "Sozialplanung Kommune"),
    ("de", "/suche", "Kommune"),
    ("en", "/en/suche", "report"),
    ("de", "/suche", "Impressum"),
)

PROBE = r"""
import json, os, statistics, sys, time
from urllib.parse import urlencode
t, c = time.perf_counter(), time.process_time()
from webapp import create_app
app = create_app({"CONTENT_DIR": os.environ["PROBE_CONTENT"],
                  "TRANSLATIONS_DIR": os.environ["PROBE_TRANSLATIONS"],
                  "SEARCH_INDEX_DIR": os.environ["PROBE_INDEX"],
                  "TEMPLATE_CACHE_DIR": os.environ["PROBE_TEMPLATES"],
                  "DATABASE_URL": os.environ["PROBE_DB"],
                  "SEARCH_BACKEND": os.environ["PROBE_BACKEND"]})
out = {"start_s": time.perf_counter() - t, "start_cpu_s": time.process_time() - c}
index = app.extensions["sozialberichte.search"]
out["backend"] = type(index).__name__
client = app.test_client()
for language, page, query in json.loads(os.environ["PROBE_QUERIES"]):
    row = {}
    for turn in ("first", "second"):
        t, c = time.perf_counter(), time.process_time()
        response = client.get(page + "?" + urlencode({"q": query}))
        row[turn + "_ms"] = (time.perf_counter() - t) * 1000
        row[turn + "_cpu_ms"] = (time.process_time() - c) * 1000
        assert response.status_code == 200
    alone = []
    for _ in range(5):
        t = time.perf_counter()
        hits = index.search(language, query)
        alone.append((time.perf_counter() - t) * 1000)
    row["query_ms"] = statistics.median(alone)
    row["hits"] = len(hits)
    out[page + " " + query] = row
print(json.dumps(out))
"""


def probe(corpus: Path, backend: str, url: str, work: Path) -> dict:
    env = dict(
        os.environ,
        PYTHONPATH=str(ROOT),
        SECRET_KEY="search-bench-" + os.urandom(8).hex(),
        PROBE_CONTENT=str(corpus / "content"),
        PROBE_TRANSLATIONS=str(corpus / "translations"),
        PROBE_INDEX=str(work / "index"),
        PROBE_TEMPLATES=str(work / "templates"),
        PROBE_DB=url,
        PROBE_BACKEND=backend,
        PROBE_QUERIES=json.dumps(QUERIES),
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"probe failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def run(count: int, work: Path, pg_url: str) -> dict:
    corpus = generate(count, work / f"corpus-{count}")
    env = dict(os.environ, TRANSLATIONS_DIR=str(corpus / "translations"))
    env["CONTENT_DIR"] = str(corpus / "content")
    pybabel = str(Path(sys.executable).parent / "pybabel")
    subprocess.run([pybabel, "--quiet", "compile", "-d", env["TRANSLATIONS_DIR"]], check=True)
    subprocess.run(
        [sys.executable, "-m", "webapp.i18n.catalogs", "compile"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    import psycopg

    name = f"search_{count}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = pg_url.replace("/postgres?", f"/{name}?", 1)
    figures = {}
    for backend, database in (("sqlite", f"sqlite:///{work}/{name}.sqlite3"), ("postgresql", url)):
        folder = work / f"{backend}-{count}"
        figures[backend] = {
            "build": probe(corpus, backend, database, folder),
            "open": probe(corpus, backend, database, folder),
        }
    return figures


def markdown(results: dict) -> str:
    lines = [
        "| measure | " + " | ".join(f"{b}, N = {n:,}" for n in results for b in results[n]) + " |",
        "|---|" + "---:|" * sum(len(r) for r in results.values()),
    ]

    def row(label, get):
        cells = [get(results[n][b]) for n in results for b in results[n]]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    row("start that builds the index, wall", lambda r: f"{r['build']['start_s']:.1f} s")
    row("start that builds the index, CPU", lambda r: f"{r['build']['start_cpu_s']:.1f} s")
    row("later start (opens it), wall", lambda r: f"{r['open']['start_s']:.2f} s")
    for _language, page, query in QUERIES:
        key = f"{page} {query}"
        label = f"`{page}?q={query.replace(' ', '+')}`"
        row(f"{label}: first answer, wall / CPU", lambda r, k=key: _pair(r["open"][k], "first"))
        row(f"{label}: second answer, wall / CPU", lambda r, k=key: _pair(r["open"][k], "second"))
        row(f"{label}: query alone (median of 5)", lambda r, k=key: _query(r["open"][k]))
    return "\n".join(lines) + "\n"


def _pair(row: dict, turn: str) -> str:
    return f"{row[turn + '_ms']:.0f} / {row[turn + '_cpu_ms']:.0f} ms"


def _query(row: dict) -> str:
    return f"{row['query_ms']:.1f} ms ({row['hits']} hits)"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=2000)
    parser.add_argument("--also", type=int, action="append", default=[])
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="sozialberichte-search-bench-"))
    pg_root = Path(tempfile.mkdtemp(prefix="sozialberichte-search-bench-pg-"))
    pg_url, stop = start_postgres(pg_root)
    try:
        results = {n: run(n, work, pg_url) for n in [args.count, *args.also]}
    finally:
        subprocess.run(stop, capture_output=True, check=False)
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(pg_root, ignore_errors=True)
    print(markdown(results))
    print(f"load average {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
