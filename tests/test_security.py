"""Security headers on every response, HTTPS behind a reverse proxy, error pages without
details, and no production start with the development secret key."""

from __future__ import annotations

import pytest
from flask import make_response, session

from webapp import create_app
from webapp.security import CONTENT_SECURITY_POLICY

from .conftest import make_app

EXPECTED = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def assert_security_headers(response, url):
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, f"{url}: {name}"
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    for directive in ("default-src 'self'", "frame-ancestors 'none'", "form-action 'self'"):
        assert directive in csp
    policy = response.headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in policy, url


def test_every_page_of_the_crawl_has_the_security_headers(client, crawled):
    assert len(crawled) > 10
    for url in crawled:
        response = client.get(url)
        assert_security_headers(response, url)
        # Plain HTTP: no HSTS (it would lock visitors of a test server out).
        assert "Strict-Transport-Security" not in response.headers, url


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/gibt-es-nicht"),
        ("POST", "/"),
        ("GET", "/static/dist/portal.css"),
        ("GET", "/robots.txt"),
        ("GET", "/en/gibt-es-nicht"),
    ],
)
def test_error_pages_static_files_and_feeds_have_them_too(client, method, url):
    response = client.open(url, method=method)
    assert_security_headers(response, url)


@pytest.fixture(scope="module")
def proxied_app():
    """Behind one reverse proxy that terminates TLS; a route sets a cookie and the session."""
    app = make_app(PROXY_FIX=1)

    @app.route("/test-cookies")
    def cookies():
        session["seen"] = True
        response = make_response("ok")
        response.set_cookie("probe", "1", samesite="Lax")
        return response

    return app


def test_over_https_behind_the_proxy_hsts_and_secure_cookies(proxied_app):
    client = proxied_app.test_client()
    response = client.get("/test-cookies", headers={"X-Forwarded-Proto": "https"})
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    cookies = response.headers.getlist("Set-Cookie")
    assert {c.split("=")[0] for c in cookies} == {"probe", "session"}
    for cookie in cookies:
        assert "; Secure" in cookie, cookie


def test_over_plain_http_no_hsts_and_no_secure_flag(proxied_app):
    response = proxied_app.test_client().get("/test-cookies")
    assert "Strict-Transport-Security" not in response.headers
    for cookie in response.headers.getlist("Set-Cookie"):
        assert "Secure" not in cookie, cookie


def test_without_proxy_fix_a_forged_forwarded_proto_is_ignored(app):
    response = app.test_client().get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers


def test_https_as_preferred_scheme_makes_every_cookie_secure():
    app = make_app(PREFERRED_URL_SCHEME="https")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["COOKIE_SECURE"] is True


@pytest.mark.parametrize("secret", [None, "", "dev-only-not-secret"])
def test_production_refuses_to_start_with_a_default_or_missing_secret_key(monkeypatch, secret):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)
    config = {} if secret is None else {"SECRET_KEY": secret}
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config)


def test_production_starts_with_a_real_secret_key(monkeypatch):
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)
    app = create_app({"SECRET_KEY": "9f1c2b7e5d4a3c2b1a0f9e8d7c6b5a4f"})
    assert app.test_client().get("/").status_code == 200


def test_tests_and_debug_may_use_the_development_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    assert create_app({"TESTING": True}).testing
    assert create_app({"DEBUG": True}).debug


LEAKS = ("Traceback", "Werkzeug", "werkzeug", "Python/", "gunicorn", 'File "', "flask")


def test_no_error_page_shows_a_stack_trace_or_a_version():
    app = make_app(TESTING=False, PROPAGATE_EXCEPTIONS=False)

    @app.route("/test-boom")
    def boom():
        raise KeyError("geheimes-detail")

    client = app.test_client()
    for method, url, status in (
        ("GET", "/test-boom", 500),
        ("GET", "/gibt-es-nicht", 404),
        ("DELETE", "/", 405),
        ("GET", "/veranstaltungen/nichts.ics", 404),
    ):
        response = client.open(url, method=method)
        assert response.status_code == status, url
        body = response.get_data(as_text=True)
        assert "geheimes-detail" not in body
        for leak in LEAKS:
            assert leak not in body, (url, leak)
        assert "Server" not in response.headers  # the app sends none; gunicorn's has no version
