"""Hardening: security headers on every response, the reverse proxy, ``Secure`` cookies behind
HTTPS and no production start with a default secret key.

The headers are added by a WSGI middleware, so they are on every response the app sends —
pages, fragments, static files, feeds and error pages alike.
"""

from __future__ import annotations

import logging
import os

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import DEFAULTS, as_bool

log = logging.getLogger(__name__)

#: The secret key of ``webapp/config.py``: fine for tests and ``make dev``, never in production.
DEFAULT_SECRET_KEY = DEFAULTS["SECRET_KEY"]

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    )
)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)
HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Permissions-Policy", PERMISSIONS_POLICY),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
#: A fragment (htmx) is inserted into a page that has these already and is never a document
#: itself: policies for documents (CSP, framing, features, referrers, opener) do not apply
#: to it. It keeps ``nosniff``, CORP and HSTS.
DOCUMENT_ONLY = frozenset(
    {
        "content-security-policy",
        "permissions-policy",
        "cross-origin-opener-policy",
        "x-frame-options",
        "referrer-policy",
    }
)
FRAGMENT_HEADERS = tuple((n, v) for n, v in HEADERS if n.lower() not in DOCUMENT_ONLY)
FRAGMENT_ENVIRON_KEY = "sozialberichte.fragment"  # webapp/fragments.py sets it


class SecurityHeadersMiddleware:
    """WSGI middleware: the security headers on every response; over HTTPS also HSTS and
    ``Secure`` on every cookie. Sits inside :class:`ProxyFix`, so ``wsgi.url_scheme`` is the
    scheme the visitor used."""

    def __init__(self, wsgi_app, force_secure_cookies: bool = False):
        self.wsgi_app = wsgi_app
        self.force_secure_cookies = force_secure_cookies
        self.names = {name.lower() for name, _ in HEADERS}

    def __call__(self, environ, start_response):
        https = environ.get("wsgi.url_scheme") == "https"
        secure_cookies = https or self.force_secure_cookies

        def _start_response(status, headers, exc_info=None):
            headers = [(n, v) for n, v in headers if n.lower() not in self.names]
            if secure_cookies:
                headers = [
                    (n, _secure_cookie(v) if n.lower() == "set-cookie" else v) for n, v in headers
                ]
            headers.extend(FRAGMENT_HEADERS if environ.get(FRAGMENT_ENVIRON_KEY) else HEADERS)
            if https:
                headers.append(HSTS)
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, _start_response)


def _secure_cookie(value: str) -> str:
    attributes = [part.strip().lower() for part in value.split(";")[1:]]
    return value if "secure" in attributes else value + "; Secure"


class SessionInterface(SecureCookieSessionInterface):
    """The session cookie is ``Secure`` when configured so or when the request came by HTTPS."""

    def open_session(self, app: Flask, request):
        """Without a session cookie (almost every visitor) the session is new and empty: no
        signing serializer is built for it (a tenth of a request in the profile). Editors'
        sessions are rows in the database keyed by a value in this cookie
        (``webapp/editor/auth.py``): with the cookie, Flask's own code reads it."""
        if app.secret_key and (
            "HTTP_COOKIE" not in request.environ  # no header to parse at all
            or not request.cookies.get(self.get_cookie_name(app))
        ):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session, response) -> None:
        """Nothing to do for a session nobody looked at (Flask's own code works out the
        cookie's name, domain, path and flags first)."""
        if not session and not session.modified and not session.accessed:
            return
        super().save_session(app, session, response)

    def get_cookie_secure(self, app: Flask) -> bool:
        return super().get_cookie_secure(app) or (bool(request) and request.is_secure)


def is_production(app: Flask) -> bool:
    """Not the tests, not ``make dev`` (debug) and not a ``flask`` CLI command (the Werkzeug
    development server, migrations): gunicorn, i.e. ``make run`` and real deployments."""
    return not (app.testing or app.debug or os.environ.get("FLASK_RUN_FROM_CLI") == "true")


def check_secret_key(app: Flask) -> None:
    key = app.config.get("SECRET_KEY")
    weak = not key or key == DEFAULT_SECRET_KEY
    if not weak:
        return
    if is_production(app):
        raise RuntimeError(
            "SECRET_KEY is missing or the development default: set SECRET_KEY in the "
            "environment (make run creates instance/secret_key)."
        )
    log.warning("SECRET_KEY is the development default: never use this in production")


def init_app(app: Flask) -> None:
    """Call last in ``create_app``: the middlewares wrap all others."""
    check_secret_key(app)
    https = app.config.get("PREFERRED_URL_SCHEME") == "https"
    secure = https or as_bool(app.config.get("COOKIE_SECURE", False))
    app.config["COOKIE_SECURE"] = secure
    if secure:
        app.config["SESSION_COOKIE_SECURE"] = True
    app.session_interface = SessionInterface()
    app.wsgi_app = SecurityHeadersMiddleware(app.wsgi_app, force_secure_cookies=secure)
    proxies = int(app.config.get("PROXY_FIX", 0) or 0)
    if proxies > 0:
        # X-Forwarded-For/-Proto/-Host/-Port from that many trusted proxies in front.
        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
