"""What every template can use: links, dates, content texts and the layout's data."""

from __future__ import annotations

import datetime
import fcntl
import hashlib
import logging
import os
import stat
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

import jinja2
from flask import Flask, g, request, url_for
from flask_babel import format_decimal, lazy_gettext
from markupsafe import Markup, escape

from . import texts
from .assets import hashed_name
from .i18n import format_date
from .links import href

log = logging.getLogger(__name__)

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


def nav_current_for(path: str) -> str:
    """The page the navigation marks for ``path`` as the page: the path itself. A path
    without a document (an error page, the editors' area, a confirmation) is no navigation
    item: none is "page", its ancestors are marked as the current section (main_nav.html),
    never the start page. :func:`webapp.fragments.marks_for` computes the same."""
    return path


def today() -> datetime.date:
    """Today in Germany: events before it are shown as past (badge on the event page)."""
    return datetime.datetime.now(ZoneInfo("Europe/Berlin")).date()


def template_cache_dir(app: Flask) -> Path:
    configured = app.config.get("TEMPLATE_CACHE_DIR")
    if configured:
        return Path(configured)
    return Path(tempfile.gettempdir()) / f"sozialberichte-templates-{os.getuid()}"


def private_folder(folder: Path) -> bool:
    """Make ``folder`` (this user's only); False when it exists and is not a folder of this
    user — another user could put code or data there, so it must not be used."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        log.warning("%s is not a folder of this user: not used", folder)
        return False
    if info.st_mode & 0o077:
        os.chmod(folder, 0o700)
    return True


def compile_templates_once(app: Flask) -> None:
    """Compiled templates in files, shared by every worker and every later start (call it
    when every filter, test and extension is installed: they shape the compiled code).

    Compiling the templates (parse, generate Python, compile) took about 190 ms of the first
    page a worker served. Jinja's bytecode cache keeps the compiled code in files, checked
    against each template's source; the first process to start with these templates
    compiles all of them (under a file lock), every later one loads what it needs. The
    files are named by the Jinja version and the environment's options."""
    env = app.jinja_env
    options = repr(
        (
            jinja2.__version__,
            sorted(env.extensions),
            sorted(env.filters),
            sorted(env.tests),
            env.trim_blocks,
            env.lstrip_blocks,
            env.keep_trailing_newline,
            env.newline_sequence,
            env.autoescape if isinstance(env.autoescape, bool) else "function",
        )
    )
    tag = hashlib.sha256(options.encode()).hexdigest()[:16]
    folder = template_cache_dir(app)
    if not private_folder(folder):
        return  # compiled per process, as without the cache
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder), f"{tag}-%s.cache")
    names = env.list_templates()
    state = hashlib.sha256(tag.encode())
    for name in names:
        _source, filename, _uptodate = env.loader.get_source(env, name)
        stat = os.stat(filename)
        state.update(f"{filename}:{stat.st_mtime_ns}:{stat.st_size}\0".encode())
    marker = folder / f"{tag}-{state.hexdigest()[:16]}.compiled"
    if marker.exists():
        return
    with open(folder / f"{tag}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not marker.exists():
                for name in names:
                    env.get_template(name)
                marker.touch()
                log.info("templates compiled into %s", folder)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


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
        nav_current = nav_current_for(path)
        return {
            "content": store,
            "current_path": path,
            "nav_current": nav_current,
            # The trail's last item is this page only when it is this page's document (or a
            # view's own trail); otherwise breadcrumb.html adds the page's title as current.
            "breadcrumb_complete": bool(own_trail) or crumbs[-1]["path"] == path,
            "breadcrumb": crumbs,
            "untranslated_parts": getattr(g, "untranslated", False),
            "html_classes": " ".join(getattr(g, "html_classes", ())),
        }


__all__ = ["init_app", "href", "static_url", "Markup"]
