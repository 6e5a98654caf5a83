"""Editor accounts: password hashes, login throttling, and server-side sessions.

**Throttling** (README, "Editors' area"): guessing must stay slow, but nobody may be able to
lock a known editor out. Every password check is stored (:class:`LoginAttempt`) and three
limits apply before a password is checked:

1. *Per client address, all accounts*: at most ``EDITOR_LOGIN_RATE`` (10) checks a minute.
2. *Per account and browser*: the browser is the device cookie (below) when it has one for
   this account, else the client address. After ``EDITOR_FREE_FAILURES`` (3) failures since
   the last success, each further failure doubles the wait before the next check: 2, 4, 8 …
   seconds, at most ``EDITOR_MAX_DELAY`` (15 minutes) for an address, at most
   ``EDITOR_DEVICE_MAX_DELAY`` (1 minute) for a known browser.
3. *Per account, browsers without a device cookie, all addresses* (a distributed attack):
   after ``EDITOR_ACCOUNT_FREE_FAILURES`` (10) failures within an hour, the same doubling
   applies to every new browser, at most ``EDITOR_ACCOUNT_MAX_DELAY`` (30 seconds).

An attempt during a wait is refused with 429 and ``Retry-After`` *without* checking the
password and without being counted, so the editor's own attempts never extend a wait. A
successful login sets a **device cookie** (signed with ``SECRET_KEY``, bound to the account,
one year): a browser that has logged in before is exempt from limit 3 and has its own
counter in limit 2, so failures from elsewhere — one address or thousands — never keep it
out. Attempts are stored in the database, so the limits hold across workers and instances;
they are deleted after ``EDITOR_ATTEMPT_RETENTION_DAYS`` (7).

**Sessions** live in the database (:class:`EditorSession`): the signed Flask session cookie
carries a random token whose SHA-256 is the row's key. Logout deletes the row, "log out
everywhere" and a password change delete all rows of the account; a session also ends after
``EDITOR_SESSION_IDLE_SECONDS`` (30 minutes) without a request and
``EDITOR_SESSION_MAX_SECONDS`` (12 hours) after the login. A copied cookie is worthless
after any of these.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets

from flask import current_app, request, session
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..db import db
from .models import Editor, EditorSession, LoginAttempt, utcnow

PASSWORD_METHOD = "scrypt"  # noqa: S105 - the name of the hash method
MIN_PASSWORD_LENGTH = 12
#: Hash checked for unknown names, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-password", method=PASSWORD_METHOD)

SESSION_KEY = "editor"
DEVICE_COOKIE = "editor_device"
DEVICE_MAX_AGE = 365 * 24 * 3600
#: Failures older than this never count (the longest wait is far shorter).
FAILURE_WINDOW = dt.timedelta(hours=24)
ACCOUNT_WINDOW = dt.timedelta(hours=1)

DEFAULTS = {
    "EDITOR_LOGIN_RATE": 10,
    "EDITOR_FREE_FAILURES": 3,
    "EDITOR_MAX_DELAY": 900,
    "EDITOR_DEVICE_MAX_DELAY": 60,
    "EDITOR_ACCOUNT_FREE_FAILURES": 10,
    "EDITOR_ACCOUNT_MAX_DELAY": 30,
    "EDITOR_ATTEMPT_RETENTION_DAYS": 7,
    "EDITOR_SESSION_IDLE_SECONDS": 30 * 60,
    "EDITOR_SESSION_MAX_SECONDS": 12 * 3600,
}
#: ``last_seen`` is written at most this often (not on every request).
TOUCH_SECONDS = 60


def _setting(name: str) -> int:
    return int(current_app.config.get(name, DEFAULTS[name]))


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=PASSWORD_METHOD)


def _check_length(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"password shorter than {MIN_PASSWORD_LENGTH} characters")


def create_editor(name: str, password: str, role: str = "redaktion") -> Editor:
    _check_length(password)
    from .roles import ROLES

    if role not in ROLES:
        raise ValueError(f"unknown role {role!r} (one of {', '.join(ROLES)})")
    editor = Editor(name=name, password_hash=hash_password(password), role=role)
    db.session.add(editor)
    db.session.commit()
    return editor


def change_password(name: str, password: str) -> int:
    """Set a new password and end every session of the account; returns how many ended."""
    _check_length(password)
    editor = db.session.scalar(select(Editor).filter_by(name=name))
    if editor is None:
        raise LookupError(f"no editor named {name!r}")
    editor.password_hash = hash_password(password)
    ended = _end_sessions(editor.id)
    db.session.commit()
    return ended


def client_address() -> str:
    return (request.remote_addr or "unknown")[:64]


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


# --- device cookie ----------------------------------------------------------------------


def _device_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="editor-device")


def device_for(name: str) -> str | None:
    """The id of this browser's device cookie when it was issued for account ``name``."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return None
    try:
        data = _device_serializer().loads(raw, max_age=DEVICE_MAX_AGE)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or data.get("name") != name:
        return None
    device = data.get("device")
    return device if isinstance(device, str) and len(device) <= 32 else None


def set_device_cookie(response, name: str) -> None:
    """After a successful login: this browser is known for account ``name`` from now on."""
    device = device_for(name) or secrets.token_hex(16)
    value = _device_serializer().dumps({"name": name, "device": device})
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=DEVICE_MAX_AGE,
        path="/redaktion/",
        httponly=True,
        samesite="Strict",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )


# --- throttling -------------------------------------------------------------------------


def too_many_from_client() -> bool:
    """Limit 1: ``EDITOR_LOGIN_RATE`` password checks from this address in the last minute."""
    since = utcnow() - dt.timedelta(minutes=1)
    count = db.session.scalar(
        select(func.count(LoginAttempt.id)).filter(
            LoginAttempt.client == client_address(), LoginAttempt.at >= since
        )
    )
    return count >= _setting("EDITOR_LOGIN_RATE")


def _delay(failures: int, free: int, cap: int) -> float:
    """Seconds to wait after the last of ``failures``: 0 for the free ones, then doubling."""
    if failures < free:
        return 0
    return min(2.0 ** (failures - free + 1), cap)


def _failures_since_success(name: str, *criteria) -> list[dt.datetime]:
    since = utcnow() - FAILURE_WINDOW
    last_success = db.session.scalar(
        select(func.max(LoginAttempt.at)).filter(
            LoginAttempt.name == name, LoginAttempt.success.is_(True), *criteria
        )
    )
    if last_success is not None:
        since = max(since, _aware(last_success))
    query = select(LoginAttempt.at).filter(
        LoginAttempt.name == name,
        LoginAttempt.success.is_(False),
        LoginAttempt.at > since,
        *criteria,
    )
    return sorted(_aware(at) for at in db.session.scalars(query))


def wait_seconds(name: str) -> int:
    """Seconds until a password for ``name`` may be checked from this browser (0: now)."""
    now = utcnow()
    device = device_for(name)
    waits = [0.0]
    if device is not None:
        own = _failures_since_success(name, LoginAttempt.device == device)
        cap = _setting("EDITOR_DEVICE_MAX_DELAY")
    else:
        own = _failures_since_success(
            name, LoginAttempt.device.is_(None), LoginAttempt.client == client_address()
        )
        cap = _setting("EDITOR_MAX_DELAY")
    if own:
        delay = _delay(len(own), _setting("EDITOR_FREE_FAILURES"), cap)
        waits.append((own[-1] + dt.timedelta(seconds=delay) - now).total_seconds())
    if device is None:
        since = now - ACCOUNT_WINDOW
        query = select(LoginAttempt.at).filter(
            LoginAttempt.name == name,
            LoginAttempt.success.is_(False),
            LoginAttempt.device.is_(None),
            LoginAttempt.at > since,
        )
        everyone = sorted(_aware(at) for at in db.session.scalars(query))
        if everyone:
            delay = _delay(
                len(everyone),
                _setting("EDITOR_ACCOUNT_FREE_FAILURES"),
                _setting("EDITOR_ACCOUNT_MAX_DELAY"),
            )
            waits.append((everyone[-1] + dt.timedelta(seconds=delay) - now).total_seconds())
    return max(0, math.ceil(max(waits)))


def authenticate(name: str, password: str) -> Editor | None:
    """Check the password and record the attempt. The caller checks limits first."""
    editor = db.session.scalar(select(Editor).filter_by(name=name))
    valid = check_password_hash(editor.password_hash if editor else _DUMMY_HASH, password)
    success = bool(editor and valid)
    record_attempt(name, success)
    return editor if success else None


def record_attempt(name: str, success: bool) -> None:
    """Store one password check, and delete the attempts that are past their retention."""
    purge_attempts()
    db.session.add(
        LoginAttempt(
            name=name[:80],
            client=client_address(),
            success=success,
            device=device_for(name),
            at=utcnow(),
        )
    )
    db.session.commit()


def purge_attempts(now: dt.datetime | None = None) -> int:
    """Delete login attempts (they hold IP addresses) older than the retention period."""
    cutoff = (now or utcnow()) - dt.timedelta(days=_setting("EDITOR_ATTEMPT_RETENTION_DAYS"))
    result = db.session.execute(delete(LoginAttempt).where(LoginAttempt.at < cutoff))
    return result.rowcount or 0


# --- sessions ---------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def log_in(editor: Editor) -> None:
    _delete_current()  # a login over an earlier one ends that one (a copy of it opens nothing)
    session.clear()  # a fresh session: no fixation of an earlier one
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        EditorSession(id=_token_hash(token), editor_id=editor.id, created_at=now, last_seen=now)
    )
    db.session.commit()
    session[SESSION_KEY] = {"token": token}
    session.permanent = False


def _current_id() -> str | None:
    data = session.get(SESSION_KEY)
    token = data.get("token") if isinstance(data, dict) else None
    return _token_hash(token) if isinstance(token, str) else None


def _current_row() -> EditorSession | None:
    session_id = _current_id()
    return db.session.get(EditorSession, session_id) if session_id else None


def _delete_current() -> None:
    """Delete this browser's session row (a bulk delete: a concurrent request that deleted
    it first is no error)."""
    session_id = _current_id()
    if session_id:
        db.session.execute(delete(EditorSession).where(EditorSession.id == session_id))
        db.session.commit()


def _end_sessions(editor_id: int) -> int:
    result = db.session.execute(delete(EditorSession).where(EditorSession.editor_id == editor_id))
    return result.rowcount or 0


def log_out() -> None:
    _delete_current()
    session.clear()


def log_out_everywhere(editor_id: int) -> int:
    ended = _end_sessions(editor_id)
    db.session.commit()
    session.clear()
    return ended


def _expired(row: EditorSession, now: dt.datetime) -> bool:
    idle = dt.timedelta(seconds=_setting("EDITOR_SESSION_IDLE_SECONDS"))
    lifetime = dt.timedelta(seconds=_setting("EDITOR_SESSION_MAX_SECONDS"))
    return _aware(row.last_seen) + idle <= now or _aware(row.created_at) + lifetime <= now


def current_editor() -> dict | None:
    """The logged-in editor (``{"id", "name", "role"}``) or ``None``; ends an expired
    session."""
    if not session.get(SESSION_KEY):
        return None
    row = _current_row()
    now = utcnow()
    editor = db.session.get(Editor, row.editor_id) if row is not None else None
    if row is None or editor is None or _expired(row, now):
        if row is not None:
            db.session.expunge(row)
            _delete_current()
        session.pop(SESSION_KEY, None)
        return None
    if (now - _aware(row.last_seen)).total_seconds() >= TOUCH_SECONDS:
        row.last_seen = now
        db.session.commit()
    return {"id": editor.id, "name": editor.name, "role": editor.role}


def purge_sessions(now: dt.datetime | None = None) -> int:
    """Delete expired sessions (an expired one opens nothing anyway; this keeps it tidy)."""
    now = now or utcnow()
    idle = now - dt.timedelta(seconds=_setting("EDITOR_SESSION_IDLE_SECONDS"))
    old = now - dt.timedelta(seconds=_setting("EDITOR_SESSION_MAX_SECONDS"))
    result = db.session.execute(
        delete(EditorSession).where(
            (EditorSession.last_seen <= idle) | (EditorSession.created_at <= old)
        )
    )
    return result.rowcount or 0
