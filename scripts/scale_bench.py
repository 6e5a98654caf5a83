"""The scale run of ``make bench`` (issue 14): a synthetic corpus of N and 4N news items
(scripts/generate_news.py, in a temporary folder) and, for each, the time of ``make
translations`` (full and after one document changed), ``create_app()`` time and RSS, and the
first and second response of search, site map, a list page, the feed and the overview page.

    python scripts/bench.py --scale 2000          # N = 2000 and 4N = 8000
    python scripts/scale_bench.py 2000 --code /tmp/old-checkout   # another version's code

Each measurement runs in a fresh process (no state shared between them); the corpus folder
is removed afterwards unless ``--keep`` is given.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from generate_news import generate  # noqa: E402

PATHS = (
    ("search", "/suche?q=Sozialplanung+Kommune"),
    ("search (English)", "/en/suche?q=report"),
    ("site map (XML)", "/sitemap.xml"),
    ("list page 1", "/aktuelles/"),
    ("list page 100", "/aktuelles/?seite=100"),
    ("feed", "/aktuelles/feed.xml"),
    ("overview /uebersicht", "/uebersicht"),
    ("news item", "/aktuelles/meldung-00007"),
)

#: Runs in a fresh interpreter: create_app() and the requests, JSON on stdout.
PROBE = r"""
import json, os, sys, time
started = time.perf_counter(); cpu = time.process_time()
from webapp import create_app
app = create_app({"CONTENT_DIR": os.environ["PROBE_CONTENT"],
                  "TRANSLATIONS_DIR": os.environ["PROBE_TRANSLATIONS"]})
created = time.perf_counter() - started; created_cpu = time.process_time() - cpu
def rss():
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
out = {"create_app_s": created, "create_app_cpu_s": created_cpu, "rss_kib": rss(), "paths": {}}
client = app.test_client()
for name, path in json.loads(os.environ["PROBE_PATHS"]):
    times, cpu = [], []
    for _ in range(2):
        t, c = time.perf_counter(), time.process_time()
        response = client.get(path)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    out["paths"][name] = {"path": path, "status": response.status_code,
                          "first_ms": times[0] * 1000, "second_ms": times[1] * 1000,
                          "first_cpu_ms": cpu[0] * 1000, "bytes": len(response.data)}
out["rss_after_kib"] = rss()
print(json.dumps(out))
"""


#: The editors' area on the corpus: an account, a login, then each page five times.
EDITOR_PROBE = r"""
import json, os, re, statistics, time
import flask_migrate
from werkzeug.security import generate_password_hash
from webapp import create_app
from webapp.db import db
from webapp.editor.models import Editor
app = create_app({"CONTENT_DIR": os.environ["PROBE_CONTENT"],
                  "TRANSLATIONS_DIR": os.environ["PROBE_TRANSLATIONS"]})
with app.app_context():
    flask_migrate.upgrade()
    db.session.add(Editor(name="bench", password_hash=generate_password_hash(
        "ein langes Bench-Passwort", method="pbkdf2:sha256:1000")))
    db.session.commit()
client = app.test_client()
page = client.get("/redaktion/anmelden").text
token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
client.post("/redaktion/anmelden", data={"csrf_token": token, "name": "bench",
                                          "password": "ein langes Bench-Passwort"})
out = {}
with app.app_context():
    from webapp.editor.catalog import load_view
    out["entries_en"] = len(load_view("en").entries)
for name, path in json.loads(os.environ["PROBE_PATHS"]):
    times, cpu = [], []
    for _ in range(5):
        t, c = time.perf_counter(), time.process_time()
        response = client.get(path)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    assert response.status_code == 200, (path, response.status_code)
    out[name] = {"path": path, "first_ms": times[0], "median_ms": statistics.median(times[1:]),
                 "median_cpu_ms": statistics.median(cpu[1:])}
# An editor's save: the time until the page and the search show the new English text.
from webapp.editor.catalog import entry_key
doc = app.extensions["sozialberichte.content"].get("/aktuelles/meldung-00007")
url = "/redaktion/en/eintrag/" + entry_key(doc.title)
form = client.get(url).text
token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
version = re.search(r'name="version" value="([^"]*)"', form).group(1)
public = app.test_client()
public.get("/en/suche?q=Zebrafinkenmeldung")
started = time.perf_counter()
saved = client.post(url, data={"csrf_token": token, "version": version, "action": "save",
                               "msgstr-0": "Zebrafinkenmeldung from the bench"})
assert saved.status_code == 303, saved.status_code
out["save_ms"] = (time.perf_counter() - started) * 1000
assert "Zebrafinkenmeldung" in public.get("/en/aktuelles/meldung-00007").text
out["save_to_page_ms"] = (time.perf_counter() - started) * 1000
assert "/en/aktuelles/meldung-00007" in public.get("/en/suche?q=Zebrafinkenmeldung").text
out["save_to_search_ms"] = (time.perf_counter() - started) * 1000
print(json.dumps(out))
"""

EDITOR_PATHS = (
    ("editors' start (both languages)", "/redaktion/"),
    ("language overview", "/redaktion/en/"),
    ("entry list", "/redaktion/en/eintraege"),
    ("entry list, untranslated + search", "/redaktion/en/eintraege?status=untranslated&q=Sozial"),
    (
        "entry list, one document",
        "/redaktion/en/eintraege?datei=content/aktuelles/meldung-00007.md",
    ),
)


def probe(corpus: Path, code: Path, script: str = PROBE, paths=PATHS) -> dict:
    env = dict(
        os.environ,
        PROBE_CONTENT=str(corpus / "content"),
        PROBE_TRANSLATIONS=str(corpus / "translations"),
        PROBE_PATHS=json.dumps(paths),
        PYTHONPATH=str(code),
        SOZIALBERICHTE_DATABASE_URL=f"sqlite:///{corpus / 'bench.sqlite'}",
        SECRET_KEY=os.environ.get("SECRET_KEY") or "scale-bench-" + os.urandom(16).hex(),
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=code,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"probe failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


CPU: list[float] = [0.0]  # CPU seconds of the timed commands (the machine may be shared)


def timed(argv: list[str], env: dict, cwd: Path) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, env=env, cwd=cwd, check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU[0] += (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return time.perf_counter() - started


def translations_time(corpus: Path) -> dict:
    """``make translations`` (its one command) on the corpus's folders: full (no document
    catalog of the new items, no compiled catalog yet), after one document changed, and
    with nothing changed."""
    env = dict(
        os.environ,
        TRANSLATIONS_DIR=str(corpus / "translations"),
        CONTENT_DIR=str(corpus / "content"),
    )

    def make_translations() -> tuple[float, float]:
        CPU[0] = 0.0
        wall = timed([sys.executable, "-m", "webapp.i18n.catalogs", "translations"], env, ROOT)
        return wall, CPU[0]

    full, full_cpu = make_translations()
    item = corpus / "content" / "aktuelles" / "meldung-00007.md"
    item.write_text(item.read_text("utf-8") + "\nEin neuer Absatz für die Messung.\n", "utf-8")
    one, one_cpu = make_translations()
    none, none_cpu = make_translations()
    return {
        "full_s": full,
        "full_cpu_s": full_cpu,
        "one_document_s": one,
        "one_cpu_s": one_cpu,
        "nothing_s": none,
        "nothing_cpu_s": none_cpu,
        "load": os.getloadavg()[0],
    }


def run(count: int, code: Path = ROOT, keep: bool = False, only_translations=False) -> dict:
    corpus = generate(count, Path(tempfile.mkdtemp(prefix=f"sozialberichte-{count}-")), source=code)
    try:
        figures = {"count": count}
        if code == ROOT:
            figures["translations"] = translations_time(corpus)
        if only_translations:
            return figures
        else:  # another checkout: compile its catalogs as its `make catalogs` did
            pybabel = str(Path(sys.executable).parent / "pybabel")
            subprocess.run(
                [pybabel, "--quiet", "compile", "-d", str(corpus / "translations")],
                check=True,
                capture_output=True,
            )
        figures["cold"] = probe(corpus, code)  # includes building what a start builds
        figures["warm"] = probe(corpus, code)  # a second worker start on the same files
        if code == ROOT:
            figures["editor"] = probe(corpus, code, EDITOR_PROBE, EDITOR_PATHS)
        return figures
    finally:
        if not keep:
            shutil.rmtree(corpus, ignore_errors=True)


def markdown(results: list[dict]) -> str:
    lines = ["## Scale (issue 14)", ""]
    counts = [r["count"] for r in results]
    lines.append(
        "Synthetic corpus (`scripts/generate_news.py`): the repository's content plus N news "
        "items of five paragraphs, in a temporary folder; every figure from a fresh process "
        "(`scripts/scale_bench.py`). Wall-clock times on the shared 2-core machine."
    )
    lines.append("")
    head = "| measure | " + " | ".join(f"N = {n:,}" for n in counts)
    if len(results) == 2:
        head += " | ratio"
    lines += [head + " |", "|---|" + "---:|" * (len(counts) + (len(results) == 2))]

    def row(label, values, unit="", fmt="{:.2f}"):
        cells = [fmt.format(v) + unit for v in values]
        ratio = f" | {values[1] / values[0]:.1f}×" if len(values) == 2 and values[0] else ""
        lines.append(f"| {label} | " + " | ".join(cells) + ratio + " |")

    if all("translations" in r for r in results):
        row("`make translations`, full", [r["translations"]["full_s"] for r in results], " s")
        row(
            "`make translations`, full, CPU",
            [r["translations"]["full_cpu_s"] for r in results],
            " s",
        )
        row(
            "`make translations`, one document changed",
            [r["translations"]["one_document_s"] for r in results],
            " s",
        )
        row(
            "`make translations`, one document changed, CPU",
            [r["translations"]["one_cpu_s"] for r in results],
            " s",
        )
        if all("nothing_s" in r["translations"] for r in results):
            row(
                "`make translations`, nothing changed",
                [r["translations"]["nothing_s"] for r in results],
                " s",
            )
            row(
                "`make translations`, nothing changed, CPU",
                [r["translations"]["nothing_cpu_s"] for r in results],
                " s",
            )
    phases = [p for p in ("cold", "warm") if all(p in r for r in results)]
    for phase in phases:
        row(f"`create_app()` ({phase})", [r[phase]["create_app_s"] for r in results], " s")
        row(
            f"`create_app()` ({phase}), CPU",
            [r[phase].get("create_app_cpu_s", 0) for r in results],
            " s",
        )
        row(
            f"RSS after `create_app()` ({phase})",
            [r[phase]["rss_kib"] / 1024 for r in results],
            " MB",
            "{:.0f}",
        )
    for name, _path in PATHS if all("warm" in r for r in results) else ():
        path = results[0]["warm"]["paths"][name]["path"]
        row(
            f"{name} `{path}`, first",
            [r["warm"]["paths"][name]["first_ms"] for r in results],
            " ms",
            "{:.0f}",
        )
        row(
            f"{name}, first, CPU",
            [r["warm"]["paths"][name].get("first_cpu_ms", 0) for r in results],
            " ms",
            "{:.0f}",
        )
        row(
            f"{name}, second",
            [r["warm"]["paths"][name]["second_ms"] for r in results],
            " ms",
            "{:.1f}",
        )
        row(
            f"{name}, bytes",
            [r["warm"]["paths"][name]["bytes"] / 1024 for r in results],
            " KB",
            "{:.0f}",
        )
    if all("editor" in r for r in results):
        row(
            "editors: entries per language",
            [r["editor"]["entries_en"] for r in results],
            "",
            "{:,}",
        )
        for name, _path in EDITOR_PATHS:
            path = results[0]["editor"][name]["path"]
            row(
                f"editors: {name} `{path}`, median of 4",
                [r["editor"][name]["median_ms"] for r in results],
                " ms",
                "{:.0f}",
            )
            row(
                f"editors: {name}, CPU",
                [r["editor"][name].get("median_cpu_ms", 0) for r in results],
                " ms",
                "{:.0f}",
            )
        for key, label in (
            ("save_ms", "editors: save of one English entry"),
            ("save_to_page_ms", "editors: from the save to the page showing it"),
            ("save_to_search_ms", "editors: from the save to the search finding it"),
        ):
            row(label, [r["editor"].get(key, 0) for r in results], " ms", "{:.0f}")
    return "\n".join(lines) + "\n"


BEGIN, END = "<!-- scale run: scripts/scale_bench.py -->", "<!-- end of the scale run -->"


def keep_section(path: Path, text: str) -> str:
    """``text`` with the scale section of the file at ``path`` (if any) kept at its end."""
    old = path.read_text("utf-8") if path.exists() else ""
    if BEGIN in old and END in old:
        section = old[old.index(BEGIN) : old.index(END) + len(END)]
        return text.rstrip("\n") + "\n\n" + section + "\n"
    return text


def write_section(path: Path, section: str) -> None:
    """Put the scale section into ``path`` (replacing the previous one)."""
    old = path.read_text("utf-8") if path.exists() else "# Benchmark\n"
    if BEGIN in old and END in old:
        old = old[: old.index(BEGIN)] + old[old.index(END) + len(END) :]
    block = f"{BEGIN}\n{section.rstrip()}\n{END}\n"
    path.write_text(old.rstrip("\n") + "\n\n" + block, "utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=2000)
    parser.add_argument("--only", action="store_true", help="N only, not 4N")
    parser.add_argument("--code", type=Path, default=ROOT, help="the portal's code to measure")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--translations-only",
        action="store_true",
        help="only the `make translations` rows (no start-up, requests or editors' area)",
    )
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--output", type=Path, default=None, help="e.g. docs/bench.md")
    args = parser.parse_args(argv)
    if args.output and args.translations_only:
        parser.error("--output replaces the whole scale section: not with --translations-only")
    counts = [args.count] if args.only else [args.count, 4 * args.count]
    results = [run(n, args.code.resolve(), args.keep, args.translations_only) for n in counts]
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), "utf-8")
    text = markdown(results)
    print(text)
    if args.output:
        when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        write_section(args.output, text + f"\nMeasured {when}, load average {os.getloadavg()}.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
