"""German content published from the browser (issue 16): documents, revisions, the
Redaktion → Freigabe workflow, scheduling, soft delete, and the overlay of published
documents over the files of ``content/``.

Where content lives (README, "Publishing German content"): the files in ``content/`` are the
baseline; documents made or changed in the browser live in the database as revisions and
overlay the files by path (kind and slug); ``flask content export`` writes the published
ones back to ``content/*.md`` so they can be committed — the model of the translations.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from flask import Flask

from . import store


def today(app: Flask) -> dt.date:
    """Today in Germany by the publishing clock: events before it are past."""
    return store.now(app).astimezone(ZoneInfo("Europe/Berlin")).date()


def init_app(app: Flask) -> None:
    """Call after the content store exists and before the page cache (its key depends on
    the store this refreshes)."""
    from . import models  # noqa: F401 - registers the tables
    from .cli import cli

    store.init_app(app)
    app.cli.add_command(cli)

    def _today() -> dt.date:
        return today(app)

    def upcoming_events() -> list:
        """Events from today on, the next first (the sidebar shows the first)."""
        events = app.extensions[store.CONTENT_KEY].of_kind("event")
        day = today(app)
        return sorted((e for e in events if e.date and e.date >= day), key=lambda e: e.date)

    app.jinja_env.globals.update(today=_today, upcoming_events=upcoming_events)
