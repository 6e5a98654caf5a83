"""The three forms over HTTP: fields and links, every validation rule in German, English
and Leichte Sprache, the GOV.UK error state (full page and htmx fragment), Post/Redirect/Get,
prefilled barrier page, abuse protection (CSRF, honeypot, size, rate), the 503 page when
the database is down, no personal data in the logs, purge and the privacy notice."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from webapp.db import db
from webapp.forms.models import Submission

from .conftest import make_app
from .forms_support import FORM_PATHS, VALID, csrf_token, error_messages, submit
from .helpers import soup, visible

LANGUAGES = {"de": "", "en": "/en", "ls": "/leichte-sprache"}


@pytest.fixture(scope="module")
def forms_app():
    """One app for the module, without rate limits (the rate test makes its own)."""
    return make_app(RATELIMIT_ENABLED=False)


@pytest.fixture()
def forms_client(forms_app):
    return forms_app.test_client()


def stored(app, kind=None) -> list[Submission]:
    with app.app_context():
        query = db.select(Submission).order_by(Submission.id)
        if kind:
            query = query.where(Submission.kind == kind)
        return list(db.session.scalars(query))


# --- the pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", FORM_PATHS)
def test_each_form_page_has_its_text_and_a_labelled_novalidate_form(forms_client, kind):
    response = forms_client.get(FORM_PATHS[kind])
    assert response.status_code == 200
    page = soup(response.data)
    form = page.select_one("main form")
    assert form.has_attr("novalidate") and form["method"] == "post"
    assert form["data-hx-post"] == FORM_PATHS[kind] == form["action"]
    fields = form.select("input:not([type=hidden]), textarea")
    visible = [f for f in fields if f.find_parent(class_="form-honeypot") is None]
    assert {f["name"] for f in visible} == set(VALID[kind])
    for field in visible:
        label = page.find("label", attrs={"for": field["id"]})
        assert label is not None and label.get_text(strip=True), field["name"]
        for described in field.get("aria-describedby", "").split():
            assert page.find(id=described) is not None
    assert page.select_one("main h1").get_text(strip=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert "HX-Request" in response.headers["Vary"]


def test_the_contact_page_keeps_its_addresses_above_the_form(forms_client):
    main = soup(forms_client.get("/kontakt").data).find("main")
    text = main.get_text(" ", strip=True)
    assert text.index("schenberg@rvr.ruhr") < text.index("Schreiben Sie uns")
    assert main.find("form") is not None


def test_every_page_links_to_the_barrier_form_in_its_footer(crawled, pages):
    assert "/barriere-melden" in pages and "/sozialberichte/bestellen" in pages
    for path in pages:
        footer = soup(crawled[path].data).body.find("footer", recursive=False)
        links = [a["href"] for a in footer.find_all("a", href=True)]
        assert "/barriere-melden" in links, path


@pytest.mark.parametrize(
    ("page", "target"),
    [
        ("/barrierefreiheit", "/barriere-melden"),
        ("/sozialberichte/", "/sozialberichte/bestellen"),
        ("/", "/sozialberichte/bestellen"),
    ],
)
def test_content_pages_link_to_the_forms(client, page, target):
    main = soup(client.get(page).data).find("main")
    assert main.find("a", href=target) is not None


def test_the_privacy_notice_says_what_each_form_stores_and_for_how_long(client):
    main = soup(client.get("/datenschutz").data).find("main")
    section = main.find(id="formulare")
    assert section is not None and section.name == "h2"
    text = main.get_text(" ", strip=True)
    for form in ("Sozialbericht bestellen", "Kontakt", "Barriere melden"):
        assert f"{form}:" in text
    assert "90 Tage" in text
    consent_hint = soup(client.get("/kontakt").data).find("a", href="/datenschutz#formulare")
    assert consent_hint is not None


# --- validation, in every language ---------------------------------------------------------

REQUIRED = "Bestätigen Sie, dass wir Ihre Angaben speichern dürfen"
EMAIL_FORMAT = (
    "Geben Sie eine E-Mail-Adresse im richtigen Format ein, zum Beispiel name@beispiel.de"
)
TOO_LONG = (
    "„%(label)s“ darf höchstens %(max)s Zeichen lang sein. Sie haben %(count)s Zeichen eingegeben."
)
CONTROL = (
    "„%(label)s“ enthält ein Steuerzeichen, das wir nicht speichern können. Bitte entfernen "
    "Sie es oder schreiben Sie den Text neu."
)

#: (form, field, value, German message (the msgid), its placeholders: labels are msgids too).
RULES = [
    ("bestellung", "name", "", "Geben Sie Ihren Vor- und Nachnamen ein", {}),
    ("bestellung", "street", " ", "Geben Sie Straße und Hausnummer ein", {}),
    ("bestellung", "postcode", "", "Geben Sie die Postleitzahl ein", {}),
    (
        "bestellung",
        "postcode",
        "4021",
        "Die Postleitzahl muss aus genau fünf Ziffern bestehen, zum Beispiel 40219",
        {},
    ),
    ("bestellung", "city", "", "Geben Sie den Ort ein", {}),
    ("bestellung", "copies", "", "Geben Sie die Anzahl der Exemplare ein", {}),
    ("bestellung", "copies", "zwei", "Geben Sie die Anzahl als Zahl ein, zum Beispiel 2", {}),
    ("bestellung", "copies", "6", "Sie können 1 bis 5 Exemplare bestellen", {}),
    ("bestellung", "email", "erika", EMAIL_FORMAT, {}),
    ("bestellung", "consent", None, REQUIRED, {}),
    ("bestellung", "city", "D" * 101, TOO_LONG, {"label": "Ort", "max": 100, "count": 101}),
    ("kontakt", "email", "", "Geben Sie Ihre E-Mail-Adresse ein", {}),
    ("kontakt", "email", "a@b", EMAIL_FORMAT, {}),
    ("kontakt", "subject", "", "Geben Sie einen Betreff ein", {}),
    ("kontakt", "message", "", "Geben Sie Ihre Nachricht ein", {}),
    (
        "kontakt",
        "message",
        "x" * 5001,
        TOO_LONG,
        {"label": "Ihre Nachricht", "max": 5000, "count": 5001},
    ),
    ("kontakt", "subject", "Frage\x07", CONTROL, {"label": "Betreff"}),
    ("kontakt", "name", "Erika\u202e", None, {}),  # a format character is text: accepted
    ("kontakt", "message", "Zeile\x00", CONTROL, {"label": "Ihre Nachricht"}),
    ("kontakt", "consent", None, REQUIRED, {}),
    ("barriere", "page", "", "Geben Sie die Seite an, auf der die Barriere ist", {}),
    (
        "barriere",
        "page",
        "https://example.org/kontakt",
        "Geben Sie die Adresse einer Seite dieses Portals an, zum Beispiel /kontakt",
        {},
    ),
    ("barriere", "description", "", "Beschreiben Sie die Barriere", {}),
    (
        "barriere",
        "contact",
        "0" * 201,
        TOO_LONG,
        {"label": "Kontakt für Rückfragen", "max": 200, "count": 201},
    ),
]


def translated(app, language: str, msgid: str, **params) -> str:
    """``msgid`` in ``language`` from the catalogs; fails when it is not translated."""
    from flask_babel import format_decimal, gettext

    from webapp.i18n import ENVIRON_KEY, is_translated

    code = {"de": "de", "en": "en", "ls": "de@ls"}[language]
    with app.test_request_context("/", environ_overrides={ENVIRON_KEY: code}):
        for text in (msgid, params.get("label")):
            if text and language != "de":
                assert is_translated(text), f"no {code} translation of {text!r}"
        if "label" in params:
            params["label"] = gettext(params["label"])
        for key in ("max", "count"):
            if key in params:
                params[key] = format_decimal(params[key])
        text = gettext(msgid, **params) if params else gettext(msgid)
        return " ".join(text.split())  # as shown: Leichte Sprache puts sentences on lines


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("kind", "field", "value", "msgid", "params"), RULES)
def test_every_validation_rule_in_every_language(
    forms_app, forms_client, kind, field, value, msgid, params, language
):
    before = len(stored(forms_app))
    response = submit(forms_client, kind, prefix=LANGUAGES[language], **{field: value})
    if msgid is None:
        assert response.status_code == 303
        return
    message = translated(forms_app, language, msgid, **params)
    assert response.status_code == 422
    assert error_messages(response) == {field: message}
    summary = soup(response.data).select(".error-summary a")
    assert [(a["href"], visible(a.get_text(" ", strip=True))) for a in summary] == [
        (f"#{field}", message)
    ]
    assert len(stored(forms_app)) == before


def test_the_error_state_follows_the_gov_uk_pattern(forms_client):
    response = submit(
        forms_client, "bestellung", name="<b>Erika</b> & Co", postcode="4021", copies="9"
    )
    assert response.status_code == 422
    page = soup(response.data)
    assert page.title.get_text() == "Fehler: Sozialbericht bestellen – Sozialberichte NRW"
    main = page.find("main")
    summary = main.find(class_="error-summary")
    assert summary is main.find(True), "the error summary comes first in main"
    assert summary["tabindex"] == "-1" and summary.has_attr("autofocus")
    assert summary.find("h2").get_text(strip=True) == "Bitte korrigieren Sie Ihre Angaben"
    assert [a["href"] for a in summary.find_all("a")] == ["#postcode", "#copies"]
    postcode = page.find(id="postcode")
    assert postcode["aria-invalid"] == "true"
    assert postcode["aria-describedby"].split() == ["postcode-hinweis", "postcode-fehler"]
    assert (
        page.find(id="postcode-hinweis").get_text(strip=True) == "Fünf Ziffern, zum Beispiel 40219"
    )
    assert postcode["value"] == "4021"
    name = page.find(id="name")
    assert name["value"] == "<b>Erika</b> & Co" and not name.has_attr("aria-invalid")
    assert b"<b>Erika</b>" not in response.data, "entered text is escaped"
    assert page.find(id="consent").has_attr("checked"), "the ticked box stays ticked"
    assert page.find(id="status").get_text(strip=True) == ""


def test_with_htmx_an_invalid_form_is_answered_in_place_with_422(forms_client):
    response = submit(forms_client, "kontakt", htmx=True, email="", message="")
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#inhalt"
    html = response.get_data(as_text=True)
    assert "<html" not in html and "<main" not in html
    page = soup(html)
    assert page.title.get_text() == "Fehler: Kontakt – Sozialberichte NRW"
    assert page.find(class_="error-summary").has_attr("autofocus")
    status = page.find(attrs={"data-hx-swap-oob": "innerHTML:#status"})
    assert status.get_text(strip=True) == "Das Formular enthält 2 Fehler."
    assert page.find(id="subject")["value"] == VALID["kontakt"]["subject"]


# --- storing: Post/Redirect/Get ----------------------------------------------------------


def test_a_valid_form_is_stored_then_redirected_to_its_confirmation(forms_app, forms_client):
    response = submit(forms_client, "bestellung", name="Zoë Cafe\u0301", copies=" 3 ")
    assert response.status_code == 303
    assert response.headers["Location"] == "/sozialberichte/bestellen/bestaetigung"
    row = stored(forms_app, "bestellung")[-1]
    assert row.payload["name"] == "Zoë Café"  # NFC: the decomposed é is one character
    assert row.payload["copies"] == "3" and row.language == "de"
    assert "consent" not in row.payload and "csrf_token" not in row.payload
    confirmation = forms_client.get(response.headers["Location"])
    assert confirmation.status_code == 200
    page = soup(confirmation.data)
    assert page.find("h1").get_text(strip=True) == "Ihre Bestellung ist eingegangen"
    current = page.select_one('.breadcrumb [aria-current="page"]')
    assert current.get_text(strip=True) == "Ihre Bestellung ist eingegangen"
    assert page.find(class_="confirmation__reference").strong.get_text() == row.reference
    assert confirmation.headers["Cache-Control"] == "no-store"
    again = forms_client.get(response.headers["Location"])  # a reload shows it again
    assert row.reference in again.get_data(as_text=True)


def test_references_are_unique_and_readable(forms_app, forms_client):
    for _ in range(3):
        assert submit(forms_client, "kontakt").status_code == 303
    references = [row.reference for row in stored(forms_app)]
    assert len(set(references)) == len(references)
    year = dt.datetime.now(dt.UTC).year
    for reference in references:
        assert reference.startswith(f"SB-{year}-") and len(reference) == 16


def test_the_confirmation_needs_a_sent_form(forms_client):
    response = forms_client.get("/kontakt/bestaetigung")
    assert response.status_code == 303 and response.headers["Location"] == "/kontakt"
    submit(forms_client, "kontakt")
    # A confirmation belongs to its form: the order confirmation is not the contact one.
    other = forms_client.get("/sozialberichte/bestellen/bestaetigung")
    assert other.status_code == 303


def test_with_htmx_a_valid_form_redirects_the_whole_page(forms_app, forms_client):
    response = submit(forms_client, "barriere", htmx=True)
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == "/barriere-melden/bestaetigung"
    assert stored(forms_app, "barriere")[-1].payload["page"] == "/sozialberichte/"


def test_the_confirmation_is_in_the_visitors_language(forms_app, forms_client):
    title = translated(forms_app, "en", "Ihre Nachricht ist eingegangen")
    response = submit(forms_client, "kontakt", prefix="/en")
    assert response.headers["Location"] == "/en/kontakt/bestaetigung"
    assert stored(forms_app, "kontakt")[-1].language == "en"
    page = soup(forms_client.get(response.headers["Location"]).data)
    assert page.find("h1").get_text(strip=True) == title


# --- the barrier page: where the visitor came from -------------------------------------


@pytest.mark.parametrize(
    ("query", "referrer", "expected"),
    [
        ("?seite=/sozialplanung/", None, "/sozialplanung/"),
        ("", "http://localhost/en/aktuelles/?x=1", "/en/aktuelles/?x=1"),
        ("", "https://example.org/kontakt", ""),
        ("?seite=//example.org/", None, ""),
        ("?seite=javascript:alert(1)", None, ""),
        ("", "http://localhost/barriere-melden", ""),
    ],
)
def test_the_barrier_form_names_the_page_the_visitor_came_from(
    forms_client, query, referrer, expected
):
    headers = {"Referer": referrer} if referrer else {}
    page = soup(forms_client.get("/barriere-melden" + query, headers=headers).data)
    assert page.find(id="page")["value"] == expected


def test_a_full_address_of_this_site_is_stored_as_its_path(forms_app, forms_client):
    response = submit(forms_client, "barriere", page="http://localhost/hilfen#tasten")
    assert response.status_code == 303
    assert stored(forms_app, "barriere")[-1].payload["page"] == "/hilfen"


# --- abuse and bad input -----------------------------------------------------------------


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_a_missing_or_wrong_token_is_a_400_page_that_shows_the_text_back(
    forms_app, forms_client, token
):
    before = len(stored(forms_app))
    csrf_token(forms_client)  # the visitor has a session, but not this token
    response = submit(forms_client, "kontakt", token=token, message="Mein <Text>\nZeile 2")
    assert response.status_code == 400
    page = soup(response.data)
    assert page.find("h1").get_text(strip=True) == "Das Formular ist abgelaufen"
    # The form comes back filled in (WCAG 3.3.7), with a fresh token.
    message = page.select_one("main form").find("textarea", attrs={"name": "message"})
    assert message.get_text() == "Mein <Text>\nZeile 2"
    assert b"Mein <Text>" not in response.data
    assert len(stored(forms_app)) == before


@pytest.mark.parametrize("language", ["en", "ls"])
def test_the_token_page_is_translated(forms_app, forms_client, language):
    response = submit(forms_client, "kontakt", prefix=LANGUAGES[language], token=None)
    assert response.status_code == 400
    title = translated(forms_app, language, "Das Formular ist abgelaufen")
    assert soup(response.data).find("h1").get_text(strip=True) == title


def test_the_honeypot_is_hidden_from_everyone_and_a_filled_one_stores_nothing(
    forms_app, forms_client
):
    page = soup(forms_client.get("/kontakt").data)
    trap = page.find("input", attrs={"name": "website"})
    wrapper = trap.find_parent(class_="form-honeypot")
    assert wrapper.has_attr("hidden") and wrapper["aria-hidden"] == "true"
    assert trap["tabindex"] == "-1" and trap["autocomplete"] == "off"
    before = len(stored(forms_app))
    response = submit(forms_client, "kontakt", website="https://spam.example")
    assert response.status_code == 400
    assert "nicht gesendet" in soup(response.data).find("h1").get_text()
    assert len(stored(forms_app)) == before


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_request_over_the_size_limit_is_a_translated_413(forms_app, forms_client, language):
    before = len(stored(forms_app))
    limit = forms_app.config["MAX_CONTENT_LENGTH"]
    title = translated(forms_app, language, "Die gesendeten Angaben sind zu groß")
    response = submit(
        forms_client, "kontakt", prefix=LANGUAGES[language], message="x" * (limit + 1)
    )
    assert response.status_code == 413
    assert soup(response.data).find("h1").get_text(strip=True) == title
    assert len(stored(forms_app)) == before


def test_posts_are_rate_limited_per_client_with_a_translated_429(caplog):
    app = make_app(FORMS_RATE_LIMIT="2 per minute")
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "198.51.100.23"
    for _ in range(2):
        assert submit(client, "kontakt").status_code == 303
    with caplog.at_level(logging.INFO):
        response = submit(client, "kontakt", prefix="/en", message="Third <message>")
    assert "exceeded" in caplog.text and "198.51.100.23" not in caplog.text
    assert response.status_code == 429
    page = soup(response.data)
    assert page.find("h1").get_text(strip=True) == translated(app, "en", "Zu viele Anfragen")
    message = page.select_one("main form").find("textarea", attrs={"name": "message"})
    assert message.get_text() == "Third <message>"
    assert client.get("/kontakt").status_code == 200, "reading is not limited"
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert submit(other, "kontakt").status_code == 303, "another client has its own limit"


# --- the database is down ----------------------------------------------------------------


@pytest.fixture()
def app_without_database(tmp_path):
    """The database file lies in a folder that does not exist: every connection fails."""
    return make_app(
        DATABASE_URL=f"sqlite:///{tmp_path}/missing/db.sqlite3", RATELIMIT_ENABLED=False
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_database_down_gives_a_503_in_the_visitors_language_with_the_text_back(
    app_without_database, caplog, language
):
    prefix = LANGUAGES[language]
    title = translated(
        app_without_database, language, "Ihre Angaben konnten nicht gespeichert werden"
    )
    client = app_without_database.test_client()
    message = "Bitte 3 Exemplare <script>alert(1)</script>\nDanke, Zoë"
    with caplog.at_level(logging.DEBUG):
        response = submit(client, "kontakt", prefix=prefix, message=message)
    assert response.status_code == 503
    page = soup(response.data)
    assert page.find("h1").get_text(strip=True) == title
    shown = [dd.get_text() for dd in page.select("dd")]
    assert message in shown and VALID["kontakt"]["email"] in shown
    assert b"<script>alert(1)</script>" not in response.data
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors and "kontakt form: not stored" in errors[0].getMessage()
    logged = "\n".join(r.getMessage() + str(r.exc_text or "") for r in caplog.records)
    for personal in ("Zoë", "alert(1)", "erika@beispiel.de"):
        assert personal not in logged


def test_no_personal_data_in_the_logs_when_stored(forms_client, caplog):
    with caplog.at_level(logging.DEBUG):
        submit(forms_client, "bestellung", name="Unverwechselbar Q. Testperson", email="q@t.de")
        submit(forms_client, "kontakt", token=None, message="Geheimnis 4711")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for personal in ("Unverwechselbar", "q@t.de", "Geheimnis"):
        assert personal not in logged


# --- privacy: the purge ------------------------------------------------------------------


def test_purge_deletes_what_is_older_than_the_given_age(forms_app):
    now = dt.datetime.now(dt.UTC)
    with forms_app.app_context():
        db.session.execute(db.delete(Submission))
        for days, reference in ((91, "SB-2000-OLD00001"), (89, "SB-2000-NEW00001")):
            db.session.add(
                Submission(
                    reference=reference,
                    kind="kontakt",
                    created_at=now - dt.timedelta(days=days),
                    language="de",
                    payload={"message": "x"},
                )
            )
        db.session.commit()
    runner = forms_app.test_cli_runner()
    result = runner.invoke(args=["submissions", "purge", "--older-than", "90d"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 submission(s) older than 90 days." in result.output
    assert [row.reference for row in stored(forms_app)] == ["SB-2000-NEW00001"]
    bad = runner.invoke(args=["submissions", "purge", "--older-than", "ninety"])
    assert bad.exit_code != 0 and "90d" in bad.output
    assert [row.reference for row in stored(forms_app)] == ["SB-2000-NEW00001"]


# --- WCAG 3.3.7 / 2.2.1 / 3.3.4: nothing entered twice, time enough, the address seen --------


def test_invalid_submissions_do_not_count_toward_the_rate_limit():
    app = make_app(FORMS_RATE_LIMIT="2 per minute", FORMS_ATTEMPT_LIMIT="8 per minute")
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "198.51.100.24"
    for _ in range(4):  # a visitor correcting errors
        assert submit(client, "kontakt", email="").status_code == 422
    assert submit(client, "kontakt").status_code == 303
    assert submit(client, "kontakt").status_code == 303
    refused = submit(client, "kontakt", message="Dritte Nachricht")
    assert refused.status_code == 429
    # Junk without end still meets a limit.
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "198.51.100.25"
    codes = [submit(other, "kontakt", email="").status_code for _ in range(9)]
    assert codes == [422] * 8 + [429]


def resend(client, response):
    """Sends the form of a not-saved page as it came back (values and fresh token)."""
    form = soup(response.data).select_one("main form")
    data = {i["name"]: i.get("value", "") for i in form.find_all("input")}
    data.update({t["name"]: t.get_text() for t in form.find_all("textarea")})
    if "consent" in data:
        data["consent"] = "y"
    return client.post(form["action"], data=data)


@pytest.mark.parametrize("htmx", [False, True])
def test_the_rate_limit_page_gives_the_form_back_filled_in(htmx):
    app = make_app(FORMS_RATE_LIMIT="1 per minute")
    client = app.test_client()
    assert submit(client, "kontakt").status_code == 303
    response = submit(client, "kontakt", htmx=htmx, message="Zweite <Nachricht>")
    assert response.status_code == (422 if htmx else 429)
    page = soup(response.data)
    assert page.find("h1").get_text(strip=True) == "Zu viele Anfragen"
    form = page.select_one("form.form")
    assert form is not None and form["action"] == "/kontakt"
    assert form.find("textarea", attrs={"name": "message"}).get_text() == "Zweite <Nachricht>"
    assert form.find("input", attrs={"name": "email"})["value"] == VALID["kontakt"]["email"]
    assert form.find("input", attrs={"name": "csrf_token"})["value"]


def test_the_form_lasts_20_hours_and_an_expired_one_comes_back_filled_in(monkeypatch):
    import itsdangerous.timed

    app = make_app(RATELIMIT_ENABLED=False)
    assert app.config["WTF_CSRF_TIME_LIMIT"] >= 20 * 60 * 60
    client = app.test_client()
    token = csrf_token(client, "/sozialberichte/bestellen")
    now = itsdangerous.timed.time.time()
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: now + 20 * 60 * 60)
    assert submit(client, "bestellung", token=token).status_code == 303
    token = csrf_token(client, "/sozialberichte/bestellen")
    monkeypatch.setattr(itsdangerous.timed.time, "time", lambda: now + 50 * 60 * 60)
    expired = submit(client, "bestellung", token=token, city="Köln", street="Domkloster 4")
    assert expired.status_code == 400
    page = soup(expired.data)
    assert page.find("h1").get_text(strip=True) == "Das Formular ist abgelaufen"
    form = page.select_one("main form")
    assert form.find("input", attrs={"name": "street"})["value"] == "Domkloster 4"
    assert form.find("input", attrs={"name": "city"})["value"] == "Köln"
    again = resend(client, expired)
    assert again.status_code == 303, soup(again.data).find("h1")


def test_the_order_confirmation_shows_the_address_it_ships_to(forms_client):
    response = submit(forms_client, "bestellung", street="Fürstenwal 25", copies="3")
    confirmation = soup(forms_client.get(response.headers["Location"]).data)
    address = confirmation.select_one(".confirmation__address")
    lines = [line.strip() for line in address.get_text("\n").splitlines() if line.strip()]
    assert lines == ["Erika Mustermann", "Fürstenwal 25", "40219 Düsseldorf"]
    assert "Anzahl der Exemplare: 3" in confirmation.find("main").get_text(" ")
    other = submit(forms_client, "kontakt")
    page = soup(forms_client.get(other.headers["Location"]).data)
    assert page.select_one(".confirmation__address") is None


def test_email_fields_ask_phones_for_the_email_keyboard(forms_client):
    for kind in ("bestellung", "kontakt"):
        page = soup(forms_client.get(FORM_PATHS[kind]).data)
        field = page.find("input", attrs={"name": "email"})
        assert field["type"] == "email" and field["autocomplete"] == "email"
    street = soup(forms_client.get(FORM_PATHS["bestellung"]).data).find(
        "input", attrs={"name": "street"}
    )
    assert street["autocomplete"] == "address-line1"
