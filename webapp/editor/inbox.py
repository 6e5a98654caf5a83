"""The inbox: submissions of the three forms (``webapp/forms``), for editors to read, mark
done, export as CSV and delete."""

from __future__ import annotations

import csv
import io

from flask import Response, abort, flash, g, redirect, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from wtforms.fields.core import UnboundField

from ..db import db
from ..forms.definitions import FORMS
from ..forms.models import Submission
from ..fragments import render_page
from .models import SubmissionDone
from .views import PER_PAGE, _checked_action, bp, paging

KINDS = {
    "bestellung": _l("Bestellung"),
    "kontakt": _l("Kontakt"),
    "barriere": _l("Barriere gemeldet"),
}


def field_label(kind: str, name: str):
    """The label the visitor saw for a stored field (the forms' own definitions)."""
    form = FORMS.get(kind)
    unbound = getattr(form, name, None) if form else None
    if isinstance(unbound, UnboundField):
        label = unbound.args[0] if unbound.args else unbound.kwargs.get("label")
        if label:
            return label
    return name


#: CSV cells starting with these could run as formulas in a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _rows(show: str):
    query = (
        select(Submission, SubmissionDone)
        .outerjoin(
            SubmissionDone,
            (SubmissionDone.submission_id == Submission.id)
            & (SubmissionDone.reference == Submission.reference),
        )
        .order_by(Submission.created_at.desc(), Submission.id.desc())
    )
    if show == "offen":
        query = query.where(SubmissionDone.submission_id.is_(None))
    elif show == "erledigt":
        query = query.where(SubmissionDone.submission_id.is_not(None))
    return query


@bp.route("/eingang")
def inbox():
    show = request.args.get("zeigen", "offen")
    if show not in {"offen", "erledigt", "alle"}:
        show = "offen"
    total = db.session.scalar(select(func.count()).select_from(_rows(show).subquery()))
    page, pages = paging(total)
    items = db.session.execute(_rows(show).offset((page - 1) * PER_PAGE).limit(PER_PAGE)).all()
    g.breadcrumb.append({"path": "/redaktion/eingang", "label": _l("Eingang")})
    return render_page(
        "editor/inbox.html",
        items=items,
        show=show,
        page=page,
        pages=pages,
        total=total,
        kinds=KINDS,
        field_label=field_label,
    )


def _submission(submission_id: int) -> Submission:
    submission = db.session.get(Submission, submission_id)
    if submission is None:
        abort(404)
    return submission


@bp.route("/eingang/<int:submission_id>/erledigt", methods=["POST"])
def inbox_done(submission_id: int):
    _checked_action()
    submission = _submission(submission_id)
    mark = db.session.get(SubmissionDone, submission.id)
    if mark is None or mark.reference != submission.reference:
        if mark is not None:  # left over from a purged submission with the same id
            db.session.delete(mark)
            db.session.flush()
        db.session.add(
            SubmissionDone(
                submission_id=submission.id,
                reference=submission.reference,
                done_by=g.editor["name"],
            )
        )
        db.session.commit()
    flash(gettext("%(reference)s ist erledigt.", reference=submission.reference))
    return redirect(url_for("editor.inbox"), 303)


@bp.route("/eingang/<int:submission_id>/loeschen", methods=["POST"])
def inbox_delete(submission_id: int):
    _checked_action()
    submission = _submission(submission_id)
    reference = submission.reference
    db.session.execute(delete(SubmissionDone).where(SubmissionDone.submission_id == submission.id))
    db.session.delete(submission)
    db.session.commit()
    flash(gettext("%(reference)s ist gelöscht.", reference=reference))
    return redirect(url_for("editor.inbox", zeigen=request.args.get("zeigen", "offen")), 303)


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


@bp.route("/eingang.csv")
def inbox_csv():
    rows = db.session.execute(_rows("alle")).all()
    fields = sorted({key for submission, _done in rows for key in submission.payload})
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["reference", "kind", "created_at", "language", "done", *fields])
    for submission, done in rows:
        writer.writerow(
            [
                _cell(submission.reference),
                _cell(submission.kind),
                submission.created_at.isoformat(),
                _cell(submission.language),
                done.done_at.isoformat() if done else "",
                *(_cell(submission.payload.get(key)) for key in fields),
            ]
        )
    return Response(
        "\ufeff" + out.getvalue(),  # BOM: spreadsheets then read UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="eingang.csv"'},
    )
