"""Editors' area, security of accounts and sessions (issue 11): login throttling that slows
guessing without locking editors out, server-side sessions (logout, log out everywhere,
password change, idle and absolute lifetime), the retention of login attempts, the database
outage, and the length limit of ``.po`` uploads."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import html5lib
import pytest
import sqlalchemy as sa
from babel.messages.pofile import read_po, write_po
from sqlalchemy import func, select

from webapp.db import db
from webapp.editor import auth
from webapp.editor.forms import MAX_TRANSLATION_LENGTH
from webapp.editor.models import EditorSession, LoginAttempt, TranslationOverride

from .fixtures_db import dispose_app, migrated_app
from .fixtures_editor import (
    OTHER_PASSWORD,
    PASSWORD,
    add_editors,
    csrf_token,
    key_of,
    log_in,
    make_editor_app,
)
from .helpers import soup

WRONG = "falsch falsch falsch"


def client_at(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


class Clock:
    """The time as the login code sees it (``auth.utcnow``): tests move it forward instead
    of waiting."""

    def __init__(self):
        self.now = dt.datetime.now(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture()
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(auth, "utcnow", fake)
    return fake


class Guesser:
    """An attacker's client: one session (so one CSRF token) posting from any address."""

    def __init__(self, app):
        self.client = app.test_client()
        self.token = csrf_token(self.client.get("/redaktion/anmelden").text)

    def __call__(self, address: str, password: str = WRONG):
        self.client.environ_base["REMOTE_ADDR"] = address
        data = {"csrf_token": self.token, "name": "redakteurin", "password": password}
        return self.client.post("/redaktion/anmelden", data=data)


def address(number: int) -> str:
    return f"198.51.{number // 250}.{number % 250}"


def retry_after(response) -> int:
    assert response.status_code == 429, response.status_code
    return int(response.headers["Retry-After"])


def password_checks(app, count) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(LoginAttempt.id))) - count


# --- throttling -------------------------------------------------------------------------


def test_one_client_guessing_gets_growing_delays_and_stays_slow(clock, editor_app):
    guess = Guesser(editor_app)
    statuses = [guess("192.0.2.66").status_code for _ in range(3)]
    assert statuses == [401, 401, 401]  # a few typos are free
    first = guess("192.0.2.66")
    wait = retry_after(first)
    assert "Bitte warten Sie" in first.text
    waits = [wait]
    for _ in range(4):
        clock.advance(waits[-1])
        assert guess("192.0.2.66").status_code == 401
        waits.append(retry_after(guess("192.0.2.66")))
    assert waits == sorted(waits) and waits[-1] > waits[0], waits  # the delays grow
    # Guessing for six simulated hours, always at the earliest moment: few guesses get checked.
    checked, elapsed = 0, 0
    while elapsed < 6 * 3600:
        response = guess("192.0.2.66")
        if response.status_code == 401:
            checked += 1
        else:
            seconds = retry_after(response)
            clock.advance(seconds)
            elapsed += seconds
    assert checked <= 6 * 3600 // 900 + 12, checked  # about one guess per 15 minutes


def test_the_editors_own_correct_attempts_do_not_extend_the_wait(clock, editor_app):
    client = editor_app.test_client()
    for _ in range(4):
        log_in(client, password=WRONG)  # the editor's own typos
    waits = [retry_after(log_in(client)) for _ in range(5)]  # the right password, too early
    assert waits == sorted(waits, reverse=True), waits  # it never grows
    clock.advance(waits[0])
    assert log_in(client).status_code == 303


def test_an_attacker_elsewhere_cannot_lock_the_editor_out(clock, editor_app):
    editor = editor_app.test_client()
    assert log_in(editor).status_code == 303  # this browser is known: it got a device cookie
    page = editor.get("/redaktion/")
    editor.post("/redaktion/abmelden", data={"csrf_token": csrf_token(page.text)})
    guess = Guesser(editor_app)
    for _ in range(5):  # guessing from another client
        guess("192.0.2.66")
    assert log_in(editor).status_code == 303, "the known browser gets in at once"
    fresh = editor_app.test_client()  # a new browser of the editor, on their own address
    assert log_in(fresh).status_code == 303
    # A distributed attack: 300 addresses over three minutes, the last guess just now.
    for number in range(300):
        guess(address(number))
        clock.advance(0.6)
    page = editor.get("/redaktion/")
    editor.post("/redaktion/abmelden", data={"csrf_token": csrf_token(page.text)})
    assert log_in(editor).status_code == 303, "the known browser is not affected"
    # A new browser waits at most half a minute, then gets in.
    newcomer = client_at(editor_app, "203.0.113.9")
    response = log_in(newcomer)
    if response.status_code != 303:
        seconds = retry_after(response)
        assert seconds <= 30
        clock.advance(seconds)
        assert log_in(newcomer).status_code == 303


def test_a_distributed_attack_on_one_account_stays_slow(clock, editor_app):
    before = password_checks(editor_app, 0)
    guess = Guesser(editor_app)
    checked, elapsed, number = 0, 0, 0
    while elapsed < 15 * 60:  # a quarter of an hour, simulated
        number += 1
        response = guess(address(number))
        if response.status_code == 401:
            checked += 1
        else:
            seconds = retry_after(response)
            clock.advance(seconds)
            elapsed += seconds
    assert checked <= 10 + 5 + 15 * 60 // 30, checked  # 10 free, then one per 30 s at most
    assert password_checks(editor_app, before) >= checked


def test_many_names_from_one_client_are_rate_limited(editor_app):
    client = editor_app.test_client()
    statuses = [log_in(client, name=f"name{i}", password="x" * 12).status_code for i in range(11)]
    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429
    assert "Zu viele Anmeldeversuche" in log_in(client).text


def test_a_forged_device_cookie_counts_as_a_new_browser(editor_app):
    client = editor_app.test_client()
    client.set_cookie("editor_device", "forged.value.here", path="/redaktion/")
    for _ in range(4):
        log_in(client, password=WRONG)
    assert log_in(client).status_code == 429


# --- sessions ---------------------------------------------------------------------------


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def copy_of(app, client):
    thief = app.test_client()
    thief.set_cookie("session", session_cookie(client))
    return thief


def log_out(client, url="/redaktion/abmelden"):
    page = client.get("/redaktion/")
    return client.post(url, data={"csrf_token": csrf_token(page.text)})


def test_logout_ends_the_session_on_the_server(editor_client, editor_app):
    thief = copy_of(editor_app, editor_client)
    assert thief.get("/redaktion/").status_code == 200
    assert thief.get("/redaktion/en/messages.po").status_code == 200
    response = log_out(editor_client)
    assert response.status_code == 303
    assert response.headers["Clear-Site-Data"] == '"cache"'
    for url in ("/redaktion/", "/redaktion/en/messages.po", "/redaktion/eingang"):
        response = thief.get(url)
        assert response.status_code == 303, url
        assert response.headers["Location"].startswith("/redaktion/anmelden")
    with editor_app.app_context():
        assert db.session.scalar(select(func.count(EditorSession.id))) == 0


def test_log_out_everywhere_ends_every_session_of_that_editor(editor_app):
    first, second, other = (editor_app.test_client() for _ in range(3))
    assert log_in(first).status_code == 303
    assert log_in(second).status_code == 303
    assert log_in(other, name="redakteur", password=OTHER_PASSWORD).status_code == 303
    assert "Überall abmelden" in first.get("/redaktion/").text
    response = log_out(first, "/redaktion/ueberall-abmelden")
    assert response.status_code == 303
    assert "überall abgemeldet" in first.get(response.headers["Location"]).text
    assert first.get("/redaktion/").status_code == 303
    assert second.get("/redaktion/").status_code == 303
    assert other.get("/redaktion/").status_code == 200  # another editor stays logged in
    assert first.post("/redaktion/ueberall-abmelden").status_code in (303, 400)


def test_a_password_change_ends_all_sessions(editor_app):
    client = editor_app.test_client()
    assert log_in(client).status_code == 303
    runner = editor_app.test_cli_runner()
    new = "ein ganz neues Passwort 9"
    short = runner.invoke(args=["editor", "password", "redakteurin"], input="kurz\nkurz\n")
    assert short.exit_code != 0
    assert client.get("/redaktion/").status_code == 200, "a refused change ends nothing"
    unknown = runner.invoke(args=["editor", "password", "niemand"], input=f"{new}\n{new}\n")
    assert unknown.exit_code != 0
    result = runner.invoke(args=["editor", "password", "redakteurin"], input=f"{new}\n{new}\n")
    assert result.exit_code == 0, result.output
    assert new not in result.output
    assert client.get("/redaktion/").status_code == 303
    assert log_in(editor_app.test_client()).status_code == 401
    assert log_in(editor_app.test_client(), password=new).status_code == 303


def test_idle_sessions_end_after_30_minutes(clock, editor_client, editor_app):
    clock.advance(29 * 60)
    assert editor_client.get("/redaktion/").status_code == 200  # activity renews it
    clock.advance(29 * 60)
    assert editor_client.get("/redaktion/").status_code == 200
    clock.advance(31 * 60)
    assert editor_client.get("/redaktion/").status_code == 303


def test_sessions_end_after_12_hours_however_active(clock, editor_client, editor_app):
    for _ in range(35):  # 11 h 40 min, a request every 20 minutes
        clock.advance(20 * 60)
        assert editor_client.get("/redaktion/").status_code == 200
    clock.advance(19 * 60)
    assert editor_client.get("/redaktion/").status_code == 200
    clock.advance(2 * 60)
    assert editor_client.get("/redaktion/").status_code == 303


def test_the_session_id_is_stored_only_as_a_hash(editor_client, editor_app):
    cookie = session_cookie(editor_client)
    with editor_app.app_context():
        ids = list(db.session.scalars(select(EditorSession.id)))
    assert len(ids) == 1 and len(ids[0]) == 64
    assert ids[0] not in cookie


def test_personal_data_pages_are_never_stored_by_caches(editor_client, editor_app):
    for url in ("/redaktion/", "/redaktion/eingang", "/redaktion/eingang.csv", "/redaktion/x/"):
        response = editor_client.get(url)
        assert response.headers["Cache-Control"] == "no-store", url
        assert "Cookie" in response.headers.get("Vary", ""), url


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_migration_0003_creates_the_session_table_and_downgrades(engine, request, tmp_path):
    import flask_migrate

    url = (
        f"sqlite:///{tmp_path}/m.sqlite3"
        if engine == "sqlite"
        else request.getfixturevalue("fresh_postgres_url")
    )
    app = migrated_app(url)
    with app.app_context():
        assert "editor_session" in sa.inspect(db.engine).get_table_names()
        flask_migrate.downgrade(revision="0002_editor")
        db.session.remove()
        assert "editor_session" not in sa.inspect(db.engine).get_table_names()
        flask_migrate.upgrade()
        assert "editor_session" in sa.inspect(db.engine).get_table_names()
    dispose_app(app)


# --- retention of login attempts --------------------------------------------------------


def test_login_attempts_are_deleted_after_seven_days(clock, editor_app):
    log_in(client_at(editor_app, "192.0.2.10"), password=WRONG)
    clock.advance(8 * 24 * 3600)
    log_in(client_at(editor_app, "192.0.2.11"), password=WRONG)
    with editor_app.app_context():
        clients = list(db.session.scalars(select(LoginAttempt.client)))
    assert clients == ["192.0.2.11"], "a new attempt deletes the expired ones"
    clock.advance(8 * 24 * 3600)
    result = editor_app.test_cli_runner().invoke(args=["editor", "purge"])
    assert result.exit_code == 0, result.output
    with editor_app.app_context():
        assert db.session.scalar(select(func.count(LoginAttempt.id))) == 0


def test_purge_ends_expired_sessions_too(clock, editor_client, editor_app):
    clock.advance(13 * 3600)
    result = editor_app.test_cli_runner().invoke(args=["editor", "purge"])
    assert result.exit_code == 0, result.output
    with editor_app.app_context():
        assert db.session.scalar(select(func.count(EditorSession.id))) == 0


# --- uploads obey the form's limits ------------------------------------------------------


def test_a_po_upload_obeys_the_length_limit_of_the_form(editor_client, editor_app):
    title = editor_app.extensions["sozialberichte.content"].get("/hilfen").title
    # the page's own catalog (one per document, translations/en/LC_MESSAGES/content/…)
    catalog = read_po(
        BytesIO(editor_client.get("/redaktion/en/katalog/content/seiten/hilfen.po").data)
    )
    catalog.get(title).string = "Help " * (MAX_TRANSLATION_LENGTH // 5 + 1)
    buffer = BytesIO()
    write_po(buffer, catalog)
    page = editor_client.get("/redaktion/en/hochladen")
    response = editor_client.post(
        "/redaktion/en/hochladen",
        data={"csrf_token": csrf_token(page.text), "file": (BytesIO(buffer.getvalue()), "a.po")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "höchstens" in soup(response.text).select_one(".error-summary").get_text()
    with editor_app.app_context():
        assert db.session.scalar(select(func.count(TranslationOverride.id))) == 0


# --- the database is down ----------------------------------------------------------------


@pytest.fixture()
def fragile_app(tmp_path, own_translations):
    """An editors' app whose database can be taken away (its folder renamed)."""
    folder = tmp_path / "db"
    folder.mkdir()
    app = make_editor_app(f"sqlite:///{folder}/editor.sqlite3", own_translations)
    add_editors(app)

    def break_database():
        folder.rename(tmp_path / "gone")
        with app.app_context():
            db.engine.dispose()

    app.break_database = break_database
    yield app
    dispose_app(app)


def test_database_down_the_editor_gets_a_503_with_the_text_back(fragile_app):
    client = fragile_app.test_client()
    assert log_in(client).status_code == 303
    title = fragile_app.extensions["sozialberichte.content"].get("/hilfen").title
    url = f"/redaktion/en/eintrag/{key_of(title)}"
    page = client.get(url)
    token = csrf_token(page.text)
    fragile_app.break_database()
    text = "Help <b>for</b> everyone, Zoë"
    response = client.post(
        url, data={"csrf_token": token, "version": "0", "msgstr-0": text, "action": "save"}
    )
    assert response.status_code == 503
    assert response.headers["Cache-Control"] == "no-store"
    html5lib.HTMLParser(strict=True).parse(response.text)
    shown = [dd.get_text() for dd in soup(response.text).select("dd")]
    assert text in shown
    assert b"<b>for</b>" not in response.data
    assert "nicht gespeichert" in soup(response.text).get_text()
    # Reading pages and the login answer 503 too, never 500.
    assert client.get("/redaktion/").status_code == 503
    newcomer = fragile_app.test_client()
    login_page = newcomer.get("/redaktion/anmelden")
    assert login_page.status_code == 200
    login = newcomer.post(
        "/redaktion/anmelden",
        data={
            "csrf_token": csrf_token(login_page.text),
            "name": "redakteurin",
            "password": PASSWORD,
        },
    )
    assert login.status_code == 503
    assert "redakteurin" in [dd.get_text() for dd in soup(login.text).select("dd")]
    assert PASSWORD not in login.text


def test_sessions_and_login_limits_on_postgresql(fresh_postgres_url, own_translations, clock):
    app = make_editor_app(fresh_postgres_url, own_translations)
    add_editors(app)
    editor = app.test_client()
    assert log_in(editor).status_code == 303
    thief = copy_of(app, editor)
    assert thief.get("/redaktion/eingang").status_code == 200
    guess = Guesser(app)
    assert [guess("192.0.2.66").status_code for _ in range(4)] == [401, 401, 401, 429]
    assert log_out(editor).status_code == 303
    assert thief.get("/redaktion/eingang").status_code == 303
    assert log_in(editor).status_code == 303  # the attacker's guesses do not delay it
    clock.advance(31 * 60)
    assert editor.get("/redaktion/").status_code == 303
    dispose_app(app)


def test_a_text_sent_after_the_session_ended_is_shown_back_not_lost(editor_client, editor_app):
    title = editor_app.extensions["sozialberichte.content"].get("/hilfen").title
    url = f"/redaktion/en/eintrag/{key_of(title)}?status=fuzzy"
    token = csrf_token(editor_client.get(url).text)
    thief_or_other_tab = copy_of(editor_app, editor_client)
    assert log_out(thief_or_other_tab).status_code == 303  # the session ends elsewhere
    text = "A long translation, written for an hour <i>carefully</i>"
    response = editor_client.post(
        url, data={"csrf_token": token, "version": "0", "msgstr-0": text, "action": "save"}
    )
    assert response.status_code == 401
    html5lib.HTMLParser(strict=True).parse(response.text)
    page = soup(response.text)
    assert text in [dd.get_text() for dd in page.select("dd")]
    assert b"<i>carefully</i>" not in response.data
    login = page.find("a", string="Anmelden")["href"]
    assert login.startswith("/redaktion/anmelden?next=") and "eintrag" in login
    with editor_app.app_context():
        assert db.session.scalar(select(func.count(TranslationOverride.id))) == 0


def test_a_new_login_in_the_same_browser_ends_the_earlier_session(editor_client, editor_app):
    thief = copy_of(editor_app, editor_client)
    assert log_in(editor_client).status_code == 303
    assert editor_client.get("/redaktion/").status_code == 200
    assert thief.get("/redaktion/").status_code == 303
    with editor_app.app_context():
        assert db.session.scalar(select(func.count(EditorSession.id))) == 1


# --- roles (issue 16: four-eyes principle) ---------------------------------------------------


def test_editor_add_takes_a_role_and_current_editor_reports_it(tmp_path):
    from webapp.editor import auth
    from webapp.editor.roles import FREIGABE, REDAKTION, has_role

    from .conftest import make_app

    app = make_app()
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["editor", "add", "frei", "--role", "freigabe"],
        input="x" * 16 + "\n" + "x" * 16 + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "(freigabe)" in result.output
    result = runner.invoke(args=["editor", "add", "red"], input="y" * 16 + "\n" + "y" * 16 + "\n")
    assert "(redaktion)" in result.output
    result = runner.invoke(args=["editor", "add", "bad", "--role", "chef"], input="z" * 16 + "\n")
    assert result.exit_code != 0
    with app.app_context():
        from webapp.db import db
        from webapp.editor.models import Editor

        roles = {e.name: e.role for e in db.session.scalars(db.select(Editor))}
        assert roles["frei"] == FREIGABE and roles["red"] == REDAKTION
        assert "bad" not in roles
        assert has_role({"role": FREIGABE}, REDAKTION) and has_role({"role": FREIGABE}, FREIGABE)
        assert not has_role({"role": REDAKTION}, FREIGABE) and not has_role(None, REDAKTION)
        try:
            auth.create_editor("x", "p" * 16, "chef")
        except ValueError:
            pass
        else:
            raise AssertionError("an unknown role is refused")
