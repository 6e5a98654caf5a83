"""Render once, serve many: a public page's final bytes, Brotli and gzip included, are built
once per process and reused for every visitor who would get the same page.

The key (:func:`page_key`) is everything a public page depends on, each value taken from the
function the rendering itself calls: scheme, host and the full URL (language prefix, path,
query), the display preference as the views read it (``g.display``, ``g.html_classes``,
``webapp/display.py``), the print view's date, whole page or fragments and which
(:func:`webapp.fragments.request_variant`: ``HX-Request``, ``HX-History-Restore-Request``,
``HX-Target``) and the language offered on the German start page
(:func:`webapp.i18n.offered_language`). Content is loaded once at
start-up and never changes at runtime; translations do: when an editor's change bumps the
catalog revision (``webapp/editor/runtime.py``) or the catalogs are reloaded, the whole cache is
dropped before the next page is looked up — an editor's change shows at once, never a stale page.

Only what is the same for everyone is stored: GET/HEAD, status 200, HTML, no ``Set-Cookie``, no
``Cache-Control: private/no-store``, the session not touched (form pages with their token stay
per visitor), nothing under ``/redaktion/``, no request with a session cookie, and no ``Vary``
on a request header the key does not cover. Pages get an ``ETag``; ``If-None-Match`` gives 304.
Nothing is cached in debug mode (templates change there).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from flask import Flask, Response, current_app, g, request
from flask.globals import _cv_request
from werkzeug.datastructures import Headers
from werkzeug.http import quote_etag
from werkzeug.wsgi import get_host

from . import assets, compression
from .config import as_bool
from .display import asks_print_view, cookies_of, preferences_in, print_day_in
from .fragments import variant_in
from .i18n import ENVIRON_KEY as LANGUAGE_KEY
from .i18n import offered_language_in
from .lean import is_html

log = logging.getLogger(__name__)

EXTENSION_KEY = "sozialberichte.page_cache"
CONTROL_KEY = "sozialberichte.page_cache_control"
CATALOGS_KEY = "sozialberichte.catalogs"  # webapp/i18n: replaced by reload_catalogs()
REVISION_KEY = "sozialberichte.catalog_revision"  # webapp/editor/runtime.py
#: Request headers a cached page may vary on: the key covers each of them.
KEYED_VARY = frozenset(
    {
        "cookie",
        "hx-request",
        "hx-history-restore-request",
        "hx-target",
        "hx-current-url",
        "accept-language",
        "accept-encoding",
    }
)
EXCLUDED_PREFIXES = ("/redaktion/",)
#: What a stored page says to caches (``Cache-Control``): browsers revalidate every time
#: (``max-age=0``: a cheap 304 from this cache, so a change shows at once); a shared cache in
#: front (nginx, deploy/nginx.conf.template) may keep it for ``s-maxage`` seconds
#: (``PROXY_CACHE_SECONDS``, default 1). Everything else in HTML is ``PRIVATE_CACHE_CONTROL``.
PAGE_CACHE_CONTROL = "public, max-age=0, s-maxage={seconds}"
PRIVATE_CACHE_CONTROL = "private, no-cache"
SKIPPED_HEADERS = frozenset({"content-length", "content-encoding", "etag", "date", "set-cookie"})


@dataclass(frozen=True)
class Entry:
    headers: tuple[tuple[str, str], ...]
    variants: dict[str, bytes]
    etag: str
    size: int
    #: Per encoding: every header of the answer (ETag, Content-Encoding and -Length included),
    #: built once, so a hit copies a list instead of building its headers one by one.
    prepared: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict, compare=False)
    encodings: tuple[str, ...] = ()  # the keys of ``variants``, for compression's choice


class PageCache:
    """A bounded LRU of finished pages, dropped as a whole when translations change."""

    def __init__(self, max_entries: int, max_bytes: int):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.entries: OrderedDict[tuple, Entry] = OrderedDict()
        self.bytes = 0
        self.catalogs: object = None
        self.revision: object = None
        #: Counts the drops: a page rendered before a drop is never stored after it (threads).
        self.generation = 0
        self.lock = threading.Lock()
        self.hits = 0
        self.shortcuts = 0  # of the hits, answered before Flask's request context
        self.stores = 0

    def check_generation(self, catalogs: object, revision: object) -> None:
        """Drop every page when the catalogs were reloaded (a new object, kept referenced here
        so its identity cannot be reused) or the editors' revision changed."""
        if catalogs is not self.catalogs or revision != self.revision:
            with self.lock:
                self.entries.clear()
                self.bytes = 0
                self.catalogs = catalogs
                self.revision = revision
                self.generation += 1

    def get(self, key: tuple) -> Entry | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
                self.hits += 1
            return entry

    def put(self, key: tuple, entry: Entry, generation: int | None = None) -> None:
        """Store ``entry`` unless it is too big or was rendered before the cache was last
        dropped (``generation`` as seen at lookup): another thread may have reloaded the
        catalogs while this page was rendered with the old ones."""
        if entry.size > self.max_bytes // 8:
            return
        with self.lock:
            if generation is not None and generation != self.generation:
                return
            old = self.entries.pop(key, None)
            if old is not None:
                self.bytes -= old.size
            self.entries[key] = entry
            self.bytes += entry.size
            self.stores += 1
            while len(self.entries) > self.max_entries or self.bytes > self.max_bytes:
                _, evicted = self.entries.popitem(last=False)
                self.bytes -= evicted.size

    def __len__(self) -> int:
        return len(self.entries)


def page_key(environ: dict, app: Flask) -> tuple:
    """Everything a public page depends on, from the request's WSGI environ — the one key of
    both ways to the cache (:func:`shortcut` before Flask's request exists, :func:`_lookup`
    inside it). Each value comes from the function the rendering itself calls, never from a
    second parse of a header (``HX-Request: TRUE`` is an htmx request to the views, so it
    must be one to the key): the display cookie (:func:`webapp.display.preferences_in`), the
    print view's day (:func:`webapp.display.print_day_in`), whole page or fragments and which
    (:func:`webapp.fragments.variant_in`), the German start page's offer of English
    (:func:`webapp.i18n.offered_language_in`). The address is the raw one (language prefix
    in ``SCRIPT_NAME``, ``webapp/i18n``): finer than what the views read, never coarser."""
    return (
        environ.get("wsgi.url_scheme"),
        get_host(environ, app.config["TRUSTED_HOSTS"]),
        environ.get("SCRIPT_NAME", ""),
        environ.get("PATH_INFO", ""),
        environ.get("QUERY_STRING", ""),
        environ.get(LANGUAGE_KEY),
        preferences_in(environ)[0],
        print_day_in(environ),
        variant_in(environ, app),
        offered_language_in(environ),
    )


def lookup_allowed(environ: dict, config) -> bool:
    """A request that may get a shared page: GET or HEAD, not the editors' area, no session
    cookie, no credentials. The same test for both ways to the cache."""
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in environ:
        return False
    # As request.path reads PATH_INFO (leading slashes folded).
    if ("/" + environ.get("PATH_INFO", "").lstrip("/")).startswith(EXCLUDED_PREFIXES):
        return False
    header = environ.get("HTTP_COOKIE")
    return not header or config["SESSION_COOKIE_NAME"] not in cookies_of(header)


def session_used() -> bool:
    """Whether the view read or wrote the session (a per-visitor page). Flask 3.1's ``session``
    proxy marks the session accessed when it is merely looked at, so look behind it."""
    context = _cv_request.get(None)
    opened = getattr(context, "_session", None)
    return opened is not None and bool(opened.accessed or opened.modified)


def storable(response: Response) -> bool:
    if response.status_code != 200 or response.mimetype != "text/html":
        return False
    if response.direct_passthrough or response.is_streamed:
        return False
    if "Set-Cookie" in response.headers or "Content-Encoding" in response.headers:
        return False
    cache_control = response.cache_control
    if cache_control.private or cache_control.no_store:
        return False
    if session_used():
        return False
    return all(name.lower() in KEYED_VARY for name in response.vary)


def make_entry(response: Response) -> Entry:
    body = response.get_data()
    # An address without a query string is one of a few hundred pages: compressed once, at
    # the best level. One with a query (a search, a list's page n, a filter) is one of
    # very many, each rarely asked twice: the fast level, as an answer never stored (the
    # best level costs about ten times a search).
    variants = compression.encode_all(body, best=not request.query_string)
    if "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = current_app.extensions[CONTROL_KEY]
    if len(variants) > 1:
        response.vary.add("Accept-Encoding")
    headers = tuple(
        (name, value) for name, value in response.headers if name.lower() not in SKIPPED_HEADERS
    )
    digest = hashlib.blake2b(body, digest_size=12).hexdigest()
    prepared = {}
    for encoding, data in variants.items():
        extra = [("Content-Length", str(len(data)))]
        if encoding != "identity":
            extra.append(("Content-Encoding", encoding))
        tag = digest if encoding == "identity" else f"{digest}-{encoding}"
        extra.append(("ETag", quote_etag(tag)))
        prepared[encoding] = headers + tuple(extra)
    size = sum(len(v) for v in variants.values())
    return Entry(headers, variants, digest, size, prepared, tuple(variants))


def serve_hit(entry: Entry) -> Response:
    """The stored answer in the accepted encoding (:func:`serve` with headers built once)."""
    encoding = compression.choose(entry.variants)
    headers = Headers()
    headers._list = list(entry.prepared[encoding])  # a copy: the answer may change its own
    response = Response(headers=headers)
    response.response = [entry.variants[encoding]]
    if "HTTP_IF_NONE_MATCH" in request.environ:
        return response.make_conditional(request)
    return response


def serve(entry: Entry, response: Response | None = None) -> Response:
    """``response`` (or a new one) with the entry's body in the accepted encoding, its
    ``ETag``, and 304 when the browser has it already."""
    stored = response is None
    if stored:
        response = Response(headers=entry.headers)  # its Vary names Accept-Encoding already
    encoding = compression.apply(response, entry.variants, vary=not stored)
    response.set_etag(entry.etag if encoding == "identity" else f"{entry.etag}-{encoding}")
    if "HTTP_IF_NONE_MATCH" in request.environ:
        return response.make_conditional(request)
    return response


def _check_generation(cache: PageCache, extensions: dict) -> None:
    # An editor's published document (webapp/publishing) changes the content's revision.
    content = getattr(extensions.get("sozialberichte.content"), "revision", None)
    cache.check_generation(extensions.get(CATALOGS_KEY), (extensions.get(REVISION_KEY), content))


def _lookup():
    app = current_app._get_current_object()
    extensions = app.extensions
    cache: PageCache | None = extensions.get(EXTENSION_KEY)
    req = request._get_current_object()
    if cache is None or getattr(app.view_functions.get(req.endpoint), "page_cache", True) is False:
        return None
    environ = req.environ
    if not lookup_allowed(environ, app.config):
        return None
    ctx = g._get_current_object()
    _check_generation(cache, extensions)
    ctx.page_cache_generation = cache.generation
    ctx.page_cache_key = key = page_key(environ, app)
    entry = cache.get(key)
    if entry is None:
        return None
    # Final: every after_request hook has set its headers when the page was stored, and the
    # request carries no session (webapp/lean.py skips the hooks for it).
    ctx.page_cache_hit = True
    return serve_hit(entry)


#: The periodic checks that run in ``before_request`` hooks (catalogs: webapp/editor/runtime.py,
#: published documents: webapp/publishing/store.py): while one of them is due, a request takes
#: Flask's whole path, so they run as often as without the shortcut.
PERIODIC_CHECKS = ("sozialberichte.catalog_check", "sozialberichte.content_check")
PUBLISHING_CHECK = "sozialberichte.content_check"


def checks_due(app: Flask) -> bool:
    """Whether a ``before_request`` check would do more than look at its clock now: its
    interval has passed, or a scheduled publication's time has come (the tests each hook
    makes first)."""
    extensions = app.extensions
    mono = time.monotonic()
    for name in PERIODIC_CHECKS:
        state = extensions.get(name)
        if state is not None and mono - state.checked_at >= state.interval:
            return True
    state = extensions.get(PUBLISHING_CHECK)
    if state is not None and state.next_due is not None:
        from .publishing.store import now

        return now(app) >= state.next_due
    return False


HEALTHZ_PATH = "/healthz"
HEALTHZ_HEADERS = (("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", "3"))


def shortcut(app: Flask, environ: dict, start_response):
    """Answer a page-cache hit, and ``/healthz`` of a ready process, before Flask builds its
    request context (``webapp/lean.py`` calls this first); ``None``: Flask's whole path.

    Only a GET that :func:`lookup_allowed` lets through (no session cookie, no form post, not
    ``/redaktion/``), not a print view (its date needs Flask's context), and no periodic check
    due. The key is :func:`page_key`, the function Flask's path uses; the answer is the stored
    one with every header the page got when it was rendered (``Vary``, ``Cache-Control``,
    ``Content-Encoding`` by ``Accept-Encoding``, ``ETag``, 304 for ``If-None-Match``); the
    middlewares around Flask add theirs (security headers, ``webapp/security.py``)."""
    if environ.get("REQUEST_METHOD") != "GET":
        return None
    extensions = app.extensions
    if environ.get("PATH_INFO") == HEALTHZ_PATH:
        # As the view answers once the process is ready (it stays ready: webapp/views/feeds.py).
        if not extensions.get("sozialberichte.ready"):
            return None
        start_response("200 OK", list(HEALTHZ_HEADERS))
        return [b"ok\n"]
    answer = assets.shortcut(app, environ, start_response)  # a static file: no checks due
    if answer is not None:
        return answer
    cache: PageCache | None = extensions.get(EXTENSION_KEY)
    if cache is None or not lookup_allowed(environ, app.config) or asks_print_view(environ):
        return None
    if checks_due(app):
        return None
    _check_generation(cache, extensions)
    entry = cache.get(page_key(environ, app))
    if entry is None:
        return None
    cache.shortcuts += 1
    encoding = compression.choose_for(environ.get("HTTP_ACCEPT_ENCODING"), entry.encodings)
    if "HTTP_IF_NONE_MATCH" in environ:
        response = Response(headers=list(entry.prepared[encoding]))
        response.response = [entry.variants[encoding]]
        return response.make_conditional(environ)(environ, start_response)
    start_response("200 OK", list(entry.prepared[encoding]))
    return [entry.variants[encoding]]


def _store(response: Response) -> Response:
    if g.get("page_cache_hit"):
        return response
    key = g.pop("page_cache_key", None)
    if key is None or not storable(response):
        # Per visitor (a session, a form's token, an error): never in a shared cache.
        if is_html(response) and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = PRIVATE_CACHE_CONTROL
        return response
    entry = make_entry(response)
    current_app.extensions[EXTENSION_KEY].put(key, entry, g.get("page_cache_generation"))
    return serve(entry, response)


def init_app(app: Flask) -> None:
    """Call after every module that registers a ``before_request`` the key depends on
    (display, i18n) and after :func:`webapp.compression.init_app`."""
    if app.debug or not as_bool(app.config.get("PAGE_CACHE", True)):
        return
    seconds = int(app.config.get("PROXY_CACHE_SECONDS", 1))
    app.extensions[CONTROL_KEY] = PAGE_CACHE_CONTROL.format(seconds=seconds)
    app.extensions[EXTENSION_KEY] = PageCache(
        int(app.config.get("PAGE_CACHE_ENTRIES", 2048)),
        int(app.config.get("PAGE_CACHE_BYTES", 64 * 1024 * 1024)),
    )
    app.before_request(_lookup)
    if as_bool(app.config.get("PAGE_CACHE_SHORTCUT", True)):
        app.shortcut = lambda environ, start_response: shortcut(app, environ, start_response)
    # Second to last (Flask runs after_request functions in reverse): after every other hook
    # has set its headers, before the compression of per-visitor responses.
    app.after_request_funcs.setdefault(None, []).insert(1, _store)
