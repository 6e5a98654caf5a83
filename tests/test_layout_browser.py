"""Phones at every text size (issue 12.4) and the KERN layout (issue 13) in Chromium.

At 375×800 and 320×640 CSS pixels (an exact viewport through the DevTools protocol: a
headless window cannot be narrower than about 500 px) with 100 % and 200 % text (the display
cookie, as the portal's Größer button sets it), on every crawled page: nothing scrolls
sideways, the h1 starts on the first screen, the header takes at most a third of it at 100 %,
and words break only where the language allows.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from webapp.display import COOKIE

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONES = [(375, 800), (320, 640)]

MEASURE_JS = """
const menu = document.getElementById('menue');
// Against the phone's width (arguments[0]), not innerWidth: a mobile viewport zooms out to
// show a page wider than the screen, and innerWidth grows with it.
const wide = () => document.documentElement.scrollWidth - arguments[0];
const h1 = document.querySelector('h1');
const header = document.querySelector('header.site-header');
const result = {
  overflow: wide(),
  h1: h1 ? h1.getBoundingClientRect().top : null,
  header: header.getBoundingClientRect().height,
  screen: arguments[1],  // the phone's height, not a zoomed-out innerHeight
  toggle: getComputedStyle(menu.querySelector('summary')).display,
  menuShown: document.querySelector('.service-bar').checkVisibility(),
};
menu.open = true;
result.openOverflow = wide();
menu.open = false;
return result;
"""

#: Words split over two lines, and the characters around the break (checked per character).
SPLIT_WORDS_JS = """
const out = [];
const scope = document.querySelectorAll('header, #hauptnavigation, .page, footer');
for (const root of scope) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    const offScreen = '.visually-hidden, .site-logo__org, .breadcrumb__label';
    if (!el.checkVisibility() || el.closest(offScreen)) continue;
    const text = node.textContent;
    const re = /\\S+/g;
    let m;
    while ((m = re.exec(text))) {
      if (m[0].length < 2) continue;
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const rects = [...range.getClientRects()].filter(r => r.width > 0);
      if (rects.length < 2 || Math.abs(rects[0].top - rects[rects.length - 1].top) < 2) continue;
      let breakAt = -1;
      let firstTop = null;
      for (let i = 0; i < m[0].length; i++) {
        const r = document.createRange();
        r.setStart(node, m.index + i);
        r.setEnd(node, m.index + i + 1);
        const rect = r.getClientRects()[0];
        if (!rect || rect.width === 0) continue;
        if (firstTop === null) firstTop = rect.top;
        else if (Math.abs(rect.top - firstTop) > 2) { breakAt = i; break; }
      }
      const style = getComputedStyle(el);
      out.push({
        word: m[0],
        before: breakAt > 0 ? m[0][breakAt - 1] : '',
        hyphens: style.hyphens || style.webkitHyphens,
        lang: el.closest('[lang]').lang,
        leichte: document.documentElement.classList.contains('leichte-sprache'),
      });
    }
  }
}
return out;
"""

#: A break needs no hyphen of the browser's after these (Mediopunkt, hyphen, soft hyphen,
#: zero-width space, slash, en dash; in an e-mail address or a web address also after "@" and
#: ".", as typesetting breaks them).
BREAK_AFTER = {"·", "-", "\u00ad", "\u200b", "/", "–", "@", "."}


def set_viewport(driver, width: int, height: int) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True},
    )


@pytest.fixture()
def phone_browser(browser, live_server):
    browser.get(live_server.url + "/robots.txt")
    yield browser
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    browser.delete_cookie(COOKIE)


def with_text_size(driver, percent: int) -> None:
    driver.delete_cookie(COOKIE)
    if percent != 100:
        driver.add_cookie({"name": COOKIE, "value": f"{percent}-normal", "path": "/"})


@pytest.mark.parametrize("width,height", PHONES)
@pytest.mark.parametrize("percent", [100, 200])
def test_phones_every_page_fits_and_starts_with_its_title(
    phone_browser, live_server, pages, language_pages, width, height, percent
):
    set_viewport(phone_browser, width, height)
    with_text_size(phone_browser, percent)
    problems = []
    # Every language at 200 % (the longest lines), German at 100 %.
    every = [path for paths in language_pages.values() for path in paths]
    for path in every if percent == 200 else pages:
        phone_browser.get(live_server.url + path)
        m = phone_browser.execute_script(MEASURE_JS, width, height)
        if m["overflow"] > 0 or m["openOverflow"] > 0:
            problems.append(f"{path}: scrolls sideways ({m['overflow']}/{m['openOverflow']} px)")
        if m["h1"] is None or m["h1"] >= m["screen"]:
            problems.append(f"{path}: h1 at {m['h1']} of {m['screen']} px")
        if percent == 100 and m["header"] > m["screen"] / 3:
            problems.append(f"{path}: header {m['header']} px of {m['screen']} px")
        if m["toggle"] == "none" or m["menuShown"]:
            problems.append(f"{path}: the header did not collapse into 'Menü'")
    assert len(pages) >= 14
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("percent", [100, 200])
def test_phones_words_break_only_where_the_language_allows(
    phone_browser, live_server, language_pages, percent
):
    # German and English hyphenate (hyphens: auto, the browser adds the hyphen); Leichte
    # Sprache never does: there a word breaks only after its Mediopunkt (or a hyphen).
    set_viewport(phone_browser, 320, 640)
    with_text_size(phone_browser, percent)
    bad = set()
    checked = 0
    for path in (path for paths in language_pages.values() for path in paths):
        phone_browser.get(live_server.url + path)
        for split in phone_browser.execute_script(SPLIT_WORDS_JS):
            checked += 1
            if split["before"] in BREAK_AFTER:
                continue
            hyphenated = split["hyphens"] == "auto" and split["lang"] in ("de", "en")
            if split["leichte"] or not hyphenated:
                bad.add(f"{path}: {split['word']} ({split['hyphens']}, lang={split['lang']})")
    assert sorted(bad) == [], "\n".join(sorted(bad))
    if percent == 200:
        assert checked > 0, "at 200 % on 320 px some words must break: the check ran"


def test_hyphenation_is_on_for_german_and_off_for_leichte_sprache(browser, live_server):
    for prefix, expected in (("", "auto"), ("/en", "auto"), ("/leichte-sprache", "none")):
        browser.get(live_server.url + prefix + "/hilfen")
        for selector in ("main p", "h1", ".main-nav a", ".site-logo__name"):
            element = browser.find_element(By.CSS_SELECTOR, selector)
            assert element.value_of_css_property("hyphens") == expected, (prefix, selector)


def test_the_menu_opens_without_javascript_on_a_phone(browser_nojs, live_server):
    set_viewport(browser_nojs, 320, 640)
    try:
        browser_nojs.get(live_server.url + "/kontakt")
        toggle = browser_nojs.find_element(By.CSS_SELECTOR, "#menue > summary")
        assert toggle.text == "Menü"
        assert toggle.get_attribute("aria-expanded") in (None, "false")
        grow = browser_nojs.find_element(By.ID, "anzeige-groesser")
        assert not grow.is_displayed()
        toggle.click()
        WebDriverWait(browser_nojs, 5).until(lambda d: grow.is_displayed())
        for selector in ("#kopf-suche", ".language-nav a", "#anzeige-kontrast"):
            assert browser_nojs.find_element(By.CSS_SELECTOR, selector).is_displayed()
        # Against the phone's width: a mobile viewport widens innerWidth to the page.
        overflow = browser_nojs.execute_script("return document.documentElement.scrollWidth - 320")
        assert overflow <= 0
    finally:
        browser_nojs.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


VISIBLE_AND_HIT_JS = """
const el = document.getElementById(arguments[0]);
const r = el.getBoundingClientRect();
const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
return [el.checkVisibility(), r.width > 0 && r.height > 0, el === hit || el.contains(hit)];
"""


def test_on_a_desktop_without_javascript_the_service_bar_is_shown(browser_nojs, live_server):
    # The closed <details> shows its content on wide screens (::details-content): visible,
    # on top (a click lands on it) and in the tab order.
    browser_nojs.get(live_server.url + "/hilfen")
    assert browser_nojs.execute_script("return document.getElementById('menue').open") is False
    for control in ("anzeige-groesser", "anzeige-kontrast", "kopf-suche"):
        assert browser_nojs.execute_script(VISIBLE_AND_HIT_JS, control) == [True, True, True]
    summary = browser_nojs.find_element(By.CSS_SELECTOR, "#menue > summary")
    assert summary.value_of_css_property("display") == "none"


def test_on_a_desktop_with_javascript_the_menu_is_open(browser, live_server):
    browser.get(live_server.url + "/hilfen")
    assert browser.execute_script("return document.getElementById('menue').open") is True
    assert browser.find_element(By.ID, "anzeige-groesser").is_displayed()


def test_sidebar_after_the_content_on_a_phone(phone_browser, live_server):
    set_viewport(phone_browser, 375, 800)
    phone_browser.get(live_server.url + "/")
    main_bottom, aside_top = phone_browser.execute_script(
        "return [document.querySelector('main').getBoundingClientRect().bottom,"
        " document.querySelector('aside.sidebar').getBoundingClientRect().top]"
    )
    assert aside_top >= main_bottom


def test_main_navigation_is_the_strongest_element_after_the_title(browser, live_server):
    browser.get(live_server.url + "/hilfen")
    nav = browser.find_element(By.CSS_SELECTOR, ".main-nav a")
    service = browser.find_element(By.CSS_SELECTOR, ".service-bar__list a")
    h1 = browser.find_element(By.TAG_NAME, "h1")
    size = lambda e: float(e.value_of_css_property("font-size").removesuffix("px"))  # noqa: E731
    assert size(h1) > size(nav) > size(service)
    assert int(nav.value_of_css_property("font-weight")) >= 600
    # A filled bar: the navigation's background differs from the page's.
    page_bg = browser.find_element(By.TAG_NAME, "body").value_of_css_property("background-color")
    nav_bg = browser.find_element(By.ID, "hauptnavigation").value_of_css_property(
        "background-color"
    )
    assert nav_bg != page_bg


def test_forced_colors_keep_the_current_navigation_item_apart(browser, live_server):
    browser.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "forced-colors", "value": "active"}]},
    )
    try:
        browser.get(live_server.url + "/aktuelles/")
        looks = browser.execute_script(
            "return [...document.querySelectorAll('.main-nav a')].map(a => {"
            " const s = getComputedStyle(a);"
            " return [a.hasAttribute('aria-current'), s.backgroundColor, s.borderBottomColor,"
            " s.color].join('|'); })"
        )
        current = {look for look in looks if look.startswith("true")}
        others = {look.split("|", 1)[1] for look in looks if look.startswith("false")}
        assert len(current) == 1
        assert current.pop().split("|", 1)[1] not in others
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def test_the_favicon_and_the_fonts_are_served(browser, live_server):
    browser.get(live_server.url + "/")
    icon = browser.find_element(By.CSS_SELECTOR, "link[rel=icon]").get_attribute("href")
    assert icon.endswith(".svg")
    loaded = browser.execute_script(
        "return document.fonts.ready.then(() => [...document.fonts]"
        ".filter(f => f.status === 'loaded').map(f => f.family + ' ' + f.weight))"
    )
    assert any("Fira Sans" in face for face in loaded), loaded
