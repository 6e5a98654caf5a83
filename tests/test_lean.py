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
