"""Search: the FTS5 index built at start-up, matching, ranking, safe snippets, and queries
that must never cause an error."""

from __future__ import annotations

import re

import pytest

from webapp.search import match_expression, terms

from .fixtures_navigation import assert_partial_answers_kept_apart
from .helpers import soup

BAD_QUERIES = [
    '"',
    '"Sozial',
    "*",
    "Sozial*",
    "NEAR(Sozial Bericht)",
    "NEAR",
    "-Sozial",
    "a - b",
    "title:Sozial",
    ":",
    "(Sozial",
    ")",
    "AND",
    "Sozial OR NOT Bericht",
    "^Sozial",
    "{title}: x",
    "'; DROP TABLE docs; --",
    "😀🎉",
    "Ǆ ß ẞ ﬁ",
    "e\u0301",
    "\u200b",
    "\x00",
    "_",
    "   ",
    "",
    "x" * 200,
]


def hits(html) -> list[str]:
    return [a.get_text() for a in soup(html).select(".search-results__title a")]


def test_index_is_built_at_start_up_for_every_language(app):
    from webapp.i18n import LANGUAGES

    index = app.extensions["sozialberichte.search"]
    documents = app.extensions["sozialberichte.content"].documents.values()
    expected = len([doc for doc in documents if doc.endpoint != "search.search"])
    assert [index.count(lang.code) for lang in LANGUAGES] == [expected] * 3


def test_prefix_finds_the_longer_word_and_marks_it(client):
    response = client.get("/suche?q=Sozialbericht")
    page = soup(response.data)
    assert page.title.get_text() == "Suche: Sozialbericht – Sozialberichte NRW"
    found = hits(response.data)
    assert "Sozialberichterstattung NRW – Basis für eine vorausschauende Politik" in found
    count = page.select_one(".search-results__count").get_text()
    assert count == f"{len(found)} Treffer für „Sozialbericht“"
    marks = [m.get_text() for m in page.select(".search-results__snippet mark")]
    assert "Sozialberichterstattung" in marks


@pytest.mark.parametrize("query", ["Förderprogramm", "Foerderprogramm", "forderprogramm"])
def test_umlauts_match_in_every_spelling(client, query):
    assert "Förderprogramm: Sozialplanung initiieren, weiterentwickeln und stärken" in hits(
        client.get("/suche", query_string={"q": query}).data
    )


@pytest.mark.parametrize("query", ["Hauptstraße", "Hauptstrasse", "HAUPTSTRASSE", "dusseldorf"])
def test_sharp_s_and_diacritics_match(news_app, query):
    found = hits(news_app.test_client().get("/suche", query_string={"q": query}).data)
    assert found == ["Straßenverkehr"]


def test_snippets_are_escaped_before_highlighting(news_app):
    response = news_app.test_client().get("/suche?q=alert")
    page = soup(response.data)
    snippet = page.select_one(".search-results__snippet")
    assert page.find("script", string=True) is None
    assert "<script>alert(1)</script>" in snippet.get_text()
    assert [m.get_text() for m in snippet.find_all("mark")] == ["alert"]
    assert b"&lt;script&gt;" in response.data


def test_snippets_keep_sentences_apart(client):
    # Leichte Sprache puts one sentence on each line: the snippet once read "als Heft.Das Heft".
    page = soup(client.get("/leichte-sprache/suche?q=Heft").data)
    snippets = [s.get_text() for s in page.select(".search-results__snippet")]
    assert snippets
    glued = [s for s in snippets if re.search(r"\w[.:?!][A-ZÄÖÜ]", s)]
    assert glued == []


def test_title_matches_rank_first(client):
    assert hits(client.get("/suche?q=Impressum").data)[0] == "Impressum"


def test_every_word_must_match(client):
    both = hits(client.get("/suche?q=Sozialkonferenz+Oberhausen").data)
    assert both and all("Sozialkonferenz" in title or "Oberhausen" in title for title in both)
    assert hits(client.get("/suche?q=Sozialkonferenz+Zzzyx").data) == []


def test_no_hits_says_so(client):
    page = soup(client.get("/suche?q=Zzzyxwv").data)
    assert page.select_one(".search-results__count").get_text() == "0 Treffer für „Zzzyxwv“"


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_bad_queries_never_cause_an_error(client, query):
    for headers in ({}, {"HX-Request": "true", "HX-Target": "suchergebnisse"}):
        response = client.get("/suche", query_string={"q": query}, headers=headers)
        assert response.status_code == 200, (query, headers)
        assert soup(response.data).find(id="suchergebnisse") is not None


def test_too_long_query_is_explained_not_searched(client):
    page = soup(client.get("/suche", query_string={"q": "Sozial " * 40}).data)
    assert "höchstens 200 Zeichen" in page.select_one(".search-results__count").get_text()
    assert page.select(".search-results__list") == []
    assert len(page.title.get_text()) < 120


def test_query_words_are_always_quoted():
    words = terms('NEAR(a "b") OR x* -y title:z')
    assert words == ["NEAR", "a", "b", "OR", "x", "y", "title", "z"]
    expression = match_expression(words)
    assert expression.startswith('("near"*) AND ("a") AND ("b") AND ("or"*)')
    assert all(part.strip().startswith('("') for part in expression.split(" AND "))


def test_search_as_you_type_gets_only_the_results(client):
    response = client.get(
        "/suche?q=Sozialplanung", headers={"HX-Request": "true", "HX-Target": "suchergebnisse"}
    )
    page = soup(response.data)
    assert "HX-Request" in response.headers["Vary"]
    assert page.find("h1") is None and page.find("form") is None
    assert page.title.get_text() == "Suche: Sozialplanung – Sozialberichte NRW"
    count = page.select_one(".search-results__count").get_text()
    status = page.find(id="status")
    assert status["data-hx-swap-oob"] == "innerHTML" and status.get_text() == count


def test_results_and_page_fragments_are_never_mixed_up(news_app):
    assert_partial_answers_kept_apart(news_app.test_client(), "/suche?q=Meldung", "suchergebnisse")


def test_search_form_in_header_and_page_is_plain_get(client):
    page = soup(client.get("/uebersicht").data)
    header_form = page.select_one("header form[role=search]")
    assert header_form["method"] == "get" and header_form["action"] == "/suche"
    assert header_form.select_one("input[name=q]")["id"] == "kopf-suche"
    assert page.find("label", attrs={"for": "kopf-suche"}) is not None
    assert page.select_one(".sitemap a[href='/suche']") is not None  # linked, so crawled
    search = soup(client.get("/suche").data)
    form = search.select_one("main form[role=search]")
    assert form["method"] == "get" and form["action"] == "/suche"
    field = form.select_one("#suchbegriff")
    assert field["data-hx-trigger"] == "input changed delay:300ms, search"
    assert field["data-hx-target"] == "#suchergebnisse"


def test_each_language_searches_its_own_texts(app, client):
    """The English index holds the English texts; its links stay in English."""
    from webapp.i18n import ENVIRON_KEY
    from webapp.texts import ct_plain, store

    with app.test_request_context(
        "/impressum", base_url="http://localhost/en/", environ_overrides={ENVIRON_KEY: "en"}
    ):
        title = ct_plain(store().get("/impressum").title)
    response = client.get("/en/suche", query_string={"q": title})
    assert response.status_code == 200
    page = soup(response.data)
    links = {a.get_text(): a["href"] for a in page.select(".search-results__title a")}
    assert links.get(title) == "/en/impressum"
    assert all(href.startswith("/en/") for href in links.values())


#: Leichte Sprache writes long words with the Mediopunkt: a visitor types them without.
LS_WORDS = {
    "Sozialbericht": "/leichte-sprache/sozialberichte/",
    "Datenschutz": "/leichte-sprache/datenschutz",
    "Barrierefreiheit": "/leichte-sprache/barrierefreiheit",
    "Gebärdensprache": "/leichte-sprache/gebaerdensprache",
}


def ls_hits(client, query) -> list[str]:
    response = client.get("/leichte-sprache/suche", query_string={"q": query})
    assert response.status_code == 200
    return [a["href"] for a in soup(response.data).select(".search-results__title a")]


@pytest.mark.parametrize("word", LS_WORDS)
def test_leichte_sprache_search_finds_words_written_with_mediopunkt(client, word):
    found = ls_hits(client, word)
    assert LS_WORDS[word] in found
    split = {
        "Sozialbericht": "Sozial{}bericht",
        "Datenschutz": "Daten{}schutz",
        "Barrierefreiheit": "Barriere{}freiheit",
        "Gebärdensprache": "Gebärden{}sprache",
    }[word]
    for joiner in ("·", "-", "\u00ad"):
        assert ls_hits(client, split.format(joiner)) == found, joiner
    assert ls_hits(client, word.lower()) == found


def test_query_parts_of_a_word_are_joined():
    assert terms("Sozial·bericht Nordrhein-Westfalen Kinder- und -y") == [
        "Sozialbericht",
        "NordrheinWestfalen",
        "Kinder",
        "und",
        "y",
    ]
