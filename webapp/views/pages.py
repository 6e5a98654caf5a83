"""Content pages: every document in ``content/`` that no other view claims.

List pages (``/aktuelles/``, ``/veranstaltungen/``) are paged (``?seite=2``) and filtered by
year (``?jahr=2024``). With htmx, "Weitere … laden" asks for the next page's items alone
(``HX-Target: liste``) and appends them; without JavaScript it is a link to the next page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask import Blueprint, abort, make_response, redirect, render_template, request
from flask_babel import gettext, ngettext
from jinja2_fragments.flask import render_block

from ..content import Document
from ..fragments import VARIANT_HEADERS, render_page, wants_target
from ..links import current_query, site_path
from ..texts import note_untranslated, store

bp = Blueprint("pages", __name__)

TEMPLATES = {"page": "pages/page.html", "news": "pages/news_item.html", "event": "pages/event.html"}
LISTS = {"aktuelles": "news", "veranstaltungen": "event"}
PER_PAGE = 10
#: The id of the list that "Weitere … laden" appends to (its htmx ``HX-Target``).
LIST_TARGET = "liste"


@dataclass
class Paging:
    """One page of a list: ``items``, its ``number`` (from 1), the ``year`` filter."""

    items: list[Document]
    number: int
    total: int
    year: int | None
    years: list[int]
    kind: str

    @property
    def next_query(self) -> str | None:
        if self.number >= self.total:
            return None
        query = f"seite={self.number + 1}"
        return f"jahr={self.year}&{query}" if self.year else query

    @property
    def more_label(self) -> str:
        if self.kind == "event":
            return gettext("Weitere Veranstaltungen laden")
        return gettext("Weitere Meldungen laden")

    def added_message(self) -> str:
        count = len(self.items)
        if self.kind == "event":
            return ngettext(
                "%(num)s weitere Veranstaltung geladen",
                "%(num)s weitere Veranstaltungen geladen",
                count,
            )
        return ngettext(
            "%(num)s weitere Meldung geladen", "%(num)s weitere Meldungen geladen", count
        )


def paging_for(kind: str) -> Paging:
    """The requested page of the list; the year is allowed only if an item has it."""
    years = store().years(kind)
    year = request.args.get("jahr", type=int)
    if year not in years:
        year = None
    items = store().of_kind(kind, year)  # precomputed: the cost is the page's, not the archive's
    total = max(1, math.ceil(len(items) / PER_PAGE))
    number = max(1, request.args.get("seite", 1, type=int))
    if number > total:
        abort(404)
    start = (number - 1) * PER_PAGE
    return Paging(list(items[start : start + PER_PAGE]), number, total, year, years, kind)


def more_items(template: str, context: dict):
    """The htmx answer of "Weitere … laden": the items, the next link, the announcement."""
    context = {**context, "focus_first": True, "oob": True}
    parts = [
        render_block(template, "list_items", **context),
        render_block(template, "list_more", **context),
        render_template("partials/announcement.html", message=context["paging"].added_message()),
    ]
    response = make_response("\n".join(parts))
    response.vary.update(VARIANT_HEADERS)
    return response


@bp.route("/", defaults={"path": ""})
@bp.route("/<path:path>")
def page(path: str):
    url_path = "/" + path
    doc = store().get(url_path)
    if doc is None:
        if store().get(url_path + "/"):
            target = site_path(url_path + "/", current_query(), prefix=request.script_root)
            return redirect(target, 308)
        if url_path in store().gone:  # deleted or unpublished in the editors' area
            abort(410)
        abort(404)
    if doc.endpoint:  # served by another view (a form, the search)
        abort(404)
    note_untranslated(doc)
    context = {"doc": doc}
    template = doc.meta.get("template")
    if template == "start":
        context["news"] = store().of_kind("news")
    elif doc.meta.get("list") in LISTS:
        context["paging"] = paging_for(LISTS[doc.meta["list"]])
        if wants_target(LIST_TARGET):
            response = more_items("pages/list.html", context)
        else:
            response = render_page("pages/list.html", **context)
        response.vary.add("HX-Target")  # "Weitere … laden" gets another answer
        return response
    if template:
        return render_page(f"pages/{template}.html", **context)
    return render_page(TEMPLATES[doc.kind], **context)
