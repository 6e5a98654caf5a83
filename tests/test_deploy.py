"""The deployment of docs/deploy.md on loopback: nginx (TLS) in front of two portal instances
that share one PostgreSQL. Pages, static files, display preferences, forms and an editor's
change work through it (``make test-deploy``)."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest

from .deploy_stack import start_stack, stop_stack
from .fixtures_editor import copy_catalogs

pytestmark = [pytest.mark.deploy, pytest.mark.xdist_group("deploy")]


@pytest.fixture(scope="module")
def stack(postgres_url, tmp_path_factory):
    translations = copy_catalogs(tmp_path_factory.mktemp("deploy") / "translations")
    stack = start_stack(postgres_url, translations)
    yield stack
    stop_stack(stack, postgres_url)


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
    stylesheet = re.search(r'href="(/static/css/portal\.[0-9a-f]{10}\.css)"', page)[1]
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
    assert reply.headers["Location"].endswith("/hilfen")
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
    reference = re.search(r"[A-Z0-9]{3,}-[A-Z0-9-]+", confirmation.text)
    assert confirmation.status == 200 and confirmation.headers["Cache-Control"] == "no-store"
    url = stack.database_url
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT reference, kind FROM submission WHERE kind = 'kontakt' ORDER BY id"
        ).fetchall()
    assert len(rows) == 2
    assert reference is not None and reference[0] == rows[-1][0]
