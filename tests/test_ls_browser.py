"""Leichte Sprache typography measured in Chromium (static/css/leichte-sprache.css): navigation,
breadcrumb and footer at least 14 pt (18.67 px at 100 %), headings with line height ≥ 1.5."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

#: 14 pt in CSS pixels (1 pt = 4/3 px), less a rounding margin.
MIN_PX = 14 * 4 / 3 - 0.01

#: Every visible element with text of its own inside the given regions: (where, text, px).
MEASURE = """
const regions = arguments[0];
const found = [];
for (const region of document.querySelectorAll(regions)) {
  for (const el of [region, ...region.querySelectorAll('*')]) {
    const own = [...el.childNodes].filter(n => n.nodeType === 3 && n.textContent.trim());
    if (!own.length) continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;  // visually hidden
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    found.push([region.className || region.tagName, own[0].textContent.trim().slice(0, 40),
                parseFloat(style.fontSize)]);
  }
}
return found;
"""
HEADINGS = """
return [...document.querySelectorAll('main :is(h1,h2,h3,h4,h5,h6)')].map(h => {
  const s = getComputedStyle(h);
  return [h.textContent.trim().slice(0, 40), parseFloat(s.lineHeight), parseFloat(s.fontSize)];
});
"""
REGIONS = ".service-bar, .main-nav, .breadcrumb, .site-footer, .language-nav, .sidebar"


@pytest.mark.parametrize("path", ["/leichte-sprache/", "/leichte-sprache/sozialplanung/"])
def test_navigation_breadcrumb_and_footer_are_at_least_14_pt(browser, live_server, path):
    browser.delete_all_cookies()
    browser.get(live_server.url + path)
    measured = browser.execute_script(MEASURE, REGIONS)
    regions = {where.split()[0] for where, _text, _px in measured}
    assert {"service-bar", "main-nav", "breadcrumb", "site-footer"} <= regions, regions
    small = [(where, text, px) for where, text, px in measured if px < MIN_PX]
    assert small == []


def test_german_navigation_keeps_its_own_smaller_size(browser, live_server):
    # The rule is for Leichte Sprache only: the German service bar stays compact.
    browser.delete_all_cookies()
    browser.get(live_server.url + "/")
    measured = browser.execute_script(MEASURE, ".service-bar")
    assert measured and min(px for _w, _t, px in measured) < MIN_PX


@pytest.mark.parametrize("path", ["/leichte-sprache/", "/leichte-sprache/hilfen"])
def test_headings_have_a_line_height_of_at_least_1_5(browser, live_server, path):
    browser.delete_all_cookies()
    browser.get(live_server.url + path)
    headings = browser.execute_script(HEADINGS)
    assert len(headings) >= 2
    tight = [(text, lh / px) for text, lh, px in headings if lh / px < 1.5 - 0.01]
    assert tight == []


LS_PAGES = [
    "/leichte-sprache/",
    "/leichte-sprache/hilfen",
    "/leichte-sprache/sozialplanung/",
    "/leichte-sprache/sozialberichte/bestellen",
    "/leichte-sprache/barrierefreiheit",
]


#: Parts of the enlarged regions that end right of the viewport (would scroll sideways).
BEYOND = """
const width = document.documentElement.clientWidth;
return [...document.querySelectorAll(arguments[0])].flatMap(region =>
  [region, ...region.querySelectorAll('*')]).filter(el => {
    const box = el.getBoundingClientRect();
    // Inside a visually hidden part (1 px, clipped: read, not shown) nothing can be seen.
    for (let up = el; up; up = up.parentElement) {
      if (up.getBoundingClientRect().width <= 1) return false;
    }
    return box.width > 1 && box.right > width + 0.5;
  }).map(el => [el.className || el.tagName, (el.textContent || '').trim().slice(0, 30)]);
"""


PHONES = [(320, "100-normal"), (320, "125-kontrast"), (375, "200-normal"), (320, "200-normal")]


@pytest.mark.parametrize(("width", "mode"), PHONES)
def test_larger_navigation_and_footer_still_fit_a_phone(browser, live_server, width, mode):
    # 19 px navigation, breadcrumb and footer must reflow on a 320 px phone, larger text too.
    browser.get(live_server.url + "/robots.txt")
    browser.delete_all_cookies()
    browser.add_cookie({"name": "anzeige", "value": mode, "path": "/"})
    browser.set_window_size(width, 800)
    try:
        wide = {}
        for path in LS_PAGES:
            browser.get(live_server.url + path)
            beyond = browser.execute_script(BEYOND, REGIONS)
            if beyond:
                wide[path] = beyond[:5]
        assert wide == {}
    finally:
        browser.set_window_size(1280, 900)
        browser.delete_all_cookies()
