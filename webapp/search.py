"""Full-text search over the content, per language: SQLite FTS5, built at start-up.

Each document's title, summary and text are rendered in each language (the same texts the
visitor reads, through the catalogs) and indexed with ``unicode61 remove_diacritics 2`` (so
"Foerder…"/"Förder…"/"Forder…" meet). A second column holds a folded spelling (ß → ss,
ä/ae → a, …) so "Strasse" finds "Straße" and "Foerderprogramm" finds "Förderprogramm".

A query is never passed to FTS5 as written: its words are extracted and each one is quoted
and matched as a prefix ("Sozialbericht" finds "Sozialberichterstattung"), so quotes, ``*``,
``NEAR``, ``-``, ``:``, parentheses or ``AND``/``OR``/``NOT`` are plain words. Snippets are
escaped first; only then are the match markers turned into ``<mark>``.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import unicodedata
from dataclasses import dataclass

from flask import Flask
from markupsafe import Markup, escape

from .content import ContentStore
from .i18n import ENVIRON_KEY, LANGUAGES

EXTENSION_KEY = "sozialberichte.search"
#: Set by the editors' area when translations change (webapp/editor/runtime.py).
REVISION_KEY = "sozialberichte.catalog_revision"
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
MAX_RESULTS = 50
#: Control characters that never occur in content: the snippet's match markers.
OPEN, CLOSE = "\x02", "\x03"
WORD = re.compile(r"[^\W_]+")
FOLDS = (("ß", "ss"), ("ae", "a"), ("oe", "o"), ("ue", "u"))


class QueryTooLong(ValueError):
    pass


@dataclass
class Hit:
    path: str
    title: str
    snippet: Markup


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text).replace(OPEN, " ").replace(CLOSE, " ")


def fold(text: str) -> str:
    """A spelling without diacritics, ß or ae/oe/ue, for matching only (never shown)."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for old, new in FOLDS:
        text = text.replace(old, new)
    return text


def terms(query: str) -> list[str]:
    """The words of a visitor's query (raises :class:`QueryTooLong` above 200 characters)."""
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryTooLong(query)
    return WORD.findall(normalise(query))[:MAX_TERMS]


def match_expression(words: list[str]) -> str:
    """Every word as a quoted prefix (a single letter as a whole word only), in its own or
    folded spelling; all words must match."""
    parts = []
    for word in words:
        variants = dict.fromkeys([word.casefold(), fold(word)])
        star = "*" if len(word) > 1 else ""
        quoted = " OR ".join('"{}"{}'.format(v.replace('"', '""'), star) for v in variants if v)
        parts.append(f"({quoted})")
    return " AND ".join(parts)


def safe_snippet(raw: str) -> Markup:
    """The snippet escaped, then the FTS5 markers made into ``<mark>``."""
    html = str(escape(raw))
    return Markup(html.replace(OPEN, "<mark>").replace(CLOSE, "</mark>"))  # noqa: S704


class SearchIndex:
    """One in-memory FTS5 table: (language, path, title, body, folded)."""

    def __init__(self, revision: object = None):
        #: The catalog revision the texts were rendered with (see :func:`index`).
        self.revision = revision
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._lock = threading.Lock()
        self._db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(language UNINDEXED, path UNINDEXED, "
            "title, body, folded, tokenize='unicode61 remove_diacritics 2')"
        )

    def add(self, language: str, path: str, title: str, body: str) -> None:
        title, body = normalise(title), normalise(body)
        with self._lock:
            self._db.execute(
                "INSERT INTO docs VALUES (?, ?, ?, ?, ?)",
                (language, path, title, body, fold(title + "\n" + body)),
            )

    def count(self, language: str) -> int:
        with self._lock:
            sql = "SELECT count(*) FROM docs WHERE language = ?"
            return self._db.execute(sql, (language,)).fetchone()[0]

    def search(self, language: str, query: str) -> list[Hit]:
        """Ranked hits (bm25, the title weighs most); [] when the query has no words."""
        words = terms(query)
        if not words:
            return []
        sql = (
            "SELECT path, title, snippet(docs, 3, ?, ?, ' … ', 24) FROM docs "
            "WHERE docs MATCH ? AND language = ? "
            "ORDER BY bm25(docs, 0, 0, 10.0, 1.0, 1.0) LIMIT ?"
        )
        with self._lock:
            rows = self._db.execute(
                sql, (OPEN, CLOSE, match_expression(words), language, MAX_RESULTS)
            ).fetchall()
        return [Hit(path, title, safe_snippet(snippet)) for path, title, snippet in rows]


def build(app: Flask) -> SearchIndex:
    """Index every document in every language, rendered as a visitor of it would read it."""
    from .texts import ct_plain, document_text

    index = SearchIndex(_revision(app))
    content: ContentStore = app.extensions["sozialberichte.content"]
    for language in LANGUAGES:
        for doc in content.documents.values():
            if doc.endpoint == "search.search":
                continue
            # A fresh app context: a rebuild during a request must not share its ``g``
            # (Flask-Babel caches the request's locale there).
            with (
                app.app_context(),
                app.test_request_context(
                    doc.path,
                    base_url="http://localhost" + language.prefix + "/",
                    environ_overrides={ENVIRON_KEY: language.code},
                ),
            ):
                parts = [ct_plain(doc.meta["summary"])] if doc.meta.get("summary") else []
                parts.append(document_text(doc))
                index.add(language.code, doc.path, ct_plain(doc.title), "\n".join(parts))
    return index


_rebuild_lock = threading.Lock()


def _revision(app: Flask) -> tuple:
    """What the index depends on: the catalogs and the published documents (the store's
    revision, set by webapp/publishing)."""
    content = app.extensions["sozialberichte.content"]
    return (app.extensions.get(REVISION_KEY), getattr(content, "revision", None))


def index() -> SearchIndex:
    """The index, rebuilt (about 50 ms) once an editor's change reached this process's
    catalogs, so search results never lag behind the pages."""
    from flask import current_app

    app = current_app._get_current_object()
    current = app.extensions[EXTENSION_KEY]
    if current.revision != _revision(app):
        with _rebuild_lock:
            current = app.extensions[EXTENSION_KEY]
            if current.revision != _revision(app):
                current = app.extensions[EXTENSION_KEY] = build(app)
    return current


def init_app(app: Flask) -> None:
    from .views import search as search_view

    app.extensions[EXTENSION_KEY] = build(app)
    app.register_blueprint(search_view.bp)
