"""Editor accounts: password hashes, login with a rate limit per client and a temporary
lockout per account after repeated failures, and the session of a logged-in editor.

Attempts are stored in the database, so limits hold across worker processes and instances.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app, request, session
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..db import db
from .models import Editor, LoginAttempt, utcnow

PASSWORD_METHOD = "scrypt"  # noqa: S105 - the name of the hash method
MIN_PASSWORD_LENGTH = 12
#: Hash checked for unknown names, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-password", method=PASSWORD_METHOD)

SESSION_KEY = "editor"


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=PASSWORD_METHOD)


def create_editor(name: str, password: str) -> Editor:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"password shorter than {MIN_PASSWORD_LENGTH} characters")
    editor = Editor(name=name, password_hash=hash_password(password))
    db.session.add(editor)
    db.session.commit()
    return editor


def _setting(name: str, default):
    return current_app.config.get(name, default)


def client_address() -> str:
    return (request.remote_addr or "unknown")[:64]


def locked_until(name: str) -> dt.datetime | None:
    """When the account's lockout ends, or ``None`` when it is not locked."""
    limit = int(_setting("EDITOR_MAX_FAILURES", 5))
    window = dt.timedelta(seconds=int(_setting("EDITOR_LOCKOUT_SECONDS", 900)))
    since = utcnow() - window
    last_success = db.session.scalar(
        select(func.max(LoginAttempt.at)).filter_by(name=name, success=True)
    )
    query = select(LoginAttempt.at).filter(
        LoginAttempt.name == name, LoginAttempt.success.is_(False), LoginAttempt.at >= since
    )
    if last_success is not None:
        query = query.filter(LoginAttempt.at > last_success)
    failures = sorted(_aware(at) for at in db.session.scalars(query))
    if len(failures) < limit:
        return None
    return failures[-1] + window


def too_many_from_client() -> bool:
    """More than ``EDITOR_LOGIN_RATE`` attempts from this client in the last minute."""
    limit = int(_setting("EDITOR_LOGIN_RATE", 10))
    since = utcnow() - dt.timedelta(minutes=1)
    count = db.session.scalar(
        select(func.count(LoginAttempt.id)).filter(
            LoginAttempt.client == client_address(), LoginAttempt.at >= since
        )
    )
    return count >= limit


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def authenticate(name: str, password: str) -> Editor | None:
    """Check the password and record the attempt. The caller checks limits first."""
    editor = db.session.scalar(select(Editor).filter_by(name=name))
    valid = check_password_hash(editor.password_hash if editor else _DUMMY_HASH, password)
    success = bool(editor and valid)
    record_attempt(name, success)
    return editor if success else None


def record_attempt(name: str, success: bool) -> None:
    db.session.add(LoginAttempt(name=name[:80], client=client_address(), success=success))
    db.session.commit()


def log_in(editor: Editor) -> None:
    session.clear()  # a fresh session: no fixation of an earlier one
    session[SESSION_KEY] = {"id": editor.id, "name": editor.name}
    session.permanent = False


def log_out() -> None:
    session.clear()


def current_editor() -> dict | None:
    data = session.get(SESSION_KEY)
    if not data:
        return None
    if db.session.get(Editor, data["id"]) is None:  # account removed since
        session.clear()
        return None
    return data
