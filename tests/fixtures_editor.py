"""Fixtures of the editors' area: a private copy of the catalogs (tests write to it), an app
on its own database with an editor account, and logged-in test clients."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from webapp.editor import auth
from webapp.editor.catalog import entry_key

from .fixtures_db import dispose_app, migrated_app

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "ein langes Test-Passwort 42"
OTHER_PASSWORD = "noch ein langes Passwort 7"
LOCALES = ("de", "de@ls", "en")


def compile_catalogs(directory: Path) -> None:
    """``pybabel compile`` for the copy: every ``.po`` to its ``.mo``."""
    for locale in LOCALES:
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


@pytest.fixture()
def translations_copy(tmp_path):
    return copy_catalogs(tmp_path / "translations")


def make_editor_app(url: str, translations: Path, **config):
    config.setdefault("CATALOG_CHECK_SECONDS", 0.2)
    app = migrated_app(url, TRANSLATIONS_DIR=str(translations), **config)
    return app


@pytest.fixture()
def editor_db_url(tmp_path):
    return f"sqlite:///{tmp_path}/editor.sqlite3"


@pytest.fixture()
def editor_app(editor_db_url, translations_copy):
    app = make_editor_app(editor_db_url, translations_copy)
    with app.app_context():
        auth.create_editor("redakteurin", PASSWORD)
        auth.create_editor("redakteur", OTHER_PASSWORD)
    yield app
    dispose_app(app)


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
