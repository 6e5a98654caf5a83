"""Form fields that are not valid UTF-8 (issue 11): a clear, translated 400, nothing stored
with replacement characters — public forms and the editors' area alike."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from webapp.db import db
from webapp.editor.models import TranslationOverride
from webapp.forms.models import Submission

from .conftest import make_app
from .fixtures_editor import key_of
from .forms_support import csrf_token
from .helpers import soup

INVALID = b"Caf%C3%A9 %FF%FE und %C3"  # a valid é, then bytes that are no UTF-8


@pytest.fixture(scope="module")
def forms_app():
    return make_app(RATELIMIT_ENABLED=False)


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize(
    ("prefix", "message"),
    [
        ("", "nicht lesbar"),
        ("/en", "could not be read"),
        ("/leichte-sprache", "kaputt"),
    ],
)
def test_invalid_utf8_in_a_public_form_is_refused_with_a_translated_message(
    forms_app, prefix, message
):
    client = forms_app.test_client()
    token = csrf_token(client, prefix + "/kontakt").encode()
    body = (
        b"csrf_token=" + token + b"&email=erika%40beispiel.de&subject=Frage"
        b"&consent=y&message=" + INVALID
    )
    before = count(forms_app, Submission)
    response = client.post(
        prefix + "/kontakt", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert message in soup(response.text).find("main").get_text(" ")
    assert count(forms_app, Submission) == before


def test_valid_utf8_still_passes(forms_app):
    client = forms_app.test_client()
    token = csrf_token(client, "/kontakt").encode()
    body = (
        b"csrf_token=" + token + b"&email=erika%40beispiel.de&subject=Frage"
        b"&consent=y&message=Caf%C3%A9+%F0%9F%99%82+%EF%BF%BD+ok"
    )
    response = client.post("/kontakt", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 303


def test_invalid_utf8_in_an_editor_form_is_refused_and_nothing_saved(editor_client, editor_app):
    title = editor_app.extensions["sozialberichte.content"].get("/hilfen").title
    url = f"/redaktion/en/eintrag/{key_of(title)}"
    page = soup(editor_client.get(url).text)
    token = page.find("input", attrs={"name": "csrf_token"})["value"].encode()
    body = b"csrf_token=" + token + b"&version=0&action=save&msgstr-0=" + INVALID
    response = editor_client.post(url, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "nicht lesbar" in soup(response.text).find("main").get_text(" ")
    assert count(editor_app, TranslationOverride) == 0
