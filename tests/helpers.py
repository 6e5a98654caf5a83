"""Helpers shared by the tests: HTML parsing and a crawler over the portal's own links."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup

#: Paths that are not HTML pages (followed for status only, not parsed).
NON_HTML_SUFFIXES = (".xml", ".ics", ".txt", ".pdf", ".css", ".js")


def visible(text: str) -> str:
    """Text as the eye reads it: the Mediopunkt joined again (webapp/mediopunkt.py wraps it
    in an aria-hidden span with a zero-width space, which ``get_text(" ")`` pads)."""
    return re.sub(r"\s*·[\s\u200b]*", "·", text).replace("\u200b", "")


def soup(html: bytes | str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def internal_links(page_path: str, html: bytes | str) -> Iterable[str]:
    """Every same-site link on a page, as an absolute path with query and fragment."""
    for anchor in soup(html).find_all("a", href=True):
        href = anchor["href"]
        if href.startswith(("mailto:", "tel:")):
            continue
        absolute = urljoin("http://portal.test" + page_path, href)
        parts = urlsplit(absolute)
        if parts.netloc != "portal.test":
            continue
        yield absolute.removeprefix("http://portal.test")


def crawl(client, start: str = "/", limit: int = 500) -> dict[str, object]:
    """Breadth-first over internal links from ``start`` in its language: {path: response},
    HTML pages only parsed for further links. Static files are not part of the crawl."""
    seen: dict[str, object] = {}
    queue = [start]
    while queue and len(seen) < limit:
        path = queue.pop(0)
        path, _fragment = urldefrag(path)
        if path in seen or path.startswith("/static/"):
            continue
        response = client.get(path)
        seen[path] = response
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        for link in internal_links(path, response.data):
            target, _ = urldefrag(link)
            if target not in seen and language_of(target) == language_of(start):
                queue.append(target)
    return seen


def language_of(path: str) -> str:
    """The language prefix of a site path ("" for German): a crawl stays in its language, the
    language switch links lead into the other crawls."""
    from webapp.i18n import BY_PREFIX

    for prefix in BY_PREFIX:
        if path == prefix or path.startswith(prefix + "/"):
            return prefix
    return ""


def html_pages(crawled: dict[str, object]) -> list[str]:
    return sorted(
        path
        for path, response in crawled.items()
        if response.status_code == 200 and response.mimetype == "text/html"
    )


def wait_for(driver, condition, timeout: float = 10):
    """Selenium's wait for ``condition``, polling every 50 ms. A page load (or an htmx swap)
    may replace an element between finding it and reading it: that read is tried again, as a
    missing element is, instead of failing the test (StaleElementReferenceException)."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(
        driver, timeout, poll_frequency=0.05, ignored_exceptions=(StaleElementReferenceException,)
    ).until(condition)
