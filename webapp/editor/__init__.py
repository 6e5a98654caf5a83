"""The editors' area at ``/redaktion/``: translations in the browser, checks, preview, audit
log with undo, ``.po`` exchange, and the inbox of form submissions.

Where translations live: the repository's ``.po`` files, plus the edits saved in the
browser as overrides in the database (see README, "Editors' area and where translations
live", and :mod:`.runtime`).
"""

from __future__ import annotations

from flask import Flask

from . import runtime


def init_app(app: Flask) -> None:
    from ..leichte_sprache import editor_views  # noqa: F401 - Prüfung, Wörterbuch (issue 17)
    from ..publishing import views as _publishing  # noqa: F401 - its routes are ours
    from . import documents, inbox, models, views  # noqa: F401 - registers the routes and tables
    from .cli import cli

    if app.config.get("COOKIE_SECURE"):  # the editors' session cookie only over HTTPS
        app.config["SESSION_COOKIE_SECURE"] = True
    runtime.init_app(app)
    app.register_blueprint(views.bp)
    app.cli.add_command(cli)
