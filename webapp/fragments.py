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

from flask import Flask, current_app, make_response, render_template, request
from htmx_flask import Htmx
from jinja2_fragments.flask import render_block
from markupsafe import Markup

LAYOUT = "layouts/base.html"
#: The element that in-place navigation fills with a page's block ``main``.
MAIN_TARGET = "#inhalt"
#: Partials (template, block) re-rendered out of band after every in-place navigation: each
#: block's root element has an ``id`` and ``data-hx-swap-oob`` when ``oob`` is set.
OOB_BLOCKS = [
    ("partials/main_nav.html", "main_nav_list"),
    ("partials/service_bar.html", "service_list"),
    ("partials/footer.html", "footer_list"),
    ("partials/language_switch.html", "language_switch"),
    ("partials/language_offer.html", "language_offer"),
    ("partials/print_info.html", "print_info"),
]

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


def wants_fragments() -> bool:
    """An htmx request, but not a history restore (that one needs the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


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


def oob_parts(template: str, **context) -> list[str]:
    """The breadcrumb (the page's own block, if it has one) and :data:`OOB_BLOCKS`."""
    context = {**context, "oob": True, "page_title": page_title(template, **context)}
    crumb_source = template if defines_block(template, "breadcrumb") else LAYOUT
    parts = [render_block(crumb_source, "breadcrumb", **context)]
    parts += [render_block(name, block, **context) for name, block in OOB_BLOCKS]
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
    else:
        response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response


def init_app(app: Flask) -> None:
    Htmx(app)  # request.htmx
    app.jinja_env.globals["htmx_config"] = json.dumps(HTMX_CONFIG, separators=(",", ":"))
