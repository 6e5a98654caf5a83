"""The lean request path (issue 15.2, README "Where the time goes"): work that need not run
per request does not — checked by what runs, not by timing."""

from __future__ import annotations

import inspect

from flask.sessions import SecureCookieSessionInterface

from webapp.caching import EXTENSION_KEY

from .conftest import make_app


def test_a_visitor_without_session_cookie_costs_no_session_serializer(monkeypatch):
    app = make_app()
    client = app.test_client(use_cookies=False)
    built = []
    original = SecureCookieSessionInterface.get_signing_serializer

    def counting(self, flask_app):
        built.append(1)
        return original(self, flask_app)

    monkeypatch.setattr(SecureCookieSessionInterface, "get_signing_serializer", counting)
    for path in ("/healthz", "/", "/", "/hilfen"):
        assert client.get(path).status_code == 200
    assert built == [], "a serializer was built for a request without a session cookie"
    # With the cookie Flask's own code reads it (editors' sessions, form tokens).
    page = app.test_client().get("/kontakt")
    assert page.status_code == 200 and built, "a form page signs its session"


def test_flask_asks_once_per_function_whether_it_is_a_coroutine(monkeypatch):
    app = make_app()
    client = app.test_client(use_cookies=False)
    client.get("/hilfen")
    client.get("/healthz")
    asked = []
    original = inspect.iscoroutinefunction

    def counting(func):
        asked.append(func)
        return original(func)

    monkeypatch.setattr("flask.app.iscoroutinefunction", counting)
    for _ in range(3):
        client.get("/hilfen")
        client.get("/healthz")
    assert asked == []


def test_a_page_from_the_cache_skips_the_hooks_that_built_it():
    app = make_app()
    ran = []

    @app.after_request
    def _count(response):
        ran.append(response.status_code)
        return response

    client = app.test_client(use_cookies=False)
    first = client.get("/hilfen", headers={"Accept-Encoding": "br"})
    again = client.get("/hilfen", headers={"Accept-Encoding": "br"})
    assert app.extensions[EXTENSION_KEY].hits == 1
    assert ran == [200], "the stored page's headers were built once"
    assert again.data == first.data
    assert dict(again.headers) == dict(first.headers)


def test_healthz_and_static_files_build_no_page_cache_key():
    app = make_app()
    client = app.test_client(use_cookies=False)
    assert client.get("/healthz").status_code == 200
    assert len(app.extensions[EXTENSION_KEY]) == 0
    with app.test_request_context("/healthz"):
        app.preprocess_request()
        from flask import g

        assert "page_cache_key" not in g


def test_a_page_cache_hit_is_answered_before_flasks_request_context():
    """Issue 15.2: a stored page and /healthz cost no request context, no hook, no routing."""
    app = make_app(CATALOG_CHECK_SECONDS=3600, CONTENT_CHECK_SECONDS=3600)
    ran = []
    app.before_request(lambda: ran.append(1))
    client = app.test_client(use_cookies=False)
    cache = app.extensions[EXTENSION_KEY]
    for path in ("/healthz", "/hilfen", "/en/hilfen"):
        client.get(path)  # stores the page, makes the process ready
    ran.clear()
    for path in ("/healthz", "/hilfen", "/en/hilfen", "/en/healthz"):
        assert client.get(path).status_code == 200
    assert ran == [], "Flask's request path ran for a stored page or /healthz"
    assert cache.shortcuts == 2


def test_requests_that_must_not_share_a_page_take_flasks_path():
    app = make_app(CATALOG_CHECK_SECONDS=3600, CONTENT_CHECK_SECONDS=3600)
    client = app.test_client(use_cookies=False)
    cache = app.extensions[EXTENSION_KEY]
    client.get("/hilfen")
    client.get("/hilfen?druck=1")
    for method, path, headers in (
        ("HEAD", "/hilfen", {}),
        ("POST", "/hilfen", {}),
        ("GET", "/hilfen", {"Cookie": "session=abc"}),
        ("GET", "/hilfen", {"Cookie": "anzeige=150-normal; session=abc"}),
        ("GET", "/hilfen", {"Authorization": "Basic eDp5"}),
        ("GET", "/hilfen?druck=1", {}),  # its date needs Flask's context
        ("GET", "/redaktion/", {}),
        ("GET", "//redaktion/", {}),
    ):
        client.open(path, method=method, headers=headers)
        assert cache.shortcuts == 0, (method, path, headers)
    assert client.get("/hilfen").status_code == 200 and cache.shortcuts == 1


def test_while_a_periodic_check_is_due_the_request_runs_it():
    """The catalogs' and the published documents' checks run in before_request hooks at most
    once per interval: the shortcut leaves every request to them whose check is due, so an
    editor's change shows as soon as without it."""
    from webapp.caching import PERIODIC_CHECKS

    app = make_app(CATALOG_CHECK_SECONDS=3600, CONTENT_CHECK_SECONDS=3600)
    client = app.test_client(use_cookies=False)
    cache = app.extensions[EXTENSION_KEY]
    client.get("/hilfen")
    client.get("/hilfen")
    assert cache.shortcuts == 1
    for name in PERIODIC_CHECKS:
        state = app.extensions[name]
        state.checked_at = float("-inf")  # due
        client.get("/hilfen")
        assert cache.shortcuts == 1, name
        assert state.checked_at > 0, f"{name} did not run"
        client.get("/hilfen")
        assert cache.shortcuts == 2
        cache.shortcuts = 1
    # A scheduled publication whose time has come (webapp/publishing/store.py).
    import datetime as dt

    state = app.extensions["sozialberichte.content_check"]
    state.next_due = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    client.get("/hilfen")
    assert cache.shortcuts == 1
    assert state.next_due is None or state.next_due.year > 2000, "the publication check ran"


def test_a_failing_shortcut_leaves_the_request_to_flask(monkeypatch, caplog):
    from webapp import caching

    app = make_app(CATALOG_CHECK_SECONDS=3600, CONTENT_CHECK_SECONDS=3600)
    client = app.test_client(use_cookies=False)
    first = client.get("/hilfen")

    def broken(_app):
        raise RuntimeError("broken")

    monkeypatch.setattr(caching, "checks_due", broken)
    again = client.get("/hilfen")
    assert again.status_code == 200 and again.data == first.data
    assert "shortcut failed" in caplog.text
