"""Content at scale (issue 14): feed, overview page, site map and lists stay bounded with a
large archive. The corpus is scripts/generate_news.py's, in a temporary folder."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET

import pytest

from .conftest import ROOT, make_app
from .helpers import soup

sys.path.insert(0, str(ROOT / "scripts"))
from generate_news import generate  # noqa: E402

ATOM = {"a": "http://www.w3.org/2005/Atom"}
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
COUNT = 120


@pytest.fixture(scope="module")
def big_app(tmp_path_factory):
    corpus = generate(COUNT, tmp_path_factory.mktemp("corpus"))
    return make_app(
        CONTENT_DIR=str(corpus / "content"),
        TRANSLATIONS_DIR=str(corpus / "translations"),
        SITEMAP_MAX_URLS=100,
    )


def test_generator_writes_into_a_temporary_copy_only(tmp_path):
    before = sorted(p.name for p in (ROOT / "content" / "aktuelles").iterdir())
    corpus = generate(3, tmp_path / "corpus")
    assert len(list((corpus / "content" / "aktuelles").glob("meldung-*.md"))) == 3
    assert sorted(p.name for p in (ROOT / "content" / "aktuelles").iterdir()) == before
    with pytest.raises(SystemExit):
        generate(1, ROOT / "content" / "x")


def test_feed_carries_the_latest_entries_and_links_the_archive(big_app):
    client = big_app.test_client()
    atom = ET.fromstring(client.get("/aktuelles/feed.xml").data)
    entries = atom.findall("a:entry", ATOM)
    assert 20 <= len(entries) <= 50
    news = big_app.extensions["sozialberichte.content"].of_kind("news")
    ids = [e.find("a:id", ATOM).text.removeprefix("http://localhost") for e in entries]
    assert ids == [doc.path for doc in news[: len(entries)]]  # the newest first
    archive = [link.get("href") for link in atom.findall("a:link", ATOM)]
    assert "http://localhost/aktuelles/" in archive


def test_overview_page_groups_the_archive_by_year(big_app):
    client = big_app.test_client()
    page = soup(client.get("/uebersicht").data)
    links = [a["href"] for a in page.select(".sitemap a")]
    assert not any(href.startswith("/aktuelles/meldung-") for href in links)
    years = [href for href in links if href.startswith("/aktuelles/?jahr=")]
    news = big_app.extensions["sozialberichte.content"].of_kind("news")
    assert len(years) == len({doc.date.year for doc in news})
    first = page.select_one(f".sitemap a[href='{years[0]}']").find_parent("li")
    year = int(years[0].rsplit("=", 1)[1])
    count = sum(1 for doc in news if doc.date.year == year)
    assert f"({count} Meldung" in first.get_text(" ", strip=True)
    # The year's list holds exactly its items.
    listing = soup(client.get(years[0]).data)
    assert listing.h1 is not None
    assert client.get(years[0]).status_code == 200


def test_sitemap_splits_into_an_index_above_the_limit(big_app):
    client = big_app.test_client()
    index = ET.fromstring(client.get("/sitemap.xml").data)
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    parts = [loc.text for loc in index.findall("s:sitemap/s:loc", SITEMAP)]
    documents = big_app.extensions["sozialberichte.content"].documents
    locs = []
    for url in parts:
        part = client.get(url.removeprefix("http://localhost"))
        assert part.status_code == 200 and part.mimetype == "application/xml"
        urls = ET.fromstring(part.data).findall("s:url/s:loc", SITEMAP)
        assert 0 < len(urls) <= 100
        locs += [loc.text for loc in urls]
    assert len(locs) == len(set(locs)) == 3 * len(documents)  # every page in every language
    assert client.get(f"/sitemap-{len(parts) + 1}.xml").status_code == 404


def test_small_sitemap_stays_one_file(client):
    root = ET.fromstring(client.get("/sitemap.xml").data)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    assert client.get("/sitemap-1.xml").status_code == 404


def test_list_pages_page_through_years_and_the_whole_archive(big_app):
    client = big_app.test_client()
    news = big_app.extensions["sozialberichte.content"].of_kind("news")
    last = (len(news) + 9) // 10
    page = soup(client.get(f"/aktuelles/?seite={last}").data)
    shown = [a["href"] for a in page.select("#liste a")]
    assert shown and all(href.startswith("/aktuelles/") for href in shown)
    assert client.get(f"/aktuelles/?seite={last + 1}").status_code == 404
    year = news[0].date.year
    in_year = [doc.path for doc in news if doc.date.year == year]
    page = soup(client.get(f"/aktuelles/?jahr={year}").data)
    assert [a["href"] for a in page.select("#liste h2 a, #liste h3 a")][:10] == in_year[:10]


def test_a_second_worker_opens_the_built_search_index_instead_of_building(tmp_path, monkeypatch):
    from webapp import search

    config = {
        "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    first = make_app(**config)
    files = list((tmp_path / "index").glob("search-*.sqlite3"))
    assert len(files) == 1

    def no_rendering(*args, **kwargs):
        raise AssertionError("the second worker rendered a document for the index")

    monkeypatch.setattr(search, "_index_document", no_rendering)
    second = make_app(**config)
    assert second.extensions["sozialberichte.search"].path == str(files[0])
    page = soup(second.test_client().get("/suche?q=Sozialbericht").data)
    assert page.select(".search-results__title a")
    assert first.extensions["sozialberichte.search"].count("en") == second.extensions[
        "sozialberichte.search"
    ].count("en")
    # Changed content makes another index (the old one is never served for new files).
    content = tmp_path / "content"
    import shutil

    shutil.copytree(ROOT / "content", content)
    monkeypatch.undo()
    third = make_app(CONTENT_DIR=str(content), **config)
    assert third.extensions["sozialberichte.search"].path != str(files[0])


def test_a_second_worker_loads_compiled_templates_instead_of_compiling(tmp_path, monkeypatch):
    """The first process compiles the templates into files; a worker started later serves
    its first pages without compiling one (that took about 190 ms of its first search)."""
    import jinja2

    config = {
        "TEMPLATE_CACHE_DIR": str(tmp_path / "templates"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    make_app(**config)
    assert list((tmp_path / "templates").glob("*.cache"))

    def no_compiling(*args, **kwargs):
        raise AssertionError("the second worker compiled a template")

    monkeypatch.setattr(jinja2.Environment, "compile", no_compiling)
    second = make_app(**config)
    client = second.test_client()
    for path in ("/suche?q=Sozialbericht", "/en/suche?q=report", "/uebersicht", "/gibt-es-nicht"):
        assert client.get(path).status_code in {200, 404}, path
    # A changed template is compiled again: the cache checks each template's source.
    env = second.jinja_env
    source, filename, _ = env.loader.get_source(env, "search/search.html")
    assert env.bytecode_cache.get_bucket(env, "search/search.html", filename, source).code
    assert (
        env.bytecode_cache.get_bucket(env, "search/search.html", filename, source + " ").code
        is None
    )


def test_cache_folders_of_another_user_are_not_used(tmp_path):
    """Compiled templates are code: a folder another user made (or may write to) in the
    shared temporary directory is never used; one of ours open to others is closed."""
    import os
    import stat

    from webapp.templating import private_folder

    ours = tmp_path / "ours"
    ours.mkdir(mode=0o777)
    os.chmod(ours, 0o777)
    assert private_folder(ours)
    assert stat.S_IMODE(os.stat(ours).st_mode) == 0o700
    link = tmp_path / "link"
    link.symlink_to(ours)
    assert not private_folder(link)
    if os.geteuid() != 0:
        pytest.skip("only root can give a folder to another user")
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    os.chown(theirs, 65534, 65534)
    app = make_app(
        TEMPLATE_CACHE_DIR=str(theirs),
        SEARCH_INDEX_DIR=str(theirs),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert app.jinja_env.bytecode_cache is None
    assert list(theirs.iterdir()) == []
    assert app.extensions["sozialberichte.search"].path == ":memory:"
    page = soup(app.test_client().get("/suche?q=Impressum").data)
    assert page.select(".search-results__title a")


def test_what_a_worker_made_at_start_is_left_out_of_later_collections(tmp_path):
    """A full garbage collection walked every parsed document in some request (215 ms of
    the first search at 8,000 news): the start collects once and freezes what it made."""
    import gc

    gc.unfreeze()
    try:
        make_app(GC_FREEZE=True, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
    make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")  # the tests' default
    assert gc.get_freeze_count() == 0
