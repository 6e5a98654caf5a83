"""In-place navigation in a real browser: focus, title, announcement, current marking,
fragments only, Back/Forward, "Weitere Meldungen laden", the failure path, and axe-core on
pages reached in place."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from .conftest import LiveServer, format_violations, run_axe
from .fixtures_navigation import make_news_app
from .helpers import wait_for as wait

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

FAILED = "Die Seite konnte nicht geladen werden. Sie wird jetzt vollständig neu geladen."


def status_text(driver) -> str:
    return driver.execute_script("return document.getElementById('status').textContent")


def wait_status(driver, text):
    wait(driver, lambda d: status_text(d) == text)


def open_page(driver, url):
    """A full page load, marked so that a later full reload would be noticed."""
    driver.get(url)
    wait(driver, lambda d: d.execute_script("return !!(window.htmx && document.body)"))
    driver.execute_script("window.__noReload = true")


def not_reloaded(driver) -> bool:
    return driver.execute_script("return window.__noReload === true")


def focused(driver):
    return driver.execute_script(
        "var e = document.activeElement; return [e.tagName, e.textContent.trim()]"
    )


def current_items(driver) -> list[list[str]]:
    return driver.execute_script(
        "return [...document.querySelectorAll("
        "'#hauptnavigation-liste [aria-current], #breadcrumb [aria-current]')]"
        ".map(e => [e.textContent.trim(), e.getAttribute('aria-current')])"
    )


def follow(driver, selector):
    """Follow a link the way a keyboard user does."""
    link = driver.find_element(By.CSS_SELECTOR, selector)
    driver.execute_script("arguments[0].focus()", link)
    link.send_keys(Keys.ENTER)


def assert_page_in_place(driver, title, heading):
    wait_status(driver, f"Seite geladen: {heading}")
    assert driver.title == f"{title} – Sozialberichte NRW"
    assert focused(driver) == ["H1", heading]
    assert driver.execute_script("return window.scrollY") == 0
    assert not_reloaded(driver)


def test_in_place_navigation_back_and_forward(browser, live_server):
    start_heading = "Sozialberichterstattung NRW – Basis für eine vorausschauende Politik"
    open_page(browser, live_server.url + "/gebaerdensprache")
    browser.execute_script("window.scrollTo(0, 400)")
    follow(browser, "#hauptnavigation-liste a[href='/aktuelles/']")
    assert_page_in_place(browser, "Aktuelles", "Aktuelles")
    assert browser.current_url == live_server.url + "/aktuelles/"
    assert current_items(browser) == [["Aktuelles", "page"], ["Aktuelles", "page"]]
    # Only the fragments were fetched: far smaller than the full page.
    full_size = len(live_server.app.test_client().get("/aktuelles/").data)
    fetched = browser.execute_script(
        "return performance.getEntriesByType('resource')"
        ".filter(e => e.name.endsWith('/aktuelles/')).map(e => e.decodedBodySize)"
    )
    assert len(fetched) == 1 and 0 < fetched[0] < 0.7 * full_size, (fetched, full_size)
    assert browser.execute_script("return performance.getEntriesByType('navigation').length") == 1

    # Content link, then breadcrumb link: same behaviour.
    follow(browser, "main a[href='/aktuelles/save-the-date-sozialplanung']")
    heading = "Save the Date: Sozialplanung initiieren, weiterentwickeln und stärken"
    assert_page_in_place(browser, heading, heading)
    assert current_items(browser) == [["Aktuelles", "true"], [heading, "page"]]
    results = run_axe(browser)
    assert not results["violations"], format_violations(results["violations"])

    follow(browser, "#breadcrumb a[href='/']")
    assert_page_in_place(browser, start_heading, start_heading)

    browser.back()
    assert_page_in_place(browser, heading, heading)
    assert browser.current_url.endswith("/aktuelles/save-the-date-sozialplanung")
    browser.back()
    assert_page_in_place(browser, "Aktuelles", "Aktuelles")
    assert current_items(browser) == [["Aktuelles", "page"], ["Aktuelles", "page"]]
    browser.forward()
    assert_page_in_place(browser, heading, heading)

    # The sidebar and the footer navigate in place too.
    follow(browser, "aside a[href='/gebaerdensprache']")
    title = "Informationen in Deutscher Gebärdensprache"
    assert_page_in_place(browser, title, title)
    follow(browser, "footer a[href='/impressum']")
    assert_page_in_place(browser, "Impressum", "Impressum")
    assert browser.execute_script(
        "return [...document.querySelectorAll('footer [aria-current]')].map(e => e.textContent)"
    ) == ["Impressum"]
    # A reload of an address reached in place is the whole page.
    browser.refresh()
    wait(browser, lambda d: not not_reloaded(d))
    assert browser.title == "Impressum – Sozialberichte NRW"
    assert browser.find_element(By.CSS_SELECTOR, "header nav.service-bar").is_displayed()


def test_not_found_page_in_place(browser, news_server):
    open_page(browser, news_server.url + "/")
    follow(browser, "main a[href='/fehlt']")
    assert_page_in_place(browser, "Seite nicht gefunden", "Seite nicht gefunden")
    assert browser.current_url == news_server.url + "/fehlt"
    results = run_axe(browser)
    assert not results["violations"], format_violations(results["violations"])


def test_downloads_feeds_and_language_links_load_normally(browser, live_server):
    open_page(browser, live_server.url + "/veranstaltungen/sozialkonferenz-ruhr-2019")
    ics = browser.find_element(By.CSS_SELECTOR, "main a[href$='.ics']")
    assert ics.get_attribute("data-hx-boost") == "false"  # a download, never fetched by htmx
    open_page(browser, live_server.url + "/aktuelles/")
    follow(browser, "main a[href='/aktuelles/feed.xml']")
    wait(browser, lambda d: d.current_url.endswith("/aktuelles/feed.xml"))
    open_page(browser, live_server.url + "/aktuelles/")
    follow(browser, "a.language-switch[hreflang='en']")
    wait(browser, lambda d: d.current_url.endswith("/en/aktuelles/"))
    wait(browser, lambda d: d.execute_script("return document.readyState") == "complete")
    assert not not_reloaded(browser)


def test_server_error_is_announced_then_loaded_normally(browser, news_server):
    open_page(browser, news_server.url + "/")
    follow(browser, "main a[href='/test-500']")
    wait_status(browser, FAILED)
    assert not_reloaded(browser)
    wait(browser, lambda d: not not_reloaded(d) and d.current_url.endswith("/test-500"))
    wait(browser, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Technischer Fehler")


def test_stopped_server_is_announced_then_loaded_normally(browser, tmp_path):
    server = LiveServer(make_news_app(tmp_path / "content")).start()
    try:
        open_page(browser, server.url + "/")
    finally:
        server.stop()
        server.server.server_close()
    follow(browser, "main a[href='/aktuelles/']")
    wait_status(browser, FAILED)
    wait(browser, lambda d: not not_reloaded(d))


def test_main_is_marked_busy_while_a_page_loads(browser, news_server):
    open_page(browser, news_server.url + "/")
    follow(browser, "main a[href='/test-langsam']")
    busy = "return document.getElementById('inhalt').getAttribute('aria-busy')"
    wait(browser, lambda d: d.execute_script(busy) == "true")
    assert_page_in_place(browser, "Langsam", "Langsam")
    assert browser.execute_script(busy) is None


def test_timeout_is_announced_then_loaded_normally(browser, news_server):
    open_page(browser, news_server.url + "/")
    browser.execute_script("htmx.config.timeout = 200")  # /test-langsam takes a second
    follow(browser, "main a[href='/test-langsam']")
    wait_status(browser, FAILED)
    wait(browser, lambda d: not not_reloaded(d) and d.current_url.endswith("/test-langsam"))
    wait(browser, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Langsam")


def test_view_without_fragments_is_loaded_normally(browser, news_server):
    open_page(browser, news_server.url + "/")
    follow(browser, "main a[href='/test-ohne-fragmente']")
    wait(browser, lambda d: d.find_element(By.TAG_NAME, "h1").text == "Ohne Fragmente")
    assert not not_reloaded(browser)
    assert browser.find_elements(By.ID, "hauptnavigation") != []


def teaser_titles(driver) -> list[str]:
    return [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#liste .teaser__title a")]


def test_load_more_appends_moves_focus_and_announces(browser, news_server):
    open_page(browser, news_server.url + "/aktuelles/")
    assert len(teaser_titles(browser)) == 10
    follow(browser, "#weitere a")
    wait(browser, lambda d: len(teaser_titles(d)) == 20)
    wait_status(browser, "10 weitere Meldungen geladen")
    assert focused(browser) == ["A", "Meldung 11"]
    assert browser.current_url == news_server.url + "/aktuelles/"
    follow(browser, "#weitere a")
    wait(browser, lambda d: len(teaser_titles(d)) == 23)
    wait_status(browser, "3 weitere Meldungen geladen")
    assert focused(browser) == ["A", "Meldung 21"]
    assert browser.find_elements(By.CSS_SELECTOR, "#weitere a") == []
    assert teaser_titles(browser) == [f"Meldung {n}" for n in range(1, 24)]
    assert not_reloaded(browser)
    results = run_axe(browser)
    assert not results["violations"], format_violations(results["violations"])


def test_year_filter_in_place(browser, news_server):
    open_page(browser, news_server.url + "/aktuelles/")
    Select(browser.find_element(By.ID, "jahr")).select_by_value("2023")
    browser.find_element(By.CSS_SELECTOR, "form.list-filter button").click()
    assert_page_in_place(browser, "Aktuelles 2023", "Aktuelles 2023")
    assert browser.current_url == news_server.url + "/aktuelles/?jahr=2023"
    assert len(teaser_titles(browser)) == 5


def vorlesen_shown(driver) -> bool:
    return driver.find_element(By.ID, "anzeige-vorlesen").is_displayed()


def test_back_and_forward_keep_vorlesen_working(browser, live_server):
    """The page that Back/Forward brings is a whole new body (htmx, history from the server):
    "Vorlesen" is shown and works there as after a normal load, and the h1 has the focus."""
    open_page(browser, live_server.url + "/")
    assert browser.execute_script("return 'speechSynthesis' in window")
    assert vorlesen_shown(browser)
    follow(browser, "#hauptnavigation-liste a[href='/aktuelles/']")
    assert_page_in_place(browser, "Aktuelles", "Aktuelles")
    assert vorlesen_shown(browser)
    browser.back()
    start_heading = "Sozialberichterstattung NRW – Basis für eine vorausschauende Politik"
    assert_page_in_place(browser, start_heading, start_heading)
    assert vorlesen_shown(browser)
    browser.forward()
    assert_page_in_place(browser, "Aktuelles", "Aktuelles")
    assert vorlesen_shown(browser)
    browser.find_element(By.ID, "anzeige-vorlesen").click()
    wait_status(browser, "Vorlesen gestartet")
    stop = browser.find_element(By.ID, "anzeige-vorlesen-stopp")
    assert stop.is_displayed()
    stop.click()
    wait_status(browser, "Vorlesen beendet")
    assert browser.execute_script("return document.activeElement.id") == "anzeige-vorlesen"


START_HEADING = "Sozialberichterstattung NRW – Basis für eine vorausschauende Politik"
LINK_LISTS = ("hauptnavigation-liste", "servicenavigation-liste", "fusszeile-liste")


def lists_as_loaded_directly(driver) -> list[bool]:
    """Whether each link list the browser shows equals the one a full load of the address
    gives (the marks of links swapped one by one, never a stale or a doubled one)."""
    return driver.execute_async_script(
        "var done = arguments[arguments.length - 1], ids = arguments[0];"
        "fetch(location.href, {credentials: 'same-origin'}).then(r => r.text()).then(html => {"
        "  var fresh = new DOMParser().parseFromString(html, 'text/html');"
        "  done(ids.map(id => fresh.getElementById(id).outerHTML"
        "    === document.getElementById(id).outerHTML));"
        "});",
        list(LINK_LISTS),
    )


def test_links_swapped_one_by_one_leave_the_lists_as_a_full_load_has_them(browser, live_server):
    """Issue 15.6: an in-place navigation sends only the links whose current-page mark
    changes; after clicks in the main navigation, the service bar, the footer and a page's
    content, every list is exactly what a full load of the address shows."""
    open_page(browser, live_server.url + "/")
    steps = [
        ("#hauptnavigation-liste a[href='/aktuelles/']", "Aktuelles"),
        ("#servicenavigation-liste a[href='/hilfen']", "Hilfen zur Bedienung"),
        ("#fusszeile-liste a[href='/impressum']", "Impressum"),
        ("#fusszeile-liste a[href='/datenschutz']", "Datenschutz"),
        ("#hauptnavigation-liste a[href='/veranstaltungen/']", "Veranstaltungen"),
        ("#servicenavigation-liste a[href='/']", START_HEADING),
    ]
    for selector, heading in steps:
        follow(browser, selector)
        wait_status(browser, f"Seite geladen: {heading}")
        assert not_reloaded(browser), selector
        assert lists_as_loaded_directly(browser) == [True, True, True], selector
