"""What Orca SAYS on the document upload of the editors' area (tests/screenreader.py): the
form sent without a file and title reads the error summary and each error; a refused file
(HTML named .pdf) says why. Marker ``screenreader`` (``make test-screenreader``)."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import delete, select

from webapp.db import db
from webapp.editor.models import Editor

from .fixtures_editor import PASSWORD, password_hash
from .test_screenreader import focus, js, orca, spoken, text_of  # noqa: F401 - the fixture

pytestmark = [pytest.mark.screenreader, pytest.mark.xdist_group("screenreader")]


@pytest.fixture()
def logged_in(orca, app):  # noqa: F811 - the imported fixture
    with app.app_context():
        if db.session.scalar(select(Editor).filter_by(name="orca")) is None:
            db.session.add(Editor(name="orca", password_hash=password_hash(PASSWORD)))
            db.session.commit()
    orca.driver.get(orca.base + "/redaktion/anmelden")
    orca.driver.find_element(By.ID, "name").send_keys("orca")
    orca.driver.find_element(By.ID, "password").send_keys(PASSWORD, Keys.ENTER)
    WebDriverWait(orca.driver, 10).until(lambda d: "/anmelden" not in d.current_url)
    yield orca
    print("\n".join(orca.transcript))
    orca.transcript.clear()


def test_upload_sent_empty_and_a_refused_file_are_read_out(logged_in, tmp_path):
    reader = logged_in
    reader.open(reader.base + "/redaktion/dokumente/neu", expect="Orientierungspunkte")
    focus(reader, "form[enctype] button[type=submit]", "Druckknopf")
    said = reader.key("Return", quiet=1.5)
    summary = text_of(reader, ".error-summary h2")
    assert said[0] == f"{spoken(summary)} Panel.", said  # the summary has the focus
    assert js(reader, "return document.activeElement.id") == "fehler"
    errors = js(
        reader, "return [...document.querySelectorAll('.error-summary a')].map(a => a.textContent)"
    )
    assert "Bitte wählen Sie eine Datei aus." in errors or len(errors) >= 2, errors
    for error in errors:
        said = reader.key("Tab")
        # (Orca may add its mode, "Stöbern-Modus", after the link)
        assert said[0] == f"{spoken(error)} Verknüpfung.", (error, said)
    # HTML named .pdf: refused, the reason read from the summary.
    fake = tmp_path / "bericht.pdf"
    fake.write_bytes(b"<!DOCTYPE html><html><body>kein PDF</body></html>")
    reader.driver.find_element(By.ID, "file").send_keys(str(fake))
    reader.driver.find_element(By.ID, "title").send_keys("Bericht")
    js(reader, "document.getElementById('language').value = 'de'")
    focus(reader, "form[enctype] button[type=submit]", "Druckknopf")
    reader.key("Return", quiet=1.5)
    assert js(reader, "return document.activeElement.id") == "fehler"
    said = " ".join(reader.key("Tab"))
    assert "Dieser Dateityp ist nicht erlaubt" in said, said


@pytest.fixture()
def draft_document(app):
    from webapp.downloads import DocumentFile, DocumentRevision

    from .test_downloads import add_document

    add_document(app, document_id=9001)
    yield 9001
    with app.app_context():
        db.session.execute(delete(DocumentRevision).filter_by(document_id=9001))
        db.session.execute(delete(DocumentFile).filter_by(id=9001))
        db.session.commit()


def test_a_too_large_replacement_is_read_out_and_the_reason_is_kept(
    logged_in, draft_document, tmp_path
):
    """The replacement form: Orca says the file field's label and hint (Chromium makes a
    file field a button: its required state is not spoken); a 50 MB file is refused with the
    error read from the summary, and the reason typed is still there."""
    reader = logged_in
    reader.open(
        reader.base + f"/redaktion/dokumente/{draft_document}/ersetzen",
        expect="Orientierungspunkte",
    )
    focus(reader, "#file", "Neue Datei")
    said = " ".join(reader.transcript[-4:])
    assert "Neue Datei" in said and "höchstens 20 MB" in said, said
    big = tmp_path / "bericht-gross.pdf"
    with big.open("wb") as out:
        out.write(b"%PDF-1.7\n")
        out.truncate(50 * 1024 * 1024)
    reader.driver.find_element(By.ID, "file").send_keys(str(big))
    reader.driver.find_element(By.ID, "reason").send_keys("Die barrierefreie Fassung folgt.")
    focus(reader, "form[enctype] button[type=submit]", "Druckknopf")
    said = reader.key("Return", quiet=1.5, maxwait=30, expect="Panel")
    assert said[0] == "Bitte korrigieren Sie Ihre Angaben Panel.", said
    assert js(reader, "return document.activeElement.id") == "fehler"
    said = reader.key("Tab")
    assert said[0].startswith("Die Datei ist zu groß (50"), said
    assert "Ihre anderen Angaben sind noch da." in said[0] and "Verknüpfung" in said[0], said
    assert js(reader, "return document.getElementById('reason').value") == (
        "Die barrierefreie Fassung folgt."
    )
