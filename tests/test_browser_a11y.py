"""Accessibility in a real browser: axe-core 4.x on every crawled page, and the keyboard."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from .conftest import format_violations, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_axe_finds_no_violation_on_any_page(browser, live_server, pages):
    failures = {}
    version = None
    for path in pages:
        browser.get(live_server.url + path)
        results = run_axe(browser)
        version = results["testEngine"]["version"]
        if results["violations"]:
            failures[path] = format_violations(results["violations"])
    print(f"axe-core {version} on {len(pages)} pages")
    assert len(pages) >= 14
    assert not failures, "\n".join(f"{p}:\n{v}" for p, v in failures.items())


def test_first_tab_reaches_the_skip_link_and_it_moves_focus_into_main(browser, live_server):
    browser.get(live_server.url + "/gebaerdensprache")  # a page with links in main
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    active = browser.switch_to.active_element
    assert active.text == "Zum Inhalt"
    assert active.is_displayed(), "the skip link must become visible when focused"
    active.send_keys(Keys.ENTER)
    focused_id = browser.execute_script("return document.activeElement.id")
    assert focused_id == "inhalt"
    # The next Tab continues inside main, not at the top of the page.
    browser.switch_to.active_element.send_keys(Keys.TAB)
    inside = browser.execute_script(
        "return document.getElementById('inhalt').contains(document.activeElement)"
    )
    assert inside


def test_second_skip_link_moves_focus_to_the_navigation(browser, live_server):
    browser.get(live_server.url + "/")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    browser.switch_to.active_element.send_keys(Keys.TAB)
    active = browser.switch_to.active_element
    assert active.text == "Zur Navigation"
    active.send_keys(Keys.ENTER)
    assert browser.execute_script("return document.activeElement.id") == "hauptnavigation"


def test_no_horizontal_scrolling_at_320_css_pixels(browser, live_server, pages):
    browser.set_window_size(320, 800)
    try:
        wide = []
        for path in pages:
            browser.get(live_server.url + path)
            overflow = browser.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 0:
                wide.append((path, overflow))
        assert wide == []
    finally:
        browser.set_window_size(1280, 900)
