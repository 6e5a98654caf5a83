"""Error pages in the visitor's language, with the full layout and navigation (or, for an
htmx request, as the fragments of an in-place navigation)."""

from __future__ import annotations

import logging

from flask import Flask
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError

from .fragments import render_page

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
    410: (
        _l("Seite gelöscht"),
        [
            _l("Diese Seite gibt es nicht mehr. Sie wurde von der Redaktion entfernt."),
            _l("In der Übersicht aller Seiten finden Sie, was es gibt."),
        ],
    ),
    405: (_l("Aktion nicht möglich"), [_l("Diese Aktion ist hier nicht möglich.")]),
    413: (
        _l("Die gesendeten Angaben sind zu groß"),
        [
            _l("Ihre Angaben sind zu lang, um sie zu senden, und wurden nicht gespeichert."),
            _l(
                "Bitte gehen Sie mit der Zurück-Funktion Ihres Browsers zum Formular, kürzen "
                "Sie Ihren Text und senden Sie ihn noch einmal."
            ),
        ],
    ),
    429: (
        _l("Zu viele Anfragen"),
        [
            _l("Von Ihrem Anschluss wurden in kurzer Zeit sehr viele Formulare gesendet."),
            _l(
                "Ihre letzten Angaben wurden nicht gespeichert. Bitte gehen Sie mit der "
                "Zurück-Funktion Ihres Browsers zum Formular und senden Sie es in einigen "
                "Minuten noch einmal."
            ),
        ],
    ),
    503: (
        _l("Vorübergehend nicht verfügbar"),
        [
            _l(
                "Dieser Dienst ist gerade wegen einer technischen Störung nicht verfügbar. "
                "Bitte versuchen Sie es in einigen Minuten noch einmal."
            ),
        ],
    ),
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
    return render_page(
        "errors/error.html",
        status=code,
        error_code=code,
        error_title=title or default_title,
        error_text=text or default_text,
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
