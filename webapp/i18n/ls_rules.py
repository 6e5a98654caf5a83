"""More Leichte Sprache rules (issue 17): numbers, prefixes, Ergänzungsstrich, positive words,
and the catalog-wide rules (one name for each thing, one spelling for each word).

:data:`RULES` are registered with :func:`webapp.i18n.leichte_sprache.rule`, so ``check`` runs them
for every text (and its test of adversarial inputs covers them).
:func:`check_catalog` checks a whole catalog (German source, Leichte Sprache) at once: the term
list (``ls_terms.yaml``), one spelling per word, and the rules that the portal's own catalog
must keep (:data:`CATALOG_RULES`, warnings for an editor but errors for ``make test``).

Every pattern here runs in linear time: alternations of literal words, single character
classes with one quantifier, no nested quantifiers, no backreferences, no recursion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from .leichte_sprache import HARD, WARN, Finding, rule
from .leichte_sprache import RULES as REGISTERED

TERMS_FILE = Path(__file__).with_name("ls_terms.yaml")

_LETTER = "A-Za-zÄÖÜäöüß"
#: Word boundaries that treat the Mediopunkt as part of a word.
_B = rf"(?<![{_LETTER}0-9·])"
_E = rf"(?![{_LETTER}0-9·])"

NUMBER_WORDS = {
    "zwei": "2",
    "drei": "3",
    "vier": "4",
    "fünf": "5",
    "sechs": "6",
    "sieben": "7",
    "acht": "8",
    "neun": "9",
    "zehn": "10",
    "elf": "11",
    "zwölf": "12",
    "zwanzig": "20",
    "dreißig": "30",
    "fünfzig": "50",
    "hundert": "100",
    "tausend": "1.000",
}
_NUMBER = re.compile(_B + "(?:" + "|".join(NUMBER_WORDS) + ")" + _E, re.IGNORECASE)

#: Prefixes that are no word of their own: "un·zufrieden", "Ver·anstaltung" are wrong.
PREFIXES = ("un", "ur", "miss", "ver", "zer", "ent", "emp", "er", "be", "ge")
_PREFIX_DOT = re.compile(_B + "(?:" + "|".join(PREFIXES) + ")·", re.IGNORECASE)

#: "Teilhabe- und Sozialplanung", "Sozial- oder Teilhabe…", "Sozialplanung und -berichte".
_HYPHEN_BEFORE = re.compile(rf"[{_LETTER}·]-(?=[ \t]+(?:und|oder|bis|sowie)[ \t])")
_HYPHEN_AFTER = re.compile(rf"{_B}(?:und|oder|bis|sowie)[ \t]+-[{_LETTER}]")

#: Negations that have a positive word: (negative, positive).
POSITIVE = {
    "nicht erlaubt": "verboten",
    "nicht richtig": "falsch",
    "nicht falsch": "richtig",
    "nicht gut": "schlecht",
    "nicht schlecht": "gut",
    "nicht leicht": "schwer",
    "nicht einfach": "schwer",
    "nicht schwer": "leicht",
    "nicht viel": "wenig",
    "nicht viele": "wenige",
    "nicht lange": "kurz",
    "nicht groß": "klein",
    "nicht klein": "groß",
    "nicht alle": "manche",
    "nicht immer": "manchmal",
    "nicht genug": "zu wenig",
    "nicht gleich": "anders",
    "nicht vergessen": "denken Sie an …",
    "kostet nichts": "ist kostenlos",
    "keine Kosten": "kostenlos",
}
_POSITIVE = re.compile(
    _B + "(?:" + "|".join(p.replace(" ", "[ \t]+") for p in POSITIVE) + ")" + _E,
    re.IGNORECASE,
)

#: Rules the portal's own de@ls catalog must keep although they only warn an editor.
CATALOG_RULES = ("one-sentence-per-line", "number-as-word", "term", "spelling")
#: Catalog entries used only in the editors' area (not public, not held to CATALOG_RULES).
EDITOR_PATHS = ("templates/editor/", "webapp/editor/")


def _found(text, match, rule, severity, message, suggestion) -> Finding:
    return Finding(rule, severity, message, match.start(), match.end(), match.group(), suggestion)


def number_words(text: str, plain: str) -> list[Finding]:
    return [
        _found(text, m, "number-as-word", WARN, "Zahl als Wort", NUMBER_WORDS[m.group().lower()])
        for m in _NUMBER.finditer(plain)
    ]


def prefix_mediopunkt(text: str, plain: str) -> list[Finding]:
    return [
        _found(
            text,
            m,
            "prefix-mediopunkt",
            HARD,
            "Mediopunkt nach einer Vorsilbe",
            "Schreiben Sie die Vorsilbe ohne Mediopunkt an das Wort.",
        )
        for m in _PREFIX_DOT.finditer(plain)
    ]


def ergaenzungsstrich(text: str, plain: str) -> list[Finding]:
    found = [*_HYPHEN_BEFORE.finditer(plain), *_HYPHEN_AFTER.finditer(plain)]
    return [
        _found(
            text,
            m,
            "ergaenzungsstrich",
            HARD,
            "Ergänzungs·strich",
            "Schreiben Sie beide Wörter ganz aus.",
        )
        for m in found
    ]


def positive_words(text: str, plain: str) -> list[Finding]:
    out = []
    for m in _POSITIVE.finditer(plain):
        key = " ".join(m.group().lower().split())
        positive = next((p for n, p in POSITIVE.items() if n.lower() == key), "")
        out.append(_found(text, m, "positive", WARN, "Verneinung mit Gegen·wort", positive))
    return out


#: The per-text rules of this module (name, function), registered with check() and tested.
RULES = (
    ("number-as-word", number_words),
    ("prefix-mediopunkt", prefix_mediopunkt),
    ("ergaenzungsstrich", ergaenzungsstrich),
    ("positive", positive_words),
)
for _name, _function in RULES:
    if _function not in REGISTERED:
        rule(_function)


# Catalog-wide rules


@dataclass(frozen=True)
class Term:
    thing: str
    source: re.Pattern
    ls: str
    ls_pattern: re.Pattern
    avoid: re.Pattern
    require: bool


def _words(words) -> re.Pattern:
    return re.compile(_B + "(?:" + "|".join(re.escape(w) for w in words) + ")" + _E)


@cache
def terms() -> tuple[Term, ...]:
    """The term list ``ls_terms.yaml``."""
    entries = yaml.safe_load(TERMS_FILE.read_text("utf-8"))
    return tuple(
        Term(
            entry["thing"],
            _words(entry["source"]),
            entry["ls"],
            re.compile(_B + re.escape(entry["ls"]), re.IGNORECASE),
            _words(entry["avoid"]),
            entry.get("require", True),
        )
        for entry in entries
    )


def check_terms(source: str, text: str) -> list[Finding]:
    """Where the German ``source`` names a thing of the term list, the Leichte Sprache ``text``
    uses the one Leichte Sprache word for it and none of the words to avoid."""
    found = []
    for term in terms():
        if not term.source.search(source):
            continue
        for m in term.avoid.finditer(text):
            found.append(_found(text, m, "term", WARN, f"Anderes Wort für: {term.thing}", term.ls))
        if term.require and not term.ls_pattern.search(text):
            found.append(
                Finding(
                    "term",
                    WARN,
                    f"Das Wort fehlt für: {term.thing}",
                    0,
                    len(text),
                    text[:70],
                    term.ls,
                )
            )
    return found


_SPELLED = re.compile(rf"[{_LETTER}][{_LETTER}·]*")


def spellings(texts) -> dict[str, set[str]]:
    """``{word without Mediopunkt, lower case: {its spellings}}`` over ``texts``."""
    seen: dict[str, set[str]] = {}
    for text in texts:
        for m in _SPELLED.finditer(text):
            word = m.group().rstrip("·").lower()
            seen.setdefault(word.replace("·", ""), set()).add(word)
    return seen


def inconsistent_spellings(texts) -> dict[str, set[str]]:
    """Words written in more than one way, e.g. ``{"anmelden": {"an·melden", "anmelden"}}``:
    a Mediopunkt (compounds, separable verbs) is used everywhere or nowhere in a word."""
    return {key: found for key, found in spellings(texts).items() if len(found) > 1}


def check_catalog(entries) -> list[tuple[object, Finding]]:
    """Catalog findings for ``entries``: ``(location, German source, Leichte Sprache text)``.

    The per-text checker's :data:`CATALOG_RULES` for public entries, the term list and one
    spelling for each word (over all entries). Returns ``(location, finding)`` pairs.
    """
    from .leichte_sprache import blank_markup, check

    entries = [e for e in entries if not str(e[0]).startswith(EDITOR_PATHS)]
    out: list[tuple[object, Finding]] = []
    for location, source, text in entries:
        for finding in check(text):
            if finding.rule in CATALOG_RULES:
                out.append((location, finding))
        out += [(location, f) for f in check_terms(source, text)]
    words = spellings(blank_markup(text) for _loc, _src, text in entries)
    for location, _source, text in entries:
        for m in _SPELLED.finditer(blank_markup(text)):
            word = m.group().rstrip("·").lower()
            variants = words.get(word.replace("·", ""), set())
            if len(variants) > 1:
                out.append(
                    (
                        location,
                        _found(
                            text,
                            m,
                            "spelling",
                            WARN,
                            "Das Wort steht im Katalog auch anders geschrieben",
                            " / ".join(sorted(variants)),
                        ),
                    )
                )
    return out
