"""Roles of the editors' area (the four-eyes principle of public bodies).

``redaktion`` writes and translates, and submits drafts; ``freigabe`` may do the same and
also publishes, rejects or schedules. An account has one role (``flask editor add NAME --role
freigabe``); accounts made before roles existed are ``redaktion``.
"""

from __future__ import annotations

from functools import wraps

from flask import abort, g
from flask_babel import lazy_gettext as _l

REDAKTION = "redaktion"
FREIGABE = "freigabe"
ROLES = (REDAKTION, FREIGABE)
LABELS = {REDAKTION: _l("Redaktion"), FREIGABE: _l("Freigabe")}
#: What a role may do on top of the roles below it.
_RANK = {REDAKTION: 0, FREIGABE: 1}


def has_role(editor: dict | None, role: str) -> bool:
    """Whether the logged-in ``editor`` (``g.editor``) holds ``role`` or a higher one."""
    if editor is None:
        return False
    return _RANK.get(editor.get("role", REDAKTION), -1) >= _RANK[role]


def role_required(role: str):
    """A view of the editors' area that only ``role`` may use: 403 for everyone else (the
    blueprint's login check runs first, so an anonymous visitor is sent to the login)."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not has_role(getattr(g, "editor", None), role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorate
