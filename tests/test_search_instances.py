"""Issue 14, point 4: search on several instances sharing one PostgreSQL database.

Each instance has its own search index file (``SEARCH_INDEX_DIR``, as on separate machines),
or all share the index in PostgreSQL (``SEARCH_BACKEND``, webapp/search_postgres.py).
An editor's change on instance A — a translation saved in the editors' area, a German
document published, changed, deleted or unpublished from the browser — is found (or no
longer found) by search on instance B in its first request after one check interval
(``CATALOG_CHECK_SECONDS``/``CONTENT_CHECK_SECONDS``, 1 s by default): so within 2 s.
The test makes B ask the database just before A's change (the worst case), waits one
interval, and then asks B exactly once.
"""

from __future__ import annotations

import re
import time

import pytest

from .fixtures_db import dispose_app
from .fixtures_editor import add_editors, csrf_token, make_editor_app
from .helpers import soup
from .test_editor_translations import LS, hilfen, save
from .test_publishing import (
    NEWS,
    add_freigabe,
    client_of,
    create_news,
    post_form,
    review_action,
)

#: The default of CATALOG_CHECK_SECONDS and CONTENT_CHECK_SECONDS.
CHECK_SECONDS = 1.0


@pytest.fixture(params=["sqlite", "postgresql"])
def instances(request, fresh_postgres_url, own_translations, tmp_path):
    """Two instances; their search index in a file each, or the one in PostgreSQL."""
    apps = [
        make_editor_app(
            fresh_postgres_url,
            own_translations,
            SEARCH_BACKEND=request.param,
            SEARCH_INDEX_DIR=str(tmp_path / f"index-{name}"),
            CATALOG_CHECK_SECONDS=CHECK_SECONDS,
            CONTENT_CHECK_SECONDS=CHECK_SECONDS,
        )
        for name in ("a", "b")
    ]
    first, second = apps
    if request.param == "sqlite":
        assert first.extensions["sozialberichte.search"].path.startswith(str(tmp_path / "index-a"))
        assert second.extensions["sozialberichte.search"].path.startswith(str(tmp_path / "index-b"))
    add_editors(first)
    add_freigabe(first)
    yield first, second
    for app in apps:
        dispose_app(app)


def found(app, query: str, prefix: str = "") -> list[str]:
    response = app.test_client().get(f"{prefix}/suche", query_string={"q": query})
    assert response.status_code == 200
    return [a["href"] for a in soup(response.text).select(".search-results__title a")]


def indexed(app, language: str, query: str) -> list[str]:
    """The paths the index itself holds (the view also hides what is no longer served)."""
    return [hit.path for hit in app.extensions["sozialberichte.search"].search(language, query)]


def one_interval_later() -> None:
    time.sleep(CHECK_SECONDS + 0.05)


def test_a_change_on_one_instance_is_found_on_the_other_after_one_check(instances):
    a, b = instances
    editor, freigabe = client_of(a), client_of(a, "freigeberin")
    title = hilfen(a).title
    kept = create_news(editor, body="Die **Zaunkoenigmeldung** beschreibt Armut und Reichtum.")
    ended = create_news(
        editor, slug="zweiter-bericht", title="Zweiter Bericht", body="Eine Eisvogelmeldung."
    )
    # B asks the database now, just before the changes: the worst case for its next check.
    assert found(b, "Zaunkoenigmeldung") == found(b, "Eisvogelmeldung") == []  # drafts
    assert found(b, "Zaubertitelpruefung", "/leichte-sprache") == []
    assert review_action(freigabe, kept, "publish").status_code == 303
    assert review_action(freigabe, ended, "publish").status_code == 303
    assert save(editor, LS, title, "Hilfe mit Zaubertitelpruefung").status_code == 303
    one_interval_later()
    assert found(b, "Zaubertitelpruefung", "/leichte-sprache") == ["/leichte-sprache/hilfen"]
    assert found(b, "Zaunkoenigmeldung") == [f"/aktuelles/{NEWS['slug']}"]
    assert found(b, "Eisvogelmeldung", "/en") == ["/en/aktuelles/zweiter-bericht"]

    # Changed, unpublished, and the translation changed again, on A.
    page = f"/redaktion/inhalte/{kept}"
    changed = dict(NEWS, body="Die **Rotkehlchenmeldung** ersetzt den alten Text.")
    assert post_form(editor, page, changed, "submit").status_code == 303
    assert found(b, "Rotkehlchenmeldung") == []  # not yet approved
    assert found(b, "Zaunkoenigmeldung") == [f"/aktuelles/{NEWS['slug']}"]
    assert review_action(freigabe, kept, "publish").status_code == 303
    assert review_action(freigabe, ended, "unpublish", unpublish_at="").status_code == 303
    assert save(editor, LS, title, "Hilfe mit Zauberneupruefung").status_code == 303
    one_interval_later()
    assert found(b, "Zaubertitelpruefung", "/leichte-sprache") == []
    assert indexed(b, "de@ls", "Zaubertitelpruefung") == []
    assert found(b, "Zauberneupruefung", "/leichte-sprache") == ["/leichte-sprache/hilfen"]
    assert found(b, "Rotkehlchenmeldung") == [f"/aktuelles/{NEWS['slug']}"]
    assert found(b, "Zaunkoenigmeldung") == indexed(b, "de", "Zaunkoenigmeldung") == []
    assert found(b, "Eisvogelmeldung") == indexed(b, "de", "Eisvogelmeldung") == []
    assert b.test_client().get("/aktuelles/zweiter-bericht").status_code == 410

    # Deleted on A.
    assert found(b, "Rotkehlchenmeldung") == [f"/aktuelles/{NEWS['slug']}"]
    assert delete(freigabe, kept).status_code == 303
    one_interval_later()
    assert found(b, "Rotkehlchenmeldung") == indexed(b, "de", "Rotkehlchenmeldung") == []
    assert indexed(b, "en", "Rotkehlchenmeldung") == []
    assert b.test_client().get(f"/aktuelles/{NEWS['slug']}").status_code == 410


def delete(client, doc_id: int):
    url = f"/redaktion/inhalte/{doc_id}"
    page = client.get(url).text
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    return client.post(f"{url}/loeschen", data={"csrf_token": csrf_token(page), "version": version})


def test_workers_on_one_index_file_index_a_published_document_once(
    tmp_path, own_translations, monkeypatch
):
    """The workers of one instance share its index file: what one worker indexed for a
    published document, another (or one started later) finds there and does not render
    again — the file records the published state it holds, as it records the overrides."""
    from webapp import search

    config = {"SEARCH_INDEX_DIR": str(tmp_path / "index"), "CONTENT_CHECK_SECONDS": 0}
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    first = make_editor_app(url, own_translations, **config)
    try:
        add_editors(first)
        add_freigabe(first)
        editor, freigabe = client_of(first), client_of(first, "freigeberin")
        doc_id = create_news(editor, body="Die **Zaunkoenigmeldung** ist da.")
        assert review_action(freigabe, doc_id, "publish").status_code == 303
        assert found(first, "Zaunkoenigmeldung") == [f"/aktuelles/{NEWS['slug']}"]
        second = make_editor_app(url, own_translations, **config)
        path = first.extensions["sozialberichte.search"].path
        assert second.extensions["sozialberichte.search"].path == path
        rendered = []
        monkeypatch.setattr(search, "_index_document", lambda *args, **kw: rendered.append(args))
        assert found(second, "Zaunkoenigmeldung") == [f"/aktuelles/{NEWS['slug']}"]
        assert found(second, "Zaunkoenigmeldung", "/en") == [f"/en/aktuelles/{NEWS['slug']}"]
        assert rendered == []
        # A deletion is recorded too: a worker started afterwards renders nothing either.
        monkeypatch.undo()
        assert delete(freigabe, doc_id).status_code == 303
        assert found(first, "Zaunkoenigmeldung") == []
        third = make_editor_app(url, own_translations, **config)
        monkeypatch.setattr(search, "_index_document", lambda *args, **kw: rendered.append(args))
        assert found(third, "Zaunkoenigmeldung") == []
        assert indexed(third, "de", "Zaunkoenigmeldung") == []
        assert rendered == []
        dispose_app(second)
        dispose_app(third)
    finally:
        dispose_app(first)


def test_a_change_while_an_instance_renders_older_texts_is_indexed_later(
    tmp_path, own_translations
):
    """B loaded its catalogs, then A saved a second change, then B searched before it knew
    of it: B once indexed its older text and recorded the newer change as indexed, so its
    search never found the newer text. It renders with catalogs loaded after it read the
    changes now."""
    from webapp.editor import runtime

    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    a, b = (
        make_editor_app(
            url,
            own_translations,
            SEARCH_INDEX_DIR=str(tmp_path / f"index-{name}"),
            CATALOG_CHECK_SECONDS=3600,  # B learns of a change only when the test says so
        )
        for name in ("a", "b")
    )
    try:
        add_editors(a)
        editor = client_of(a)
        title = hilfen(a).title
        assert save(editor, LS, title, "Hilfe mit Erstwortpruefung").status_code == 303
        with b.app_context():
            runtime.refresh(b, force=True)
        page = b.test_client().get("/leichte-sprache/hilfen").text
        assert "Erstwortpruefung" in page  # B's catalogs hold the first change
        assert save(editor, LS, title, "Hilfe mit Zweitwortpruefung").status_code == 303
        # B synchronises its index now (it knows of a change): with the texts of now.
        assert found(b, "Zweitwortpruefung", "/leichte-sprache") == ["/leichte-sprache/hilfen"]
        with b.app_context():
            runtime.refresh(b, force=True)
        assert found(b, "Zweitwortpruefung", "/leichte-sprache") == ["/leichte-sprache/hilfen"]
        assert found(b, "Erstwortpruefung", "/leichte-sprache") == []
    finally:
        dispose_app(a)
        dispose_app(b)
