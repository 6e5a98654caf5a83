"""Fixtures of the editors' area: a private copy of the catalogs (tests write to it), an app
on its own database with an editor account, and logged-in test clients."""

from __future__ import annotations

import functools
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sqlalchemy import delete, update
from werkzeug.security import generate_password_hash

from webapp.db import db
from webapp.editor import catalog as catalog_files
from webapp.editor.catalog import entry_key
from webapp.editor.models import CatalogRevision, Editor
from webapp.i18n import reload_catalogs
from webapp.i18n.catalogs import compile_content
from webapp.publishing import store as content_store
from webapp.publishing.models import ContentDocument, ContentRevision, ContentState

from .fixtures_db import dispose_app, migrated_app

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "ein langes Test-Passwort 42"
OTHER_PASSWORD = "noch ein langes Passwort 7"
ACCOUNTS = {"redakteurin": PASSWORD, "redakteur": OTHER_PASSWORD}
LOCALES = ("de", "de@ls", "en")


def compile_catalogs(directory: Path) -> None:
    """``make catalogs`` for the copy: every ``messages.po`` to its ``.mo``, the document
    catalogs to ``content.mo``."""
    for locale in LOCALES:
        compile_content(directory, locale, force=True)
        po = directory / locale / "LC_MESSAGES" / "messages.po"
        if po.exists():
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=locale)
            with po.with_suffix(".mo").open("wb") as handle:
                write_mo(handle, catalog)


def copy_catalogs(target: Path) -> Path:
    shutil.copytree(ROOT / "translations", target, ignore=shutil.ignore_patterns("*.mo"))
    compile_catalogs(target)
    return target


def make_editor_app(url: str, translations: Path, **config):
    config.setdefault("CATALOG_CHECK_SECONDS", 0.2)
    return migrated_app(url, TRANSLATIONS_DIR=str(translations), **config)


@functools.cache
def password_hash(password: str) -> str:
    """The accounts of the tests use a cheap hash (scrypt is slow on purpose, and every
    login test checks passwords many times); ``flask editor add`` is tested with scrypt."""
    return generate_password_hash(password, method="pbkdf2:sha256:1000")


def add_editors(app) -> None:
    with app.app_context():
        for name, password in ACCOUNTS.items():
            db.session.add(Editor(name=name, password_hash=password_hash(password)))
        db.session.commit()


@pytest.fixture(scope="session")
def _editor_base(tmp_path_factory):
    """One app per test process on its own SQLite file and catalog copy; each test gets it
    back in its initial state (see ``editor_app``)."""
    root = tmp_path_factory.mktemp("editor")
    pristine = copy_catalogs(root / "pristine")
    live = root / "translations"
    shutil.copytree(pristine, live)
    url = f"sqlite:///{root}/editor.sqlite3"
    app = make_editor_app(url, live)
    add_editors(app)
    yield SimpleNamespace(app=app, url=url, translations=live, pristine=pristine)
    dispose_app(app)


def reset(base) -> None:
    """Empty the editors' tables (except the two accounts, with their passwords) and restore
    the catalog files."""
    app = base.app
    with app.app_context():
        # Every table, children first (a table added later is emptied too: a list of models
        # here once forgot the publishing tables, and one test's draft showed in another's
        # overview); the two accounts stay.
        # The two counters stay and are raised, as in production (they never go back), so
        # every cache built on them (page cache, content store, search index) starts anew.
        counters = (CatalogRevision.__table__, ContentState.__table__)
        for table in reversed(db.metadata.sorted_tables):
            if table.name != Editor.__table__.name and table not in counters:
                db.session.execute(table.delete())
        for table in counters:
            db.session.execute(table.update().values(revision=table.c.revision + 1))
        db.session.execute(delete(Editor).where(Editor.name.not_in(ACCOUNTS)))
        for name, password in ACCOUNTS.items():  # a test may have changed one
            restored = update(Editor).where(Editor.name == name)
            db.session.execute(restored.values(password_hash=password_hash(password)))
        db.session.commit()
    shutil.rmtree(base.translations)
    shutil.copytree(base.pristine, base.translations)
    catalog_files._cache.clear()
    catalog_files._entries_cache.clear()
    reload_catalogs(app)
    # The overrides were deleted behind the revision's back: the search index compares its
    # overrides with the database again on its next use (webapp/search.py).
    app.extensions["sozialberichte.search"].revision = object()


@pytest.fixture()
def editor_app(_editor_base):
    """The editors' app with two accounts, no translation edits and pristine catalogs."""
    reset(_editor_base)
    return _editor_base.app


@pytest.fixture()
def editor_db_url(_editor_base):
    return _editor_base.url


@pytest.fixture()
def translations_copy(editor_app, _editor_base):
    """The catalog files ``editor_app`` serves (restored before each test)."""
    return _editor_base.translations


@pytest.fixture()
def own_translations(tmp_path):
    """A catalog copy for an app a test makes itself."""
    return copy_catalogs(tmp_path / "translations")


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def log_in(client, name="redakteurin", password=PASSWORD):
    page = client.get("/redaktion/anmelden")
    return client.post(
        "/redaktion/anmelden",
        data={"csrf_token": csrf_token(page.text), "name": name, "password": password},
    )


@pytest.fixture()
def editor_client(editor_app):
    client = editor_app.test_client()
    response = log_in(client)
    assert response.status_code == 303
    return client


def key_of(msgid: str) -> str:
    return entry_key(msgid)


def clear_content(app, refresh: bool = False) -> None:
    """No document published in the browser (documents, revisions, the content revision);
    ``refresh``: the app's served content follows at once."""
    with app.app_context():
        db.session.execute(delete(ContentRevision))
        db.session.execute(delete(ContentDocument))
        db.session.execute(delete(ContentState))
        db.session.commit()
        if refresh:
            content_store.refresh(app, force=True)
