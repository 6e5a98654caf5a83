"""Storage of the form submissions, the same tests on SQLite and on a real PostgreSQL
server (``tests/fixtures_db.py``): migrations, what a sent form leaves in the database, the
reference number, the purge, and the 503 when the server cannot be reached."""

from __future__ import annotations

import datetime as dt

import flask_migrate
import pytest
import sqlalchemy as sa

from webapp.db import db
from webapp.forms import models
from webapp.forms.models import Submission

from .fixtures_db import dispose_app, migrated_app
from .forms_support import VALID, submit
from .helpers import soup


@pytest.fixture()
def storage_app(database_url):
    app = migrated_app(database_url, RATELIMIT_ENABLED=False)
    yield app
    dispose_app(app)


def rows(app) -> list[Submission]:
    with app.app_context():
        return list(db.session.scalars(db.select(Submission).order_by(Submission.id)))


def test_the_migrations_create_and_remove_the_submission_table(storage_app):
    with storage_app.app_context():
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("submission")}
        assert columns == {"id", "reference", "kind", "created_at", "language", "payload"}
        flask_migrate.downgrade(revision="base")
        assert "submission" not in sa.inspect(db.engine).get_table_names()
        flask_migrate.upgrade()
        assert "submission" in sa.inspect(db.engine).get_table_names()


def test_a_sent_form_is_in_the_database_before_its_confirmation(storage_app):
    client = storage_app.test_client()
    message = "Grüße aus Köln 👋 – 社会 – שלום\nZweite Zeile\twith tab"
    before = dt.datetime.now(dt.UTC)
    response = submit(client, "kontakt", message=message, name="Ａnna")
    assert response.status_code == 303
    [row] = rows(storage_app)
    assert row.kind == "kontakt" and row.language == "de"
    assert row.payload == {
        "name": "Ａnna",  # NFC keeps the full-width letter (NFKC would not)
        "email": VALID["kontakt"]["email"],
        "subject": VALID["kontakt"]["subject"],
        "message": message,
    }
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=dt.UTC)
    assert before - dt.timedelta(seconds=5) <= created <= dt.datetime.now(dt.UTC)
    page = soup(client.get(response.headers["Location"]).data)
    assert page.find(class_="confirmation__reference").strong.get_text() == row.reference


def test_every_form_stores_its_own_fields(storage_app):
    client = storage_app.test_client()
    for kind in VALID:
        assert submit(client, kind).status_code == 303
    stored = {row.kind: row.payload for row in rows(storage_app)}
    assert stored["bestellung"]["postcode"] == "40219" and stored["bestellung"]["copies"] == "2"
    assert stored["kontakt"]["subject"] == VALID["kontakt"]["subject"]
    assert stored["barriere"]["page"] == "/sozialberichte/"
    assert set(stored["barriere"]) == {"page", "description", "contact"}


def test_a_reference_drawn_twice_is_drawn_again(storage_app, monkeypatch):
    drawn = iter(["SB-2026-AAAAAAAA", "SB-2026-AAAAAAAA", "SB-2026-BBBBBBBB"])
    monkeypatch.setattr(models, "new_reference", lambda now: next(drawn))
    with storage_app.app_context():
        assert models.store("kontakt", {"message": "eins"}, "de") == "SB-2026-AAAAAAAA"
        assert models.store("kontakt", {"message": "zwei"}, "de") == "SB-2026-BBBBBBBB"
    assert [r.payload["message"] for r in rows(storage_app)] == ["eins", "zwei"]


def test_purge_keeps_the_last_90_days(storage_app):
    now = dt.datetime.now(dt.UTC)
    with storage_app.app_context():
        for days in (200, 91, 89, 0):
            db.session.add(
                Submission(
                    reference=f"SB-2026-AGE{days:05d}",
                    kind="barriere",
                    created_at=now - dt.timedelta(days=days),
                    language="de",
                    payload={"page": "/"},
                )
            )
        db.session.commit()
    result = storage_app.test_cli_runner().invoke(args=["submissions", "purge"])
    assert result.exit_code == 0, result.output
    assert "Deleted 2 submission(s)" in result.output
    assert sorted(r.reference for r in rows(storage_app)) == [
        "SB-2026-AGE00000",
        "SB-2026-AGE00089",
    ]


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_an_unreachable_database_gives_the_503_page(tmp_path, engine):
    url = {
        "sqlite": f"sqlite:///{tmp_path}/missing/db.sqlite3",
        "postgresql": f"postgresql://postgres@/postgres?host={tmp_path}&connect_timeout=2",
    }[engine]
    from .conftest import make_app

    app = make_app(DATABASE_URL=url, RATELIMIT_ENABLED=False)
    client = app.test_client()
    response = submit(client, "barriere", description="Kontrast zu schwach <hier>")
    assert response.status_code == 503
    values = [dd.get_text() for dd in soup(response.data).select("dd")]
    assert "Kontrast zu schwach <hier>" in values
    dispose_app(app)
