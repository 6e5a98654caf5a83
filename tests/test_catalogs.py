"""One catalog per content document (issue 14): the migration from one ``messages.po`` per
language loses nothing, ``make translations`` updates only changed documents and fuzzy-matches
within the document, and the runtime serves the document catalogs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
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


@pytest.mark.parametrize("command", ["translations", "update", "interface"])
def test_make_translations_refuses_while_messages_po_holds_content_texts(tmp_path, command):
    directory = tmp_path / "translations"
    po = catalogs.locale_dir(directory, "en") / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(HEADER.format(code="en") + MONOLITHIC, "utf-8")
    before = po.read_bytes()
    env = {"TRANSLATIONS_DIR": str(directory), "CONTENT_DIR": str(ROOT / "content")}
    result = subprocess.run(
        [sys.executable, "-m", "webapp.i18n.catalogs", command],
        cwd=ROOT,
        env={**env, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2 and "split" in result.stderr
    assert po.read_bytes() == before
    assert sorted(p.name for p in directory.rglob("*")) == ["LC_MESSAGES", "en", "messages.po"]


def test_committed_document_catalogs_are_current():
    assert catalogs.stale_documents(ROOT / "content", ROOT / "translations") == [], (
        "run `make translations`"
    )
    for code in ("de", "de@ls", "en"):
        assert catalogs.content_entries_left(ROOT / "translations", code) == 0
        names = set(catalogs.document_catalogs(ROOT / "translations", code))
        assert names == set(catalogs.content_sources(ROOT / "content")), code


# --- `make translations` works only where something changed ------------------------------

BABEL_CFG = """[python: webapp/**.py]

[jinja2: templates/**.html]
extensions = jinja2.ext.i18n
newstyle_gettext = true
"""


@pytest.fixture
def project(site):
    """A small project: interface strings in a template and a module, two documents."""
    content, translations = site
    root = content.parent
    (root / "babel.cfg").write_text(BABEL_CFG, "utf-8")
    (root / "templates").mkdir()
    (root / "templates" / "base.html").write_text("<p>{{ _('Hallo Welt') }}</p>\n", "utf-8")
    (root / "webapp").mkdir()
    (root / "webapp" / "app.py").write_text("_('Speichern')\n", "utf-8")
    (root / "tests").mkdir()  # not entered by the extraction
    (root / "tests" / "test_x.py").write_text("_('Nicht extrahiert')\n", "utf-8")
    run_translations(root)
    return root


def run_translations(root: Path, force: bool = False) -> None:
    catalogs.make_translations(
        root / "content", root / "translations", force=force, root=root, report=lambda _: None
    )


def snapshot(translations: Path) -> dict:
    """Every file below ``translations``: its inode, modification time and bytes."""
    found = {}
    for path in sorted(translations.rglob("*")):
        if path.is_file():
            info = path.stat()
            found[str(path.relative_to(translations))] = (
                info.st_ino,
                info.st_mtime_ns,
                path.read_bytes(),
            )
    return found


def changed(before: dict, after: dict) -> set[str]:
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), "utf-8")


def lookup(mo: Path, text: str) -> str:
    import gettext

    with open(mo, "rb") as handle:
        return gettext.GNUTranslations(handle).gettext(text)


INTERFACE = {
    "messages.pot",
    *(f"{code}/LC_MESSAGES/messages.{ext}" for code in catalogs.LOCALES for ext in ("po", "mo")),
}


def test_make_translations_with_nothing_changed_rewrites_nothing_and_runs_no_tool(
    project, monkeypatch
):
    from webapp.i18n import interface

    translations = project / "translations"
    before = snapshot(translations)
    assert set(before) >= INTERFACE and "interface-sources.json" in before
    assert "en/LC_MESSAGES/content.mo" in before
    assert "Nicht extrahiert" not in before["messages.pot"][2].decode()

    def refuse(*args, **kwargs):
        raise AssertionError("ran although nothing changed")

    monkeypatch.setattr(interface.pot_module, "extract", refuse)
    monkeypatch.setattr(interface, "_pybabel", refuse)
    monkeypatch.setattr(catalogs, "document_template", refuse)
    monkeypatch.setattr(catalogs, "write_mo_entries", refuse)
    run_translations(project)
    assert changed(before, snapshot(translations)) == set()


def test_a_changed_template_string_updates_the_interface_catalogs_only(project):
    translations = project / "translations"
    en = translations / "en/LC_MESSAGES/messages.po"
    replace_in(en, 'msgid "Hallo Welt"\nmsgstr ""', 'msgid "Hallo Welt"\nmsgstr "Hello world"')
    run_translations(project)
    assert lookup(translations / "en/LC_MESSAGES/messages.mo", "Hallo Welt") == "Hello world"
    before = snapshot(translations)

    template = project / "templates" / "base.html"
    template.write_text("<p>{{ _('Hallo schöne Welt') }}</p>\n", "utf-8")
    run_translations(project)
    after = snapshot(translations)
    assert changed(before, after) == INTERFACE | {"interface-sources.json"}
    assert 'msgid "Hallo schöne Welt"' in after["messages.pot"][2].decode()
    text = after["en/LC_MESSAGES/messages.po"][2].decode()
    # pybabel update --previous: fuzzy, with the old source and the old translation
    fuzzy = '#, fuzzy\n#| msgid "Hallo Welt"\nmsgid "Hallo schöne Welt"\nmsgstr "Hello world"'
    assert fuzzy in text
    assert lookup(translations / "en/LC_MESSAGES/messages.mo", "Hallo schöne Welt") == (
        "Hallo schöne Welt"  # fuzzy: not compiled
    )


def test_a_changed_document_updates_its_catalogs_and_content_mo_only(project):
    translations = project / "translations"
    for code in catalogs.LOCALES:
        translate_all(catalogs.document_po(translations, code, "content/seiten/eins.md"), "[x]")
    run_translations(project)
    before = snapshot(translations)
    page = project / "content" / "seiten" / "eins.md"
    page.write_text(page.read_text("utf-8").replace("ganz anderem.", "Neuem."), "utf-8")
    run_translations(project)
    after = snapshot(translations)
    expected = {"content-sources.json", "content-stat.json"}
    for code in catalogs.LOCALES:
        expected |= {
            f"{code}/LC_MESSAGES/content/seiten/eins.po",
            f"{code}/LC_MESSAGES/content/seiten/eins.mo",
            f"{code}/LC_MESSAGES/content.mo",
            f"{code}/LC_MESSAGES/content.list",
        }
    assert changed(before, after) == expected
    text = after["en/LC_MESSAGES/content/seiten/eins.po"][2].decode()
    assert "Der zweite Absatz handelt von etwas Neuem." in text  # fuzzy: out of content.mo
    mo = translations / "en/LC_MESSAGES/content.mo"
    new = "Der zweite Absatz handelt von etwas Neuem."
    assert lookup(mo, new) == new
    assert lookup(mo, "Eins") == "[x] Eins"


def test_a_stale_stamp_hides_no_change(project):
    """What the stamps record is compared with the files on disk: a deleted .mo, a
    hand-edited .po or .pot, an older document catalog put back are all noticed."""
    translations = project / "translations"
    locale = translations / "en" / "LC_MESSAGES"

    (locale / "messages.mo").unlink()  # a deleted .mo
    before = snapshot(translations)
    run_translations(project)
    assert changed(before, snapshot(translations)) == {
        "en/LC_MESSAGES/messages.mo",
        "interface-sources.json",
    }

    po = locale / "messages.po"  # a hand-edited .po: updated (normalised) and compiled
    replace_in(po, 'msgid "Speichern"\nmsgstr ""', 'msgid "Speichern"\nmsgstr "Save"')
    run_translations(project)
    assert lookup(locale / "messages.mo", "Speichern") == "Save"

    pot = translations / "messages.pot"  # a hand-edited template is extracted again
    good = pot.read_bytes()
    pot.write_bytes(good.replace(b'msgid "Speichern"', b'msgid "Sichern"'))
    run_translations(project)
    assert pot.read_bytes() == good
    assert lookup(locale / "messages.mo", "Speichern") == "Save"

    # a document catalog edited by hand, then an older copy of it put back
    eins = locale / "content" / "seiten" / "eins.po"
    old = eins.read_bytes()
    old_time = eins.stat().st_mtime_ns
    translate_all(eins, "[en]")
    run_translations(project)
    assert lookup(locale / "content.mo", "Eins") == "[en] Eins"
    eins.write_bytes(old)
    os.utime(eins, ns=(old_time, old_time))  # older than content.mo and eins.mo
    run_translations(project)
    assert lookup(locale / "content.mo", "Eins") == "Eins"

    (locale / "content.mo").unlink()  # a deleted content.mo
    translate_all(eins, "[en]")
    run_translations(project)
    assert lookup(locale / "content.mo", "Eins") == "[en] Eins"
    (locale / "content.mo").unlink()
    run_translations(project)
    assert lookup(locale / "content.mo", "Zwei") == "Zwei"
    assert lookup(locale / "content.mo", "Eins") == "[en] Eins"


def test_content_mo_holds_every_translated_entry_of_the_documents(project):
    """The merge of the document catalogs' raw .mo entries: translated, non-fuzzy entries
    of every document, the first document's translation for a text in several."""
    translations = project / "translations"
    locale = translations / "en" / "LC_MESSAGES"
    translate_all(locale / "content" / "seiten" / "eins.po", "[eins]")
    translate_all(locale / "content" / "seiten" / "zwei.po", "[zwei]")
    zwei = locale / "content" / "seiten" / "zwei.po"
    replace_in(zwei, 'msgid "Zwei"\nmsgstr "[zwei]', '#, fuzzy\nmsgid "Zwei"\nmsgstr "[zwei]')
    run_translations(project)
    mo = locale / "content.mo"
    assert lookup(mo, "Eins") == "[eins] Eins"
    assert lookup(mo, "Zwei") == "Zwei"  # fuzzy
    shared = "Der zweite Absatz handelt von etwas ganz anderem."
    assert lookup(mo, shared) == f"[eins] {shared}"
    assert lookup(mo, "Hallo.") == "Hallo."  # start.md is untranslated
    entries = catalogs.read_mo(mo.read_bytes())
    assert b"Content-Type: text/plain; charset=utf-8" in entries[b""]
    assert catalogs.read_mo(catalogs.write_mo_entries(entries)) == entries


def test_unchanged_content_files_are_not_read_again(site, monkeypatch):
    """The stat cache: a file whose size and time are those recorded is not read; an edit
    that keeps the size still changes the time; a new extraction version reads all."""
    content, translations = site
    old = time.time_ns() - 60 * 10**9  # older than the racy window
    for path in content.rglob("*.md"):
        os.utime(path, ns=(old, old))
    assert catalogs.update_all(content, translations, ["en"])["extracted"] == 3
    read = []
    hash_file = catalogs.source_hash

    def counting(path):
        read.append(path.name)
        return hash_file(path)

    monkeypatch.setattr(catalogs, "source_hash", counting)
    assert catalogs.update_all(content, translations, ["en"])["extracted"] == 0
    assert read == []

    page = content / "seiten" / "eins.md"
    text = page.read_text("utf-8")
    page.write_text(text.replace("title: Eins", "title: Drei"), "utf-8")  # same size
    assert catalogs.update_all(content, translations, ["en"])["extracted"] == 1
    assert read == ["eins.md"]
    assert "Drei" in catalogs.document_po(translations, "en", "content/seiten/eins.md").read_text()

    monkeypatch.setattr(catalogs, "EXTRACTION_VERSION", "test")
    read.clear()
    assert catalogs.update_all(content, translations, ["en"])["extracted"] == 3
    assert sorted(read) == ["eins.md", "start.md", "zwei.md"]
