"""Search in PostgreSQL (webapp/search_postgres.py), on Debian's PostgreSQL started by the
tests: the search tests of tests/test_search.py run here again against apps on PostgreSQL
(their fixtures ``app``, ``client`` and ``news_app`` are this module's), plus what only the
shared index has: one build for all instances, German stems, the query safety rules."""

from __future__ import annotations

import uuid

import flask_migrate
import pytest

from webapp.search_postgres import PostgresIndex, content_key

from . import test_search
from .fixtures_db import dispose_app
from .fixtures_navigation import write_news_content
from .helpers import soup

#: The tests of tests/test_search.py, collected here with this module's fixtures.
for _name in dir(test_search):
    if _name.startswith("test_"):
        globals()[_name] = getattr(test_search, _name)


def _database(postgres_url):
    import psycopg

    name = f"search_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, postgres_url.replace("/postgres?", f"/{name}?", 1)


def _drop(postgres_url, name):
    import psycopg

    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def _app(url, **config):
    from .conftest import make_app

    config.setdefault("SEARCH_BACKEND", "postgresql")
    app = make_app(DATABASE_URL=url, **config)
    with app.app_context():
        flask_migrate.upgrade()
    return app


@pytest.fixture(scope="module")
def pg_url(postgres_url):
    name, url = _database(postgres_url)
    yield url
    _drop(postgres_url, name)


@pytest.fixture(scope="module")
def app(pg_url):
    app = _app(pg_url)
    assert isinstance(app.extensions["sozialberichte.search"], PostgresIndex)
    yield app
    dispose_app(app)


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def news_app(postgres_url, tmp_path_factory):
    name, url = _database(postgres_url)
    root = write_news_content(tmp_path_factory.mktemp("content"))
    app = _app(url, CONTENT_DIR=str(root))
    yield app
    dispose_app(app)
    _drop(postgres_url, name)


def titles(client, query, prefix=""):
    response = client.get(f"{prefix}/suche", query_string={"q": query})
    assert response.status_code == 200
    return [a.get_text() for a in soup(response.data).select(".search-results__title a")]


def test_sqlite_stays_the_default_also_on_postgresql(pg_url):
    from webapp.search import SearchIndex

    from .conftest import make_app

    default = make_app(DATABASE_URL=pg_url)
    try:
        assert isinstance(default.extensions["sozialberichte.search"], SearchIndex)
    finally:
        dispose_app(default)
    with pytest.raises(RuntimeError, match="PostgreSQL DATABASE_URL"):
        make_app(SEARCH_BACKEND="postgresql")
    with pytest.raises(RuntimeError, match="sqlite or postgresql"):
        make_app(SEARCH_BACKEND="elasticsearch")


def test_german_stems_find_other_forms_of_a_word(client):
    # "Berichte" is not a prefix of "Bericht": the german configuration finds it.
    assert set(titles(client, "Berichte")) == set(titles(client, "Bericht"))
    assert titles(client, "Kommunen")


def test_every_instance_uses_the_one_build(app, pg_url, monkeypatch):
    """A second process (another worker or instance) with the same content finds the
    entries built and renders nothing; the key depends on the files' contents only."""
    from webapp import search

    def no_rendering(*args, **kwargs):
        raise AssertionError("a second instance rendered a document for the index")

    monkeypatch.setattr(search, "_index_document", no_rendering)
    second = _app(pg_url, SEARCH_INDEX_DIR="/nonexistent/not/used")
    try:
        index = second.extensions["sozialberichte.search"]
        assert (
            index.key
            == app.extensions["sozialberichte.search"].key
            == content_key(app, search.INDEX_FORMAT)
        )
        assert titles(second.test_client(), "Impressum")[0] == "Impressum"
    finally:
        dispose_app(second)


def test_query_words_become_bound_quoted_lexemes(app):
    from webapp.search import fold
    from webapp.search_postgres import tsquery_sql

    sql, params = tsquery_sql(["NEAR", "a", "x"], fold)
    assert "NEAR" not in sql and "'" not in sql.replace("'simple'", "")
    assert params == {
        "w0": "'near':*",
        "f0": "'near':*",
        "w1": "'a'",
        "f1": "'a'",
        "w2": "'x'",
        "f2": "'x'",
    }
    index = app.extensions["sozialberichte.search"]
    for query in ("!", "'&|", "a:* & b", "x' | 'y", "\\", "<->", "'"):
        assert isinstance(index.search("de", query), list), query


def test_database_down_at_start_searches_a_file_and_later_answers_503(tmp_path, app):
    """Never a 500: without the database at start the process searches its own file; when
    the database goes away later, search answers the translated 503 page."""
    from sqlalchemy import create_engine

    from webapp.search import SearchIndex

    from .conftest import make_app

    down = f"postgresql://postgres@/postgres?host={tmp_path}&connect_timeout=2"
    started = make_app(
        DATABASE_URL=down, SEARCH_BACKEND="postgresql", SEARCH_INDEX_DIR=str(tmp_path / "index")
    )
    try:
        assert isinstance(started.extensions["sozialberichte.search"], SearchIndex)
        assert titles(started.test_client(), "Impressum")[0] == "Impressum"
    finally:
        dispose_app(started)
    index = app.extensions["sozialberichte.search"]
    engine = index.engine
    index.engine = create_engine(down.replace("postgresql://", "postgresql+psycopg://"))
    try:
        for prefix in ("", "/en"):
            response = app.test_client().get(f"{prefix}/suche?q=Zzzunerreichbar")
            assert response.status_code == 503
            assert soup(response.data).h1.get_text(strip=True) in {
                "Vorübergehend nicht verfügbar",
                "Temporarily unavailable",
            }
    finally:
        index.engine.dispose()
        index.engine = engine
    assert titles(app.test_client(), "Impressum")[0] == "Impressum"
