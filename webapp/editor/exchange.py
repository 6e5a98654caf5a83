"""Exchange with other tools: download one catalog's ``.po`` (the interface or a document,
files + browser edits) or a language's whole set as a zip, upload either edited in Poedit or
Weblate (validated, then merged as audited changes), and export the browser edits into the
repository's ``.po`` files (``flask editor export``)."""

from __future__ import annotations

import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from io import BytesIO

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po, write_po
from flask_babel import format_decimal, gettext

from .catalog import (
    INTERFACE,
    catalog_names,
    compile_catalog,
    entry_key,
    merged_catalog,
    po_path,
    singular,
)
from .catalog import load_view as load_catalog_view
from .changes import Change, apply_changes
from .checks import blocking, check_entry
from .forms import MAX_TRANSLATION_LENGTH


def po_bytes(code: str, catalog: str = INTERFACE) -> bytes:
    buffer = BytesIO()
    write_po(buffer, merged_catalog(code, catalog=catalog), width=0)
    return buffer.getvalue()


def zip_name(catalog: str) -> str:
    """The member of a catalog in a language's zip: ``messages.po``, ``content/…/x.po``."""
    return "messages.po" if catalog == INTERFACE else catalog[: -len(".md")] + ".po"


def zip_bytes(code: str) -> bytes:
    """Every catalog of ``code`` (with the browser edits) in one zip."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in catalog_names(code):
            info = zipfile.ZipInfo(zip_name(name), date_time=(2024, 1, 1, 0, 0, 0))
            archive.writestr(info, po_bytes(code, name), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


#: A language's zip may hold this many catalogs (documents and the interface).
MAX_ZIP_MEMBERS = 20_000


def zip_as_po(code: str, data: bytes) -> bytes:
    """The ``.po`` files of an uploaded zip as one ``.po`` (entries are found by their
    text, whatever catalog they came from). Raises ``ValueError`` for a broken zip."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = [i for i in archive.infolist() if i.filename.endswith(".po")]
        if not members or len(members) > MAX_ZIP_MEMBERS:
            raise ValueError(gettext("Die ZIP-Datei enthält keine PO-Dateien."))
        combined = None
        for info in members:
            catalog = read_po(BytesIO(archive.read(info)), abort_invalid=True)
            if combined is None:
                combined = catalog
                continue
            if _locale_of(catalog) != _locale_of(combined):
                combined = Catalog(locale="und")  # reported as the wrong language below
                break
            for message in catalog:
                if message.id and combined.get(message.id, message.context) is None:
                    combined[message.id] = message
    except (zipfile.BadZipFile, PoFileError, UnicodeDecodeError, KeyError, IndexError) as error:
        raise ValueError(str(error)) from error
    buffer = BytesIO()
    write_po(buffer, combined, width=0)
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
    if data[:4] == b"PK\x03\x04":  # a language's whole set (zip_bytes)
        try:
            data = zip_as_po(code, data)
        except ValueError as error:
            report.errors.append(gettext("Die ZIP-Datei ist ungültig: %(error)s", error=error))
            return report
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
    """Write the browser edits of ``code`` into its ``.po`` files (every catalog with an
    override) and compile them; returns the number of overrides written. The database
    keeps them (other instances may still run the old files); an override equal to the
    file changes nothing."""
    from ..i18n import translations_dir
    from ..i18n.catalogs import compile_content

    view = load_catalog_view(code)
    written = sum(1 for entry in view.entries if entry.overridden)
    touched = sorted({entry.catalog for entry in view.entries if entry.overridden})
    for name in touched:
        catalog = merged_catalog(code, catalog=name)
        mo = compile_catalog(catalog)
        buffer = BytesIO()
        write_po(buffer, catalog, width=0, include_previous=True)
        path = po_path(app, code, name)
        write_atomically(path, buffer.getvalue())
        if name == INTERFACE:
            write_atomically(path[: -len(".po")] + ".mo", mo)
    if any(name != INTERFACE for name in touched):
        compile_content(translations_dir(app), code, force=True)
    return written
