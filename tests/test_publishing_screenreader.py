"""What Orca SAYS on the publishing pages of the editors' area (tests/screenreader.py): the
edit form (labels, hints, required fields, the error summary and each error, the live preview
that leaves the focus in the field), the Freigabe view (its heading, the translation status
per language, the preview's headings below "Vorschau", the decision buttons, errors of
scheduling and rejecting, the announcement of publishing) and the versions page (the diff
read row by row, the restore buttons' names). Marker ``screenreader``
(``make test-screenreader``).

Found with these and fixed: required fields were not said to be required (aria-required now
comes from the validators in the shared form macros); a half-typed date on the Freigabe view
got Chromium's validation bubble instead of the portal's error summary (novalidate); the
preview's own h2 stood beside "Entscheiden" in the heading list; language names lacked their
``lang``; an unchanged diff row was a bare dash."""

from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from webapp.db import db
from webapp.editor.models import Editor
from webapp.publishing import workflow
from webapp.publishing.models import ContentDocument

from .fixtures_editor import PASSWORD, clear_content, password_hash
from .test_screenreader import focus, js, orca, spoken, text_of  # noqa: F401 - the fixture

pytestmark = [pytest.mark.screenreader, pytest.mark.xdist_group("screenreader")]

#: What Orca (German) adds for a field marked aria-required.
REQUIRED = "erforderlich"


def joined(said: list[str]) -> str:
    return " ".join(said)


@pytest.fixture()
def accounts(orca, app):  # noqa: F811 - the imported fixture
    with app.app_context():
        for name, role in (("orca-redaktion", "redaktion"), ("orca-freigabe", "freigabe")):
            if db.session.scalar(select(Editor).filter_by(name=name)) is None:
                db.session.add(Editor(name=name, password_hash=password_hash(PASSWORD), role=role))
        db.session.commit()
    clear_content(app, refresh=True)
    yield orca
    print("\n".join(orca.transcript))
    orca.transcript.clear()
    clear_content(app, refresh=True)


def log_in(reader, name: str) -> None:
    reader.driver.delete_all_cookies()
    reader.driver.get(reader.base + "/redaktion/anmelden")
    reader.driver.find_element(By.ID, "name").send_keys(name)
    reader.driver.find_element(By.ID, "password").send_keys(PASSWORD, Keys.ENTER)
    WebDriverWait(reader.driver, 10).until(lambda d: "/anmelden" not in d.current_url)


def submitted_news(app, title: str) -> int:
    """A news item that Redaktion wrote and submitted (the Freigabe's work)."""
    data = {
        "title": title,
        "short_title": "",
        "summary": "Der Sozialbericht ist erschienen.",
        "body": "## Worum es geht\n\nDer Bericht beschreibt die soziale Lage in NRW.",
        "date": "2026-11-30",
        "time_note": "",
        "place": "",
        "registration": "",
        "organiser": "",
        "nav": None,
        "order": None,
        "sitemap": True,
    }
    with app.app_context():
        doc = workflow.create("news", "orca-meldung", data, "orca-redaktion", set())
        doc = workflow.submit(doc.id, doc.version, "orca-redaktion")
        return doc.id


def errors_in_summary(reader) -> list[str]:
    return js(
        reader,
        "return [...document.querySelectorAll('.error-summary a')]"
        ".map(a => a.textContent.replace(/\\s+/g, ' ').trim())",
    )


def test_the_edit_form_says_labels_required_fields_and_the_errors(accounts):
    """A news item: Orca says each field's label, hint and whether it is required; sent
    empty, the error summary has the focus, each error is a link, and following one puts the
    focus into the field, read as invalid with its error."""
    reader = accounts
    log_in(reader, "orca-redaktion")
    reader.open(reader.base + "/redaktion/inhalte/neu/meldung", expect="Orientierungspunkte")
    focus(reader, "#title", "Titel")
    said = joined(reader.transcript[-3:])
    assert "Titel Eingabefeld" in said and REQUIRED in said, reader.transcript[-4:]
    said = joined(reader.key("Tab"))
    assert said.startswith("Kurztitel (optional) Eingabefeld") and REQUIRED not in said, said
    assert "Für Navigation und Brotkrümel-Pfad" in said, said  # the hint
    said = joined(reader.key("Tab"))
    assert said.startswith("Adresse der Seite Eingabefeld") and REQUIRED in said, said
    assert "Die Adresse beginnt mit /aktuelles/" in said, said
    said = joined(reader.key("Tab"))
    assert said.startswith("Kurzbeschreibung (optional)") and REQUIRED not in said, said
    said = joined(reader.key("Tab"))
    assert said.startswith("Datum Eingabefeld") and REQUIRED in said, said
    assert "Zum Beispiel 24.12.2026" in said, said

    focus(reader, "button[value=submit]", "Speichern und zur Freigabe einreichen Druckknopf")
    said = reader.key("Return", quiet=1.5, expect="Panel")
    assert said[0] == "Bitte korrigieren Sie Ihre Angaben Panel.", said
    assert js(reader, "return document.activeElement.id") == "fehler"
    errors = errors_in_summary(reader)
    assert "Bitte geben Sie einen Titel ein." in errors and len(errors) == 3, errors
    for error in errors:
        said = reader.key("Tab")
        assert said[0] == f"{spoken(error)} Verknüpfung.", (error, said)
    reader.key("shift+Tab", "shift+Tab")
    said = joined(reader.key("Return", expect="Fehler"))
    assert js(reader, "return document.activeElement.id") == "title"
    assert "Titel Eingabefeld" in said and "ungültiger Eintrag" in said, said
    assert "Fehler: Bitte geben Sie einen Titel ein." in said, said

    # Typing: the live preview is swapped in below (htmx) without taking the focus or
    # talking over the typing.
    mark = reader.mark()
    reader.type("Neuer Sozialbericht")
    WebDriverWait(reader.driver, 10).until(
        lambda d: "Neuer Sozialbericht" in (text_of(reader, "#vorschau") or "")
    )
    reader.settle(1.5, 10)
    assert js(reader, "return document.activeElement.id") == "title"
    assert not [line for line in reader.said_since(mark) if "Vorschau" in line]
    # "Vorschau hier zeigen" (a valid form): the preview has the focus, read by its heading.
    reader.driver.find_element(By.ID, "slug").send_keys("neuer-sozialbericht")
    reader.driver.find_element(By.ID, "date").send_keys("30.11.2026")
    focus(reader, "button[value=preview]", "Vorschau hier zeigen Druckknopf")
    said = joined(reader.key("Return", quiet=1.5, expect="Vorschau \\(nicht gespeichert\\)"))
    assert "Vorschau (nicht gespeichert)" in said, said
    assert js(reader, "return document.activeElement.id") == "vorschau"


def test_the_freigabe_view_reads_translations_and_the_decision(accounts, app):
    """The Freigabe view: the heading, the translation status per language, the preview
    below its own heading (not beside "Entscheiden"), the publish button's name; a
    half-typed date is answered by the portal's error summary (not the browser's bubble),
    and publishing is announced."""
    reader = accounts
    doc_id = submitted_news(app, "Sozialbericht erschienen")
    log_in(reader, "orca-freigabe")
    reader.open(reader.base + f"/redaktion/inhalte/{doc_id}/freigabe", expect="Orientierungspunkte")
    said = reader.key("h", expect="Überschrift")
    assert said[-1].startswith("Freigabe: Sozialbericht erschienen Überschrift Ebene 1"), said
    said = reader.key("h")
    assert said[-1] == "Übersetzungen Überschrift Ebene 2.", said
    # The translation status: the paragraph, then one item per language.
    items = js(
        reader,
        "return [...document.querySelectorAll('#uebersetzung-titel ~ ul')[0].children]"
        ".map(li => li.textContent.replace(/\\s+/g, ' ').trim())",
    )
    assert [item.split(":")[0] for item in items] == ["Leichte Sprache", "English"], items
    # each language's name in its own language, marked so (the voice can switch)
    assert js(
        reader,
        "return [...document.querySelectorAll('#uebersetzung-titel ~ ul li > span')]"
        ".map(e => e.lang)",
    ) == ["de", "en"]
    heard = joined(reader.key("Down", "Down", "Down", "Down", "Down", "Down", quiet=1.0))
    assert "Liste mit 2 Einträgen" in heard, heard
    for item in items:
        language, status = item.split(":", 1)
        assert f"{language}" in heard, (language, heard)
        status = status.split("–")[0].strip()
        assert re.fullmatch(r"\d+ von \d+ Textteilen nicht übersetzt|vollständig übersetzt", status)
        assert status in heard, (status, heard)
    for language in ("Leichte Sprache", "English"):
        link = f"a[href*='{'leichte-sprache' if language != 'English' else 'en'}/']"
        focus(reader, f"#uebersetzung-titel ~ ul {link}", "Verknüpfung")
        said = reader.transcript[-2:]
        assert f"zur Übersetzung ({language}) Verknüpfung." in said, said
    headings = [joined(reader.key("h")) for _ in range(5)]
    assert headings[0].startswith("Änderungen gegenüber der veröffentlichten Fassung Überschrift")
    assert headings[1] == "Vorschau Überschrift Ebene 2.", headings
    assert headings[2] == "Sozialbericht erschienen Überschrift Ebene 3.", headings
    assert headings[3] == "Worum es geht Überschrift Ebene 4.", headings
    assert headings[4] == "Entscheiden Überschrift Ebene 2.", headings
    said = reader.key("b")
    assert said[-1] == "Jetzt veröffentlichen Druckknopf.", said

    # Half a date typed: the portal answers (novalidate), with its summary.
    focus(reader, "#publish_at", "Veröffentlichen am")
    reader.key("1", "2")
    focus(reader, "button[value=schedule]", "Veröffentlichung planen Druckknopf")
    said = reader.key("Return", quiet=1.5, expect="Panel")
    assert said[0] == "Bitte korrigieren Sie Ihre Angaben Panel.", said
    assert js(reader, "return document.activeElement.id") == "fehler"
    said = reader.key("Tab")
    assert said[0] == "Bitte geben Sie einen Zeitpunkt in der Zukunft ein. Verknüpfung.", said

    # Rejected without a comment: the error leads into the comment field.
    focus(reader, "button[value=reject]", "Ablehnen Druckknopf")
    said = reader.key("Return", quiet=1.5, expect="Panel")
    assert said[0] == "Bitte korrigieren Sie Ihre Angaben Panel.", said
    said = reader.key("Tab")
    assert said[0] == "Bitte schreiben Sie, was zu ändern ist. Verknüpfung.", said
    said = joined(reader.key("Return", expect="Fehler"))
    assert js(reader, "return document.activeElement.id") == "comment"
    assert "Kommentar für die Redaktion" in said and REQUIRED in said, said
    assert "ungültiger Eintrag" in said and "Bitte schreiben Sie, was zu ändern ist." in said

    focus(reader, "button[value=publish]", "Jetzt veröffentlichen Druckknopf")
    said = joined(reader.key("Return", quiet=1.5, expect="Veröffentlicht"))
    assert "Veröffentlicht. Die Seite ist in wenigen Sekunden überall zu sehen." in said, said
    assert text_of(reader, ".editor-entry__facts dd:nth-of-type(2)") == "veröffentlicht"


def test_the_versions_page_reads_the_change_and_names_each_restore_button(accounts, app):
    """The versions page: the diff is a table whose rows say "entfernt"/"neu" (and Orca
    adds the deletion and insertion of <del>/<ins>), unchanged rows say so; each restore
    button is named with its version."""
    reader = accounts
    doc_id = submitted_news(app, "Sozialbericht erschienen")
    with app.app_context():
        doc = db.session.get(ContentDocument, doc_id)
        data = dict(workflow.revision_of(doc.latest_revision_id).data)
        data["title"] = "Sozialbericht 2025 erschienen"
        workflow.save(doc.id, doc.version, data, "orca-redaktion")
    log_in(reader, "orca-redaktion")
    reader.open(
        reader.base + f"/redaktion/inhalte/{doc_id}/versionen", expect="Orientierungspunkte"
    )
    said = reader.key("h", expect="Überschrift")
    assert said[-1].startswith("Versionen: /aktuelles/orca-meldung Überschrift Ebene 1"), said
    said = joined(reader.key("b"))  # the newest version first
    assert "Wiederherstellen Druckknopf" in said and "Version 2" in said, said
    said = joined(reader.key("b"))
    assert "Wiederherstellen Druckknopf" in said and "Version 1" in said, said
    said = reader.key("h")
    assert said[-1] == "Version 2: was sich geändert hat Überschrift Ebene 2.", said
    said = joined(reader.key("Down"))
    assert re.search(r"Tabelle mit \d+ Zeilen 2 Spalten", said), said
    said = reader.key("Down")
    assert said[0] == "entfernt." and "Titel: Sozialbericht erschienen." in said, said
    assert "Beginn Löschung." in said, said
    said = reader.key("Down")
    assert said[0] == "neu." and "Titel: Sozialbericht 2025 erschienen." in said, said
    assert "Beginn Einfügen." in said, said
    said = reader.key("Down")
    assert said[0] == "unverändert.", said  # not a bare dash
