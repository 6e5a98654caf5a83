"""Input rules shared by the three forms: every value is NFC-normalised, trimmed,
length-limited and free of control characters before any other check runs.

The rules are WTForms filters and validators with German gettext messages (named
placeholders), so each language's catalog translates them.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from flask import request
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from wtforms.validators import StopValidation, ValidationError

#: Characters allowed in a multi-line text although Unicode counts them as control characters.
LINE_BREAKS = frozenset("\n\t")
#: Unicode categories rejected everywhere: control characters and (lone) surrogates. Private
#: use and code points newer than Python's Unicode tables (new emoji) are text and pass.
REJECTED_CATEGORIES = frozenset({"Cc", "Cs"})
#: A deliberately simple e-mail check: something@domain.tld, no spaces, one "@".
EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
POSTCODE = re.compile(r"[0-9]{5}")


def normalise(value):
    """NFC, unified line breaks, no leading or trailing white space."""
    if not isinstance(value, str):
        return value
    value = unicodedata.normalize("NFC", value)
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.strip()


def bad_characters(value: str, multiline: bool = False) -> list[str]:
    """The characters of ``value`` that a field does not accept."""
    allowed = LINE_BREAKS if multiline else frozenset()
    return [
        char
        for char in value
        if char not in allowed and unicodedata.category(char) in REJECTED_CATEGORIES
    ]


class CleanText:
    """Rejects control characters and values longer than ``max_length`` (after NFC).

    Runs first and stops the chain, so a later rule never sees a value it cannot handle.
    """

    def __init__(self, max_length: int, multiline: bool = False):
        self.max_length = max_length
        self.multiline = multiline

    def __call__(self, form, field):
        value = field.data if isinstance(field.data, str) else ""
        if bad_characters(value, self.multiline):
            raise StopValidation(
                _l(
                    "„%(label)s“ enthält ein Steuerzeichen, das wir nicht speichern können. "
                    "Bitte entfernen Sie es oder schreiben Sie den Text neu.",
                    label=field.label.text,
                )
            )
        if len(value) > self.max_length:
            raise StopValidation(
                _l(
                    "„%(label)s“ darf höchstens %(max)s Zeichen lang sein. "
                    "Sie haben %(count)s Zeichen eingegeben.",
                    label=field.label.text,
                    max=format_decimal(self.max_length),
                    count=format_decimal(len(value)),
                )
            )


class Required:
    """The field must not be empty; ``message`` says what to enter (GOV.UK style)."""

    field_flags = {"required": True}

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if not (field.data.strip() if isinstance(field.data, str) else field.data):
            raise StopValidation(self.message)


class Matches:
    """A filled-in value must match ``pattern`` as a whole; an empty one is left to
    :class:`Required` (or allowed, for an optional field)."""

    def __init__(self, pattern: re.Pattern, message):
        self.pattern = pattern
        self.message = message

    def __call__(self, form, field):
        if field.data and not self.pattern.fullmatch(field.data):
            raise ValidationError(self.message)


def postcode_filter(value):
    """German postcodes are five digits; spaces typed between them are dropped."""
    return re.sub(r"\s+", "", value) if isinstance(value, str) else value


class CopiesInRange:
    """A whole number from ``minimum`` to ``maximum``, typed as digits."""

    def __init__(self, minimum: int, maximum: int, not_a_number, out_of_range):
        self.minimum, self.maximum = minimum, maximum
        self.not_a_number, self.out_of_range = not_a_number, out_of_range

    def __call__(self, form, field):
        if not field.data:
            return
        if not re.fullmatch(r"[0-9]{1,3}", field.data):
            raise ValidationError(self.not_a_number)
        if not self.minimum <= int(field.data) <= self.maximum:
            raise ValidationError(self.out_of_range)


def same_site_path(value: str | None) -> str | None:
    """``value`` as a path on this site (``/kontakt?x=1``), or ``None`` when it points
    elsewhere. Accepts a path or a full address on the current host."""
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        try:
            parts = urlsplit(value)
        except ValueError:
            return None
        if parts.scheme not in {"http", "https"} or parts.netloc != request.host:
            return None
    else:
        try:
            parts = urlsplit(value)
        except ValueError:
            return None
    path = parts.path or "/"
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return None
    if bad_characters(path) or any(char.isspace() for char in path):
        return None
    return path + ("?" + parts.query if parts.query else "")


class SameSitePath:
    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if not field.data:
            return
        path = same_site_path(field.data)
        if path is None:
            raise ValidationError(self.message)
        field.data = path
