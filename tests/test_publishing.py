"""Issue 16: German documents published from the browser — forms, workflow with two roles,
scheduling with a controlled clock, revisions and conflicts, soft delete with 410, drafts
kept from visitors, search, feed and site map, two instances on one PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from sqlalchemy import func, select

from webapp.db import db
from webapp.editor.models import AuditEntry, Editor
from webapp.publishing import store as content_store
from webapp.publishing.cli import export_documents
from webapp.publishing.models import ContentDocument, ContentRevision

from .fixtures_db import dispose_app
from .fixtures_editor import (
    OTHER_PASSWORD,
    PASSWORD,
    add_editors,
    clear_content,
    csrf_token,
    log_in,
    make_editor_app,
    password_hash,
)
from .helpers import soup

START = dt.datetime(2030, 3, 1, 9, 0, tzinfo=dt.UTC)


class Clock:
    """A clock the test moves by hand (``PUBLISHING_CLOCK``)."""

    def __init__(self, now: dt.datetime):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def force_refresh(app) -> None:
    with app.app_context():
        content_store.refresh(app, force=True)


def add_freigabe(app, name="freigeberin") -> None:
    with app.app_context():
        db.session.add(Editor(name=name, password_hash=password_hash(PASSWORD), role="freigabe"))
        db.session.commit()


@pytest.fixture()
def cms(editor_app):
    """The editors' app with no browser-made documents, a Freigabe account and a clock."""
    clear_content(editor_app)
    add_freigabe(editor_app)
    clock = Clock(START)
    editor_app.config["PUBLISHING_CLOCK"] = clock
    force_refresh(editor_app)
    yield editor_app, clock
    editor_app.config.pop("PUBLISHING_CLOCK", None)
    clear_content(editor_app)
    force_refresh(editor_app)


def client_of(app, name="redakteurin", password=PASSWORD):
    client = app.test_client()
    assert log_in(client, name, password).status_code == 303
    return client


NEWS = {
    "title": "Neuer Sozialbericht erschienen",
    "short_title": "",
    "slug": "neuer-sozialbericht",
    "summary": "Der Bericht 2030 ist da.",
    "body": (
        "Der **Sozialbericht** beschreibt Armut und Reichtum.\n\n"
        "::: box\n## Gut zu wissen\n\nEin Kasten.\n:::\n"
    ),
    "date": "01.03.2030",
    "sitemap": "y",
}


def post_form(client, url, fields, action="save"):
    page = client.get(url)
    data = {**fields, "action": action, "csrf_token": csrf_token(page.text)}
    version = re.search(r'name="version" value="([^"]*)"', page.text)
    if version and "version" not in fields:
        data["version"] = version.group(1)
    return client.post(url, data=data)


def create_news(client, **changes) -> int:
    response = post_form(client, "/redaktion/inhalte/neu/meldung", {**NEWS, **changes}, "submit")
    assert response.status_code == 303, response.text[:2000]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])


def review_action(client, doc_id, action, **fields):
    url = f"/redaktion/inhalte/{doc_id}/freigabe"
    page = client.get(url)
    version = re.search(r'name="version" value="(\d+)"', page.text)
    data = {
        "csrf_token": csrf_token(page.text),
        "version": version.group(1) if version else "0",
        "action": action,
        **fields,
    }
    return client.post(url, data=data)


def visitor_sees(app, path: str) -> int:
    return app.test_client().get(path).status_code


# --- 1: forms ----------------------------------------------------------------------------


def test_invalid_form_keeps_everything_and_marks_fields(cms):
    app, _ = cms
    client = client_of(app)
    fields = {**NEWS, "title": "", "date": "31.02.2030", "slug": "Böse Adresse"}
    response = post_form(client, "/redaktion/inhalte/neu/meldung", fields)
    assert response.status_code == 422
    html = response.text
    assert 'class="error-summary' in html
    assert 'href="#title"' in html and 'href="#date"' in html and 'href="#slug"' in html
    assert re.search(r'id="title"[^>]*aria-invalid="true"', html)
    assert re.search(r'id="date"[^>]*aria-invalid="true"', html)
    # nothing lost: the body and summary are still in the form
    assert "Der **Sozialbericht** beschreibt" in html
    assert "Der Bericht 2030 ist da." in html
    with app.app_context():
        assert db.session.scalar(select(func.count(ContentDocument.id))) == 0


def test_preview_renders_boxes_without_saving(cms):
    app, _ = cms
    client = client_of(app)
    response = post_form(client, "/redaktion/inhalte/neu/meldung", NEWS, "preview")
    assert response.status_code == 200
    assert '<div class="box box--box">' in response.text
    layout = post_form(client, "/redaktion/inhalte/neu/meldung", NEWS, "layout")
    assert layout.status_code == 200
    assert "Vorschau: So sieht die Seite" in layout.text
    assert 'class="article"' in layout.text  # the portal's news template
    assert layout.headers["Cache-Control"] == "no-store"
    with app.app_context():
        assert db.session.scalar(select(func.count(ContentDocument.id))) == 0


def test_markdown_never_passes_raw_html_or_javascript_links(cms):
    app, _ = cms
    client = client_of(app)
    body = (
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n"
        "[klick](javascript:alert(3)) [auch](JaVaScRiPt:alert(4)) [daten](data:text/html,x)"
    )
    doc_id = create_news(client, body=body)
    freigabe = client_of(app, "freigeberin")
    assert review_action(freigabe, doc_id, "publish").status_code == 303
    html = app.test_client().get("/aktuelles/neuer-sozialbericht").text
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html.lower() and 'href="data:' not in html


# --- 2: workflow, roles, visibility --------------------------------------------------------


def test_draft_is_invisible_everywhere_until_published(cms):
    app, _ = cms
    client = client_of(app)
    doc_id = create_news(client, title="Zwiebelkuchenrezept im Entwurf")
    visitor = app.test_client()
    assert visitor.get("/aktuelles/neuer-sozialbericht").status_code == 404
    assert "/aktuelles/neuer-sozialbericht" not in visitor.get("/suche?q=Zwiebelkuchen").text
    assert "neuer-sozialbericht" not in visitor.get("/sitemap.xml").text
    assert "neuer-sozialbericht" not in visitor.get("/aktuelles/feed.xml").text
    assert "Zwiebelkuchenrezept" not in visitor.get("/aktuelles/").text

    freigabe = client_of(app, "freigeberin")
    assert review_action(freigabe, doc_id, "publish").status_code == 303
    assert visitor.get("/aktuelles/neuer-sozialbericht").status_code == 200
    assert "/aktuelles/neuer-sozialbericht" in visitor.get("/suche?q=Zwiebelkuchen").text
    assert "neuer-sozialbericht" in visitor.get("/sitemap.xml").text
    assert "neuer-sozialbericht" in visitor.get("/aktuelles/feed.xml").text

    # a new draft of a published document leaves the published text in place
    edit = post_form(
        client, f"/redaktion/inhalte/{doc_id}", {**NEWS, "title": "Geheimer neuer Entwurf"}
    )
    assert edit.status_code == 303
    page = visitor.get("/aktuelles/neuer-sozialbericht").text
    assert "Zwiebelkuchenrezept" in page and "Geheimer neuer Entwurf" not in page


def test_redaktion_cannot_publish(cms):
    app, _ = cms
    client = client_of(app)
    doc_id = create_news(client)
    waiting = client_of(app, "freigeberin").get("/redaktion/inhalte/").text
    assert f'href="/redaktion/inhalte/{doc_id}/freigabe"' in waiting
    for action, extra in (
        ("publish", {}),
        ("schedule", {"publish_at": "2031-01-01T10:00"}),
        ("reject", {"comment": "nein"}),
        ("unpublish", {}),
    ):
        assert review_action(client, doc_id, action, **extra).status_code == 403
    page = client.get(f"/redaktion/inhalte/{doc_id}/freigabe").text
    assert "Jetzt veröffentlichen" not in page
    assert visitor_sees(app, "/aktuelles/neuer-sozialbericht") == 404


def test_four_eyes_nobody_publishes_what_they_wrote_themselves(cms):
    """Freigabe may write too, but someone else publishes it; the editor who publishes a text
    another person wrote needs no second look."""
    app, _ = cms
    add_freigabe(app, "zweite")
    author = client_of(app, "freigeberin")
    doc_id = create_news(author)
    refused = review_action(author, doc_id, "publish")
    assert refused.status_code == 303
    page = author.get(f"/redaktion/inhalte/{doc_id}/freigabe").text
    assert "Vier-Augen-Prinzip" in page
    assert visitor_sees(app, "/aktuelles/neuer-sozialbericht") == 404
    scheduled = review_action(author, doc_id, "schedule", publish_at="2031-01-01T10:00")
    assert scheduled.status_code == 303
    assert visitor_sees(app, "/aktuelles/neuer-sozialbericht") == 404
    assert review_action(client_of(app, "zweite"), doc_id, "publish").status_code == 303
    force_refresh(app)
    assert visitor_sees(app, "/aktuelles/neuer-sozialbericht") == 200


def test_reject_with_comment_shown_to_redaktion(cms):
    app, _ = cms
    client = client_of(app)
    doc_id = create_news(client)
    freigabe = client_of(app, "freigeberin")
    empty = review_action(freigabe, doc_id, "reject", comment="  ")
    assert empty.status_code == 422 and 'aria-invalid="true"' in empty.text
    rejected = review_action(freigabe, doc_id, "reject", comment="Bitte Quelle nennen.")
    assert rejected.status_code == 303
    page = client.get(f"/redaktion/inhalte/{doc_id}").text
    assert "Bitte Quelle nennen." in page and "abgelehnt" in page
    assert visitor_sees(app, "/aktuelles/neuer-sozialbericht") == 404


def test_scheduled_publication_appears_at_its_time_without_anyone(cms):
    app, clock = cms
    client = client_of(app)
    doc_id = create_news(client)
    freigabe = client_of(app, "freigeberin")
    # 12:00 in Berlin on 2 March 2030 is 11:00 UTC
    answer = review_action(freigabe, doc_id, "schedule", publish_at="2030-03-02T12:00")
    assert answer.status_code == 303
    past = review_action(freigabe, doc_id, "schedule", publish_at="2020-01-01T12:00")
    assert past.status_code == 422
    field = soup(past.text).find(id="publish_at")
    assert field["aria-invalid"] == "true" and field["value"] == "2020-01-01T12:00"
    assert soup(past.text).find(id=field["aria-describedby"]).get_text(strip=True)
    assert visitor_sees(app, "/aktuelles/neuer-sozialbericht") == 404
    clock.now = dt.datetime(2030, 3, 2, 10, 59, tzinfo=dt.UTC)
    assert visitor_sees(app, "/aktuelles/neuer-sozialbericht") == 404
    clock.now = dt.datetime(2030, 3, 2, 11, 0, tzinfo=dt.UTC)
    # no editor request in between: the first visitor after the time sees it
    assert visitor_sees(app, "/aktuelles/neuer-sozialbericht") == 200
    # and "unpublish on …" ends it at its time (a 410: it was public)
    answer = review_action(freigabe, doc_id, "unpublish", unpublish_at="2030-03-05T08:00")
    assert answer.status_code == 303
    assert visitor_sees(app, "/aktuelles/neuer-sozialbericht") == 200
    clock.now = dt.datetime(2030, 3, 5, 7, 0, tzinfo=dt.UTC)
    assert visitor_sees(app, "/aktuelles/neuer-sozialbericht") == 410


# --- 3: revisions, conflicts, delete ---------------------------------------------------------


def test_every_save_is_a_revision_with_diff_and_restore(cms):
    app, _ = cms
    client = client_of(app)
    doc_id = create_news(client)
    url = f"/redaktion/inhalte/{doc_id}"
    assert post_form(client, url, {**NEWS, "title": "Zweiter Titel"}).status_code == 303
    assert post_form(client, url, {**NEWS, "title": "Dritter Titel"}).status_code == 303
    page = client.get(f"{url}/versionen?nr=3").text
    assert "<del>Titel: Zweiter Titel</del>" in page
    assert "<ins>Titel: Dritter Titel</ins>" in page
    assert "redakteurin" in page
    restore_page = client.get(f"{url}/versionen")
    version = re.search(r'name="version" value="(\d+)"', restore_page.text).group(1)
    restored = client.post(
        f"{url}/versionen/1/wiederherstellen",
        data={"csrf_token": csrf_token(restore_page.text), "version": version},
    )
    assert restored.status_code == 303
    with app.app_context():
        revisions = db.session.scalars(
            select(ContentRevision)
            .where(ContentRevision.document_id == doc_id)
            .order_by(ContentRevision.number)
        ).all()
        assert [r.data["title"] for r in revisions] == [
            NEWS["title"],
            "Zweiter Titel",
            "Dritter Titel",
            NEWS["title"],
        ]
        actions = db.session.scalars(
            select(AuditEntry.action).where(AuditEntry.key == f"doc:{doc_id}")
        ).all()
        assert {"doc-create", "doc-submit", "doc-save", "doc-restore"} <= set(actions)
    assert client.get("/redaktion/protokoll").status_code == 200


def test_second_editors_stale_save_is_refused_with_both_versions(cms):
    app, _ = cms
    first = client_of(app)
    second = client_of(app, "redakteur", OTHER_PASSWORD)
    doc_id = create_news(first)
    url = f"/redaktion/inhalte/{doc_id}"
    page_first = first.get(url).text
    page_second = second.get(url).text

    def send(client, page, title):
        version = re.search(r'name="version" value="(\d+)"', page).group(1)
        data = {**NEWS, "title": title, "version": version, "action": "save"}
        return client.post(url, data={**data, "csrf_token": csrf_token(page)})

    assert send(first, page_first, "Fassung der Ersten").status_code == 303
    refused = send(second, page_second, "Fassung des Zweiten")
    assert refused.status_code == 409
    assert "Fassung der Ersten" in refused.text and "Fassung des Zweiten" in refused.text
    with app.app_context():
        latest = db.session.scalar(
            select(ContentRevision)
            .where(ContentRevision.document_id == doc_id)
            .order_by(ContentRevision.number.desc())
        )
        assert latest.data["title"] == "Fassung der Ersten"
    # saving again from the conflict page is a deliberate choice and works
    assert send(second, refused.text, "Fassung des Zweiten").status_code == 303


def test_soft_delete_answers_410_and_undo_brings_it_back(cms):
    app, _ = cms
    client = client_of(app)
    doc_id = create_news(client)
    freigabe = client_of(app, "freigeberin")
    review_action(freigabe, doc_id, "publish")
    url = f"/redaktion/inhalte/{doc_id}"

    def button(client, action):
        page = client.get(url).text
        version = re.search(r'name="version" value="(\d+)"', page).group(1)
        return client.post(
            f"{url}/{action}", data={"csrf_token": csrf_token(page), "version": version}
        )

    assert button(client, "loeschen").status_code == 403  # published: Freigabe deletes
    search = "/suche?q=Sozialbericht+Armut+Reichtum"
    assert "/aktuelles/neuer-sozialbericht" in app.test_client().get(search).text
    assert button(freigabe, "loeschen").status_code == 303
    assert "/aktuelles/neuer-sozialbericht" not in app.test_client().get(search).text
    gone = app.test_client().get("/aktuelles/neuer-sozialbericht")
    assert gone.status_code == 410
    assert "/uebersicht" in gone.text  # a link to the site map
    assert "neuer-sozialbericht" not in app.test_client().get("/sitemap.xml").text
    assert button(freigabe, "loeschen-rueckgaengig").status_code == 303
    assert visitor_sees(app, "/aktuelles/neuer-sozialbericht") == 200
    assert "/aktuelles/neuer-sozialbericht" in app.test_client().get(search).text


def test_a_crash_mid_save_leaves_the_old_revision(cms, monkeypatch):
    app, _ = cms
    client = client_of(app)
    doc_id = create_news(client)
    from webapp.publishing import workflow

    def crash(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(workflow, "audit", crash)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = post_form(client, f"/redaktion/inhalte/{doc_id}", {**NEWS, "title": "Halb"})
    finally:
        app.config.pop("PROPAGATE_EXCEPTIONS", None)
    assert response.status_code == 500
    with app.app_context():
        db.session.remove()
        titles = db.session.scalars(
            select(ContentRevision.data).where(ContentRevision.document_id == doc_id)
        ).all()
        assert [t["title"] for t in titles] == [NEWS["title"]]
        doc = db.session.get(ContentDocument, doc_id)
        assert doc.version == 2  # created (1) and submitted (2), nothing of the crash


# --- 4: files as baseline, export --------------------------------------------------------


def test_editing_a_file_document_overlays_it_and_export_writes_it(cms, tmp_path):
    app, _ = cms
    client = client_of(app)
    url = "/redaktion/inhalte/datei?pfad=/sozialplanung/"
    original = app.test_client().get("/sozialplanung/").text
    response = post_form(client, url, {"title": "Sozialplanung (geändert)", "body": "Neu."})
    if response.status_code != 303:
        # the path of the page in content/ may differ: find it in the list
        raise AssertionError(response.text[:1500])
    doc_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    assert "Sozialplanung (geändert)" not in app.test_client().get("/sozialplanung/").text
    freigabe = client_of(app, "freigeberin")
    review = freigabe.get(f"/redaktion/inhalte/{doc_id}/freigabe").text
    assert "<ins>Titel: Sozialplanung (geändert)</ins>" in review
    review_action(freigabe, doc_id, "publish")
    page = app.test_client().get("/sozialplanung/").text
    assert "Sozialplanung (geändert)" in page and page != original
    with app.app_context():
        files_store = app.extensions[content_store.FILES_KEY]
        source = files_store.root.parent / files_store.get("/sozialplanung/").source
        before = source.read_text(encoding="utf-8")
        try:
            written, removed = export_documents(app)
            assert (written, removed) == (1, 0)
            text = source.read_text(encoding="utf-8")
            assert "title: Sozialplanung (geändert)" in text and "Neu." in text
        finally:
            source.write_text(before, encoding="utf-8")


# --- 5: translations follow -----------------------------------------------------------------


def test_new_document_shows_german_with_notice_and_freigabe_shows_completeness(cms):
    app, _ = cms
    client = client_of(app)
    doc_id = create_news(client)
    freigabe = client_of(app, "freigeberin")
    review = freigabe.get(f"/redaktion/inhalte/{doc_id}/freigabe").text
    assert "Textteilen nicht übersetzt" in review
    assert "/redaktion/leichte-sprache/eintraege" in review and "/redaktion/en/eintraege" in review
    review_action(freigabe, doc_id, "publish")
    listing = client.get("/redaktion/inhalte/?art=meldung").text
    row = listing[listing.index("/aktuelles/neuer-sozialbericht") :]
    # title, summary, paragraph, box text untranslated; "Gut zu wissen" is in the catalog
    # each language's name in its own language, marked with it
    assert '<span lang="de">Leichte Sprache</span>: 4 von 5 Textteilen nicht übersetzt' in row[:700]
    english = app.test_client().get("/en/aktuelles/neuer-sozialbericht")
    assert english.status_code == 200
    assert '<span lang="de">Der <strong>Sozialbericht</strong>' in english.text
    assert "notice--language" in english.text


# --- 7: events --------------------------------------------------------------------------


EVENT = {
    "title": "Fachtag Sozialplanung 2030",
    "slug": "fachtag-2030",
    "summary": "Ein Fachtag.",
    "body": "Programm folgt.",
    "date": "10.03.2030",
    "time_note": "ab 10 Uhr",
    "place": "Düsseldorf",
    "registration": "https://example.org/anmeldung",
    "organiser": "MAGS NRW\nTelefon 0211 000",
    "sitemap": "y",
}


def test_events_follow_the_data_and_past_ones_leave_the_sidebar(cms):
    app, clock = cms
    client = client_of(app)
    response = post_form(client, "/redaktion/inhalte/neu/veranstaltung", EVENT, "submit")
    assert response.status_code == 303
    doc_id = int(response.headers["Location"].rsplit("/", 1)[-1])
    freigabe = client_of(app, "freigeberin")
    review_action(freigabe, doc_id, "publish")
    visitor = app.test_client()
    page = visitor.get("/veranstaltungen/fachtag-2030").text
    assert "https://example.org/anmeldung" in page and "Telefon 0211 000" in page
    assert "Vergangene Veranstaltung" not in page
    assert "Fachtag Sozialplanung 2030" in visitor.get("/kontakt").text  # the sidebar
    ics = visitor.get("/veranstaltungen/fachtag-2030.ics")
    assert ics.status_code == 200 and b"DTSTART;VALUE=DATE:20300310" in ics.data
    clock.now = dt.datetime(2030, 3, 10, 22, 59, tzinfo=dt.UTC)  # 23:59 in Düsseldorf
    assert "Vergangene Veranstaltung" not in visitor.get("/veranstaltungen/fachtag-2030").text
    clock.now = dt.datetime(2030, 3, 10, 23, 0, tzinfo=dt.UTC)  # midnight: the next day
    assert "Vergangene Veranstaltung" in visitor.get("/veranstaltungen/fachtag-2030").text
    assert "Fachtag Sozialplanung 2030" not in visitor.get("/kontakt").text
    assert "vergangen" in visitor.get("/veranstaltungen/").text


# --- 2/4: two instances on one PostgreSQL ------------------------------------------------


def test_two_instances_on_postgresql_see_the_same_content(fresh_postgres_url, own_translations):
    first = make_editor_app(fresh_postgres_url, own_translations, CONTENT_CHECK_SECONDS=0.2)
    second = make_editor_app(fresh_postgres_url, own_translations, CONTENT_CHECK_SECONDS=0.2)
    try:
        add_editors(first)
        add_freigabe(first)
        assert visitor_sees(second, "/aktuelles/neuer-sozialbericht") == 404
        client = client_of(first)
        doc_id = create_news(client)
        freigabe = client_of(second, "freigeberin")
        assert review_action(freigabe, doc_id, "publish").status_code == 303
        deadline = time.monotonic() + 5
        while visitor_sees(first, "/aktuelles/neuer-sozialbericht") != 200:
            assert time.monotonic() < deadline, "not published on the other instance in 5 s"
            time.sleep(0.1)
        assert visitor_sees(second, "/aktuelles/neuer-sozialbericht") == 200
    finally:
        dispose_app(first)
        dispose_app(second)


def test_addresses_of_other_pages_and_views_are_refused(cms):
    app, _ = cms
    client = client_of(app)
    for kind, slug in (("seite", "redaktion"), ("seite", "sozialplanung"), ("seite", "en")):
        fields = {"title": "Kollision", "slug": slug, "body": "x", "sitemap": "y"}
        response = post_form(client, f"/redaktion/inhalte/neu/{kind}", fields)
        assert response.status_code == 422, slug
        assert "Diese Adresse gibt es schon." in response.text and 'href="#slug"' in response.text
        assert 'id="slug"' in response.text and "Kollision" in response.text


def test_every_publishing_action_needs_a_csrf_token(cms):
    app, _ = cms
    client = client_of(app)
    doc_id = create_news(client)
    freigabe = client_of(app, "freigeberin")
    base = f"/redaktion/inhalte/{doc_id}"
    for url in (
        f"{base}/freigabe",
        f"{base}/loeschen",
        f"{base}/loeschen-rueckgaengig",
        f"{base}/versionen/1/wiederherstellen",
    ):
        response = freigabe.post(url, data={"version": "2", "action": "publish"})
        assert response.status_code == 400, url
    edit = freigabe.post(base, data={**NEWS, "version": "2", "action": "save"})
    assert edit.status_code == 422 and NEWS["summary"] in edit.text  # kept, not saved
    with app.app_context():
        doc = db.session.get(ContentDocument, doc_id)
        assert doc.live_revision_id is None and doc.deleted_at is None and doc.version == 2
        assert db.session.scalar(select(func.count(ContentRevision.id))) == 1
