"""The strict CSP in a real browser: the portal's pages load their styles and scripts under it,
and the violation check of the browser tests (conftest ``_no_csp_violations``) does see a
violation when there is one."""

from __future__ import annotations

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from .conftest import LiveServer, csp_violations, make_app

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture(scope="module")
def probe_server():
    """A portal with one extra page that breaks the CSP with an inline style and script."""
    app = make_app()

    @app.route("/test-csp-probe")
    def probe():
        return (
            "<!DOCTYPE html><html lang=de><title>Probe</title>"
            '<p id="p" style="color: red">x</p><script>document.title = "inline";</script>'
        )

    server = LiveServer(app).start()
    yield server
    server.stop()


def test_the_check_reports_a_page_that_breaks_the_csp(browser, probe_server):
    browser.get(probe_server.url + "/test-csp-probe")
    assert browser.title == "Probe", "the inline script must have been blocked"
    color = browser.execute_script("return getComputedStyle(document.getElementById('p')).color")
    assert color != "rgb(255, 0, 0)", "the inline style must have been blocked"
    found = csp_violations(browser)  # also empties the log for the fixture's check
    assert any("Content Security Policy" in message for message in found), found


def test_the_portal_loads_its_hashed_stylesheet_under_the_csp(browser, live_server):
    browser.get(live_server.url + "/")
    WebDriverWait(browser, 10).until(
        lambda d: d.execute_script("return document.readyState") == "complete"
    )
    sheets = browser.execute_script(
        "return Array.from(document.styleSheets).map(s => s.href || '')"
    )
    assert any("/static/dist/portal." in href and href.endswith(".css") for href in sheets)
    # portal.css applies (the browser default would be a serif font): KERN's Fira Sans.
    family = browser.execute_script("return getComputedStyle(document.body).fontFamily")
    assert "Fira Sans" in family
    # The autouse fixture then checks that Chromium logged no CSP violation on this page.
