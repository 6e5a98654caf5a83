"""Checks of a translation against its German source, run on every save and on every entry
of an uploaded ``.po``, and shown next to the field: not empty, formattable exactly as the
page formats it, the same placeholders, the right number of plural forms, the same Markdown
links and images, and for Leichte Sprache the rules of :mod:`webapp.i18n.leichte_sprache`.

"Formattable" (rule ``format``, interface texts only: content texts are never formatted): no
percent sign outside a placeholder (``%%`` where the source has placeholders), Babel's own
``python_format`` checker, and the runtime's substitution
(:func:`webapp.i18n.formatting.substitute`) tried with the source's variables.

Errors block a save (the page would break or lose a link, or a hard Leichte Sprache rule is
broken); warnings are shown and saved. "Als „zu prüfen“ speichern" saves despite errors: a
fuzzy entry is never served.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from babel.messages.catalog import Catalog, Message, TranslationError
from babel.messages.checkers import num_plurals, python_format
from flask_babel import gettext

from ..content import MD
from ..i18n.formatting import FORMAT_ERRORS, substitute

ERROR, WARNING = "error", "warning"

#: ``%(name)s`` and ``%s``/``%d`` (Python), ``{name}`` (str.format).
PERCENT = re.compile(r"%\((\w+)\)[#0+-]?\d*(?:\.\d+)?[sdifr]|%[sd](?![^\W\d_])")
BRACES = re.compile(r"(?<!\{)\{(\w*)\}(?!\})")
#: One conversion as Python's ``%`` operator reads it (mapping key, flags, width, precision,
#: length, type), or ``%%``.
CONVERSION = re.compile(
    r"%(?:\((?P<name>[^()]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?"
    r"(?P<type>[diouxXeEfFgGcrsa%])"
)


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


def conversions(text: str) -> list[re.Match] | None:
    """The conversions of ``text`` in order (``%%`` included), or ``None`` when a percent
    sign starts none (Python's ``%`` operator would fail on it)."""
    found, position = [], 0
    while (start := text.find("%", position)) != -1:
        match = CONVERSION.match(text, start)
        if match is None:
            return None
        found.append(match)
        position = match.end()
    return found


def _placeholders_of(text: str) -> list[re.Match]:
    return [m for m in conversions(text) or [] if m.group("type") != "%"]


def sample_variables(*sources: str, plural: bool = False) -> dict:
    """Variables as the page passes them to ``sources``: every named placeholder (a number
    fits every conversion type; Babel's checker compares the types), ``num`` for plurals."""
    variables = {m.group("name"): 1 for s in sources for m in _placeholders_of(s)}
    variables.pop(None, None)
    if plural:
        variables.setdefault("num", 1)
    return variables


def format_problem(source: str, text: str, variables: dict, form: int = 0) -> Problem | None:
    """Whether the page can format ``text`` as it formats ``source`` (``None`` if so).

    The page passes variables by name (a mapping), so only named placeholders and ``%%``
    are possible; a text without variables is formatted by templates but not by Python
    code, so there it may hold no percent sign at all."""
    shown = [m.group(0) for m in _placeholders_of(source)] or [f"%({n})s" for n in variables]
    examples = ", ".join(dict.fromkeys(shown)) or "–"
    if not variables and "%" in text and "%" not in source:
        message = gettext(
            "Ein Prozentzeichen ist in diesem Text nicht möglich, weil das Original keine "
            "Platzhalter hat. Schreiben Sie das Wort „Prozent“."
        )
        return Problem(ERROR, "format", message, form=form)
    found = conversions(text)
    if found is None or any(m.group("name") is None for m in _placeholders_of(text)):
        message = gettext(
            "Ein Prozentzeichen ist hier nur als Teil eines Platzhalters aus dem Original "
            "möglich (%(examples)s). Für ein einzelnes Prozentzeichen schreiben Sie "
            "%(double)s oder das Wort „Prozent“.",
            examples=examples,
            double="%%",
        )
        return Problem(ERROR, "format", message, form=form)
    try:
        python_format(None, Message(source, text))  # Babel's checker (names, types)
        substitute(text, variables)  # what the page does
    except (TranslationError, *FORMAT_ERRORS) as error:
        message = gettext(
            "Die Platzhalter passen nicht zum Original (%(detail)s). Schreiben Sie sie genau "
            "wie im Original: %(examples)s.",
            detail=str(error),
            examples=examples,
        )
        return Problem(ERROR, "format", message, form=form)
    return None


def check_text(
    source: str,
    text: str,
    locale: str,
    form: int = 0,
    plural: bool = False,
    variables: dict | None = None,
    formatted: bool = True,
):
    problems: list[Problem] = []
    if not text.strip():
        problems.append(Problem(ERROR, "empty", gettext("Die Übersetzung ist leer."), form=form))
        return problems
    wanted, got = placeholders(source), placeholders(text)
    missing, extra = wanted - got, got - wanted
    if formatted and not extra:  # an unknown placeholder is reported below, once
        variables = sample_variables(source) if variables is None else variables
        problem = format_problem(source, text, variables, form)
        if problem is not None:
            problems.append(problem)
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


def formatted(entry) -> bool:
    """Whether the page formats ``entry`` with variables: interface texts (Python code and
    templates) are, content texts (used only in ``content/*.md``) are shown as they are."""
    files = entry.files
    return not files or not all(name.endswith(".md") for name in files)


def check_entry(entry, msgstr: list[str], locale: str) -> list[Problem]:
    """All problems of ``msgstr`` (one string, or one per plural form) for ``entry``."""
    if not entry.plural:
        problems = check_text(entry.msgid, msgstr[0], locale, formatted=formatted(entry))
        if locale == "de@ls" and msgstr[0].strip():  # rare words: the Wörterbuch (issue 17)
            from ..leichte_sprache.checks import rare_word_problems

            problems += rare_word_problems(entry, msgstr[0])
        return problems
    problems = []
    try:  # Babel's checker: as many forms as the language has
        num_plurals(Catalog(locale=locale), Message((entry.msgid, entry.msgid_plural), msgstr))
    except TranslationError:
        expected = Catalog(locale=locale).num_plurals
        message = gettext(
            "Die Übersetzung braucht genau %(expected)s Pluralformen, sie hat %(found)s.",
            expected=expected,
            found=len(msgstr),
        )
        problems.append(Problem(ERROR, "plural-forms", message))
    variables = sample_variables(entry.msgid, entry.msgid_plural, plural=True)
    for form, text in enumerate(msgstr):
        source = entry.msgid if form == 0 else entry.msgid_plural
        problems += check_text(source, text, locale, form=form, plural=True, variables=variables)
    return problems


def blocking(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]
