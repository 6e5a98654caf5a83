"""Changing translations: every change is one database transaction that writes the
override (guarded by its version), an audit entry and a new catalog revision, after the
merged catalog was shown to compile. A failure anywhere rolls the whole change back."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ..db import db
from . import runtime
from .catalog import Entry, compile_catalog, load_view, merged_catalog
from .models import AuditEntry, TranslationOverride, utcnow


class Conflict(Exception):
    """Someone else saved the entry since it was loaded: nothing was written."""

    def __init__(self, current: Entry | None):
        super().__init__("version conflict")
        self.current = current


class NotCompilable(Exception):
    pass


@dataclass
class Change:
    entry: Entry  # as loaded, with the version the editor saw
    msgstr: list[str]
    fuzzy: bool
    action: str = "save"
    undo_of: int | None = None
    locale: str = ""

    def changed_entry(self) -> Entry:
        new = copy.copy(self.entry)
        new.msgstr = list(self.msgstr)
        new.fuzzy = self.fuzzy
        new.overridden = True
        return new


@dataclass
class Result:
    audit_ids: list[int] = field(default_factory=list)


def _write(change: Change, editor: str, expected_version: int) -> int:
    entry = change.entry
    row = db.session.scalar(
        select(TranslationOverride).filter_by(locale=change.locale, key=entry.key)
    )
    current_version = row.version if row is not None else 0
    if current_version != expected_version:
        raise Conflict(None)
    values = {
        "msgstr": list(change.msgstr),
        "fuzzy": change.fuzzy,
        "base": list(entry.file_msgstr),
        "updated_by": editor,
        "updated_at": utcnow(),
    }
    if row is None:
        db.session.add(
            TranslationOverride(
                locale=change.locale,
                key=entry.key,
                msgctxt=entry.msgctxt,
                msgid=entry.msgid,
                msgid_plural=entry.msgid_plural,
                version=1,
                **values,
            )
        )
        db.session.flush()  # a concurrent insert fails here on the unique key
    else:
        result = db.session.execute(
            update(TranslationOverride)
            .where(TranslationOverride.id == row.id, TranslationOverride.version == row.version)
            .values(version=TranslationOverride.version + 1, **values)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            raise Conflict(None)
    audit = AuditEntry(
        editor=editor,
        action=change.action,
        locale=change.locale,
        key=entry.key,
        msgctxt=entry.msgctxt,
        msgid=entry.msgid,
        old=entry.state(),
        new={"msgstr": list(change.msgstr), "fuzzy": change.fuzzy},
        undo_of=change.undo_of,
    )
    db.session.add(audit)
    db.session.flush()
    return audit.id


def apply_changes(code: str, changes: list[Change], editor: str) -> Result:
    """Write ``changes`` for language ``code`` atomically, or nothing at all.

    Raises :class:`Conflict` when an entry changed since it was loaded, and
    :class:`NotCompilable` when the merged catalog would not compile.
    """
    for change in changes:
        change.locale = code
    changed = {c.entry.key: c.changed_entry() for c in changes}
    try:  # each catalog (file) the changes touch must still compile
        for name in sorted({c.entry.catalog for c in changes}):
            compile_catalog(merged_catalog(code, changed, name))
    except Exception as error:
        raise NotCompilable(str(error)) from error
    result = Result()
    try:
        for change in changes:
            result.audit_ids.append(_write(change, editor, change.entry.version))
        runtime.bump_revision()
        db.session.commit()
    except Conflict:
        db.session.rollback()
        current = load_view(code).get(changes[0].entry.key) if len(changes) == 1 else None
        raise Conflict(current) from None
    except IntegrityError:
        db.session.rollback()
        current = load_view(code).get(changes[0].entry.key) if len(changes) == 1 else None
        raise Conflict(current) from None
    except BaseException:
        db.session.rollback()
        raise
    runtime.refresh(current_app, force=True)
    return result


def save(code: str, entry: Entry, msgstr: list[str], fuzzy: bool, editor: str, action="save"):
    return apply_changes(code, [Change(entry, msgstr, fuzzy, action)], editor)


class CannotUndo(Exception):
    pass


def undo(audit_id: int, editor: str) -> Result:
    """Apply the old value of audit entry ``audit_id`` as a new, audited change. Refused
    when the entry was changed again since (undo the later change first)."""
    audit = db.session.get(AuditEntry, audit_id)
    if audit is None or audit.key.startswith(("document:", "doc:")):  # documents: no undo here
        raise CannotUndo("unknown")
    entry = load_view(audit.locale).get(audit.key)
    if entry is None:
        raise CannotUndo("obsolete")
    if entry.state() != {"msgstr": audit.new["msgstr"], "fuzzy": audit.new["fuzzy"]}:
        raise CannotUndo("changed")
    change = Change(entry, list(audit.old["msgstr"]), bool(audit.old["fuzzy"]), "undo", audit.id)
    return apply_changes(audit.locale, [change], editor)
