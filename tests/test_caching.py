"""Render once, serve many: public pages come from the page cache (``webapp/caching.py``),
kept apart by language, display preference and htmx, with ETag and 304, never stale after a
translation changed, and never for per-visitor pages."""

from __future__ import annotations

import contextlib
import gzip

import brotli
import pytest
from flask import template_rendered

from webapp.caching import EXTENSION_KEY, REVISION_KEY
from webapp.i18n import reload_catalogs

from .conftest import make_app
from .helpers import soup
from .test_editor_translations import LS, h1_of, hilfen, save


@pytest.fixture()
def cache_app():
    return make_app()


@contextlib.contextmanager
def rendered(app):
    """The templates ``app`` renders inside the block."""
    names = []

    def record(sender, template, context, **extra):
        names.append(template.name)

    template_rendered.connect(record, app)
    try:
        yield names
    finally:
        template_rendered.disconnect(record, app)


def test_a_page_is_rendered_once_then_served_from_the_cache(cache_app):
    client = cache_app.test_client()
    first = client.get("/hilfen")
    with rendered(cache_app) as templates:
        again = [client.get("/hilfen") for _ in range(3)]
    assert templates == [], "a cached page must not be rendered again"
    assert all(r.data == first.data and r.status_code == 200 for r in again)
    assert cache_app.extensions[EXTENSION_KEY].hits == 3


def test_pages_have_an_etag_and_answer_304(cache_app):
    client = cache_app.test_client()
    first = client.get("/veranstaltungen/")
    etag = first.headers["ETag"]
    # Browsers revalidate (changes show at once); a shared cache may keep it one second.
    assert first.headers["Cache-Control"] == "public, max-age=0, s-maxage=1"
    for name in ("HX-Request", "Cookie", "Accept-Encoding"):
        assert name in first.headers["Vary"]
    again = client.get("/veranstaltungen/", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    other = client.get("/veranstaltungen/", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200


def test_only_pages_the_same_for_everyone_are_shareable(cache_app):
    """The portal tells a proxy what it may share (issue 15.3): a stored page is public, a
    404 and a page for a visitor with a session are private, a form is no-store."""
    client = cache_app.test_client(use_cookies=False)
    assert client.get("/hilfen").headers["Cache-Control"].startswith("public, ")
    assert client.get("/gibt-es-nicht").headers["Cache-Control"] == "private, no-cache"
    with_session = client.get("/hilfen", headers={"Cookie": "session=x"})
    assert with_session.headers["Cache-Control"] == "private, no-cache"
    assert client.get("/kontakt").headers["Cache-Control"] == "no-store"
    assert "public" not in client.get("/redaktion/anmelden").headers["Cache-Control"]
    fragment = client.get("/hilfen", headers={"HX-Request": "true"})
    assert fragment.headers["Cache-Control"].startswith("public, ")
    assert "HX-Current-URL" in fragment.headers["Vary"]


def test_compressed_variants_are_the_same_page(cache_app):
    client = cache_app.test_client()
    plain = client.get("/hilfen", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    br = client.get("/hilfen", headers={"Accept-Encoding": "gzip, br"})
    gz = client.get("/hilfen", headers={"Accept-Encoding": "gzip"})
    assert br.headers["Content-Encoding"] == "br"
    assert gz.headers["Content-Encoding"] == "gzip"
    assert brotli.decompress(br.data) == plain.data == gzip.decompress(gz.data)
    assert len(br.data) < len(plain.data) / 3
    # Each encoding has its own ETag (the bytes differ).
    assert len({plain.headers["ETag"], br.headers["ETag"], gz.headers["ETag"]}) == 3


def html_classes(response) -> list[str]:
    return soup(response.data).html.get("class", [])


def test_language_display_preference_and_htmx_are_kept_apart(cache_app):
    client = cache_app.test_client(use_cookies=False)
    default = client.get("/hilfen")
    larger = client.get("/hilfen", headers={"Cookie": "anzeige=150-kontrast"})
    fragment = client.get("/hilfen", headers={"HX-Request": "true"})
    english = client.get("/en/hilfen")
    # The same again, now all from the cache.
    with rendered(cache_app) as templates:
        assert html_classes(client.get("/hilfen")) == html_classes(default) == []
        again = client.get("/hilfen", headers={"Cookie": "anzeige=150-kontrast"})
        assert html_classes(again) == html_classes(larger) == ["text-150", "kontrast"]
        assert client.get("/hilfen", headers={"HX-Request": "true"}).data == fragment.data
        assert client.get("/en/hilfen").data == english.data
        # A tampered cookie is the default view: the same cached page.
        assert client.get("/hilfen", headers={"Cookie": "anzeige=999-x"}).data == default.data
    assert templates == []
    assert b"<html" not in fragment.data and b"<html" in default.data
    assert soup(english.data).html["lang"] == "en"


def test_a_history_restore_gets_the_whole_page_not_the_cached_fragment(cache_app):
    client = cache_app.test_client()
    client.get("/hilfen", headers={"HX-Request": "true"})
    restore = client.get(
        "/hilfen", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert b"<html" in restore.data


def test_form_pages_stay_per_visitor(cache_app):
    tokens = set()
    for _ in range(2):
        response = cache_app.test_client().get("/kontakt")
        assert response.headers["Cache-Control"] == "no-store"
        assert "ETag" not in response.headers
        tokens.add(soup(response.data).find("input", attrs={"name": "csrf_token"})["value"])
    assert len(tokens) == 2, "each visitor gets a token of their own"


def test_a_visitor_with_a_session_is_served_a_fresh_page(cache_app):
    client = cache_app.test_client()
    client.get("/hilfen")  # cached now
    client.get("/kontakt")  # the form's token starts a session
    with rendered(cache_app) as templates:
        assert client.get("/hilfen").status_code == 200
    assert templates, "with a session cookie the page is rendered, not taken from the cache"


def test_editors_area_is_never_cached(cache_app):
    client = cache_app.test_client(use_cookies=False)
    client.get("/redaktion/anmelden")
    with rendered(cache_app) as templates:
        client.get("/redaktion/anmelden")
    assert templates


def test_reloaded_catalogs_or_a_new_revision_drop_every_page(cache_app):
    client = cache_app.test_client()
    client.get("/en/hilfen")
    with rendered(cache_app) as templates:
        client.get("/en/hilfen")
    assert templates == []
    reload_catalogs(cache_app)
    with rendered(cache_app) as templates:
        client.get("/en/hilfen")
    assert templates, "after reload_catalogs the page is rendered anew"
    cache_app.extensions[REVISION_KEY] = (cache_app.extensions.get(REVISION_KEY) or 0) + 1
    with rendered(cache_app) as templates:
        client.get("/en/hilfen")
    assert templates, "after a new catalog revision the page is rendered anew"


def test_an_editors_change_shows_at_once_never_stale(editor_client, editor_app):
    public = editor_app.test_client(use_cookies=False)
    doc = hilfen(editor_app)
    before = public.get(f"/{LS}/hilfen", headers={"Accept-Encoding": "br"})
    etag = before.headers["ETag"]
    assert public.get(f"/{LS}/hilfen", headers={"If-None-Match": etag}).status_code in (200, 304)
    assert save(editor_client, LS, doc.title, "Hilfe für alle Seiten").status_code == 303
    after = public.get(f"/{LS}/hilfen", headers={"Accept-Encoding": "br", "If-None-Match": etag})
    assert after.status_code == 200, "the old ETag must not match the changed page"
    assert h1_of(brotli.decompress(after.data).decode()) == "Hilfe für alle Seiten"


def test_the_cache_is_bounded():
    app = make_app(PAGE_CACHE_ENTRIES=3)
    client = app.test_client()
    for path in ("/", "/hilfen", "/datenschutz", "/uebersicht", "/veranstaltungen/", "/impressum"):
        client.get(path)
    assert len(app.extensions[EXTENSION_KEY]) == 3


def test_debug_mode_renders_every_time_and_the_cache_can_be_switched_off():
    assert EXTENSION_KEY not in make_app(DEBUG=True).extensions
    assert EXTENSION_KEY not in make_app(PAGE_CACHE="0").extensions  # from the environment


def test_a_repeated_search_is_served_from_the_cache_stored_at_the_fast_level(
    cache_app, monkeypatch
):
    """A query asked again (a popular term, a press release's link) is not rendered again;
    and an address with a query string (search, a list's page n) is stored compressed at
    the fast level, as an uncached answer would be: there are many of them, each rarely
    asked twice, and the best level costs ten times the search itself."""
    from webapp import compression

    levels = []
    encode = compression.encode_all

    def spy(body, best=True):
        levels.append(best)
        return encode(body, best)

    monkeypatch.setattr(compression, "encode_all", spy)
    client = cache_app.test_client()
    headers = {"Accept-Encoding": "br"}
    first = client.get("/suche?q=Sozialbericht", headers=headers)
    assert first.status_code == 200 and levels == [False]
    with rendered(cache_app) as templates:
        again = client.get("/suche?q=Sozialbericht", headers=headers)
    assert templates == [] and again.data == first.data
    other = client.get("/suche?q=Armut", headers=headers)
    assert other.data != first.data  # the query is part of the key
    levels.clear()
    client.get("/hilfen", headers=headers)
    assert levels == [True]  # an address without a query: once, at the best level


@pytest.mark.parametrize(
    "accept, encoding",
    [("gzip, deflate, br", "br"), ("gzip", "gzip"), ("br;q=0, gzip", "gzip"), ("", None)],
)
def test_a_per_visitor_answer_is_sent_in_the_encoding_the_visitor_accepts(
    cache_app, accept, encoding
):
    response = cache_app.test_client().get("/kontakt", headers={"Accept-Encoding": accept})
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers.get("Content-Encoding") == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    body = response.data
    if encoding == "br":
        body = brotli.decompress(body)
    elif encoding == "gzip":
        body = gzip.decompress(body)
    assert soup(body).find("input", attrs={"name": "csrf_token"}) is not None
