"""One page, rendered whole or as the fragments an in-place (htmx) navigation needs.

Every page view returns :func:`render_page` instead of ``render_template``. A direct load, a
reload, a bookmark and a history restore get the full page. An htmx request gets, from the
same templates (``jinja2_fragments`` block rendering):

* the ``<title>`` (block ``title`` of the page plus ``title_suffix`` of the layout),
* the page's block ``main``, swapped into ``<main id="inhalt">`` (``HX-Retarget``),
* out of band: the breadcrumb and every part of the layout that marks the current page or
  depends on it (:data:`OOB_BLOCKS`: navigation lists, language switch, print details).

``static/js/navigation.js`` then moves the focus, announces the page and scrolls to the top.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from flask import Flask, current_app, make_response, render_template, request
from htmx_flask import Htmx
from jinja2_fragments.flask import render_block
from markupsafe import Markup
from werkzeug.wsgi import get_host

from .i18n import BY_PREFIX, offered_language_for
from .lean import add_vary

LAYOUT = "layouts/base.html"
#: The element that in-place navigation fills with a page's block ``main``.
MAIN_TARGET = "#inhalt"
#: Partials (template, block, mark) re-rendered out of band after an in-place navigation: each
#: block's root element has an ``id`` and ``data-hx-swap-oob`` when ``oob`` is set. ``mark``: the
#: field of :class:`Marks` the block shows; it is sent only when that field differs between
#: the page the browser shows (``HX-Current-URL``) and the new one — of the three link lists
#: only the links whose mark differs (``oob_links``: their ids, :func:`link_id`), each swapped
#: by its id. ``None``: the block depends on the page's address itself (links, title) and is
#: always sent.
OOB_BLOCKS = [
    ("partials/main_nav.html", "main_nav_list", "main_nav"),
    ("partials/service_bar.html", "service_list", "service"),
    ("partials/footer.html", "footer_list", "footer"),
    ("partials/language_switch.html", "language_switch", None),
    ("partials/language_offer.html", "language_offer", "offer"),
    ("partials/print_info.html", "print_info", None),
]
#: The lists whose links carry current-page marks: the mark's field and the prefix of its
#: links' ids (main navigation, service bar, footer).
LINK_LISTS = {"main_nav": "hn", "service": "sn", "footer": "fn"}


def link_id(list_prefix: str, path: str) -> str:
    """The id of the link to ``path`` (without language prefix) in one of :data:`LINK_LISTS`:
    ``hn-aktuelles``, ``sn-start``, ``fn-barriere-melden``."""
    slug = "".join(c if c.isascii() and c.isalnum() else "-" for c in path.strip("/").lower())
    return f"{list_prefix}-{slug or 'start'}"


def changed_links(mark: str, previous: Marks, now: Marks) -> set[str]:
    """The ids of the links of list ``mark`` whose current-page mark differs between the page
    the browser shows (``previous``) and the new one (``now``)."""
    before, after = getattr(previous, mark), getattr(now, mark)
    if mark == "main_nav":
        before, after = dict(before), dict(after)
        paths = {
            path for path in before.keys() | after.keys() if before.get(path) != after.get(path)
        }
    else:
        paths = {path for path in (before, after) if path is not None} if before != after else set()
    return {link_id(LINK_LISTS[mark], path) for path in paths}


@dataclass(frozen=True)
class Marks:
    """The current-page marks of the layout's lists for one page: what the out-of-band
    blocks show that depends on the page (computed as the templates compute it)."""

    main_nav: tuple[tuple[str, str], ...]  # (path, aria-current value) in the main navigation
    service: str | None  # the service bar's current item ("/" or a SERVICE_LINKS path)
    footer: str | None  # the footer's current item
    offer: bool  # the English offer of the German start page shown


def marks_for(path: str, offer: bool, content=None) -> Marks:
    """The marks the layout's templates render for ``path`` (without language prefix), with
    the served content (``content``, default: the current app's)."""
    from .templating import FOOTER_PATHS, SERVICE_LINKS, nav_current_for

    if content is None:
        from .texts import store

        content = store()
    nav_current = nav_current_for(path)
    main_nav = []
    for doc in content.navigation():  # as partials/main_nav.html marks them
        if doc.path == nav_current:
            main_nav.append((doc.path, "page"))
        elif nav_current and doc.path != "/" and nav_current.startswith(doc.path):
            main_nav.append((doc.path, "true"))
    service_paths = {"/", *(link_path for _, link_path, _ in SERVICE_LINKS)}
    footer = path if path in FOOTER_PATHS and content.get(path) is not None else None
    return Marks(tuple(main_nav), path if path in service_paths else None, footer, offer)


#: htmx settings (``<meta name="htmx-config">``): no eval, no injected styles (a strict CSP
#: works), history restored from the server (nothing kept in sessionStorage), a 404 (and a
#: form's 422) swapped in place, other errors handled by navigation.js (announcement, then a
#: normal page load).
HTMX_CONFIG = {
    "includeIndicatorStyles": False,
    "allowEval": False,
    "allowScriptTags": False,
    "selfRequestsOnly": True,
    "historyCacheSize": 0,
    "historyRestoreAsHxRequest": False,
    "refreshOnHistoryMiss": False,
    "scrollIntoViewOnBoost": False,
    "defaultFocusScroll": False,
    "timeout": 10000,
    "responseHandling": [
        {"code": "204", "swap": False},
        {"code": "[23]..", "swap": True},
        {"code": "404", "swap": True},
        {"code": "422", "swap": True},  # a form with errors (webapp/forms)
        {"code": "[45]..", "swap": False, "error": True},
    ],
}


@dataclass(frozen=True)
class Variant:
    """What a request asks for beyond its URL: the whole page, or fragments of it.

    ``fragments``: an htmx request (``HX-Request: true`` in any casing, as htmx-flask reads
    it), but not a history restore (that one needs the whole page). ``target``: the
    ``HX-Target`` of such a request (a list's "Weitere … laden", the search's results), else
    ``None`` — a header that decides nothing is not part of the answer. ``previous``: the
    marks of the page the browser shows (from ``HX-Current-URL``), which decide the
    out-of-band blocks sent; ``None`` when unknown (then all are sent).
    """

    fragments: bool = False
    target: str | None = None
    previous: Marks | None = None


WHOLE_PAGE = Variant()
#: The request's :class:`Variant`, kept in its WSGI environ (decided once per request).
VARIANT_ENVIRON_KEY = "sozialberichte.variant"
#: Set in the WSGI environ for a fragment request: its answer is inserted into a page and is
#: never a document itself, so the document-only headers are left out (webapp/security.py).
FRAGMENT_ENVIRON_KEY = "sozialberichte.fragment"
_MARKS_KEY = "sozialberichte.previous_marks"
CONTENT_KEY = "sozialberichte.content"


def request_variant() -> Variant:
    """The one decision "whole page or fragments (and which)" for this request. Every view
    and the page cache's key (``webapp/caching.py``) call :func:`variant_in`, never the
    headers themselves, so a cached answer is always the answer a fresh rendering gives."""
    environ = request.environ
    variant = environ.get(VARIANT_ENVIRON_KEY)
    if variant is None:
        variant = variant_in(environ, current_app._get_current_object())
    return variant


def variant_in(environ: dict, app: Flask) -> Variant:
    """:func:`request_variant` of a WSGI environ (the page cache answers before Flask's
    request exists): the headers as htmx-flask's ``request.htmx`` reads them (``HX-Request:
    true`` in any casing), the page the browser shows from ``HX-Current-URL``."""
    variant = environ.get(VARIANT_ENVIRON_KEY)
    if variant is not None:
        return variant
    if _is_true(environ.get("HTTP_HX_REQUEST")) and not _is_true(
        environ.get("HTTP_HX_HISTORY_RESTORE_REQUEST")
    ):
        variant = Variant(
            True,
            environ.get("HTTP_HX_TARGET"),
            previous_marks(environ.get("HTTP_HX_CURRENT_URL"), environ, app),
        )
        environ[FRAGMENT_ENVIRON_KEY] = True  # webapp/security.py: fewer headers
    else:
        variant = WHOLE_PAGE
    environ[VARIANT_ENVIRON_KEY] = variant
    return variant


def _is_true(value: str | None) -> bool:
    """htmx-flask's reading of a boolean header: ``true`` in any casing."""
    return value is not None and value.lower() == "true"


def _wsgi_text(value: str) -> str:
    """A WSGI environ string (latin-1) as the text Werkzeug's request reads from it."""
    return value.encode("latin-1").decode("utf-8", "replace")


def previous_marks(current_url: str | None, environ: dict, app: Flask) -> Marks | None:
    """The marks of the page at ``current_url`` (``HX-Current-URL``), when it is a page of
    this site in the request's language; else ``None``."""
    if not current_url or len(current_url) > 2048:
        return None
    shown = _shown_path(current_url, get_host(environ), environ.get("SCRIPT_NAME") or "")
    if shown is None:
        return None
    path, root = shown
    offer = (
        not root
        and path == "/"
        and offered_language_for(environ.get("HTTP_ACCEPT_LANGUAGE")) is not None
    )
    extensions = app.extensions
    content = extensions[CONTENT_KEY]
    held = extensions.get(_MARKS_KEY)
    if held is None or held[0] is not content or len(held[1]) >= 4096:
        # Per served content (a publication changes the navigation); the header is the
        # visitor's: bounded.
        held = extensions[_MARKS_KEY] = (content, {})
    cache = held[1]
    key = (path, offer)
    marks = cache.get(key)
    if marks is None:
        marks = cache[key] = marks_for(path, offer, content)
    return marks


@lru_cache(maxsize=1024)
def _shown_path(current_url: str, host: str, script_name: str) -> tuple[str, str] | None:
    """The page's path (without language prefix) and the request's root of an
    ``HX-Current-URL`` on this host in the request's language, else ``None``; parsed once per
    value (a visitor's clicks repeat a handful)."""
    try:
        parts = urlsplit(current_url)
    except ValueError:
        return None
    if parts.netloc and parts.netloc.lower() != host.lower():
        return None
    path = unquote(parts.path) or "/"
    root = _wsgi_text(script_name).rstrip("/")
    if root:
        if path != root and not path.startswith(root + "/"):
            return None
        path = path[len(root) :] or "/"
    elif any(path == prefix or path.startswith(prefix + "/") for prefix in BY_PREFIX):
        return None  # another language: every block is sent
    return path, root


def wants_fragments() -> bool:
    """An htmx request, but not a history restore (that one needs the whole page)."""
    return request_variant().fragments


def wants_target(target: str) -> bool:
    """An htmx request for the element ``target`` alone (``HX-Target``)."""
    variant = request_variant()
    return variant.fragments and variant.target == target


#: Request headers :func:`request_variant` reads: every answer varies on them, a fragment
#: also on the page the browser shows.
VARIANT_HEADERS = ("HX-Request", "HX-History-Restore-Request")
FRAGMENT_VARY = (*VARIANT_HEADERS, "HX-Current-URL")


def defines_block(template: str, block: str) -> bool:
    return block in current_app.jinja_env.get_template(template).blocks


def page_title(template: str, **context) -> Markup:
    """The page's own title (block ``title``), without the site name."""
    return Markup(render_block(template, "title", **context).strip())  # noqa: S704 - rendered


def title_tag(template: str, **context) -> Markup:
    """``<title>`` for a fragment response: htmx sets ``document.title`` from it."""
    title = page_title(template, **context)
    suffix = render_block(LAYOUT, "title_suffix", **context)
    return Markup("<title>%s%s</title>") % (title, Markup(suffix))  # noqa: S704 - rendered


def current_marks() -> Marks:
    from .i18n import offered_language

    return marks_for(request.path, offered_language() is not None)


def oob_parts(template: str, **context) -> list[str]:
    """The breadcrumb (the page's own block, if it has one) and :data:`OOB_BLOCKS` — of
    those with a mark, only the ones whose mark differs from the page the browser shows."""
    context = {**context, "oob": True, "page_title": page_title(template, **context)}
    crumb_source = template if defines_block(template, "breadcrumb") else LAYOUT
    parts = [render_block(crumb_source, "breadcrumb", **context)]
    previous = request_variant().previous
    now = current_marks() if previous is not None else None
    for name, block, mark in OOB_BLOCKS:
        if mark is None or now is None:
            parts.append(render_block(name, block, **context))
        elif mark in LINK_LISTS:
            links = changed_links(mark, previous, now)
            if links:  # else: unchanged on the page the browser shows
                parts.append(render_block(name, block, **context, oob_links=links))
        elif getattr(now, mark) != getattr(previous, mark):
            parts.append(render_block(name, block, **context))
    return parts


def page_fragments(template: str, **context) -> str:
    return "\n".join(
        [
            title_tag(template, **context),
            render_block(template, "main", **context),
            *oob_parts(template, **context),
        ]
    )


def render_page(template: str, status: int = 200, **context):
    """A page view's response: the full page, or its fragments for an htmx request."""
    if wants_fragments():
        response = make_response(page_fragments(template, **context), status)
        response.headers["HX-Retarget"] = MAIN_TARGET
        response.headers["HX-Reswap"] = "innerHTML"
        add_vary(response, *FRAGMENT_VARY)
    else:
        response = make_response(render_template(template, **context), status)
        add_vary(response, *VARIANT_HEADERS)
    return response


def init_app(app: Flask) -> None:
    Htmx(app)  # request.htmx
    app.jinja_env.globals["htmx_config"] = json.dumps(HTMX_CONFIG, separators=(",", ":"))
    app.jinja_env.globals["link_id"] = link_id
