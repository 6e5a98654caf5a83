"""One catalog per content document and language (as ``sphinx-intl`` does for the Python docs).

Layout::

    translations/<locale>/LC_MESSAGES/messages.po              interface strings
    translations/<locale>/LC_MESSAGES/content/<dir>/<slug>.po  texts of content/<dir>/<slug>.md
    translations/<locale>/LC_MESSAGES/content.mo               all content catalogs, compiled
    translations/content-sources.json                          hash of each source file
    translations/content-stat.json      (local) size, time and hash of each file when hashed
    translations/<locale>/LC_MESSAGES/content.list  (local) what content.mo was made from

``python -m webapp.i18n.catalogs translations`` is ``make translations``: ``update``, the
interface catalogs (:mod:`webapp.i18n.interface`), then ``compile``, each only where its
sources changed. ``update`` extracts only the documents whose file changed since the last
update (the stamp holds a hash of each file; a file whose size and time are unchanged is not
read again), updates their catalogs with fuzzy matching *within the document* (a paragraph's
old version is in the same document) and keeps the old source of a changed entry
(``#| msgid``). ``compile`` (``make catalogs``) compiles each ``messages.po`` and writes
``content.mo`` per locale, each only when its catalogs changed; the runtime loads
``messages.mo`` and ``content.mo``. ``split`` is the one-time migration from one
``messages.po`` per locale (see :func:`split_monolithic`).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import struct
import sys
import time
from collections.abc import Iterable
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, unescape, write_po

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ("de", "de@ls", "en")
DOMAIN = "messages"
CONTENT = "content"  # the folder of the document catalogs below LC_MESSAGES, and the .mo's name
STAMP = "content-sources.json"
#: Raise when the extraction changes: every document is extracted again.
EXTRACTION_VERSION = "1"
HEADER = {
    "project": "Sozialberichte NRW",
    "version": "1",
    "copyright_holder": "Ministerium für Arbeit, Gesundheit und Soziales NRW",
}


# --- paths ------------------------------------------------------------------------------


def locale_dir(directory: str | os.PathLike, code: str) -> Path:
    return Path(directory) / code / "LC_MESSAGES"


def document_po(directory: str | os.PathLike, code: str, source: str) -> Path:
    """``content/aktuelles/x.md`` → ``<directory>/<code>/LC_MESSAGES/content/aktuelles/x.po``."""
    return locale_dir(directory, code) / (str(Path(source).with_suffix(".po")))


def document_name(po: Path, base: Path) -> str:
    """The catalog name of a document catalog: its source file, ``content/aktuelles/x.md``."""
    return str(po.relative_to(base).with_suffix(".md")).replace(os.sep, "/")


def scan(folder: str | os.PathLike, suffix: str) -> dict[str, os.DirEntry]:
    """``{"<kind>/<stem>": entry}`` of the files ``<folder>/<kind>/<stem><suffix>``, sorted;
    hidden files and folders (``.tmp-…`` of an interrupted write) left out, as ``glob`` does.
    One ``scandir`` per folder and no path objects: this runs over every document."""
    found = {}
    try:
        kinds = [e for e in os.scandir(folder) if e.is_dir() and not e.name.startswith(".")]
    except FileNotFoundError:
        return {}
    for kind in kinds:
        for entry in os.scandir(kind.path):
            name = entry.name
            if name.endswith(suffix) and not name.startswith(".") and entry.is_file():
                found[f"{kind.name}/{name[: -len(suffix)]}"] = entry
    return dict(sorted(found.items()))


def document_catalogs(directory: str | os.PathLike, code: str) -> dict[str, Path]:
    """``{source file: .po path}`` of every document catalog of ``code``, sorted by name."""
    folder = os.path.join(locale_dir(directory, code), CONTENT)
    return {f"{CONTENT}/{key}.md": Path(entry.path) for key, entry in scan(folder, ".po").items()}


# --- reading and writing ----------------------------------------------------------------


def previous_from_comments(message: Message) -> str | None:
    """The old source kept as ``#| msgid`` (Babel's ``read_po`` leaves it in the comments)."""
    lines = [c[1:].strip() for c in message.user_comments if c.startswith("|")]
    lines = [line for line in lines if not line.startswith("msgctxt")]
    if not lines or not lines[0].startswith("msgid "):
        return None
    lines[0] = lines[0][len("msgid ") :]
    end = next((i for i, line in enumerate(lines) if line.startswith("msgid_plural")), None)
    lines = lines[:end]
    quoted = [line for line in lines if len(line) > 1 and line[0] == line[-1] == '"']
    if len(quoted) == len(lines):
        return "".join(unescape(line) for line in lines) or None
    joined = " ".join(lines)
    return unescape(joined) if joined.startswith('"') and joined.endswith('"') else None


def read_catalog(path: Path, code: str | None = None) -> Catalog:
    """A ``.po`` file with ``#| msgid`` lines turned back into ``previous_id``."""
    with open(path, "rb") as handle:
        catalog = read_po(handle, locale=code)
    for message in catalog:
        if message.id and any(c.startswith("|") for c in message.user_comments):
            previous = previous_from_comments(message)
            message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
            if previous and message.fuzzy:
                message.previous_id = [previous]
    return catalog


def catalog_bytes(catalog: Catalog) -> bytes:
    buffer = BytesIO()
    write_po(buffer, catalog, width=0, include_previous=True, ignore_obsolete=True)
    return buffer.getvalue()


def write_if_changed(path: Path, data: bytes) -> bool:
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    temp.write_bytes(data)
    os.replace(temp, path)
    return True


def new_catalog(code: str) -> Catalog:
    return Catalog(locale=code, fuzzy=False, **HEADER)


# --- extraction and update --------------------------------------------------------------


def source_hash(path: Path) -> str:
    digest = hashlib.sha256(EXTRACTION_VERSION.encode())
    digest.update(path.read_bytes())
    return digest.hexdigest()


def document_template(path: Path, content_root: Path) -> Catalog:
    """The messages of one content file, as ``pybabel extract`` would write them."""
    from ..content import load_document
    from .extract import document_messages

    doc = load_document(path, content_root)
    raw = path.read_text("utf-8")
    template = Catalog(fuzzy=False, **HEADER)
    source = doc.source.replace(os.sep, "/")
    for line, _func, text, comments in document_messages(doc, raw):
        existing = template.get(text)
        if existing is not None:
            existing.locations.append((source, line))
            continue
        template.add(text, locations=[(source, line)], auto_comments=comments)
    return template


def update_document(template: Catalog, po: Path, code: str) -> bool:
    """Update (or create) one document's catalog of ``code``; True when the file changed."""
    if po.exists():
        catalog = read_catalog(po, code)
        previous = {m.id: list(m.previous_id) for m in catalog if m.id and m.previous_id}
        catalog.update(template, no_fuzzy_matching=False, update_header_comment=False)
        for message in catalog:  # an exact match keeps its old source while it is fuzzy
            if message.id in previous and message.fuzzy and not message.previous_id:
                message.previous_id = previous[message.id]
    else:
        catalog = new_catalog(code)
        catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    data = catalog_bytes(catalog)
    data = _stable_dates(data, po)
    return write_if_changed(po, data)


_DATE = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date): [^"]*"$', re.M)


def _stable_dates(data: bytes, po: Path) -> bytes:
    """Keep the header dates of the file on disk: a run that changes no message changes
    no file (clean diffs, and the compile step sees nothing new)."""
    try:
        old = po.read_bytes()
    except FileNotFoundError:
        return data
    dates = {m.group(1): m.group(0) for m in _DATE.finditer(old[:2000])}

    def keep(match):
        return dates.get(match.group(1), match.group(0))

    return _DATE.sub(keep, data)


def content_sources(content_root: Path) -> dict[str, Path]:
    """``{"content/aktuelles/x.md": path}`` of every content file."""
    root = Path(content_root)
    return {f"{root.name}/{key}.md": Path(e.path) for key, e in scan(root, ".md").items()}


def _read_stamp(directory: Path) -> dict:
    try:
        return json.loads((directory / STAMP).read_text("utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


#: Local (not committed): size, modification time and hash of each content file when it was
#: last hashed, so an unchanged file is not read again (as git's index does).
STAT_CACHE = "content-stat.json"
#: A file modified less than this before it was hashed is hashed again next time: a later
#: change within the file system's timestamp granularity could keep its time and size.
RACY_NS = 2_000_000_000


def _read_stat_cache(directory: Path) -> dict:
    try:
        cache = json.loads((directory / STAT_CACHE).read_text("utf-8"))
    except (FileNotFoundError, ValueError):
        return {}
    if not isinstance(cache, dict) or cache.get("extraction") != EXTRACTION_VERSION:
        return {}
    files = cache.get("files")
    return files if isinstance(files, dict) else {}


def _hashes(sources: dict[str, os.DirEntry], prefix: str, directory: Path, force: bool) -> dict:
    """``{name: hash}`` of the content files; a file whose size and modification time are
    those recorded when it was hashed (and not racily close to it) is not read again."""
    cache = {} if force else _read_stat_cache(directory)
    started = time.time_ns()
    hashes, files = {}, {}
    for key, entry in sources.items():
        name = f"{prefix}/{key}.md"
        info = entry.stat()
        known = cache.get(name)
        if (
            isinstance(known, list)
            and len(known) == 3
            and known[:2] == [info.st_size, info.st_mtime_ns]
            and info.st_mtime_ns < started - RACY_NS
        ):
            digest = known[2]
        else:
            digest = source_hash(Path(entry.path))
        hashes[name] = digest
        files[name] = [info.st_size, info.st_mtime_ns, digest]
    data = {"extraction": EXTRACTION_VERSION, "files": files}
    write_if_changed(directory / STAT_CACHE, json.dumps(data, sort_keys=True).encode("utf-8"))
    return hashes


def update_all(
    content_root: Path,
    directory: Path,
    locales: Iterable[str] = LOCALES,
    force: bool = False,
) -> dict:
    """Bring every document catalog up to date with its source; returns counts.

    Work grows with the documents that changed: the unchanged ones cost a directory entry,
    a ``stat`` and a look-up in the stamp (their files are not read, see :func:`_hashes`)."""
    directory, content_root = Path(directory), Path(content_root)
    directory.mkdir(parents=True, exist_ok=True)
    locales = tuple(locales)
    stamp = {} if force else _read_stamp(directory)
    prefix = content_root.name
    sources = scan(content_root, ".md")
    existing = {  # the document catalogs (below LC_MESSAGES/content/, as document_po says)
        code: scan(os.path.join(locale_dir(directory, code), prefix), ".po") for code in locales
    }
    fresh = _hashes(sources, prefix, directory, force)
    result = {"documents": len(sources), "extracted": 0, "written": 0, "removed": 0}
    for key, entry in sources.items():
        name = f"{prefix}/{key}.md"
        if stamp.get(name) == fresh[name] and all(key in existing[code] for code in locales):
            continue
        template = document_template(Path(entry.path), content_root)
        result["extracted"] += 1
        for code in locales:
            result["written"] += update_document(template, document_po(directory, code, name), code)
    for code in locales:  # catalogs of documents that no longer exist
        for key, entry in existing[code].items():
            if key not in sources:
                os.unlink(entry.path)
                Path(entry.path).with_suffix(".mo").unlink(missing_ok=True)
                result["removed"] += 1
    write_if_changed(
        directory / STAMP,
        (json.dumps(fresh, indent=1, sort_keys=True) + "\n").encode("utf-8"),
    )
    return result


def stale_documents(content_root: Path, directory: Path) -> list[str]:
    """Documents whose catalogs were made from another version of the file."""
    stamp = _read_stamp(Path(directory))
    return [
        name
        for name, path in content_sources(Path(content_root)).items()
        if stamp.get(name) != source_hash(path)
    ]


# --- compiling and reading a whole language ---------------------------------------------


def compiled_path(directory: str | os.PathLike, code: str) -> Path:
    return locale_dir(directory, code) / f"{CONTENT}.mo"


def read_mo(data: bytes) -> dict[bytes, bytes]:
    """The entries of a GNU ``.mo`` file as raw bytes, ``{msgid: msgstr}`` (a context is
    part of the key, ``context\x04msgid``; plural forms are ``\x00``-joined). Unlike
    :class:`gettext.GNUTranslations` it neither decodes nor compiles the plural rule: the
    merge of a language's document catalogs only copies entries."""
    if len(data) < 28:
        raise ValueError("not a .mo file")
    (magic,) = struct.unpack("<I", data[:4])
    order = "<" if magic == 0x950412DE else ">"
    if struct.unpack(order + "I", data[:4])[0] != 0x950412DE:
        raise ValueError("not a .mo file")
    _version, count, keys, values = struct.unpack(order + "4I", data[4:20])
    key_table = struct.unpack(f"{order}{2 * count}I", data[keys : keys + 8 * count])
    value_table = struct.unpack(f"{order}{2 * count}I", data[values : values + 8 * count])
    entries = {}
    for i in range(0, 2 * count, 2):
        key_length, key_offset = key_table[i], key_table[i + 1]
        value_length, value_offset = value_table[i], value_table[i + 1]
        key = data[key_offset : key_offset + key_length]
        entries[key] = data[value_offset : value_offset + value_length]
    return entries


def write_mo_entries(entries: dict[bytes, bytes]) -> bytes:
    """A GNU ``.mo`` file of raw entries (the header is the entry with the empty key), keys
    sorted as ``gettext`` expects; the layout of Babel's ``write_mo``."""
    keys = sorted(entries)
    ids = b"".join(key + b"\0" for key in keys)
    strs = b"".join(entries[key] + b"\0" for key in keys)
    key_start = 7 * 4 + 16 * len(keys)
    value_start = key_start + len(ids)
    key_table, value_table = [], []
    key_offset = value_offset = 0
    for key in keys:
        value = entries[key]
        key_table += [len(key), key_start + key_offset]
        value_table += [len(value), value_start + value_offset]
        key_offset += len(key) + 1
        value_offset += len(value) + 1
    header = struct.pack("<7I", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + 8 * len(keys), 0, 0)
    tables = struct.pack(f"<{4 * len(keys)}I", *key_table, *value_table)
    return header + tables + ids + strs


#: The dates in ``content.mo``'s header: fixed, so the same catalogs give the same file.
COMPILED_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def _mo_header(code: str) -> bytes:
    """The header entry Babel writes for a language's catalog (charset, plural forms)."""
    buffer = BytesIO()
    dates = {"creation_date": COMPILED_DATE, "revision_date": COMPILED_DATE}
    write_mo(buffer, Catalog(locale=code, fuzzy=False, **HEADER, **dates))
    return read_mo(buffer.getvalue())[b""]


def compile_document(po: str | os.PathLike) -> bytes:
    """The ``.mo`` of one document catalog, rebuilt unless it was made from this very file:
    the ``.mo`` carries its ``.po``'s modification time (to the nanosecond), so any change of
    the ``.po`` — newer, or an older file put back — and a missing ``.mo`` rebuild it."""
    po = os.fspath(po)
    mo = po[: -len(".po")] + ".mo"
    source = os.stat(po).st_mtime_ns
    try:
        if os.stat(mo).st_mtime_ns == source:
            with open(mo, "rb") as handle:
                return handle.read()
    except FileNotFoundError:
        pass
    with open(po, "rb") as handle:
        catalog = read_po(handle)
    buffer = BytesIO()
    write_mo(buffer, catalog)  # fuzzy entries are left out, as pybabel compile does
    data = buffer.getvalue()
    write_if_changed(Path(mo), data)
    os.utime(mo, ns=(source, source))
    return data


def _fingerprint(files: dict[str, os.DirEntry], target: Path) -> str:
    """What ``content.mo`` was made from: each document catalog's name, size and
    modification time, and the ``content.mo`` written from them (a ``stat`` per file, no
    reading)."""
    lines = []
    for key, entry in files.items():
        info = entry.stat()
        lines.append(f"{key} {info.st_size} {info.st_mtime_ns}")
    try:
        info = target.stat()
        lines.append(f"{target.name} {info.st_size} {info.st_mtime_ns}")
    except FileNotFoundError:
        lines.append(f"{target.name} missing")
    return "\n".join(lines) + "\n"


def compile_content(directory: str | os.PathLike, code: str, force: bool = False) -> bool:
    """``content.mo`` of ``code``: every translated, non-fuzzy entry of the document
    catalogs, merged from one ``.mo`` per document (each rebuilt only when its ``.po``
    changed; a text in several documents takes the first document's translation). Written
    only when a catalog, the set of catalogs or ``content.mo`` itself changed since the last
    run (recorded in ``content.list``)."""
    files = scan(os.path.join(locale_dir(directory, code), CONTENT), ".po")
    target = compiled_path(directory, code)
    listing = target.with_suffix(".list")
    if not files:
        target.unlink(missing_ok=True)
        listing.unlink(missing_ok=True)
        return False
    try:
        recorded = listing.read_text("utf-8")
    except FileNotFoundError:
        recorded = None
    if not force and recorded == _fingerprint(files, target):
        return False
    combined = {b"": _mo_header(code)}
    for entry in files.values():
        if force:
            Path(entry.path).with_suffix(".mo").unlink(missing_ok=True)
        for key, text in read_mo(compile_document(entry.path)).items():
            # Content texts have no plural forms (the extractor yields single texts).
            if key and text and b"\0" not in key:
                combined.setdefault(key, text)
    write_if_changed(target, write_mo_entries(combined))
    listing.write_text(_fingerprint(files, target), "utf-8")
    return True


def read_language(directory: str | os.PathLike, code: str) -> Catalog | None:
    """All catalogs of ``code`` (interface and every document) as one catalog: what the
    status command, the Leichte Sprache check and the tests read. A text in several
    catalogs appears once, with all its locations."""
    base = locale_dir(directory, code)
    paths = [base / f"{DOMAIN}.po"] if (base / f"{DOMAIN}.po").exists() else []
    paths += list(document_catalogs(directory, code).values())
    if not paths:
        return None
    merged = None
    for path in paths:
        catalog = read_catalog(path, code)
        if merged is None:
            merged = catalog
            continue
        for message in catalog:
            if not message.id:
                continue
            existing = merged.get(message.id, message.context)
            if existing is None:
                merged[message.id] = message
            else:
                existing.locations = list(dict.fromkeys(existing.locations + message.locations))
    return merged


# --- the one-time migration -------------------------------------------------------------


def _blocks(text: str) -> list[str]:
    """A ``.po`` file's entries as raw text (blank-line separated), header first."""
    return [block for block in re.split(r"\n[ \t]*\n", text.strip("\n")) if block.strip()]


def _locations(block: str) -> list[str]:
    return [ref for line in block.splitlines() if line.startswith("#:") for ref in line[2:].split()]


def _with_locations(block: str, refs: list[str]) -> str:
    lines = block.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("#:"))
    kept = [line for line in lines if not line.startswith("#:")]
    if refs:
        kept[first:first] = ["#: " + " ".join(refs)]
    return "\n".join(kept)


def _source_of(ref: str) -> str:
    return ref.rsplit(":", 1)[0] if re.search(r":\d+$", ref) else ref


def split_text(text: str) -> tuple[str, dict[str, str]]:
    """Split a monolithic catalog's text into the interface catalog and one text per
    content file. Entries are copied verbatim (translation, flags, translator and
    extracted comments, ``#| msgid``); only their ``#:`` lines are divided. An entry used
    by the interface and by documents is kept in each of them; obsolete (``#~``) entries
    stay in the interface catalog."""
    blocks = _blocks(text)
    header, entries = blocks[0], blocks[1:]
    interface = [header]
    documents: dict[str, list[str]] = {}
    for block in entries:
        refs = _locations(block)
        content = [r for r in refs if _source_of(r).startswith(CONTENT + "/")]
        if not content:
            interface.append(block)
            continue
        other = [r for r in refs if r not in content]
        by_doc: dict[str, list[str]] = {}
        for ref in content:
            by_doc.setdefault(_source_of(ref), []).append(ref)
        for name, doc_refs in by_doc.items():
            documents.setdefault(name, [header]).append(_with_locations(block, doc_refs))
        if other:
            interface.append(_with_locations(block, other))
    join = "\n\n".join
    return join(interface) + "\n", {name: join(b) + "\n" for name, b in sorted(documents.items())}


def split_monolithic(directory: str | os.PathLike, locales: Iterable[str] = LOCALES) -> dict:
    """The migration: move every content entry of ``<locale>/LC_MESSAGES/messages.po`` into
    its document's catalog (replacing that catalog), leave the interface entries. Runs again
    without harm (a catalog without content entries changes nothing); the same input gives
    the same files."""
    counts = {}
    for code in locales:
        po = locale_dir(directory, code) / f"{DOMAIN}.po"
        if not po.exists():
            continue
        interface, documents = split_text(po.read_text("utf-8"))
        for name, text in documents.items():
            write_if_changed(document_po(directory, code, name), text.encode("utf-8"))
        write_if_changed(po, interface.encode("utf-8"))
        counts[code] = len(documents)
    if any(counts.values()):  # the next `make translations` brings every document up to date
        (Path(directory) / STAMP).unlink(missing_ok=True)
    return counts


def content_entries_left(directory: str | os.PathLike, code: str) -> int:
    po = locale_dir(directory, code) / f"{DOMAIN}.po"
    if not po.exists():
        return 0
    text = po.read_text("utf-8")
    return sum(
        1
        for block in _blocks(text)[1:]
        if any(_source_of(r).startswith(CONTENT + "/") for r in _locations(block))
    )


# --- command line -----------------------------------------------------------------------


def refuse_content_in_interface(directory: Path) -> bool:
    """True (and a message) while a ``messages.po`` still holds content texts: updating it
    from the interface template would drop them, so nothing may run before the split."""
    left = {code: content_entries_left(directory, code) for code in LOCALES}
    if not any(left.values()):
        return False
    print(
        "messages.po still holds content texts "
        + ", ".join(f"{c}: {n}" for c, n in left.items() if n)
        + ": run `python -m webapp.i18n.catalogs split` first (nothing changed)",
        file=sys.stderr,
    )
    return True


def update_interface(
    directory: Path, locales: Iterable[str] = LOCALES, force: bool = False, root: Path = ROOT
) -> dict:
    """``messages.pot`` and each ``messages.po``, where their sources changed
    (:func:`webapp.i18n.interface.update`)."""
    from . import interface

    return interface.update(directory, locales, force=force, root=root)


def compile_all(directory: Path, locales: Iterable[str] = LOCALES, force: bool = False) -> list:
    """``make catalogs``: each ``messages.mo`` and ``content.mo`` whose catalogs changed;
    returns the files written."""
    from . import interface

    written = [
        interface.po_path(directory, code).with_suffix(".mo")
        for code in interface.compile_all(directory, locales, force=force)
    ]
    for code in locales:
        if compile_content(directory, code, force=force):
            written.append(compiled_path(directory, code))
    return written


def make_translations(
    content_root: Path,
    directory: Path,
    locales: Iterable[str] = LOCALES,
    force: bool = False,
    root: Path = ROOT,
    report=print,
) -> None:
    """``make translations``: the document catalogs, the interface catalogs, then compile,
    each step only where its sources changed (``force``: everything again)."""
    started = time.perf_counter()
    result = update_all(content_root, directory, locales, force=force)
    report(
        f"content catalogs: {result['documents']} documents, {result['extracted']} "
        f"extracted, {result['written']} files written, {result['removed']} removed "
        f"({time.perf_counter() - started:.1f} s)"
    )
    started = time.perf_counter()
    result = update_interface(directory, locales, force=force, root=root)
    if not result["extracted"]:
        what = "sources unchanged"
    elif result["template_written"]:
        what = "messages.pot extracted and written"
    else:
        what = "messages.pot extracted, unchanged"
    updated = ", ".join(result["updated"]) or "none"
    report(
        f"interface catalogs: {what}; messages.po updated: {updated} "
        f"({time.perf_counter() - started:.1f} s)"
    )
    for path in compile_all(directory, locales, force=force):
        report(f"compiled {path}")


def main(argv: list[str] | None = None) -> int:
    """``update``: the document catalogs; ``interface``: ``messages.pot`` and each
    ``messages.po``; ``compile``: every ``.mo``; ``translations`` (``make translations``):
    all three. Each step works only where its sources changed; ``--force`` redoes all."""
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv else "update"
    force = "--force" in argv
    directory = Path(os.environ.get("TRANSLATIONS_DIR", ROOT / "translations"))
    content_root = Path(os.environ.get("CONTENT_DIR", ROOT / "content"))
    started = time.perf_counter()
    if command in ("update", "interface", "translations") and refuse_content_in_interface(
        directory
    ):
        return 2
    if command == "translations":
        make_translations(content_root, directory, force=force)
        print(f"translations up to date ({time.perf_counter() - started:.1f} s)")
    elif command == "update":
        result = update_all(content_root, directory, force=force)
        print(
            f"content catalogs: {result['documents']} documents, {result['extracted']} "
            f"extracted, {result['written']} files written, {result['removed']} removed "
            f"({time.perf_counter() - started:.1f} s)"
        )
    elif command == "interface":
        print(update_interface(directory, force=force))
    elif command == "compile":
        for path in compile_all(directory, force=force):
            print(f"compiled {path}")
    elif command == "split":
        counts = split_monolithic(directory)
        for code, number in counts.items():
            print(f"{code}: content texts moved into {number} document catalogs")
    else:
        print(
            "usage: python -m webapp.i18n.catalogs "
            "translations | update | interface | compile [--force] | split"
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
