"""Fixtures: the app with a test configuration, the crawl of all pages, a live server on
127.0.0.1 and one headless Debian Chromium per test session (per xdist worker)."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import socket
import tempfile
import threading
import uuid
from pathlib import Path

import flask_migrate
import pytest
from werkzeug.serving import make_server

from webapp import create_app

from .helpers import crawl, html_pages

# Fixture modules of the topics (forms, editors, …) register here.
pytest_plugins: list[str] = [
    "tests.fixtures_db",
    "tests.fixtures_navigation",
    "tests.fixtures_editor",
    "tests.fixtures_deploy",
    "tests.fixtures_redis",
]

ROOT = Path(__file__).resolve().parent.parent
AXE_JS = ROOT / "static" / "vendor" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


#: Each test app gets its own SQLite file in here (removed at exit), migrated to the newest
#: revision; never the instance folder. A caller that passes DATABASE_URL migrates itself.
TEST_DB_DIR = tempfile.mkdtemp(prefix="sozialberichte-test-db-")
atexit.register(shutil.rmtree, TEST_DB_DIR, True)
#: The search index files of the test apps (webapp/search.py) live there too.
os.environ.setdefault("SOZIALBERICHTE_SEARCH_INDEX_DIR", os.path.join(TEST_DB_DIR, "search"))
#: And their compiled templates (webapp/templating.py).
os.environ.setdefault("SOZIALBERICHTE_TEMPLATE_CACHE_DIR", os.path.join(TEST_DB_DIR, "templates"))


def make_app(**overrides):
    # gc.freeze() would keep every test app's start-up objects for the whole run.
    config = {"TESTING": True, "SECRET_KEY": "test-secret", "GC_FREEZE": False}
    own_database = not {"DATABASE_URL", "SQLALCHEMY_DATABASE_URI"} & overrides.keys()
    if own_database:
        config["DATABASE_URL"] = f"sqlite:///{TEST_DB_DIR}/{uuid.uuid4().hex}.sqlite3"
    config.update(overrides)
    app = create_app(config)
    if own_database:
        with app.app_context():
            flask_migrate.upgrade()
    return app


@pytest.fixture(scope="session")
def app():
    return make_app()


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def crawled(app):
    """Every page reachable from the start page by following internal links."""
    return crawl(app.test_client())


@pytest.fixture(scope="session")
def pages(crawled):
    return html_pages(crawled)


@pytest.fixture(scope="session")
def language_pages(app):
    """Every page of each language, reachable from that language's start page."""
    from webapp.i18n import LANGUAGES

    client = app.test_client()
    return {lang.code: html_pages(crawl(client, start=lang.prefix + "/")) for lang in LANGUAGES}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.port = _free_port()
        self.server = make_server("127.0.0.1", self.port, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_server(app):
    server = LiveServer(app).start()
    yield server
    server.stop()


def new_chromium(javascript: bool = True, width: int = 1280, height: int = 900):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        pytest.fail("Debian's chromium and chromium-driver are needed: run `make test`")
    profile = tempfile.mkdtemp(prefix="sozialberichte-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        f"--user-data-dir={profile}",
        f"--window-size={width},{height}",
    ):
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver._profile_dir = profile
    return driver


def quit_chromium(driver):
    profile = getattr(driver, "_profile_dir", None)
    driver.quit()
    if profile:
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    driver = new_chromium()
    yield driver
    quit_chromium(driver)


@pytest.fixture(scope="session")
def browser_nojs():
    driver = new_chromium(javascript=False)
    yield driver
    quit_chromium(driver)


CSP_MARKERS = ("Content Security Policy", "Content-Security-Policy", "Refused to")


def csp_violations(driver) -> list[str]:
    """CSP violations Chromium logged since the last call (reading the log empties it)."""
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if any(marker in entry["message"] for marker in CSP_MARKERS)
    ]


@pytest.fixture(autouse=True)
def _no_csp_violations(request):
    """Browser tests run with the strict CSP on and fail on any violation Chromium reports."""
    drivers = [
        request.getfixturevalue(name)
        for name in ("browser", "browser_nojs")
        if name in request.fixturenames
    ]
    for driver in drivers:
        csp_violations(driver)  # forget what earlier tests left in the log
    yield
    for driver in drivers:
        found = csp_violations(driver)
        assert not found, "Content-Security-Policy violations:\n" + "\n".join(found)


def run_axe(driver) -> dict:
    """axe-core 4.x from npm (through axe-selenium-python) on the loaded page."""
    from axe_selenium_python import Axe

    if not AXE_JS.exists():
        pytest.fail("static/vendor/axe.min.js is missing: run `make assets`")
    axe = Axe(driver, script_url=str(AXE_JS))
    axe.inject()
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    results = axe.run(options=json.dumps(options))
    version = results["testEngine"]["version"]
    assert version.startswith("4."), f"expected axe-core 4.x, ran {version}"
    return results


def format_violations(violations) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '')[:300]}")
    return "\n".join(lines)
