"""Exchange with other tools: download a language's ``.po`` (files + browser edits), upload
one edited in Poedit or Weblate (validated, then merged as audited changes), and export the
browser edits into the repository's ``.po`` files (``flask editor export``)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from io import BytesIO

from babel.messages.pofile import PoFileError, read_po, write_po
from flask_babel import format_decimal, gettext

from .catalog import compile_catalog, entry_key, merged_catalog, po_path, singular
from .catalog import load_view as load_catalog_view
from .changes import Change, apply_changes
from .checks import blocking, check_entry
from .forms import MAX_TRANSLATION_LENGTH


def po_bytes(code: str) -> bytes:
    buffer = BytesIO()
    write_po(buffer, merged_catalog(code), width=0)
    return buffer.getvalue()


@dataclass
class UploadReport:
    errors: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # msgids
    unchanged: int = 0
    unknown: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return not self.errors


def _locale_of(catalog) -> str:
    return str(catalog.locale_identifier or "") if catalog.locale else ""


def upload(code: str, data: bytes, editor: str) -> UploadReport:
    """Validate an uploaded ``.po`` for language ``code`` and merge what changed. Any error
    (syntax, other language, broken placeholders or links, no known entry) changes nothing."""
    report = UploadReport()
    try:
        catalog = read_po(BytesIO(data), abort_invalid=True)
    except (PoFileError, UnicodeDecodeError, ValueError, IndexError, KeyError) as error:
        message = gettext("Die Datei ist keine gültige PO-Datei: %(error)s", error=error)
        report.errors.append(message)
        return report
    found = _locale_of(catalog)
    if found != code:
        report.errors.append(
            gettext(
                "Die Datei ist für die Sprache „%(found)s“, nicht für „%(wanted)s“.",
                found=found or "?",
                wanted=code,
            )
        )
        return report
    view = load_catalog_view(code)
    entries = {entry.key: entry for entry in view.entries}
    changes = []
    for message in catalog:
        if not message.id:
            continue
        msgid = singular(message.id)
        entry = entries.get(entry_key(msgid, message.context))
        if entry is None:
            report.unknown.append(msgid)
            continue
        strings = (
            list(message.string)
            if isinstance(message.string, tuple | list)
            else [message.string or ""]
        )
        if entry.plural != isinstance(message.id, tuple | list):
            report.errors.append(gettext("„%(msgid)s“: Pluralformen passen nicht.", msgid=msgid))
            continue
        if not any(strings):  # left untranslated in the file: nothing to merge
            report.unchanged += 1
            continue
        fuzzy = message.fuzzy
        if strings == entry.msgstr and fuzzy == entry.fuzzy:
            report.unchanged += 1
            continue
        longest = max(len(text) for text in strings)
        if longest > MAX_TRANSLATION_LENGTH:  # the limit of the browser form
            report.errors.append(
                gettext(
                    "„%(msgid)s“: Die Übersetzung darf höchstens %(max)s Zeichen lang sein, "
                    "sie hat %(count)s Zeichen.",
                    msgid=msgid[:60],
                    max=format_decimal(MAX_TRANSLATION_LENGTH),
                    count=format_decimal(longest),
                )
            )
            continue
        for problem in blocking(check_entry(entry, strings, code)):
            report.errors.append(f"„{msgid[:60]}“: {problem.message}")
        changes.append(Change(entry, strings, fuzzy, "upload"))
        report.changed.append(msgid)
    if not changes and not report.unchanged:
        report.errors.append(gettext("Die Datei enthält keinen Eintrag dieses Portals."))
    if report.errors:
        report.changed = []
        return report
    if changes:
        apply_changes(code, changes, editor)
    return report


def write_atomically(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves the old or the new file, never half."""
    directory = os.path.dirname(path)
    os.makedirs(directory, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=".tmp-", dir=directory)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def export(app, code: str) -> int:
    """Write the browser edits of ``code`` into its ``.po`` and ``.mo`` files; returns the
    number of overrides written. The database keeps them (other instances may still run
    the old files); an override equal to the file changes nothing."""
    view = load_catalog_view(code)
    written = sum(1 for entry in view.entries if entry.overridden)
    catalog = merged_catalog(code)
    mo = compile_catalog(catalog)
    buffer = BytesIO()
    write_po(buffer, catalog, width=0, include_previous=True)
    path = po_path(app, code)
    write_atomically(path, buffer.getvalue())
    write_atomically(path[: -len(".po")] + ".mo", mo)
    return written
