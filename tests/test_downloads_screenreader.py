"""What Orca SAYS on the document upload of the editors' area (tests/screenreader.py): the
form sent without a file and title reads the error summary and each error; a refused file
(HTML named .pdf) says why. Marker ``screenreader`` (``make test-screenreader``)."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

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
