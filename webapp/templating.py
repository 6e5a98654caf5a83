"""What every template can use: links, dates, content texts and the layout's data."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from flask import Flask, g, request, url_for
from flask_babel import format_decimal, lazy_gettext
from markupsafe import Markup, escape

from . import texts
from .assets import hashed_name
from .i18n import format_date

#: Service bar after "1 Startseite": number (access key), path, label.
SERVICE_LINKS = (
    (5, "/hilfen", lazy_gettext("Hilfen")),
    (6, "/uebersicht", lazy_gettext("Übersicht")),
    (7, "/kontakt", lazy_gettext("Kontakt")),
    (8, "/impressum", lazy_gettext("Impressum")),
    (9, "/datenschutz", lazy_gettext("Datenschutz")),
)
FOOTER_PATHS = ("/impressum", "/datenschutz", "/barrierefreiheit", "/barriere-melden", "/kontakt")
SIDEBAR_PATHS = (
    "/sozialberichte/",
    "/sozialplanung/",
    "/barrierefreiheit",
    "/gebaerdensprache",
)


def href(path: str) -> str:
    """A site path inside the visitor's language (``/kontakt`` → ``/en/kontakt``)."""
    return request.script_root + path


def static_url(filename: str) -> str:
    """Static files are the same for every language: no language prefix. The name carries the
    file's content hash (``css/portal.<hash>.css``), so browsers may cache it for a year."""
    return url_for("static", filename=hashed_name(filename), _external=False).removeprefix(
        request.script_root
    )


def date_long(value) -> str:
    return format_date(value, format="long")


def lines(text) -> Markup:
    """A text with one sentence on each line (Leichte Sprache): its line breaks become
    ``<br>``; the rest is escaped (a translation from a template is Markup already)."""
    return Markup("<br>\n").join(escape(text).split("\n"))


def filesize(num_bytes: int) -> str:
    if num_bytes < 1024:
        return f"{format_decimal(num_bytes)} B"
    if num_bytes < 1024 * 1024:
        return f"{format_decimal(round(num_bytes / 1024))} KB"
    return f"{format_decimal(round(num_bytes / 1024 / 1024, 1))} MB"


def breadcrumb_for(path: str) -> list[dict]:
    """Start page, then every ancestor document of ``path``, then the page itself."""
    store = texts.store()
    trail = []
    parts = [p for p in path.strip("/").split("/") if p]
    candidates = ["/"]
    for i in range(len(parts)):
        prefix = "/" + "/".join(parts[: i + 1])
        candidates.append(prefix + "/" if store.get(prefix + "/") else prefix)
    for candidate in candidates:
        doc = store.get(candidate)
        if doc is not None:
            label = texts.ct(doc.short_title) if candidate != "/" else lazy_gettext("Startseite")
            trail.append({"path": doc.path, "label": label})
    return trail


def today() -> datetime.date:
    """Today in Germany: events before it are shown as past (badge on the event page)."""
    return datetime.datetime.now(ZoneInfo("Europe/Berlin")).date()


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        href=href,
        static_url=static_url,
        ct=texts.ct,
        ct_plain=texts.ct_plain,
        render_document=texts.render_document,
        service_links=SERVICE_LINKS,
        footer_paths=FOOTER_PATHS,
        sidebar_paths=SIDEBAR_PATHS,
        today=today,
    )
    app.jinja_env.filters.update(date_long=date_long, filesize=filesize, lines=lines)

    @app.context_processor
    def _layout_context():
        path = request.path
        store = texts.store()
        # A path without a document (an error page, the editors' area, a confirmation) is no
        # navigation item: none is "page", its ancestors are marked as the current section
        # (main_nav.html), never the start page.
        own_trail = getattr(g, "breadcrumb", None)
        crumbs = own_trail or breadcrumb_for(path)
        return {
            "content": store,
            "current_path": path,
            "nav_current": path,
            # The trail's last item is this page only when it is this page's document (or a
            # view's own trail); otherwise breadcrumb.html adds the page's title as current.
            "breadcrumb_complete": bool(own_trail) or crumbs[-1]["path"] == path,
            "breadcrumb": crumbs,
            "untranslated_parts": getattr(g, "untranslated", False),
            "html_classes": " ".join(getattr(g, "html_classes", ())),
        }


__all__ = ["init_app", "href", "static_url", "Markup"]
