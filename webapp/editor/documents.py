"""Documents for download in the editors' area (``/redaktion/dokumente/``): upload, the
accessibility check of PDFs, publishing by Freigabe, unpublishing and deleting; every action
in the audit log. The tables and the public address are in :mod:`webapp.downloads`.

An upload is checked by its content (:mod:`webapp.document_checks`), never by its name;
only this route takes large requests (``DOCUMENT_UPLOAD_MAX``, 20 MB by default; the rest of
the portal keeps ``MAX_CONTENT_LENGTH``). Redaktion uploads drafts; only Freigabe publishes.
A PDF lacking the basics of PDF/UA is published only with a stated reason, which the
accessibility statement lists.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import delete, func, select
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional, Regexp

from ..db import db
from ..document_checks import FINDINGS, Refused, identify
from ..downloads import DRAFT, PUBLISHED, DocumentFile, DocumentRevision, utcnow
from ..fragments import render_page
from ..templating import filesize
from ..uploads import accept_file_upload, received_size
from . import runtime
from .models import AuditEntry
from .roles import FREIGABE, has_role, role_required
from .views import ACTION_LABELS, _checked_action, bp

#: The largest document (bytes); the request may be a little larger (the form's fields).
DEFAULT_MAX = 20 * 1024 * 1024
FIELDS_ALLOWANCE = 64 * 1024
#: The largest file that is still read (and thrown away) so the form's fields are kept.
DEFAULT_REQUEST_MAX = 100 * 1024 * 1024
MAX_REASON = 2000

LANGUAGES = [
    ("de", _l("Deutsch")),
    ("de@ls", _l("Leichte Sprache")),
    ("en", _l("Englisch")),
]
#: ``lang`` of a document's title on pages (Leichte Sprache is German: ``de``).
HTML_LANG = {"de": "de", "de@ls": "de", "en": "en"}

FINDING_TEXTS = {
    "untagged": _l(
        "Das PDF ist nicht getaggt: Es hat keine Struktur (Überschriften, Absätze, Listen, "
        "Tabellen), die ein Screenreader vorlesen kann."
    ),
    "language": _l("Im PDF ist keine Sprache des Dokuments angegeben."),
    "title": _l("Das PDF hat keinen Titel in seinen Eigenschaften."),
    "display_title": _l(
        "Das PDF zeigt im Fenster den Dateinamen statt des Titels (DisplayDocTitle fehlt)."
    ),
}
REFUSED_TEXTS = {
    "empty": _l("Die Datei ist leer."),
    "unknown": _l(
        "Dieser Dateityp ist nicht erlaubt. Erlaubt sind PDF, Word (DOCX), Excel (XLSX), "
        "OpenDocument (ODT, ODS) und CSV. Geprüft wird der Inhalt der Datei, nicht ihr Name."
    ),
    "damaged": _l("Die Datei ist beschädigt und lässt sich nicht lesen."),
    "encrypted": _l(
        "Das PDF ist mit einem Passwort geschützt. Bitte laden Sie es ohne Schutz hoch."
    ),
    "javascript": _l("Das PDF enthält JavaScript. Aus Sicherheitsgründen ist das nicht erlaubt."),
    "macros": _l("Die Datei enthält Makros oder Programme. Das ist nicht erlaubt."),
    "zip_bomb": _l(
        "Die Datei ist entpackt viel zu groß (mögliche „Zip-Bombe“). Sie wurde nicht gespeichert."
    ),
}

ACTION_LABELS.update(
    {
        "file-upload": _l("Dokument hochgeladen"),
        "file-publish": _l("Dokument veröffentlicht"),
        "file-unpublish": _l("Dokument zurückgezogen"),
        "file-delete": _l("Dokument gelöscht"),
        "file-replace": _l("Datei eines Dokuments ersetzt"),
    }
)
STATUS_LABELS = {DRAFT: _l("Entwurf"), PUBLISHED: _l("veröffentlicht"), "deleted": _l("gelöscht")}


class DocumentForm(FlaskForm):
    file = FileField(_l("Datei"))
    title = StringField(
        _l("Titel"),
        validators=[DataRequired(_l("Bitte geben Sie einen Titel ein.")), Length(max=300)],
    )
    #: One of :data:`LANGUAGES` (the template lists them in a ``select``).
    language = StringField(
        _l("Sprache des Dokuments"),
        validators=[
            InputRequired(_l("Bitte wählen Sie die Sprache des Dokuments.")),
            AnyOf(
                [code for code, _label in LANGUAGES],
                message=_l("Bitte wählen Sie die Sprache des Dokuments."),
            ),
        ],
    )
    slug = StringField(
        _l("Kurzname für die Adresse (freiwillig)"),
        validators=[
            Optional(),
            Length(max=80),
            Regexp(
                r"^[a-z0-9]+(-[a-z0-9]+)*$",
                message=_l("Bitte nur Kleinbuchstaben a–z, Ziffern und Bindestriche."),
            ),
        ],
    )
    reason = TextAreaField(
        _l("Begründung, falls das Dokument nicht barrierefrei ist (freiwillig)"),
        validators=[Optional(), Length(max=MAX_REASON)],
    )
    #: What the file field offers to pick (the checks in webapp/downloads.py decide).
    accept = ".pdf,.docx,.xlsx,.odt,.ods,.csv,application/pdf"
    hints = {
        "file": _l(
            "PDF, Word (DOCX), Excel (XLSX), OpenDocument (ODT, ODS) oder CSV, höchstens "
            "20 MB. Typ und Größe werden aus der Datei gelesen."
        ),
        "slug": _l("Die Adresse wird /dokumente/kurzname. Ohne Angabe entsteht sie aus dem Titel."),
        "reason": _l(
            "Wird in der Erklärung zur Barrierefreiheit genannt, wenn das Dokument ohne die "
            "Grundlagen der Barrierefreiheit veröffentlicht wird."
        ),
    }


class ReplaceForm(FlaskForm):
    file = FileField(_l("Neue Datei"))
    reason = TextAreaField(
        _l("Begründung, falls die neue Datei nicht barrierefrei ist"),
        validators=[Optional(), Length(max=MAX_REASON)],
    )
    accept = DocumentForm.accept
    hints = {
        "file": DocumentForm.hints["file"],
        "reason": _l(
            "Pflicht bei einem veröffentlichten Dokument, wenn die Prüfung der neuen Datei "
            "etwas findet. Sie steht dann in der Erklärung zur Barrierefreiheit."
        ),
    }


class PublishForm(FlaskForm):
    reason = TextAreaField(
        _l("Begründung, warum das Dokument nicht barrierefrei ist"),
        validators=[Optional(), Length(max=MAX_REASON)],
    )
    hints = {
        "reason": _l(
            "Pflicht, wenn die Prüfung etwas gefunden hat. Sie steht dann in der Erklärung "
            "zur Barrierefreiheit, zusammen mit dem Titel."
        )
    }


def upload_max() -> int:
    return int(current_app.config.get("DOCUMENT_UPLOAD_MAX", DEFAULT_MAX))


def slugify(title: str) -> str:
    text = title.lower()
    for old, new in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(old, new)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:70].strip("-") or "dokument"


def _free_slug(base: str) -> str:
    taken = set(
        db.session.scalars(
            select(DocumentFile.slug).where(
                (DocumentFile.slug == base) | DocumentFile.slug.like(base + "-%")
            )
        )
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _state(document: DocumentFile) -> dict:
    return {"status": document.status, "findings": list(document.findings or [])}


def _audit(document: DocumentFile, action: str, old: dict, new: dict) -> None:
    db.session.add(
        AuditEntry(
            editor=g.editor["name"],
            action=action,
            locale=document.language,
            key=f"document:{document.id}",
            msgctxt=None,
            msgid=document.title,
            old=old,
            new=new,
        )
    )


def _document(document_id: int) -> DocumentFile:
    document = db.session.get(DocumentFile, document_id)
    if document is None:
        abort(404)
    return document


def _breadcrumb(*items: tuple[str, object]) -> None:
    g.breadcrumb.append({"path": "/redaktion/dokumente/", "label": _l("Dokumente")})
    for path, label in items:
        g.breadcrumb.append({"path": path, "label": label})


# --- views ------------------------------------------------------------------------------


@bp.route("/dokumente/")
def documents():
    items = db.session.scalars(select(DocumentFile).order_by(DocumentFile.created_at.desc()))
    _breadcrumb()
    return render_page("editor/documents.html", items=list(items))


def request_max() -> int:
    """The largest request body a document upload reads (a too large file is read and thrown
    away, so the fields around it are kept); beyond it, the body is refused unread."""
    default = max(DEFAULT_REQUEST_MAX, upload_max())
    return int(current_app.config.get("DOCUMENT_REQUEST_MAX", default)) + FIELDS_ALLOWANCE


def _parse_upload() -> bool:
    """Parse this request's form with a file of at most :func:`upload_max` kept; ``True``
    when the body is beyond :func:`request_max` and was refused unread (fields lost)."""
    accept_file_upload(upload_max(), request_max())
    try:
        request.files  # noqa: B018 - parses the body: a too large one raises here
    except RequestEntityTooLarge:
        return True
    return False


def _read_file(form) -> tuple[bytes | None, bool]:
    """The uploaded file's bytes, or ``None`` with the error on ``form.file``; and whether
    it was too large."""
    limit = upload_max()
    upload = request.files.get("file")
    size = received_size(upload)
    if size > limit:
        form.file.errors = [
            gettext(
                "Die Datei ist zu groß (%(size)s). Erlaubt sind höchstens %(limit)s. Ihre "
                "anderen Angaben sind noch da. Bitte verkleinern Sie die Datei und wählen "
                "Sie sie noch einmal aus.",
                size=filesize(size),
                limit=filesize(limit),
            )
        ]
        return None, True
    data = upload.stream.read() if upload else b""
    if not data:
        form.file.errors = [gettext("Bitte wählen Sie eine Datei aus.")]
        return None, False
    return data, False


def _identify(form, data: bytes):
    """What :func:`identify` found, or ``None`` with the reason on ``form.file``."""
    try:
        return identify(data)
    except Refused as error:
        form.file.errors = [REFUSED_TEXTS.get(error.code, REFUSED_TEXTS["unknown"])]
        return None


@bp.route("/dokumente/neu", methods=["GET", "POST"])
def document_upload():
    limit = upload_max()
    _breadcrumb(("/redaktion/dokumente/neu", _l("Dokument hochladen")))
    status, too_large = 200, False
    if _parse_upload():
        form, too_large, status = DocumentForm(formdata=None), True, 413
        return render_page(
            "editor/document_upload.html", status, form=form, too_large=True, limit=limit
        )
    form = DocumentForm()
    if request.method == "POST":
        valid = form.validate_on_submit()
        if form.csrf_token.errors:
            return _expired("editor/document_upload.html", form=form, too_large=False, limit=limit)
        data, file_too_large = _read_file(form)
        valid = valid and data is not None
        slug = form.slug.data or ""
        if valid and slug and db.session.scalar(select(DocumentFile.id).filter_by(slug=slug)):
            form.slug.errors = [gettext("Diesen Kurznamen hat schon ein anderes Dokument.")]
            valid = False
        found = _identify(form, data) if valid else None
        if found is not None:
            document = DocumentFile(
                slug=slug or _free_slug(slugify(form.title.data)),
                title=form.title.data.strip(),
                language=form.language.data,
                mimetype=found.mimetype,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                data=data,
                findings=found.findings,
                checked=found.checked,
                reason=(form.reason.data or "").strip() or None,
                status=DRAFT,
                created_by=g.editor["name"],
            )
            db.session.add(document)
            db.session.flush()
            _audit(document, "file-upload", {}, _state(document))
            db.session.commit()
            flash(gettext("Das Dokument ist als Entwurf gespeichert."))
            return redirect(url_for("editor.document_detail", document_id=document.id), 303)
        status = 413 if file_too_large else 422
    return render_page(
        "editor/document_upload.html",
        status,
        form=form,
        too_large=too_large,
        limit=limit,
    )


def _expired(template: str, **context):
    """The form's token is missing or too old (a long pause, a new login): nothing is
    stored, the form comes back with what was typed (the file is chosen again) - a 400."""
    flash(
        gettext(
            "Nicht gespeichert: Die Sitzung ist abgelaufen oder das Formular ist zu alt. "
            "Ihr Text steht noch in den Feldern. Bitte speichern Sie erneut."
        ),
        "error",
    )
    return render_page(template, 400, **context)


def _may_replace(document: DocumentFile) -> bool:
    """A draft's file: Redaktion and Freigabe; a published one goes live at once, so only
    Freigabe (the four-eyes principle, as for publishing)."""
    return not document.published or has_role(g.editor, FREIGABE)


@bp.route("/dokumente/<int:document_id>/ersetzen", methods=["GET", "POST"])
def document_replace(document_id: int):
    """A new file for an existing document (a corrected PDF of the same report): the same
    address, the same checks as an upload; the old file stays as a revision."""
    document = _document(document_id)
    if not _may_replace(document):
        abort(403)
    limit = upload_max()
    _breadcrumb(
        (f"/redaktion/dokumente/{document.id}", document.title),
        (f"/redaktion/dokumente/{document.id}/ersetzen", _l("Datei ersetzen")),
    )
    status = 200
    if _parse_upload():
        form = ReplaceForm(formdata=None, reason=document.reason)
        return render_page(
            "editor/document_replace.html",
            413,
            form=form,
            document=document,
            too_large=True,
            limit=limit,
        )
    if request.method == "GET":
        form = ReplaceForm(formdata=None, reason=document.reason)
    else:
        form = ReplaceForm()
        valid = form.validate_on_submit()
        if form.csrf_token.errors:
            return _expired(
                "editor/document_replace.html",
                form=form,
                document=document,
                too_large=False,
                limit=limit,
            )
        data, file_too_large = _read_file(form)
        found = _identify(form, data) if data is not None else None
        reason = (form.reason.data or "").strip()
        if found is not None and found.findings and document.published and not reason:
            form.reason.errors = [
                gettext(
                    "Das Dokument ist veröffentlicht und die neue Datei erfüllt nicht die "
                    "Grundlagen der Barrierefreiheit: Bitte begründen Sie das und wählen Sie "
                    "die Datei noch einmal aus."
                )
            ]
            found = None
        if valid and found is not None:
            _replace(document, data, found, reason)
            flash(
                gettext("Die neue Datei ist gespeichert. Die alte steht unter „Frühere Dateien“.")
            )
            return redirect(url_for("editor.document_detail", document_id=document.id), 303)
        status = 413 if file_too_large else 422
    return render_page(
        "editor/document_replace.html",
        status,
        form=form,
        document=document,
        too_large=False,
        limit=limit,
    )


def _replace(document: DocumentFile, data: bytes, found, reason: str) -> None:
    old = _file_state(document)
    number = (
        db.session.scalar(
            select(func.max(DocumentRevision.number)).filter_by(document_id=document.id)
        )
        or 0
    ) + 1
    db.session.add(
        DocumentRevision(
            document_id=document.id,
            number=number,
            mimetype=document.mimetype,
            size=document.size,
            sha256=document.sha256,
            data=document.data,
            findings=list(document.findings or []),
            checked=document.checked,
            reason=document.reason,
            uploaded_by=document.replaced_by or document.created_by,
            uploaded_at=document.replaced_at or document.created_at,
            replaced_by=g.editor["name"],
        )
    )
    document.mimetype = found.mimetype
    document.size = len(data)
    document.sha256 = hashlib.sha256(data).hexdigest()
    document.data = data
    document.findings = found.findings
    document.checked = found.checked
    # A published document names a reason only while its file lacks the basics (the
    # statement lists it); a draft keeps what was typed (publishing decides).
    document.reason = (reason or None) if (found.findings or not document.published) else None
    document.replaced_at = utcnow()
    document.replaced_by = g.editor["name"]
    _audit(document, "file-replace", old | {"revision": number}, _file_state(document))
    if document.published:
        # Every instance drops its cached pages (type and size on pages, the statement); the
        # address serves the new bytes with a new ETag at once (read from the database).
        runtime.bump_revision()
    db.session.commit()
    if document.published:
        runtime.refresh(current_app, force=True)


def _file_state(document: DocumentFile) -> dict:
    return _state(document) | {
        "mimetype": document.mimetype,
        "size": document.size,
        "sha256": document.sha256,
        "reason": document.reason,
    }


@bp.route("/dokumente/<int:document_id>/fassungen/<int:number>")
def document_revision_file(document_id: int, number: int):
    """An earlier file of a document, for editors (``no-store`` like every editor page)."""
    document = _document(document_id)
    revision = db.session.scalar(
        select(DocumentRevision).filter_by(document_id=document.id, number=number)
    )
    if revision is None:
        abort(404)
    response = current_app.response_class(revision.data, mimetype=revision.mimetype)
    name = f"{document.slug}-fassung-{number}.{revision.extension}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route("/dokumente/<int:document_id>")
def document_detail(document_id: int):
    document = _document(document_id)
    form = PublishForm(formdata=None, reason=document.reason)
    return _detail(document, form)


def _detail(document: DocumentFile, form: PublishForm, status: int = 200):
    _breadcrumb((f"/redaktion/dokumente/{document.id}", document.title))
    return render_page(
        "editor/document.html",
        status,
        document=document,
        form=form,
        may_publish=has_role(g.editor, FREIGABE),
        may_replace=_may_replace(document),
        revisions=list(
            db.session.scalars(
                select(DocumentRevision)
                .filter_by(document_id=document.id)
                .order_by(DocumentRevision.number.desc())
            )
        ),
    )


@bp.route("/dokumente/<int:document_id>/veroeffentlichen", methods=["POST"])
@role_required(FREIGABE)
def document_publish(document_id: int):
    document = _document(document_id)
    form = PublishForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        return _detail(document, form, 422)
    reason = (form.reason.data or "").strip()
    if document.findings and not reason:
        form.reason.errors = [
            gettext(
                "Bitte begründen Sie, warum das Dokument ohne die Grundlagen der "
                "Barrierefreiheit veröffentlicht werden soll."
            )
        ]
        return _detail(document, form, 422)
    old = _state(document)
    document.reason = reason if document.findings else None
    document.status = PUBLISHED
    document.published_by = g.editor["name"]
    document.published_at = utcnow()
    new = _state(document) | ({"reason": document.reason} if document.reason else {})
    _audit(document, "file-publish", old, new)
    runtime.bump_revision()  # every instance drops its cached pages: lists and the statement change
    db.session.commit()
    runtime.refresh(current_app, force=True)  # this instance at once
    flash(gettext("Das Dokument ist veröffentlicht."))
    return redirect(url_for("editor.document_detail", document_id=document.id), 303)


@bp.route("/dokumente/<int:document_id>/zurueckziehen", methods=["POST"])
@role_required(FREIGABE)
def document_unpublish(document_id: int):
    _checked_action()
    document = _document(document_id)
    old = _state(document)
    document.status = DRAFT
    _audit(document, "file-unpublish", old, _state(document))
    runtime.bump_revision()
    db.session.commit()
    runtime.refresh(current_app, force=True)  # this instance at once
    flash(gettext("Das Dokument ist zurückgezogen und wieder ein Entwurf."))
    return redirect(url_for("editor.document_detail", document_id=document.id), 303)


@bp.route("/dokumente/<int:document_id>/loeschen", methods=["POST"])
def document_delete(document_id: int):
    """Redaktion deletes drafts; a published document only Freigabe (after withdrawing it)."""
    _checked_action()
    document = _document(document_id)
    if document.published:
        flash(gettext("Ein veröffentlichtes Dokument muss zuerst zurückgezogen werden."), "error")
        return redirect(url_for("editor.document_detail", document_id=document.id), 303)
    _audit(document, "file-delete", _state(document), {"status": "deleted"})
    db.session.execute(delete(DocumentRevision).filter_by(document_id=document.id))
    db.session.delete(document)
    db.session.commit()
    flash(gettext("Das Dokument ist gelöscht."))
    return redirect(url_for("editor.documents"), 303)


@bp.route("/dokumente/<int:document_id>/datei")
def document_file(document_id: int):
    """The stored file for editors, also a draft's (``no-store`` like every editor page)."""
    document = _document(document_id)
    response = current_app.response_class(document.data, mimetype=document.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response


@bp.context_processor
def _documents_context():
    return {
        "document_finding_text": lambda code: FINDING_TEXTS.get(code, code),
        "document_status_label": lambda status: STATUS_LABELS.get(status, status),
        "document_languages": dict(LANGUAGES),
        "document_language_choices": LANGUAGES,
        "document_html_lang": lambda code: HTML_LANG.get(code, "de"),
        "document_findings_order": FINDINGS,
    }
