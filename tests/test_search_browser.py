"""Search in a real browser: results as you type (count announced, focus kept), the header
form in place, the plain GET form without JavaScript, and axe-core on the results."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from .conftest import format_violations, run_axe
from .helpers import wait_for as wait

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def text_of(driver, selector) -> str:
    return driver.execute_script(
        "var e = document.querySelector(arguments[0]); return e ? e.textContent.trim() : null",
        selector,
    )


def query_of(url) -> str:
    return parse_qs(urlsplit(url).query).get("q", [""])[0]


def test_results_follow_the_typing_and_focus_stays_in_the_field(browser, live_server):
    browser.get(live_server.url + "/suche")
    browser.execute_script("window.__noReload = true")
    field = browser.find_element(By.ID, "suchbegriff")
    field.click()
    field.send_keys("Sozialplan")
    wait(browser, lambda d: (text_of(d, ".search-results__count") or "").endswith("„Sozialplan“"))
    count = text_of(browser, ".search-results__count")
    assert count.split()[0].isdigit() and int(count.split()[0]) > 0
    wait(browser, lambda d: text_of(d, "#status") == count)  # announced politely
    assert browser.find_element(By.ID, "status").get_attribute("aria-live") == "polite"
    assert browser.execute_script("return document.activeElement.id") == "suchbegriff"
    assert browser.title == "Suche: Sozialplan – Sozialberichte NRW"
    assert query_of(browser.current_url) == "Sozialplan"
    assert browser.find_elements(By.CSS_SELECTOR, ".search-results__snippet mark")
    assert browser.execute_script("return window.__noReload") is True
    results = run_axe(browser)
    assert not results["violations"], format_violations(results["violations"])

    # Typing on: the results change, the focus stays; a query with FTS syntax is harmless.
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys('NEAR("Förder* -x:')
    wait(browser, lambda d: (text_of(d, ".search-results__count") or "").endswith("-x:“"))
    assert browser.execute_script("return document.activeElement.id") == "suchbegriff"
    assert text_of(browser, "h1") == "Suche"


def test_header_search_opens_results_in_place(browser, live_server):
    browser.get(live_server.url + "/hilfen")
    browser.execute_script("window.__noReload = true")
    field = browser.find_element(By.ID, "kopf-suche")
    field.send_keys("Impressum", Keys.ENTER)
    # The count is part of the announcement: heard at once, not four lines further down.
    wait(browser, lambda d: (text_of(d, "#status") or "").startswith("Seite geladen: Suche"))
    count = text_of(browser, ".search-results__count")
    assert count.endswith(" Treffer für „Impressum“") and not count.startswith("0 ")
    assert text_of(browser, "#status") == f"Seite geladen: Suche. {count}"
    assert browser.execute_script("return document.activeElement.tagName") == "H1"
    assert browser.title == "Suche: Impressum – Sozialberichte NRW"
    assert text_of(browser, ".search-results__title a") == "Impressum"
    assert browser.execute_script("return window.__noReload") is True
    results = run_axe(browser)
    assert not results["violations"], format_violations(results["violations"])


def test_search_without_javascript_is_a_plain_form(browser_nojs, live_server):
    browser_nojs.get(live_server.url + "/suche")
    field = browser_nojs.find_element(By.ID, "suchbegriff")
    field.send_keys("Sozialbericht")
    browser_nojs.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait(browser_nojs, lambda d: query_of(d.current_url) == "Sozialbericht")
    assert browser_nojs.title == "Suche: Sozialbericht – Sozialberichte NRW"
    titles = [
        a.text for a in browser_nojs.find_elements(By.CSS_SELECTOR, ".search-results__title a")
    ]
    assert "Sozialberichterstattung NRW – Basis für eine vorausschauende Politik" in titles
    # The header's search is in "Menü" (a <details>, shown by CSS on wide screens, which
    # WebDriver's visibility check does not know): opened as a visitor would on a phone.
    browser_nojs.execute_script("document.getElementById('menue').open = true")
    header = browser_nojs.find_element(By.ID, "kopf-suche")
    header.send_keys("Kontakt", Keys.ENTER)
    wait(browser_nojs, lambda d: query_of(d.current_url) == "Kontakt")
    assert "Kontakt" in text_of(browser_nojs, ".search-results__count")
