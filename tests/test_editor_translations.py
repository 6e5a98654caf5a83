"""Editors' area, translations: overview, list and filters, editing with checks and preview,
the public page showing the change (in this process, another process and another instance
on PostgreSQL), conflicts, undo, crash safety, .po download, upload and export."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
import urllib.request
from io import BytesIO

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from webapp.db import db
from webapp.editor import changes, exchange, runtime
from webapp.editor.catalog import load_view, po_path
from webapp.editor.checks import markdown_structure
from webapp.editor.models import AuditEntry, TranslationOverride
from webapp.i18n import catalogs

from .fixtures_db import dispose_app
from .fixtures_editor import (
    OTHER_PASSWORD,
    add_editors,
    csrf_token,
    key_of,
    log_in,
    make_editor_app,
)
from .helpers import soup, visible

LS = "leichte-sprache"


def hilfen(app):
    return app.extensions["sozialberichte.content"].get("/hilfen")


#: The catalog of content/seiten/hilfen.md (one catalog per document, webapp/i18n/catalogs.py).
HILFEN = "content/seiten/hilfen.md"
HILFEN_URL = "katalog/content/seiten/hilfen.po"


def hilfen_po(translations, code: str):
    return translations / code / "LC_MESSAGES" / "content" / "seiten" / "hilfen.po"


def first_paragraph(doc) -> str:
    for index, token in enumerate(doc.tokens):
        if token.type == "inline" and doc.tokens[index - 1].type == "paragraph_open":
            return token.content
    raise AssertionError("no paragraph")


def entry_url(slug: str, msgid: str, query: str = "") -> str:
    return f"/redaktion/{slug}/eintrag/{key_of(msgid)}" + (f"?{query}" if query else "")


def form_state(html: str) -> dict:
    page = soup(html)
    return {
        "csrf_token": csrf_token(html),
        "version": page.find("input", attrs={"name": "version"})["value"],
    }


def save(client, slug, msgid, *texts, action="save", state=None, query=""):
    url = entry_url(slug, msgid, query)
    state = state or form_state(client.get(url).text)
    data = dict(state, action=action)
    for index, text in enumerate(texts):
        data[f"msgstr-{index}"] = text
    return client.post(url, data=data)


def h1_of(html: str) -> str:
    return soup(html).h1.get_text(" ", strip=True)


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


# --- overview and list ------------------------------------------------------------------


def test_overview_counts_per_language_and_file_follow_a_save(editor_client, editor_app):
    with editor_app.app_context():
        view = load_view("en")
        untranslated = [e for e in view.entries if e.status == "untranslated"]
        total = len(view.entries)
    page = soup(editor_client.get("/redaktion/").text)
    rows = {
        row.th.get_text(strip=True): [td.get_text(strip=True) for td in row.find_all("td")]
        for row in page.find("tbody").find_all("tr")
    }
    assert set(rows) == {"Leichte Sprache", "English"}
    assert rows["English"][2].startswith(f"{len(untranslated)} (")
    assert rows["English"][5] == str(total)
    assert rows["English"][0].endswith("%)")
    language = soup(editor_client.get("/redaktion/en/").text)
    files = [th.get_text(" ", strip=True) for th in language.select("tbody th")]
    assert any("content/seiten/hilfen.md" in f and "Hilfen zur Bedienung" in f for f in files)
    if untranslated:
        target = untranslated[0]
        assert save(editor_client, "en", target.msgid, "Translated in a test").status_code == 303
        page = soup(editor_client.get("/redaktion/").text)
        english = next(r for r in page.find("tbody").find_all("tr") if "English" in r.th.text)
        cells = [td.get_text(strip=True) for td in english.find_all("td")]
        assert cells[2].startswith(f"{len(untranslated) - 1} (")
        recent = page.find("h2", string="Letzte Änderungen").find_next("table")
        assert "Translated in a test" in recent.get_text()


def test_entry_list_filters_search_and_pages(editor_client, editor_app):
    doc = hilfen(editor_app)
    save(editor_client, LS, doc.title, "Hilfe beim Bedienen mit Suchwort Zebrafink")
    found = editor_client.get(f"/redaktion/{LS}/eintraege?q=zebrafink")
    items = soup(found.text).select(".editor-entry")
    assert len(items) == 1 and "Hilfen zur Bedienung" in items[0].get_text()
    by_source = soup(editor_client.get(f"/redaktion/{LS}/eintraege?q=Hilfen+zur+Bed").text)
    assert len(by_source.select(".editor-entry")) >= 1
    by_file = soup(
        editor_client.get(f"/redaktion/{LS}/eintraege?datei=content/seiten/hilfen.md").text
    )
    with editor_app.app_context():
        expected = [e for e in load_view("de@ls").entries if "content/seiten/hilfen.md" in e.files]
    assert len(by_file.select(".editor-entry")) == min(len(expected), 20)
    assert all(
        "content/seiten/hilfen.md" in item.get_text() for item in by_file.select(".editor-entry")
    )
    # Status filters show only entries in that state.
    with editor_app.app_context():
        entries = load_view("en").entries
    for status, wanted in (("untranslated", "nicht übersetzt"), ("translated", "übersetzt")):
        listing = soup(editor_client.get(f"/redaktion/en/eintraege?status={status}").text)
        states = [
            item.find("dt", string="Zustand").find_next("dd").get_text(strip=True)
            for item in listing.select(".editor-entry")
        ]
        assert all(state.startswith(wanted) for state in states)
        assert len(states) == min(20, sum(e.status == status for e in entries))
    # Paging: page 2 continues where page 1 ended.
    first = soup(editor_client.get("/redaktion/en/eintraege").text)
    second = soup(editor_client.get("/redaktion/en/eintraege?seite=2").text)
    assert first.select_one(".editor-pager a").get_text() == "Nächste Seite"
    titles = {a.get_text() for a in first.select(".editor-entry__title a")}
    assert titles.isdisjoint(a.get_text() for a in second.select(".editor-entry__title a"))
    assert second.select_one("ol.editor-entries")["start"] == "21"


def test_entry_page_shows_source_comments_where_used_and_the_page_in_that_language(
    editor_client, editor_app
):
    doc = hilfen(editor_app)
    page = soup(editor_client.get(entry_url(LS, doc.title)).text)
    assert page.find(id="original").get_text() == doc.title
    assert page.find(id="original")["lang"] == "de"
    facts = page.select_one(".editor-entry__facts").get_text(" ", strip=True)
    assert "front matter: title" in facts  # the extractor's comment for translators
    assert "content/seiten/hilfen.md:" in facts
    link = page.find("a", string=lambda s: s and "in dieser Sprache ansehen" in s)
    assert link["href"] == "/leichte-sprache/hilfen"
    english = soup(editor_client.get(entry_url("en", doc.title)).text)
    assert english.find("a", string=lambda s: s and "ansehen" in s)["href"] == "/en/hilfen"
    textarea = page.find("textarea", id="msgstr-0")
    assert textarea["lang"] == "de"
    assert page.find("label", attrs={"for": "msgstr-0"}) is not None


# --- edit → public page -----------------------------------------------------------------


def test_a_saved_translation_shows_on_the_public_page_at_once(editor_client, editor_app):
    doc = hilfen(editor_app)
    public = editor_app.test_client()
    assert h1_of(public.get("/leichte-sprache/hilfen").text) != "Hilfe für die Seiten"
    response = save(editor_client, LS, doc.title, "Hilfe für die Seiten")
    assert response.status_code == 303
    assert "Gespeichert." in editor_client.get(response.headers["Location"]).text
    assert h1_of(public.get("/leichte-sprache/hilfen").text) == "Hilfe für die Seiten"
    assert h1_of(public.get("/hilfen").text) == doc.title  # German unchanged
    with editor_app.app_context():
        assert editor_app.extensions[runtime.REVISION_KEY] >= 1


def test_search_finds_a_saved_translation_without_a_restart(editor_client, editor_app):
    doc = hilfen(editor_app)
    public = editor_app.test_client()
    query = "/leichte-sprache/suche?q=Zauberwortpruefung"

    def hits():
        page = soup(public.get(query).text)
        return [a["href"] for a in page.select(".search-results__title a")]

    assert hits() == []
    save(editor_client, LS, doc.title, "Hilfe mit Zauberwortpruefung")
    assert hits() == ["/leichte-sprache/hilfen"]


def test_a_save_reindexes_only_the_documents_with_the_text_in_its_language(
    editor_client, editor_app, monkeypatch
):
    from webapp import search

    doc = hilfen(editor_app)
    public = editor_app.test_client()
    public.get("/leichte-sprache/suche?q=Hilfe")  # synchronised with the current revision
    indexed = []
    original = search._index_document

    def counting(app, index, language, document, replace=False):
        indexed.append((language.code, document.path))
        return original(app, index, language, document, replace)

    monkeypatch.setattr(search, "_index_document", counting)
    save(editor_client, LS, doc.title, "Hilfe mit Zaunkoenigpruefung")
    page = soup(public.get("/leichte-sprache/suche?q=Zaunkoenigpruefung").text)
    assert [a["href"] for a in page.select(".search-results__title a")] == [
        "/leichte-sprache/hilfen"
    ]
    assert indexed == [("de@ls", "/hilfen")]


def test_save_and_next_opens_the_next_entry_of_the_list(editor_client, editor_app):
    query = "datei=content/seiten/hilfen.md"
    with editor_app.app_context():
        listed = [e for e in load_view("en").entries if "content/seiten/hilfen.md" in e.files]
    response = save(editor_client, "en", listed[0].msgid, "First", action="next", query=query)
    assert response.status_code == 303
    assert response.headers["Location"] == entry_url("en", listed[1].msgid, query)
    assert "Gespeichert." in editor_client.get(response.headers["Location"]).text


def test_mark_as_needing_review_takes_the_text_off_the_page(editor_client, editor_app):
    doc = hilfen(editor_app)
    public = editor_app.test_client()
    save(editor_client, LS, doc.title, "Hilfe für die Seiten")
    response = save(editor_client, LS, doc.title, "Hilfe für die Seiten", action="review")
    assert response.status_code == 303
    entry = soup(editor_client.get(entry_url(LS, doc.title)).text)
    assert "zu prüfen" in entry.select_one(".editor-entry__facts dd").get_text()
    h1 = soup(public.get("/leichte-sprache/hilfen").text).h1
    assert h1.get_text(strip=True) == doc.title  # German, marked as such
    assert h1.find(attrs={"lang": "de"}) is not None


def test_a_translation_with_script_is_shown_escaped_on_the_public_page(editor_client, editor_app):
    doc = hilfen(editor_app)
    paragraph = first_paragraph(doc)
    save(editor_client, LS, doc.title, "<script>alert(1)</script> Hilfe")
    save(editor_client, LS, paragraph, 'Text <script>alert("x")</script> <b>fett</b>')
    html = editor_app.test_client().get("/leichte-sprache/hilfen").text
    assert "<script>alert" not in html and "<b>fett" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Hilfe" in html
    assert "&lt;b&gt;fett&lt;/b&gt;" in html
    assert h1_of(html) == "<script>alert(1)</script> Hilfe"


def test_the_edit_shows_in_a_second_process_within_five_seconds(
    editor_client, editor_app, editor_db_url, translations_copy
):
    doc = hilfen(editor_app)
    script = textwrap.dedent(
        """
        import sys
        from werkzeug.serving import make_server
        from webapp import create_app
        app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": sys.argv[1],
                          "TRANSLATIONS_DIR": sys.argv[2]})
        server = make_server("127.0.0.1", 0, app, threaded=True)
        print(server.server_port, flush=True)
        server.serve_forever()
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script, editor_db_url, str(translations_copy)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=os.path.dirname(os.path.dirname(__file__)),
    )
    try:
        port = int(process.stdout.readline())
        url = f"http://127.0.0.1:{port}/leichte-sprache/hilfen"

        def other_h1():
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                return h1_of(response.read().decode())

        assert other_h1() != "Ein neuer Titel aus dem Browser"  # catalog loaded and cached
        new_title = "Ein neuer Titel aus dem Browser"
        assert save(editor_client, LS, doc.title, new_title).status_code == 303
        start = time.monotonic()
        while other_h1() != "Ein neuer Titel aus dem Browser":
            assert time.monotonic() - start < 5, "the second process still shows the old text"
            time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def test_an_edit_through_one_instance_shows_on_another_sharing_postgresql(
    fresh_postgres_url, own_translations
):
    first = make_editor_app(fresh_postgres_url, own_translations)
    second = make_editor_app(fresh_postgres_url, own_translations)
    try:
        add_editors(first)
        doc = hilfen(first)
        reader = second.test_client()
        assert h1_of(reader.get("/en/hilfen").text) != "Help on PostgreSQL"
        editor = first.test_client()
        assert log_in(editor).status_code == 303
        assert save(editor, "en", doc.title, "Help on PostgreSQL").status_code == 303
        start = time.monotonic()
        while h1_of(reader.get("/en/hilfen").text) != "Help on PostgreSQL":
            assert time.monotonic() - start < 5, "the other instance still shows the old text"
            time.sleep(0.1)
        with second.app_context():
            assert second.extensions[runtime.REVISION_KEY] == 1
    finally:
        dispose_app(first)
        dispose_app(second)


# --- checks and preview -----------------------------------------------------------------


def test_checks_refuse_broken_placeholders_links_and_empty_text(editor_client, editor_app):
    with editor_app.app_context():
        entries = load_view("en").entries
    placeholder = next(e for e in entries if "%(" in e.msgid and not e.plural)
    linked = next(e for e in entries if "](/" in e.msgid and not e.plural)
    cases = [
        (placeholder.msgid, "A text without its placeholder", "Platzhalter aus dem Original"),
        (placeholder.msgid, "Text with %(unbekannt)s", "Platzhalter, die im Original fehlen"),
        (linked.msgid, "A text whose link was lost", "Links, Bilder und Code"),
        (linked.msgid, "   ", "Die Übersetzung ist leer."),
    ]
    for msgid, text, message in cases:
        response = save(editor_client, "en", msgid, text)
        assert response.status_code == 422, text
        page = soup(response.text)
        assert page.title.get_text().startswith("Fehler:")
        assert message in page.select_one(".error-summary").get_text()
        field = page.find("textarea", id="msgstr-0")
        assert field["aria-invalid"] == "true"
        described = page.find(id=field["aria-describedby"])
        assert message in described.get_text()
        assert field.get_text() == text  # the editor's text is kept
        errors = len(page.select(".error-summary li"))
        announced = page.find(attrs={"data-announce": True}).get_text()
        assert announced.startswith(f"Prüfung: {errors} Fehler")
    assert count(editor_app, TranslationOverride) == 0


def test_leichte_sprache_checker_shows_rule_and_suggestion(editor_client, editor_app):
    doc = hilfen(editor_app)
    warned = save(editor_client, LS, doc.title, "Hier steht der Sozialbericht.", action="preview")
    checks = visible(soup(warned.text).select_one("#pruefung-0").get_text(" ", strip=True))
    assert "Regel: compound" in checks and "Sozial·bericht" in checks
    hard = save(editor_client, LS, doc.title, "Hilfe z. B. zum Lesen.")
    assert hard.status_code == 422
    assert "Regel: abbreviation" in soup(hard.text).select_one("#pruefung-0").get_text()
    assert count(editor_app, TranslationOverride) == 0
    # A warning does not block a save.
    assert save(editor_client, LS, doc.title, "Hier steht der Sozialbericht.").status_code == 303


def test_preview_renders_the_markdown_of_the_translation_escaped(editor_client, editor_app):
    with editor_app.app_context():
        entries = load_view("en").entries
    linked = next(e for e in entries if len(list(markdown_structure(e.msgid).elements())) == 1)
    href = next(iter(markdown_structure(linked.msgid))).removeprefix("link ")
    text = f"Write to us: [the page]({href}) and <em>not html</em>"
    response = save(editor_client, "en", linked.msgid, text, action="preview")
    assert response.status_code == 200
    preview = soup(response.text).select_one(".editor-preview")
    assert preview["lang"] == "en"
    assert preview.find("a", href="/en" + href).get_text() == "the page"
    assert "<em>not html</em>" in preview.get_text()
    assert preview.find("em") is None
    assert count(editor_app, TranslationOverride) == 0  # a preview saves nothing


def test_changed_source_shows_old_and_new_german_with_the_difference_marked(
    editor_client, editor_app, translations_copy
):
    doc = hilfen(editor_app)
    path = hilfen_po(translations_copy, "en")
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    message = catalog.get(doc.title)
    message.previous_id = ["Hilfen zum Bedienen"]
    message.flags.add("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, include_previous=True, width=0)
    listing = soup(editor_client.get("/redaktion/en/eintraege?status=changed").text)
    assert [a.get_text() for a in listing.select(".editor-entry__title a")] == [doc.title]
    page = soup(editor_client.get(entry_url("en", doc.title)).text)
    diff = page.select_one(".editor-diff")
    assert [d.get_text() for d in diff.find_all("del")] == ["zum Bedienen"]
    assert [i.get_text() for i in diff.find_all("ins")] == ["zur Bedienung"]
    save(editor_client, "en", doc.title, "Help with using the portal")
    reviewed = soup(editor_client.get(entry_url("en", doc.title)).text)
    assert reviewed.select_one(".editor-diff") is None


def test_plural_forms_are_edited_and_served(editor_client, editor_app, translations_copy):
    with editor_app.app_context():
        plural = next(e for e in load_view("en").entries if e.plural)
    page = soup(editor_client.get(entry_url("en", plural.msgid)).text)
    assert [t["id"] for t in page.find_all("textarea")] == ["msgstr-0", "msgstr-1"]
    if "%(num)s" not in plural.msgid or "%(num)s" not in plural.msgid_plural:
        pytest.skip("the plural entry has no %(num)s placeholder")
    one, many = "One: %(num)s item", "Many: %(num)s items"
    assert save(editor_client, "en", plural.msgid, one, many).status_code == 303
    english = {"sozialberichte.language": "en"}
    with editor_app.test_request_context("/", environ_base=english):
        editor_app.preprocess_request()
        from flask_babel import ngettext

        assert ngettext(plural.msgid, plural.msgid_plural, 3) == "Many: 3 items"
        assert ngettext(plural.msgid, plural.msgid_plural, 1) == "One: 1 item"


# --- no lost work -----------------------------------------------------------------------


def test_a_second_save_from_a_stale_page_is_refused_with_both_texts(editor_app):
    doc = hilfen(editor_app)
    first, second = editor_app.test_client(), editor_app.test_client()
    assert log_in(first).status_code == 303
    assert log_in(second, name="redakteur", password=OTHER_PASSWORD).status_code == 303
    url = entry_url(LS, doc.title)
    stale = form_state(second.get(url).text)
    assert save(first, LS, doc.title, "Fassung der ersten Person").status_code == 303
    response = save(second, LS, doc.title, "Fassung der zweiten Person", state=stale)
    assert response.status_code == 409
    conflict = soup(response.text).select_one(".editor-conflict").get_text(" ", strip=True)
    assert "Fassung der ersten Person" in conflict and "Fassung der zweiten Person" in conflict
    # The stored text is the first one; the second person's text waits in the field.
    assert h1_of(editor_app.test_client().get("/leichte-sprache/hilfen").text) == (
        "Fassung der ersten Person"
    )
    page = soup(response.text)
    assert page.find("textarea", id="msgstr-0").get_text() == "Fassung der zweiten Person"
    # Saving again from the conflict page (now with the current version) works.
    retry = save(second, LS, doc.title, "Beide Fassungen zusammen", state=form_state(response.text))
    assert retry.status_code == 303
    assert count(editor_app, AuditEntry) == 2


def test_a_refused_text_keeps_the_loaded_version_so_a_later_save_is_still_checked(editor_app):
    doc = hilfen(editor_app)
    first, second = editor_app.test_client(), editor_app.test_client()
    log_in(first)
    log_in(second, name="redakteur", password=OTHER_PASSWORD)
    stale = form_state(second.get(entry_url(LS, doc.title)).text)
    assert save(first, LS, doc.title, "Fassung der ersten Person").status_code == 303
    refused = save(second, LS, doc.title, "Hilfe z. B. hier.", state=stale)  # a hard rule
    assert refused.status_code == 422
    again = save(second, LS, doc.title, "Hilfe hier.", state=form_state(refused.text))
    assert again.status_code == 409
    assert h1_of(editor_app.test_client().get("/leichte-sprache/hilfen").text) == (
        "Fassung der ersten Person"
    )


def test_undo_restores_the_old_text_as_a_new_audited_change(editor_client, editor_app):
    doc = hilfen(editor_app)
    public = editor_app.test_client()
    before = h1_of(public.get("/leichte-sprache/hilfen").text)
    save(editor_client, LS, doc.title, "Ein Titel, der zurückgenommen wird")
    log = editor_client.get("/redaktion/protokoll")
    rows = soup(log.text).select("tbody tr")
    assert len(rows) == 1
    cells = [td.get_text(" ", strip=True) for td in rows[0].find_all("td")]
    assert "redakteurin" in cells[0] and cells[1] == "Leichte Sprache"
    assert cells[2] == doc.title and cells[4] == "Ein Titel, der zurückgenommen wird"
    action = rows[0].find("form")["action"]
    response = editor_client.post(action, data={"csrf_token": csrf_token(log.text)})
    assert response.status_code == 303
    assert "rückgängig gemacht" in editor_client.get(response.headers["Location"]).text
    assert h1_of(public.get("/leichte-sprache/hilfen").text) == before
    with editor_app.app_context():
        audits = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        assert [a.action for a in audits] == ["save", "undo"]
        assert audits[1].undo_of == audits[0].id
        assert audits[1].new == audits[0].old
    # Undoing the first change again is refused: the entry changed since.
    again = editor_client.post(action, data={"csrf_token": csrf_token(log.text)})
    assert "später" in editor_client.get(again.headers["Location"]).text
    assert count(editor_app, AuditEntry) == 2


def test_a_crash_inside_the_save_leaves_the_old_catalog(editor_client, editor_app, monkeypatch):
    doc = hilfen(editor_app)
    public = editor_app.test_client()
    save(editor_client, LS, doc.title, "Der alte Titel bleibt")

    def crash():
        raise RuntimeError("power failure")

    monkeypatch.setattr(runtime, "bump_revision", crash)
    with editor_app.test_request_context("/redaktion/"):
        entry = load_view("de@ls").get(key_of(doc.title))
        with pytest.raises(RuntimeError):
            changes.save("de@ls", entry, ["Halb gespeichert"], False, "redakteurin")
    monkeypatch.undo()
    with editor_app.app_context():
        rows = db.session.scalars(select(TranslationOverride)).all()
        assert [r.msgstr for r in rows] == [["Der alte Titel bleibt"]]
        assert rows[0].version == 1
        assert db.session.scalar(select(func.count(AuditEntry.id))) == 1
    assert h1_of(public.get("/leichte-sprache/hilfen").text) == "Der alte Titel bleibt"
    # The next save works normally.
    assert save(editor_client, LS, doc.title, "Der neue Titel").status_code == 303
    assert h1_of(public.get("/leichte-sprache/hilfen").text) == "Der neue Titel"


def test_a_crash_while_exporting_leaves_the_po_file_whole(
    editor_client, editor_app, translations_copy, monkeypatch
):
    doc = hilfen(editor_app)
    save(editor_client, LS, doc.title, "Titel für die Ausfuhr")
    path = hilfen_po(translations_copy, "de@ls")
    before = path.read_bytes()
    listing = sorted(os.listdir(path.parent))

    def crash(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(exchange.os, "replace", crash)
    result = editor_app.test_cli_runner().invoke(args=["editor", "export"])
    assert result.exit_code != 0
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(os.listdir(path.parent)) == listing  # no temporary file left behind
    result = editor_app.test_cli_runner().invoke(args=["editor", "export"])
    assert result.exit_code == 0, result.output
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="de@ls")
    assert catalog.get(doc.title).string == "Titel für die Ausfuhr"
    assert not catalog.get(doc.title).fuzzy
    compiled = path.parents[2] / "content.mo"  # all document catalogs, compiled
    assert compiled.stat().st_mtime >= path.stat().st_mtime - 1


# --- exchange ---------------------------------------------------------------------------


def upload(client, slug, data: bytes):
    page = client.get(f"/redaktion/{slug}/hochladen")
    return client.post(
        f"/redaktion/{slug}/hochladen",
        data={"csrf_token": csrf_token(page.text), "file": (BytesIO(data), "messages.po")},
        content_type="multipart/form-data",
    )


def test_download_gives_the_po_with_the_browser_edits(editor_client, editor_app):
    doc = hilfen(editor_app)
    save(editor_client, "en", doc.title, "Help from the browser")
    response = editor_client.get(f"/redaktion/en/{HILFEN_URL}")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    catalog = read_po(BytesIO(response.data))
    assert str(catalog.locale) == "en"
    assert catalog.get(doc.title).string == "Help from the browser"


def test_upload_of_an_edited_po_merges_with_a_summary(editor_client, editor_app):
    doc = hilfen(editor_app)
    catalog = read_po(BytesIO(editor_client.get(f"/redaktion/en/{HILFEN_URL}").data))
    catalog.get(doc.title).string = "Help, edited in Poedit"
    buffer = BytesIO()
    write_po(buffer, catalog)
    response = upload(editor_client, "en", buffer.getvalue())
    assert response.status_code == 200
    summary = soup(response.text).select_one(".notice").get_text(" ", strip=True)
    assert "1 Einträge geändert" in summary and doc.title in summary
    assert h1_of(editor_app.test_client().get("/en/hilfen").text) == "Help, edited in Poedit"
    with editor_app.app_context():
        assert [a.action for a in db.session.scalars(select(AuditEntry))] == ["upload"]


@pytest.mark.parametrize(
    "kind", ["garbage", "truncated", "other-language", "foreign", "broken-placeholder"]
)
def test_a_broken_or_foreign_po_upload_changes_nothing(
    kind, editor_client, editor_app, translations_copy
):
    doc = hilfen(editor_app)
    good = editor_client.get(f"/redaktion/en/{HILFEN_URL}").data
    catalog = read_po(BytesIO(good))
    catalog.get(doc.title).string = "This would be a change"
    if kind == "garbage":
        data = b"\x00\xff not a po file \xfe"
    elif kind == "truncated":
        data = good[: len(good) // 2] + b'\nmsgid "open string\n'
    elif kind == "other-language":
        catalog.locale = "fr"
        buffer = BytesIO()
        write_po(buffer, catalog)
        data = buffer.getvalue()
    elif kind == "foreign":
        other = Catalog(locale="en")
        other.add("Something from another project", "Etwas")
        buffer = BytesIO()
        write_po(buffer, other)
        data = buffer.getvalue()
    else:  # the interface catalog has the placeholders
        catalog = read_po(BytesIO(editor_client.get("/redaktion/en/messages.po").data))
        placeholder = next(m for m in catalog if m.id and "%(" in str(m.id) and not m.pluralizable)
        placeholder.string = "Broken %(other)s placeholder"
        buffer = BytesIO()
        write_po(buffer, catalog)
        data = buffer.getvalue()
    before = po_path_bytes(editor_app)
    response = upload(editor_client, "en", data)
    assert response.status_code == 422
    summary = soup(response.text).select_one(".error-summary").get_text(" ", strip=True)
    assert "Es wurde nichts geändert." in summary
    assert count(editor_app, TranslationOverride) == 0
    assert count(editor_app, AuditEntry) == 0
    assert po_path_bytes(editor_app) == before
    assert h1_of(editor_app.test_client().get("/en/hilfen").text) != "This would be a change"


def po_path_bytes(app) -> bytes:
    with app.app_context(), open(po_path(app, "en", HILFEN), "rb") as handle:
        return handle.read()


def test_obsolete_override_is_listed_after_its_source_disappeared(editor_client, editor_app):
    doc = hilfen(editor_app)
    save(editor_client, "en", doc.title, "Help")
    with editor_app.app_context():
        row = db.session.scalars(select(TranslationOverride)).one()
        row.msgid, row.key = "Ein Text, den es nicht mehr gibt", key_of("weg")
        db.session.commit()
    page = soup(editor_client.get("/redaktion/en/").text)
    heading = page.find("h2", string="Veraltete Übersetzungen")
    assert heading is not None
    assert "Ein Text, den es nicht mehr gibt" in heading.find_next("ul").get_text()


# --- make translations and browser edits together ---------------------------------------


def update_catalogs(translations, old: str, new: str) -> None:
    """What `make translations` does when a German source text of hilfen.md changes from
    ``old`` to ``new``: the document's catalog is updated from the document's texts with
    fuzzy matching within it and the old source kept (webapp/i18n/catalogs.py)."""
    po = hilfen_po(translations, "en")
    current = catalogs.read_catalog(po, "en")
    template = Catalog(fuzzy=False)
    for message in current:
        if message.id:
            text = new if message.id == old else message.id
            template.add(text, locations=message.locations, auto_comments=message.auto_comments)
    catalogs.update_document(template, po, "en")


def test_browser_edits_survive_make_translations_when_exported_first(
    editor_client, editor_app, translations_copy
):
    doc = hilfen(editor_app)
    save(editor_client, "en", doc.title, "Help from the browser")
    assert editor_app.test_cli_runner().invoke(args=["editor", "export"]).exit_code == 0
    update_catalogs(translations_copy, doc.title, "Hilfen zur Nutzung")
    page = soup(editor_client.get(entry_url("en", "Hilfen zur Nutzung")).text)
    # The exported browser text is now the file's (fuzzy) translation of the new source.
    assert page.find("textarea", id="msgstr-0").get_text() == "Help from the browser"
    diff = page.select_one(".editor-diff")
    assert [d.get_text() for d in diff.find_all("del")] == ["Bedienung"]
    assert [i.get_text() for i in diff.find_all("ins")] == ["Nutzung"]
    # The override of the old source is listed as obsolete, not lost.
    language = soup(editor_client.get("/redaktion/en/").text)
    obsolete = language.find("h2", string="Veraltete Übersetzungen").find_next("ul")
    assert "Help from the browser" in obsolete.get_text()


def test_a_browser_edit_not_yet_exported_is_offered_for_the_changed_source(
    editor_client, editor_app, translations_copy
):
    doc = hilfen(editor_app)
    save(editor_client, "en", doc.title, "Help, not exported")
    update_catalogs(translations_copy, doc.title, "Hilfen zur Nutzung")
    page = soup(editor_client.get(entry_url("en", "Hilfen zur Nutzung")).text)
    earlier = page.find("h2", string="Übersetzung des alten Originals aus dem Browser")
    assert earlier.find_next("p").get_text() == "Help, not exported"


def test_a_po_file_changed_after_a_browser_edit_is_shown_not_masked(
    editor_client, editor_app, translations_copy
):
    doc = hilfen(editor_app)
    save(editor_client, "en", doc.title, "Help from the browser")
    po = hilfen_po(translations_copy, "en")
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    catalog.get(doc.title).string = "Help from a commit"
    with po.open("wb") as handle:
        write_po(handle, catalog, width=0)
    listing = soup(editor_client.get("/redaktion/en/eintraege?status=file").text)
    assert [a.get_text() for a in listing.select(".editor-entry__title a")] == [doc.title]
    page = soup(editor_client.get(entry_url("en", doc.title)).text)
    notice = page.find("h2", string="Die PO-Datei hat inzwischen eine andere Übersetzung")
    assert notice.find_parent("section").select_one(".editor-text").get_text() == (
        "Help from a commit"
    )


# --- one catalog per document ------------------------------------------------------------


def test_overview_has_a_row_and_a_download_per_document_catalog(editor_client, editor_app):
    language = soup(editor_client.get("/redaktion/en/").text)
    table = language.find("caption", string="Einträge je Seite oder Datei").find_parent("table")
    rows = table.select("tbody tr")
    names = [row.th.get_text(" ", strip=True) for row in rows]
    assert names[0].startswith("Oberfläche")
    with editor_app.app_context():
        documents = editor_app.extensions["sozialberichte.content"].documents
    assert len(rows) == 1 + len(documents)  # the interface, then every document
    hilfen_row = next(row for row in rows if HILFEN in row.th.get_text())
    link = hilfen_row.find("a", download=True)
    response = editor_client.get(link["href"])
    assert response.status_code == 200
    catalog = read_po(BytesIO(response.data))
    assert {m.id for m in catalog if m.id} == set(hilfen(editor_app).msgids())
    listing = soup(editor_client.get(hilfen_row.th.a["href"]).text)
    assert all(HILFEN in item.get_text() for item in listing.select(".editor-entry"))
    assert (
        editor_client.get("/redaktion/en/katalog/content/seiten/gibts-nicht.po").status_code == 404
    )
    assert editor_client.get("/redaktion/en/katalog/../../etc/passwd.po").status_code == 404


def test_a_languages_zip_round_trips_through_upload(editor_client, editor_app):
    import zipfile

    doc = hilfen(editor_app)
    response = editor_client.get("/redaktion/en/kataloge.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(BytesIO(response.data))
    names = archive.namelist()
    assert names[0] == "messages.po" and "content/seiten/hilfen.po" in names
    assert len(names) == 1 + len(editor_app.extensions["sozialberichte.content"].documents)
    catalog = read_po(BytesIO(archive.read("content/seiten/hilfen.po")))
    catalog.get(doc.title).string = "Help, edited in a zip"
    buffer = BytesIO()
    write_po(buffer, catalog)
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as edited:
        for name in names:
            data = buffer.getvalue() if name == "content/seiten/hilfen.po" else archive.read(name)
            edited.writestr(name, data)
    response = upload(editor_client, "en", out.getvalue())
    assert response.status_code == 200, soup(response.text).get_text(" ", strip=True)[:500]
    assert h1_of(editor_app.test_client().get("/en/hilfen").text) == "Help, edited in a zip"
    broken = upload(editor_client, "en", b"PK\x03\x04 not really a zip")
    assert broken.status_code == 422
    assert "ZIP" in soup(broken.text).select_one(".error-summary").get_text()


def test_a_too_large_po_upload_is_a_413_on_the_upload_page_tied_to_the_file_field(
    editor_client, editor_app
):
    """A file above EDITOR_UPLOAD_MAX is read and thrown away: the editor gets the upload
    page back (not a bare error page) with the size in the error summary, linked to the
    file field, and nothing changed."""
    limit = int(editor_app.config.get("EDITOR_UPLOAD_MAX", 4 * 1024**2))
    page = editor_client.get("/redaktion/en/hochladen")
    # Encoded in memory: the test client's own encoding spools a large body to a temporary
    # file that it leaves open (tests/test_downloads.py does the same).
    boundary, body = encode_multipart(
        {
            "csrf_token": csrf_token(page.text),
            "file": FileStorage(BytesIO(b"#" * (limit + 100_000)), "messages.po"),
        }
    )
    response = editor_client.post(
        "/redaktion/en/hochladen",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 413
    page = soup(response.text)
    summary = page.select_one(".error-summary")
    assert summary is not None, response.text[:500]
    link = summary.select_one('a[href="#file"]')
    assert link is not None and "zu groß" in link.get_text()
    assert page.select_one("#file")["aria-invalid"] == "true"
    assert page.select_one("h1").get_text(strip=True).startswith("PO-Datei hochladen")
    assert page.title.get_text().startswith("Fehler:")
    # No file at all: the same summary, with the message for a missing file.
    token = csrf_token(response.text)
    missing = editor_client.post("/redaktion/en/hochladen", data={"csrf_token": token})
    assert missing.status_code == 422
    assert soup(missing.text).select_one('.error-summary a[href="#file"]') is not None
    with editor_app.app_context():
        assert list(db.session.scalars(select(AuditEntry))) == []
