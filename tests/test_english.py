"""English is British English (issue 17, point 8): dates from en_GB, one spelling, one name for
each thing, no literal translations found by reading."""

from __future__ import annotations

import re

import pytest

from webapp.i18n.catalogs import read_language

from .conftest import ROOT
from .helpers import soup

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\]\([^)]*\)")
#: American spellings and wordings a British text avoids.
AMERICAN = re.compile(
    # ("program" is British for software too.)
    r"\b(?:\w{3,}iz(?:e|es|ed|ing|ation|ations)|colors?|centers?|catalogs?|percent"
    r"|behaviors?|favorites?|licenses?|analyze[sd]?|dialogs?|enrollment)\b",
    re.IGNORECASE,
)
#: One name for each thing, and phrasings that were word-for-word translations.
WRONG = {
    "privacy policy": "privacy notice",
    "privacy statement": "privacy notice",
    "To the current social report": "Read the current social report",
    "actors in social policy": "people working in social policy",
    "internet address": "IP address",
}


def english_texts():
    catalog = read_language(str(ROOT / "translations"), "en")  # interface and documents
    for message in catalog:
        if not message.id or not message.string:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        source = message.id[0] if isinstance(message.id, tuple) else message.id
        for text in strings:
            yield source, PLACEHOLDER.sub(" ", text)


def test_the_english_catalog_is_british():
    texts = list(english_texts())
    assert len(texts) > 100
    found = [(m.group(), text[:60]) for _src, text in texts for m in AMERICAN.finditer(text)]
    assert found == []
    assert any("per cent" in text for _src, text in texts)


def test_the_english_catalog_uses_one_name_and_no_literal_phrasing():
    found = [
        (wrong, right, text[:60])
        for _src, text in english_texts()
        for wrong, right in WRONG.items()
        if wrong.lower() in text.lower()
    ]
    assert found == []
    names = {src: text for src, text in english_texts() if src in ("Datenschutz",)}
    assert names == {"Datenschutz": "Privacy notice"}


@pytest.mark.parametrize(
    ("path", "wanted"),
    [
        ("/en/veranstaltungen/", "27 November 2019"),
        ("/veranstaltungen/", "27. November 2019"),
        ("/leichte-sprache/veranstaltungen/", "27. November 2019"),
    ],
)
def test_dates_are_british_on_english_pages(client, path, wanted):
    # The catalog and the URL stay "en"; dates come from en_GB ("November 27, 2019" in en).
    page = soup(client.get(path).data)
    dates = [t.get_text() for t in page.select("main time")]
    assert wanted in dates, dates


def test_the_print_date_is_british_too(client):
    page = soup(client.get("/en/kontakt?druck=1").data)
    today = page.select_one(".print-info__today").get_text()
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", today), today
