"""The portal's forms: order the printed report, contact, report a barrier.

``definitions`` declares the fields, ``validation`` the input rules, ``models`` the storage,
``protection`` rate limits, CSRF and honeypot, ``views`` the pages, ``cli`` the purge.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_limiter.errors import RateLimitExceeded
from flask_wtf.csrf import CSRFError

from ..errors import render_error
from . import models  # noqa: F401  (registers the model with the metadata)
from .cli import submissions_cli
from .protection import init_limiter
from .views import bp, rate_limited


def init_app(app: Flask) -> None:
    # A form may stay open for a long time (WCAG 2.2.1: at least 20 hours); an expired one
    # comes back filled in (views._not_saved).
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", 24 * 60 * 60)
    app.register_blueprint(bp)
    init_limiter(app, bp, on_breach=rate_limited)
    app.cli.add_command(submissions_cli)

    @app.errorhandler(RateLimitExceeded)
    def _rate_limited(error):
        """A form's own page (entries shown back) where ``on_breach`` made one."""
        if error.response is not None:
            return error.response
        return render_error(429)

    @app.errorhandler(CSRFError)
    def _csrf_error(error):
        return render_error(
            400,
            _l("Das Formular ist abgelaufen"),
            [_l("Bitte öffnen Sie das Formular neu und senden Sie es noch einmal.")],
        )
