"""Editors' area, inbox: the submissions of the three forms, marked done, exported as CSV,
deleted."""

from __future__ import annotations

import csv
import io

from sqlalchemy import delete as sa_delete
from sqlalchemy import select

from webapp.db import db
from webapp.editor.models import SubmissionDone
from webapp.forms.models import Submission, store

from .fixtures_editor import csrf_token
from .helpers import soup


def add_submissions(app) -> dict[str, str]:
    with app.app_context():
        order = store(
            "bestellung",
            {
                "name": "Erika Muster",
                "street": "Weg 1",
                "postcode": "40219",
                "city": "Düsseldorf",
                "copies": "2",
                "email": "",
            },
            "de",
        )
        contact = store(
            "kontakt",
            {
                "name": "",
                "email": "a@example.org",
                "subject": '=HYPERLINK("x")',
                "message": "Eine Frage <script>alert(1)</script>",
            },
            "en",
        )
        return {"order": order, "contact": contact}


def article(page, reference):
    heading = page.find("h2", string=lambda s: s and reference in s)
    return heading.find_parent("article")


def test_inbox_lists_submissions_with_labels_and_escapes_them(editor_client, editor_app):
    refs = add_submissions(editor_app)
    page = soup(editor_client.get("/redaktion/eingang").text)
    order = article(page, refs["order"])
    assert order.find("h2").get_text(strip=True) == f"Bestellung: {refs['order']}"
    facts = order.select_one("dl").get_text(" ", strip=True)
    assert "Erika Muster" in facts and "Postleitzahl" in facts and "40219" in facts
    html = editor_client.get("/redaktion/eingang").text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert page.find(attrs={"data-announce": True}).get_text(strip=True) == "2 Nachrichten."


def test_mark_done_moves_a_submission_out_of_the_open_list(editor_client, editor_app):
    refs = add_submissions(editor_app)
    page = editor_client.get("/redaktion/eingang")
    form = (
        article(soup(page.text), refs["order"])
        .find("button", string="Als erledigt markieren")
        .find_parent("form")
    )
    response = editor_client.post(form["action"], data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 303
    open_list = soup(editor_client.get(response.headers["Location"]).text)
    assert f"{refs['order']} ist erledigt." in open_list.get_text()
    assert article(open_list, refs["contact"]) is not None
    assert open_list.find("h2", string=lambda s: s and refs["order"] in s) is None
    done = soup(editor_client.get("/redaktion/eingang?zeigen=erledigt").text)
    assert "erledigt von redakteurin" in article(done, refs["order"]).get_text()
    # Without a token nothing happens.
    other = article(open_list, refs["contact"]).find("form")["action"]
    assert editor_client.post(other).status_code == 400
    with editor_app.app_context():
        assert len(db.session.scalars(select(SubmissionDone)).all()) == 1


def test_csv_export_has_every_submission_and_defuses_formulas(editor_client, editor_app):
    refs = add_submissions(editor_app)
    response = editor_client.get("/redaktion/eingang.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert {row["reference"] for row in rows} == set(refs.values())
    contact = next(row for row in rows if row["reference"] == refs["contact"])
    assert contact["subject"] == '\'=HYPERLINK("x")'
    assert contact["language"] == "en"
    order = next(row for row in rows if row["reference"] == refs["order"])
    assert order["city"] == "Düsseldorf" and order["done"] == ""


def test_delete_removes_the_submission(editor_client, editor_app):
    refs = add_submissions(editor_app)
    page = editor_client.get("/redaktion/eingang")
    form = (
        article(soup(page.text), refs["contact"])
        .find("button", string="Löschen")
        .find_parent("form")
    )
    response = editor_client.post(form["action"], data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 303
    after = soup(editor_client.get(response.headers["Location"]).text)
    assert f"{refs['contact']} ist gelöscht." in after.get_text()
    with editor_app.app_context():
        left = db.session.scalars(select(Submission.reference)).all()
    assert left == [refs["order"]]


def test_a_new_submission_is_open_even_if_a_purged_done_one_had_its_id(editor_client, editor_app):
    refs = add_submissions(editor_app)
    with editor_app.app_context():
        order = db.session.scalar(select(Submission).filter_by(reference=refs["order"]))
        db.session.add(
            SubmissionDone(submission_id=order.id, reference=order.reference, done_by="x")
        )
        db.session.commit()
        # What `flask submissions purge` does: a bulk delete (SQLite does not cascade).
        db.session.execute(sa_delete(Submission))
        db.session.commit()
        new = store("barriere", {"page": "/", "description": "Kontrast zu gering"}, "de")
    page = soup(editor_client.get("/redaktion/eingang").text)
    assert article(page, new) is not None  # listed as open
    assert "offen" in article(page, new).select_one("dl").get_text()
