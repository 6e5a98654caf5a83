"""How far a German document is translated: the one hook between publishing and the
translation catalogs (which are being restructured: keep this the only place that asks).

A block (title, summary, paragraph, heading, list item …) counts as translated for a language
when the language's own catalog — ``.po`` plus the browser's overrides — has it; a new or
changed German block is not in it, so the Leichte Sprache and English pages show it in
German, marked ``lang="de"``, with the notice (:func:`webapp.texts.untranslated`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from flask_babel import force_locale
from sqlalchemy import func, select

from ..content import Document, document_from_text
from ..db import db
from ..editor.catalog import EDITABLE, SLUGS, language_name
from ..i18n import get_domain_translations
from ..i18n.extract import document_messages
from . import store
from .cli import file_text
from .fields import catalog_name, target_file
from .models import ContentDocument, ContentRevision


@dataclass
class LanguageStatus:
    code: str
    slug: str
    name: str
    total: int
    missing: list[str]
    catalog: str = ""  # the document's catalog: the entry list's filter (``datei``)

    @property
    def complete(self) -> bool:
        return not self.missing


def translation_status(doc: Document) -> list[LanguageStatus]:
    """Per editable language: how many of the document's German blocks lack a translation."""
    blocks = doc.msgids()
    found = []
    for code in EDITABLE:
        with force_locale(code):
            messages = getattr(get_domain_translations(), "_catalog", None) or {}
            missing = [m for m in blocks if m not in messages]
            name = str(language_name(code))
        found.append(LanguageStatus(code, SLUGS[code], name, len(blocks), missing, doc.source))
    return found


# --- the browser's documents in the translation catalogs ---------------------------------


@dataclass(frozen=True)
class Text:
    """One text of a document as the extractor yields it (``make translations``)."""

    msgid: str
    line: int
    comments: tuple[str, ...]


@dataclass
class BrowserSource:
    """What the editors' catalog of one browser-made (or browser-changed) document holds
    before ``flask content export`` and ``make translations`` put it into a file."""

    name: str  # the catalog's name: the document's file(-to-be), content/aktuelles/x.md
    texts: list[Text]  # the newest revision's, then the scheduled and published ones' others
    keep_file: bool  # visitors still see the file (nothing published yet): its texts stay
    earlier: list[str]  # texts of its earlier revisions (newest first): old sources


SOURCES_KEY = "sozialberichte.browser_sources"
TEXTS_KEY = "sozialberichte.revision_texts"


def browser_sources(app: Flask) -> dict[str, BrowserSource]:
    """``{catalog name: BrowserSource}`` of every document of the database that is not
    deleted, in the same extraction as ``make translations`` (so msgids, lines and comments
    match). Built again only when the served content (its revision) or the newest revision
    changed: one small query per call otherwise. Revisions never change, so each one's texts
    are extracted once per process."""
    served = app.extensions[store.CONTENT_KEY]
    newest = db.session.scalar(select(func.max(ContentRevision.id)))
    key = (served.revision, newest)
    cached = app.extensions.get(SOURCES_KEY)
    if cached is not None and cached[0] == key:
        return cached[1]
    sources = _build_sources(app)
    app.extensions[SOURCES_KEY] = (key, sources)
    return sources


def _build_sources(app: Flask) -> dict[str, BrowserSource]:
    content_dir = store.files(app).root
    at = store.now(app)
    rows = [r for r in db.session.scalars(select(ContentDocument)) if r.deleted_at is None]
    if not rows:
        return {}
    listed = db.session.execute(
        select(ContentRevision.id, ContentRevision.document_id, ContentRevision.created_at)
        .where(ContentRevision.document_id.in_([r.id for r in rows]))
        .order_by(ContentRevision.id.desc())
    ).all()
    cache: dict = app.extensions.setdefault(TEXTS_KEY, {})
    # A revision is known by its id and time (SQLite may give a deleted row's id again).
    missing = [rid for rid, _doc, at_ in listed if (rid, str(at_)) not in cache]
    data = {}
    for start in range(0, len(missing), 500):
        chunk = missing[start : start + 500]
        query = select(ContentRevision.id, ContentRevision.data)
        data.update(db.session.execute(query.where(ContentRevision.id.in_(chunk))).all())
    by_id = {row.id: row for row in rows}
    revisions: dict[int, list[tuple[int, list[Text]]]] = {}
    for rid, doc_id, created in listed:
        if (rid, str(created)) not in cache:
            cache[(rid, str(created))] = revision_texts(by_id[doc_id], data[rid], content_dir)
        revisions.setdefault(doc_id, []).append((rid, cache[(rid, str(created))]))
    sources = {}
    for row in rows:
        texts_of = dict(revisions.get(row.id, []))
        live = store.effective_revision(row, at)
        current: dict[str, Text] = {}
        for rid in (row.latest_revision_id, row.scheduled_revision_id, live):
            for text in texts_of.get(rid, []):
                current.setdefault(text.msgid, text)
        earlier = [
            text.msgid
            for _rid, texts in revisions.get(row.id, [])
            for text in texts
            if text.msgid not in current
        ]
        name = catalog_name(row, content_dir)
        sources[name] = BrowserSource(
            name=name,
            texts=list(current.values()),
            keep_file=live is None and row.source_file is not None,
            earlier=list(dict.fromkeys(earlier)),
        )
    return sources


def revision_texts(row: ContentDocument, data: dict, content_dir: Path) -> list[Text]:
    """The texts of one revision, extracted from the file ``flask content export`` would
    write for it, as :func:`webapp.i18n.catalogs.document_template` extracts a file."""
    path = target_file(row, content_dir)
    try:
        raw = file_text(row, data)
        doc = document_from_text(raw, path, content_dir)
    except (ValueError, KeyError, TypeError):  # not a document (yet): nothing to translate
        return []
    found: dict[str, Text] = {}
    for line, _func, text, comments in document_messages(doc, raw):
        found.setdefault(text, Text(text, line, tuple(comments)))
    return list(found.values())
