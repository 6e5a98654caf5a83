"""The publishing pages in a real browser: axe-core on each (list, form, errors, preview,
Freigabe, versions, conflict, the 410 page), a news item written and submitted with the
keyboard alone, the error summary focused."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from sqlalchemy import select

from webapp.db import db
from webapp.editor.models import Editor

from .conftest import format_violations, run_axe
from .fixtures_editor import PASSWORD, clear_content, password_hash
from .helpers import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def axe_failures(browser, label: str) -> dict:
    results = run_axe(browser)
    return {label: format_violations(results["violations"])} if results["violations"] else {}


@pytest.fixture()
def publisher(app, live_server):
    with app.app_context():
        for name in ("freigabe-browser", "freigabe-zwei"):  # four eyes: two people
            if db.session.scalar(select(Editor).filter_by(name=name)) is None:
                db.session.add(
                    Editor(name=name, password_hash=password_hash(PASSWORD), role="freigabe")
                )
        db.session.commit()
    clear_content(app, refresh=True)
    yield
    clear_content(
        app, refresh=True
    )  # the session's app is shared: leave no published test document


def type_into(browser, element_id: str, text: str) -> None:
    field = browser.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(text)


def log_in_as(browser, base: str, name: str) -> None:
    """Log in with the keyboard (a fresh browser session), landing on the content list."""
    browser.delete_all_cookies()
    browser.get(base + "/redaktion/inhalte/")
    wait_for(browser, EC.presence_of_element_located((By.ID, "password")))
    browser.find_element(By.ID, "name").send_keys(name)
    browser.switch_to.active_element.send_keys(Keys.TAB)
    browser.switch_to.active_element.send_keys(PASSWORD, Keys.ENTER)
    wait_for(browser, EC.url_to_be(base + "/redaktion/inhalte/"))


def test_publishing_pages_pass_axe_and_work_with_the_keyboard(browser, live_server, publisher):
    base = live_server.url
    failures: dict = {}
    log_in_as(browser, base, "freigabe-browser")
    failures |= axe_failures(browser, "list")

    # Keyboard only: follow the link to a new news item, send it empty.
    link = browser.find_element(By.LINK_TEXT, "Neue Meldung")
    link.send_keys(Keys.ENTER)
    wait_for(browser, EC.presence_of_element_located((By.ID, "title")))
    failures |= axe_failures(browser, "new form")
    browser.find_element(By.CSS_SELECTOR, "button[value='save']").send_keys(Keys.ENTER)
    wait_for(browser, EC.presence_of_element_located((By.ID, "fehler")))
    wait_for(browser, lambda b: b.switch_to.active_element.get_attribute("id") == "fehler")
    assert browser.find_element(By.ID, "title").get_attribute("aria-invalid") == "true"
    failures |= axe_failures(browser, "form with errors")
    # The summary's link takes the focus to the field.
    browser.find_element(By.CSS_SELECTOR, "#fehler a[href='#title']").send_keys(Keys.ENTER)
    type_into(browser, "title", "Tastatur-Meldung")
    type_into(browser, "slug", "tastatur-meldung")
    type_into(browser, "date", "01.12.2026")
    type_into(browser, "body", "Ein Absatz.\n\n::: box\n## Kasten\n\nText im Kasten.\n:::")
    # The live preview follows the typing, in place, and leaves the focus in the field.
    wait_for(browser, lambda b: "Text im Kasten" in b.find_element(By.ID, "vorschau").text)
    active = browser.switch_to.active_element
    assert active.get_attribute("id") == "body", active.get_attribute("outerHTML")[:300]
    browser.find_element(By.CSS_SELECTOR, "button[value='preview']").send_keys(Keys.ENTER)
    wait_for(browser, lambda b: b.switch_to.active_element.get_attribute("id") == "vorschau")
    failures |= axe_failures(browser, "form with preview")
    browser.find_element(By.CSS_SELECTOR, "button[value='submit']").send_keys(Keys.ENTER)
    wait_for(browser, lambda b: "/redaktion/inhalte/neu" not in b.current_url)
    failures |= axe_failures(browser, "edit page")
    doc_url = browser.current_url

    browser.find_element(By.PARTIAL_LINK_TEXT, "Freigabe und").send_keys(Keys.ENTER)
    wait_for(browser, EC.presence_of_element_located((By.ID, "publish_at")))
    failures |= axe_failures(browser, "freigabe")
    browser.find_element(By.CSS_SELECTOR, "button[value='reject']").send_keys(Keys.ENTER)
    wait_for(browser, EC.presence_of_element_located((By.ID, "fehler")))
    failures |= axe_failures(browser, "freigabe with errors")
    # Four eyes: the author cannot publish her own text; a second person of the Freigabe does.
    browser.find_element(By.CSS_SELECTOR, "button[value='publish']").send_keys(Keys.ENTER)
    wait_for(browser, lambda b: "Vier-Augen-Prinzip" in b.page_source)
    failures |= axe_failures(browser, "freigabe, own text refused")
    review_url = browser.current_url
    log_in_as(browser, base, "freigabe-zwei")
    browser.get(review_url)
    wait_for(browser, EC.presence_of_element_located((By.ID, "publish_at")))
    browser.find_element(By.CSS_SELECTOR, "button[value='publish']").send_keys(Keys.ENTER)
    wait_for(browser, lambda b: "Veröffentlicht" in b.page_source)
    browser.get(base + "/aktuelles/tastatur-meldung")
    assert "Tastatur-Meldung" in browser.find_element(By.TAG_NAME, "h1").text

    browser.get(doc_url + "/versionen")
    failures |= axe_failures(browser, "versions")
    browser.get(doc_url + "/vorschau")
    failures |= axe_failures(browser, "preview in the layout")
    browser.get(base + "/redaktion/protokoll")
    failures |= axe_failures(browser, "audit log with documents")
    browser.get(doc_url)
    browser.find_element(By.XPATH, "//button[text()='Dokument löschen']").send_keys(Keys.ENTER)
    wait_for(browser, lambda b: "Löschen rückgängig machen" in b.page_source)
    failures |= axe_failures(browser, "deleted")
    browser.get(base + "/aktuelles/tastatur-meldung")
    assert "Seite gelöscht" in browser.find_element(By.TAG_NAME, "h1").text
    failures |= axe_failures(browser, "410")
    assert not failures, "\n".join(f"{page}:\n{text}" for page, text in failures.items())
