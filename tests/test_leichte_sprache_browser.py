"""Issue 17 in a real browser: the Prüf-Ansicht (axe, keyboard only, targets of at least
44 px, the printed Prüf-Bogen), setting a page to "geprüft", the note visitors then see, and
the Wörterbuch page with the links that lead to it."""

from __future__ import annotations

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import delete, select

from webapp.db import db
from webapp.editor.models import Editor
from webapp.leichte_sprache.models import CheckMark, GlossaryEntry, PageCheck

from .conftest import format_violations, run_axe
from .fixtures_editor import PASSWORD, password_hash

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
NAME = "pruefung"


def _clean(app) -> None:
    with app.app_context():
        for model in (PageCheck, CheckMark, GlossaryEntry):
            db.session.execute(delete(model))
        db.session.commit()


@pytest.fixture()
def ls_live(app, live_server):
    with app.app_context():
        if db.session.scalar(select(Editor).filter_by(name=NAME)) is None:
            db.session.add(Editor(name=NAME, password_hash=password_hash(PASSWORD)))
            db.session.commit()
    _clean(app)
    yield live_server.url
    _clean(app)  # other tests of the session see the portal as it was


def wait_for(browser, condition, timeout=10):
    """Waits across a page load (an element of the old page may go stale meanwhile)."""
    ignored = (StaleElementReferenceException,)
    return WebDriverWait(browser, timeout, ignored_exceptions=ignored).until(condition)


def axe(browser, label: str) -> dict:
    results = run_axe(browser)
    return {label: format_violations(results["violations"])} if results["violations"] else {}


def active(browser):
    return browser.switch_to.active_element


def test_pruef_ansicht_and_woerterbuch_in_a_browser(browser, ls_live):
    base = ls_live
    browser.delete_all_cookies()
    browser.set_window_size(1280, 900)
    failures: dict = {}
    browser.get(base + "/redaktion/anmelden")
    browser.find_element(By.ID, "name").send_keys(NAME)
    active(browser).send_keys(Keys.TAB)
    active(browser).send_keys(PASSWORD, Keys.ENTER)
    wait_for(browser, EC.url_to_be(base + "/redaktion/"))
    for label, path in (
        ("overview", "/redaktion/pruefung/"),
        ("glossary list", "/redaktion/woerterbuch/"),
        ("glossary entry", "/redaktion/woerterbuch/eintrag?wort=Browser"),
    ):
        browser.get(base + path)
        failures |= axe(browser, label)

    # The Prüf-Ansicht, by keyboard: choose, write a note, go on, send.
    browser.get(base + "/redaktion/pruefung/ansicht?pfad=/hilfen")
    failures |= axe(browser, "pruef-ansicht")
    for label in browser.find_elements(By.CSS_SELECTOR, ".pruef-wahl__knopf")[:6]:
        size = label.size
        assert size["height"] >= 44 and size["width"] >= 44, size
    first = browser.find_element(By.CSS_SELECTOR, ".pruef-satz input[value='verstanden']")
    first.send_keys(Keys.SPACE)
    assert first.is_selected()
    active(browser).send_keys(Keys.TAB)  # one stop per radio group: on to the note
    assert active(browser).tag_name == "textarea"
    active(browser).send_keys("Gut lesbar.")
    active(browser).send_keys(Keys.TAB)  # the next sentence's choices
    second = active(browser)
    assert second.get_attribute("type") == "radio"
    second.send_keys(Keys.SPACE)
    assert second.get_attribute("value") == "verstanden" and second.is_selected()
    # Touch: a tap anywhere on the big label chooses.
    labels = browser.find_elements(By.CSS_SELECTOR, ".pruef-satz")[2].find_elements(
        By.CSS_SELECTOR, ".pruef-wahl__knopf"
    )
    labels[0].click()
    assert labels[0].find_element(By.TAG_NAME, "input").is_selected()
    # The Prüf-Bogen: printed without the button and the navigation.
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        button = browser.find_element(By.CSS_SELECTOR, ".pruef-senden")
        assert not button.is_displayed()
        assert not browser.find_element(By.CSS_SELECTOR, ".editor-nav").is_displayed()
        assert browser.find_element(By.CSS_SELECTOR, ".pruef-satz__text").is_displayed()
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    browser.find_element(By.CSS_SELECTOR, ".pruef-senden button").send_keys(Keys.ENTER)
    wait_for(browser, EC.url_contains("/redaktion/pruefung/seite"))
    wait_for(browser, EC.presence_of_element_located((By.ID, "stand")))
    assert "Gut lesbar." in browser.find_element(By.ID, "inhalt").text
    failures |= axe(browser, "pruefung page")

    # The page is set to "geprüft" with the keyboard.
    radio = browser.find_element(By.ID, "state-geprueft")
    radio.send_keys(Keys.SPACE)
    assert radio.is_selected()
    group = browser.find_element(By.ID, "group")
    group.send_keys("Prüfgruppe im Test")
    group.send_keys(Keys.ENTER)
    wait_for(browser, lambda b: "Der Stand der Prüfung ist gespeichert." in b.page_source)

    # Visitors: the note at the end of the Leichte Sprache page; the Wörterbuch.
    browser.get(base + "/leichte-sprache/hilfen")
    note = browser.find_element(By.CSS_SELECTOR, ".ls-geprueft")
    assert "Prüfgruppe im Test" in note.text
    failures |= axe(browser, "checked LS page")
    link = browser.find_element(By.CSS_SELECTOR, "a.woerterbuch-link")
    word = link.text
    link.send_keys(Keys.ENTER)
    wait_for(browser, EC.url_contains("/leichte-sprache/woerterbuch#wort-"))
    target = browser.current_url.split("#", 1)[1]
    assert word in browser.find_element(By.ID, target).text
    failures |= axe(browser, "woerterbuch")
    browser.set_window_size(375, 800)
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 375, "the Wörterbuch scrolls sideways on a phone"
    browser.get(base + "/redaktion/pruefung/ansicht?pfad=/hilfen")
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 375, "the Prüf-Ansicht scrolls sideways on a phone"
    browser.set_window_size(320, 640)  # and at 200 % text
    browser.execute_script("document.documentElement.style.fontSize = '200%'")
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 320, "the Prüf-Ansicht scrolls sideways at 200 % text"
    browser.set_window_size(1280, 900)
    assert failures == {}, "\n".join(f"{k}:\n{v}" for k, v in failures.items())


def test_pruef_ansicht_works_without_javascript(browser_nojs, ls_live):
    browser = browser_nojs
    base = ls_live
    browser.delete_all_cookies()
    browser.get(base + "/redaktion/anmelden")
    browser.find_element(By.ID, "name").send_keys(NAME)
    browser.find_element(By.ID, "password").send_keys(PASSWORD, Keys.ENTER)
    wait_for(browser, EC.url_to_be(base + "/redaktion/"))
    browser.get(base + "/redaktion/pruefung/ansicht?pfad=/hilfen")
    sentence = browser.find_elements(By.CSS_SELECTOR, ".pruef-satz")[1]
    sentence.find_element(By.CSS_SELECTOR, ".pruef-wahl__knopf--nein").click()
    sentence.find_element(By.TAG_NAME, "textarea").send_keys("Zu lang.")
    browser.find_element(By.CSS_SELECTOR, ".pruef-senden button").click()
    wait_for(browser, EC.url_contains("/redaktion/pruefung/seite"))
    wait_for(browser, EC.presence_of_element_located((By.ID, "stand")))
    flagged = browser.find_element(By.CSS_SELECTOR, ".ls-entry--flagged")
    assert "Zu lang." in flagged.text and "Nicht verstanden" in flagged.text
