"""Checks of a translation against its German source, run on every save and shown next to
the field: not empty, the same placeholders, the same Markdown links and images, and for
Leichte Sprache the rules of :mod:`webapp.i18n.leichte_sprache`.

Errors block a save (the page would break or lose a link, or a hard Leichte Sprache rule is
broken); warnings are shown and saved. "Als „zu prüfen“ speichern" saves despite errors: a
fuzzy entry is never served.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext

from ..content import MD

ERROR, WARNING = "error", "warning"

#: ``%(name)s`` and ``%s``/``%d`` (Python), ``{name}`` (str.format).
PERCENT = re.compile(r"%\((\w+)\)[#0+-]?\d*(?:\.\d+)?[sdifr]|%[sd](?![^\W\d_])")
BRACES = re.compile(r"(?<!\{)\{(\w*)\}(?!\})")


@dataclass
class Problem:
    severity: str
    rule: str
    message: str
    suggestion: str | None = None
    form: int = 0  # plural form the problem is in


def placeholders(text: str) -> Counter:
    found: Counter = Counter()
    for match in PERCENT.finditer(text):
        found[match.group(0)] += 1
    for match in BRACES.finditer(text):
        found["{" + match.group(1) + "}"] += 1
    return found


def markdown_structure(text: str) -> Counter:
    """Link targets, images and code spans of an inline Markdown text."""
    found: Counter = Counter()
    tokens = MD.parseInline(text, {})[0].children or []
    for token in tokens:
        if token.type == "link_open":
            found["link " + (token.attrGet("href") or "")] += 1
        elif token.type == "image":
            found["image " + (token.attrGet("src") or "")] += 1
        elif token.type == "code_inline":
            found["code " + token.content] += 1
    return found


def _names(counter: Counter) -> str:
    return ", ".join(sorted(counter.elements()))


def check_text(source: str, text: str, locale: str, form: int = 0, plural: bool = False):
    problems: list[Problem] = []
    if not text.strip():
        problems.append(Problem(ERROR, "empty", gettext("Die Übersetzung ist leer."), form=form))
        return problems
    wanted, got = placeholders(source), placeholders(text)
    missing, extra = wanted - got, got - wanted
    if extra:
        problems.append(
            Problem(
                ERROR,
                "placeholders",
                gettext(
                    "Platzhalter, die im Original fehlen: %(names)s. "
                    "Platzhalter müssen genau wie im Original geschrieben sein.",
                    names=_names(extra),
                ),
                form=form,
            )
        )
    if missing:
        problems.append(
            Problem(
                WARNING if plural else ERROR,
                "placeholders",
                gettext("Platzhalter aus dem Original fehlen: %(names)s.", names=_names(missing)),
                form=form,
            )
        )
    wanted, got = markdown_structure(source), markdown_structure(text)
    if wanted != got:
        problems.append(
            Problem(
                ERROR,
                "markdown",
                gettext(
                    "Links, Bilder und Code müssen dieselben sein wie im Original. "
                    "Fehlt: %(missing)s. Neu: %(extra)s.",
                    missing=_names(wanted - got) or "–",
                    extra=_names(got - wanted) or "–",
                ),
                form=form,
            )
        )
    if locale == "de@ls":
        problems += leichte_sprache(text, form, source)
    return problems


def leichte_sprache(text: str, form: int = 0, source: str = "") -> list[Problem]:
    """Findings of the Leichte Sprache checker (:mod:`webapp.i18n.leichte_sprache`): its hard
    rules (abbreviations, sentences over 15 words) block a save, the rest are warnings."""
    from ..i18n.leichte_sprache import HARD, check
    from ..i18n.ls_rules import check_terms  # one name for each thing (ls_terms.yaml)

    problems = []
    for finding in check(text) + check_terms(source, text):
        problems.append(
            Problem(
                ERROR if finding.severity == HARD else WARNING,
                finding.rule,
                gettext(
                    "%(message)s: „%(excerpt)s“", message=finding.message, excerpt=finding.excerpt
                ),
                suggestion=finding.suggestion or None,
                form=form,
            )
        )
    return problems


def check_entry(entry, msgstr: list[str], locale: str) -> list[Problem]:
    """All problems of ``msgstr`` (one string, or one per plural form) for ``entry``."""
    if not entry.plural:
        return check_text(entry.msgid, msgstr[0], locale)
    problems = []
    for form, text in enumerate(msgstr):
        source = entry.msgid if form == 0 else entry.msgid_plural
        problems += check_text(source, text, locale, form=form, plural=True)
    return problems


def blocking(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]
