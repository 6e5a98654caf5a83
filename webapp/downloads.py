"""Documents for download, uploaded in the editors' area (``/redaktion/dokumente/``).

Each document is one row of ``document`` with its bytes in the database, so every instance
sharing the database serves it (no shared file system). A document is a draft until
someone with the role Freigabe publishes it; only then is it served at its stable address
``/dokumente/<slug>`` (a draft's address answers 404) and listed on pages:

- a content file names it in its front matter, ``downloads: [{document: <slug>}]`` (next to
  the files of ``content/downloads/``), and an event its documentation with
  ``documentation: <slug>``;
- a published document whose PDF lacks the basics of accessibility (see
  :mod:`.document_checks`) was published with a stated reason, and the accessibility
  statement (``/barrierefreiheit``, template ``statement``) lists it with that reason.

Publishing and unpublishing raise the catalog revision (``webapp/editor/runtime.py``), so
every instance drops its cached pages and shows the change within a second or two.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from flask import Blueprint, Flask, Response, abort, current_app, request
from markupsafe import Markup
from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.http import is_resource_modified

from .caching import CONTROL_KEY, PAGE_CACHE_CONTROL
from .content import Document, render_tokens
from .db import db
from .document_checks import TYPES

log = logging.getLogger(__name__)

DRAFT = "draft"
PUBLISHED = "published"
#: The section of the accessibility statement the list of documents follows.
STATEMENT_SECTION = "nicht-barrierefreie-inhalte"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class FileColumns:
    """A stored file and what was read from it: the columns of a document's current file
    (:class:`DocumentFile`) and of each earlier one (:class:`DocumentRevision`)."""

    mimetype: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    #: Codes of :data:`webapp.document_checks.FINDINGS` (empty: nothing missing).
    findings: Mapped[list] = mapped_column(JSON, default=list)
    #: Whether the accessibility could be checked automatically (PDF).
    checked: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Why a document with findings is published all the same (shown in the statement).
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)


class DocumentFile(FileColumns, db.Model):
    """An uploaded document: what the editor typed (title, language, slug, reason) and what
    was read from the file (type, size, checksum, accessibility findings)."""

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The stable address ``/dokumente/<slug>`` and the name content files use.
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=DRAFT, index=True)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published_by: Mapped[str | None] = mapped_column(String(80), nullable=True)
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: When the file was last replaced by a new one (same address; the old one is a
    #: :class:`DocumentRevision`).
    replaced_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    replaced_by: Mapped[str | None] = mapped_column(String(80), nullable=True)

    @property
    def changed_at(self) -> dt.datetime:
        """When what visitors get last changed: published or the file replaced."""
        times = (self.created_at, self.published_at, self.replaced_at)
        # SQLite gives naive datetimes back (they were stored as UTC)
        return max(t if t.tzinfo else t.replace(tzinfo=dt.UTC) for t in times if t)

    @property
    def label(self) -> str:
        return TYPES.get(self.mimetype, (self.mimetype, "bin"))[0]

    @property
    def extension(self) -> str:
        return TYPES.get(self.mimetype, (self.mimetype, "bin"))[1]

    @property
    def filename(self) -> str:
        """The name offered for saving: the slug (``[a-z0-9-]`` only) and the type's ending."""
        return f"{self.slug}.{self.extension}"

    @property
    def published(self) -> bool:
        return self.status == PUBLISHED

    @property
    def accessible(self) -> bool:
        return not self.findings


class DocumentRevision(FileColumns, db.Model):
    """A file that a document had before it was replaced, kept with what was read from it
    (the audit log names it by ``number``); editors can still download it."""

    __tablename__ = "document_revision"
    __table_args__ = (
        UniqueConstraint("document_id", "number", name="uq_document_revision_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), index=True
    )
    #: 1 for the first file the document had, 2 for the next, ...
    number: Mapped[int] = mapped_column(Integer)
    #: Who uploaded this file and when (the document's or the previous replacement's).
    uploaded_by: Mapped[str] = mapped_column(String(80))
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    replaced_by: Mapped[str] = mapped_column(String(80))
    replaced_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def label(self) -> str:
        return TYPES.get(self.mimetype, (self.mimetype, "bin"))[0]

    @property
    def extension(self) -> str:
        return TYPES.get(self.mimetype, (self.mimetype, "bin"))[1]


# --- for pages ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Listed:
    """A published document as a page shows it."""

    slug: str
    title: str
    language: str
    label: str
    size: int
    reason: str | None = None
    documentation: bool = False

    @property
    def path(self) -> str:
        return f"/dokumente/{self.slug}"


def _columns():
    table = DocumentFile.__table__
    return (
        table.c.slug,
        table.c.title,
        table.c.language,
        table.c.mimetype,
        table.c.size,
        table.c.reason,
    )


def _listed(row, documentation: bool = False) -> Listed:
    slug, title, language, mimetype, size, reason = row
    label = TYPES.get(mimetype, (mimetype,))[0]
    return Listed(slug, title, language, label, size, reason, documentation)


def _published(query) -> list:
    """Rows of published documents; none when the database is unavailable (the page still
    renders, without them)."""
    try:
        with db.engine.connect() as connection:
            return list(connection.execute(query))
    except SQLAlchemyError:
        log.warning("documents unavailable; pages are shown without them")
        return []


def referenced(doc: Document) -> list[Listed]:
    """The published documents ``doc`` names (``downloads: - document: slug`` and an
    event's ``documentation: slug``), in that order; drafts and unknown slugs are left out."""
    wanted = [
        str(item["document"])
        for item in doc.meta.get("downloads", []) or []
        if isinstance(item, dict) and item.get("document")
    ]
    documentation = doc.meta.get("documentation")
    if documentation:
        wanted.append(str(documentation))
    if not wanted:
        return []
    table = DocumentFile.__table__
    rows = _published(
        select(*_columns()).where(table.c.slug.in_(wanted), table.c.status == PUBLISHED)
    )
    by_slug = {row[0]: row for row in rows}
    found = []
    for index, slug in enumerate(wanted):
        if slug in by_slug:
            is_documentation = bool(documentation) and index == len(wanted) - 1
            found.append(_listed(by_slug[slug], is_documentation))
    return found


def with_exceptions() -> list[Listed]:
    """Published documents that lack the basics of accessibility, with the stated reason:
    what the accessibility statement lists."""
    table = DocumentFile.__table__
    rows = _published(
        select(*_columns())
        .where(table.c.status == PUBLISHED, table.c.reason.is_not(None))
        .order_by(table.c.title)
    )
    return [_listed(row) for row in rows]


def render_statement(doc: Document, listing: Markup) -> Markup:
    """The statement's text with ``listing`` after its section "Nicht barrierefreie
    Inhalte" (at the end when the section is missing)."""
    from .texts import translate

    tokens = doc.tokens
    split = len(tokens)
    level = None
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        if level is not None and token.tag <= level:
            split = index
            break
        if token.attrGet("id") == STATEMENT_SECTION:
            level = token.tag
    prefix = request.script_root
    return (
        render_tokens(tokens[:split], translate, prefix=prefix)
        + listing
        + render_tokens(tokens[split:], translate, prefix=prefix)
    )


# --- the public address -------------------------------------------------------------------

bp = Blueprint("downloads", __name__)


def cache_control() -> str:
    """What a published document says to caches: the same as a page (``max-age=0``, a shared
    cache may keep it for ``PROXY_CACHE_SECONDS``): browsers ask again each time and get a
    304 by its ``ETag`` (the bytes are not sent again), so a replaced or withdrawn file is
    gone from every cache within a second or two."""
    return current_app.extensions.get(CONTROL_KEY) or PAGE_CACHE_CONTROL.format(seconds=1)


@bp.route("/dokumente/<slug>")
def serve(slug: str):
    try:
        document = db.session.scalar(
            select(DocumentFile).where(DocumentFile.slug == slug, DocumentFile.status == PUBLISHED)
        )
        fresh = document is not None and not is_resource_modified(
            request.environ, etag=document.sha256, last_modified=document.changed_at
        )
        # The bytes are read only when they are sent (not for a 304).
        data = document.data if document is not None and not fresh else None
    except SQLAlchemyError:
        log.exception("document %s unavailable", slug)
        db.session.rollback()
        abort(503)
    if document is None:
        abort(404)
    response = Response(data if not fresh else b"", status=304 if fresh else 200)
    response.mimetype = document.mimetype
    if document.mimetype == "text/csv":
        response.mimetype_params["charset"] = "utf-8"
    response.set_etag(document.sha256)
    response.last_modified = document.changed_at
    response.headers["Cache-Control"] = cache_control()
    disposition = "inline" if document.mimetype == "application/pdf" else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{document.filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    if fresh:
        return response
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals.update(
        referenced_documents=referenced,
        documents_with_exceptions=with_exceptions,
        render_statement=render_statement,
    )
