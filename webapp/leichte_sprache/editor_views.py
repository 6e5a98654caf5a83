"""Editors' pages of issue 17 on the editors' blueprint (login required, no-store):

- ``/redaktion/pruefung/``: every page with its Leichte Sprache state (translated, checker
  findings, check state, sentences not understood);
- ``/redaktion/pruefung/seite?pfad=…``: one page: set the check state, see the marks and
  notes next to each entry;
- ``/redaktion/pruefung/ansicht?pfad=…``: the Prüf-Ansicht for the test session (one
  sentence per line, "Verstanden" / "Nicht verstanden", a note), printable as Prüf-Bogen;
- ``/redaktion/woerterbuch/``: the Wörterbuch entries, editable.
"""

from __future__ import annotations

import datetime as dt
import re

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from ..db import db
from ..editor.views import _checked_action, bp
from ..fragments import render_page
from ..texts import store
from . import bump, pruefung, woerterbuch
from .checks import page_findings
from .models import (
    GEPRUEFT,
    IN_PRUEFUNG,
    NICHT_GEPRUEFT,
    NICHT_VERSTANDEN,
    STATES,
    VERSTANDEN,
    CheckMark,
    GlossaryEntry,
    PageCheck,
)

STATE_LABELS = {
    NICHT_GEPRUEFT: _l("nicht geprüft"),
    IN_PRUEFUNG: _l("in Prüfung"),
    GEPRUEFT: _l("geprüft"),
}
MARK_LABELS = {VERSTANDEN: _l("Verstanden"), NICHT_VERSTANDEN: _l("Nicht verstanden")}
GROUP_MAX, NOTE_MAX = 200, 2000
WORD_MAX, EXPLANATION_MAX, EXAMPLE_MAX, FORMS_MAX = 100, 2000, 1000, 500
WORD_SHAPE = re.compile(r"[A-Za-zÄÖÜäöüßẞ][A-Za-zÄÖÜäöüßẞ·\- ]*")


def parse_date(text: str) -> dt.date:
    """``2026-11-24`` (a date field) or ``24.11.2026`` (typed where the browser has none)."""
    text = text.strip()
    if match := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text):
        return dt.date(int(match[3]), int(match[2]), int(match[1]))
    return dt.date.fromisoformat(text)


def _document():
    path = request.args.get("pfad", "")
    doc = store().get(path)
    if doc is None:
        abort(404)
    return doc


def _crumbs(*items) -> None:
    g.breadcrumb.append({"path": "/redaktion/pruefung/", "label": _l("Prüfung Leichte Sprache")})
    g.breadcrumb.extend(items)


def _counts(doc) -> tuple[int, int]:
    texts = pruefung.ls_texts(doc)
    return sum(1 for _m, text in texts if text), len(texts)


@bp.app_context_processor
def _pruefung_context():
    return {
        "ls_state_label": lambda state: STATE_LABELS.get(state, state),
        "ls_mark_label": lambda mark: MARK_LABELS.get(mark, ""),
        "ls_entry_marks": pruefung.marks_for_entry,
    }


# --- overview -------------------------------------------------------------------------------


@bp.route("/pruefung/")
def pruefung_overview():
    docs = sorted(store().documents.values(), key=lambda d: d.path)
    states = pruefung.all_states(docs)
    glossary = woerterbuch.entries()
    rows = []
    for doc in docs:
        translated, total = _counts(doc)
        rows.append(
            {
                "doc": doc,
                "translated": translated,
                "total": total,
                "findings": page_findings(doc, glossary),
                "state": states[doc.path],
                "open": len(pruefung.open_problems(doc)),
            }
        )
    _crumbs()
    return render_page("editor/pruefung/overview.html", rows=rows)


# --- one page: state and marks --------------------------------------------------------------


@bp.route("/pruefung/seite", methods=["GET", "POST"])
def pruefung_page():
    if "pfad" not in request.args and request.method == "GET":
        return pruefung_overview()  # which page? the list to choose from
    doc = _document()
    row = pruefung.row_for(doc.path)
    errors: list[str] = []
    status = 200
    form = {
        "state": request.form.get("state", ""),
        "group": (request.form.get("group") or (row.group_name if row else "") or "").strip(),
        "date": request.form.get("date")
        or (row.checked_on.isoformat() if row and row.checked_on else dt.date.today().isoformat()),
    }
    if request.method == "POST":
        _checked_action()
        state = form["state"]
        if state not in STATES:
            abort(400)
        checked_on = None
        if len(form["group"]) > GROUP_MAX:
            errors.append(gettext("Der Name der Prüfgruppe ist zu lang (höchstens 200 Zeichen)."))
        if state == GEPRUEFT:
            if not form["group"]:
                errors.append(gettext("Bitte nennen Sie die Prüfgruppe, zum Beispiel den Verein."))
            try:
                checked_on = parse_date(form["date"])
            except ValueError:
                errors.append(gettext("Bitte geben Sie das Datum der Prüfung an (TT.MM.JJJJ)."))
            else:
                if checked_on > dt.date.today() or checked_on.year < 2000:
                    errors.append(gettext("Bitte geben Sie ein Datum zwischen 2000 und heute an."))
            if pruefung.open_problems(doc):
                errors.append(
                    gettext(
                        "Noch nicht „geprüft“: Die Prüfgruppe hat Sätze nicht verstanden. "
                        "Überarbeiten Sie diese Einträge und prüfen Sie sie noch einmal."
                    )
                )
        if errors:
            status = 422
        else:
            if row is None:
                row = PageCheck(path=doc.path, updated_by=g.editor["name"])
                db.session.add(row)
            row.state = state
            row.group_name = form["group"] or None
            row.checked_on = checked_on
            row.text_hash = pruefung.current_hash(doc) if state == GEPRUEFT else None
            row.updated_by = g.editor["name"]
            row.updated_at = dt.datetime.now(dt.UTC)
            bump()  # commits; visitors' pages change
            flash(gettext("Der Stand der Prüfung ist gespeichert."))
            return redirect(url_for("editor.pruefung_page", pfad=doc.path), 303)
    items = pruefung.sentences(doc)
    by_entry: dict[str, list] = {}
    for item in items:
        by_entry.setdefault(item.key, []).append(item)
    _crumbs({"path": request.full_path, "label": doc.title})
    return render_page(
        "editor/pruefung/page.html",
        status,
        doc=doc,
        state=pruefung.effective(doc, row, lookup=False),
        entries=list(by_entry.values()),
        form=form,
        errors=errors,
        states=STATES,
        counts=_counts(doc),
        today=dt.date.today().isoformat(),
    )


# --- the Prüf-Ansicht -----------------------------------------------------------------------


@bp.route("/pruefung/ansicht", methods=["GET", "POST"])
def pruefung_view():
    if "pfad" not in request.args and request.method == "GET":
        return pruefung_overview()
    doc = _document()
    items = pruefung.sentences(doc)
    errors: list[str] = []
    status = 200
    values = {}
    for item in items:
        name = f"{item.key}-{item.index}"
        values[name] = {
            "mark": item.mark.mark if item.mark else "",
            "note": item.mark.note if item.mark else "",
        }
    if request.method == "POST":
        _checked_action()
        for item in items:
            name = f"{item.key}-{item.index}"
            mark = request.form.get(f"mark-{name}", "")
            note = request.form.get(f"note-{name}", "").replace("\r\n", "\n").strip()
            if mark not in ("", VERSTANDEN, NICHT_VERSTANDEN):
                abort(400)
            if len(note) > NOTE_MAX:
                errors.append(
                    gettext(
                        "Die Notiz zu „%(sentence)s“ ist zu lang (höchstens 2000 Zeichen).",
                        sentence=item.text[:60],
                    )
                )
            values[name] = {"mark": mark, "note": note}
        if errors:
            status = 422
        else:
            _save_marks(doc, items, values)
            flash(gettext("Die Ergebnisse der Prüfung sind gespeichert."))
            return redirect(url_for("editor.pruefung_page", pfad=doc.path) + "#eintraege", 303)
    _crumbs(
        {"path": "/redaktion/pruefung/seite?pfad=" + doc.path, "label": doc.title},
        {"path": request.full_path, "label": _l("Prüf-Ansicht")},
    )
    return render_page(
        "editor/pruefung/ansicht.html",
        status,
        doc=doc,
        items=items,
        values=values,
        errors=errors,
        marks=MARK_LABELS,
    )


def _save_marks(doc, items, values) -> None:
    existing = {
        (m.key, m.sentence): m
        for m in db.session.scalars(select(CheckMark).where(CheckMark.path == doc.path))
    }
    now = dt.datetime.now(dt.UTC)
    for item in items:
        value = values[f"{item.key}-{item.index}"]
        row = existing.get((item.key, item.index))
        if not value["mark"] and not value["note"]:
            if row is not None:
                db.session.delete(row)
            continue
        if row is None:
            row = CheckMark(path=doc.path, key=item.key, sentence=item.index)
            db.session.add(row)
        row.msgid = item.msgid
        row.sentence_text = item.text
        row.text = item.entry_text
        row.mark = value["mark"] or None
        row.note = value["note"]
        row.updated_by = g.editor["name"]
        row.updated_at = now
    db.session.commit()


# --- the Wörterbuch -------------------------------------------------------------------------


def _glossary_crumbs(*items) -> None:
    g.breadcrumb.append({"path": "/redaktion/woerterbuch/", "label": _l("Wörterbuch")})
    g.breadcrumb.extend(items)


@bp.route("/woerterbuch/")
def woerterbuch_list():
    _glossary_crumbs()
    return render_page("editor/pruefung/woerterbuch.html", entries=woerterbuch.entries())


@bp.route("/woerterbuch/eintrag", methods=["GET", "POST"])
def woerterbuch_edit():
    word = (request.args.get("wort") or "").strip()
    current = next((e for e in woerterbuch.entries() if e.word == word), None) if word else None
    if word and current is None:
        abort(404)
    form = {
        "word": current.word if current else (request.args.get("neu") or "").strip()[:WORD_MAX],
        "forms": "\n".join(current.forms) if current else "",
        "explanation": current.explanation if current else "",
        "example": current.example if current else "",
    }
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        _checked_action()
        for name in form:
            form[name] = (request.form.get(name) or "").replace("\r\n", "\n").strip()
        if current is not None:
            form["word"] = current.word  # the word itself is the entry's name
        errors = _glossary_errors(form, is_new=current is None)
        if errors:
            status = 422
        else:
            row = db.session.scalar(select(GlossaryEntry).where(GlossaryEntry.word == form["word"]))
            if row is None:
                row = GlossaryEntry(word=form["word"])
                db.session.add(row)
            row.forms = "\n".join(woerterbuch.split_forms(form["forms"]))
            row.explanation = form["explanation"]
            row.example = form["example"]
            row.updated_by = g.editor["name"]
            row.updated_at = dt.datetime.now(dt.UTC)
            bump()
            flash(gettext("Der Eintrag „%(word)s“ ist gespeichert.", word=form["word"]))
            anchor = "#wort-" + woerterbuch.slug(form["word"])
            return redirect(url_for("editor.woerterbuch_list") + anchor, 303)
    _glossary_crumbs({"path": request.full_path, "label": _l("Eintrag bearbeiten")})
    return render_page(
        "editor/pruefung/woerterbuch_edit.html",
        status,
        form=form,
        current=current,
        errors=errors,
    )


def _glossary_errors(form: dict, is_new: bool) -> list[str]:
    errors = []
    if not form["word"]:
        errors.append(gettext("Bitte geben Sie das Wort ein."))
    elif len(form["word"]) > WORD_MAX or not WORD_SHAPE.fullmatch(form["word"]):
        errors.append(
            gettext("Das Wort darf nur Buchstaben, Mediopunkt, Bindestrich und Leerzeichen haben.")
        )
    elif is_new and any(
        woerterbuch.plain_word(e.word) == woerterbuch.plain_word(form["word"])
        for e in woerterbuch.entries()
    ):
        errors.append(gettext("Dieses Wort steht schon im Wörterbuch. Bearbeiten Sie den Eintrag."))
    if not form["explanation"]:
        errors.append(gettext("Bitte schreiben Sie eine Erklärung in Leichter Sprache."))
    elif len(form["explanation"]) > EXPLANATION_MAX:
        errors.append(gettext("Die Erklärung ist zu lang (höchstens 2000 Zeichen)."))
    if len(form["example"]) > EXAMPLE_MAX:
        errors.append(gettext("Das Beispiel ist zu lang (höchstens 1000 Zeichen)."))
    if len(form["forms"]) > FORMS_MAX:
        errors.append(gettext("Die anderen Formen sind zu lang (höchstens 500 Zeichen)."))
    elif any(
        len(item) < 2 or not WORD_SHAPE.fullmatch(item)
        for item in woerterbuch.split_forms(form["forms"])
    ):  # a form links on every page: one letter or a sign would link everywhere
        errors.append(gettext("Jede Form braucht mindestens zwei Buchstaben (eine Form je Zeile)."))
    return errors


@bp.route("/woerterbuch/loeschen", methods=["POST"])
def woerterbuch_delete():
    _checked_action()
    word = (request.form.get("word") or "").strip()
    result = db.session.execute(delete(GlossaryEntry).where(GlossaryEntry.word == word))
    if result.rowcount:
        bump()
        flash(gettext("Ihre Fassung von „%(word)s“ ist gelöscht.", word=word))
    else:
        flash(gettext("Diesen Eintrag gibt es nicht in der Datenbank."), "error")
    return redirect(url_for("editor.woerterbuch_list"), 303)
