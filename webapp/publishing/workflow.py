"""The publishing workflow (Wagtail's moderation as the model): every save is a revision;
Redaktion saves drafts and submits them; Freigabe publishes (now or on a date), schedules
the end of publication, rejects with a comment. Deleting is soft, with an undo.

Each function is one transaction: the document row is updated only where its ``version`` is
the one the editor's form was made from (a stale form raises :class:`Conflict`), the new
revision, the audit entry and — where visitors' view changes — the content revision are
written together, then committed. A crash before the commit leaves the old state.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, update

from ..db import db
from ..editor.models import AuditEntry
from .fields import path_for
from .models import ContentDocument, ContentRevision, utcnow
from .store import bump_revision


class Conflict(Exception):
    """Someone changed the document since the form was loaded."""

    def __init__(self, document: ContentDocument | None):
        super().__init__("conflict")
        self.document = document


class PathTaken(ValueError):
    pass


class OwnText(Exception):
    """The four-eyes principle: the newest version was written by the person who would publish
    it; someone else of the Freigabe must publish it (``PUBLISHING_FOUR_EYES``, default on)."""


def check_four_eyes(doc: ContentDocument, editor: str, required: bool = True) -> None:
    """Raise :class:`OwnText` when ``editor`` wrote the version that would go live."""
    if not required:
        return
    latest = revision_of(doc.latest_revision_id)
    if latest is not None and latest.created_by == editor:
        raise OwnText()


#: First parts of paths that views other than the content pages serve.
RESERVED = {"redaktion", "suche", "downloads", "static", "en", "ls", "leichte-sprache"}


def audit(editor: str, action: str, doc: ContentDocument, old: dict, new: dict) -> None:
    db.session.add(
        AuditEntry(
            editor=editor,
            action=action,
            locale="de",
            key=f"doc:{doc.id}",
            msgid=doc.path,
            old=old,
            new=new,
        )
    )


def _state(doc: ContentDocument) -> dict:
    return {
        "status": doc.status,
        "revision": doc.latest_revision_id,
        "live": doc.live_revision_id,
        "deleted": doc.deleted_at is not None,
    }


def revision_of(revision_id: int | None) -> ContentRevision | None:
    return db.session.get(ContentRevision, revision_id) if revision_id else None


def _lock(doc_id: int, version: int, editor: str, **values) -> ContentDocument:
    """Raise the version where it is still ``version`` (else :class:`Conflict`)."""
    result = db.session.execute(
        update(ContentDocument)
        .where(ContentDocument.id == doc_id, ContentDocument.version == version)
        .values(version=ContentDocument.version + 1, updated_by=editor, updated_at=utcnow())
    )
    if result.rowcount != 1:
        db.session.rollback()
        raise Conflict(db.session.get(ContentDocument, doc_id))
    doc = db.session.get(ContentDocument, doc_id)
    db.session.refresh(doc)
    for key, value in values.items():
        setattr(doc, key, value)
    return doc


def _add_revision(doc: ContentDocument, data: dict, editor: str, note: str) -> ContentRevision:
    number = (
        db.session.scalar(
            select(func.max(ContentRevision.number)).where(ContentRevision.document_id == doc.id)
        )
        or 0
    ) + 1
    revision = ContentRevision(
        document_id=doc.id, number=number, data=data, note=note, created_by=editor
    )
    db.session.add(revision)
    db.session.flush()
    doc.latest_revision_id = revision.id
    return revision


def create(
    kind: str, slug: str, data: dict, editor: str, taken: set[str], baseline: dict | None = None
) -> ContentDocument:
    """A new document (``baseline``: the fields of the content/ file it starts from, kept
    as revision 1 so the first diff shows the editor's change)."""
    path = path_for(kind, slug) if baseline is None else slug
    exists = db.session.scalar(select(ContentDocument.id).where(ContentDocument.path == path))
    if exists is not None:
        if baseline is not None:  # someone else started editing the file meanwhile
            raise Conflict(db.session.get(ContentDocument, exists))
        raise PathTaken(path)
    first = path.strip("/").split("/", 1)[0]
    if baseline is None and (path in taken or path + "/" in taken or first in RESERVED):
        raise PathTaken(path)
    doc = ContentDocument(
        kind=kind,
        slug=path.rstrip("/").rsplit("/", 1)[-1] or "start",
        path=path,
        source_file=(baseline or {}).get("_source"),
        status="draft",
        version=1,
        updated_by=editor,
    )
    db.session.add(doc)
    db.session.flush()
    if baseline is not None:
        base = {k: v for k, v in baseline.items() if k != "_source"}
        _add_revision(doc, base, editor, "file")
    _add_revision(doc, data, editor, "save")
    audit(editor, "doc-create", doc, {}, _state(doc))
    db.session.commit()
    return doc


def save(doc_id: int, version: int, data: dict, editor: str, note: str = "save"):
    doc = _lock(doc_id, version, editor, status="draft", review_comment=None)
    old = _state(doc)
    _add_revision(doc, data, editor, note)
    audit(editor, "doc-" + note, doc, old, _state(doc))
    db.session.commit()
    return doc


def submit(doc_id: int, version: int, editor: str):
    doc = _lock(doc_id, version, editor)
    old = _state(doc)
    doc.status = "submitted"
    doc.review_comment = None
    audit(editor, "doc-submit", doc, old, _state(doc))
    db.session.commit()
    return doc


def reject(doc_id: int, version: int, editor: str, comment: str):
    doc = _lock(doc_id, version, editor)
    old = _state(doc)
    doc.status = "rejected"
    doc.review_comment = comment
    audit(editor, "doc-reject", doc, old, {**_state(doc), "comment": comment})
    db.session.commit()
    return doc


def publish(
    doc_id: int,
    version: int,
    editor: str,
    now: dt.datetime,
    at: dt.datetime | None,
    four_eyes: bool = True,
):
    """Publish the newest revision now, or from ``at`` on (the live one stays until then);
    with ``four_eyes``, only when someone else wrote it (:class:`OwnText`)."""
    doc = _lock(doc_id, version, editor)
    try:
        check_four_eyes(doc, editor, four_eyes)
    except OwnText:
        db.session.rollback()
        raise
    old = _state(doc)
    if at is not None and at > now:
        doc.scheduled_revision_id = doc.latest_revision_id
        doc.publish_at = at
        action = "doc-schedule"
    else:
        doc.live_revision_id = doc.latest_revision_id
        doc.scheduled_revision_id = None
        doc.publish_at = None
        action = "doc-publish"
    doc.status = "published"
    doc.review_comment = None
    if doc.unpublish_at is not None and _aware(doc.unpublish_at) <= now:
        doc.unpublish_at = None  # publishing again ends an earlier unpublication
    bump_revision()
    new = _state(doc)
    if at is not None:
        new["at"] = at.isoformat()
    audit(editor, action, doc, old, new)
    db.session.commit()
    return doc


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def unpublish(doc_id: int, version: int, editor: str, now: dt.datetime, at: dt.datetime | None):
    """End the publication now or from ``at`` on."""
    doc = _lock(doc_id, version, editor)
    old = _state(doc)
    doc.unpublish_at = at if at is not None and at > now else now
    bump_revision()
    audit(editor, "doc-unpublish", doc, old, {**_state(doc), "at": doc.unpublish_at.isoformat()})
    db.session.commit()
    return doc


def delete(doc_id: int, version: int, editor: str, now: dt.datetime):
    doc = _lock(doc_id, version, editor)
    old = _state(doc)
    doc.deleted_at = now
    doc.deleted_by = editor
    bump_revision()
    audit(editor, "doc-delete", doc, old, _state(doc))
    db.session.commit()
    return doc


def undelete(doc_id: int, version: int, editor: str):
    doc = _lock(doc_id, version, editor)
    old = _state(doc)
    doc.deleted_at = None
    doc.deleted_by = None
    bump_revision()
    audit(editor, "doc-undelete", doc, old, _state(doc))
    db.session.commit()
    return doc


def restore(doc_id: int, version: int, number: int, editor: str):
    """A new revision with the fields of revision ``number`` (nothing is overwritten)."""
    old = db.session.scalar(
        select(ContentRevision).where(
            ContentRevision.document_id == doc_id, ContentRevision.number == number
        )
    )
    if old is None:
        raise LookupError(number)
    return save(doc_id, version, dict(old.data), editor, note="restore")
