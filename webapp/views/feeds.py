"""Machine-readable pages: site map, Atom feed, calendar files, robots.txt, health check."""

from __future__ import annotations

import datetime as dt

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from icalendar import Calendar, Event

from ..i18n import LANGUAGES
from ..texts import ct_plain, document_text, store

bp = Blueprint("feeds", __name__)


def _absolute(path: str) -> str:
    return request.host_url.rstrip("/") + request.script_root + path


#: Above this many URLs, /sitemap.xml is a sitemap index of /sitemap-1.xml, /sitemap-2.xml, …
SITEMAP_MAX_URLS = 10_000
#: The Atom feed carries the newest entries; the list page /aktuelles/ is the archive.
FEED_ENTRIES = 30


def _sitemap_documents() -> list:
    return [doc for doc in store().documents.values() if doc.endpoint != "hidden"]


def _sitemap_chunks() -> list[list]:
    """The documents in parts of at most SITEMAP_MAX_URLS URLs (one per language each)."""
    limit = int(current_app.config.get("SITEMAP_MAX_URLS", SITEMAP_MAX_URLS))
    per_part = max(1, limit // len(LANGUAGES))
    docs = _sitemap_documents()
    return [docs[start : start + per_part] for start in range(0, len(docs), per_part)]


def _urlset(docs: list) -> Response:
    root = request.host_url.rstrip("/")
    entries = [
        {
            "alternates": [(lang, root + lang.prefix + doc.path) for lang in LANGUAGES],
            "lastmod": doc.date,
        }
        for doc in docs
    ]
    body = render_template("feeds/sitemap.xml", entries=entries)
    return Response(body, mimetype="application/xml")


@bp.route("/sitemap.xml")
def sitemap():
    chunks = _sitemap_chunks()
    if len(chunks) <= 1:
        return _urlset(chunks[0] if chunks else [])
    parts = [
        {
            "loc": _absolute(f"/sitemap-{number}.xml"),
            "lastmod": max((d.date for d in chunk if d.date), default=None),
        }
        for number, chunk in enumerate(chunks, start=1)
    ]
    body = render_template("feeds/sitemap_index.xml", parts=parts)
    return Response(body, mimetype="application/xml")


@bp.route("/sitemap-<int:number>.xml")
def sitemap_part(number: int):
    chunks = _sitemap_chunks()
    if len(chunks) <= 1 or not 1 <= number <= len(chunks):
        abort(404)
    return _urlset(chunks[number - 1])


@bp.route("/aktuelles/feed.xml")
def news_feed():
    items = store().of_kind("news")[:FEED_ENTRIES]
    dates = [d.date for d in items if d.date]
    updated = max(dates) if dates else dt.date(2024, 1, 1)
    body = render_template(
        "feeds/atom.xml",
        items=items,
        updated=updated,
        absolute=_absolute,
        summary_of=lambda doc: (
            ct_plain(doc.meta["summary"]) if doc.meta.get("summary") else document_text(doc)[:400]
        ),
    )
    return Response(body, mimetype="application/atom+xml")


@bp.route("/veranstaltungen/<slug>.ics")
def event_calendar(slug: str):
    doc = store().get(f"/veranstaltungen/{slug}")
    if doc is None or doc.kind != "event" or doc.date is None:
        abort(404)
    calendar = Calendar()
    calendar.add("prodid", "-//Sozialberichte NRW//Veranstaltungen//DE")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"{slug}@sozialberichte-nrw")
    event.add("summary", ct_plain(doc.title))
    event.add("dtstart", doc.date)
    event.add("dtend", doc.date + dt.timedelta(days=1))
    event.add("dtstamp", dt.datetime.combine(doc.date, dt.time(), tzinfo=dt.UTC))
    if doc.meta.get("place"):
        event.add("location", ct_plain(doc.meta["place"]))
    if doc.meta.get("summary"):
        event.add("description", ct_plain(doc.meta["summary"]))
    event.add("url", _absolute(doc.path))
    calendar.add_component(event)
    response = Response(calendar.to_ical(), mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}.ics"'
    return response


@bp.route("/downloads/<name>")
def download(name: str):
    for doc in store().documents.values():
        for item in doc.downloads:
            if item.filename == name:
                return send_file(item.path, mimetype=item.mimetype, as_attachment=True)
    abort(404)


@bp.route("/robots.txt")
def robots():
    lines = ["User-agent: *", "Disallow: /redaktion/", f"Sitemap: {_absolute('/sitemap.xml')}"]
    return Response("\n".join(lines) + "\n", mimetype="text/plain")


@bp.route("/favicon.ico")
def favicon():
    """Browsers that ask on their own get the page's icon (``<link rel="icon">``), no 404."""
    from ..templating import static_url

    return redirect(request.script_root + static_url("favicon.svg"), 301)


@bp.route("/healthz")
def healthz():
    # The app can serve when its content is loaded and a template renders.
    ok = bool(store().documents) and url_for("pages.page", path="")
    return Response(
        "ok\n" if ok else "not ready\n", status=200 if ok else 503, mimetype="text/plain"
    )
