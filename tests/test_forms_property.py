"""Property-based tests (Hypothesis): arbitrary strings, sizes and encodings at every field
of every form, and arbitrary request bodies. The portal answers each with a page (stored,
or errors shown, or a 4xx page), never with a 500; what it stores is NFC, free of control
characters and within the length limits; a body that is not UTF-8 gets a 400."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote_from_bytes

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from webapp.db import db
from webapp.forms.definitions import FORMS
from webapp.forms.models import Submission
from webapp.forms.validation import bad_characters
from webapp.input_encoding import is_valid_form_body

from .conftest import make_app
from .forms_support import FORM_PATHS, VALID, csrf_token

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ENCODINGS = ["utf-8", "latin-1", "cp1252", "utf-16-le", "utf-32", "shift_jis", "koi8-r"]
#: Any text Python can send (lone surrogates cannot be encoded by any client).
any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
long_text = st.integers(min_value=0, max_value=7000).map(lambda n: "ä" * n)
field_value = st.one_of(any_text, long_text, st.sampled_from(["", " ", "\r\n", "\x00", "5"]))


@pytest.fixture(scope="module")
def prop_app():
    return make_app(RATELIMIT_ENABLED=False)


@pytest.fixture(scope="module")
def prop_client(prop_app):
    return prop_app.test_client()


@pytest.fixture(scope="module")
def token(prop_client):
    return csrf_token(prop_client)


def latest(app, kind):
    with app.app_context():
        query = db.select(Submission).where(Submission.kind == kind)
        return db.session.scalars(query.order_by(Submission.id.desc())).first()


@pytest.mark.parametrize("kind", FORM_PATHS)
@SETTINGS
@given(data=st.data())
def test_arbitrary_text_in_every_field_never_fails(prop_app, prop_client, token, kind, data):
    fields = {name: data.draw(field_value, label=name) for name in VALID[kind]}
    fields["csrf_token"] = token
    response = prop_client.post(FORM_PATHS[kind], data=fields)
    assert response.status_code in {303, 413, 422}, response.status_code
    if response.status_code == 303:
        form = FORMS[kind]
        row = latest(prop_app, kind)
        for name, value in row.payload.items():
            assert value == unicodedata.normalize("NFC", value), name
            multiline = name in {"message", "description"}
            assert not bad_characters(value, multiline), name
            limit = next(v.max_length for v in getattr(form, name).kwargs["validators"])
            assert len(value) <= limit, name


@pytest.mark.parametrize("kind", FORM_PATHS)
@SETTINGS
@given(data=st.data())
def test_any_encoding_and_size_never_fails(prop_client, token, kind, data):
    """Field values encoded in another charset, percent-encoded, repeated or oversized."""
    encoding = data.draw(st.sampled_from(ENCODINGS), label="encoding")
    parts = [f"csrf_token={token}"]
    for name in VALID[kind]:
        text = data.draw(any_text, label=name)
        raw = text.encode(encoding, errors="replace")
        for _ in range(data.draw(st.integers(1, 2), label="repeat")):
            parts.append(f"{name}={quote_from_bytes(raw)}")
    padding = data.draw(st.sampled_from([0, 1000, 70_000]), label="padding")
    if padding:
        parts.append("extra=" + "x" * padding)
    content_type = data.draw(
        st.sampled_from(
            [
                "application/x-www-form-urlencoded",
                f"application/x-www-form-urlencoded; charset={encoding}",
                "application/x-www-form-urlencoded; charset=nonsense",
            ]
        ),
        label="content type",
    )
    body = "&".join(parts).encode("ascii")
    response = prop_client.post(FORM_PATHS[kind], data=body, content_type=content_type)
    assert response.status_code in {303, 400, 413, 422}, response.status_code
    # Not UTF-8 (the portal's only encoding): refused with a 400 page, never stored with
    # replacement characters (webapp/input_encoding.py).
    if is_valid_form_body(body):
        assert response.status_code != 400
    else:
        assert response.status_code in {400, 413}, response.status_code


@pytest.mark.parametrize("kind", FORM_PATHS)
@SETTINGS
@given(
    body=st.binary(max_size=2000),
    content_type=st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=xyz",
            "multipart/form-data",
            "text/plain; charset=utf-8",
            "application/json",
            "",
        ]
    ),
    htmx=st.booleans(),
)
@example(body=b"0", content_type="application/json", htmx=False)  # Flask-WTF reads JSON
@example(body=b"--xyz\r\n", content_type="multipart/form-data; boundary=xyz", htmx=True)
def test_arbitrary_bodies_never_fail(prop_client, kind, body, content_type, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    response = prop_client.post(
        FORM_PATHS[kind], data=body, content_type=content_type, headers=headers
    )
    assert response.status_code < 500
    assert response.status_code in {400, 413, 422}
