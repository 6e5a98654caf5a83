"""The forms in headless Chromium: the error state with and without JavaScript (htmx), focus
on the error summary, axe-core without violations, the summary's links, and
Post/Redirect/Get to the confirmation."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from .conftest import LiveServer, format_violations, make_app, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def forms_server():
    """A server of its own: the form posts here must not count against the shared app."""
    server = LiveServer(make_app(RATELIMIT_ENABLED=False)).start()
    yield server
    server.stop()


def wait_for(driver, condition, timeout=10):
    return WebDriverWait(driver, timeout).until(lambda d: d.execute_script(condition))


def active_id(driver) -> str:
    return driver.execute_script("return document.activeElement && document.activeElement.id")


def open_with_htmx(driver, url):
    """Loads ``url``, waits for htmx and marks the document, to tell a swap from a load."""
    driver.get(url)
    wait_for(driver, "return window.htmx !== undefined")
    driver.execute_script("window.__samePage = true")


def still_same_page(driver) -> bool:
    return driver.execute_script("return window.__samePage === true")


def submit_form(driver):
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()


def assert_no_axe_violations(driver):
    violations = run_axe(driver)["violations"]
    assert violations == [], format_violations(violations)


def test_with_htmx_errors_appear_in_place_focused_announced_and_accessible(browser, forms_server):
    open_with_htmx(browser, forms_server.url + "/kontakt")
    browser.find_element(By.ID, "email").send_keys("erika@")
    submit_form(browser)
    wait_for(browser, "return document.title.startsWith('Fehler: ')")
    assert still_same_page(browser), "not swapped in place"
    assert browser.title == "Fehler: Kontakt – Sozialberichte NRW"
    wait_for(browser, "return document.activeElement.id === 'fehler'")
    status = "return document.getElementById('status').textContent.trim()"
    wait_for(browser, status + " !== ''")
    assert browser.execute_script(status) == "Das Formular enthält 4 Fehler."
    assert browser.find_element(By.ID, "email").get_attribute("value") == "erika@"
    assert_no_axe_violations(browser)
    # A link of the summary puts the focus into its field.
    browser.find_element(By.CSS_SELECTOR, ".error-summary a[href='#subject']").click()
    assert active_id(browser) == "subject"


def test_without_javascript_the_error_page_is_focused_on_its_summary(browser_nojs, forms_server):
    browser_nojs.get(forms_server.url + "/sozialberichte/bestellen")
    browser_nojs.find_element(By.ID, "postcode").send_keys("123")
    submit_form(browser_nojs)
    WebDriverWait(browser_nojs, 10).until(lambda d: d.title.startswith("Fehler: "))
    assert browser_nojs.title == "Fehler: Sozialbericht bestellen – Sozialberichte NRW"
    focused = browser_nojs.switch_to.active_element
    assert focused.get_attribute("id") == "fehler", "autofocus puts the focus on the summary"
    links = focused.find_elements(By.CSS_SELECTOR, "a")
    assert [a.get_attribute("hash") for a in links] == [
        "#name",
        "#street",
        "#postcode",
        "#city",
        "#consent",
    ]


def test_the_full_error_page_without_htmx_passes_axe(browser, forms_server):
    """The page a browser without JavaScript gets (a plain POST, no htmx), checked by axe
    (which needs JavaScript itself)."""
    browser.get(forms_server.url + "/barriere-melden")
    browser.find_element(By.ID, "page").send_keys("https://example.org/")
    # form.submit() fires no submit event: htmx stays out, the browser posts the page.
    browser.execute_script("document.querySelector('main form').submit()")
    WebDriverWait(browser, 10).until(lambda d: d.title.startswith("Fehler: "))
    wait_for(browser, "return document.activeElement.id === 'fehler'")
    assert browser.find_element(By.ID, "page").get_attribute("aria-invalid") == "true"
    assert_no_axe_violations(browser)


def test_without_javascript_a_sent_form_redirects_to_its_confirmation(browser_nojs, forms_server):
    browser_nojs.get(forms_server.url + "/barriere-melden?seite=/hilfen")
    assert browser_nojs.find_element(By.ID, "page").get_attribute("value") == "/hilfen"
    browser_nojs.find_element(By.ID, "description").send_keys("Der Fokus ist nicht sichtbar.")
    submit_form(browser_nojs)
    WebDriverWait(browser_nojs, 10).until(lambda d: d.current_url.endswith("/bestaetigung"))
    strong = ".confirmation__reference strong"
    reference = browser_nojs.find_element(By.CSS_SELECTOR, strong).text
    assert reference.startswith("SB-")
    browser_nojs.refresh()  # reloading the confirmation does not send the form again
    assert browser_nojs.find_element(By.CSS_SELECTOR, strong).text == reference


def test_with_htmx_a_sent_form_loads_its_confirmation(browser, forms_server):
    open_with_htmx(browser, forms_server.url + "/en/kontakt")
    browser.find_element(By.ID, "email").send_keys("erika@beispiel.de")
    browser.find_element(By.ID, "subject").send_keys("Question")
    browser.find_element(By.ID, "message").send_keys("When is the next report due?")
    browser.find_element(By.ID, "consent").click()
    submit_form(browser)
    WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/en/kontakt/bestaetigung"))
    assert browser.find_element(By.CSS_SELECTOR, ".confirmation__reference strong").text


def test_on_a_phone_the_confirmation_is_focused_and_on_screen(browser, forms_server):
    # Once the visitor saw only the header after sending: the confirmation was below the
    # first screen, the focus on <body>.
    browser.set_window_size(320, 640)
    try:
        open_with_htmx(browser, forms_server.url + "/leichte-sprache/kontakt")
        browser.find_element(By.ID, "email").send_keys("erika@beispiel.de")
        browser.find_element(By.ID, "subject").send_keys("Frage")
        browser.find_element(By.ID, "message").send_keys("Wann kommt der neue Bericht?")
        browser.find_element(By.ID, "consent").click()
        submit_form(browser)
        WebDriverWait(browser, 10).until(lambda d: d.current_url.endswith("/bestaetigung"))
        focused = wait_for(
            browser,
            "const e = document.activeElement;"
            " return e.matches('.confirmation h1') && e.getBoundingClientRect();",
        )
        height = browser.execute_script("return window.innerHeight")
        assert focused["top"] >= 0 and focused["bottom"] <= height, (focused, height)
    finally:
        browser.set_window_size(1280, 900)


def test_with_htmx_the_database_down_page_replaces_the_form_and_shows_the_text(browser, tmp_path):
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path}/missing/db.sqlite3")
    server = LiveServer(app).start()
    try:
        open_with_htmx(browser, server.url + "/barriere-melden?seite=/")
        browser.find_element(By.ID, "description").send_keys("Das Menü <nav> klemmt.")
        submit_form(browser)
        wait_for(browser, "return document.activeElement.tagName === 'H1'")
        assert still_same_page(browser)
        heading = browser.switch_to.active_element.text
        assert heading == "Ihre Angaben konnten nicht gespeichert werden"
        values = [dd.text for dd in browser.find_elements(By.CSS_SELECTOR, "main dd")]
        assert "Das Menü <nav> klemmt." in values
        assert browser.title.startswith("Fehler: ")
    finally:
        server.stop()


def test_a_form_reached_in_place_works_and_names_the_page_the_visitor_came_from(
    browser, forms_server
):
    open_with_htmx(browser, forms_server.url + "/barrierefreiheit")
    browser.find_element(By.CSS_SELECTOR, "main a[href='/barriere-melden']").click()
    wait_for(browser, "return document.title.startsWith('Barriere melden')")
    assert still_same_page(browser), "the link loads in place"
    page_field = browser.find_element(By.ID, "page")
    assert page_field.get_attribute("value") == "/barrierefreiheit"
    assert page_field.value_of_css_property("display") == "block", "forms.css applies"
    page_field.clear()
    submit_form(browser)
    wait_for(browser, "return document.activeElement.id === 'fehler'")
    assert still_same_page(browser)
    assert browser.title == "Fehler: Barriere melden – Sozialberichte NRW"
