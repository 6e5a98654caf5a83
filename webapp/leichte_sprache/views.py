"""The public Wörterbuch page: ``/leichte-sprache/woerterbuch`` (also under the other
language prefixes, so the language switch leads somewhere; its entries are Leichte Sprache)."""

from __future__ import annotations

from flask import Blueprint, g
from flask_babel import lazy_gettext as _l

from ..fragments import render_page
from . import woerterbuch

bp = Blueprint("leichte_sprache", __name__)


@bp.route(woerterbuch.URL_PATH)
def glossary():
    g.breadcrumb = [
        {"path": "/", "label": _l("Startseite")},
        {"path": woerterbuch.URL_PATH, "label": _l("Wörterbuch")},
    ]
    return render_page("leichte_sprache/woerterbuch.html", entries=woerterbuch.entries())
