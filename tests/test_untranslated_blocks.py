"""A German block on a page in Leichte Sprache or English is framed and labelled where it
stands, not only announced once at the top (issue 17, point 7)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from babel.messages.pofile import read_po

from .conftest import ROOT, make_app
from .helpers import soup
from .test_i18n import SAMPLE, SAMPLE_TEXTS

LABEL_MSGID = "Dieser Text ist noch nicht übersetzt."
LABELS = {
    "de@ls": "Dieser Text ist noch nicht in Leichter Sprache.",
    "en": "This text is not yet available in English.",
}
UNTRANSLATED = ("Ein erster Absatz mit einem [Link](/kontakt).", "Eine Überschrift")


@pytest.fixture()
def half_translated_site(tmp_path):
    """The sample page with its first paragraph, its heading and a list item untranslated."""
    content = tmp_path / "content"
    (content / "seiten").mkdir(parents=True)
    (content / "downloads").mkdir()
    (content / "downloads" / "probe.pdf").write_bytes(b"%PDF-1.4\n")
    (content / "seiten" / "probe.md").write_text(SAMPLE, "utf-8")
    (content / "seiten" / "start.md").write_text("---\npath: /\ntitle: Start\n---\nHallo.\n")
    translations = tmp_path / "translations"
    for code, label in LABELS.items():
        folder = translations / code / "LC_MESSAGES"
        folder.mkdir(parents=True)
        entries = {text: f"[{code}] {text}" for text in SAMPLE_TEXTS + ["Start", "Hallo."]}
        for text in (*UNTRANSLATED, "Ein Punkt der Liste"):
            entries.pop(text)
        entries[LABEL_MSGID] = label
        po = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=utf-8\\n"', ""]
        for msgid, msgstr in entries.items():
            po += [f'msgid "{msgid}"', f'msgstr "{msgstr}"', ""]
        (folder / "messages.po").write_text("\n".join(po), "utf-8")
        subprocess.run(
            [sys.executable, "-m", "babel.messages.frontend", "--quiet", "compile", "-d"]
            + [str(translations), "-l", code],
            check=True,
        )
    return content, translations


@pytest.mark.parametrize(("prefix", "code"), [("/leichte-sprache", "de@ls"), ("/en", "en")])
def test_each_german_block_is_framed_and_labelled(half_translated_site, prefix, code):
    content, translations = half_translated_site
    client = make_app(CONTENT_DIR=str(content), TRANSLATIONS_DIR=str(translations)).test_client()
    main = soup(client.get(prefix + "/probe").data).find("main")
    frames = main.select(".untranslated")
    # The paragraph and the heading: each in a frame of its own, the label first.
    assert len(frames) == 2
    for frame in frames:
        label = frame.find(class_="untranslated__label")
        assert label.get_text(strip=True) == LABELS[code]
        assert label.get("lang") is None  # the label is in the visitor's language
        assert frame.find(attrs={"lang": "de"}) is not None
    assert frames[0].find("p", attrs={"lang": None}).get_text() == LABELS[code]
    assert frames[0].find("a")["href"] == f"{prefix}/kontakt"
    assert frames[1].find("h2") is not None
    # A list item cannot hold a frame: the label follows the German text in brackets.
    item = next(li for li in main.find_all("li") if "Ein Punkt der Liste" in li.get_text())
    assert item.find(class_="untranslated__label").get_text() == f"({LABELS[code]})"
    # Translated blocks have no label; the notice at the top is still there.
    box = main.select_one(".box")
    assert box.find(class_="untranslated__label") is None
    assert main.get_text().count(LABELS[code]) == 3


def test_german_pages_and_translated_pages_have_no_label(client):
    for path in ("/", "/leichte-sprache/", "/en/", "/leichte-sprache/datenschutz"):
        page = soup(client.get(path).data)
        assert page.select(".untranslated, .untranslated__label") == [], path


@pytest.mark.parametrize(("code", "label"), LABELS.items())
def test_the_label_is_translated_in_the_catalogs(code, label):
    with open(ROOT / "translations" / code / "LC_MESSAGES" / "messages.po", "rb") as fileobj:
        catalog = read_po(fileobj)
    assert catalog[LABEL_MSGID].string == label
