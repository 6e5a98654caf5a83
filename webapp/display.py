"""Display controls of the service bar: Größer, Kleiner, Kontrast, Standardansicht, Drucken.

The visitor's choice lives in one first-party functional cookie (``anzeige``), read on every
request: :func:`_read_preferences` turns it into classes on ``<html>`` (``g.html_classes``),
so the first paint is already right. The controls are the submit buttons (``name="aktion"``)
of ONE POST form to ``/anzeige`` (not one per button: screen readers announce every form of
a page); without JavaScript the answer is a 303 back to the page, with htmx the updated
controls and an announcement in the ``#status`` region (out-of-band swaps), and an event that tells
``static/js/display.js`` the new classes of ``<html>``.

Cross-site requests are refused without a per-visitor token (public pages stay identical for
every visitor): the browser's ``Sec-Fetch-Site`` header must say ``same-origin``; where it is
missing, an ``Origin`` header must name this host. A request with neither comes from no
browser (browsers send ``Origin`` with every POST) and cannot be forged cross-site; the same
rule as Go's ``net/http.CrossOriginProtection``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
)
from flask_babel import gettext, to_user_timezone
from werkzeug.http import parse_cookie

from .fragments import wants_fragments
from .i18n import format_date
from .lean import add_vary, is_html
from .links import current_query, site_path

bp = Blueprint("display", __name__)

COOKIE = "anzeige"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60  # one year, in seconds
SIZES = (100, 125, 150, 175, 200)  # root font size in percent
DEFAULT_SIZE = SIZES[0]
CONTRAST_CLASS = "kontrast"
PRINT_VIEW_ARG = "druck"
ACTIONS = ("groesser", "kleiner", "kontrast", "standard")
#: The print button of the same form: without JavaScript a 303 to the page's print view.
PRINT_ACTION = "drucken"
#: Event for display.js (``HX-Trigger-After-Swap``): the new classes of ``<html>``.
CHANGED_EVENT = "anzeige-geaendert"
_COOKIE_VALUE = re.compile(r"(?P<size>[0-9]{3})-(?P<theme>normal|kontrast)")
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
MAX_RETURN_PATH = 2048


@dataclass(frozen=True)
class Preferences:
    size: int = DEFAULT_SIZE
    contrast: bool = False

    @classmethod
    def from_cookie(cls, value: str | None) -> Preferences:
        """The stored preference; anything unexpected (tampered, outdated) gives defaults."""
        match = _COOKIE_VALUE.fullmatch(value or "")
        if not match or int(match["size"]) not in SIZES:
            return cls()
        return cls(int(match["size"]), match["theme"] == "kontrast")

    def cookie_value(self) -> str:
        return f"{self.size}-{'kontrast' if self.contrast else 'normal'}"

    @property
    def is_default(self) -> bool:
        return self == Preferences()

    @property
    def at_largest(self) -> bool:
        return self.size == SIZES[-1]

    @property
    def at_smallest(self) -> bool:
        return self.size == SIZES[0]

    @property
    def html_classes(self) -> list[str]:
        classes = [] if self.size == DEFAULT_SIZE else [f"text-{self.size}"]
        if self.contrast:
            classes.append(CONTRAST_CLASS)
        return classes

    def apply(self, action: str) -> Preferences:
        index = SIZES.index(self.size)
        if action == "groesser":
            return Preferences(SIZES[min(index + 1, len(SIZES) - 1)], self.contrast)
        if action == "kleiner":
            return Preferences(SIZES[max(index - 1, 0)], self.contrast)
        if action == "kontrast":
            return Preferences(self.size, not self.contrast)
        return Preferences()


#: Every class this module may put on ``<html>`` (display.js removes them before it adds).
ALL_CLASSES = [f"text-{size}" for size in SIZES[1:]] + [CONTRAST_CLASS]


def announcement(before: Preferences, after: Preferences, action: str) -> str:
    """The text for the status region after ``action``."""
    if action == "kontrast":
        if after.contrast:
            return gettext("Kontrast eingeschaltet")
        return gettext("Kontrast ausgeschaltet")
    if action == "standard":
        return gettext("Standardansicht: Schriftgröße 100 Prozent, Kontrast ausgeschaltet")
    if before == after and action == "groesser":
        return gettext(
            "Schriftgröße %(percent)s Prozent, größte Stufe erreicht", percent=after.size
        )
    if before == after:
        return gettext(
            "Schriftgröße %(percent)s Prozent, kleinste Stufe erreicht", percent=after.size
        )
    return gettext("Schriftgröße %(percent)s Prozent", percent=after.size)


def safe_return_path(value: str | None) -> str:
    """``value`` if it is a path on this site (``/hilfen?x=1``), else ``/``."""
    if not value or len(value) > MAX_RETURN_PATH:
        return "/"
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    if _CONTROL_CHARS.search(value):
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return "/"
    return value


def current_return_path() -> str:
    """This page's path and query, without the language prefix (the form's ``zurueck``)."""
    return site_path(request.path, current_query())


def is_same_origin() -> bool:
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is None:
        return True  # no browser: nothing to forge
    return urlsplit(origin).netloc == request.host


def print_url(absolute: bool = True) -> str:
    """The address of the page as printed, without the print view's parameter."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != PRINT_VIEW_ARG]
    url = site_path(request.path, urlencode(args), prefix=request.script_root)
    return request.host_url.rstrip("/") + url if absolute else url


def print_view_redirect(back: str | None):
    """Drucken without JavaScript: a 303 to the return path's print view (``?druck=1``)."""
    parts = urlsplit(safe_return_path(back))
    args = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    args = [(k, v) for k, v in args if k != PRINT_VIEW_ARG] + [(PRINT_VIEW_ARG, "1")]
    target = request.script_root + parts.path + "?" + urlencode(args)
    response = redirect(target, 303)
    response.headers["Cache-Control"] = "no-store"
    return response


def button_states(display: Preferences) -> dict:
    """The stateful buttons' new state, for display.js to set on the buttons in place: a
    button swapped out of band would be a new element under the focus, and screen readers read
    it again before the announcement (Orca: "Größer Druckknopf" first)."""
    return {
        "anzeige-groesser": {
            "disabled": display.at_largest,
            "limit": gettext("größte Stufe erreicht") if display.at_largest else "",
        },
        "anzeige-kleiner": {
            "disabled": display.at_smallest,
            "limit": gettext("kleinste Stufe erreicht") if display.at_smallest else "",
        },
        "anzeige-kontrast": {"pressed": display.contrast},
    }


@bp.post("/anzeige")
def change():
    if not is_same_origin():
        abort(403)
    action = request.form.get("aktion", "")
    if action == PRINT_ACTION:
        return print_view_redirect(request.form.get("zurueck"))
    if action not in ACTIONS:
        abort(400)
    before = g.display
    after = before.apply(action)
    if wants_fragments():
        g.display = after
        response = make_response(
            render_template(
                "partials/display_update.html",
                display=after,
                message=announcement(before, after, action),
            )
        )
        detail = {
            "classes": after.html_classes,
            "known": ALL_CLASSES,
            "buttons": button_states(after),
        }
        response.headers["HX-Trigger-After-Swap"] = json.dumps({CHANGED_EVENT: detail})
    else:
        target = request.script_root + safe_return_path(request.form.get("zurueck"))
        # Back at the control just used: browsers open the "Menü" disclosure around it (a
        # closed <details> opens for the fragment's target) and Tab continues from there.
        response = redirect(f"{target}#anzeige-{action}", 303)
    if after.is_default:
        response.delete_cookie(COOKIE, path="/", samesite="Lax")
    else:
        response.set_cookie(
            COOKIE,
            after.cookie_value(),
            max_age=COOKIE_MAX_AGE,
            path="/",
            secure=bool(current_app.config.get("COOKIE_SECURE")),
            httponly=True,
            samesite="Lax",
        )
    response.headers["Cache-Control"] = "no-store"
    return response


def _now() -> datetime:
    return datetime.now(UTC)


@lru_cache(maxsize=64)
def _preferences(value: str | None) -> tuple[Preferences, tuple[str, ...]]:
    """The preference and its classes per cookie value, parsed once (there are ten valid
    values; anything else is the default)."""
    preferences = Preferences.from_cookie(value)
    return preferences, tuple(preferences.html_classes)


@lru_cache(maxsize=256)
def cookies_of(header: str) -> dict[str, str]:
    """The cookies of a ``Cookie`` header as ``request.cookies`` reads them (the first of a
    repeated name), parsed once per header value (the page cache's shortcut reads them before
    Flask's request exists, ``webapp/caching.py``)."""
    return parse_cookie(header).to_dict()


def preferences_in(environ: dict) -> tuple[Preferences, tuple[str, ...]]:
    """The display preference of a request and its classes on ``<html>``: the one reading of
    the cookie, for the views (:func:`_read_preferences`) and the page cache's key alike."""
    header = environ.get("HTTP_COOKIE")
    return _preferences(cookies_of(header).get(COOKIE) if header else None)


@lru_cache(maxsize=256)
def _asks_print_view(query: str) -> bool:
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name == PRINT_VIEW_ARG:
            return value == "1"  # the first, as request.args.get reads it
    return False


def asks_print_view(environ: dict) -> bool:
    """Whether the request asks for the print view (``?druck=1``, the first ``druck`` as
    ``request.args.get`` reads it): the one reading of the query for the views and the page
    cache (``webapp/caching.py``)."""
    query = environ.get("QUERY_STRING")
    return bool(query) and _asks_print_view(query.encode("latin-1").decode("utf-8", "replace"))


def print_day_in(environ: dict):
    """The day of printing for a print view, else ``None`` (part of the page cache's key: a
    cached print view never shows the day it was first rendered). In the portal's time zone."""
    return to_user_timezone(_now()).date() if asks_print_view(environ) else None


def _read_preferences() -> None:
    environ = request.environ
    ctx = g._get_current_object()
    display, display_classes = preferences_in(environ)
    ctx.display = display
    ctx.print_day = print_day_in(environ)
    ctx.print_view = ctx.print_day is not None
    if not display_classes:
        return
    classes = getattr(ctx, "html_classes", None)
    if classes is None:
        classes = ctx.html_classes = []
    if isinstance(classes, set):
        classes.update(display_classes)
    else:
        classes.extend(display_classes)


def _vary_on_cookie(response):
    """Pages differ by the display cookie: shared caches must keep them apart."""
    if is_html(response):
        add_vary(response, "Cookie")
    return response


def _display_context() -> dict:
    today = None
    if getattr(g, "print_day", None) is not None:
        today = format_date(g.print_day, format="long")
    return {
        "display": getattr(g, "display", Preferences()),
        "print_view": getattr(g, "print_view", False),
        "print_date": today,
        "print_url": print_url,
        "return_path": current_return_path,
        "PRINT_VIEW_ARG": PRINT_VIEW_ARG,
    }


def init_app(app: Flask) -> None:
    app.before_request(_read_preferences)
    app.after_request(_vary_on_cookie)
    app.context_processor(_display_context)
    app.register_blueprint(bp)
