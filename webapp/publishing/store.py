"""What every process serves: the files of ``content/`` with the published browser-made
documents laid over them, rebuilt when the content revision in the database changes or a
scheduled time has come.

Each process remembers the revision it built and asks the database for the current one at
most once per ``CONTENT_CHECK_SECONDS`` (default 1 s), in a ``before_request`` — the pattern
of :mod:`webapp.editor.runtime`. So every worker of every instance sharing the database
serves a publication within a second or two. Scheduled times need nobody: the store knows the
next due time (publish on …, unpublish on …) and is rebuilt by the first request after it,
with the time from ``PUBLISHING_CLOCK`` (a callable; tests pass a controlled clock).
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import threading
import time
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..content import ContentStore
from ..db import db
from .fields import catalog_name, to_document
from .models import ContentDocument, ContentRevision, ContentState, aware, utcnow

log = logging.getLogger(__name__)

CONTENT_KEY = "sozialberichte.content"
FILES_KEY = "sozialberichte.content_files"
STATE_KEY = "sozialberichte.content_check"
_builds = itertools.count(1)
BERLIN = ZoneInfo("Europe/Berlin")


def now(app: Flask) -> dt.datetime:
    clock = app.config.get("PUBLISHING_CLOCK") or utcnow
    return aware(clock())


def files(app: Flask) -> ContentStore:
    return app.extensions[FILES_KEY]


def effective_revision(row: ContentDocument, at: dt.datetime) -> int | None:
    """The revision visitors see at ``at`` (None: none, the file — if any — stays)."""
    if row.deleted_at is not None:
        return None
    if row.unpublish_at is not None and at >= aware(row.unpublish_at):
        return None
    if row.scheduled_revision_id and row.publish_at and at >= aware(row.publish_at):
        return row.scheduled_revision_id
    return row.live_revision_id


def is_gone(row: ContentDocument, at: dt.datetime) -> bool:
    """Deleted or unpublished after it was public: its address answers 410."""
    was_public = bool(
        row.live_revision_id
        or row.source_file
        or (row.scheduled_revision_id and row.publish_at and at >= aware(row.publish_at))
    )
    if row.deleted_at is not None:
        return was_public
    return row.unpublish_at is not None and at >= aware(row.unpublish_at) and was_public


def next_due(row: ContentDocument, at: dt.datetime) -> dt.datetime | None:
    times = []
    if row.scheduled_revision_id and row.publish_at and aware(row.publish_at) > at:
        times.append(aware(row.publish_at))
    if row.unpublish_at and aware(row.unpublish_at) > at:
        times.append(aware(row.unpublish_at))
    return min(times) if times else None


def build(app: Flask, at: dt.datetime, revision: int) -> tuple[ContentStore, dt.datetime | None]:
    base = files(app)
    with Session(db.engine) as session:
        return _build(session, base, at, revision)


def _build(session: Session, base: ContentStore, at: dt.datetime, revision: int):
    rows = list(session.scalars(select(ContentDocument)))
    wanted = {row.id: effective_revision(row, at) for row in rows}
    ids = [rid for rid in wanted.values() if rid]
    revisions = {}
    if ids:
        revisions = {
            r.id: r
            for r in session.scalars(select(ContentRevision).where(ContentRevision.id.in_(ids)))
        }
    documents, gone, due = [], set(), []
    for row in rows:
        rid = wanted[row.id]
        if rid and rid in revisions:
            documents.append(
                to_document(
                    row.kind,
                    row.path,
                    revisions[rid].data,
                    catalog_name(row, base.root),  # its file-to-be: the catalog's name
                    base.get(row.path),
                )
            )
        elif is_gone(row, at):
            gone.add(row.path)
        when = next_due(row, at)
        if when:
            due.append(when)
    # Past events leave the sidebar and get their mark at midnight in Germany: rebuild then
    # too, so the page cache (keyed on the store's revision) forgets yesterday's pages.
    local = at.astimezone(BERLIN)
    midnight = dt.datetime.combine(local.date() + dt.timedelta(days=1), dt.time(), BERLIN)
    due.append(midnight.astimezone(dt.UTC))
    store = base.overlaid(documents, gone, revision=(revision, next(_builds)))
    return store, min(due)


def current_revision() -> int | None:
    try:
        with db.engine.connect() as connection:
            value = connection.execute(
                select(ContentState.__table__.c.revision).where(ContentState.__table__.c.id == 1)
            ).scalar()
    except SQLAlchemyError:
        return None
    return int(value or 0)


def bump_revision() -> None:
    """Raise the content revision inside the caller's transaction."""
    result = db.session.execute(
        update(ContentState).where(ContentState.id == 1).values(revision=ContentState.revision + 1)
    )
    if result.rowcount == 0:
        db.session.add(ContentState(id=1, revision=1))
        db.session.flush()


class Check:
    def __init__(self, interval: float):
        self.interval = interval
        self.checked_at = float("-inf")
        self.revision: int | None = None
        self.next_due: dt.datetime | None = None
        self.lock = threading.Lock()


def refresh(app: Flask, force: bool = False) -> None:
    """Rebuild the served store when the content revision changed or a scheduled time came."""
    state: Check = app.extensions[STATE_KEY]
    mono = time.monotonic()
    due = state.next_due is not None and now(app) >= state.next_due
    if not force and not due and mono - state.checked_at < state.interval:
        return
    with state.lock:
        due = state.next_due is not None and now(app) >= state.next_due
        if not force and not due and time.monotonic() - state.checked_at < state.interval:
            return  # another thread checked while this one waited
        state.checked_at = mono
        revision = current_revision()
        if revision is None:
            return  # no database (yet): serve what was served
        at = now(app)
        due = state.next_due is not None and at >= state.next_due
        if not force and not due and revision == state.revision:
            return
        try:
            store, state.next_due = build(app, at, revision)
        except SQLAlchemyError:
            log.warning("published documents unavailable; serving the files of content/")
            return
        app.extensions[CONTENT_KEY] = store
        state.revision = revision


def init_app(app: Flask) -> None:
    app.extensions[FILES_KEY] = app.extensions[CONTENT_KEY]
    app.extensions[STATE_KEY] = Check(float(app.config.get("CONTENT_CHECK_SECONDS", 1)))

    @app.before_request
    def _refresh_content():
        refresh(app)
