"""One catalog per content document (issue 14): the migration from one ``messages.po`` per
language loses nothing, ``make translations`` updates only changed documents and fuzzy-matches
within the document, and the runtime serves the document catalogs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from webapp.i18n import catalogs

from .conftest import ROOT, make_app
from .helpers import soup

HEADER = """# Test catalog.
msgid ""
msgstr ""
"Project-Id-Version: Sozialberichte NRW 1\\n"
"Language: {code}\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"""

MONOLITHIC = """
#. front matter: title
#: content/seiten/probe.md:2
msgid "Probeseite"
msgstr "Test page"

# Translators: keep it short
#. Markdown paragraph
#: content/seiten/probe.md:6
#, fuzzy
#| msgid "Ein alter Satz."
msgid "Ein neuer Satz."
msgstr "An old sentence."

#: templates/base.html:3 content/seiten/probe.md:8 content/aktuelles/meldung.md:9
msgid "Kontakt"
msgstr "Contact"

#: webapp/views/pages.py:50
#, python-format
msgid "%(num)s weitere Meldung geladen"
msgid_plural "%(num)s weitere Meldungen geladen"
msgstr[0] "%(num)s more item loaded"
msgstr[1] "%(num)s more items loaded"

#. Markdown heading
#: content/aktuelles/meldung.md:7
msgid "Eine Meldung"
msgstr ""

#~ msgid "Weg"
#~ msgstr "Gone"
"""


def entries(paths: list[Path]) -> dict:
    """``{(context, msgid): [(string, fuzzy, comments, previous, locations) per file]}``."""
    found: dict = {}
    for path in paths:
        catalog = catalogs.read_catalog(path, "en")
        for message in catalog:
            if not message.id:
                continue
            key = (message.context, message.id)
            found.setdefault(key, []).append(
                (
                    message.string,
                    message.fuzzy,
                    tuple(message.user_comments),
                    tuple(message.auto_comments),
                    tuple(message.previous_id),
                    tuple(message.locations),
                )
            )
    return found


def assert_split_lossless(before: Path, directory: Path, code: str) -> None:
    old = entries([before])
    new = entries([catalogs.locale_dir(directory, code) / "messages.po"])
    for key, values in entries(list(catalogs.document_catalogs(directory, code).values())).items():
        new.setdefault(key, []).extend(values)
    assert set(new) == set(old), "entries lost or added"
    for key, [(string, fuzzy, comments, auto, previous, locations)] in old.items():
        copies = new[key]
        assert {c[:5] for c in copies} == {(string, fuzzy, comments, auto, previous)}, key
        merged = sorted(loc for c in copies for loc in c[5])
        assert merged == sorted(locations), key
    with open(before, "rb") as handle:
        obsolete_before = set(read_po(handle).obsolete)
    with open(catalogs.locale_dir(directory, code) / "messages.po", "rb") as handle:
        assert set(read_po(handle).obsolete) == obsolete_before


def test_split_keeps_every_translation_flag_comment_and_previous_source(tmp_path):
    directory = tmp_path / "translations"
    po = catalogs.locale_dir(directory, "en") / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(HEADER.format(code="en") + MONOLITHIC, "utf-8")
    before = tmp_path / "before.po"
    shutil.copy(po, before)

    catalogs.split_monolithic(directory, ["en"])

    docs = catalogs.document_catalogs(directory, "en")
    assert sorted(docs) == ["content/aktuelles/meldung.md", "content/seiten/probe.md"]
    assert_split_lossless(before, directory, "en")
    interface = po.read_text("utf-8")
    assert "Probeseite" not in interface and "#: templates/base.html:3\n" in interface
    probe = docs["content/seiten/probe.md"].read_text("utf-8")
    assert '#| msgid "Ein alter Satz."' in probe and "# Translators: keep it short" in probe

    # Re-runnable and deterministic: a second run changes nothing.
    snapshot = {p: p.read_bytes() for p in directory.rglob("*.po")}
    catalogs.split_monolithic(directory, ["en"])
    assert {p: p.read_bytes() for p in directory.rglob("*.po")} == snapshot


def test_split_of_the_catalogs_before_the_migration_loses_nothing(tmp_path):
    """The real catalogs as they were before the split (from git history)."""
    for code in ("de", "de@ls", "en"):
        path = f"translations/{code}/LC_MESSAGES/messages.po"
        shown = subprocess.run(
            ["git", "show", f"{PRE_SPLIT}:{path}"], cwd=ROOT, capture_output=True, check=False
        )
        if shown.returncode != 0:
            pytest.skip("history before the split is not available (shallow clone)")
        directory = tmp_path / code / "translations"
        po = catalogs.locale_dir(directory, code) / "messages.po"
        po.parent.mkdir(parents=True)
        po.write_bytes(shown.stdout)
        before = tmp_path / code / "before.po"
        before.write_bytes(shown.stdout)
        catalogs.split_monolithic(directory, [code])
        assert catalogs.content_entries_left(directory, code) == 0
        assert len(catalogs.document_catalogs(directory, code)) >= 10
        assert_split_lossless(before, directory, code)


#: The last commit with one messages.po per language.
PRE_SPLIT = "e1e9792"

PAGE = """---
title: {title}
summary: Eine kurze Zusammenfassung.
---
Der erste Absatz ist ziemlich lang und erzählt von der Sozialplanung in den Kommunen.

Der zweite Absatz handelt von etwas ganz anderem.
"""


@pytest.fixture
def site(tmp_path):
    content = tmp_path / "content"
    (content / "seiten").mkdir(parents=True)
    (content / "seiten" / "eins.md").write_text(PAGE.format(title="Eins"), "utf-8")
    (content / "seiten" / "zwei.md").write_text(PAGE.format(title="Zwei"), "utf-8")
    (content / "seiten" / "start.md").write_text("---\npath: /\ntitle: Start\n---\nHallo.\n")
    translations = tmp_path / "translations"
    return content, translations


def translate_all(path: Path, prefix: str) -> None:
    text = path.read_text("utf-8")
    out = []
    msgid = None
    for line in text.splitlines():
        if line.startswith("msgid "):
            msgid = line[6:]
        if line == 'msgstr ""' and msgid not in (None, '""'):
            line = f'msgstr "{prefix} {msgid[1:-1]}"'
        out.append(line)
    path.write_text("\n".join(out) + "\n", "utf-8")


def test_update_extracts_only_changed_documents_and_matches_fuzzy_within_the_document(site):
    content, translations = site
    first = catalogs.update_all(content, translations, ["en"])
    assert first["extracted"] == 3 and first["written"] == 3
    eins = catalogs.document_po(translations, "en", "content/seiten/eins.md")
    zwei = catalogs.document_po(translations, "en", "content/seiten/zwei.md")
    translate_all(eins, "[en]")
    before_zwei = zwei.read_bytes()

    assert catalogs.update_all(content, translations, ["en"])["extracted"] == 0
    page = content / "seiten" / "eins.md"
    page.write_text(page.read_text("utf-8").replace("Kommunen.", "Kommunen und Kreisen."))
    second = catalogs.update_all(content, translations, ["en"])
    assert second["extracted"] == 1 and second["written"] == 1
    assert zwei.read_bytes() == before_zwei  # the other documents are not touched

    catalog = catalogs.read_catalog(eins, "en")
    changed = next(m for m in catalog if m.id and m.id.endswith("Kreisen."))
    assert changed.fuzzy and changed.string.startswith("[en] Der erste Absatz")
    assert changed.previous_id and changed.previous_id[0].endswith("Kommunen.")
    assert catalog.get("Der zweite Absatz handelt von etwas ganz anderem.").string
    # the old version of the paragraph is not kept as obsolete entry
    assert not any(m.id and m.id.endswith("Kommunen.") for m in catalog)

    # A new document is never matched against another document's texts.
    (content / "seiten" / "drei.md").write_text(PAGE.format(title="Drei"), "utf-8")
    catalogs.update_all(content, translations, ["en"])
    drei = catalogs.read_catalog(
        catalogs.document_po(translations, "en", "content/seiten/drei.md"), "en"
    )
    assert all(not m.string and not m.fuzzy for m in drei if m.id)

    # A deleted document's catalogs go with it.
    (content / "seiten" / "drei.md").unlink()
    assert catalogs.update_all(content, translations, ["en"])["removed"] == 1


def test_update_keeps_the_old_source_of_a_fuzzy_entry_on_the_next_run(site):
    content, translations = site
    catalogs.update_all(content, translations, ["en"])
    eins = catalogs.document_po(translations, "en", "content/seiten/eins.md")
    translate_all(eins, "[en]")
    page = content / "seiten" / "eins.md"
    page.write_text(page.read_text("utf-8").replace("Kommunen.", "Kommunen und Kreisen."))
    catalogs.update_all(content, translations, ["en"])
    page.write_text(page.read_text("utf-8").replace("Hallo", "Hallo"), "utf-8")
    catalogs.update_all(content, translations, ["en"], force=True)
    text = eins.read_text("utf-8")
    assert '#| msgid "Der erste Absatz' in text and "# |" not in text


def test_pages_are_translated_from_the_document_catalogs(site):
    content, translations = site
    catalogs.update_all(content, translations, ["en", "de"])
    for code, prefix in (("en", "[en]"), ("de", "[de]")):
        for po in catalogs.document_catalogs(translations, code).values():
            translate_all(po, prefix)
        catalogs.compile_content(translations, code)
    client = make_app(CONTENT_DIR=str(content), TRANSLATIONS_DIR=str(translations)).test_client()
    assert soup(client.get("/en/eins").data).h1.get_text() == "[en] Eins"
    # Leichte Sprache has no catalog here: German (and its de catalog) behind it.
    assert soup(client.get("/leichte-sprache/eins").data).h1.get_text() == "[de] Eins"


def test_make_translations_refuses_while_messages_po_holds_content_texts(tmp_path):
    directory = tmp_path / "translations"
    po = catalogs.locale_dir(directory, "en") / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(HEADER.format(code="en") + MONOLITHIC, "utf-8")
    before = po.read_bytes()
    env = {"TRANSLATIONS_DIR": str(directory), "CONTENT_DIR": str(ROOT / "content")}
    result = subprocess.run(
        [sys.executable, "-m", "webapp.i18n.catalogs", "update"],
        cwd=ROOT,
        env={**env, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2 and "split" in result.stderr
    assert po.read_bytes() == before


def test_committed_document_catalogs_are_current():
    assert catalogs.stale_documents(ROOT / "content", ROOT / "translations") == [], (
        "run `make translations`"
    )
    for code in ("de", "de@ls", "en"):
        assert catalogs.content_entries_left(ROOT / "translations", code) == 0
        names = set(catalogs.document_catalogs(ROOT / "translations", code))
        assert names == set(catalogs.content_sources(ROOT / "content")), code
