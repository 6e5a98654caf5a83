"""Form fields must be UTF-8. Werkzeug decodes a posted form with ``errors="replace"``, so
invalid bytes would silently become U+FFFD and be stored that way. Every form-encoded POST
of the portal (the public forms, the editors' area, the display settings) is checked here
first, on the raw body, and refused with a translated 400 page when a name or value is not
valid UTF-8. Nothing is stored.

Multipart bodies carry only the ``.po`` upload of the editors' area, whose file is parsed
strictly by Babel (invalid UTF-8 is refused there) and whose other field is the CSRF token.
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from flask import Flask, request
from flask_babel import lazy_gettext as _l

from .errors import render_error

TITLE = _l("Ihre Angaben konnten nicht gelesen werden")
TEXT = [
    _l(
        "Ihre Angaben enthalten Zeichen, die nicht lesbar sind (keine gültige "
        "UTF-8-Kodierung). Sie wurden nicht gespeichert."
    ),
    _l(
        "Bitte gehen Sie mit der Zurück-Funktion Ihres Browsers zum Formular, prüfen Sie Ihren "
        "Text und senden Sie ihn noch einmal."
    ),
]


def is_valid_form_body(body: bytes) -> bool:
    """Every name and value of an ``application/x-www-form-urlencoded`` body is UTF-8."""
    for pair in body.split(b"&"):
        for part in pair.split(b"=", 1):
            try:
                unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError:
                return False
    return True


def _check_form_encoding():
    if request.method not in {"POST", "PUT", "PATCH"}:
        return None
    if request.mimetype != "application/x-www-form-urlencoded":
        return None
    # Cached: the form parser reads the same bytes afterwards. The size limit
    # (MAX_CONTENT_LENGTH, 413) applies as before.
    if not is_valid_form_body(request.get_data(cache=True)):
        return render_error(400, TITLE, TEXT)
    return None


def init_app(app: Flask) -> None:
    # Before every other hook, so no view, rate limit or session sees a replaced text.
    app.before_request_funcs.setdefault(None, []).insert(0, _check_form_encoding)
