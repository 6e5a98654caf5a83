"""Forms of the editors' area (Flask-WTF: every change carries a CSRF token)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import FieldList, HiddenField, IntegerField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

#: The longest translation a field takes: the browser form and ``.po`` uploads alike; the
#: Leichte Sprache checker is tested against adversarial texts of this length.
MAX_TRANSLATION_LENGTH = 20000


class LoginForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Passwort"), validators=[DataRequired(), Length(max=200)])
    next = HiddenField()


class ActionForm(FlaskForm):
    """A button that changes something (log out, undo, mark done, delete)."""


class EntryForm(FlaskForm):
    msgstr = FieldList(
        TextAreaField(validators=[Length(max=MAX_TRANSLATION_LENGTH)]), min_entries=1
    )
    version = IntegerField(default=0)
    # submitted by one of the buttons: save, next, review, preview
    action = HiddenField()


class UploadForm(FlaskForm):
    file = FileField(
        _l("PO-Datei"), validators=[FileRequired(_l("Bitte wählen Sie eine PO-Datei aus."))]
    )
    accept = ".po,.zip,text/x-gettext-translation,application/zip"
    hints: dict = {}
