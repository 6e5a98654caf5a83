"""Tables of the editors' area: accounts, login attempts, translation overrides, the audit
log and the catalog revision that tells every process when to reload its catalogs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Editor(db.Model):
    __tablename__ = "editor_account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    #: "redaktion" or "freigabe" (:mod:`.roles`)
    role: Mapped[str] = mapped_column(String(20), default="redaktion", server_default="redaktion")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LoginAttempt(db.Model):
    """One password check: which account, from which client (IP address) and browser
    (``device``: the id of a device cookie, see :mod:`.auth`), when, and whether it succeeded.
    The throttling of :mod:`.auth` counts these; they are deleted after
    ``EDITOR_ATTEMPT_RETENTION_DAYS`` (7 days)."""

    __tablename__ = "editor_login_attempt"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), index=True)
    client: Mapped[str] = mapped_column(String(64), index=True)
    success: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    device: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)


class EditorSession(db.Model):
    """A logged-in browser. The cookie carries a random token; only its SHA-256 is stored, so
    a copy of this table opens nothing. Deleting the row ends the session (logout, "log out
    everywhere", a password change); it also ends after 30 minutes without a request and
    12 hours after the login (``EDITOR_SESSION_IDLE_SECONDS``, ``EDITOR_SESSION_MAX_SECONDS``).
    """

    __tablename__ = "editor_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the token
    editor_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("editor_account.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TranslationOverride(db.Model):
    """A translation saved in the browser, laid over the ``.po`` files of the repository.

    ``key`` is a hash of context and msgid (msgids can be long paragraphs); ``version``
    grows with every save and guards against silent overwrites (optimistic concurrency).
    """

    __tablename__ = "editor_translation"
    __table_args__ = (UniqueConstraint("locale", "key", name="uq_editor_translation_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    locale: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(64))
    msgctxt: Mapped[str | None] = mapped_column(Text, nullable=True)
    msgid: Mapped[str] = mapped_column(Text)
    msgid_plural: Mapped[str | None] = mapped_column(Text, nullable=True)
    msgstr: Mapped[list] = mapped_column(JSON)  # one string, or one per plural form
    fuzzy: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The ``.po`` file's msgstr when this was saved: a later change of the file (a commit,
    #: ``make translations``) is then shown to editors instead of being silently masked.
    base: Mapped[list | None] = mapped_column(JSON, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditEntry(db.Model):
    """Every change of a translation: who, when, language, entry, old and new state."""

    __tablename__ = "editor_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    editor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(16))  # save, review, undo, upload
    locale: Mapped[str] = mapped_column(String(16), index=True)
    key: Mapped[str] = mapped_column(String(64))
    msgctxt: Mapped[str | None] = mapped_column(Text, nullable=True)
    msgid: Mapped[str] = mapped_column(Text)
    old: Mapped[dict] = mapped_column(JSON)  # {"msgstr": [...], "fuzzy": bool}
    new: Mapped[dict] = mapped_column(JSON)
    undo_of: Mapped[int | None] = mapped_column(Integer, nullable=True)


class CatalogRevision(db.Model):
    """One row: a counter raised by every committed change of the translations."""

    __tablename__ = "editor_catalog_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)


class SubmissionDone(db.Model):
    """An inbox item an editor has dealt with (the submissions belong to webapp/forms)."""

    __tablename__ = "editor_submission_done"

    submission_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("submission.id", ondelete="CASCADE"), primary_key=True
    )
    #: Matched too: SQLite may reuse the id of a purged submission (no cascade there).
    reference: Mapped[str] = mapped_column(String(20))
    done_by: Mapped[str] = mapped_column(String(80))
    done_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
