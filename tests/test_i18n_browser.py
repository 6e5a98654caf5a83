"""axe-core on every page in Leichte Sprache and English, every page of all three languages
with 200 % text and high contrast, and the language switch used in a real browser."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from webapp.display import COOKIE

from .conftest import format_violations, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

#: Display modes combined with the languages (cookie values of webapp/display.py).
LARGEST_WITH_CONTRAST = "200-kontrast"


def axe_failures(browser, base_url, paths) -> dict[str, str]:
    failures = {}
    for path in paths:
        browser.get(base_url + path)
        violations = run_axe(browser)["violations"]
        if violations:
            failures[path] = format_violations(violations)
    return failures


@pytest.mark.parametrize("code", ["de@ls", "en"])
def test_axe_finds_no_violation_on_any_page_in_leichte_sprache_and_english(
    browser, live_server, language_pages, code
):
    # German in the default mode is covered by test_browser_a11y.py.
    paths = language_pages[code]
    assert len(paths) >= 14
    started = time.monotonic()
    failures = axe_failures(browser, live_server.url, paths)
    print(f"{code}: axe on {len(paths)} pages in {time.monotonic() - started:.1f} s")
    assert not failures, "\n".join(f"{p}:\n{v}" for p, v in failures.items())


@pytest.mark.parametrize("code", ["de", "de@ls", "en"])
def test_axe_finds_no_violation_at_200_percent_with_contrast(
    browser, live_server, language_pages, code
):
    browser.get(live_server.url + "/robots.txt")
    browser.add_cookie({"name": COOKIE, "value": LARGEST_WITH_CONTRAST, "path": "/"})
    try:
        paths = language_pages[code]
        browser.get(live_server.url + paths[0])
        classes = browser.find_element(By.TAG_NAME, "html").get_attribute("class")
        assert "kontrast" in classes.split(), "the display cookie was not applied"
        failures = axe_failures(browser, live_server.url, paths)
    finally:
        browser.delete_cookie(COOKIE)
    assert not failures, "\n".join(f"{p}:\n{v}" for p, v in failures.items())


def test_language_switch_keeps_the_page_in_the_browser(browser, live_server):
    browser.get(live_server.url + "/hilfen")
    browser.find_element(By.CSS_SELECTOR, "a.language-switch[lang='en']").click()
    WebDriverWait(browser, 10).until(EC.url_to_be(live_server.url + "/en/hilfen"))
    html = browser.find_element(By.TAG_NAME, "html")
    assert html.get_attribute("lang") == "en"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Help with using the portal"
    browser.find_element(By.LINK_TEXT, "Leichte Sprache").click()
    WebDriverWait(browser, 10).until(EC.url_to_be(live_server.url + "/leichte-sprache/hilfen"))
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "de"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Hilfe zur Bedienung"
    current = browser.find_element(By.CSS_SELECTOR, "a.language-switch[aria-current]")
    assert current.text == "Leichte Sprache"
