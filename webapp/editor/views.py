"""The editors' area at ``/redaktion/``: overview, entry list, editing with checks and
preview, audit log with undo, ``.po`` download and upload. Every page needs a login."""

from __future__ import annotations

import contextlib
import difflib
import logging
import re
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    request,
    url_for,
)
from flask_babel import format_datetime, gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from ..content import MD, render_tokens
from ..db import db
from ..fragments import render_page
from ..i18n import BY_CODE, current_language
from ..templating import filesize
from ..texts import store
from ..uploads import accept_file_upload, received_size
from . import auth
from .catalog import (
    BY_SLUG,
    EDITABLE,
    FUZZY,
    INTERFACE,
    SLUGS,
    TRANSLATED,
    UNTRANSLATED,
    Entry,
    catalog_names,
    language_name,
    load_view,
)
from .changes import CannotUndo, Conflict, NotCompilable, save, undo
from .checks import ERROR, Problem, blocking, check_entry
from .exchange import UploadReport, po_bytes, upload, zip_bytes
from .forms import ActionForm, EntryForm, LoginForm, UploadForm
from .models import AuditEntry

log = logging.getLogger(__name__)
bp = Blueprint("editor", __name__, url_prefix="/redaktion")

PER_PAGE = 20
STATUS_FILTERS = {
    "": _l("alle"),
    UNTRANSLATED: _l("nicht übersetzt"),
    FUZZY: _l("zu prüfen"),
    "changed": _l("Original geändert"),
    "file": _l("Datei geändert"),
    TRANSLATED: _l("übersetzt"),
}
PUBLIC_ENDPOINTS = {"editor.login"}


# --- access -----------------------------------------------------------------------------


@bp.before_request
def _require_login():
    g.breadcrumb = [
        {"path": "/", "label": _l("Startseite")},
        {"path": "/redaktion/", "label": _l("Redaktion")},
    ]
    g.editor = auth.current_editor()
    if g.editor is None and request.endpoint not in PUBLIC_ENDPOINTS:
        if request.method == "POST" and request.endpoint != "editor.upload_po":
            entries = _posted_entries()
            if entries:  # e.g. the session ended while the editor was writing: keep the text
                return _not_saved("session", entries)
        target = request.full_path if request.method == "GET" else ""
        return redirect(url_for("editor.login", next=target.rstrip("?") or None), 303)
    return None


#: Why something sent in the editors' area was not saved: (status, title, paragraphs).
NOT_SAVED = {
    "session": (
        401,
        _l("Nicht gespeichert: Sie sind nicht mehr angemeldet"),
        [
            _l(
                "Ihre Sitzung ist beendet: nach 30 Minuten ohne Aktion, nach 12 Stunden, "
                "nach einer Abmeldung oder einer Änderung des Passworts."
            ),
            _l(
                "Ihre Eingaben wurden nicht gespeichert. Sie stehen unten: Kopieren Sie Ihren "
                "Text, melden Sie sich an und speichern Sie ihn noch einmal."
            ),
        ],
    ),
    "unavailable": (
        503,
        _l("Vorübergehend nicht verfügbar"),
        [
            _l(
                "Wegen einer technischen Störung ist die Datenbank gerade nicht erreichbar. "
                "Bitte versuchen Sie es in einigen Minuten noch einmal."
            ),
        ],
    ),
}


def _not_saved(reason: str, entries: list, uploaded: bool = False):
    status, title, paragraphs = NOT_SAVED[reason]
    login = None
    if reason == "session":
        target = request.full_path.rstrip("?")
        login = url_for("editor.login", next=target if target.startswith("/redaktion/") else None)
    return render_page(
        "editor/not_saved.html",
        status,
        reason=reason,
        title=title,
        paragraphs=paragraphs,
        entries=entries,
        uploaded=uploaded,
        login_url=login,
    )


#: Posted fields that are never shown back (secrets, or of no use to the editor).
HIDDEN_FIELDS = {"csrf_token", "password", "version", "action", "next"}


def _posted_entries() -> list[tuple[str, str]]:
    """What the editor sent, as (label, value), to show back when it could not be stored."""
    entries = []
    for name, value in request.form.items(multi=True):
        if name in HIDDEN_FIELDS or not value:
            continue
        if match := re.fullmatch(r"msgstr-([0-9]+)", name):
            label = gettext("Übersetzung, Form %(number)s", number=int(match[1]) + 1)
            if "msgstr-1" not in request.form:
                label = gettext("Übersetzung")
        elif name == "name":
            label = gettext("Name")
        else:
            label = name
        entries.append((label, value))
    return entries


@bp.errorhandler(SQLAlchemyError)
def _database_unavailable(error):
    """The database cannot be reached: a 503 that shows the editor's text back (like the
    public forms), never a 500 and never a lost text."""
    log.error(
        "editors' area: database error %s on %s %s",
        type(error).__name__,
        request.method,
        request.endpoint,
    )
    with contextlib.suppress(SQLAlchemyError):  # the connection may be gone
        db.session.rollback()
    g.editor = None  # unknown: the session could not be checked
    posted = request.method == "POST"
    uploaded = posted and request.endpoint == "editor.upload_po"  # a file is not shown back
    return _not_saved("unavailable", _posted_entries() if posted and not uploaded else [], uploaded)


@bp.after_request
def _no_store(response):
    """Editor pages hold visitors' personal data (the inbox): no cache keeps them, no search
    engine lists them, whatever the response (pages, CSV, ``.po``, errors)."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.vary.add("Cookie")
    return response


def _safe_next(value: str | None) -> str:
    """Only a path inside the editors' area (no other host, no scheme)."""
    if value and re.fullmatch(r"/redaktion/[^\s\\]*", value) and "//" not in value:
        return request.script_root + value
    return url_for("editor.index")


@bp.route("/anmelden", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    error = None
    status = 200
    retry_after = None
    if form.validate_on_submit():
        name = form.name.data.strip()
        if auth.too_many_from_client():
            error = gettext("Zu viele Anmeldeversuche. Bitte warten Sie eine Minute.")
            status, retry_after = 429, 60
        elif (seconds := auth.wait_seconds(name)) > 0:
            # Refused without checking the password and without counting: the editor's own
            # attempts never make the wait longer (README, "Editors' area").
            error = ngettext(
                "Zu viele Fehlversuche. Bitte warten Sie %(num)s Sekunde und versuchen Sie "
                "es dann noch einmal.",
                "Zu viele Fehlversuche. Bitte warten Sie %(num)s Sekunden und versuchen Sie "
                "es dann noch einmal.",
                seconds,
            )
            status, retry_after = 429, seconds
        elif (editor := auth.authenticate(name, form.password.data)) is not None:
            auth.log_in(editor)
            response = redirect(_safe_next(form.next.data), 303)
            auth.set_device_cookie(response, editor.name)
            return response
        else:
            error = gettext("Name oder Passwort ist falsch.")
            status = 401
    elif request.method == "POST":
        if form.csrf_token.errors:
            abort(400)
        error = gettext("Bitte geben Sie Name und Passwort ein.")
        status = 422
    form.password.data = ""
    response = make_response(render_page("editor/login.html", status, form=form, error=error))
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response


@bp.route("/abmelden", methods=["POST"])
def logout():
    _checked_action()
    auth.log_out()
    flash(gettext("Sie sind abgemeldet."))
    return _logged_out(redirect(url_for("editor.login"), 303))


def _logged_out(response):
    """The browser drops what it may have kept of editor pages (personal data)."""
    response.headers["Clear-Site-Data"] = '"cache"'
    return response


@bp.route("/ueberall-abmelden", methods=["POST"])
def logout_everywhere():
    """End every session of this editor: other browsers, a forgotten computer, a copied
    cookie."""
    _checked_action()
    auth.log_out_everywhere(g.editor["id"])
    flash(gettext("Sie sind jetzt überall abgemeldet, auf allen Geräten."))
    return _logged_out(redirect(url_for("editor.login"), 303))


def _checked_action() -> None:
    """Every button that changes something carries a valid CSRF token."""
    if not ActionForm().validate_on_submit():
        abort(400)


# --- helpers ----------------------------------------------------------------------------


def _language(slug: str) -> str:
    code = BY_SLUG.get(slug)
    if code is None:
        abort(404)
    g.breadcrumb.append({"path": f"/redaktion/{slug}/", "label": language_name(code)})
    return code


def site_root() -> str:
    """The site's root without the language prefix of the editors' own interface."""
    prefix = current_language().prefix
    return request.script_root.removesuffix(prefix) if prefix else request.script_root


def documents_by_source() -> dict:
    return {doc.source: doc for doc in store().documents.values()}


def page_links(entry: Entry, code: str) -> list[dict]:
    """Pages that show ``entry``, linked in the language ``code``."""
    docs = documents_by_source()
    found = []
    for name in entry.files:
        doc = docs.get(name)
        if doc is not None:
            href = site_root() + BY_CODE[code].prefix + doc.path
            found.append({"file": name, "doc": doc, "href": href})
    return found


def paging(total: int) -> tuple[int, int]:
    """``(page, pages)``: the page asked for in ``?seite=``, kept within the range."""
    pages = max(1, (total + PER_PAGE - 1) // PER_PAGE)
    asked = request.args.get("seite", "1")
    return (min(max(int(asked), 1), pages) if asked.isdigit() else 1), pages


def stats(entries: list[Entry]) -> dict:
    total = len(entries)
    counts = {TRANSLATED: 0, FUZZY: 0, UNTRANSLATED: 0, "changed": 0, "file": 0}
    for entry in entries:  # one pass: thousands of entries per language
        counts[entry.status] += 1
        if entry.fuzzy and entry.previous_id:
            counts["changed"] += 1
        if entry.file_changed:
            counts["file"] += 1
    percent = {k: (100 * v / total if total else 0.0) for k, v in counts.items()}
    return {"total": total, "counts": counts, "percent": percent}


#: Above this many catalogs the entry list's document filter is a text field, not a list.
MAX_FILE_OPTIONS = 200
#: Rows of the per-document table on a language's overview page.
FILES_PER_PAGE = 50


def by_file(entries: list[Entry], page: int | None = None) -> tuple[list[dict], int, int]:
    """Statistics per catalog (the interface strings, then one row per content document),
    one page of rows at a time: ``(rows, page, pages)``."""
    docs = documents_by_source()
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(entry.catalog, []).append(entry)
    names = sorted(groups, key=lambda n: (n != INTERFACE, docs.get(n) is None, n))
    pages = max(1, (len(names) + FILES_PER_PAGE - 1) // FILES_PER_PAGE)
    page = min(max(page or 1, 1), pages)
    shown = names[(page - 1) * FILES_PER_PAGE : page * FILES_PER_PAGE]
    rows = [{"file": n, "doc": docs.get(n), "stats": stats(groups[n])} for n in shown]
    return rows, page, pages


def filtered(entries: list[Entry], args) -> list[Entry]:
    status = args.get("status", "")
    query = args.get("q", "").strip().casefold()
    filename = args.get("datei", "")
    found = []
    for entry in entries:
        if status == "changed":
            if not entry.source_changed:
                continue
        elif status == "file":
            if not entry.file_changed:
                continue
        elif status and entry.status != status:
            continue
        if filename and filename != entry.catalog and filename not in entry.files:
            continue
        if query and query not in entry.haystack():
            continue
        found.append(entry)
    return found


def list_args(args) -> dict:
    """The entry list's filters, allowlisted, for links that keep them."""
    kept = {}
    if args.get("status", "") in STATUS_FILTERS and args.get("status"):
        kept["status"] = args["status"]
    for name in ("q", "datei"):
        if args.get(name):
            kept[name] = args[name][:200]
    return kept


def word_diff(old: str, new: str) -> tuple[Markup, Markup]:
    """The old and the new text, removed words in ``<del>``, added ones in ``<ins>``."""
    a, b = re.findall(r"\s*\S+\s*", old), re.findall(r"\s*\S+\s*", new)
    left, right = [], []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if op == "equal":
            left.append(removed)
            right.append(added)
            continue
        if removed:
            left.append(Markup("<del>%s</del>") % removed)
        if added:
            right.append(Markup("<ins>%s</ins>") % added)
    return Markup("").join(left), Markup("").join(right)


def preview(entry: Entry, text: str, code: str) -> Markup:
    """The block as it will render on the page (Markdown, HTML escaped)."""
    prefix = site_root() + BY_CODE[code].prefix
    for doc in store().documents.values():
        if entry.files and doc.source not in entry.files:
            continue
        tokens = doc.tokens
        for index, token in enumerate(tokens):
            if token.type == "inline" and token.content == entry.msgid:
                block = tokens[max(0, index - 1) : index + 2]
                return render_tokens(block, lambda _m: (text, True), prefix=prefix)
    inline = MD.parseInline(text, {"prefix": prefix})[0].children or []
    return Markup("<p>%s</p>") % Markup(MD.renderer.renderInline(inline, MD.options, {}))  # noqa: S704


# --- overview ---------------------------------------------------------------------------


@bp.route("/")
def index():
    languages = []
    for code in EDITABLE:
        view = load_view(code)
        languages.append(
            {
                "code": code,
                "slug": SLUGS[code],
                "name": language_name(code),
                "stats": stats(view.entries),
            }
        )
    recent = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(10))
    g.breadcrumb.pop()
    g.breadcrumb.append({"path": "/redaktion/", "label": _l("Redaktion")})
    return render_page("editor/index.html", languages=languages, recent=list(recent))


@bp.route("/<slug>/")
def language(slug: str):
    code = _language(slug)
    view = load_view(code)
    asked = request.args.get("seite", "1")
    files, page, pages = by_file(view.entries, int(asked) if asked.isdigit() else 1)
    return render_page(
        "editor/language.html",
        code=code,
        slug=slug,
        name=language_name(code),
        stats=stats(view.entries),
        files=files,
        page=page,
        pages=pages,
        obsolete=view.obsolete,
    )


@bp.route("/<slug>/eintraege")
def entries(slug: str):
    code = _language(slug)
    names = catalog_names(code)
    chosen = request.args.get("datei", "")
    view = load_view(code, chosen if chosen in names else None)  # one document: its catalog
    found = filtered(view.entries, request.args)
    page, pages = paging(len(found))
    shown = found[(page - 1) * PER_PAGE : page * PER_PAGE]
    kept = list_args(request.args)
    files = names
    g.breadcrumb.append({"path": f"/redaktion/{slug}/eintraege", "label": _l("Einträge")})
    return render_page(
        "editor/entries.html",
        code=code,
        slug=slug,
        name=language_name(code),
        entries=shown,
        total=len(found),
        page=page,
        pages=pages,
        kept=kept,
        query=urlencode(kept),
        status_filters=STATUS_FILTERS,
        files=files if len(files) <= MAX_FILE_OPTIONS else None,
        documents=documents_by_source(),
        page_links=lambda e: page_links(e, code),
    )


# --- editing ----------------------------------------------------------------------------


ACTIONS = {"save", "next", "review", "preview"}


@bp.route("/<slug>/eintrag/<key>", methods=["GET", "POST"])
def entry(slug: str, key: str):
    code = _language(slug)
    view = load_view(code)
    current = view.get(key)
    if current is None:
        abort(404)
    kept = list_args(request.args)
    g.breadcrumb.append(
        {"path": f"/redaktion/{slug}/eintraege?{urlencode(kept)}", "label": _l("Einträge")}
    )
    g.breadcrumb.append({"path": request.full_path, "label": _l("Eintrag bearbeiten")})
    form = EntryForm()
    problems: list = []
    conflict = None
    status = 200
    draft = list(current.msgstr)
    if request.method == "POST":
        action = request.form.get("action", "save")
        valid = form.validate_on_submit()
        token_only = not valid and set(form.errors) == {"csrf_token"}
        if action not in ACTIONS or not (valid or token_only):
            abort(400)
        draft = [text.replace("\r\n", "\n") for text in form.msgstr.data][: len(current.msgstr)]
        draft += [""] * (len(current.msgstr) - len(draft))
        problems = check_entry(current, draft, code)
        if token_only:  # e.g. the session expired: keep the text, save nothing
            message = gettext(
                "Nicht gespeichert: Die Sitzung ist abgelaufen oder das Formular ist zu alt. "
                "Ihr Text steht noch im Feld. Bitte speichern Sie erneut."
            )
            problems.insert(0, Problem(ERROR, "session", message))
            status = 400
        elif action == "preview":
            status = 200
        elif blocking(problems) and action != "review":
            status = 422
        else:
            fuzzy = action == "review"
            try:
                current.version = form.version.data or 0  # the version the editor loaded
                save(code, current, draft, fuzzy, g.editor["name"], "review" if fuzzy else "save")
            except Conflict as error:
                conflict = error.current or load_view(code).get(key)
                current = conflict
                status = 409
            except NotCompilable:
                problems.append(
                    Problem(
                        ERROR,
                        "compile",
                        gettext("Der Katalog ließe sich so nicht übersetzen (kompilieren)."),
                    )
                )
                status = 422
            else:
                flash(gettext("Als „zu prüfen“ gespeichert.") if fuzzy else gettext("Gespeichert."))
                target = key
                if action == "next":
                    target = _next_key(load_view(code).entries, key, request.args) or key
                return redirect(url_for("editor.entry", slug=slug, key=target, **kept), 303)
    # The version the editor loaded stays in the form until a save succeeds: fixing a
    # refused text must not turn someone else's save in between into a silent overwrite.
    # After a conflict the page shows both texts, and the form carries the current version.
    if request.method == "GET" or conflict is not None:
        form.version.data = current.version
    while len(form.msgstr.entries) < len(current.msgstr):
        form.msgstr.append_entry()
    for index, text in enumerate(draft):
        form.msgstr.entries[index].data = text
    old_new = word_diff(current.previous_id, current.msgid) if current.source_changed else None
    # A browser edit of the old source, left behind when the source changed (obsolete).
    earlier = next(
        (row for row in view.obsolete if old_new and row.msgid == current.previous_id), None
    )
    return render_page(
        "editor/entry.html",
        status,
        code=code,
        slug=slug,
        name=language_name(code),
        entry=current,
        form=form,
        problems=problems,
        errors=blocking(problems),
        conflict=conflict,
        draft=draft,
        previews=[preview(current, text, code) for text in draft if text],
        diff=old_new,
        earlier=earlier,
        page_links=page_links(current, code),
        kept=kept,
        html_lang=BY_CODE[code].html_lang,
        action=request.form.get("action") if request.method == "POST" else None,
    )


def _next_key(entries: list[Entry], key: str, args) -> str | None:
    """The next entry of the current list; without a filter, the next one needing work."""
    found = filtered(entries, args) if list_args(args) else entries
    keys = [e.key for e in found]
    start = keys.index(key) + 1 if key in keys else 0
    for candidate in found[start:]:
        if list_args(args) or candidate.status != TRANSLATED or candidate.source_changed:
            return candidate.key
    return None


# --- audit log --------------------------------------------------------------------------


@bp.route("/protokoll")
def audit_log():
    total = db.session.scalar(select(func.count(AuditEntry.id)))
    page, pages = paging(total)
    items = db.session.scalars(
        select(AuditEntry)
        .order_by(AuditEntry.id.desc())
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE)
    )
    g.breadcrumb.append({"path": "/redaktion/protokoll", "label": _l("Änderungsprotokoll")})
    return render_page(
        "editor/audit.html",
        items=list(items),
        page=page,
        pages=pages,
        slugs=SLUGS,
    )


@bp.route("/protokoll/<int:audit_id>/rueckgaengig", methods=["POST"])
def undo_change(audit_id: int):
    _checked_action()
    try:
        undo(audit_id, g.editor["name"])
    except CannotUndo as error:
        messages = {
            "unknown": gettext("Diese Änderung gibt es nicht."),
            "obsolete": gettext("Den Eintrag gibt es im Katalog nicht mehr."),
            "changed": gettext(
                "Der Eintrag wurde danach noch einmal geändert. "
                "Machen Sie zuerst die spätere Änderung rückgängig."
            ),
        }
        flash(messages[str(error)], "error")
    except (Conflict, NotCompilable):
        flash(gettext("Die Änderung konnte nicht rückgängig gemacht werden."), "error")
    else:
        flash(gettext("Die Änderung ist rückgängig gemacht."))
    return redirect(url_for("editor.audit_log"), 303)


# --- exchange ---------------------------------------------------------------------------


def _attachment(data: bytes, filename: str, mimetype: str) -> Response:
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/<slug>/messages.po")
def download(slug: str):
    """The interface strings' catalog of the language."""
    code = _language(slug)
    return _attachment(po_bytes(code), f"messages-{slug}.po", "text/x-gettext-translation")


@bp.route("/<slug>/katalog/<path:name>.po")
def download_document(slug: str, name: str):
    """One content document's catalog (``content/seiten/hilfen`` → its ``.po``)."""
    code = _language(slug)
    catalog = name + ".md"
    if catalog not in catalog_names(code):
        abort(404)
    filename = f"{name.rsplit('/', 1)[-1]}-{slug}.po"
    return _attachment(po_bytes(code, catalog), filename, "text/x-gettext-translation")


@bp.route("/<slug>/kataloge.zip")
def download_all(slug: str):
    """Every catalog of the language (interface and documents) in one zip."""
    code = _language(slug)
    return _attachment(zip_bytes(code), f"kataloge-{slug}.zip", "application/zip")


@bp.route("/<slug>/hochladen", methods=["GET", "POST"])
def upload_po(slug: str):
    code = _language(slug)
    # A whole catalog is larger than the portal's limit for form posts (MAX_CONTENT_LENGTH).
    # A file above EDITOR_UPLOAD_MAX is read and thrown away (webapp/uploads.py), so the
    # editor gets this page back with the error at the file field; a body beyond the hard
    # limit (EDITOR_REQUEST_MAX) is refused unread, as every too large request.
    limit = int(current_app.config.get("EDITOR_UPLOAD_MAX", 4 * 1024**2))
    accept_file_upload(limit, int(current_app.config.get("EDITOR_REQUEST_MAX", 64 * 1024**2)))
    g.breadcrumb.append({"path": f"/redaktion/{slug}/hochladen", "label": _l("PO-Datei hochladen")})
    form = UploadForm()
    report: UploadReport | None = None
    status = 200
    size = received_size(request.files.get("file")) if request.method == "POST" else 0
    if size > limit:
        form.validate_on_submit()  # the token is checked as for every post
        if form.csrf_token.errors:
            abort(400)
        form.file.errors = [
            gettext(
                "Die Datei ist zu groß (%(size)s). Erlaubt sind höchstens %(limit)s. "
                "Es wurde nichts geändert.",
                size=filesize(size),
                limit=filesize(limit),
            )
        ]
        status = 413
    elif request.method == "POST":
        if form.csrf_token.errors or not form.validate_on_submit():
            if form.csrf_token.errors:
                abort(400)
            status = 422
        else:
            try:
                report = upload(code, form.file.data.read(), g.editor["name"])
            except (Conflict, NotCompilable) as error:
                report = UploadReport(errors=[gettext("Nicht übernommen: %(e)s", e=str(error))])
            status = 200 if report.accepted else 422
    return render_page(
        "editor/upload.html",
        status,
        code=code,
        slug=slug,
        name=language_name(code),
        form=form,
        report=report,
    )


# --- template helpers -------------------------------------------------------------------

ACTION_LABELS = {
    "save": _l("gespeichert"),
    "review": _l("als „zu prüfen“ gespeichert"),
    "undo": _l("rückgängig gemacht"),
    "upload": _l("aus PO-Datei übernommen"),
}


def _state_text(state: dict) -> str:
    text = " / ".join(state.get("msgstr") or []) or "–"
    if state.get("fuzzy"):
        text += " " + gettext("(zu prüfen)")
    return text


@bp.app_template_filter("editor_datetime")
def _editor_datetime(value) -> str:
    return format_datetime(value, format="short")


@bp.context_processor
def _editor_context():
    return {
        "editor_languages": [(code, SLUGS[code]) for code in EDITABLE],
        "editor_language_name": lambda code: BY_CODE[code].name if code in BY_CODE else code,
        "editor_slugs": SLUGS,
        "editor_state": _state_text,
        "editor_action_label": lambda action: ACTION_LABELS.get(action, action),
        "editor_status_label": lambda status: STATUS_FILTERS.get(status, status),
        "editor_html_lang": lambda code: BY_CODE[code].html_lang,
        "editor_interface": INTERFACE,
        "csrf_token": generate_csrf,
    }
