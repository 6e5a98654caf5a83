"""Editors' area, accounts: login, logout, cookie flags, CSRF, and
that no editor URL gives anything but the login page without a login."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from webapp.db import db
from webapp.editor.models import AuditEntry, Editor

from .fixtures_db import dispose_app
from .fixtures_editor import PASSWORD, add_editors, csrf_token, key_of, log_in, make_editor_app
from .helpers import soup

#: Values for the variable parts of the editor URLs.
SAMPLE_VALUES = {
    "slug": "leichte-sprache",
    "audit_id": 1,
    "submission_id": 1,
    "document_id": 1,
    "doc_id": 1,
    "number": 1,
    "kind_slug": "meldung",
}
#: A document catalog (one per content file, webapp/i18n/catalogs.py).
SAMPLE_VALUES["name"] = "content/seiten/hilfen"


def editor_urls(app, **values) -> list[tuple[str, str]]:
    """(method, URL) of every route under /redaktion/ except the login page."""
    samples = {**SAMPLE_VALUES, **values}
    found = []
    with app.app_context():
        msgid = app.extensions["sozialberichte.content"].get("/hilfen").title
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/redaktion/") or rule.endpoint == "editor.login":
            continue
        args = {name: samples.get(name, key_of(msgid)) for name in rule.arguments}
        url = rule.build(args)[1]
        if rule.endpoint == "editor.edit_file":
            url += "?pfad=/hilfen"
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((method, url))
    return found


def test_every_editor_url_without_login_gives_the_login_page_and_no_data(editor_app):
    client = editor_app.test_client()
    urls = editor_urls(editor_app)
    assert len(urls) >= 15  # every page and action is in the list
    with editor_app.app_context():
        audits_before = db.session.scalar(select(func.count(AuditEntry.id)))
    for method, url in urls:
        response = client.open(url, method=method)
        assert response.status_code == 303, (method, url)
        assert response.headers["Location"].startswith("/redaktion/anmelden"), (method, url)
        assert response.headers["Cache-Control"] == "no-store"
        assert b"msgid" not in response.data and b"Redaktion" not in response.data
        landing = client.get(response.headers["Location"])
        assert landing.status_code == 200
        assert soup(landing.text).h1.get_text(strip=True) == "Anmelden – Redaktion"
        assert soup(landing.text).find("input", attrs={"name": "password"}) is not None
    with editor_app.app_context():
        assert db.session.scalar(select(func.count(AuditEntry.id))) == audits_before


def test_login_with_the_right_password_opens_the_overview_and_returns_to_the_page(editor_app):
    client = editor_app.test_client()
    first = client.get("/redaktion/protokoll")
    assert first.headers["Location"] == "/redaktion/anmelden?next=/redaktion/protokoll"
    page = client.get(first.headers["Location"])
    response = client.post(
        "/redaktion/anmelden",
        data={
            "csrf_token": csrf_token(page.text),
            "name": "redakteurin",
            "password": PASSWORD,
            "next": "/redaktion/protokoll",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/redaktion/protokoll"
    overview = client.get("/redaktion/")
    assert overview.status_code == 200
    assert "Angemeldet als redakteurin" in overview.text


def test_login_does_not_redirect_to_another_site(editor_app):
    client = editor_app.test_client()
    page = client.get("/redaktion/anmelden")
    response = client.post(
        "/redaktion/anmelden",
        data={
            "csrf_token": csrf_token(page.text),
            "name": "redakteurin",
            "password": PASSWORD,
            "next": "//evil.example/redaktion/",
        },
    )
    assert response.headers["Location"] == "/redaktion/"


def test_wrong_password_and_unknown_name_get_the_same_answer(editor_app):
    client = editor_app.test_client()
    wrong = log_in(client, password="falsch falsch falsch")
    unknown = log_in(client, name="niemand", password="falsch falsch falsch")
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert "Name oder Passwort ist falsch." in response.text
        assert soup(response.text).title.get_text().startswith("Fehler:")
    assert "Angemeldet" not in client.get("/redaktion/anmelden").text


# Throttling of logins (growing delays per browser and per account, no lockout of known
# editors): tests/test_editor_sessions.py.


def test_logout_ends_the_session_and_needs_a_token(editor_client):
    assert editor_client.post("/redaktion/abmelden").status_code == 400
    assert editor_client.get("/redaktion/").status_code == 200
    page = editor_client.get("/redaktion/")
    response = editor_client.post("/redaktion/abmelden", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 303
    assert "Sie sind abgemeldet." in editor_client.get(response.headers["Location"]).text
    assert editor_client.get("/redaktion/").status_code == 303


def test_a_change_without_csrf_token_is_refused_and_changes_nothing(editor_client, editor_app):
    with editor_app.app_context():
        msgid = editor_app.extensions["sozialberichte.content"].get("/hilfen").title
    url = f"/redaktion/leichte-sprache/eintrag/{key_of(msgid)}"
    response = editor_client.post(url, data={"version": 0, "msgstr-0": "Neu", "action": "save"})
    assert response.status_code == 400
    # The editor's text is not lost (an expired session looks the same).
    page = soup(response.text)
    assert page.find("textarea", id="msgstr-0").get_text() == "Neu"
    assert "Sitzung ist abgelaufen" in page.select_one(".error-summary").get_text()
    assert editor_client.post("/redaktion/abmelden").status_code == 400
    with editor_app.app_context():
        assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


@pytest.mark.parametrize("secure", [False, True])
def test_session_cookie_is_httponly_samesite_and_secure_when_configured(
    secure, tmp_path, own_translations
):
    url = f"sqlite:///{tmp_path}/cookie.sqlite3"
    app = make_editor_app(url, own_translations, COOKIE_SECURE=secure)
    add_editors(app)
    response = log_in(app.test_client())
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert re.search(r"SameSite=(Lax|Strict)", cookie)
    assert ("Secure" in cookie) is secure
    dispose_app(app)


def test_editor_pages_are_never_cached(editor_client):
    response = editor_client.get("/redaktion/")
    assert response.headers["Cache-Control"] == "no-store"


def test_flask_editor_add_asks_for_the_password_twice_and_stores_a_strong_hash(editor_app):
    runner = editor_app.test_cli_runner()
    mismatch = runner.invoke(
        args=["editor", "add", "neu"], input="ein gutes Passwort 1\nein anderes Passwort\n" * 1
    )
    assert mismatch.exit_code != 0
    short = runner.invoke(args=["editor", "add", "neu"], input="kurz\nkurz\n")
    assert short.exit_code != 0 and "shorter" in short.output
    result = runner.invoke(
        args=["editor", "add", "neu"], input="ein gutes Passwort 1\nein gutes Passwort 1\n"
    )
    assert result.exit_code == 0, result.output
    assert "ein gutes Passwort" not in result.output
    with editor_app.app_context():
        editor = db.session.scalar(select(Editor).filter_by(name="neu"))
    assert editor.password_hash.startswith("scrypt:")
    assert "ein gutes Passwort" not in editor.password_hash
    again = runner.invoke(
        args=["editor", "add", "neu"], input="ein gutes Passwort 1\nein gutes Passwort 1\n"
    )
    assert again.exit_code != 0
    client = editor_app.test_client()
    assert log_in(client, name="neu", password="ein gutes Passwort 1").status_code == 303


def test_every_editor_page_is_valid_html_for_a_logged_in_editor(editor_client, editor_app):
    import html5lib

    from webapp.publishing import workflow

    from .test_downloads import add_document

    add_document(editor_app, document_id=SAMPLE_VALUES["document_id"], revision=True)
    with editor_app.test_request_context():  # a German document, for its pages
        doc = workflow.create("news", "html-test", {"title": "HTML-Test"}, "redakteurin", set())
        doc_id = doc.id
    pages = 0
    for method, url in editor_urls(editor_app, doc_id=doc_id):
        if method != "GET":
            continue
        response = editor_client.get(url)
        assert response.status_code == 200, url
        if response.mimetype != "text/html":
            continue
        pages += 1
        html5lib.HTMLParser(strict=True).parse(response.text)
        assert soup(response.text).h1 is not None, url
    assert pages >= 7


def test_editor_pages_have_the_same_display_controls_as_the_public_pages(client, app):
    public = soup(client.get("/hilfen").text).select_one(".service-bar")
    login = soup(client.get("/redaktion/anmelden").text).select_one(".service-bar")
    buttons = [b.get_text(" ", strip=True) for b in public.find_all("button")]
    assert buttons, "the service bar has display buttons"
    assert [b.get_text(" ", strip=True) for b in login.find_all("button")] == buttons


def test_display_controls_on_an_editor_page_apply_and_return_to_it(editor_client):
    page = soup(editor_client.get("/redaktion/protokoll").text)
    form = page.find("button", id="anzeige-groesser").find_parent("form")
    data = {i["name"]: i["value"] for i in form.find_all("input", type="hidden")}
    assert data["zurueck"] == "/redaktion/protokoll"
    data["aktion"] = page.find("button", id="anzeige-groesser")["value"]
    response = editor_client.post(
        form["action"], data=data, headers={"Sec-Fetch-Site": "same-origin"}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/redaktion/protokoll#anzeige-groesser"
    again = editor_client.get(response.headers["Location"])
    assert again.status_code == 200
    assert soup(again.text).html.get("class")  # the larger text size is applied
