"""Every link the portal builds stays on the site (issue 11, point 7): a path a visitor typed
(``/en/%5Cevil.example`` is ``/\\evil.example`` to the app, ``//evil.example`` after a
language prefix) reaches links, form actions and addresses only through the one link builder
(``webapp/links.py``), which percent-encodes it, so no browser resolves it to another host."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest

from .conftest import make_app
from .helpers import soup

BASE = "http://localhost"
HOSTILE = [
    "/en/%5Cevil.example",
    "/%5Cevil.example",
    "/leichte-sprache/%5C%5Cevil.example/x",
    "/en//evil.example",
    "/leichte-sprache//evil.example",
    "/en/%2F%2Fevil.example",
    "/en/%2F%5Cevil.example",
    "/%09/evil.example",
    "/en/%5C%09evil.example",
    "/%5Cevil.example?druck=1",
    "/en/%5Cevil.example?a=%5C%22%3E",
    "/en/%E2%80%AE%5Cevil.example",
]
ATTRIBUTES = ("href", "action", "src", "data-hx-post", "data-hx-get", "hx-post", "hx-get")


def resolved_by_a_browser(page_url: str, value: str):
    """How a browser (WHATWG URL parser) resolves ``value`` on ``page_url``: leading and
    trailing C0 controls and spaces stripped, tabs and newlines removed, ``\\`` read as ``/``."""
    value = value.strip("".join(map(chr, range(33))))
    value = re.sub(r"[\t\n\r]", "", value).replace("\\", "/")
    return urlsplit(urljoin(page_url, value))


def off_site_links(page_url: str, html: bytes) -> list[str]:
    found = []
    for tag in soup(html).find_all(True):
        for name in ATTRIBUTES:
            value = tag.get(name)
            if value is None:
                continue
            target = resolved_by_a_browser(page_url, value)
            if target.scheme in ("mailto", "tel"):
                continue
            if target.netloc != "localhost":
                found.append(f"<{tag.name} {name}={value!r}>")
    # Addresses printed as text (the print view's "Adresse:") must be on the site too.
    for address in re.findall(rb"https?://[^\s<\"]+", html):
        if urlsplit(address.decode()).netloc not in ("localhost", "www.w3.org"):
            found.append(address.decode())
    return found


@pytest.fixture(scope="module")
def link_client():
    return make_app().test_client(use_cookies=False)


@pytest.mark.parametrize("path", HOSTILE)
@pytest.mark.parametrize("htmx", [False, True])
def test_links_on_a_page_with_a_hostile_address_stay_on_the_site(link_client, path, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    response = link_client.get(path, headers=headers)
    assert response.status_code in (200, 404, 308), response.status_code
    assert off_site_links(BASE + path, response.data) == []
    if response.status_code == 308:
        assert resolved_by_a_browser(BASE + path, response.headers["Location"]).netloc in (
            "",
            "localhost",
        )


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/hilfen", "/hilfen"),
        ("/\\evil.example", "/%5Cevil.example"),
        ("//evil.example", "/%2Fevil.example"),
        ("///evil.example", "/%2F%2Fevil.example"),
        ('/a b\t"<>', "/a%20b%09%22%3C%3E"),
        ("/gebärden", "/geb%C3%A4rden"),
        ("relative", "/relative"),
        ("/100%", "/100%25"),
    ],
)
def test_the_link_builder_encodes_every_path_to_one_on_this_site(path, expected):
    from webapp.links import site_path

    assert site_path(path) == expected


def test_the_link_builder_keeps_a_query_but_cannot_leave_the_site_with_it():
    from webapp.links import site_path

    assert site_path("/suche", "q=a+b&x=%C3%A4") == "/suche?q=a+b&x=%C3%A4"
    assert site_path("/suche", 'q=\\"><') == "/suche?q=%5C%22%3E%3C"


def test_a_link_with_a_query_keeps_it(app):
    from webapp.links import href

    with app.test_request_context("/en/hilfen", environ_overrides={"SCRIPT_NAME": "/en"}):
        assert href("/redaktion/en/eintraege?status=offen&q=a%20b") == (
            "/en/redaktion/en/eintraege?status=offen&q=a%20b"
        )
        assert href("/\\evil.example?x") == "/en/%5Cevil.example?x"
