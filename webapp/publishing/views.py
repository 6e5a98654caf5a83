"""The editors' pages for German content at ``/redaktion/inhalte/``: list, new, edit with
preview, Freigabe (publish, schedule, reject), revisions with diff and restore, delete with
undo. They belong to the editors' blueprint (its login, CSRF, no-store and 503 handling)."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select

from ..config import as_bool
from ..content import render_tokens
from ..db import db
from ..editor.forms import ActionForm
from ..editor.roles import FREIGABE, has_role
from ..editor.views import ACTION_LABELS, bp
from ..fragments import render_page
from ..views.pages import TEMPLATES
from . import store as content_store
from . import workflow
from .fields import (
    FIELDS,
    KIND_BASES,
    as_text,
    catalog_name,
    data_of_file,
    path_for,
    to_document,
)
from .forms import DocumentForm, data_from, fill
from .models import ContentDocument, ContentRevision, aware
from .translations import translation_status

KIND_SLUGS = {"seite": "page", "meldung": "news", "veranstaltung": "event"}
KIND_LABELS = {"page": _l("Seite"), "news": _l("Meldung"), "event": _l("Veranstaltung")}
STATUS_LABELS = {
    "file": _l("aus dem Repository (content/)"),
    "draft": _l("Entwurf"),
    "submitted": _l("zur Freigabe eingereicht"),
    "rejected": _l("abgelehnt"),
    "published": _l("veröffentlicht"),
    "scheduled": _l("geplant"),
    "deleted": _l("gelöscht"),
    "unpublished": _l("nicht mehr veröffentlicht"),
    "live_draft": _l("veröffentlicht, mit neuem Entwurf"),
    "live_submitted": _l("veröffentlicht, neue Fassung zur Freigabe eingereicht"),
    "live_rejected": _l("veröffentlicht, neue Fassung abgelehnt"),
}
BERLIN = ZoneInfo("Europe/Berlin")
ACTION_LABELS.update(
    {
        "doc-create": _l("Dokument angelegt"),
        "doc-save": _l("Entwurf gespeichert"),
        "doc-restore": _l("Version wiederhergestellt"),
        "doc-submit": _l("zur Freigabe eingereicht"),
        "doc-publish": _l("veröffentlicht"),
        "doc-schedule": _l("Veröffentlichung geplant"),
        "doc-unpublish": _l("Veröffentlichung beendet"),
        "doc-reject": _l("abgelehnt"),
        "doc-delete": _l("gelöscht"),
        "doc-undelete": _l("Löschen rückgängig gemacht"),
    }
)
EDIT_ACTIONS = {"save", "submit", "preview", "layout"}


def _crumb(path: str, label) -> None:
    g.breadcrumb.append({"path": path, "label": label})


def _contents_crumb() -> None:
    _crumb("/redaktion/inhalte/", _l("Inhalte"))


def _checked_action() -> None:
    if not ActionForm().validate_on_submit():
        abort(400)


def _require_freigabe() -> None:
    if not has_role(g.editor, FREIGABE):
        abort(403)


def _now() -> dt.datetime:
    return content_store.now(current_app)


def _document(doc_id: int) -> ContentDocument:
    doc = db.session.get(ContentDocument, doc_id)
    if doc is None:
        abort(404)
    return doc


def status_of(doc: ContentDocument | None, at: dt.datetime) -> str:
    if doc is None:
        return "file"
    if doc.deleted_at is not None:
        return "deleted"
    if doc.unpublish_at is not None and at >= aware(doc.unpublish_at):
        return "unpublished"
    if doc.scheduled_revision_id and doc.publish_at and aware(doc.publish_at) > at:
        return "scheduled" if doc.status == "published" else doc.status
    if doc.live_revision_id and doc.status in ("draft", "submitted", "rejected"):
        return "live_" + doc.status  # visitors see the published version meanwhile
    return doc.status


def _local(value: dt.datetime | None) -> str:
    return aware(value).astimezone(BERLIN).strftime("%d.%m.%Y, %H:%M") if value else ""


def _labels() -> dict:
    """The names of the fields as the form shows them (for diffs and conflicts)."""
    form = DocumentForm(meta={"csrf": False})
    labels = {key: re.sub(r" \(.*\)$", "", str(getattr(form, key).label.text)) for key in FIELDS}
    labels[True] = gettext("ja")
    labels[False] = gettext("nein")
    return labels


def _text(data: dict | None) -> str:
    return as_text(data or {}, _labels())


def _diff(old: dict | None, new: dict) -> list[tuple[str, str]]:
    """Lines of the fields, each marked ``+`` (new), ``-`` (removed) or `` `` (same); all
    new when there is no earlier version."""
    if old is None:
        return [("+", line) for line in _text(new).splitlines()]
    lines = difflib.ndiff(_text(old).splitlines(), _text(new).splitlines())
    return [(line[0], line[2:]) for line in lines if line[:1] in "+- "]


def _taken() -> set[str]:
    """Paths a new document cannot have: those of the files and of the database, and the
    paths whose file (``content/<folder>/<slug>.md``, its translation catalog's name too)
    belongs to a file with another path (``seiten/bestellen.md`` serves
    ``/sozialberichte/bestellen``)."""
    documents = content_store.files(current_app).documents.values()
    paths = {doc.path for doc in documents}
    paths.update(path_for(doc.kind, Path(doc.source).stem) for doc in documents)
    paths.update(db.session.scalars(select(ContentDocument.path)))
    return paths


#: A preview sits under the page's heading "Vorschau" (h2) with the document's title as h3:
#: the text's own headings (## → h2) move two levels down, so heading navigation keeps the
#: page's outline (a screen reader heard the preview's h2 beside "Entscheiden").
PREVIEW_HEADING_SHIFT = 2


def _demoted(token):
    if token.type in ("heading_open", "heading_close"):
        level = min(6, int(token.tag[1]) + PREVIEW_HEADING_SHIFT)
        return token.copy(tag=f"h{level}")
    return token


def _preview_html(kind: str, path: str, data: dict) -> Markup:
    doc = to_document(kind, path, data, "vorschau", None)
    tokens = [_demoted(token) for token in doc.tokens]
    return render_tokens(tokens, lambda text: (text, True), prefix=request.script_root)


def _layout_preview(kind: str, path: str, data: dict, base=None):
    """The draft in the portal's own layout (never stored, never cached: /redaktion/)."""
    doc = to_document(kind, path, data, "vorschau", base)
    template = doc.meta.get("template")
    name = TEMPLATES[kind]
    if template and template not in ("start",):
        name = f"pages/{template}.html"
    context = {"doc": doc}
    if doc.meta.get("list") or template == "start":
        name = TEMPLATES[kind]  # a list's items are live data: preview its text only
    html = render_template(name, **context)
    notice = render_template("editor/_preview_notice.html")
    return html.replace("<h1", notice + "<h1", 1)


@bp.app_template_global()
def content_status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


# --- list -------------------------------------------------------------------------------


@bp.route("/inhalte/")
def contents():
    _contents_crumb()
    at = _now()
    rows = {row.path: row for row in db.session.scalars(select(ContentDocument))}
    kind = KIND_SLUGS.get(request.args.get("art", ""))
    items = []
    for doc in content_store.files(current_app).documents.values():
        row = rows.pop(doc.path, None)
        items.append({"path": doc.path, "kind": doc.kind, "title": doc.title, "row": row})
    for row in rows.values():
        revision = workflow.revision_of(row.latest_revision_id)
        title = revision.data.get("title") if revision else row.path
        items.append({"path": row.path, "kind": row.kind, "title": title, "row": row})
    if kind:
        items = [item for item in items if item["kind"] == kind]
    served = current_app.extensions[content_store.CONTENT_KEY]
    for item in items:
        item["status"] = status_of(item["row"], at)
        doc = served.get(item["path"])  # what visitors see: its translation status
        item["languages"] = translation_status(doc) if doc is not None else []
    items.sort(key=lambda item: (item["kind"], item["path"]))
    return render_page(
        "editor/contents.html",
        items=items,
        kind=kind,
        kinds=KIND_SLUGS,
        kind_labels=KIND_LABELS,
    )


# --- edit -------------------------------------------------------------------------------


def _edit(kind: str, form: DocumentForm, doc: ContentDocument | None, path: str, extra=None):
    """Validate and act on a posted form (save, submit, preview); or show the form."""
    status, conflict, preview = 200, None, None
    base = content_store.files(current_app).get(path)
    if request.method == "POST":
        action = request.form.get("action", "save")
        if action not in EDIT_ACTIONS:
            abort(400)
        if action == "preview" and request.headers.get("HX-Request"):
            # The live preview while typing: the preview alone, swapped in place (the
            # fields are checked when the editor saves or asks for the preview).
            form.validate()
            if form.new:
                path = path_for(kind, form.slug.data or "vorschau")
            return render_template(
                "editor/_document_preview.html",
                form=form,
                live=True,
                preview=_preview_html(kind, path, data_from(form, extra)),
            )
        if form.csrf_token.errors:
            flash(
                gettext(
                    "Nicht gespeichert: Die Sitzung ist abgelaufen oder das Formular ist zu "
                    "alt. Ihr Text steht noch in den Feldern. Bitte speichern Sie erneut."
                ),
                "error",
            )
        if form.validate():
            if form.new:
                path = path_for(kind, form.slug.data)
            data = data_from(form, extra)
            if action == "preview":
                preview = _preview_html(kind, path, data)
            elif action == "layout":
                return _layout_preview(kind, path, data, base)
            else:
                try:
                    doc = _store(kind, form, doc, path, data)
                except workflow.PathTaken:
                    form.slug.errors = [gettext("Diese Adresse gibt es schon.")]
                    status = 422
                except workflow.Conflict as error:
                    conflict = _conflict(error.document, form, data)
                    status = 409
                else:
                    if action == "submit":
                        doc = workflow.submit(doc.id, doc.version, g.editor["name"])
                        flash(gettext("Gespeichert und zur Freigabe eingereicht."))
                    else:
                        flash(gettext("Gespeichert (Entwurf)."))
                    return redirect(url_for("editor.edit_document", doc_id=doc.id), 303)
        else:
            status = 422
    return render_page(
        "editor/content_edit.html",
        status,
        form=form,
        kind=kind,
        kind_label=KIND_LABELS[kind],
        heading=_heading(kind, form),
        doc=doc,
        path=path,
        base_path=KIND_BASES[kind],
        conflict=conflict,
        preview=preview,
        live=False,
        status_label=content_status_label(status_of(doc, _now())) if doc else None,
    )


def _heading(kind: str, form: DocumentForm) -> str:
    if form.new:
        return gettext("%(kind)s anlegen", kind=KIND_LABELS[kind])
    return gettext("%(kind)s bearbeiten", kind=KIND_LABELS[kind])


def _store(kind, form, doc, path, data) -> ContentDocument:
    editor = g.editor["name"]
    if doc is not None:
        version = int(form.version.data or 0)
        return workflow.save(doc.id, version, data, editor)
    if form.new:
        return workflow.create(kind, form.slug.data, data, editor, _taken())
    # The first edit of a content/ file: its state becomes revision 1.
    files = content_store.files(current_app)
    baseline = data_of_file(files.get(path), files.root)
    baseline["_source"] = files.get(path).source
    return workflow.create(kind, path, data, editor, set(), baseline=baseline)


def _conflict(current: ContentDocument | None, form: DocumentForm, data: dict) -> dict:
    """Both versions for the editor; the form then carries the current version number, so
    saving again (after comparing) is a deliberate choice."""
    db.session.expire_all()
    current = db.session.get(ContentDocument, current.id) if current is not None else None
    saved = workflow.revision_of(current.latest_revision_id) if current else None
    if current is not None:
        form.version.data = str(current.version)
    return {
        "saved": _text(saved.data if saved else {}),
        "mine": _text(data),
        "by": current.updated_by if current else "",
        "diff": _diff(saved.data if saved else {}, data),
    }


@bp.route("/inhalte/neu/<kind_slug>", methods=["GET", "POST"])
def new_document(kind_slug: str):
    kind = KIND_SLUGS.get(kind_slug)
    if kind is None:
        abort(404)
    _contents_crumb()
    form = DocumentForm(kind=kind, new=True)
    if request.method == "GET":
        form.sitemap.data = True
    return _edit(kind, form, None, KIND_BASES[kind])


@bp.route("/inhalte/datei", methods=["GET", "POST"])
def edit_file():
    """A document of content/ not yet changed in the browser."""
    path = request.args.get("pfad", "")
    base = content_store.files(current_app).get(path)
    if base is None:
        abort(404)
    existing = db.session.scalar(select(ContentDocument).where(ContentDocument.path == path))
    if existing is not None and request.method == "GET":
        return redirect(url_for("editor.edit_document", doc_id=existing.id), 303)
    _contents_crumb()
    data = data_of_file(base, content_store.files(current_app).root)
    form = DocumentForm(kind=base.kind)
    if request.method == "GET":
        fill(form, data)
        form.version.data = "0"
    # A second editor who started from the file too gets a conflict from the save.
    return _edit(base.kind, form, None, path, extra=data.get("extra"))


@bp.route("/inhalte/<int:doc_id>", methods=["GET", "POST"])
def edit_document(doc_id: int):
    doc = _document(doc_id)
    _contents_crumb()
    revision = workflow.revision_of(doc.latest_revision_id)
    data = revision.data if revision else {}
    form = DocumentForm(kind=doc.kind)
    if request.method == "GET":
        fill(form, data)
        form.version.data = str(doc.version)
    return _edit(doc.kind, form, doc, doc.path, extra=data.get("extra"))


@bp.route("/inhalte/<int:doc_id>/vorschau")
def preview_document(doc_id: int):
    doc = _document(doc_id)
    revision = workflow.revision_of(doc.latest_revision_id)
    base = content_store.files(current_app).get(doc.path)
    return _layout_preview(doc.kind, doc.path, revision.data, base)


# --- Freigabe ---------------------------------------------------------------------------


def _parse_local(value: str) -> dt.datetime | None:
    try:
        local = dt.datetime.strptime(value.strip(), "%Y-%m-%dT%H:%M")
    except ValueError:
        return None
    return local.replace(tzinfo=BERLIN).astimezone(dt.UTC)


def _four_eyes() -> bool:
    """Publishing needs a second person (``PUBLISHING_FOUR_EYES``, default on)."""
    return as_bool(current_app.config.get("PUBLISHING_FOUR_EYES", True))


@bp.route("/inhalte/<int:doc_id>/freigabe", methods=["GET", "POST"])
def review_document(doc_id: int):
    doc = _document(doc_id)
    _contents_crumb()
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        _checked_action()
        _require_freigabe()
        action = request.form.get("action", "")
        version = int(request.form.get("version", "0") or 0)
        editor = g.editor["name"]
        now = _now()
        try:
            if action == "publish":
                workflow.publish(doc.id, version, editor, now, None, four_eyes=_four_eyes())
                flash(
                    gettext("Veröffentlicht. Die Seite ist in wenigen Sekunden überall zu sehen.")
                )
            elif action == "schedule":
                at = _parse_local(request.form.get("publish_at", ""))
                if at is None or at <= now:
                    errors["publish_at"] = gettext(
                        "Bitte geben Sie einen Zeitpunkt in der Zukunft ein."
                    )
                else:
                    workflow.publish(doc.id, version, editor, now, at, four_eyes=_four_eyes())
                    flash(gettext("Die Veröffentlichung ist geplant: %(at)s", at=_local(at)))
            elif action == "unpublish":
                raw = request.form.get("unpublish_at", "").strip()
                at = _parse_local(raw) if raw else None
                if raw and (at is None or at <= now):
                    errors["unpublish_at"] = gettext(
                        "Bitte geben Sie einen Zeitpunkt in der Zukunft ein oder lassen Sie "
                        "das Feld leer (sofort)."
                    )
                else:
                    workflow.unpublish(doc.id, version, editor, now, at)
                    flash(gettext("Das Ende der Veröffentlichung ist gespeichert."))
            elif action == "reject":
                comment = request.form.get("comment", "").strip()
                if not comment:
                    errors["comment"] = gettext("Bitte schreiben Sie, was zu ändern ist.")
                elif len(comment) > 2000:
                    errors["comment"] = gettext("Bitte kürzen Sie den Kommentar.")
                else:
                    workflow.reject(doc.id, version, editor, comment)
                    flash(gettext("Abgelehnt. Die Redaktion sieht Ihren Kommentar."))
            else:
                abort(400)
        except workflow.Conflict:
            flash(
                gettext(
                    "Nicht ausgeführt: Das Dokument wurde inzwischen geändert. "
                    "Bitte prüfen Sie die neue Fassung."
                ),
                "error",
            )
            return redirect(url_for("editor.review_document", doc_id=doc.id), 303)
        except workflow.OwnText:
            flash(
                gettext(
                    "Nicht veröffentlicht: Diese Fassung haben Sie selbst geschrieben. "
                    "Eine andere Person der Freigabe prüft und veröffentlicht sie "
                    "(Vier-Augen-Prinzip)."
                ),
                "error",
            )
            return redirect(url_for("editor.review_document", doc_id=doc.id), 303)
        if not errors:
            content_store.refresh(current_app, force=True)
            return redirect(url_for("editor.review_document", doc_id=doc.id), 303)
        status = 422
        db.session.expire_all()
        doc = _document(doc_id)
    latest = workflow.revision_of(doc.latest_revision_id)
    live = workflow.revision_of(doc.live_revision_id)
    if live is None and doc.source_file:
        live = db.session.scalar(
            select(ContentRevision).where(
                ContentRevision.document_id == doc.id, ContentRevision.note == "file"
            )
        )
    base = content_store.files(current_app).get(doc.path)
    name = catalog_name(doc, content_store.files(current_app).root)
    draft = to_document(doc.kind, doc.path, latest.data, name, base)
    return render_page(
        "editor/review.html",
        status,
        doc=doc,
        latest=latest,
        diff=_diff(live.data if live else None, latest.data),
        languages=translation_status(draft),
        can_publish=has_role(g.editor, FREIGABE),
        status_label=content_status_label(status_of(doc, _now())),
        publish_at=_local(doc.publish_at),
        unpublish_at=_local(doc.unpublish_at),
        errors=errors,
        form_values=request.form if request.method == "POST" else {},
        preview=_preview_html(doc.kind, doc.path, latest.data),
    )


# --- revisions, delete ------------------------------------------------------------------


@bp.route("/inhalte/<int:doc_id>/versionen")
def document_revisions(doc_id: int):
    doc = _document(doc_id)
    _contents_crumb()
    revisions = list(
        db.session.scalars(
            select(ContentRevision)
            .where(ContentRevision.document_id == doc.id)
            .order_by(ContentRevision.number.desc())
        )
    )
    shown = request.args.get("nr", type=int) or (revisions[0].number if revisions else 0)
    by_number = {r.number: r for r in revisions}
    current = by_number.get(shown)
    if current is None:
        abort(404)
    previous = by_number.get(shown - 1)
    return render_page(
        "editor/revisions.html",
        doc=doc,
        revisions=revisions,
        current=current,
        previous=previous,
        diff=_diff(previous.data if previous else None, current.data),
        local=_local,
    )


@bp.route("/inhalte/<int:doc_id>/versionen/<int:number>/wiederherstellen", methods=["POST"])
def restore_revision(doc_id: int, number: int):
    _checked_action()
    doc = _document(doc_id)
    version = int(request.form.get("version", "0") or 0)
    try:
        workflow.restore(doc.id, version, number, g.editor["name"])
    except LookupError:
        abort(404)
    except workflow.Conflict:
        flash(gettext("Nicht ausgeführt: Das Dokument wurde inzwischen geändert."), "error")
        return redirect(url_for("editor.document_revisions", doc_id=doc_id), 303)
    flash(gettext("Version %(number)s ist als neuer Entwurf wiederhergestellt.", number=number))
    return redirect(url_for("editor.edit_document", doc_id=doc_id), 303)


@bp.route("/inhalte/<int:doc_id>/loeschen", methods=["POST"])
def delete_document(doc_id: int):
    _checked_action()
    doc = _document(doc_id)
    if doc.live_revision_id or doc.source_file:
        _require_freigabe()  # visitors see it: the four-eyes principle applies
    version = int(request.form.get("version", "0") or 0)
    try:
        workflow.delete(doc.id, version, g.editor["name"], _now())
    except workflow.Conflict:
        flash(gettext("Nicht ausgeführt: Das Dokument wurde inzwischen geändert."), "error")
        return redirect(url_for("editor.edit_document", doc_id=doc_id), 303)
    content_store.refresh(current_app, force=True)
    flash(gettext("Gelöscht. Sie können das Löschen rückgängig machen."))
    return redirect(url_for("editor.edit_document", doc_id=doc_id), 303)


@bp.route("/inhalte/<int:doc_id>/loeschen-rueckgaengig", methods=["POST"])
def undelete_document(doc_id: int):
    _checked_action()
    doc = _document(doc_id)
    if doc.live_revision_id or doc.source_file:
        _require_freigabe()
    version = int(request.form.get("version", "0") or 0)
    try:
        workflow.undelete(doc.id, version, g.editor["name"])
    except workflow.Conflict:
        flash(gettext("Nicht ausgeführt: Das Dokument wurde inzwischen geändert."), "error")
        return redirect(url_for("editor.edit_document", doc_id=doc_id), 303)
    content_store.refresh(current_app, force=True)
    flash(gettext("Das Löschen ist rückgängig gemacht."))
    return redirect(url_for("editor.edit_document", doc_id=doc_id), 303)
