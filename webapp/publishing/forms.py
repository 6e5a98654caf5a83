"""The form of a German document: the fields a person understands, not front matter."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from .fields import SLUG

MAX_BODY = 100_000


class DocumentForm(FlaskForm):
    title = StringField(
        _l("Titel"),
        validators=[DataRequired(_l("Bitte geben Sie einen Titel ein.")), Length(max=200)],
    )
    short_title = StringField(_l("Kurztitel (optional)"), validators=[Length(max=80)])
    slug = StringField(_l("Adresse der Seite"), validators=[Length(max=120)])
    summary = TextAreaField(_l("Kurzbeschreibung (optional)"), validators=[Length(max=600)])
    body = TextAreaField(_l("Text"), validators=[Length(max=MAX_BODY)])
    date = StringField(_l("Datum"), validators=[Length(max=10)])
    time_note = StringField(_l("Uhrzeit (optional)"), validators=[Length(max=100)])
    place = StringField(_l("Ort (optional)"), validators=[Length(max=200)])
    registration = StringField(
        _l("Anmeldung: Link oder E-Mail-Adresse (optional)"), validators=[Length(max=500)]
    )
    organiser = TextAreaField(
        _l("Kontakt der Veranstalter (optional)"), validators=[Length(max=600)]
    )
    nav = IntegerField(
        _l("Position in der Hauptnavigation (optional)"),
        validators=[Optional(), NumberRange(min=1, max=99)],
    )
    order = IntegerField(
        _l("Position in der Übersicht (optional)"),
        validators=[Optional(), NumberRange(min=1, max=999)],
    )
    sitemap = BooleanField(_l("In der Übersicht aller Seiten zeigen"), default=True)
    version = HiddenField()
    action = HiddenField()

    hints = {
        "short_title": _l("Für Navigation und Brotkrümel-Pfad, wenn der Titel lang ist."),
        "slug": _l(
            "Nur Kleinbuchstaben, Ziffern und Bindestriche, zum Beispiel "
            "„sozialbericht-2025“. Sie kann später nicht geändert werden."
        ),
        "body": _l(
            "Markdown: ## Zwischenüberschrift, - Aufzählung; ein Link: der Linktext in "
            "eckigen, die Adresse in runden Klammern dahinter. "
            "Kästen: eine Zeile „::: box“ davor und „:::“ danach; Kontakt: „::: kontakt“. "
            "HTML wird nicht übernommen."
        ),
        "date": _l("Zum Beispiel 24.12.2026"),
        "registration": _l("Eine Adresse mit https:// oder eine E-Mail-Adresse."),
        "nav": _l("Leer lassen: die Seite steht nicht in der Hauptnavigation."),
    }

    def __init__(self, *args, kind: str = "page", new: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.new = new
        # Required only for some kinds (checked below): screen readers say so (aria-required).
        self.slug.flags.required = new
        self.date.flags.required = kind in ("news", "event")

    def validate_slug(self, field):
        if self.new and not SLUG.match(field.data or ""):
            raise ValidationError(
                _l(
                    "Bitte geben Sie eine Adresse aus Kleinbuchstaben, Ziffern und "
                    "Bindestrichen ein."
                )
            )

    def validate_date(self, field):
        value = (field.data or "").strip()
        if not value:
            if self.kind in ("news", "event"):
                raise ValidationError(_l("Bitte geben Sie ein Datum ein."))
            return
        if parse_date(value) is None:
            raise ValidationError(_l("Bitte geben Sie ein Datum wie 24.12.2026 ein."))

    def validate_registration(self, field):
        value = (field.data or "").strip()
        if value and not (
            value.startswith(("https://", "http://"))
            or ("@" in value and " " not in value and ":" not in value)
        ):
            raise ValidationError(
                _l("Bitte geben Sie eine Adresse mit https:// oder eine E-Mail-Adresse ein.")
            )


def parse_date(value: str) -> dt.date | None:
    value = value.strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def data_from(form: DocumentForm, extra: dict | None) -> dict:
    """The fields of a revision from the submitted form."""
    date = parse_date(form.date.data or "")
    data = {
        "title": (form.title.data or "").strip(),
        "short_title": (form.short_title.data or "").strip(),
        "summary": (form.summary.data or "").strip(),
        "body": (form.body.data or "").replace("\r\n", "\n"),
        "date": date.isoformat() if date else "",
        "time_note": (form.time_note.data or "").strip(),
        "place": (form.place.data or "").strip(),
        "registration": (form.registration.data or "").strip(),
        "organiser": (form.organiser.data or "").strip(),
        "nav": form.nav.data,
        "order": form.order.data,
        "sitemap": bool(form.sitemap.data),
    }
    if extra:
        data["extra"] = extra
    return data


def fill(form: DocumentForm, data: dict) -> None:
    for key in (
        "title",
        "short_title",
        "summary",
        "body",
        "time_note",
        "place",
        "registration",
        "organiser",
        "nav",
        "order",
    ):
        getattr(form, key).data = data.get(key)
    date = data.get("date") or ""
    parsed = parse_date(date) if date else None
    form.date.data = parsed.strftime("%d.%m.%Y") if parsed else date
    form.sitemap.data = data.get("sitemap", True) is not False
