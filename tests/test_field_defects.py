"""Defects real clients found (issue 12, point 6), over HTTP: the current page marks, the
print block for text browsers, the logo's name, the favicon."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from .fixtures_editor import log_in
from .helpers import soup


def current_page_marks(page) -> list[str]:
    return [tag.get_text(" ", strip=True) for tag in page.select('[aria-current="page"]')]


@pytest.mark.parametrize("prefix", ["", "/leichte-sprache", "/en"])
@pytest.mark.parametrize("htmx", [False, True])
def test_the_404_page_claims_neither_the_start_page_nor_a_navigation_item(client, prefix, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get(prefix + "/aktuelles/gibt-es-nicht", headers=headers)
    assert response.status_code == 404
    page = soup(response.data)
    title = page.find("h1").get_text(strip=True)
    assert current_page_marks(page) == [title]
    crumbs = page.select("#breadcrumb li")
    assert crumbs[-1].get_text(strip=True) == title
    assert crumbs[0].find("a") is not None  # the start page: a link, not "you are here"
    nav = page.select_one("#hauptnavigation-liste")
    assert not nav.select('[aria-current="page"]')
    assert [a["href"] for a in nav.select('[aria-current="true"]')] == [prefix + "/aktuelles/"]


def test_the_editors_area_does_not_claim_the_start_page(editor_app):
    client = editor_app.test_client()
    for path in ("/redaktion/anmelden",):
        page = soup(client.get(path).data)
        assert "Startseite" not in current_page_marks(page), path
    assert log_in(client).status_code == 303
    for path in ("/redaktion/", "/redaktion/eingang", "/redaktion/protokoll"):
        page = soup(client.get(path).data)
        marks = current_page_marks(page)
        assert "Startseite" not in marks, (path, marks)
        assert not page.select('#hauptnavigation-liste [aria-current="page"]'), path
        assert page.select("#breadcrumb li")[0].find("a") is not None


def test_the_logo_link_names_site_and_ministry_apart(client):
    link = soup(client.get("/").data).select_one(".site-logo a")
    name = " ".join(link.get_text(" ").split())
    assert name.startswith("Sozialberichte NRW , Ministerium für Arbeit"), name
    assert link.select_one(".site-logo__name .visually-hidden").get_text() == ","


W3M = shutil.which("w3m")


@pytest.mark.parametrize("path", ["/", "/kontakt", "/leichte-sprache/", "/en/kontakt"])
def test_text_browsers_read_no_print_block_and_no_vorlesen(live_server, path):
    assert W3M, "Debian's w3m is missing: apt-get install w3m (make test does)"
    text = subprocess.run(
        [W3M, "-dump", "-cols", "100", live_server.url + path],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert "Kontrast" in text or "Contrast" in text  # the header is there
    for word in ("Druckdatum", "Date printed", "Adresse: http", "Vorlesen", "Pause", "Stopp"):
        assert word not in text, (word, path)


def test_the_print_view_still_shows_the_print_block_to_text_browsers(live_server):
    assert W3M
    text = subprocess.run(
        [W3M, "-dump", live_server.url + "/hilfen?druck=1"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert "Druckdatum:" in text and "Adresse: " + live_server.url + "/hilfen" in text


def test_a_favicon_is_linked_and_served(client):
    page = soup(client.get("/").data)
    icon = page.find("link", rel="icon")
    assert icon is not None and icon["type"] == "image/svg+xml"
    response = client.get(icon["href"])
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert b"<svg" in response.data
    # Browsers also ask for /favicon.ico on their own: no 404 in the console.
    assert client.get("/favicon.ico").status_code in (200, 301, 302, 308)
