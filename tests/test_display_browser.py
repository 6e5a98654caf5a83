"""Display controls in headless Chromium: axe-core in every display mode, reflow, text spacing,
the controls with and without JavaScript, print media and Vorlesen."""

from __future__ import annotations

import json

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.ui import WebDriverWait

from webapp.display import COOKIE, Preferences

from .conftest import AXE_JS, format_violations, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

#: The display modes every page is checked in: name → value of the display cookie.
MODES = {
    "standard": None,
    "200 %": "200-normal",
    "kontrast": "100-kontrast",
    "200 % + kontrast": "200-kontrast",
}

#: WCAG 1.4.12: the text spacing a visitor's own style sheet may set.
TEXT_SPACING_JS = """
for (const el of document.querySelectorAll('body, body *')) {
  el.style.setProperty('line-height', '1.5', 'important');
  el.style.setProperty('letter-spacing', '0.12em', 'important');
  el.style.setProperty('word-spacing', '0.16em', 'important');
  if (el.tagName === 'P') { el.style.setProperty('margin-bottom', '2em', 'important'); }
}
"""

#: Text cut off by an element with hidden overflow, or sibling boxes on top of each other.
CLIPPED_OR_OVERLAPPING_JS = """
const problems = [];
const shown = (el) => {
  const style = getComputedStyle(el);
  return el.getClientRects().length > 0 && style.visibility !== 'hidden'
    && !['absolute', 'fixed'].includes(style.position) && !el.closest('.visually-hidden');
};
const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
  + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '');
for (const el of document.querySelectorAll('body *')) {
  if (!shown(el) || !el.textContent.trim()) continue;
  const style = getComputedStyle(el);
  const hidesX = ['hidden', 'clip'].includes(style.overflowX);
  const hidesY = ['hidden', 'clip'].includes(style.overflowY);
  if ((hidesX && el.scrollWidth > el.clientWidth + 1)
      || (hidesY && el.scrollHeight > el.clientHeight + 1)) {
    problems.push('clipped: ' + name(el));
  } else if (el.clientHeight > 0 && el.scrollHeight > el.clientHeight + 1
      && style.display !== 'inline') {
    problems.push('text outside its box: ' + name(el));
  }
  const kids = Array.from(el.children).filter((kid) => shown(kid) && kid.textContent.trim());
  for (let i = 0; i < kids.length; i += 1) {
    const a = kids[i].getBoundingClientRect();
    for (let j = i + 1; j < kids.length; j += 1) {
      const b = kids[j].getBoundingClientRect();
      const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (x > 1 && y > 1) problems.push('overlap: ' + name(kids[i]) + ' / ' + name(kids[j]));
    }
  }
}
return problems;
"""

HORIZONTAL_OVERFLOW_JS = (
    "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
)


@pytest.fixture()
def display_mode(browser, live_server):
    """Sets the display cookie in the session browser; back to the default afterwards."""

    def set_mode(value: str | None):
        if not browser.current_url.startswith(live_server.url):
            browser.get(live_server.url + "/robots.txt")
        browser.delete_cookie(COOKIE)
        if value:
            browser.add_cookie({"name": COOKIE, "value": value, "path": "/"})

    yield set_mode
    browser.delete_cookie(COOKIE)


def html_classes(driver) -> list[str]:
    return driver.execute_script("return Array.from(document.documentElement.classList)")


@pytest.mark.parametrize("mode", MODES)
def test_axe_finds_no_violation_in_each_display_mode(
    browser, live_server, pages, display_mode, mode
):
    from axe_selenium_python import Axe

    display_mode(MODES[mode])
    expected = Preferences.from_cookie(MODES[mode]).html_classes
    failures = {}
    for path in pages:
        browser.get(live_server.url + path)
        classes = html_classes(browser)
        assert set(expected) <= set(classes), (path, classes)
        violations = run_axe(browser)["violations"]
        if "kontrast" in mode:  # the contrast theme: text at least 7:1 (WCAG 1.4.6)
            enhanced = Axe(browser, script_url=str(AXE_JS)).run(
                options=json.dumps(
                    {"runOnly": {"type": "rule", "values": ["color-contrast-enhanced"]}}
                )
            )
            violations += enhanced["violations"]
        if violations:
            failures[path] = format_violations(violations)
    assert len(pages) >= 14
    assert not failures, f"{mode}:\n" + "\n".join(f"{p}:\n{v}" for p, v in failures.items())


def test_no_horizontal_scrolling_at_200_percent_text(browser, live_server, pages, display_mode):
    display_mode("200-normal")
    wide = []
    for path in pages:
        browser.get(live_server.url + path)
        assert "text-200" in html_classes(browser)
        overflow = browser.execute_script(HORIZONTAL_OVERFLOW_JS)
        if overflow > 0:
            wide.append((path, overflow))
    assert wide == []


def test_no_horizontal_scrolling_at_320_pixels_with_contrast_and_larger_text(
    browser, live_server, pages, display_mode
):
    display_mode("125-kontrast")
    browser.set_window_size(320, 800)
    try:
        wide = []
        for path in pages:
            browser.get(live_server.url + path)
            overflow = browser.execute_script(HORIZONTAL_OVERFLOW_JS)
            if overflow > 0:
                wide.append((path, overflow))
        assert wide == []
    finally:
        browser.set_window_size(1280, 900)


def test_text_spacing_clips_and_overlaps_nothing(browser, live_server, pages):
    found = {}
    for path in pages:
        browser.get(live_server.url + path)
        before = browser.execute_script(
            "return getComputedStyle(document.querySelector('main p') || document.body).wordSpacing"
        )
        browser.execute_script(TEXT_SPACING_JS)
        after = browser.execute_script(
            "return getComputedStyle(document.querySelector('main p') || document.body).wordSpacing"
        )
        assert before != after, "the text spacing was not applied"
        problems = browser.execute_script(CLIPPED_OR_OVERLAPPING_JS)
        if problems:
            found[path] = problems
    assert found == {}


def open_menu(driver):
    driver.execute_script("document.getElementById('menue').open = true")


def test_the_controls_without_javascript(browser_nojs, live_server):
    driver = browser_nojs
    driver.delete_all_cookies()

    def press(control):
        old_page = driver.find_element(By.TAG_NAME, "html")
        # At large text the controls are behind "Menü": the fragment of the redirect opens it.
        button = WebDriverWait(driver, 5).until(
            lambda d: (
                d.find_element(By.ID, f"anzeige-{control}").is_displayed()
                and d.find_element(By.ID, f"anzeige-{control}")
            )
        )
        button.click()
        WebDriverWait(driver, 5).until(staleness_of(old_page))

    driver.get(live_server.url + "/hilfen")
    # Wide, without JavaScript, the closed "Menü" is shown by CSS (::details-content), which
    # WebDriver's visibility check does not know: test_layout_browser.py shows it is visible
    # and reachable. Here it is opened as a visitor at large text would.
    open_menu(driver)
    assert driver.find_elements(By.CSS_SELECTOR, ".speech") == []
    # Vorlesen needs JavaScript: without it, its buttons are not in the page at all.
    assert driver.find_elements(By.CSS_SELECTOR, "#anzeige-vorlesen, .speech button") == []
    assert len(driver.find_elements(By.CSS_SELECTOR, ".service-bar form")) == 1
    for expected in ("text-125", "text-150", "text-175", "text-200", "text-200"):
        press("groesser")
        # Back on the page, at the control: the "Menü" disclosure is open around it.
        assert driver.current_url == live_server.url + "/hilfen#anzeige-groesser"
        assert driver.find_element(By.ID, "anzeige-groesser").is_displayed()
        assert html_classes_nojs(driver) == [expected]
    limit = driver.find_element(By.ID, "anzeige-groesser")
    assert limit.get_attribute("aria-disabled") == "true"
    assert " ".join(limit.text.split()) == "Größer (größte Stufe erreicht)"
    press("kleiner")
    assert html_classes_nojs(driver) == ["text-175"]
    press("kontrast")
    assert html_classes_nojs(driver) == ["text-175", "kontrast"]
    assert driver.find_element(By.ID, "anzeige-kontrast").get_attribute("aria-pressed") == "true"
    # The choice holds after a reload and on other pages, in other languages too.
    driver.refresh()
    assert html_classes_nojs(driver) == ["text-175", "kontrast"]
    driver.get(live_server.url + "/en/kontakt")
    assert html_classes_nojs(driver) == ["text-175", "kontrast"]
    open_menu(driver)
    press("kontrast")
    assert driver.current_url == live_server.url + "/en/kontakt#anzeige-kontrast"
    assert html_classes_nojs(driver) == ["text-175"]
    press("standard")
    assert driver.current_url == live_server.url + "/en/kontakt#anzeige-standard"
    assert html_classes_nojs(driver) == []
    assert driver.get_cookie(COOKIE) is None
    # Drucken opens the print view: content and address, no navigation; a way back.
    driver.get(live_server.url + "/hilfen")
    open_menu(driver)
    press("drucken")
    assert driver.current_url == live_server.url + "/hilfen?druck=1"
    assert not driver.find_element(By.CSS_SELECTOR, ".service-bar").is_displayed()
    assert not driver.find_element(By.ID, "hauptnavigation").is_displayed()
    info = driver.find_element(By.CSS_SELECTOR, ".print-info")
    assert info.is_displayed()
    assert f"{live_server.url}/hilfen" in info.text
    assert driver.find_element(By.TAG_NAME, "main").is_displayed()
    old_page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.LINK_TEXT, "Zurück zur normalen Ansicht").click()
    WebDriverWait(driver, 5).until(staleness_of(old_page))
    assert driver.current_url == live_server.url + "/hilfen"
    open_menu(driver)
    assert driver.find_element(By.CSS_SELECTOR, ".service-bar").is_displayed()


def html_classes_nojs(driver) -> list[str]:
    value = driver.find_element(By.TAG_NAME, "html").get_attribute("class") or ""
    return value.split()


def wait_for_status(driver, text):
    WebDriverWait(driver, 5).until(
        lambda d: d.find_element(By.ID, "status").get_attribute("textContent") == text
    )


def test_the_controls_with_javascript_apply_in_place(browser, live_server, display_mode):
    display_mode(None)
    browser.get(live_server.url + "/hilfen")
    WebDriverWait(browser, 5).until(lambda d: d.execute_script("return !!window.htmx"))
    browser.execute_script("window.samePage = true")

    def press(control):
        button = browser.find_element(By.ID, f"anzeige-{control}")
        browser.execute_script("arguments[0].focus()", button)
        browser.switch_to.active_element.send_keys(Keys.ENTER)

    def focused():
        return browser.execute_script("return document.activeElement.id")

    press("groesser")
    wait_for_status(browser, "Schriftgröße 125 Prozent")
    assert html_classes(browser) == ["text-125"]
    assert focused() == "anzeige-groesser"
    assert browser.find_element(By.ID, "anzeige-kleiner").get_attribute("aria-disabled") is None

    press("kontrast")
    wait_for_status(browser, "Kontrast eingeschaltet")
    assert html_classes(browser) == ["text-125", "kontrast"]
    assert browser.find_element(By.ID, "anzeige-kontrast").get_attribute("aria-pressed") == "true"
    assert browser.find_element(By.ID, "anzeige-kontrast").text == "Kontrast"
    assert focused() == "anzeige-kontrast"
    background = browser.execute_script("return getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(0, 0, 0)"

    for percent in (150, 175, 200):
        press("groesser")
        wait_for_status(browser, f"Schriftgröße {percent} Prozent")
    press("groesser")
    wait_for_status(browser, "Schriftgröße 200 Prozent, größte Stufe erreicht")
    at_limit = browser.find_element(By.ID, "anzeige-groesser")
    assert at_limit.get_attribute("aria-disabled") == "true"
    assert "größte Stufe erreicht" in at_limit.text
    assert focused() == "anzeige-groesser"
    root_size = browser.execute_script(
        "return parseFloat(getComputedStyle(document.documentElement).fontSize)"
    )
    assert root_size == 32

    press("standard")
    wait_for_status(browser, "Standardansicht: Schriftgröße 100 Prozent, Kontrast ausgeschaltet")
    assert html_classes(browser) == []
    assert focused() == "anzeige-standard"
    assert browser.execute_script("return window.samePage") is True, "the page was reloaded"
    # The choice is stored: a new page load starts with it.
    press("kontrast")
    wait_for_status(browser, "Kontrast eingeschaltet")
    browser.refresh()
    assert html_classes(browser) == ["kontrast"]


def test_controls_are_large_enough_and_show_focus(browser, live_server, display_mode):
    display_mode(None)
    browser.get(live_server.url + "/")
    sizes = browser.execute_script(
        "return Array.from(document.querySelectorAll('.service-bar button'))"
        ".filter((b) => b.getClientRects().length)"
        ".map((b) => [b.id, b.getBoundingClientRect().width, b.getBoundingClientRect().height])"
    )
    assert len(sizes) >= 6
    assert [s for s in sizes if s[1] < 24 or s[2] < 24] == []
    button = browser.find_element(By.ID, "anzeige-kontrast")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)  # keyboard modality
    browser.execute_script("arguments[0].focus()", button)
    outline = browser.execute_script(
        "const s = getComputedStyle(document.activeElement);"
        "return [s.outlineStyle, parseFloat(s.outlineWidth)]"
    )
    assert outline[0] == "solid" and outline[1] >= 2


def test_drucken_prints_with_javascript(browser, live_server, display_mode):
    display_mode(None)
    browser.get(live_server.url + "/hilfen")
    browser.execute_script("window.print = () => { window.printed = true; }")
    browser.find_element(By.ID, "anzeige-drucken").click()
    WebDriverWait(browser, 5).until(lambda d: d.execute_script("return window.printed === true"))
    assert browser.current_url == live_server.url + "/hilfen"
    browser.execute_script("window.dispatchEvent(new Event('beforeprint'))")
    date = browser.find_element(By.CSS_SELECTOR, ".print-info__today").get_attribute("textContent")
    assert date.strip() and "20" in date
    info = browser.find_element(By.CSS_SELECTOR, ".print-info").get_attribute("textContent")
    assert "Hilfen zur Bedienung" in info and f"{live_server.url}/hilfen" in info


def test_print_view_without_javascript_has_no_axe_violation(browser, live_server, display_mode):
    display_mode("200-kontrast")
    browser.get(live_server.url + "/veranstaltungen/sozialkonferenz-ruhr-2019?druck=1")
    assert not browser.find_element(By.ID, "hauptnavigation").is_displayed()
    violations = run_axe(browser)["violations"]
    assert not violations, format_violations(violations)


def test_print_media_hides_navigation_and_shows_content(browser, live_server, display_mode):
    display_mode("200-kontrast")
    browser.get(live_server.url + "/barrierefreiheit")  # has an external link
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        shown = browser.execute_script(
            "const visible = (s) => Array.from(document.querySelectorAll(s))"
            "  .some((el) => el.getClientRects().length > 0);"
            "return Object.fromEntries(['.service-bar', '#hauptnavigation', '.breadcrumb',"
            "  '.sidebar', '.skip-links', 'main', 'main h1', '.print-info']"
            "  .map((s) => [s, visible(s)]));"
        )
        assert shown == {
            ".service-bar": False,
            "#hauptnavigation": False,
            ".breadcrumb": False,
            ".sidebar": False,
            ".skip-links": False,
            "main": True,
            "main h1": True,
            ".print-info": True,
        }
        # Black on white on paper, the address after an external link's text.
        color = browser.execute_script("return getComputedStyle(document.body).color")
        assert color == "rgb(0, 0, 0)"
        after = browser.execute_script(
            "const a = document.querySelector('main a.extern');"
            "return a ? [a.getAttribute('href'), getComputedStyle(a, '::after').content] : null"
        )
        assert after is not None and after[0] in after[1]
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


FAKE_SPEECH = """
window.spoken = [];
const fake = {
  speak(u) { window.spoken.push({text: u.text, lang: u.lang}); },
  cancel() { window.cancelled = (window.cancelled || 0) + 1; },
  pause() { window.paused = true; }, resume() { window.paused = false; },
  getVoices() { return []; },
};
Object.defineProperty(window, 'speechSynthesis', {value: fake, configurable: true});
"""

NO_SPEECH = """
delete window.speechSynthesis;
delete Window.prototype.speechSynthesis;
"""


@pytest.fixture()
def page_script(browser):
    """Runs a script before each page's own scripts, for the duration of one test."""
    added = []

    def add(source):
        result = browser.execute_cdp_cmd(
            "Page.addScriptToEvaluateOnNewDocument", {"source": source}
        )
        added.append(result["identifier"])

    yield add
    for identifier in added:
        browser.execute_cdp_cmd(
            "Page.removeScriptToEvaluateOnNewDocument", {"identifier": identifier}
        )


def test_vorlesen_reads_main_in_the_page_language(browser, live_server, display_mode, page_script):
    display_mode(None)
    page_script(FAKE_SPEECH)
    browser.get(live_server.url + "/hilfen")
    start = browser.find_element(By.ID, "anzeige-vorlesen")
    WebDriverWait(browser, 5).until(lambda d: start.is_displayed())
    pause = browser.find_element(By.ID, "anzeige-vorlesen-pause")
    stop = browser.find_element(By.ID, "anzeige-vorlesen-stopp")
    assert not pause.is_displayed() and not stop.is_displayed()
    start.click()
    wait_for_status(browser, "Vorlesen gestartet")
    spoken = browser.execute_script("return window.spoken")
    assert spoken[0] == {"text": "Hilfen zur Bedienung", "lang": "de"}
    assert any("Standardansicht" in part["text"] for part in spoken)
    main_text = browser.find_element(By.TAG_NAME, "main").text
    assert all(part["text"] in main_text for part in spoken)
    pause.click()
    wait_for_status(browser, "Vorlesen angehalten")
    assert pause.get_attribute("aria-pressed") == "true"
    assert browser.execute_script("return window.paused") is True
    pause.click()
    wait_for_status(browser, "Vorlesen fortgesetzt")
    assert browser.execute_script("return window.paused") is False
    stop.click()
    wait_for_status(browser, "Vorlesen beendet")
    assert not stop.is_displayed()
    assert browser.execute_script("return document.activeElement.id") == "anzeige-vorlesen"

    browser.get(live_server.url + "/en/hilfen")
    browser.find_element(By.ID, "anzeige-vorlesen").click()
    assert browser.execute_script("return window.spoken[0].lang") == "en"

    # The Mediopunkt is for the eye: Leichte Sprache is read as "Sozialbericht".
    browser.get(live_server.url + "/leichte-sprache/")
    assert "·" in browser.find_element(By.TAG_NAME, "main").text
    browser.find_element(By.ID, "anzeige-vorlesen").click()
    spoken = " ".join(part["text"] for part in browser.execute_script("return window.spoken"))
    assert "Sozialbericht" in spoken and "·" not in spoken


def test_vorlesen_is_hidden_without_speech_synthesis(
    browser, live_server, display_mode, page_script
):
    display_mode(None)
    page_script(NO_SPEECH)
    browser.get(live_server.url + "/hilfen")
    assert browser.execute_script("return 'speechSynthesis' in window") is False
    WebDriverWait(browser, 5).until(lambda d: d.execute_script("return !!window.htmx"))
    assert browser.find_elements(By.ID, "anzeige-vorlesen") == []
    assert browser.find_elements(By.CSS_SELECTOR, ".speech") == []
    assert browser.find_element(By.ID, "anzeige-drucken").is_displayed()


def test_system_settings_are_honoured(browser, live_server, display_mode):
    display_mode(None)
    browser.get(live_server.url + "/hilfen")

    def emulate(features):
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "", "features": features})

    try:
        emulate([{"name": "prefers-contrast", "value": "more"}])
        assert (
            browser.execute_script("return getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
        )
        emulate([{"name": "forced-colors", "value": "active"}])
        pressed, normal = browser.execute_script(
            "const b = document.getElementById('anzeige-kontrast');"
            "const n = getComputedStyle(b).backgroundColor;"
            "b.setAttribute('aria-pressed', 'true');"
            "return [getComputedStyle(b).backgroundColor, n];"
        )
        assert pressed != normal, "the pressed state must show in forced colours"
    finally:
        emulate([])
