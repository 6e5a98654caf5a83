"""What a visitor noticed on screen: the header on a phone and at large text, the breadcrumb's
line. Found by looking at screenshots; each test would have caught its defect."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LANGUAGES = ["", "/leichte-sprache", "/en"]

TOPS_JS = """
const top = (selector) => document.querySelector(selector).getBoundingClientRect().top;
return {nav: top('.main-nav'), main: top('main'), screen: window.innerHeight};
"""


@pytest.fixture()
def large_text(browser, live_server):
    """The session browser with 200 % text (the display cookie), reset afterwards."""
    browser.get(live_server.url + "/robots.txt")
    browser.add_cookie({"name": "anzeige", "value": "200-normal", "path": "/"})
    yield browser
    browser.delete_cookie("anzeige")


@pytest.fixture()
def phone(browser):
    browser.set_window_size(320, 640)
    yield browser
    browser.set_window_size(1280, 900)


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_on_a_phone_the_header_leaves_the_main_navigation_on_the_first_screen(
    phone, live_server, prefix
):
    # At 320 px the service bar, language switch and search once filled the whole first
    # screen; the main navigation and the content started below it.
    phone.get(live_server.url + prefix + "/kontakt")
    tops = phone.execute_script(TOPS_JS)
    assert tops["nav"] < tops["screen"], tops
    assert tops["main"] < 1.5 * tops["screen"], tops
    # Nothing is hidden to get there: every control of the header is still displayed.
    hidden = phone.execute_script(
        "return [...document.querySelectorAll('.site-header a, .site-header button,"
        " .site-header input:not([type=hidden])')]"
        ".filter(e => !e.closest('[hidden]') && !e.getClientRects().length)"
        ".map(e => e.outerHTML.slice(0, 80))"
    )
    assert hidden == []


def test_at_200_percent_text_the_content_starts_near_the_first_screen(large_text, live_server):
    large_text.get(live_server.url + "/kontakt")
    tops = large_text.execute_script(TOPS_JS)
    assert tops["main"] < 1.2 * tops["screen"], tops


def test_breadcrumb_label_and_trail_share_one_line(large_text, live_server):
    # "Sie sind hier:" sat a quarter line above "Startseite › Kontakt" (list-item margin).
    large_text.get(live_server.url + "/kontakt")
    label, first = large_text.execute_script(
        "return [document.querySelector('#breadcrumb-label'),"
        " document.querySelector('.breadcrumb__list li > *')]"
        ".map(e => { const r = document.createRange(); r.selectNodeContents(e);"
        " return r.getBoundingClientRect().bottom; })"
    )
    assert abs(label - first) < 1, (label, first)
