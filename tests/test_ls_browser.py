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
