"""Abuse protection of the forms: rate limits per client, the CSRF token, the honeypot.

Rate limits use Flask-Limiter with one limiter per app (so test apps never share counters):
memory storage by default (``make run``: one server process), Redis for several workers or
instances through ``RATELIMIT_STORAGE_URI`` (``SOZIALBERICHTE_RATELIMIT_STORAGE_URI=redis://…``
or ``unix:///…``; the optional ``redis`` package). With a shared storage the limiter fails
*open to per-instance limits*: when Redis does not answer within 0.2 s, each instance counts in
its own memory (pages are never affected, forms stay limited, nothing is lost) and returns to
Redis once it answers again. The client is the remote address, which :mod:`webapp.security`
takes from the trusted reverse proxy.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFError, validate_csrf
from wtforms.validators import ValidationError

#: Stored submissions per client; several forms of one office behind one address still fit.
DEFAULT_RATE_LIMIT = "5 per minute;30 per hour"
#: Every POST per client, stored or not: a visitor correcting errors never reaches it, a
#: program sending junk does.
DEFAULT_ATTEMPT_LIMIT = "30 per minute;200 per hour"
EXTENSION = "sozialberichte.limiter"


class HideClientAddress(logging.Filter):
    """Flask-Limiter logs a breach with the client's address (its key): log it without."""

    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith("ratelimit ") and isinstance(record.args, tuple):
            record.args = tuple("-" if i == 1 else a for i, a in enumerate(record.args))
        return True


def _hide_client_addresses() -> None:
    logger = logging.getLogger("flask-limiter")
    if not any(isinstance(f, HideClientAddress) for f in logger.filters):
        logger.addFilter(HideClientAddress())


#: A shared storage that does not answer within this many seconds counts as down.
SHARED_STORAGE_TIMEOUT = 0.2


def shared_storage_settings(config) -> None:
    """Fail open to per-instance limits when the shared storage (Redis) is down, and find out
    quickly: a page never waits for it, a form at most :data:`SHARED_STORAGE_TIMEOUT` once."""
    config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    options = dict(config.get("RATELIMIT_STORAGE_OPTIONS") or {})
    options.setdefault("socket_timeout", SHARED_STORAGE_TIMEOUT)
    options.setdefault("socket_connect_timeout", SHARED_STORAGE_TIMEOUT)
    config["RATELIMIT_STORAGE_OPTIONS"] = options


def forms_rate_limit() -> str:
    return current_app.config["FORMS_RATE_LIMIT"]


def forms_attempt_limit() -> str:
    return current_app.config["FORMS_ATTEMPT_LIMIT"]


def is_stored(response) -> bool:
    """A submission was stored: the redirect to its confirmation (303, or htmx's)."""
    return response.status_code == 303 or "HX-Redirect" in response.headers


def init_limiter(app: Flask, bp: Blueprint, on_breach) -> Limiter:
    """A limiter for ``app`` on POSTs to ``bp``'s views per client: stored submissions count
    toward ``FORMS_RATE_LIMIT``; invalid ones (a visitor correcting errors, an expired form)
    only toward the much larger ``FORMS_ATTEMPT_LIMIT``. ``on_breach(limit)`` returns the
    response for a client over a limit."""
    app.config.setdefault("FORMS_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    app.config.setdefault("FORMS_ATTEMPT_LIMIT", DEFAULT_ATTEMPT_LIMIT)
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    if not app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        shared_storage_settings(app.config)
    limiter = Limiter(get_remote_address, app=app, key_prefix="forms")
    limiter.limit(forms_rate_limit, methods=["POST"], on_breach=on_breach, deduct_when=is_stored)(
        bp
    )
    limiter.limit(forms_attempt_limit, methods=["POST"], on_breach=on_breach)(bp)
    _scope_to_blueprint(app, limiter, bp.name)
    app.extensions[EXTENSION] = limiter
    _hide_client_addresses()
    return limiter


def _scope_to_blueprint(app: Flask, limiter: Limiter, blueprint: str) -> None:
    """Flask-Limiter hooks itself into *every* request of the app (a check before, headers
    after, a clean-up at the end), which cost a page request a third of its time in the profile
    (README, "Where the time goes"). The only limits are on this blueprint's views: run the
    hooks for its requests alone."""
    for funcs in (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs):
        hooks = [f for f in funcs.get(None, []) if _belongs_to(f, limiter)]
        for hook in hooks:
            funcs[None].remove(hook)
            funcs.setdefault(blueprint, []).append(hook)


def _belongs_to(hook, limiter: Limiter) -> bool:
    owner = getattr(hook, "__self__", None)  # a bound method
    if owner is None and getattr(hook, "args", None):  # a functools.partial(func, limiter)
        owner = hook.args[0]
    return owner is limiter


def check_csrf(token: str | None) -> None:
    """Raises :class:`CSRFError` unless ``token`` is this visitor's valid form token."""
    try:
        validate_csrf(token)
    except ValidationError as error:
        raise CSRFError(str(error)) from None


def is_spam(form) -> bool:
    """A program filled in the honeypot field that no visitor can see."""
    return bool(form.website.data)
