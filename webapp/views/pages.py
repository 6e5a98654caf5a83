"""Content pages: every document in ``content/`` that no other view claims."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request

from ..texts import note_untranslated, store

bp = Blueprint("pages", __name__)

TEMPLATES = {"page": "pages/page.html", "news": "pages/news_item.html", "event": "pages/event.html"}
LISTS = {"aktuelles": "news", "veranstaltungen": "event"}


@bp.route("/", defaults={"path": ""})
@bp.route("/<path:path>")
def page(path: str):
    url_path = "/" + path
    doc = store().get(url_path)
    if doc is None:
        if store().get(url_path + "/"):
            query = request.query_string.decode("latin-1")
            target = request.script_root + url_path + "/" + ("?" + query if query else "")
            return redirect(target, 308)
        abort(404)
    if doc.endpoint:  # served by another view (a form, the search)
        abort(404)
    note_untranslated(doc)
    context = {"doc": doc}
    template = doc.meta.get("template")
    if template == "start":
        context["news"] = store().of_kind("news")
    elif doc.meta.get("list") in LISTS:
        context["items"] = store().of_kind(LISTS[doc.meta["list"]])
        template = "list"
    if template:
        return render_template(f"pages/{template}.html", **context)
    return render_template(TEMPLATES[doc.kind], **context)
