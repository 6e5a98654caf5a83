"""The catalogs as editors see them: the repository's ``.po`` files with the translations
saved in the browser (database overrides) laid on top.

A language has several catalogs (:mod:`webapp.i18n.catalogs`): ``messages`` for the
interface strings and one per content document (named by its file,
``content/seiten/hilfen.md``). Every entry knows its catalog (``Entry.catalog``). The
``messages.pot`` lists the current interface sources; a document catalog is updated from its
document by ``make translations`` and so is its own list of sources. An override whose msgid
is in no catalog is *obsolete*. An entry whose ``.po`` record carries ``#| msgid`` has a
changed source until an editor saves it again.

A German document made or changed in the browser (:mod:`webapp.publishing`) is here at once,
before ``flask content export`` and ``make translations`` write its files: its catalog (named
by its file-to-be) holds its current texts, the file's entries where the file has them, new
ones untranslated or — where an old version had a translation — fuzzy with it and the old
source, as ``pybabel update --previous`` will write them (:func:`browser_entries`).

Parsed catalogs and the entries made from them are cached until their file changes, so the
overview and the lists stay fast with thousands of documents.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import os
import threading
from dataclasses import dataclass, field
from io import BytesIO

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, unescape
from babel.support import Translations
from flask import Flask, current_app
from sqlalchemy import select

from ..db import db
from ..i18n import BY_CODE, translations_dir
from ..i18n.catalogs import document_catalogs, new_catalog
from .models import TranslationOverride

#: Languages editors maintain (German is the source).
EDITABLE = ("de@ls", "en")
#: URL slug of each editable language in the editors' area.
SLUGS = {"de@ls": "leichte-sprache", "en": "en"}
BY_SLUG = {slug: code for code, slug in SLUGS.items()}

UNTRANSLATED, FUZZY, TRANSLATED = "untranslated", "fuzzy", "translated"
#: The catalog name of the interface strings (``messages.po``).
INTERFACE = "messages"


def entry_key(msgid: str, msgctxt: str | None = None) -> str:
    """A short, stable name for an entry (msgids can be whole paragraphs)."""
    raw = (msgctxt or "") + "\x04" + msgid
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


def singular(msgid) -> str:
    return msgid[0] if isinstance(msgid, tuple | list) else msgid


@dataclass
class Entry:
    key: str
    msgid: str
    msgid_plural: str | None
    msgctxt: str | None
    msgstr: list[str]
    fuzzy: bool
    locations: list[tuple[str, int | None]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)  # translator and extracted comments
    flags: set[str] = field(default_factory=set)
    previous_id: str | None = None  # old German source (#| msgid) when it changed
    version: int = 0  # 0: the file's state; the override's version otherwise
    overridden: bool = False
    file_msgstr: list[str] = field(default_factory=list)
    file_changed: bool = False  # the .po changed after the browser edit (see apply_override)
    catalog: str = INTERFACE  # the catalog (file) of the entry: INTERFACE or a document

    @property
    def plural(self) -> bool:
        return self.msgid_plural is not None

    @property
    def status(self) -> str:
        if not any(self.msgstr) or not all(self.msgstr):
            return UNTRANSLATED
        return FUZZY if self.fuzzy else TRANSLATED

    @property
    def source_changed(self) -> bool:
        """The German source changed since the translation was made (``pybabel update
        --previous`` marks such an entry fuzzy and keeps the old source), not yet reviewed."""
        return bool(self.previous_id) and self.fuzzy

    @property
    def python_format(self) -> bool:
        return "python-format" in self.flags

    def haystack(self) -> str:
        """Source and translation, case-folded, for the entry list's search (cached; an
        override works on a copy and drops it)."""
        cached = self.__dict__.get("_haystack")
        if cached is None:
            text = " ".join([self.msgid, self.msgid_plural or "", *self.msgstr])
            cached = self.__dict__["_haystack"] = text.casefold()
        return cached

    @property
    def files(self) -> list[str]:
        return list(dict.fromkeys(name for name, _line in self.locations))

    def state(self) -> dict:
        """What the audit log records as old and new value."""
        return {"msgstr": list(self.msgstr), "fuzzy": bool(self.fuzzy)}


def po_path(app: Flask, code: str, catalog: str = INTERFACE) -> str:
    """The ``.po`` file of one catalog of ``code``."""
    if catalog == INTERFACE:
        return os.path.join(translations_dir(app), code, "LC_MESSAGES", "messages.po")
    if not catalog.endswith(".md") or ".." in catalog.split("/"):
        raise ValueError(catalog)
    name = catalog[: -len(".md")] + ".po"
    return os.path.join(translations_dir(app), code, "LC_MESSAGES", *name.split("/"))


_names_cache: dict[str, tuple[tuple, list[str]]] = {}


def catalog_names(code: str) -> list[str]:
    """The catalogs of ``code``: the interface first, then every document, by name
    (listed again only when a folder of document catalogs changed)."""
    base = os.path.join(translations_dir(current_app), code, "LC_MESSAGES", "content")
    try:
        folders = [base] + [e.path for e in os.scandir(base) if e.is_dir()]
    except FileNotFoundError:
        folders = []
    stamp = tuple((f, _stamp(f)) for f in folders)
    cached = _names_cache.get(base)
    if cached and cached[0] == stamp:
        names = cached[1]
    else:
        names = [INTERFACE, *document_catalogs(translations_dir(current_app), code)]
        _names_cache[base] = (stamp, names)
    browser = browser_sources()
    if any(name not in names for name in browser):  # documents not yet in a file
        return [INTERFACE, *sorted(set(names[1:]) | set(browser))]
    return names


def browser_sources() -> dict:
    """The catalogs of documents made or changed in the browser, from the database (see
    :func:`webapp.publishing.translations.browser_sources`): ``{name: BrowserSource}``."""
    from ..publishing.translations import browser_sources as sources

    return sources(current_app)


def pot_path(app: Flask) -> str:
    return os.path.join(translations_dir(app), "messages.pot")


_cache: dict[str, tuple[float, int, Catalog]] = {}
_cache_lock = threading.Lock()


def read_catalog_file(path: str, locale: str | None = None) -> Catalog | None:
    """A parsed ``.po``/``.pot`` file, cached until the file changes."""
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return None
    with _cache_lock:
        cached = _cache.get(path)
        if cached and cached[0] == stat.st_mtime and cached[1] == stat.st_size:
            return cached[2]
    with open(path, "rb") as handle:
        catalog = read_po(handle, locale=locale)
    with _cache_lock:
        _cache[path] = (stat.st_mtime, stat.st_size, catalog)
    return catalog


def file_catalog(code: str, catalog: str = INTERFACE) -> Catalog:
    found = read_catalog_file(po_path(current_app, code, catalog), locale=code)
    return found if found is not None else Catalog(locale=code)


def template_catalog() -> Catalog | None:
    return read_catalog_file(pot_path(current_app))


def overrides(code: str) -> dict[str, TranslationOverride]:
    rows = db.session.scalars(select(TranslationOverride).filter_by(locale=code))
    return {row.key: row for row in rows}


def _as_list(msgstr) -> list[str]:
    if isinstance(msgstr, tuple | list):
        return [s or "" for s in msgstr]
    return [msgstr or ""]


def previous_msgid(message: Message) -> str | None:
    """The old source of a changed entry (``#| msgid``, written by ``pybabel update
    --previous``). Babel's ``read_po`` keeps those lines as comments starting with ``|``
    (and a later ``write_po`` may wrap them like prose), so both forms are read."""
    if message.previous_id:
        return singular(message.previous_id)
    lines = [c[1:].strip() for c in message.user_comments if c.startswith("|")]
    lines = [line for line in lines if not line.startswith("msgctxt")]
    if not lines or not lines[0].startswith("msgid "):
        return None
    lines[0] = lines[0][len("msgid ") :]
    end = next((i for i, line in enumerate(lines) if line.startswith("msgid_plural")), None)
    lines = lines[:end]
    quoted = [line for line in lines if len(line) > 1 and line[0] == line[-1] == '"']
    if len(quoted) == len(lines):  # one quoted string per line, as gettext writes them
        return "".join(unescape(line) for line in lines) or None
    joined = " ".join(lines)  # one string wrapped at blanks
    return unescape(joined) if joined.startswith('"') and joined.endswith('"') else None


def _entry_from_message(message: Message, source: Message | None) -> Entry:
    msgid = singular(message.id)
    plural = message.id[1] if message.pluralizable else None
    info = source or message
    own = [c for c in message.user_comments if not c.startswith("|")]
    comments = own + list(info.auto_comments)
    previous = previous_msgid(message)
    msgstr = _as_list(message.string)
    if plural is not None and len(msgstr) < 2:
        msgstr += [""] * (2 - len(msgstr))
    return Entry(
        key=entry_key(msgid, message.context),
        msgid=msgid,
        msgid_plural=plural,
        msgctxt=message.context,
        msgstr=msgstr,
        fuzzy=message.fuzzy,
        locations=list(info.locations),
        comments=[c for c in comments if c],
        flags=set(message.flags) | set(info.flags),
        previous_id=previous,
        file_msgstr=list(msgstr),
    )


def apply_override(entry: Entry, row: TranslationOverride) -> Entry:
    entry.__dict__.pop("_haystack", None)
    entry.msgstr = list(row.msgstr)
    entry.fuzzy = row.fuzzy
    entry.version = row.version
    entry.overridden = True
    entry.file_changed = (
        row.base is not None and row.base != entry.file_msgstr and row.msgstr != entry.file_msgstr
    )
    return entry


@dataclass
class CatalogView:
    """All entries of one language, in catalog order, plus overrides that lost their source."""

    code: str
    entries: list[Entry]
    obsolete: list[TranslationOverride]

    def get(self, key: str) -> Entry | None:
        """The entry (a copy: callers may change it)."""
        found = next((e for e in self.entries if e.key == key), None)
        return copy.copy(found) if found is not None else None


_entries_cache: dict[tuple, tuple[tuple, list[Entry]]] = {}


def _stamp(path: str) -> tuple:
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        return (None,)
    return (stat.st_mtime_ns, stat.st_size)


def file_entries(code: str, catalog: str, path: str | None = None) -> list[Entry]:
    """The entries of one catalog file as read from disk (shared: never change them)."""
    app = current_app
    path = path or po_path(app, code, catalog)
    pot = pot_path(app) if catalog == INTERFACE else None
    stamp = (_stamp(path), _stamp(pot) if pot else None)
    cache_key = (path, code)
    with _cache_lock:
        cached = _entries_cache.get(cache_key)
    if cached and cached[0] == stamp:
        return cached[1]
    po = file_catalog(code, catalog)
    template = template_catalog() if catalog == INTERFACE else None
    sources = template if template is not None else po
    entries = []
    for source in sources:
        if not source.id:
            continue
        message = po.get(source.id, source.context) if template is not None else source
        if message is None:  # in the .pot, not yet in this language's .po
            message = Message(source.id, "" if not source.pluralizable else ("", ""))
            message.context = source.context
        entry = _entry_from_message(message, source)
        entry.catalog = catalog
        entries.append(entry)
    with _cache_lock:
        _entries_cache[cache_key] = (stamp, entries)
    return entries


_browser_cache: dict[tuple, tuple] = {}
#: How close an old source must be to be offered for a new one (``pybabel update``'s cutoff).
FUZZY_CUTOFF = 0.6


def browser_entries(code: str, name: str, file_list: list[Entry], source) -> tuple:
    """The entries of a document made or changed in the browser: per current text the
    file's entry where the file has it, else a new, untranslated one (with its location and
    comments as ``make translations`` will write them). ``(entries, suggestions, by_msgid)``:
    ``suggestions`` names, per new entry, the old sources close to it (earlier revisions,
    texts the file has and the document no longer has), closest first. Cached until the
    document's revision or its file changes (shared: never change the entries)."""
    cache_key = (id(current_app._get_current_object()), code, name)
    cached = _browser_cache.get(cache_key)
    if cached and cached[0] is source and cached[1] is file_list:
        return cached[2]
    by_msgid = {entry.msgid: entry for entry in file_list if entry.msgctxt is None}
    current = {text.msgid for text in source.texts}
    entries = list(file_list) if source.keep_file else []
    have = {entry.msgid for entry in entries}
    old = list(source.earlier) + [m for m in by_msgid if m not in current]
    fuzzy_keys = {}
    for candidate in dict.fromkeys(old):
        fuzzy_keys.setdefault(candidate.lower().strip(), candidate)
    suggestions: dict[str, list[str]] = {}
    for text in source.texts:
        if text.msgid in have:
            continue
        have.add(text.msgid)
        entry = by_msgid.get(text.msgid)
        if entry is None:
            entry = Entry(
                key=entry_key(text.msgid),
                msgid=text.msgid,
                msgid_plural=None,
                msgctxt=None,
                msgstr=[""],
                fuzzy=False,
                locations=[(name, text.line)],
                comments=list(text.comments),
                file_msgstr=[""],
                catalog=name,
            )
            close = difflib.get_close_matches(
                text.msgid.lower().strip(), fuzzy_keys, n=5, cutoff=FUZZY_CUTOFF
            )
            if close:
                suggestions[entry.key] = [fuzzy_keys[c] for c in close]
        entries.append(entry)
    result = (entries, suggestions, by_msgid)
    _browser_cache[cache_key] = (source, file_list, result)
    return result


def suggest(entry: Entry, old: list[str], rows: dict, by_msgid: dict[str, Entry]) -> Entry:
    """A new text whose old version had a translation: fuzzy, with that translation and the
    old source (as ``pybabel update --previous`` marks it), until an editor saves it."""
    for msgid in old:
        row = rows.get(entry_key(msgid))
        if row is not None:
            text = list(row.msgstr)
        else:
            found = by_msgid.get(msgid)
            text = list(found.msgstr) if found is not None else []
        if text and all(text):
            changed = copy.copy(entry)
            changed.msgstr, changed.fuzzy, changed.previous_id = text[:1], True, msgid
            if msgid in by_msgid:  # in the .po: `make translations` will suggest it there too,
                changed.file_msgstr = text[:1]  # so a save is not a "file changed" later
            return changed
    return entry


def load_view(code: str, catalog: str | None = None) -> CatalogView:
    """Every entry of ``code`` (or of one of its catalogs), overrides laid on top."""
    rows = overrides(code)
    entries: list[Entry] = []
    seen: set[str] = set()
    base = os.path.join(translations_dir(current_app), code, "LC_MESSAGES")
    names = catalog_names(code) if catalog is None else [catalog]
    browser = browser_sources()
    for name in names:
        path = None if name == INTERFACE else os.path.join(base, name[: -len(".md")] + ".po")
        found = file_entries(code, name, path)
        source = browser.get(name)
        suggestions: dict[str, list[str]] = {}
        by_msgid: dict[str, Entry] = {}
        if source is not None:  # the document as the browser made it: its texts now
            found, suggestions, by_msgid = browser_entries(code, name, found, source)
        seen.update(entry.key for entry in found)
        for entry in found:
            row = rows.get(entry.key)
            if row is not None:
                entry = apply_override(copy.copy(entry), row)
            elif entry.key in suggestions:
                entry = suggest(entry, suggestions[entry.key], rows, by_msgid)
            entries.append(entry)
    # Obsolete overrides are known only when every catalog was read.
    obsolete = [row for key, row in rows.items() if key not in seen] if catalog is None else []
    return CatalogView(code=code, entries=entries, obsolete=obsolete)


def merged_catalog(
    code: str, changes: dict[str, Entry] | None = None, catalog: str = INTERFACE
) -> Catalog:
    """One catalog's ``.po`` file with every override (and ``changes``) applied: what the
    download offers, what ``flask editor export`` writes and what a save must compile."""
    path = po_path(current_app, code, catalog)
    if os.path.exists(path):
        with open(path, "rb") as handle:
            merged = read_po(handle, locale=code)
    elif catalog != INTERFACE:  # a document not yet in a file: the header make translations writes
        merged = new_catalog(code)
    else:
        merged = Catalog(locale=code, fuzzy=False)
    for message in merged:  # `#| msgid` as babel read it back: the real thing again
        if message.id and any(c.startswith("|") for c in message.user_comments):
            previous = previous_msgid(message) if message.fuzzy else None
            message.previous_id = [previous] if previous else []
            message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
    changes = changes or {}
    entries = load_view(code, catalog).entries
    browser = catalog in browser_sources()
    if browser:  # the document as the browser made it: all its texts, and only those
        keys = {(entry.msgid, entry.msgctxt) for entry in entries}
        for message in list(merged):
            if message.id and (singular(message.id), message.context) not in keys:
                merged.delete(message.id, message.context)  # gone from the document
    for entry in entries:
        entry = changes.get(entry.key, entry)
        if not entry.overridden and not browser:
            continue
        message = merged.get(entry.msgid, entry.msgctxt)
        if message is None:
            message_id = (entry.msgid, entry.msgid_plural) if entry.plural else entry.msgid
            comments = entry.comments if browser else ()
            message = merged.add(
                message_id, context=entry.msgctxt, locations=entry.locations, auto_comments=comments
            )
            if not entry.overridden:  # new in the browser: as the entry list shows it
                message.string = tuple(entry.msgstr) if entry.plural else entry.msgstr[0]
                if entry.fuzzy:
                    message.flags.add("fuzzy")
                    message.previous_id = [entry.previous_id] if entry.previous_id else []
        if not entry.overridden:
            continue
        message.string = tuple(entry.msgstr) if entry.plural else entry.msgstr[0]
        message.flags.discard("fuzzy")
        if entry.fuzzy:
            message.flags.add("fuzzy")
        else:  # reviewed: the old source is no longer of interest
            message.previous_id = []
    return merged


def compile_catalog(catalog: Catalog) -> bytes:
    """The ``.mo`` bytes; raises when the catalog does not compile or load."""
    buffer = BytesIO()
    write_mo(buffer, catalog)
    data = buffer.getvalue()
    Translations(BytesIO(data))  # loads as the runtime would
    return data


def language_name(code: str) -> str:
    return BY_CODE[code].name
