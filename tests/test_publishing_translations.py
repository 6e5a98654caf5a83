"""Issue 16, point 5: translations follow the German source made in the browser. A new or
changed document published from the browser is in the editors' translation overview at once
(untranslated, or "source changed" with the old translation as a suggestion), on every
instance, and what is translated in the browser lands in the document's own catalog after
``flask content export`` + ``make translations`` + ``flask editor export``."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from io import BytesIO
from pathlib import Path
from urllib.parse import quote

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from webapp.i18n import catalogs

from . import test_publishing
from .fixtures_db import dispose_app
from .fixtures_editor import add_editors, copy_catalogs, csrf_token, make_editor_app
from .helpers import soup
from .test_editor_translations import entry_url, save
from .test_publishing import (
    NEWS,
    START,
    Clock,
    add_freigabe,
    client_of,
    create_news,
    post_form,
    review_action,
)

ROOT = Path(__file__).resolve().parent.parent
cms = test_publishing.cms  # the fixture: the editors' app with no browser-made documents
CATALOG = "content/aktuelles/neuer-sozialbericht.md"
PARAGRAPH = "Der **Sozialbericht** beschreibt Armut und Reichtum."
NEW_PARAGRAPH = "Der **Sozialbericht** beschreibt Armut, Reichtum und Teilhabe."
PAGE = "/aktuelles/neuer-sozialbericht"


def publish_news(app, **changes) -> int:
    doc_id = create_news(client_of(app), **changes)
    response = review_action(client_of(app, "freigeberin"), doc_id, "publish")
    assert response.status_code == 303
    return doc_id


def links_to_entries(html: str, slug: str) -> bool:
    """A link to the entry list of ``slug`` filtered to the document."""
    hrefs = {a["href"] for a in soup(html).select("a[href]")}
    wanted = f"/redaktion/{slug}/eintraege?datei="
    return any(h in hrefs for h in (wanted + CATALOG, wanted + quote(CATALOG, safe="")))


def entries_of(client, slug: str, **query) -> list[dict]:
    args = "&".join(f"{k}={quote(v)}" for k, v in {"datei": CATALOG, **query}.items())
    page = soup(client.get(f"/redaktion/{slug}/eintraege?{args}").text)
    found = []
    for item in page.select("li.editor-entry"):
        facts = [dd.get_text(" ", strip=True) for dd in item.select("dd")]
        found.append({"msgid": facts[1], "status": facts[0], "msgstr": facts[2]})
    return found


def test_a_published_new_document_is_in_the_overview_untranslated_and_translatable(cms):
    app, _ = cms
    doc_id = publish_news(app)
    client = client_of(app)
    for slug in ("en", "leichte-sprache"):
        overview = client.get(f"/redaktion/{slug}/").text
        assert CATALOG in overview, slug  # a row of its own, linked to its entries
        assert links_to_entries(overview, slug)
        found = entries_of(client, slug, status="untranslated")
        msgids = {item["msgid"] for item in found}
        assert {NEWS["title"], NEWS["summary"], PARAGRAPH, "Ein Kasten."} <= msgids, slug
        # the filter offers the document (its title, as for the files' documents)
        entries_page = client.get(f"/redaktion/{slug}/eintraege").text
        assert f'value="{CATALOG}"' in entries_page
    # the document links to its entries in each language (Freigabe view and list)
    review = client.get(f"/redaktion/inhalte/{doc_id}/freigabe").text
    assert links_to_entries(review, "en") and links_to_entries(review, "leichte-sprache")
    listing = client.get("/redaktion/inhalte/?art=meldung").text
    assert links_to_entries(listing, "en") and links_to_entries(listing, "leichte-sprache")
    # until translated: German, marked, with the notice
    english = app.test_client().get("/en" + PAGE).text
    assert '<span lang="de">Der <strong>Sozialbericht</strong>' in english
    assert "notice--language" in english
    plain = app.test_client().get("/leichte-sprache" + PAGE).text
    assert "notice--language" in plain and 'class="untranslated__label"' in plain
    assert '<span lang="de">Der <strong>Sozialbericht</strong>' in plain
    # translated in the browser: the English page shows it
    response = save(client, "en", PARAGRAPH, "The **social report** describes poverty.")
    assert response.status_code == 303, response.text[:2000]
    english = app.test_client().get("/en" + PAGE).text
    assert "The <strong>social report</strong> describes poverty." in english
    translated = {i["msgid"]: i for i in entries_of(client, "en", status="translated")}
    assert PARAGRAPH in translated
    # the audit log names the entry
    audit = client.get("/redaktion/protokoll").text
    assert entry_url("en", PARAGRAPH) in audit


def test_a_changed_paragraph_shows_source_changed_with_the_old_translation(cms):
    app, _ = cms
    doc_id = publish_news(app)
    client = client_of(app)
    response = save(client, "en", PARAGRAPH, "The **social report** describes poverty.")
    assert response.status_code == 303
    body = NEWS["body"].replace(PARAGRAPH, NEW_PARAGRAPH)
    url = f"/redaktion/inhalte/{doc_id}"
    assert post_form(client, url, {**NEWS, "body": body}, "submit").status_code == 303
    assert review_action(client_of(app, "freigeberin"), doc_id, "publish").status_code == 303
    changed = entries_of(client, "en", status="changed")
    assert [item["msgid"] for item in changed] == [NEW_PARAGRAPH]
    assert changed[0]["msgstr"] == "The **social report** describes poverty."
    page = client.get(entry_url("en", NEW_PARAGRAPH)).text
    assert "<del>" in page and "<ins>" in page  # old and new source, the difference marked
    assert "The **social report** describes poverty." in page  # offered in the form
    # not yet reviewed: the English page shows the new German paragraph with the notice
    english = app.test_client().get("/en" + PAGE).text
    assert "Armut, Reichtum und Teilhabe" in english and "notice--language" in english
    # the other language had no translation: plain untranslated, no suggestion
    ls = {i["msgid"]: i for i in entries_of(client, "leichte-sprache")}
    assert ls[NEW_PARAGRAPH]["status"].startswith("nicht übersetzt")
    assert PARAGRAPH not in ls  # the old paragraph left the document


def test_a_draft_is_offered_for_translation_before_it_is_published(cms):
    app, _ = cms
    create_news(client_of(app))
    client = client_of(app)
    msgids = {item["msgid"] for item in entries_of(client, "en")}
    assert PARAGRAPH in msgids
    assert app.test_client().get("/en" + PAGE).status_code == 404  # still a draft


def test_po_download_and_upload_of_a_browser_document(cms):
    app, _ = cms
    publish_news(app)
    client = client_of(app)
    url = "/redaktion/en/katalog/" + CATALOG[: -len(".md")] + ".po"
    response = client.get(url)
    assert response.status_code == 200
    catalog = read_po(BytesIO(response.data))
    assert catalog.get(PARAGRAPH) is not None and catalog.get(NEWS["title"]) is not None
    catalog.get(PARAGRAPH).string = "The social report (uploaded)."
    catalog.locale = "en"
    buffer = BytesIO()
    write_po(buffer, catalog)
    page = client.get("/redaktion/en/hochladen").text
    upload = client.post(
        "/redaktion/en/hochladen",
        data={
            "csrf_token": csrf_token(page),
            "file": (BytesIO(buffer.getvalue()), "neuer-sozialbericht-en.po"),
        },
        content_type="multipart/form-data",
    )
    assert upload.status_code == 200, upload.text[:2000]
    assert "The social report (uploaded)." in app.test_client().get("/en" + PAGE).text
    archive = client.get("/redaktion/en/kataloge.zip")
    assert archive.status_code == 200
    assert b"content/aktuelles/neuer-sozialbericht.po" in archive.data


def own_app(tmp_path):
    """An app on its own copies of content/ and translations/ (export writes into them)."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    translations = copy_catalogs(tmp_path / "translations")
    app = make_editor_app(
        f"sqlite:///{tmp_path}/db.sqlite3",
        translations,
        CONTENT_DIR=str(content),
        PUBLISHING_CLOCK=Clock(START),
    )
    add_editors(app)
    add_freigabe(app)
    return app, content, translations


def test_browser_translations_of_a_browser_document_survive_export_and_make_translations(
    tmp_path,
):
    """Content export, `make translations` (the content step) and `flask editor export`, in
    either order of the last two: the translation lands in the document's own .po."""
    app, content, translations = own_app(tmp_path)
    try:
        publish_news(app)
        client = client_of(app)
        assert save(client, "en", PARAGRAPH, "The social report.").status_code == 303
        assert save(client, "leichte-sprache", NEWS["title"], "Neuer Bericht").status_code == 303
        runner = app.test_cli_runner()
        assert runner.invoke(args=["content", "export"]).exit_code == 0
        assert (content / "aktuelles" / "neuer-sozialbericht.md").exists()
        result = runner.invoke(args=["editor", "export"])
        assert result.exit_code == 0, result.output
        catalogs.update_all(content, translations)  # what `make translations` does for content
        for code, msgid, text in (
            ("en", PARAGRAPH, "The social report."),
            ("de@ls", NEWS["title"], "Neuer Bericht"),
        ):
            po = catalogs.document_po(translations, code, CATALOG)
            catalog = catalogs.read_catalog(po, code)
            assert catalog.get(msgid).string == text and not catalog.get(msgid).fuzzy
            assert catalog.get("Ein Kasten.") is not None  # the whole document, once
        # the overview reads the file now, with nothing lost or doubled
        found = entries_of(client, "en")
        assert [i["msgid"] for i in found].count(PARAGRAPH) == 1
        assert {i["msgid"]: i for i in found}[PARAGRAPH]["msgstr"] == "The social report."
    finally:
        dispose_app(app)


def test_make_translations_before_editor_export_loses_nothing(tmp_path):
    app, content, translations = own_app(tmp_path)
    try:
        publish_news(app)
        client = client_of(app)
        assert save(client, "en", PARAGRAPH, "The social report.").status_code == 303
        runner = app.test_cli_runner()
        assert runner.invoke(args=["content", "export"]).exit_code == 0
        catalogs.update_all(content, translations)
        assert runner.invoke(args=["editor", "export"]).exit_code == 0
        po = catalogs.document_po(translations, "en", CATALOG)
        catalog = catalogs.read_catalog(po, "en")
        assert catalog.get(PARAGRAPH).string == "The social report."
        assert isinstance(catalog, Catalog) and catalog.get(NEWS["summary"]) is not None
    finally:
        dispose_app(app)


def test_two_instances_without_shared_files_translate_a_browser_document(
    fresh_postgres_url, own_translations, tmp_path
):
    other = copy_catalogs(tmp_path / "other")
    first = make_editor_app(fresh_postgres_url, own_translations, CONTENT_CHECK_SECONDS=0.2)
    second = make_editor_app(fresh_postgres_url, other, CONTENT_CHECK_SECONDS=0.2)
    try:
        add_editors(first)
        add_freigabe(first)
        publish_news(first)
        client = client_of(second)
        deadline = time.monotonic() + 5
        while PARAGRAPH not in {i["msgid"] for i in entries_of(client, "en")}:
            assert time.monotonic() < deadline, "not in the other instance's overview in 5 s"
            time.sleep(0.2)
        assert save(client, "en", PARAGRAPH, "The social report.").status_code == 303
        deadline = time.monotonic() + 5
        while "The social report." not in first.test_client().get("/en" + PAGE).text:
            assert time.monotonic() < deadline, "not on the first instance in 5 s"
            time.sleep(0.2)
    finally:
        dispose_app(first)
        dispose_app(second)


HILFEN = "content/seiten/hilfen.md"
HILFEN_FIRST = (
    "Auf dieser Seite erfahren Sie, wie Sie dieses Portal bedienen und an Ihre Bedürfnisse "
    "anpassen."
)
HILFEN_CHANGED = HILFEN_FIRST.replace("dieses Portal", "das Sozialberichte-Portal")


def form_values(html: str) -> dict:
    """The fields of an edit form as the page fills them."""
    form = soup(html).find("textarea", attrs={"name": "body"}).find_parent("form")
    values = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        if field.name == "textarea":
            values[field["name"]] = field.get_text()
        elif field.name == "select":
            chosen = field.find("option", selected=True)
            values[field["name"]] = chosen["value"] if chosen else ""
        elif field.get("type") == "checkbox":
            if field.has_attr("checked"):
                values[field["name"]] = field.get("value", "y")
        elif field.get("type") not in ("submit", "button"):
            values[field["name"]] = field.get("value", "")
    return values


def test_a_file_document_changed_in_the_browser_shows_source_changed(cms):
    """The file's translation of the old paragraph is offered for the new one, in each
    language, and the paragraphs the browser kept stay translated."""
    app, _ = cms
    client = client_of(app)
    url = "/redaktion/inhalte/datei?pfad=/hilfen"
    values = form_values(client.get(url).text)
    assert HILFEN_FIRST in values["body"]
    values["body"] = values["body"].replace(HILFEN_FIRST, HILFEN_CHANGED)
    values.pop("action", None)
    response = post_form(client, url, values, "submit")
    assert response.status_code == 303, response.text[:2000]
    doc_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    # a draft: visitors still see the file, so its paragraph stays an entry as well
    first = {i["msgid"]: i for i in entries_of(client, "en", datei=HILFEN, q="Auf dieser Seite")}
    assert set(first) == {HILFEN_FIRST, HILFEN_CHANGED}
    assert review_action(client_of(app, "freigeberin"), doc_id, "publish").status_code == 303
    for slug, old in (("en", "On this page you can find out"), ("leichte-sprache", "Hier lesen")):
        first = {i["msgid"]: i for i in entries_of(client, slug, datei=HILFEN, q="Auf dieser")}
        assert set(first) == {HILFEN_CHANGED}, slug
        assert first[HILFEN_CHANGED]["msgstr"].startswith(old), slug
        assert first[HILFEN_CHANGED]["status"].startswith("zu prüfen"), slug
    changed = entries_of(client, "en", datei=HILFEN, status="changed")
    assert [i["msgid"] for i in changed] == [HILFEN_CHANGED]
    kept = entries_of(client, "en", datei=HILFEN, q="Aufbau der Seiten")
    assert kept[0]["msgstr"] == "How the pages are structured"
    overview = soup(client.get("/redaktion/en/").text)
    row = next(r for r in overview.select("tr") if HILFEN in r.get_text())
    assert "Hilfen zur Bedienung" in row.get_text()  # the document's title, linked
    # the English page shows the German paragraph, marked, until it is reviewed
    english = app.test_client().get("/en/hilfen").text
    assert "das Sozialberichte-Portal" in english and "notice--language" in english


def test_the_sources_are_built_once_per_content_change(cms, monkeypatch):
    """The overview does not extract the database's documents on every request: only when
    the served content or the newest revision changed."""
    from webapp.publishing import translations

    app, _ = cms
    calls = []
    build = translations._build_sources
    monkeypatch.setattr(translations, "_build_sources", lambda a: calls.append(1) or build(a))
    doc_id = publish_news(app)
    client = client_of(app)
    client.get("/redaktion/en/")
    before = len(calls)
    for _ in range(3):
        assert client.get("/redaktion/en/").status_code == 200
        assert client.get("/redaktion/leichte-sprache/eintraege").status_code == 200
    assert len(calls) == before
    body = NEWS["body"].replace(PARAGRAPH, NEW_PARAGRAPH)
    saved = post_form(client, f"/redaktion/inhalte/{doc_id}", {**NEWS, "body": body})
    assert saved.status_code == 303
    assert NEW_PARAGRAPH in {i["msgid"] for i in entries_of(client, "en")}
    assert len(calls) == before + 1


def test_a_new_page_cannot_take_the_file_of_another_page(cms):
    """``content/seiten/bestellen.md`` serves /sozialberichte/bestellen: a new page
    "bestellen" would be exported over it and share its translation catalog."""
    app, _ = cms
    client = client_of(app)
    fields = {"title": "Bestellen neu", "slug": "bestellen", "body": "Text.", "sitemap": "y"}
    response = post_form(client, "/redaktion/inhalte/neu/seite", fields)
    assert response.status_code == 422
    assert "Diese Adresse gibt es schon." in response.text and 'href="#slug"' in response.text


def test_a_reviewed_suggestion_is_not_a_file_change_after_make_translations(tmp_path):
    """The browser's translation of a changed paragraph of a file document stays in force
    after export and `make translations` (which suggests the same old translation in the
    file), and is not reported as "file changed"."""
    app, content, translations = own_app(tmp_path)
    try:
        client = client_of(app)
        url = "/redaktion/inhalte/datei?pfad=/hilfen"
        values = form_values(client.get(url).text)
        values["body"] = values["body"].replace(HILFEN_FIRST, HILFEN_CHANGED)
        response = post_form(client, url, values, "submit")
        doc_id = int(response.headers["Location"].rsplit("/", 1)[-1])
        assert review_action(client_of(app, "freigeberin"), doc_id, "publish").status_code == 303
        assert save(client, "en", HILFEN_CHANGED, "On this page: how to use it.").status_code == 303
        assert app.test_cli_runner().invoke(args=["content", "export"]).exit_code == 0
        catalogs.update_all(content, translations)
        po = catalogs.read_catalog(catalogs.document_po(translations, "en", HILFEN), "en")
        assert po.get(HILFEN_CHANGED).fuzzy  # pybabel's suggestion, in the file
        found = entries_of(client, "en", datei=HILFEN, q="Auf dieser")
        assert [(i["msgid"], i["msgstr"]) for i in found] == [
            (HILFEN_CHANGED, "On this page: how to use it.")
        ]
        assert entries_of(client, "en", datei=HILFEN, status="file") == []
        assert "On this page: how to use it." in app.test_client().get("/en/hilfen").text
    finally:
        dispose_app(app)


def test_texts_of_the_live_scheduled_and_newest_revision_are_all_offered(cms):
    """Live: the first paragraph; scheduled for later: a second version; newest draft: a
    third. Visitors see, or will see, each: each is an entry until it leaves."""
    app, clock = cms
    doc_id = publish_news(app)
    client = client_of(app)
    freigabe = client_of(app, "freigeberin")
    url = f"/redaktion/inhalte/{doc_id}"
    scheduled = NEWS["body"].replace(PARAGRAPH, NEW_PARAGRAPH)
    assert post_form(client, url, {**NEWS, "body": scheduled}, "submit").status_code == 303
    answer = review_action(freigabe, doc_id, "schedule", publish_at="2030-03-02T12:00")
    assert answer.status_code == 303
    newest = NEWS["body"].replace(PARAGRAPH, "Ein ganz anderer erster Absatz.")
    assert post_form(client, url, {**NEWS, "body": newest}).status_code == 303
    msgids = {i["msgid"] for i in entries_of(client, "en", q="Absatz")} | {
        i["msgid"] for i in entries_of(client, "en", q="Sozialbericht")
    }
    assert {PARAGRAPH, NEW_PARAGRAPH, "Ein ganz anderer erster Absatz."} <= msgids
    clock.now = dt.datetime(2030, 3, 2, 11, 0, tzinfo=dt.UTC)  # the scheduled one is live
    assert app.test_client().get(PAGE).status_code == 200
    msgids = {i["msgid"] for i in entries_of(client, "en", q="Sozialbericht")}
    assert NEW_PARAGRAPH in msgids and PARAGRAPH not in msgids


def test_a_news_items_date_is_its_date_and_only_an_announced_event_says_termin(cms):
    """A news item's date is when it appeared ("Datum:"); "Termin:" (in Leichte Sprache
    "Datum der Veranstaltung:") only where the item announces an event (time or place)."""
    app, _ = cms
    publish_news(app)
    client = client_of(app)
    for prefix, label in (("", "Datum:"), ("/en", "Date:"), ("/leichte-sprache", "Datum:")):
        meta = soup(client.get(prefix + PAGE).text).select_one(".article__meta")
        assert meta.get_text(" ", strip=True).startswith(label), (prefix, meta)
    announced = soup(client.get("/aktuelles/save-the-date-sozialplanung").text)
    assert announced.select_one(".article__meta").get_text(" ", strip=True).startswith("Termin:")
