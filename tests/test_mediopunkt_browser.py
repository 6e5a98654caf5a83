"""The Mediopunkt is for the eye, not the ear (Chromium's accessibility tree through CDP)."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from .helpers import crawl, html_pages

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

MEDIOPUNKT = "·"


def spoken_names(driver) -> list[tuple[str, str]]:
    """(role, name) of every node assistive technology gets that has a name."""
    tree = driver.execute_cdp_cmd("Accessibility.getFullAXTree", {})
    found = []
    for node in tree["nodes"]:
        if node.get("ignored"):
            continue
        name = (node.get("name") or {}).get("value") or ""
        role = (node.get("role") or {}).get("value") or ""
        if name:
            found.append((role, name))
    return found


@pytest.fixture(scope="module")
def ls_pages(app):
    return html_pages(crawl(app.test_client(), "/leichte-sprache/"))


def test_the_accessibility_tree_has_no_mediopunkt(browser, live_server, ls_pages):
    browser.execute_cdp_cmd("Accessibility.enable", {})
    heard = {}
    seen_on = []
    for path in ls_pages:
        browser.get(live_server.url + path)
        visible = browser.find_element(By.TAG_NAME, "body").text
        if MEDIOPUNKT in visible:
            seen_on.append(path)
        names = spoken_names(browser)
        said = [f"{role}: {name}" for role, name in names if MEDIOPUNKT in name]
        if MEDIOPUNKT in browser.title:
            said.append(f"title: {browser.title}")
        if said:
            heard[path] = said[:5]
    # The eye keeps it: Leichte Sprache pages show the Mediopunkt.
    assert len(seen_on) >= 10, seen_on
    assert heard == {}
    # Accessible names join the parts: "Sozialberichte", not "Sozial berichte".
    browser.get(live_server.url + "/leichte-sprache/")
    names = [name for _role, name in spoken_names(browser)]
    assert any(name.startswith("Sozialberichte") for name in names), names[:20]
    assert not [name for name in names if "Sozial berichte" in name]


def test_a_line_may_break_after_the_mediopunkt(browser, live_server):
    browser.get(live_server.url + "/leichte-sprache/")
    lines = browser.execute_script(
        """
        const probe = document.createElement('p');
        probe.lang = 'de';
        probe.style.cssText = 'width: 1px; font-size: 16px; hyphens: manual; overflow-wrap: normal';
        const heading = Array.from(document.querySelectorAll('main h1, main h2, main p'))
          .find((el) => el.textContent.includes('\u00b7'));
        probe.innerHTML = heading.innerHTML;
        document.querySelector('main').appendChild(probe);
        const range = document.createRange();
        range.selectNodeContents(probe);
        const tops = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
        const word = heading.textContent.split(/\\s+/).find((w) => w.includes('\u00b7'));
        probe.textContent = word.replace(/\u00b7/g, '');
        range.selectNodeContents(probe);
        const joined = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
        probe.remove();
        return [tops.size, joined.size, word];
        """
    )
    broken, unbroken, word = lines
    # The same text breaks at each Mediopunkt: more lines than words without it.
    assert broken > unbroken, (broken, unbroken, word)
