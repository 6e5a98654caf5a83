"""``/suche``: the search page. Without JavaScript a plain GET form; with htmx the results
update as the visitor types (``HX-Target: suchergebnisse``): only the results, the page title
and the announcement of the count are sent."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, make_response, render_template, request
from flask_babel import gettext, ngettext
from jinja2_fragments.flask import render_block
from sqlalchemy.exc import SQLAlchemyError

from ..fragments import VARIANT_HEADERS, render_page, title_tag, wants_target
from ..i18n import current_language
from ..search import MAX_QUERY_LENGTH, QueryTooLong, index
from ..texts import store

log = logging.getLogger(__name__)
bp = Blueprint("search", __name__)

TEMPLATE = "search/search.html"
#: The id of the results region that search-as-you-type replaces.
RESULTS_TARGET = "suchergebnisse"


def count_message(query: str, hits: list, too_long: bool) -> str:
    if too_long:
        return gettext(
            "Ihr Suchbegriff ist zu lang. Bitte verwenden Sie höchstens %(max)s Zeichen.",
            max=MAX_QUERY_LENGTH,
        )
    if not query.strip():
        return ""
    return ngettext(
        "%(num)s Treffer für „%(query)s“", "%(num)s Treffer für „%(query)s“", len(hits), query=query
    )


@bp.route("/suche")
def search():
    # Kept in the page cache like every page (a popular query is not searched and rendered
    # again); an address with a query string is stored at the fast compression level
    # (webapp/caching.py, make_entry), so storing costs about as much as compressing an
    # uncached answer.
    query = request.args.get("q", "")
    too_long = False
    try:
        hits = index().search(current_language().code, query)
        # Only what is served now (a shared index file may outlive a deleted document).
        hits = [hit for hit in hits if store().get(hit.path) is not None]
    except QueryTooLong:
        hits, too_long = [], True
    except SQLAlchemyError:  # the index in PostgreSQL (webapp/search_postgres.py) is down
        log.warning("search unavailable", exc_info=True)
        abort(503)
    context = {
        "query": query,
        "hits": hits,
        "too_long": too_long,
        "message": count_message(query, hits, too_long),
    }
    if wants_target(RESULTS_TARGET):
        parts = [
            title_tag(TEMPLATE, **context),
            render_block(TEMPLATE, "results", **context),
            render_template("partials/announcement.html", message=context["message"]),
        ]
        response = make_response("\n".join(parts))
        response.vary.update(VARIANT_HEADERS)
    else:
        response = render_page(TEMPLATE, **context)
    # The answer depends on HX-Target too (results alone or the page): never mix them up in
    # a cache (the page cache, webapp/caching.py, does not store what varies on it).
    response.vary.add("HX-Target")
    return response
