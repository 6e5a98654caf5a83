"""The form pages: show, check, store, Post/Redirect/Get to a confirmation.

Each form page is a content document (``content/seiten/…`` with ``endpoint: forms.…``):
its text comes before the form. Without JavaScript an invalid form is the full page with
status 422; with htmx the same ``main`` block alone, swapped in place, with the page title
and an announcement in ``#status``. A stored submission redirects (303, or ``HX-Redirect``)
to the confirmation, which shows the reference number from the session: it exists only
after the commit.
"""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    abort,
    g,
    make_response,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError

from ..fragments import render_page, wants_fragments
from ..i18n import current_language
from ..templating import breadcrumb_for
from ..texts import ct_plain, note_untranslated, store
from . import models
from .definitions import BarrierForm, ContactForm, OrderForm, PortalForm
from .protection import check_csrf, is_spam
from .validation import same_site_path

log = logging.getLogger(__name__)
bp = Blueprint("forms", __name__)

CONFIRMATION_KEY = "forms.confirmation"

#: What the not-saved page says: (status, title, paragraphs).
NOT_SAVED = {
    "csrf": (
        400,
        _l("Das Formular ist abgelaufen"),
        [
            _l(
                "Wir konnten nicht prüfen, ob das Formular von dieser Seite gesendet wurde. "
                "Das passiert, wenn die Seite sehr lange offen war oder Ihr Browser keine "
                "Cookies für dieses Portal erlaubt."
            ),
            _l(
                "Ihre Angaben wurden nicht gespeichert. Sie stehen unten im Formular. Prüfen "
                "Sie sie und senden Sie das Formular noch einmal."
            ),
        ],
    ),
    "spam": (
        400,
        _l("Ihre Angaben wurden nicht gesendet"),
        [
            _l(
                "Das Formular enthielt ein Feld, das nur Programme ausfüllen, keine Menschen. "
                "Darum haben wir es nicht gespeichert."
            ),
            _l(
                "Wenn Sie das Formular selbst ausgefüllt haben: Ihre Angaben stehen unten. "
                "Öffnen Sie das Formular neu und senden Sie es noch einmal."
            ),
        ],
    ),
    "rate_limited": (
        429,
        _l("Zu viele Anfragen"),
        [
            _l(
                "Von Ihrem Anschluss wurden in kurzer Zeit sehr viele Formulare gesendet. "
                "Darum haben wir diese Angaben nicht gespeichert."
            ),
            _l(
                "Ihre Angaben stehen unten im Formular. Bitte warten Sie einige Minuten und "
                "senden Sie das Formular dann noch einmal."
            ),
        ],
    ),
    "unavailable": (
        503,
        _l("Ihre Angaben konnten nicht gespeichert werden"),
        [
            _l(
                "Wegen einer technischen Störung können wir Ihre Angaben gerade nicht "
                "speichern. Bitte versuchen Sie es in einigen Minuten noch einmal."
            ),
            _l(
                "Es geht nichts verloren: Ihre Angaben stehen unten. Kopieren Sie Ihren Text, "
                "wenn Sie ihn später noch einmal senden möchten."
            ),
        ],
    ),
}

#: Not saved, but nothing to fix: the form comes back filled in, with a fresh token, ready to
#: send again (WCAG 3.3.7); other reasons show the entries as text.
SEND_AGAIN = ("csrf", "rate_limited")

#: Endpoint → (form, content document's path).
FORM_PAGES = {
    "forms.bestellen": (OrderForm, "/sozialberichte/bestellen"),
    "forms.kontakt": (ContactForm, "/kontakt"),
    "forms.barriere_melden": (BarrierForm, "/barriere-melden"),
}


#: Per form: the heading above the fields, the send button, the confirmation.
TEXTS = {
    "bestellung": {
        "heading": _l("Ihre Bestellung"),
        "submit": _l("Bestellung senden"),
        "confirmation_title": _l("Ihre Bestellung ist eingegangen"),
        "confirmation_text": _l(
            "Vielen Dank. Wir schicken Ihnen die Druckfassung des Sozialberichts kostenlos "
            "mit der Post."
        ),
    },
    "kontakt": {
        "heading": _l("Schreiben Sie uns"),
        "submit": _l("Nachricht senden"),
        "confirmation_title": _l("Ihre Nachricht ist eingegangen"),
        "confirmation_text": _l(
            "Vielen Dank. Wir antworten Ihnen so bald wie möglich an Ihre E-Mail-Adresse."
        ),
    },
    "barriere": {
        "heading": _l("Ihre Meldung"),
        "submit": _l("Barriere melden"),
        "confirmation_title": _l("Ihre Meldung ist eingegangen"),
        "confirmation_text": _l(
            "Vielen Dank. Wir prüfen die Barriere und beheben sie so bald wie möglich. "
            "Wenn Sie uns einen Kontakt genannt haben, antworten wir Ihnen."
        ),
    },
}


def _form_page(prefill=None):
    form_class, path = FORM_PAGES[request.endpoint]
    doc = _document(path)
    form = _bind(form_class)
    if request.method == "GET" and prefill:
        prefill(form)
    if request.method == "POST":
        try:
            check_csrf(request.form.get("csrf_token"))
        except CSRFError:
            return _not_saved("csrf", form, doc)
        if is_spam(form):
            log.info("%s form: honeypot filled in, not stored", form.kind)
            return _not_saved("spam", form, doc)
        if form.validate():
            try:
                reference = models.store(form.kind, form.payload(), current_language().code)
            except SQLAlchemyError as error:
                log.error("%s form: not stored, database error %s", form.kind, type(error).__name__)
                return _not_saved("unavailable", form, doc)
            session[CONFIRMATION_KEY] = {"kind": form.kind, "reference": reference}
            target = url_for(request.endpoint + "_bestaetigung")
            if wants_fragments():
                response = make_response("", 200)
                response.headers["HX-Redirect"] = target
                return response
            return redirect(target, 303)
    note_untranslated(doc)
    context = {
        "doc": doc,
        "form": form,
        "texts": TEXTS[form.kind],
        "form_title": _page_title(ct_plain(doc.title), form.errors),
        "announcement": _announcement(form.errors),
        "fragment": wants_fragments(),
    }
    return render_page("forms/form.html", 422 if form.errors else 200, **context)


def _page_title(title: str, errors) -> str:
    if errors:
        return _l("Fehler: %(title)s", title=title)
    return title


def _announcement(errors) -> str:
    if not errors:
        return ""
    count = len(errors)
    return ngettext(
        "Das Formular enthält %(num)s Fehler.", "Das Formular enthält %(num)s Fehler.", count
    )


def _not_saved(reason: str, form: PortalForm, doc):
    status, title, paragraphs = NOT_SAVED[reason]
    send_again = reason in SEND_AGAIN
    if send_again and wants_fragments():
        # htmx swaps a 422 in place (webapp/fragments.py); an error status would leave the
        # visitor with the old, refused form.
        status = 422
    return render_page(
        "forms/not_saved.html",
        status,
        title=title,
        paragraphs=paragraphs,
        entries=form.entries(),
        form=form if send_again else None,
        texts=TEXTS[form.kind],
        form_title=ct_plain(doc.title),
        form_path=doc.path,
    )


def _bind(form_class: type[PortalForm], **kwargs) -> PortalForm:
    """The form with the posted fields: form-encoded only (Flask-WTF would also take a JSON
    body, which no form of this portal sends)."""
    formdata = request.form if request.method == "POST" else None
    return form_class(formdata=formdata, **kwargs)


def _document(path: str):
    doc = store().get(path)
    if doc is None:
        abort(404)
    return doc


def rate_limited(_limit):
    """Flask-Limiter's ``on_breach``: the not-saved page with the entries shown back."""
    form_class, path = FORM_PAGES[request.endpoint]
    return _not_saved("rate_limited", _bind(form_class), _document(path))


def _confirmation(kind: str, form_endpoint: str):
    found = session.get(CONFIRMATION_KEY)
    if not found or found.get("kind") != kind:
        return redirect(url_for(form_endpoint), 303)
    title = TEXTS[kind]["confirmation_title"]
    g.breadcrumb = [*breadcrumb_for(request.path), {"path": request.path, "label": title}]
    return render_page(
        "forms/confirmation.html",
        texts=TEXTS[kind],
        reference=found["reference"],
        order=_order(found["reference"]) if kind == "bestellung" else None,
    )


def _order(reference: str) -> dict | None:
    """What an order ships where, as stored (WCAG 3.3.4: a typo in the address is seen)."""
    try:
        payload = models.payload_of(reference)
    except SQLAlchemyError as error:
        log.error("order confirmation: address not read, database error %s", type(error).__name__)
        return None
    if not payload:
        return None
    lines = [payload.get("name"), payload.get("street")]
    lines.append(" ".join(v for v in (payload.get("postcode"), payload.get("city")) if v))
    return {"address": [line for line in lines if line], "copies": payload.get("copies")}


def _prefill_page(form: BarrierForm) -> None:
    """The page concerned: ``?seite=`` or the page the visitor came from (same site only)."""
    here = request.script_root + request.path
    for candidate in (request.args.get("seite"), request.referrer):
        path = same_site_path(candidate)
        if path and path.split("?")[0] != here:
            form.page.data = path
            return


@bp.route("/sozialberichte/bestellen", methods=["GET", "POST"])
def bestellen():
    return _form_page()


@bp.route("/kontakt", methods=["GET", "POST"])
def kontakt():
    return _form_page()


@bp.route("/barriere-melden", methods=["GET", "POST"])
def barriere_melden():
    return _form_page(prefill=_prefill_page)


@bp.route("/sozialberichte/bestellen/bestaetigung")
def bestellen_bestaetigung():
    return _confirmation("bestellung", "forms.bestellen")


@bp.route("/kontakt/bestaetigung")
def kontakt_bestaetigung():
    return _confirmation("kontakt", "forms.kontakt")


@bp.route("/barriere-melden/bestaetigung")
def barriere_melden_bestaetigung():
    return _confirmation("barriere", "forms.barriere_melden")


@bp.after_request
def _not_cacheable(response):
    """Form pages carry a per-visitor token; confirmations a per-visitor number."""
    response.headers["Cache-Control"] = "no-store"
    response.vary.add("HX-Request")
    return response
