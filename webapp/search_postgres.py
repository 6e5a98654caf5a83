"""Full-text search in PostgreSQL: one index for every instance sharing the database.

What :mod:`webapp.search` keeps in an SQLite file per instance, this keeps in the database,
chosen with ``SEARCH_BACKEND=postgresql`` (the default, ``sqlite``, stays the file: it answers
a query that matches most of the archive in about 15 ms against PostgreSQL's 130–150 ms at
2,000 news items, see docs/bench.md). The texts are the same (each document rendered as a
visitor of each language reads it); the tables ``search_entry``, ``search_state`` and
``search_build`` are a cache of them, made by this module (``CREATE … IF NOT EXISTS``),
never by a migration: dropping them only costs a build.

* One build for all instances: the entries carry a key, a hash of the *contents* of the
  content files and compiled catalogs (the same on every machine of a deploy). The first
  process that starts with a new key builds it (under an advisory lock), every other one
  waits and uses it; the entries of older keys are removed (the newest two stay, for the
  instances of the deploy before while they are replaced).
* Editors' changes are indexed once: the overrides and the published documents the entries
  were rendered from are recorded with them (``search_state``), as in the SQLite file, and a
  process synchronises under a transaction-scoped advisory lock.
* Matching: ``tsvector`` of title (weight A) and text (B) with the language's configuration
  (``german`` for German and Leichte Sprache: stems, so "Berichte" finds "Bericht";
  ``english`` for English) plus the folded spelling (:func:`webapp.search.fold`: ß, umlauts,
  parts of Mediopunkt words joined) with ``simple`` (weight D); a GIN index. A query is
  never passed as written: its words (:func:`webapp.search.terms`) are quoted lexemes
  matched as prefixes, each in both configurations, all words required.
* Ranking ``ts_rank`` (title first); the snippet (``ts_headline``) is made for the rows
  shown only, with the same control-character markers, escaped first.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from pathlib import Path

from flask import Flask
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from .i18n import LANGUAGES

#: The text search configuration of each language's texts.
CONFIGURATIONS = {"de": "german", "de@ls": "german", "en": "english"}
LOCK = 0x50C1A1  # the advisory lock of the index ("sozial")
KEPT_KEYS = 2

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS search_entry ("
    " key text NOT NULL, language text NOT NULL, path text NOT NULL,"
    " title text NOT NULL, body text NOT NULL, terms tsvector NOT NULL,"
    " PRIMARY KEY (key, language, path))",
    "CREATE INDEX IF NOT EXISTS search_entry_terms ON search_entry USING gin (terms)",
    "CREATE TABLE IF NOT EXISTS search_state ("
    " key text NOT NULL, kind text NOT NULL, name text NOT NULL, state text NOT NULL,"
    " PRIMARY KEY (key, kind, name))",
    "CREATE TABLE IF NOT EXISTS search_build ("
    " key text PRIMARY KEY, built_at timestamptz NOT NULL DEFAULT now())",
)

INSERT = text(
    "INSERT INTO search_entry (key, language, path, title, body, terms) VALUES "
    "(:key, :language, :path, :title, :body, "
    " setweight(to_tsvector(CAST(:config AS regconfig), :guarded_title), 'A')"
    " || setweight(to_tsvector(CAST(:config AS regconfig), :guarded_body), 'B')"
    " || setweight(to_tsvector('simple', :folded), 'D'))"
)
#: PostgreSQL's parser reads "<script>…</script>" or "&amp;" in a text as markup and leaves
#: it out; the texts are plain text: a control character after "<" and "&" keeps them
#: words (for the index and the snippet, which drops it again).
GUARD = "\x01"


def guarded(value: str) -> str:
    return value.replace("<", "<" + GUARD).replace("&", "&" + GUARD)


GUARDED_BODY = "replace(replace(body, '<', '<' || chr(1)), '&', '&' || chr(1))"
#: ts_headline's options: the markers of webapp.search, about 24 words, one fragment.
HEADLINE = 'StartSel="{}", StopSel="{}", MaxWords=24, MinWords=12, MaxFragments=1'


def content_key(app: Flask, index_format: str) -> str:
    """A hash of what the entries' texts come from, by content (the same on every machine
    of a deploy, whatever the paths and file times)."""
    from .i18n import translations_dir

    digest = hashlib.sha256(f"postgresql {index_format}\0".encode())
    content = Path(app.config["CONTENT_DIR"]).resolve()
    translations = Path(translations_dir(app)).resolve()
    for root, pattern in ((content, "*/*.md"), (translations, "*/LC_MESSAGES/*.mo")):
        for path in sorted(root.glob(pattern)):
            digest.update(f"{path.relative_to(root)}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:32]


def tsquery_sql(words: list[str], fold) -> tuple[str, dict]:
    """The query as SQL over bound parameters: each word a quoted lexeme (a prefix unless a
    single letter) in the language's configuration or, folded, in ``simple``."""
    parts, params = [], {}
    for number, word in enumerate(words):
        star = ":*" if len(word) > 1 else ""
        params[f"w{number}"] = "'{}'{}".format(word.casefold().replace("'", "''"), star)
        params[f"f{number}"] = "'{}'{}".format(fold(word).replace("'", "''"), star)
        parts.append(
            f"(to_tsquery(CAST(:config AS regconfig), :w{number})"
            f" || to_tsquery('simple', :f{number}))"
        )
    return " && ".join(parts), params


class PostgresIndex:
    """The interface of :class:`webapp.search.SearchIndex`, in PostgreSQL."""

    def __init__(self, engine: Engine, key: str, revision: object = None):
        self.engine = engine
        self.key = key
        self.path = f"postgresql search_entry key {key}"
        self.revision = revision
        self.content_revision: object = None
        self._lock = threading.RLock()
        self._conn: Connection | None = None

    # -- a transaction for the writes (and the reads under the lock) ------------------

    def _connection(self) -> Connection:
        if self._conn is None:
            connection = self.engine.connect()
            connection.begin()
            self._conn = connection
        return self._conn

    def commit(self) -> None:
        self._end("commit")

    def rollback(self) -> None:
        self._end("rollback")

    def _end(self, how: str) -> None:
        with self._lock:
            connection, self._conn = self._conn, None
            if connection is not None:
                try:
                    getattr(connection, how)()
                finally:
                    connection.close()

    @contextlib.contextmanager
    def locked(self):
        """One process at a time synchronises: a transaction-scoped advisory lock, held
        until the changes and the state they bring are committed together."""
        with self._lock:
            connection = self._connection()
            connection.execute(text("SELECT pg_advisory_xact_lock(:lock)"), {"lock": LOCK})
            try:
                yield self
            except BaseException:
                self.rollback()
                raise
            self.commit()

    # -- entries --------------------------------------------------------------------------

    def add(self, language: str, path: str, title: str, body: str) -> None:
        from .search import fold, normalise

        title, body = (normalise(v).replace("\x00", "").replace(GUARD, "") for v in (title, body))
        row = {
            "key": self.key,
            "language": language,
            "path": path,
            "title": title,
            "body": body,
            "guarded_title": guarded(title),
            "guarded_body": guarded(body),
            "folded": fold(title + "\n" + body),
            "config": CONFIGURATIONS[language],
        }
        with self._lock:
            self._connection().execute(INSERT, row)

    def replace(self, language: str, path: str, title: str, body: str) -> None:
        with self._lock:
            self._connection().execute(
                text("DELETE FROM search_entry WHERE key = :key AND language = :l AND path = :p"),
                {"key": self.key, "l": language, "p": path},
            )
            self.add(language, path, title, body)

    def delete(self, path: str) -> None:
        with self._lock:
            self._connection().execute(
                text("DELETE FROM search_entry WHERE key = :key AND path = :p"),
                {"key": self.key, "p": path},
            )

    def count(self, language: str) -> int:
        with self.engine.connect() as connection:
            return connection.execute(
                text("SELECT count(*) FROM search_entry WHERE key = :key AND language = :l"),
                {"key": self.key, "l": language},
            ).scalar_one()

    def search(self, language: str, query: str) -> list:
        from .search import CLOSE, MAX_RESULTS, OPEN, Hit, fold, safe_snippet, terms

        words = terms(query)
        if not words:
            return []
        condition, params = tsquery_sql(words, fold)
        sql = text(
            # The query written out (not in a CTE): the planner sees a constant and can
            # use the GIN index for rare words.
            f"SELECT path, title, replace(ts_headline(CAST(:config AS regconfig), {GUARDED_BODY},"  # noqa: S608 - bound parameters only
            f" {condition}, :headline), chr(1), '') FROM ("
            f"SELECT path, title, body, ts_rank(terms, {condition}) AS rank FROM search_entry"
            f" WHERE key = :key AND language = :language AND terms @@ ({condition})"
            " ORDER BY rank DESC, path LIMIT :limit) AS top ORDER BY rank DESC, path"
        )
        params.update(
            key=self.key,
            language=language,
            limit=MAX_RESULTS,
            config=CONFIGURATIONS[language],
            headline=HEADLINE.format(OPEN, CLOSE),
        )
        with self.engine.connect() as connection:
            rows = connection.execute(sql, params).fetchall()
        return [Hit(path, title, safe_snippet(snippet)) for path, title, snippet in rows]

    # -- the state the entries were rendered from -------------------------------------------

    def _stored(self, kind: str) -> dict[str, str]:
        with self._lock:
            connection = self._conn
            sql = text("SELECT name, state FROM search_state WHERE key = :key AND kind = :kind")
            params = {"key": self.key, "kind": kind}
            if connection is not None:
                return dict(connection.execute(sql, params).fetchall())
            with self.engine.connect() as fresh:
                return dict(fresh.execute(sql, params).fetchall())

    def _store(self, kind: str, current: dict[str, str]) -> None:
        with self._lock:
            connection = self._connection()
            connection.execute(
                text("DELETE FROM search_state WHERE key = :key AND kind = :kind"),
                {"key": self.key, "kind": kind},
            )
            if current:
                connection.execute(
                    text("INSERT INTO search_state VALUES (:key, :kind, :name, :state)"),
                    [
                        {"key": self.key, "kind": kind, "name": name, "state": state}
                        for name, state in current.items()
                    ],
                )

    def stored_overrides(self) -> dict[tuple[str, str, str], str]:
        import json

        return {tuple(json.loads(name)): state for name, state in self._stored("o").items()}

    def store_overrides(self, current: dict[tuple[str, str, str], str]) -> None:
        import json

        self._store("o", {json.dumps(list(key)): state for key, state in current.items()})

    def stored_published(self) -> dict[str, str]:
        return self._stored("p")

    def store_published(self, current: dict[str, str]) -> None:
        self._store("p", current)


def open_index(app: Flask, index_format: str, fill) -> PostgresIndex:
    """The entries for the current content and catalogs: used when built, else built once
    (other processes wait for the advisory lock, then use what was built)."""
    from .db import db

    with app.app_context():
        engine = db.engine
    key = content_key(app, index_format)
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:lock)"), {"lock": LOCK})
        try:
            for statement in SCHEMA:
                connection.execute(text(statement))
            connection.commit()
            built = connection.execute(
                text("SELECT 1 FROM search_build WHERE key = :key"), {"key": key}
            ).scalar()
            connection.commit()
            if not built:
                index = PostgresIndex(engine, key)
                with index._lock:
                    index._connection().execute(
                        text("DELETE FROM search_entry WHERE key = :key"), {"key": key}
                    )
                    fill(app, index)  # commits
                _forget_old_keys(connection, key)
                connection.execute(text("ANALYZE search_entry"))
                connection.commit()
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:lock)"), {"lock": LOCK})
            connection.commit()
    from .search import REVISION_KEY

    return PostgresIndex(engine, key, app.extensions.get(REVISION_KEY))


def _forget_old_keys(connection: Connection, key: str) -> None:
    connection.execute(text("INSERT INTO search_build (key) VALUES (:key)"), {"key": key})
    old = connection.execute(
        text("SELECT key FROM search_build ORDER BY built_at DESC, key OFFSET :kept"),
        {"kept": KEPT_KEYS},
    ).scalars()
    for stale in list(old):
        for table in ("search_entry", "search_state", "search_build"):
            connection.execute(
                text(f"DELETE FROM {table} WHERE key = :key"),  # noqa: S608 - fixed names
                {"key": stale},
            )
    connection.commit()


def uses_postgresql(app: Flask) -> bool:
    from .db import database_url

    backend = str(app.config.get("SEARCH_BACKEND") or "sqlite").lower()
    if backend not in {"sqlite", "postgresql"}:
        raise RuntimeError(f"SEARCH_BACKEND must be sqlite or postgresql, not {backend!r}")
    if backend == "postgresql" and not database_url(app).startswith("postgresql"):
        raise RuntimeError("SEARCH_BACKEND=postgresql needs a PostgreSQL DATABASE_URL")
    return backend == "postgresql"


__all__ = ["LANGUAGES", "PostgresIndex", "open_index", "uses_postgresql"]
