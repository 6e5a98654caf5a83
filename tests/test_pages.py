"""HTTP tests with the Flask test client: every page from the crawl, its landmarks and links."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urldefrag

import html5lib
import pytest

from .helpers import internal_links, soup

SEED_PAGES = [
    "/",
    "/aktuelles/",
    "/aktuelles/save-the-date-sozialplanung",
    "/veranstaltungen/",
    "/veranstaltungen/sozialkonferenz-ruhr-2019",
    "/sozialberichte/",
    "/sozialplanung/",
    "/hilfen",
    "/uebersicht",
    "/kontakt",
    "/impressum",
    "/datenschutz",
    "/barrierefreiheit",
    "/gebaerdensprache",
]


def test_crawl_finds_every_seed_page_and_nothing_broken(crawled, pages):
    broken = {path: r.status_code for path, r in crawled.items() if r.status_code != 200}
    assert broken == {}
    for path in SEED_PAGES:
        assert path in pages, f"{path} is not reachable by links from the start page"


def test_every_page_has_the_layout_landmarks(crawled, pages):
    titles = {}
    for path in pages:
        html = crawled[path].data
        page = soup(html)
        assert page.html["lang"] == "de", path
        assert len(page.find_all("main")) == 1, path
        assert len(page.find_all("h1")) == 1, path
        header = page.body.find("header", recursive=False)
        assert header is not None, f"{path}: no banner header"
        assert page.body.find("footer", recursive=False) is not None, f"{path}: no contentinfo"
        navs = page.find_all("nav")
        labels = [n.get("aria-label") or n.get("aria-labelledby") for n in navs]
        assert all(labels), f"{path}: a nav without a label"
        assert len(set(labels)) == len(labels), f"{path}: two navs with the same label"
        aside = page.find("aside")
        assert aside is not None and aside.get("aria-label"), f"{path}: no labelled aside"
        status = page.find(id="status")
        assert status is not None and status.get("role") == "status", path
        title = page.title.get_text()
        assert title.endswith(" – Sozialberichte NRW"), path
        titles.setdefault(title, []).append(path)
        current = page.select('[aria-current="page"]')
        assert len({c.get("href") or c.get_text() for c in current}) <= 2, path
    duplicates = {t: p for t, p in titles.items() if len(p) > 1}
    assert duplicates == {}, "page titles must be unique"


def test_headings_do_not_skip_levels(crawled, pages):
    for path in pages:
        main = soup(crawled[path].data).find("main")
        levels = [int(h.name[1]) for h in main.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
        assert levels[0] == 1, path
        for before, after in zip(levels, levels[1:], strict=False):
            assert after <= before + 1, f"{path}: h{before} followed by h{after}"


def test_skip_links_come_first_and_point_at_focusable_targets(crawled, pages):
    for path in pages:
        page = soup(crawled[path].data)
        first_links = page.body.find_all("a", limit=2)
        assert [a.get_text() for a in first_links] == ["Zum Inhalt", "Zur Navigation"], path
        for link in first_links:
            target = page.find(id=link["href"].lstrip("#"))
            assert target is not None, f"{path}: {link['href']} has no target"
            assert target.get("tabindex") == "-1", f"{path}: {link['href']} cannot take focus"
        assert page.find(id="inhalt").name == "main"


def test_no_broken_internal_anchor(crawled, pages):
    for path in pages:
        for link in internal_links(path, crawled[path].data):
            target, fragment = urldefrag(link)
            if not fragment:
                continue
            response = crawled.get(target)
            assert response is not None and response.status_code == 200, link
            assert soup(response.data).find(id=fragment) is not None, f"{path}: {link}"


def test_pages_are_valid_html5(crawled, pages):
    for path in pages:
        parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
        try:
            parser.parse(crawled[path].data)
        except html5lib.html5parser.ParseError as error:  # pragma: no cover - message
            pytest.fail(f"{path}: {error}")
        ids = [tag["id"] for tag in soup(crawled[path].data).find_all(id=True)]
        assert len(ids) == len(set(ids)), f"{path}: duplicate id"


def test_service_bar_has_the_ministry_access_keys(client):
    page = soup(client.get("/").data)
    bar = page.find("nav", class_="service-bar")
    keys = {
        " ".join(a.get_attribute_list("accesskey")): a.get_text(strip=True)
        for a in bar.find_all(accesskey=True)
    }
    assert {k: keys[k] for k in "156789"} == {
        "1": "Startseite",
        "5": "Hilfen",
        "6": "Übersicht",
        "7": "Kontakt",
        "8": "Impressum",
        "9": "Datenschutz",
    }


def test_aria_current_marks_only_the_current_page(client):
    page = soup(client.get("/hilfen").data)
    marked = page.select('a[aria-current="page"]')
    assert {a["href"] for a in marked} == {"/hilfen"}
    crumb = page.find("nav", class_="breadcrumb")
    assert crumb.select_one('[aria-current="page"]').get_text() == "Hilfen"
    assert "Sie sind hier:" in crumb.get_text()


def test_start_page_shows_seed_text_and_news(client):
    page = soup(client.get("/").data)
    assert page.h1.get_text() == (
        "Sozialberichterstattung NRW – Basis für eine vorausschauende Politik"
    )
    main = page.find("main").get_text()
    assert "seit 1992 in regelmäßigen Abständen Armutsberichte" in main
    teaser = page.select_one(".news-block .teaser a")
    assert teaser.get_text().startswith("Save the Date: Sozialplanung initiieren")
    assert "12. November 2024" in page.select_one(".news-block").get_text()


def test_event_page_has_the_seed_parts(client):
    page = soup(client.get("/veranstaltungen/sozialkonferenz-ruhr-2019").data)
    text = page.find("main").get_text(" ")
    assert "27. November 2019" in text
    assert "Luise-Albertz-Halle, Oberhausen" in text
    assert "Integrationsregion Ruhr – Vielfalt stärken, Zukunft gestalten" in text
    headings = [h.get_text() for h in page.find("main").find_all(["h2", "h3"])]
    assert "Gut zu wissen" in headings
    assert "Rückblick Sozialkonferenz 2018" in headings
    box = page.select_one(".box--kontakt")
    assert "Regina Schenberg" in box.get_text()
    assert box.find("a", href="mailto:schenberg@rvr.ruhr")
    # No download is listed whose file does not exist.
    assert page.select(".downloads") == []


def test_download_listed_only_when_file_exists(tmp_path):
    from .conftest import make_app

    content = tmp_path / "content"
    (content / "veranstaltungen").mkdir(parents=True)
    (content / "seiten").mkdir()
    (content / "downloads").mkdir()
    (content / "seiten" / "start.md").write_text("---\npath: /\ntitle: Start\n---\nText\n")
    (content / "veranstaltungen" / "x.md").write_text(
        "---\ntitle: X\ndate: 2020-01-02\ndownloads:\n"
        "  - file: da.pdf\n    title: Vorhanden\n  - file: fehlt.pdf\n    title: Fehlt\n---\nText\n"
    )
    (content / "downloads" / "da.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 3000)
    app = make_app(CONTENT_DIR=str(content))
    page = soup(app.test_client().get("/veranstaltungen/x").data)
    items = [li.get_text(" ", strip=True) for li in page.select(".downloads li")]
    assert items == ["Vorhanden (PDF, 3 KB)"]
    response = app.test_client().get(page.select_one(".downloads a")["href"])
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    response.close()


def test_sitemap_page_is_generated_from_content(client, app):
    page = soup(client.get("/uebersicht").data)
    listed = {a["href"] for a in page.select(".sitemap a")}
    documents = set(app.extensions["sozialberichte.content"].documents)
    assert documents <= listed


def test_feeds_and_machine_readable_pages(client):
    import xml.etree.ElementTree as ET

    sitemap = ET.fromstring(client.get("/sitemap.xml").data)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text for loc in sitemap.findall("s:url/s:loc", ns)]
    assert "http://localhost/veranstaltungen/sozialkonferenz-ruhr-2019" in locs

    feed = client.get("/aktuelles/feed.xml")
    assert feed.mimetype == "application/atom+xml"
    atom = ET.fromstring(feed.data)
    a = {"a": "http://www.w3.org/2005/Atom"}
    titles = [t.text for t in atom.findall("a:entry/a:title", a)]
    assert titles == ["Save the Date: Sozialplanung initiieren, weiterentwickeln und stärken"]

    ics = client.get("/veranstaltungen/sozialkonferenz-ruhr-2019.ics")
    assert ics.mimetype == "text/calendar"
    from icalendar import Calendar

    event = Calendar.from_ical(ics.data).walk("VEVENT")[0]
    assert event.decoded("dtstart") == dt.date(2019, 11, 27)
    assert str(event["location"]) == "Luise-Albertz-Halle, Oberhausen"

    assert client.get("/veranstaltungen/gibt-es-nicht.ics").status_code == 404
    assert b"Sitemap:" in client.get("/robots.txt").data
    assert client.get("/healthz").status_code == 200


def test_not_found_page_is_accessible_and_has_navigation(client):
    response = client.get("/gibt-es-nicht")
    assert response.status_code == 404
    page = soup(response.data)
    assert page.title.get_text() == "Seite nicht gefunden – Sozialberichte NRW"
    assert page.find("nav", id="hauptnavigation") is not None
    assert len(page.find_all("h1")) == 1


def test_server_error_page_hides_details():
    from .conftest import make_app

    app = make_app(TESTING=False, PROPAGATE_EXCEPTIONS=False)

    @app.route("/test-500")
    def boom():
        raise RuntimeError("geheimes Detail")

    response = app.test_client().get("/test-500")
    assert response.status_code == 500
    assert b"geheimes Detail" not in response.data
    assert soup(response.data).h1.get_text() == "Technischer Fehler"


def test_trailing_slash_redirects_to_the_list_page(client):
    response = client.get("/aktuelles?x=1")
    assert response.status_code == 308
    assert response.headers["Location"] == "/aktuelles/?x=1"
