"""Full-text search over the content, per language: SQLite FTS5 in a file, built once.

The index is a file (``SEARCH_INDEX_DIR``, by default a folder in the system's temporary
directory), named by a hash of the content files, the compiled catalogs, the database and
this module's format: the first process to start builds it (under a file lock), every other
worker and every later start with the same files opens it, so a worker starts without
rendering the documents and the pages of the index are shared through the page cache.

An editor's change (a new catalog revision, webapp/editor/runtime.py) updates the index
entries of the documents that contain the changed texts only, in the language that changed:
the index keeps the overrides it was built with, and compares them with the database's. A
document published from the browser (webapp/publishing) is indexed again in every language;
the file records the published state it holds too, so of the workers sharing it only one
does the work. Every worker and instance finds a change after one check interval of those
modules (1 s by default). ``SEARCH_BACKEND=postgresql`` keeps the same entries in PostgreSQL
instead (webapp/search_postgres.py), one index for all instances.

One FTS5 table per language: a query ranks the matches of its language only, FTS5 sorts by
``rank`` itself and the snippet is made for the rows shown only.

Each document's title, summary and text are rendered in each language (the same texts the
visitor reads, through the catalogs) and indexed with ``unicode61 remove_diacritics 2`` (so
"Foerder…"/"Förder…"/"Forder…" meet). A second column holds a folded spelling (ß → ss,
ä/ae → a, …) so "Strasse" finds "Straße" and "Foerderprogramm" finds "Förderprogramm".

Leichte Sprache splits long words with the Mediopunkt ("Sozial·bericht"), other texts with a
hyphen: the folded column and the query join the parts of such a word (a Mediopunkt, hyphen,
soft hyphen or zero-width space between two letters), so "Sozialbericht", "Sozial·bericht"
and "Sozial-bericht" find the same pages in every language; the title and body columns keep
the parts as words ("Bericht" finds "Sozial·bericht").

A query is never passed to FTS5 as written: its words are extracted and each one is quoted
and matched as a prefix ("Sozialbericht" finds "Sozialberichterstattung"), so quotes, ``*``,
``NEAR``, ``-``, ``:``, parentheses or ``AND``/``OR``/``NOT`` are plain words. Snippets are
escaped first; only then are the match markers turned into ``<mark>``.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import re
import sqlite3
import tempfile
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from markupsafe import Markup, escape
from sqlalchemy.exc import SQLAlchemyError

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
#: Joins the parts of a word: Mediopunkt, hyphens, soft hyphen, zero-width space between letters.
JOINER = re.compile(r"(?<=[^\W\d_])[\u00b7\u00ad\u200b\u2010\u2011-](?=[^\W\d_])")
INVISIBLE = re.compile(r"[\u00ad\u200b]")
#: Raise when the index's tables or texts change: every index is built again.
INDEX_FORMAT = "4"

log = logging.getLogger(__name__)


class QueryTooLong(ValueError):
    pass


@dataclass
class Hit:
    path: str
    title: str
    snippet: Markup


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace(OPEN, " ").replace(CLOSE, " ")
    return INVISIBLE.sub("", text)


def join_parts(text: str) -> str:
    """ "Sozial·bericht", "Sozial-bericht" → "Sozialbericht" (matching only, never shown)."""
    return JOINER.sub("", text)


def fold(text: str) -> str:
    """A spelling without diacritics, ß or ae/oe/ue, for matching only (never shown)."""
    text = unicodedata.normalize("NFKD", join_parts(text).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for old, new in FOLDS:
        text = text.replace(old, new)
    return text


def terms(query: str) -> list[str]:
    """The words of a visitor's query (raises :class:`QueryTooLong` above 200 characters)."""
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryTooLong(query)
    return WORD.findall(join_parts(normalise(query)))[:MAX_TERMS]


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


#: The FTS5 table of each language ("de@ls" → "docs_de_ls"). Only these names are ever put
#: into an SQL statement (the S608 exemptions below): an unknown code is a KeyError.
TABLES = {language.code: "docs_" + re.sub(r"\W", "_", language.code) for language in LANGUAGES}


def table_of(language: str) -> str:
    return TABLES[language]


class SearchIndex:
    """One FTS5 table per language (path, title, body, folded) in a file (or in memory),
    and the state its texts were rendered from: the editors' overrides and the documents
    published in the browser."""

    def __init__(self, revision: object = None, path: str | os.PathLike = ":memory:"):
        #: The catalog revision this process last synchronised with (see :func:`index`).
        self.revision = revision
        #: The content store's revision (webapp/publishing) this process last synchronised
        #: with (see :func:`synchronise_content`).
        self.content_revision: object = None
        self.path = str(path)
        self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
        self._lock = threading.Lock()
        # One table per language: a query ranks the matches of its language only, and FTS5
        # sorts by ``rank`` itself (the snippet is made for the rows shown only).
        for language in LANGUAGES:
            self._db.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {table_of(language.code)} USING fts5("
                "path UNINDEXED, title, body, folded, "
                "tokenize='unicode61 remove_diacritics 2')"
            )
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS overrides (locale TEXT, msgctxt TEXT, msgid TEXT, "
            "state TEXT)"
        )
        # What the index holds of the browser-published documents: a digest of the indexed
        # version, or "gone" (no entry). A path not listed is indexed from its file.
        self._db.execute("CREATE TABLE IF NOT EXISTS published (path TEXT PRIMARY KEY, state TEXT)")
        self._db.commit()

    def add(self, language: str, path: str, title: str, body: str) -> None:
        title, body = normalise(title), normalise(body)
        with self._lock:
            self._db.execute(
                f"INSERT INTO {table_of(language)} VALUES (?, ?, ?, ?)",  # noqa: S608
                (path, title, body, fold(title + "\n" + body)),
            )

    def replace(self, language: str, path: str, title: str, body: str) -> None:
        with self._lock:
            sql = f"DELETE FROM {table_of(language)} WHERE path = ?"  # noqa: S608
            self._db.execute(sql, (path,))
        self.add(language, path, title, body)

    def delete(self, path: str) -> None:
        with self._lock:
            for language in LANGUAGES:
                sql = f"DELETE FROM {table_of(language.code)} WHERE path = ?"  # noqa: S608
                self._db.execute(sql, (path,))

    def commit(self) -> None:
        with self._lock:
            self._db.commit()

    def count(self, language: str) -> int:
        with self._lock:
            sql = f"SELECT count(*) FROM {table_of(language)}"  # noqa: S608
            return self._db.execute(sql).fetchone()[0]

    def search(self, language: str, query: str) -> list[Hit]:
        """Ranked hits (bm25, the title weighs most); [] when the query has no words."""
        words = terms(query)
        if not words:
            return []
        table = table_of(language)
        sql = (
            f"SELECT path, title, snippet({table}, 2, ?, ?, ' … ', 24) FROM {table} "  # noqa: S608
            f"WHERE {table} MATCH ? AND rank MATCH 'bm25(0.0, 10.0, 1.0, 1.0)' "
            "ORDER BY rank LIMIT ?"
        )
        with self._lock:
            rows = self._db.execute(
                sql, (OPEN, CLOSE, match_expression(words), MAX_RESULTS)
            ).fetchall()
        return [Hit(path, title, safe_snippet(snippet)) for path, title, snippet in rows]

    @contextlib.contextmanager
    def locked(self):
        """The index file's lock: the workers sharing the file synchronise it one at a
        time."""
        if self.path == ":memory:":
            yield self
            return
        with open(self.path + ".lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield self
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # -- the browser-published documents the texts were rendered from -------------------

    def stored_published(self) -> dict[str, str]:
        with self._lock:
            return dict(self._db.execute("SELECT path, state FROM published"))

    def store_published(self, current: dict[str, str]) -> None:
        with self._lock:
            self._db.execute("DELETE FROM published")
            self._db.executemany("INSERT INTO published VALUES (?, ?)", current.items())

    # -- the overrides the texts were rendered with -------------------------------------

    def stored_overrides(self) -> dict[tuple[str, str, str], str]:
        with self._lock:
            rows = self._db.execute("SELECT locale, msgctxt, msgid, state FROM overrides")
            return {(loc, ctx or "", msgid): state for loc, ctx, msgid, state in rows}

    def store_overrides(self, current: dict[tuple[str, str, str], str]) -> None:
        with self._lock:
            self._db.execute("DELETE FROM overrides")
            self._db.executemany(
                "INSERT INTO overrides VALUES (?, ?, ?, ?)",
                [(loc, ctx, msgid, state) for (loc, ctx, msgid), state in current.items()],
            )


def documents_with(app: Flask, msgid: str) -> set[str]:
    """Paths of the documents that contain the text ``msgid``: a substring test of the
    Markdown source first (each line of a block's text is in its file as written), the
    parsed blocks only of the documents that pass it."""
    from .content import TRANSLATABLE_META

    first = msgid.split("\n", 1)[0].strip()
    found = set()
    for doc in app.extensions["sozialberichte.content"].documents.values():
        fields = [doc.meta.get(key) for key in TRANSLATABLE_META]
        fields += [item.title for item in doc.downloads]
        if msgid in fields or (first and first in doc.body and msgid in doc.msgids()):
            found.add(doc.path)
    return found


def current_overrides(app: Flask) -> dict[tuple[str, str, str], str]:
    """``{(locale, msgctxt, msgid): state}`` of the editors' overrides in the database."""
    if "sozialberichte.catalog_overrides" not in app.extensions:
        return {}
    from .editor.runtime import override_rows

    found = {}
    with app.app_context():
        for language in LANGUAGES:
            for msgctxt, msgid, _plural, msgstr, fuzzy in override_rows(app, language.code):
                state = json.dumps([list(msgstr or []), bool(fuzzy)], ensure_ascii=False)
                found[(language.code, msgctxt or "", msgid)] = state
    return found


def _index_document(app: Flask, index: SearchIndex, language, doc, replace=False) -> None:
    """Render ``doc`` as a visitor of ``language`` reads it and put it into the index."""
    from .texts import ct_plain, document_text

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
        title, body = ct_plain(doc.title), "\n".join(parts)
    (index.replace if replace else index.add)(language.code, doc.path, title, body)


def _searchable(app: Flask) -> list:
    content: ContentStore = app.extensions["sozialberichte.content"]
    return [doc for doc in content.documents.values() if doc.endpoint != "search.search"]


def fill(app: Flask, index: SearchIndex) -> SearchIndex:
    """Index every document in every language, rendered as a visitor of it would read it."""
    overrides = current_overrides(app)  # before rendering: the texts are at least as new
    for language in LANGUAGES:
        for doc in _searchable(app):
            _index_document(app, index, language, doc)
    index.store_overrides(overrides)
    index.commit()
    return index


def build(app: Flask) -> SearchIndex:
    """A new index in memory (what a test or a one-off script may want)."""
    return fill(app, SearchIndex(app.extensions.get(REVISION_KEY)))


def index_dir(app: Flask) -> Path:
    configured = app.config.get("SEARCH_INDEX_DIR")
    if configured:
        return Path(configured)
    return Path(tempfile.gettempdir()) / f"sozialberichte-search-{os.getuid()}"


def index_key(app: Flask) -> str:
    """A hash of everything the index's texts come from: the content files, the compiled
    catalogs, the database (its overrides) and the index format."""
    from .db import database_url
    from .i18n import translations_dir

    digest = hashlib.sha256(INDEX_FORMAT.encode())
    content = Path(app.config["CONTENT_DIR"]).resolve()
    translations = Path(translations_dir(app)).resolve()
    digest.update(f"{content}\0{translations}\0{database_url(app)}\0".encode())
    files = sorted(content.glob("*/*.md")) + sorted(translations.glob("*/LC_MESSAGES/*.mo"))
    for path in files:
        stat = path.stat()
        digest.update(f"{path}:{stat.st_mtime_ns}:{stat.st_size}\0".encode())
    return digest.hexdigest()[:32]


def open_index(app: Flask) -> SearchIndex:
    """The index file for the current content and catalogs: opened when it exists, else
    built once (other processes wait for the lock, then open what was built). On
    PostgreSQL (``SEARCH_BACKEND``), the entries in the database (webapp/search_postgres.py)."""
    from . import search_postgres

    if search_postgres.uses_postgresql(app):
        try:
            return search_postgres.open_index(app, INDEX_FORMAT, fill)
        except SQLAlchemyError:
            # The database is down: this process searches its own file (as without
            # PostgreSQL) rather than not starting; the editors' changes reach it as ever.
            log.warning("search index in PostgreSQL unavailable; using a file", exc_info=True)
    from .templating import private_folder

    folder = index_dir(app)
    if not private_folder(folder):  # another user's: an index of this process's own
        return fill(app, SearchIndex(app.extensions.get(REVISION_KEY)))
    path = folder / f"search-{index_key(app)}.sqlite3"
    with open(folder / f"{path.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not path.exists():
                temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
                temporary.unlink(missing_ok=True)
                fill(app, SearchIndex(path=temporary))._db.close()
                os.replace(temporary, path)
                log.info("search index built: %s", path)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    index = SearchIndex(app.extensions.get(REVISION_KEY), path)
    with index._lock:
        index._db.execute("PRAGMA journal_mode=WAL")
    return index


def synchronise(app: Flask, index: SearchIndex) -> int:
    """Bring the index up to the editors' overrides in the database: only the documents
    that contain a changed text, only in the changed language. Returns how many
    (language, document) entries were indexed again."""
    by_code = {language.code: language for language in LANGUAGES}
    with index.locked():
        current = current_overrides(app)
        stored = index.stored_overrides()
        changed = {
            key for key in current.keys() | stored.keys() if current.get(key) != stored.get(key)
        }
        affected: set[tuple[str, str]] = set()
        for code, _ctx, msgid in changed:
            codes = [code] + (["de@ls"] if code == "de" else [])  # de@ls falls back to de
            for path in documents_with(app, msgid):
                affected.update((c, path) for c in codes if c in by_code)
        if affected:
            # Render with catalogs loaded from now on: this process may have loaded its
            # catalogs before the last change it reads here, and the index must never
            # record a change as indexed with a text older than it.
            from .i18n import reload_catalogs

            reload_catalogs(app)
        content = app.extensions["sozialberichte.content"]
        for code, path in sorted(affected):
            doc = content.get(path)
            if doc is not None and doc.endpoint != "search.search":
                _index_document(app, index, by_code[code], doc, replace=True)
        if changed:
            index.store_overrides(current)
            index.commit()
        return len(affected)


def published_state(app: Flask) -> dict[str, str]:
    """``{path: state}`` of what the editors published in the browser (webapp/publishing
    lays it over the files): a digest of each overlaid document, "gone" for a deleted or
    unpublished one. A path not listed is served from its file."""
    content = app.extensions["sozialberichte.content"]
    files = app.extensions.get("sozialberichte.content_files", content)
    state = {path: "gone" for path in content.gone}
    for path, doc in content.documents.items():
        if files.documents.get(path) is not doc:
            text = json.dumps([doc.meta, doc.body], default=str, sort_keys=True)
            state[path] = hashlib.sha256(text.encode()).hexdigest()
    return state


def synchronise_content(app: Flask, index: SearchIndex) -> int:
    """Index what the editors published in the browser: a document that differs from the
    one the index file holds is indexed again in every language; a deleted or unpublished
    one is removed, one no longer overlaid is indexed from its file again. The file records
    the state it holds, so a worker never indexes again what another one already did.
    Returns how many documents were indexed again."""
    content = app.extensions["sozialberichte.content"]
    with index.locked():
        current = published_state(app)
        stored = index.stored_published()
        changed = {
            path for path in current.keys() | stored.keys() if current.get(path) != stored.get(path)
        }
        for path in sorted(changed):
            doc = content.get(path)
            if doc is None or doc.endpoint == "search.search":
                index.delete(path)
                continue
            for language in LANGUAGES:
                _index_document(app, index, language, doc, replace=True)
        if changed:
            index.store_published(current)
            index.commit()
        return len(changed)


_rebuild_lock = threading.Lock()


def index() -> SearchIndex:
    """The index, brought up to date with the editors' changes once they reached this
    process's catalogs (only the documents with a changed text are indexed again), so
    search results never lag behind the pages."""
    from flask import current_app

    app = current_app._get_current_object()
    current = app.extensions[EXTENSION_KEY]
    revision = app.extensions.get(REVISION_KEY)
    content_revision = getattr(app.extensions["sozialberichte.content"], "revision", None)
    if current.revision != revision or current.content_revision != content_revision:
        with _rebuild_lock:
            try:
                if current.content_revision != content_revision:
                    synchronise_content(app, current)
                    current.content_revision = content_revision
                if current.revision != revision:
                    synchronise(app, current)
                    current.revision = revision
            except SQLAlchemyError:  # the index in PostgreSQL: tried again next time
                log.warning("search index not synchronised", exc_info=True)
    return current


def init_app(app: Flask) -> None:
    from .views import search as search_view

    app.extensions[EXTENSION_KEY] = open_index(app)
    app.register_blueprint(search_view.bp)
