"""Tables of browser-made German content: documents, their revisions and the content revision
counter that tells every process when to rebuild what it serves (see :mod:`.store`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives back naive datetimes: they were stored as UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


class ContentDocument(db.Model):
    """One German document made or changed in the browser, identified by (kind, slug).

    ``live_revision_id`` is what visitors see; ``scheduled_revision_id`` replaces it from
    ``publish_at`` on; from ``unpublish_at`` on nothing is shown. ``version`` grows with every
    change and guards against silent overwrites (optimistic locking). ``deleted_at`` marks a
    soft delete (undo clears it)."""

    __tablename__ = "content_document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # page, news, event
    slug: Mapped[str] = mapped_column(String(200))
    path: Mapped[str] = mapped_column(String(300), unique=True)
    #: The content/ file this document overlays (None: made in the browser).
    source_file: Mapped[str | None] = mapped_column(String(300), nullable=True)
    #: draft, submitted, rejected, published (the workflow state of the newest revision)
    status: Mapped[str] = mapped_column(String(12), default="draft")
    latest_revision_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    live_revision_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    scheduled_revision_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    publish_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    unpublish_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    review_comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    deleted_by: Mapped[str | None] = mapped_column(String(80), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ContentRevision(db.Model):
    """One saved state of a document: every save adds one, none is ever changed."""

    __tablename__ = "content_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("content_document.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    #: The fields of the form: title, short_title, summary, body, date, … (see .fields)
    data: Mapped[dict] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(String(40), default="save")  # save, file, restore
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ContentState(db.Model):
    """One row: a counter raised by every committed change of what visitors may see."""

    __tablename__ = "content_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)
