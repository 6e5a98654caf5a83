"""Editors' area in a real browser: axe-core on every editor page (zero violations), login
and editing with the keyboard, errors focused and announced, a text kept when the session
ended."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from sqlalchemy import delete, select

from webapp.db import db
from webapp.editor import changes
from webapp.editor.catalog import entry_key, load_view
from webapp.editor.models import Editor, EditorSession
from webapp.forms.models import store

from .conftest import format_violations, run_axe
from .fixtures_editor import PASSWORD, password_hash
from .helpers import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def live_editor(app, live_server):
    """An editor account and one submission in the live server's database."""
    with app.app_context():
        if db.session.scalar(select(Editor).filter_by(name="browser")) is None:
            db.session.add(Editor(name="browser", password_hash=password_hash(PASSWORD)))
            db.session.commit()
        store(
            "kontakt",
            {
                "name": "",
                "email": "a@example.org",
                "subject": "Frage",
                "message": "Eine Nachricht für den Eingang.",
            },
            "de",
        )
        msgid = app.extensions["sozialberichte.content"].get("/hilfen").title
    key = entry_key(msgid)
    return {"entry": f"/redaktion/leichte-sprache/eintrag/{key}", "key": key}


def axe_failures(browser, label: str) -> dict:
    results = run_axe(browser)
    return {label: format_violations(results["violations"])} if results["violations"] else {}


def test_editor_pages_pass_axe_and_work_with_the_keyboard(
    browser, live_server, live_editor, app, tmp_path
):
    base = live_server.url
    browser.delete_all_cookies()
    failures = {}
    # The login page a visitor gets for any editor URL.
    browser.get(base + "/redaktion/protokoll")
    wait_for(browser, EC.presence_of_element_located((By.ID, "password")))
    assert browser.current_url.startswith(base + "/redaktion/anmelden")
    failures |= axe_failures(browser, "login")
    # Log in with the keyboard only.
    browser.find_element(By.ID, "name").send_keys("browser")
    browser.switch_to.active_element.send_keys(Keys.TAB)
    browser.switch_to.active_element.send_keys(PASSWORD, Keys.ENTER)
    wait_for(browser, EC.url_to_be(base + "/redaktion/protokoll"))
    # Every editor page, in the states an editor meets.
    for label, path in (
        ("overview", "/redaktion/"),
        ("language", "/redaktion/leichte-sprache/"),
        ("entries", "/redaktion/en/eintraege?status=translated"),
        ("entry", live_editor["entry"]),
        ("upload", "/redaktion/en/hochladen"),
        ("inbox", "/redaktion/eingang"),
    ):
        browser.get(base + path)
        assert browser.find_element(By.TAG_NAME, "h1").is_displayed()
        failures |= axe_failures(browser, label)
    # A save with a broken text: the error summary gets the focus, the result is announced.
    browser.get(base + live_editor["entry"])
    field = browser.find_element(By.ID, "msgstr-0")
    current = field.get_attribute("value")
    field.clear()
    field.send_keys("Hilfe z. B. beim Lesen.")
    browser.find_element(By.CSS_SELECTOR, "button[value='save']").send_keys(Keys.ENTER)
    wait_for(browser, EC.presence_of_element_located((By.ID, "fehler")))
    wait_for(browser, lambda b: b.switch_to.active_element.get_attribute("id") == "fehler")
    wait_for(browser, lambda b: "Prüfung: 1 Fehler" in b.find_element(By.ID, "status").text)
    failures |= axe_failures(browser, "entry with errors")
    # Saving the unchanged text (the public page stays as it is) fills the audit log.
    field = browser.find_element(By.ID, "msgstr-0")
    field.clear()
    field.send_keys(current)
    browser.find_element(By.CSS_SELECTOR, "button[value='save']").send_keys(Keys.ENTER)
    wait_for(browser, lambda b: "Gespeichert." in b.find_element(By.ID, "status").text)
    browser.get(base + "/redaktion/protokoll")
    assert browser.find_elements(By.CSS_SELECTOR, "tbody tr")
    failures |= axe_failures(browser, "audit log")
    # Someone else saves while this page is open: the conflict page.
    browser.get(base + live_editor["entry"])
    with app.test_request_context("/redaktion/"):
        entry = load_view("de@ls").get(live_editor["key"])
        changes.save("de@ls", entry, entry.msgstr, False, "jemand anderes")
    browser.find_element(By.CSS_SELECTOR, "button[value='save']").send_keys(Keys.ENTER)
    wait_for(browser, EC.presence_of_element_located((By.ID, "konflikt")))
    failures |= axe_failures(browser, "entry with conflict")
    # A broken .po upload: rejected, reported.
    broken = tmp_path / "kaputt.po"
    broken.write_bytes(b'msgid "offen\n')
    browser.get(base + "/redaktion/en/hochladen")
    browser.find_element(By.ID, "file").send_keys(str(broken))
    browser.find_element(By.CSS_SELECTOR, "form[enctype] button[type='submit']").click()
    wait_for(browser, EC.presence_of_element_located((By.ID, "fehler")))
    failures |= axe_failures(browser, "upload rejected")
    # The session ends on the server while the editor writes: the text comes back, with a
    # link to log in again.
    browser.get(base + live_editor["entry"])
    with app.app_context():
        db.session.execute(delete(EditorSession))
        db.session.commit()
    field = browser.find_element(By.ID, "msgstr-0")
    field.clear()
    field.send_keys("Ein langer Text, der nicht verloren geht.")
    browser.find_element(By.CSS_SELECTOR, "button[value='save']").send_keys(Keys.ENTER)
    wait_for(browser, lambda b: "Nicht gespeichert" in b.find_element(By.TAG_NAME, "h1").text)
    values = [dd.text for dd in browser.find_elements(By.CSS_SELECTOR, "dd")]
    assert "Ein langer Text, der nicht verloren geht." in values
    failures |= axe_failures(browser, "session ended")
    assert not failures, "\n".join(f"{page}:\n{text}" for page, text in failures.items())
