"""The deployment of docs/deploy.md on loopback: nginx (TLS) in front of two portal instances
that share one PostgreSQL. Pages, static files, display preferences, forms and an editor's
change work through it (``make test-deploy``)."""

from __future__ import annotations

import gzip
import re
import subprocess
import time
from urllib.parse import urlencode

import brotli
import pytest

from .fixtures_deploy import BIN, ROOT

pytestmark = [pytest.mark.deploy, pytest.mark.xdist_group("deploy")]


@pytest.fixture()
def stack(deploy_stack):
    return deploy_stack


def test_pages_come_through_nginx_over_https_with_the_portals_headers(stack):
    for path in ("/", "/en/", "/leichte-sprache/", "/veranstaltungen/", "/suche?q=Bericht"):
        reply = stack.get(path, Accept_Encoding="br, gzip")
        assert reply.status == 200, path
        headers = reply.headers
        # The portal knows it is served over HTTPS (ProxyFix): HSTS.
        assert headers["Strict-Transport-Security"].startswith("max-age="), path
        assert len(headers.get_all("Content-Security-Policy")) == 1, path
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Content-Encoding"] in ("br", "gzip"), path
        assert headers["Server"] == "nginx", "no version, no gunicorn"


def test_plain_http_is_redirected_to_https(stack):
    reply = stack.request("GET", "/kontakt?x=1", https=False)
    assert reply.status == 301
    assert reply.headers["Location"] == f"{stack.origin}/kontakt?x=1"


def test_static_files_have_hashed_names_and_are_cached_for_a_year(stack):
    page = stack.get("/").text
    stylesheet = re.search(r'href="(/static/(?:css|dist)/portal\.[0-9a-f]{10}\.css)"', page)[1]
    first = stack.get(stylesheet, Accept_Encoding="gzip")
    assert first.status == 200
    assert first.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert first.headers["Content-Encoding"] == "gzip"
    revalidated = stack.get(stylesheet, Accept_Encoding="gzip", If_None_Match=first.headers["ETag"])
    assert revalidated.status == 304


def test_pages_revalidate_with_their_etag(stack):
    first = stack.get("/hilfen", Accept_Encoding="br")
    assert first.headers["ETag"]
    again = stack.get("/hilfen", Accept_Encoding="br", If_None_Match=first.headers["ETag"])
    assert again.status == 304


def test_display_preference_through_the_proxy(stack):
    body = urlencode({"aktion": "groesser", "zurueck": "/hilfen"}).encode()
    form = {"Content-Type": "application/x-www-form-urlencoded", "Origin": stack.origin}
    reply = stack.request("POST", "/anzeige", form, body)
    assert reply.status == 303
    assert reply.headers["Location"].endswith("/hilfen#anzeige-groesser")
    cookie = reply.cookies()["anzeige"]
    assert cookie["secure"], "behind HTTPS the display cookie is Secure"
    assert cookie["httponly"]
    page = stack.get("/hilfen", Cookie=f"anzeige={cookie.value}")
    assert re.search(r'<html[^>]*class="[^"]*text-125', page.text)
    # Without the cookie the same page is the default view (not the cached larger one).
    assert "text-125" not in re.search(r"<html[^>]*>", stack.get("/hilfen").text)[0]


def test_display_preference_refuses_a_cross_site_post(stack):
    body = urlencode({"aktion": "kontrast"}).encode()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": "https://angreifer.example",
        "Sec-Fetch-Site": "cross-site",
    }
    assert stack.request("POST", "/anzeige", headers, body).status == 403


def test_a_form_is_stored_in_postgresql_across_both_instances(stack):
    import psycopg

    page = stack.get("/kontakt")
    assert page.status == 200
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text)
    token = token or re.search(r'value="([^"]+)"[^>]*name="csrf_token"', page.text)
    session = page.cookies()["session"]
    assert session["secure"], "behind HTTPS the session cookie is Secure"
    fields = {
        "csrf_token": token[1],
        "name": "Erika Mustermann",
        "email": "erika@example.org",
        "subject": "Über nginx",
        "message": "Gesendet durch den Reverse Proxy.",
        "consent": "y",
    }
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": stack.origin,
        "Cookie": f"session={session.value}",
    }
    # nginx alternates between the instances: both accept the token (one SECRET_KEY).
    for _ in range(2):
        reply = stack.request("POST", "/kontakt", headers, urlencode(fields).encode())
        assert reply.status == 303, reply.text[:500]
        assert reply.headers["Location"].endswith("/kontakt/bestaetigung")
    confirmation = stack.get(
        "/kontakt/bestaetigung", Cookie=f"session={reply.cookies()['session'].value}"
    )
    assert confirmation.status == 200 and confirmation.headers["Cache-Control"] == "no-store"
    url = stack.database_url
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT reference, kind FROM submission WHERE kind = 'kontakt' ORDER BY id"
        ).fetchall()
    assert len(rows) == 2
    assert rows[-1][0] in confirmation.text  # the reference number of the last one


EDITOR, EDITOR_PASSWORD = "deploy-redakteurin", "ein langes Passwort für den Proxy-Test"


def session_of(reply, current: str | None = None) -> str | None:
    cookies = reply.cookies()
    return cookies["session"].value if "session" in cookies else current


def h1(html: str) -> str:
    return re.sub(r"<[^>]+>|\s+", " ", re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)[1]).strip()


def test_an_editors_change_through_one_instance_shows_on_both_at_once(stack, app):
    from webapp.editor.catalog import entry_key

    subprocess.run(
        [str(BIN / "flask"), "--app", "webapp:create_app()", "editor", "add", EDITOR],
        input=f"{EDITOR_PASSWORD}\n{EDITOR_PASSWORD}\n",
        text=True,
        cwd=ROOT,
        env=stack.env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    public = "/leichte-sprache/hilfen"
    old = h1(stack.get(public).text)
    for _ in range(4):  # in the page cache of every worker behind nginx now
        assert h1(stack.get(public).text) == old
    form = {"Content-Type": "application/x-www-form-urlencoded", "Origin": stack.origin}

    login = stack.get("/redaktion/anmelden")
    session = session_of(login)
    fields = {"csrf_token": csrf(login.text), "name": EDITOR, "password": EDITOR_PASSWORD}
    reply = stack.request(
        "POST",
        "/redaktion/anmelden",
        {**form, "Cookie": f"session={session}"},
        urlencode(fields).encode(),
    )
    assert reply.status == 303, reply.text[:300]
    session = session_of(reply, session)
    assert reply.cookies()["session"]["secure"]

    title = app.extensions["sozialberichte.content"].get("/hilfen").title
    entry = f"/redaktion/leichte-sprache/eintrag/{entry_key(title)}"
    page = stack.get(entry, Cookie=f"session={session}")
    assert page.status == 200
    session = session_of(page, session)  # the form token starts with this page
    version = re.search(r'name="version"[^>]*value="([^"]*)"', page.text)[1]
    new = "Hilfe durch den Proxy"
    fields = {"csrf_token": csrf(page.text), "version": version, "action": "save", "msgstr-0": new}
    reply = stack.request(
        "POST", entry, {**form, "Cookie": f"session={session}"}, urlencode(fields).encode()
    )
    assert reply.status == 303, reply.text[:300]

    # Through nginx's micro-cache (1 s) the change shows within 2 s: CATALOG_CHECK_SECONDS
    # (0.5 s here) + s-maxage; then every worker of both instances serves it: eight requests
    # in a row through nginx all show it.
    saved = time.monotonic()
    while h1(stack.get(public, Accept_Encoding="identity").text) != new:
        assert time.monotonic() - saved < 2.0, "the change was not visible through nginx in 2 s"
        time.sleep(0.05)
    deadline = time.monotonic() + 5
    streak = 0
    while streak < 8:
        assert time.monotonic() < deadline, "the change did not reach every instance"
        streak = streak + 1 if h1(stack.get(public).text) == new else 0
        if not streak:
            time.sleep(0.1)
    # Once every worker of both instances answers with the change, nginx never shows the old
    # page again, across refreshes of its copy: it keeps its cache files open between hits
    # (open_file_cache), and a refreshed copy is a new file it must reopen.
    for instance in range(len(stack.instances)):
        streak, deadline = 0, time.monotonic() + 5
        while streak < 8:
            assert time.monotonic() < deadline, f"instance {instance} did not take the change"
            streak = streak + 1 if h1(stack.direct(public, instance=instance).text) == new else 0
    seen, until = 0, time.monotonic() + 2.5  # more than two refreshes (s-maxage=1)
    while time.monotonic() < until:
        assert h1(stack.get(public).text) == new, f"the old page after {seen} new ones"
        seen += 1
        time.sleep(0.01)
    assert h1(stack.get("/hilfen").text) == title  # German unchanged


def csrf(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    match = match or re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
    return match[1]


# --- the page cache in nginx (issue 15.3, 15.4) -------------------------------------------


def decoded(reply) -> bytes:
    encoding = reply.headers.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(reply.body)
    if encoding == "gzip":
        return gzip.decompress(reply.body)
    return reply.body


def answer(reply) -> tuple:
    """What a visitor gets: status, page, type, htmx's instructions, cacheability."""
    return (
        reply.status,
        decoded(reply),
        reply.headers.get("Content-Type"),
        reply.headers.get("HX-Retarget"),
        reply.headers.get("Cache-Control"),
    )


def through_cache(stack, path: str, headers: dict) -> list:
    """``path`` three times through nginx: the first may fill its cache, the others are
    served from it (when the page is shareable)."""
    return [stack.request("GET", path, headers) for _ in range(3)]


CASES = [
    ("/hilfen", {}),
    ("/hilfen", {"Cookie": "anzeige=150-kontrast"}),
    ("/hilfen", {"Cookie": "anzeige=200-normal"}),
    ("/leichte-sprache/hilfen", {}),
    ("/en/hilfen", {"Cookie": "anzeige=125-normal"}),
    ("/", {"Accept-Language": "en"}),
    ("/", {"Accept-Language": "de"}),
    ("/hilfen", {"HX-Request": "true"}),
    ("/hilfen", {"HX-Request": "TRUE", "HX-Current-URL": "{origin}/"}),
    ("/hilfen", {"HX-Request": "tRuE", "HX-Current-URL": "{origin}/impressum"}),
    ("/hilfen", {"HX-Request": "true", "HX-History-Restore-Request": "True"}),
    ("/aktuelles/", {"HX-Request": "True", "HX-Target": "liste"}),
    ("/hilfen", {"Cookie": "session=nicht-gueltig"}),
]


@pytest.mark.parametrize("encoding", ["br", "gzip", "identity"])
def test_every_variant_through_the_cache_is_what_an_instance_answers(stack, encoding):
    """Display modes, languages, whole page vs fragment in any casing, a history restore, a
    visitor with a session: through nginx's cache exactly what an instance answers directly;
    and public pages are actually served from nginx's cache."""
    # Fill nginx's cache with each variant first, interleaved: a variant stored under a key
    # that is too coarse would be served to the next one.
    cases = [
        (path, {k: v.format(origin=stack.origin) for k, v in headers.items()})
        for path, headers in CASES
    ]
    for path, headers in cases:
        stack.request("GET", path, {**headers, "Accept-Encoding": encoding})
    for path, headers in cases:
        headers = {**headers, "Accept-Encoding": encoding}
        replies = through_cache(stack, path, headers)
        expected = answer(stack.direct(path, headers))
        for reply in replies:
            assert answer(reply) == expected, (path, headers)
        statuses = {reply.headers.get("X-Cache-Status") for reply in replies[1:]}
        if "session=" in headers.get("Cookie", ""):
            assert statuses == {"BYPASS"}, "a visitor with a session always reaches an instance"
        else:
            assert statuses <= {"HIT", "UPDATING"} and "HIT" in statuses, (path, headers)


def test_a_forms_token_is_never_shared_between_visitors(stack):
    replies = through_cache(stack, "/kontakt", {"Accept-Encoding": "br"})
    tokens = [csrf(decoded(reply).decode()) for reply in replies]
    assert len(set(tokens)) == 3, "each visitor gets a token of their own"
    for reply in replies:
        assert reply.headers["Cache-Control"] == "no-store"
        assert reply.headers.get("X-Cache-Status") in (None, "MISS")
        assert "session" in reply.cookies()


def test_a_missing_page_is_not_cached_and_is_what_an_instance_answers(stack):
    for headers in ({}, {"HX-Request": "true"}):
        replies = through_cache(stack, "/gibt-es-nicht", headers)
        expected = answer(stack.direct("/gibt-es-nicht", headers))
        assert expected[0] == 404
        for reply in replies:
            assert answer(reply) == expected
            assert reply.headers.get("X-Cache-Status") != "HIT"


def test_the_editors_area_is_never_cached(stack):
    for _ in range(3):
        reply = stack.get("/redaktion/anmelden")
        assert reply.headers["Cache-Control"] == "no-store"
        assert reply.headers.get("X-Cache-Status") != "HIT"
