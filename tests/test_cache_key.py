"""The page cache cannot be poisoned (issue 11, point 1): whatever casing or value a visitor
sends in the headers and cookies the cache key covers, the page served from the cache is the
page a fresh rendering of the same request gives — never a fragment stored as the full page.

One function decides what a request gets (``webapp.fragments.variant_in``); the view and
the cache key both call it (``webapp/caching.py``). The key is one function
(``webapp.caching.page_key``) for both ways to a cached page: the shortcut before Flask's
request context (issue 15) and Flask's own path; a hit by either carries every header the
page got when it was rendered."""

from __future__ import annotations

import gzip

import brotli
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from webapp.caching import EXTENSION_KEY

from .conftest import make_app

#: Paths of every kind of public page: content, list (with "Weitere … laden"), search,
#: start page (language offer), print view, other languages.
PATHS = [
    "/",
    "/hilfen",
    "/en/barrierefreiheit",
    "/leichte-sprache/hilfen",
    "/aktuelles/",
    "/veranstaltungen/?seite=1",
    "/suche?q=bericht",
    "/hilfen?druck=1",
]
TARGETS = ["liste", "suchergebnisse", "inhalt", "LISTE", ""]
#: The page the browser shows (issue 15.6: it decides the out-of-band parts of a fragment).
CURRENT_URLS = [
    "http://localhost/",
    "http://localhost/hilfen",
    "http://localhost/impressum",
    "http://LOCALHOST/kontakt?x=1",
    "http://localhost/en/hilfen",
    "http://localhost/leichte-sprache/",
    "http://example.org/hilfen",
    "/aktuelles/",
    "http://localhost/aktuelles/save-the-date-sozialplanung",
    "nicht einmal eine URL",
]
TRUE_CASINGS = ["true", "TRUE", "True", "tRuE", "true ", " true", "1", "yes", "false", "FALSE", ""]
TRUTH = ["true", "TRUE", "True", "tRUE", "truE"]


def casings(word: str):
    """Every upper/lower-case spelling of ``word``."""
    return st.lists(st.booleans(), min_size=len(word), max_size=len(word)).map(
        lambda flags: "".join(c.upper() if f else c for c, f in zip(word, flags, strict=True))
    )


header_value = st.one_of(
    casings("true"), casings("false"), st.sampled_from(TRUE_CASINGS), st.text(max_size=6)
)
cookie_value = st.one_of(
    st.sampled_from(["100-normal", "150-kontrast", "200-normal", "125-KONTRAST", "999-x", ""]),
    st.text(alphabet="0123456789-kontrasNORMAL", max_size=14),
)
optional = st.none() | st.just(True)


@st.composite
def requests(draw):
    """A GET of a public page with random casings/values of every header and cookie the cache
    key covers (absent or present)."""
    headers = {}
    for name, values in (
        ("HX-Request", header_value),
        ("HX-History-Restore-Request", header_value),
        ("HX-Target", st.sampled_from(TARGETS) | st.text(max_size=5)),
        ("HX-Boosted", header_value),
        ("HX-Current-URL", st.sampled_from(CURRENT_URLS) | st.text(max_size=12)),
        ("Accept-Language", st.sampled_from(["en", "EN-gb", "de-DE,en;q=0.9", "en;q=1,de", "fr"])),
        ("Accept-Encoding", st.sampled_from(["identity", "gzip", "br", "GZIP, BR", "*"])),
        ("Host", st.sampled_from(["localhost", "LOCALHOST", "localhost:80", "example.org"])),
    ):
        if draw(optional):
            value = draw(values)
            if all(32 <= ord(c) < 127 for c in value):  # what a client can send as a header
                headers[name] = value
    cookies = []
    if draw(optional):
        cookies.append("anzeige=" + draw(cookie_value))
    if draw(optional):
        cookies.append(draw(st.sampled_from(["session=x", "SESSION=x", "Anzeige=150-normal"])))
    if cookies:
        headers["Cookie"] = "; ".join(draw(st.permutations(cookies)))
    return draw(st.sampled_from(PATHS)), headers


def decoded(response) -> bytes:
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(response.data)
    if encoding == "gzip":
        return gzip.decompress(response.data)
    return response.data


def everything(response) -> tuple:
    """Status, every header (in any order) and the bytes as sent."""
    return response.status, sorted(response.headers.items()), response.data


def shared(response) -> bool:
    """An answer the page cache stores (``Cache-Control: public``)."""
    return response.status_code == 200 and "public" in response.headers.get("Cache-Control", "")


def comparable(response) -> tuple:
    """What a visitor gets: status, body, type, and htmx's instructions."""
    return (
        response.status_code,
        decoded(response),
        response.mimetype,
        response.headers.get("HX-Retarget"),
        response.headers.get("HX-Reswap"),
    )


#: No periodic check falls due during a test (webapp.caching.checks_due): every hit of a
#: stored page is the shortcut's.
QUIET_CHECKS = {"CATALOG_CHECK_SECONDS": 3600, "CONTENT_CHECK_SECONDS": 3600}


@pytest.fixture(scope="module")
def cached_app():
    return make_app(**QUIET_CHECKS)


@pytest.fixture(scope="module")
def cached_client(cached_app):
    return cached_app.test_client(use_cookies=False)


@pytest.fixture(scope="module")
def fresh_client():
    return make_app(PAGE_CACHE=False).test_client(use_cookies=False)


@pytest.fixture(scope="module")
def casing_app():
    return make_app()


@pytest.mark.parametrize("value", TRUTH)
@pytest.mark.parametrize(
    "header", ["HX-Request", "HX-History-Restore-Request", "HX-Request+HX-Target"]
)
def test_an_htmx_header_in_any_casing_never_replaces_the_full_page(casing_app, header, value):
    cache = casing_app.extensions[EXTENSION_KEY]
    cache.check_generation(None, object())  # an empty cache
    client = casing_app.test_client(use_cookies=False)
    for path in ("/en/barrierefreiheit", "/aktuelles/", "/suche?q=bericht"):
        if header == "HX-Request+HX-Target":
            target = "suchergebnisse" if path.startswith("/suche") else "liste"
            poison = {"HX-Request": value, "HX-Target": target}
        elif "History" in header:
            poison = {header: value, "HX-Request": "true"}
        else:
            poison = {header: value}
        client.get(path, headers=poison)
        for headers in ({}, {"HX-Target": "liste"}, {"HX-Target": "suchergebnisse"}):
            page = client.get(path, headers=headers)
            assert page.status_code == 200
            assert b"<html" in page.data, f"{path} {poison} poisoned the page for {headers}"


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(first=requests(), second=requests())
@example(
    first=("/en/barrierefreiheit", {"HX-Request": "TRUE"}),
    second=("/en/barrierefreiheit", {}),
)
@example(
    first=("/hilfen", {"HX-Request": "true", "HX-History-Restore-Request": "TRUE"}),
    second=("/hilfen", {"HX-Request": "true"}),
)
@example(
    first=("/aktuelles/", {"HX-Request": "TRUE", "HX-Target": "liste"}),
    second=("/aktuelles/", {"HX-Target": "liste"}),
)
def test_a_cached_page_is_always_the_fresh_rendering_of_the_same_request(
    cached_app, cached_client, fresh_client, first, second
):
    # The first request may fill the cache (the attacker), the second may be served from it
    # (the next visitor), then the first again.
    cache = cached_app.extensions[EXTENSION_KEY]
    rendered = {}
    for path, headers in (first, second, first, second):
        shortcuts = cache.shortcuts
        cached = cached_client.get(path, headers=headers)
        fresh = fresh_client.get(path, headers=headers)
        assert comparable(cached) == comparable(fresh), (path, headers)
        request = (path, tuple(sorted(headers.items())))
        if request in rendered and shared(rendered[request]) and "druck" not in path:
            # A stored page again: answered by the shortcut, with every header it got when
            # it was rendered (Vary, Cache-Control, ETag, encoding, security headers).
            assert cache.shortcuts == shortcuts + 1, (path, headers)
            assert everything(cached) == everything(rendered[request]), (path, headers)
        rendered.setdefault(request, cached)


etags = st.sampled_from(['"nonsense"', "*", "", "W/{etag}", "{etag}", '"x", {etag}'])


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(request=requests(), if_none_match=st.none() | etags)
def test_the_shortcut_answers_exactly_as_flasks_own_path(cached_app, request, if_none_match):
    """The same request, answered by the shortcut and — with the shortcut off — by Flask's
    path to the same cache: status, every header and the bytes the same, 304 included."""
    path, headers = request
    client = cached_app.test_client(use_cookies=False)
    stored = client.get(path, headers=headers)
    if if_none_match is not None:
        headers = {
            **headers,
            "If-None-Match": if_none_match.format(etag=stored.headers.get("ETag")),
        }
    cache = cached_app.extensions[EXTENSION_KEY]
    shortcuts = cache.shortcuts
    via_shortcut = client.get(path, headers=headers)
    took = cache.shortcuts - shortcuts
    saved, cached_app.shortcut = cached_app.shortcut, None
    try:
        via_flask = client.get(path, headers=headers)
    finally:
        cached_app.shortcut = saved
    assert cache.shortcuts == shortcuts + took
    assert everything(via_shortcut) == everything(via_flask), (path, headers)
    assert took == (shared(stored) and "druck" not in path), (path, headers)


def test_healthz_by_the_shortcut_is_the_views_answer():
    app = make_app()
    client = app.test_client(use_cookies=False)
    saved, app.shortcut = app.shortcut, None
    try:
        by_view = client.get("/healthz")  # the first makes the process ready
        by_view_en = client.get("/en/healthz")
    finally:
        app.shortcut = saved
    assert by_view.data == b"ok\n"
    assert everything(client.get("/healthz")) == everything(by_view)
    assert everything(client.get("/en/healthz")) == everything(by_view_en)
    for method in ("HEAD", "POST"):
        assert client.open("/healthz", method=method).status_code == (
            200 if method == "HEAD" else 405
        )


def test_a_process_not_ready_is_told_by_the_view(monkeypatch):
    """The shortcut answers ``ok`` only once the view found the process ready."""
    app = make_app()
    monkeypatch.setattr(app.extensions["sozialberichte.content"], "documents", {})
    client = app.test_client(use_cookies=False)
    assert client.get("/healthz").status_code == 503
    assert client.get("/healthz").status_code == 503


def test_the_print_view_shows_the_date_of_printing_not_of_the_first_rendering(monkeypatch):
    from datetime import UTC, datetime

    from webapp import display

    from .helpers import soup

    client = make_app().test_client(use_cookies=False)

    def printed_on(day: datetime) -> str:
        monkeypatch.setattr(display, "_now", lambda: day)
        page = soup(client.get("/hilfen?druck=1").data)
        return page.select_one(".print-info__today").get_text()

    first = printed_on(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    later = printed_on(datetime(2026, 3, 5, 10, 0, tzinfo=UTC))
    assert "2. März 2026" in first
    assert "5. März 2026" in later, "the cached print view kept the day of its first rendering"
    # The portal's time zone: 23:30 UTC on 5 March is already 6 March in Düsseldorf.
    assert "6. März 2026" in printed_on(datetime(2026, 3, 5, 23, 30, tzinfo=UTC))


def test_the_reverse_proxy_key_in_the_docs_covers_everything_the_portal_keys_on():
    """docs/deploy.md's nginx cache key: every request header the portal's pages vary on,
    the display cookie, and the start page's language offer by path (``$uri``, so ``/?x``
    cannot store an English offer for German visitors)."""
    import re
    from pathlib import Path

    from webapp.caching import KEYED_VARY
    from webapp.display import COOKIE

    root = Path(__file__).resolve().parent.parent
    docs = (root / "docs" / "deploy.md").read_text()
    key = re.search(r'proxy_cache_key "([^"]+)";', docs)[1]
    # One key: the documented one is the deployment's (deploy/nginx.conf.template).
    template = (root / "deploy" / "nginx.conf.template").read_text()
    assert f'proxy_cache_key "{key}";' in template
    assert re.search(r"map \$uri \$offer_language \{", template)
    offer_map = re.search(r"map \$(\w+) \$offer_language \{(.*?)\}", docs, re.S)
    assert offer_map[1] == "uri", "the offer depends on the path, not on the query string"
    assert "$offer_language" in key and "$http_accept_language" in offer_map[2]
    for header in KEYED_VARY - {"cookie", "accept-language"}:
        assert "$http_" + header.replace("-", "_") in key, header
    assert f"$cookie_{COOKIE}" in key
    assert key.startswith("$scheme$host$request_uri")
    session = make_app().config["SESSION_COOKIE_NAME"]
    for directive in ("proxy_cache_bypass", "proxy_no_cache"):
        assert re.search(rf"{directive} \$cookie_{session}\b", docs), directive
        assert re.search(rf"{directive} \$cookie_{session}\b", template), directive


def test_a_page_rendered_before_the_catalogs_changed_is_not_stored_after():
    """gthread workers render in several threads: a page rendered with the old catalogs while
    another thread reloaded them must not land in the fresh cache."""
    from webapp.caching import CATALOGS_KEY, EXTENSION_KEY
    from webapp.i18n import reload_catalogs

    app = make_app()
    cache = app.extensions[EXTENSION_KEY]

    @app.before_request
    def _reload_meanwhile():  # runs after the cache lookup, before the view renders
        reload_catalogs(app)
        cache.check_generation(app.extensions.get(CATALOGS_KEY), cache.revision)

    app.test_client().get("/en/hilfen")
    assert len(cache) == 0


@pytest.mark.parametrize("accept", ["gzip, deflate, br", "gzip", "identity", ""])
@pytest.mark.parametrize("conditional", [False, True])
def test_static_files_by_the_shortcut_are_flasks_answer(cached_app, accept, conditional):
    """A static file (hashed name, current or old hash, unhashed, unknown) answered before
    Flask's request context: status, every header and the bytes as Flask's own path."""
    from webapp.assets import EXTENSION_KEY as ASSETS

    assets = cached_app.extensions[ASSETS]
    css = next(name for name in assets.assets if name.endswith(".css"))
    paths = [
        "/static/" + assets.hashed_name(css),
        "/static/" + css,
        "/static/" + assets.hashed_name(css).replace(".", ".0", 1),  # an old hash: no
        "/static/" + css.replace(".css", ".0123456789.css"),
        "/static/keine-datei.css",
        "/static/../pyproject.toml",
    ]
    client = cached_app.test_client(use_cookies=False)
    for path in paths:
        headers = {"Accept-Encoding": accept}
        if conditional:
            etag = client.get(path, headers=headers).headers.get("ETag")
            headers["If-None-Match"] = etag or '"x"'
        before = cached_app.static_shortcuts
        via_shortcut = client.get(path, headers=headers)
        took = cached_app.static_shortcuts - before
        saved, cached_app.shortcut = cached_app.shortcut, None
        try:
            via_flask = client.get(path, headers=headers)
        finally:
            cached_app.shortcut = saved
        assert everything(via_shortcut) == everything(via_flask), (path, headers)
        assert took == (via_flask.status_code in (200, 304)), path
