"""Render once, serve many: a public page's final bytes, Brotli and gzip included, are built
once per process and reused for every visitor who would get the same page.

The key (:func:`page_key`) is everything a public page depends on: scheme, host and the full
URL (language prefix, path, query), the display preference as it is normalised into
``g.html_classes`` (``webapp/display.py``), ``HX-Request`` / ``HX-History-Restore-Request``
(whole page or fragments, ``webapp/fragments.py``), ``HX-Target`` (a list's next items, the
search results alone) and the language the browser prefers (only
the German start page uses it, for its offer of the English version). Content is loaded once at
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
import threading
from collections import OrderedDict
from dataclasses import dataclass

from flask import Flask, Response, current_app, g, request
from flask.globals import _cv_request

from . import compression
from .config import as_bool

EXTENSION_KEY = "sozialberichte.page_cache"
CATALOGS_KEY = "sozialberichte.catalogs"  # webapp/i18n: replaced by reload_catalogs()
REVISION_KEY = "sozialberichte.catalog_revision"  # webapp/editor/runtime.py
#: Request headers a cached page may vary on: the key covers each of them.
KEYED_VARY = frozenset({"cookie", "hx-request", "hx-target", "accept-language", "accept-encoding"})
EXCLUDED_PREFIXES = ("/redaktion/",)
#: Offered by the German start page (``webapp/i18n.language_offer``).
OFFER_CODES = ("de", "en")
#: Browsers revalidate (cheap: a 304 from this cache), so a change shows at once.
PAGE_CACHE_CONTROL = "no-cache"
SKIPPED_HEADERS = frozenset({"content-length", "content-encoding", "etag", "date", "set-cookie"})


@dataclass(frozen=True)
class Entry:
    headers: tuple[tuple[str, str], ...]
    variants: dict[str, bytes]
    etag: str
    size: int


class PageCache:
    """A bounded LRU of finished pages, dropped as a whole when translations change."""

    def __init__(self, max_entries: int, max_bytes: int):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.entries: OrderedDict[tuple, Entry] = OrderedDict()
        self.bytes = 0
        self.catalogs: object = None
        self.revision: object = None
        self.lock = threading.Lock()
        self.hits = 0
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

    def get(self, key: tuple) -> Entry | None:
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
                self.hits += 1
            return entry

    def put(self, key: tuple, entry: Entry) -> None:
        if entry.size > self.max_bytes // 8:
            return
        with self.lock:
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


def page_key() -> tuple:
    headers = request.headers
    return (
        request.scheme,
        request.host,
        request.script_root + request.full_path,
        tuple(getattr(g, "html_classes", ()) or ()),
        headers.get("HX-Request") == "true",
        headers.get("HX-History-Restore-Request") == "true",
        headers.get("HX-Target"),  # the list's "load more", the search's results
        request.accept_languages.best_match(OFFER_CODES),
    )


def lookup_allowed() -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.path.startswith(EXCLUDED_PREFIXES)
        and current_app.config["SESSION_COOKIE_NAME"] not in request.cookies
        and "Authorization" not in request.headers
    )


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
    variants = compression.encode_all(body)
    if PAGE_CACHE_CONTROL and "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = PAGE_CACHE_CONTROL
    if len(variants) > 1:
        response.vary.add("Accept-Encoding")
    headers = tuple(
        (name, value) for name, value in response.headers if name.lower() not in SKIPPED_HEADERS
    )
    digest = hashlib.blake2b(body, digest_size=12).hexdigest()
    return Entry(headers, variants, digest, sum(len(v) for v in variants.values()))


def serve(entry: Entry, response: Response | None = None) -> Response:
    """``response`` (or a new one) with the entry's body in the accepted encoding, its
    ``ETag``, and 304 when the browser has it already."""
    stored = response is None
    if stored:
        response = Response(headers=entry.headers)  # its Vary names Accept-Encoding already
    encoding = compression.apply(response, entry.variants, vary=not stored)
    response.set_etag(entry.etag if encoding == "identity" else f"{entry.etag}-{encoding}")
    if "If-None-Match" in request.headers:
        return response.make_conditional(request)
    return response


def _lookup():
    cache: PageCache | None = current_app.extensions.get(EXTENSION_KEY)
    if cache is None or not lookup_allowed():
        return None
    extensions = current_app.extensions
    content = getattr(extensions.get("sozialberichte.content"), "revision", None)
    cache.check_generation(extensions.get(CATALOGS_KEY), (extensions.get(REVISION_KEY), content))
    g.page_cache_key = key = page_key()
    entry = cache.get(key)
    if entry is None:
        return None
    g.page_cache_hit = True
    return serve(entry)


def _store(response: Response) -> Response:
    key = g.pop("page_cache_key", None)
    if key is None or g.get("page_cache_hit") or not storable(response):
        return response
    entry = make_entry(response)
    current_app.extensions[EXTENSION_KEY].put(key, entry)
    return serve(entry, response)


def init_app(app: Flask) -> None:
    """Call after every module that registers a ``before_request`` the key depends on
    (display, i18n) and after :func:`webapp.compression.init_app`."""
    if app.debug or not as_bool(app.config.get("PAGE_CACHE", True)):
        return
    app.extensions[EXTENSION_KEY] = PageCache(
        int(app.config.get("PAGE_CACHE_ENTRIES", 2048)),
        int(app.config.get("PAGE_CACHE_BYTES", 64 * 1024 * 1024)),
    )
    app.before_request(_lookup)
    # Second to last (Flask runs after_request functions in reverse): after every other hook
    # has set its headers, before the compression of per-visitor responses.
    app.after_request_funcs.setdefault(None, []).insert(1, _store)
