"""What Chromium says about the pages: no console error (a missing favicon was one), and the
logo link's accessible name."""

from __future__ import annotations

import re

import pytest
from selenium.webdriver.support.ui import WebDriverWait

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def console_errors(driver, page_url: str) -> list[str]:
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" and not entry["message"].startswith(page_url + " ")
    ]


def test_no_console_errors_on_any_page(browser, live_server, pages):
    found = {}
    paths = [*pages, "/leichte-sprache/", "/en/", "/gibt-es-nicht"]
    for path in paths:
        url = live_server.url + path
        browser.get(url)
        WebDriverWait(browser, 5).until(lambda d: d.execute_script("return !!window.htmx"))
        # The favicon is fetched after the load: give it a moment to fail or not.
        browser.execute_script("return fetch(document.querySelector('link[rel=icon]').href)")
        errors = console_errors(browser, url)
        if errors:
            found[path] = errors
    assert found == {}


def test_the_logo_link_is_named_site_comma_ministry(browser, live_server):
    browser.get(live_server.url + "/")
    browser.execute_cdp_cmd("Accessibility.enable", {})
    tree = browser.execute_cdp_cmd("Accessibility.getFullAXTree", {})
    names = [
        (node.get("name") or {}).get("value", "")
        for node in tree["nodes"]
        if (node.get("role") or {}).get("value") == "link" and not node.get("ignored")
    ]
    logo = [name for name in names if name.startswith("Sozialberichte NRW")]
    # A comma between the two lines (Chromium puts a space before it: the ear hears a pause).
    assert logo and re.match(r"Sozialberichte NRW ?, Ministerium für Arbeit", logo[0]), logo
