"""The three forms: order the printed report, contact, report a barrier.

Labels, hints and messages are German gettext source strings. Every text field runs
:class:`~.validation.CleanText` first (control characters, length after NFC).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField

from .validation import (
    EMAIL,
    POSTCODE,
    CleanText,
    CopiesInRange,
    Matches,
    Required,
    SameSitePath,
    normalise,
    postcode_filter,
)

SHORT = 200
EMAIL_MAX = 254
LONG = 5000


def text(label, max_length=SHORT, *rules, filters=(), multiline=False, **kwargs):
    field = TextAreaField if multiline else StringField
    return field(
        label,
        validators=[CleanText(max_length, multiline=multiline), *rules],
        filters=[normalise, *filters],
        **kwargs,
    )


def email_field(*rules):
    return text(
        _l("E-Mail-Adresse"),
        EMAIL_MAX,
        *rules,
        Matches(
            EMAIL,
            _l(
                "Geben Sie eine E-Mail-Adresse im richtigen Format ein, "
                "zum Beispiel name@beispiel.de"
            ),
        ),
    )


def consent_field(label):
    return BooleanField(
        label,
        validators=[Required(_l("Bestätigen Sie, dass wir Ihre Angaben speichern dürfen"))],
    )


class PortalForm(FlaskForm):
    """Base of the portal's forms: the CSRF token is checked by the view before the
    fields (a failed check is a 400 page, not a field error), the honeypot ``website``
    must stay empty."""

    class Meta:
        csrf = True

    #: Stored under this kind; also the name of the templates and the confirmation text.
    kind = ""
    #: Hints shown under a field's label, by field name.
    hints: dict = {}

    # The honeypot: hidden from everyone (``hidden``, ``aria-hidden``, no tab stop);
    # only a program that fills in every field puts something here.
    website = StringField(_l("Bitte lassen Sie dieses Feld leer"), filters=[normalise])

    def payload(self) -> dict:
        """What is stored: the visitor's fields, without token, honeypot and consent."""
        return {
            name: field.data
            for name, field in self._fields.items()
            if name not in {"csrf_token", "website", "consent"}
        }

    def entries(self) -> list[tuple[str, str]]:
        """(label, value) of every field the visitor filled in, to show it back."""
        found = []
        for name, field in self._fields.items():
            if name in {"csrf_token", "website", "consent"}:
                continue
            value = field.data if isinstance(field.data, str) else ""
            if value:
                found.append((field.label.text, value))
        return found


class OrderForm(PortalForm):
    kind = "bestellung"
    hints = {
        "postcode": _l("Fünf Ziffern, zum Beispiel 40219"),
        "copies": _l("1 bis 5 Exemplare"),
        "email": _l("Freiwillig. Nur für Rückfragen zu Ihrer Bestellung."),
    }

    name = text(
        _l("Vor- und Nachname"),
        SHORT,
        Required(_l("Geben Sie Ihren Vor- und Nachnamen ein")),
    )
    street = text(
        _l("Straße und Hausnummer"),
        SHORT,
        Required(_l("Geben Sie Straße und Hausnummer ein")),
    )
    postcode = text(
        _l("Postleitzahl"),
        10,
        Required(_l("Geben Sie die Postleitzahl ein")),
        Matches(
            POSTCODE,
            _l("Die Postleitzahl muss aus genau fünf Ziffern bestehen, zum Beispiel 40219"),
        ),
        filters=[postcode_filter],
    )
    city = text(_l("Ort"), 100, Required(_l("Geben Sie den Ort ein")))
    copies = text(
        _l("Anzahl der Exemplare"),
        10,
        Required(_l("Geben Sie die Anzahl der Exemplare ein")),
        CopiesInRange(
            1,
            5,
            not_a_number=_l("Geben Sie die Anzahl als Zahl ein, zum Beispiel 2"),
            out_of_range=_l("Sie können 1 bis 5 Exemplare bestellen"),
        ),
        default="1",
    )
    email = email_field()
    consent = consent_field(
        _l(
            "Ich bin einverstanden, dass meine Angaben zur Bearbeitung der Bestellung "
            "gespeichert werden."
        )
    )


class ContactForm(PortalForm):
    kind = "kontakt"
    hints = {
        "name": _l("Freiwillig"),
        "email": _l("Damit wir Ihnen antworten können"),
        "message": _l("Höchstens 5.000 Zeichen"),
    }

    name = text(_l("Name"), SHORT)
    email = email_field(Required(_l("Geben Sie Ihre E-Mail-Adresse ein")))
    subject = text(_l("Betreff"), SHORT, Required(_l("Geben Sie einen Betreff ein")))
    message = text(
        _l("Ihre Nachricht"),
        LONG,
        Required(_l("Geben Sie Ihre Nachricht ein")),
        multiline=True,
    )
    consent = consent_field(
        _l(
            "Ich bin einverstanden, dass meine Angaben zur Beantwortung meiner Nachricht "
            "gespeichert werden."
        )
    )


class BarrierForm(PortalForm):
    kind = "barriere"
    hints = {
        "page": _l(
            "Die Adresse der Seite, zum Beispiel /sozialberichte/. Wenn Sie über einen Link "
            "gekommen sind, haben wir sie schon eingetragen."
        ),
        "description": _l(
            "Was hat nicht funktioniert? Welche Hilfsmittel nutzen Sie, zum Beispiel einen "
            "Screenreader? Höchstens 5.000 Zeichen."
        ),
        "contact": _l(
            "Freiwillig. E-Mail-Adresse oder Telefonnummer, wenn wir Ihnen antworten sollen."
        ),
    }

    page = text(
        _l("Seite mit der Barriere"),
        500,
        Required(_l("Geben Sie die Seite an, auf der die Barriere ist")),
        SameSitePath(
            _l("Geben Sie die Adresse einer Seite dieses Portals an, zum Beispiel /kontakt")
        ),
    )
    description = text(
        _l("Beschreibung der Barriere"),
        LONG,
        Required(_l("Beschreiben Sie die Barriere")),
        multiline=True,
    )
    contact = text(_l("Kontakt für Rückfragen"), SHORT)


FORMS = {form.kind: form for form in (OrderForm, ContactForm, BarrierForm)}
