"""Error pages in the visitor's language, with the full layout and navigation."""

from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Ungültige Anfrage"), [_l("Die Anfrage konnte nicht verarbeitet werden.")]),
    404: (
        _l("Seite nicht gefunden"),
        [
            _l("Die Seite, die Sie aufrufen wollten, gibt es nicht oder nicht mehr."),
            _l("Bitte prüfen Sie die Adresse oder nutzen Sie die Übersicht."),
        ],
    ),
    405: (_l("Aktion nicht möglich"), [_l("Diese Aktion ist hier nicht möglich.")]),
    500: (
        _l("Technischer Fehler"),
        [
            _l("Leider ist ein Fehler aufgetreten. Bitte versuchen Sie es später noch einmal."),
        ],
    ),
}

FALLBACK_500 = (
    "<!DOCTYPE html><html lang=de><meta charset=utf-8><title>Technischer Fehler – "
    "Sozialberichte NRW</title><main><h1>Technischer Fehler</h1><p>Leider ist ein Fehler "
    'aufgetreten.</p><p><a href="/">Zur Startseite</a></p></main></html>'
)


def render_error(code: int, title=None, text=None):
    default_title, default_text = MESSAGES.get(code, MESSAGES[400 if code < 500 else 500])
    return (
        render_template(
            "errors/error.html",
            error_code=code,
            error_title=title or default_title,
            error_text=text or default_text,
        ),
        code,
    )


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        return render_error(error.code)

    @app.errorhandler(InternalServerError)
    def _server_error(error):
        try:
            return render_error(500)
        except Exception:  # the error page must never fail itself
            log.exception("error page could not be rendered")
            return FALLBACK_500, 500
