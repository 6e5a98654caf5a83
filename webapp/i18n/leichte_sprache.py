"""A checker for the Leichte Sprache rules a program can check (PRODUCT.md).

Usage (also from the editors' area)::

    from webapp.i18n.leichte_sprache import check

    for finding in check(text):
        print(finding.rule, finding.severity, finding.start, finding.message, finding.suggestion)

``check(text)`` takes one text as stored in the catalog (plain text or one Markdown block;
link targets, e-mail addresses, ``%(name)s`` placeholders and Markdown markup are ignored)
and returns :class:`Finding` objects in text order. ``severity`` is ``"hard"`` for what must
not be published (abbreviations, sentences over 15 words) and ``"warn"`` for what a person
should look at (long sentences, negation, subjunctive, passive, genitive, long compounds
without Mediopunkt, several sentences on one line). A program cannot decide whether a text
is easy to read: test readers do; the checker only finds what breaks the written rules.

Each rule is a function in :data:`RULES` (register a new one with :func:`rule`). Every rule
runs in time linear in the text: no pattern can backtrack over the text from many starting
points (runs of the same character start one match attempt, not one per character), and no
rule recurses over a word. ``tests/test_leichte_sprache.py`` feeds adversarial texts of the
editors' maximum field length to every rule and every pattern of this module.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import pyphen

HARD = "hard"
WARN = "warn"
#: Sentence length: warn above WARN_WORDS, refuse above MAX_WORDS (PRODUCT.md aims at 8).
WARN_WORDS = 12
MAX_WORDS = 15
#: Words at least this long without a Mediopunkt are reported as long compounds when a known
#: second part is found in them; words of VERY_LONG_LETTERS letters always (derivations such
#: as "Informationen" or "Veranstaltungen" are long, but no compounds).
COMPOUND_LETTERS = 13
VERY_LONG_LETTERS = 17
#: Longer words get no syllable list as a suggestion (it would be as long as the word).
SYLLABLE_LETTERS = 60
MEDIOPUNKT = "·"


@dataclass(frozen=True)
class Finding:
    rule: str  # "sentence-length", "abbreviation", "negation", …
    severity: str  # HARD or WARN
    message: str  # for the editor, in German
    start: int  # character offsets in the checked text
    end: int
    excerpt: str  # the text found
    suggestion: str = ""  # what to write instead, where one can be given


#: Markup and non-words replaced by blanks of the same length (offsets stay right). A scan
#: stops where the next match could start, so "](](](…" or "<<<…" costs one pass.
_IGNORED = [
    re.compile(r"\]\([^)\]]*\)"),  # link targets: [text](target)
    re.compile(r"<[^<>\s]+>"),  # autolinks
    # Addresses: e-mail only from the start of a word (one attempt per word, not per letter).
    re.compile(r"https?://\S+|(?<!\S)[^\s@]++@[^\s@]+\.\w+"),
    re.compile(r"%\([a-z_]+\)[sd]"),  # named placeholders
    re.compile(r"(?<!\w)/[\w/.\-]*"),  # site paths such as /kontakt
    re.compile(r"\*\*|__|[\[\]`#>]|\\(?=\n)|\\$"),  # Markdown markup and hard breaks
]

_ABBREVIATIONS = re.compile(
    r"(?<!\w)(?:z\.\s?B|u\.\s?a|d\.\s?h|u\.\s?U|s\.\s?o|s\.\s?u|o\.\s?Ä|i\.\s?d\.\s?R"
    r"|usw|bzw|etc|ggf|vgl|ca|Nr|Dr|Prof|inkl|evtl|zzgl|bspw|sog|Str|Tel|Abs|Art)\."
)
_SYMBOLS = re.compile(r"[§%&]")
_ACRONYM = re.compile(r"(?<![\w·-])[A-ZÄÖÜ]{2,}+s?+(?![\w·])")
#: Written-out forms for the acronyms of this portal.
EXPANSIONS = {
    "NRW": "Nordrhein-Westfalen",
    "MAGS": "Ministerium für Arbeit, Gesundheit und Soziales",
    "RVR": "Regional·verband Ruhr",
    "DGS": "Deutsche Gebärden·sprache",
    "BITV": "Regeln für barriere·freie Internet·seiten",
    "WCAG": "Regeln für barriere·freie Internet·seiten",
    "PDF": "Datei",
}
_NEGATION = re.compile(
    r"\b(?:nicht|nichts|kein|keine|keinen|keinem|keiner|keines|nie|niemals|niemand|nirgends)\b",
    re.IGNORECASE,
)
_SUBJUNCTIVE = re.compile(
    r"\b(?:würde|würden|würdest|hätte|hätten|hättest|könnte|könnten|wäre|wären|müsste|müssten"
    r"|sollte|sollten|dürfte|dürften)\b",
    re.IGNORECASE,
)
_PASSIVE_AUX = re.compile(r"\b(?:wird|werden|wurde|wurden|worden)\b", re.IGNORECASE)
#: Words, for the participle test of the passive rule (done per word without a pattern).
_ANY_WORD = re.compile(r"\w++")
_GENITIVE = re.compile(
    r"\b(?:des|eines|meines|deines|seines|ihres|unseres|dessen|deren|wegen|trotz|während)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[0-9A-Za-zÄÖÜäöüß·]+")
_LETTERS = re.compile(r"[A-Za-zÄÖÜäöüß]+")
#: Sentence ends: a run of . ! ? (not after a digit: "12. November") before a blank or the
#: end, or a line end. A run is tried once, from its first character.
_SENTENCE_END = re.compile(r"(?<![\d.!?])[.!?]++(?=\s|$)|\n")
#: A sentence end followed by more text on the same line.
_END_INSIDE_LINE = re.compile(r"(?<![\d.!?])[.!?]++(?=\s++\S)")

#: ``rule(text, plain)`` → findings; ``plain`` is ``text`` with markup blanked.
Rule = Callable[[str, str], list["Finding"]]
#: Every rule :func:`check` runs, in registration order.
RULES: list[Rule] = []


def rule(function: Rule) -> Rule:
    """Register ``function`` as a rule of :func:`check`."""
    RULES.append(function)
    return function


def check(text: str) -> list[Finding]:
    """Every finding for ``text``, in text order."""
    plain = blank_markup(text)
    findings: list[Finding] = []
    for function in RULES:
        findings += function(text, plain)
    return sorted(findings, key=lambda f: (f.start, f.rule))


@rule
def sentence_length(text: str, plain: str) -> list[Finding]:
    found = []
    for start, end in _sentences(plain):
        sentence = plain[start:end]
        words = sum(1 for _ in _WORD.finditer(sentence))
        if words <= WARN_WORDS:
            continue
        lead = len(sentence) - len(sentence.lstrip())
        span = (start + lead, end)
        found.append(
            Finding(
                "sentence-length",
                HARD if words > MAX_WORDS else WARN,
                f"Satz mit {words} Wörtern (Ziel: höchstens 8, Grenze: {MAX_WORDS})",
                *span,
                text[span[0] : span[1]].strip(),
                "Teilen Sie den Satz in kurze Sätze.",
            )
        )
    return found


@rule
def passive(text: str, plain: str) -> list[Finding]:
    found = []
    for start, end in _sentences(plain):
        aux = _PASSIVE_AUX.search(plain, start, end)
        if aux is None:
            continue
        if not any(_is_participle(w.group()) for w in _ANY_WORD.finditer(plain, start, end)):
            continue
        found.append(
            Finding(
                "passive",
                WARN,
                "Passiv",
                aux.start(),
                aux.end(),
                text[aux.start() : aux.end()],
                "Sagen Sie, wer etwas tut.",
            )
        )
    return found


@rule
def several_per_line(text: str, plain: str) -> list[Finding]:
    found = []
    offset = 0
    for line in plain.split("\n"):
        if _END_INSIDE_LINE.search(line):
            found.append(
                Finding(
                    "one-sentence-per-line",
                    WARN,
                    "Mehrere Sätze in einer Zeile",
                    offset,
                    offset + len(line),
                    text[offset : offset + len(line)].strip(),
                    "Schreiben Sie jeden Satz in eine neue Zeile.",
                )
            )
        offset += len(line) + 1
    return found


@rule
def abbreviations(text: str, plain: str) -> list[Finding]:
    return [
        _found(text, match, "abbreviation", HARD, "Abkürzung", "Schreiben Sie das Wort aus.")
        for match in _ABBREVIATIONS.finditer(plain)
    ]


@rule
def symbols(text: str, plain: str) -> list[Finding]:
    found = []
    for match in _SYMBOLS.finditer(plain):
        word = {"§": "Paragraf", "%": "Prozent", "&": "und"}[match.group()]
        found.append(_found(text, match, "abbreviation", HARD, "Zeichen statt Wort", word))
    return found


@rule
def acronyms(text: str, plain: str) -> list[Finding]:
    found = []
    for match in _ACRONYM.finditer(plain):
        short = match.group().rstrip("s") if match.group() not in EXPANSIONS else match.group()
        suggestion = EXPANSIONS.get(short, "Schreiben Sie das Wort aus und erklären Sie es.")
        found.append(_found(text, match, "abbreviation", HARD, "Abkürzung", suggestion))
    return found


@rule
def negation(text: str, plain: str) -> list[Finding]:
    return [
        _found(text, match, "negation", WARN, "Verneinung", "Sagen Sie es positiv.")
        for match in _NEGATION.finditer(plain)
    ]


@rule
def subjunctive(text: str, plain: str) -> list[Finding]:
    return [
        _found(
            text, match, "subjunctive", WARN, "Möglichkeits·form", "Schreiben Sie: kann, wird, ist."
        )
        for match in _SUBJUNCTIVE.finditer(plain)
    ]


@rule
def genitive(text: str, plain: str) -> list[Finding]:
    return [
        _found(text, match, "genitive", WARN, "Genitiv", "Schreiben Sie: von dem, von der.")
        for match in _GENITIVE.finditer(plain)
    ]


@rule
def compounds(text: str, plain: str) -> list[Finding]:
    found = []
    for match in _LETTERS.finditer(plain):
        word = match.group()
        if _is_long_compound(word):
            found.append(
                _found(
                    text,
                    match,
                    "compound",
                    WARN,
                    "Langes Wort ohne Mediopunkt",
                    split_compound(word),
                )
            )
    return found


def has_hard_findings(text: str) -> bool:
    return any(f.severity == HARD for f in check(text))


def split_compound(word: str) -> str:
    """A suggestion for a long word: ``Sozialberichterstattung`` → ``Sozial·bericht·erstattung``.

    The word is cut where a known second part (:data:`HEADS`) begins; for other words the
    suggestion lists the syllables (pyphen's ``de_DE`` dictionary) so the editor can see
    where the parts meet.
    """
    cut = _head_cut(word)
    if cut is None:
        if len(word) > SYLLABLE_LETTERS:
            return f"Trennen Sie die Wort·teile mit {MEDIOPUNKT}."
        syllables = _hyphenator().inserted(word, hyphen="-")
        return f"Silben: {syllables}. Trennen Sie die Wort·teile mit {MEDIOPUNKT}."
    # Cut again where the next known part begins, while the rest is long (a loop over the
    # word: a long word is no deep recursion).
    parts, start = [word[:cut]], cut
    while len(word) - start >= COMPOUND_LETTERS:
        cut = _head_cut(word, start)
        if cut is None:
            break
        parts.append(word[start:cut])
        start = cut
    parts.append(word[start:])
    return MEDIOPUNKT.join(parts)


#: Frequent last parts of compounds in the portal's subject (lower case).
HEADS = (
    "bericht",
    "erstattung",
    "sprache",
    "freiheit",
    "frei",
    "planung",
    "regierung",
    "schutz",
    "erklärung",
    "programm",
    "verband",
    "konferenz",
    "navigation",
    "seite",
    "stelle",
    "bank",
    "teil",
    "zahl",
    "nummer",
    "adresse",
    "datei",
    "größe",
    "taste",
    "verfahren",
    "strategie",
    "ausgaben",
    "analyse",
    "politik",
    "arbeit",
    "losigkeit",
    "gebiet",
    "region",
    "gruppe",
    "information",
    "angebot",
    "veranstaltung",
    "förderung",
    "kommune",
    "haushalt",
    "kosten",
    "dichte",
    "grundlage",
    "voraussetzung",
    "forum",
    "publikum",
    "zeichen",
    "feld",
    "name",
    "leitzahl",
    "werkzeug",
    "breite",
    "bewertung",
    "fassung",
    "sitzung",
    "dokumentation",
)


def _is_long_compound(word: str) -> bool:
    if len(word) < COMPOUND_LETTERS:
        return False
    return len(word) >= VERY_LONG_LETTERS or _head_cut(word) is not None


def _head_cut(word: str, start: int = 0) -> int | None:
    """Where in ``word[start:]`` a known second part begins (at least 3 letters in)."""
    lower = word.lower()
    for cut in range(start + 3, len(word) - 3):
        if lower.startswith(HEADS, cut) and lower[cut - 1] != "-":
            return cut
    return None


def _is_participle(word: str) -> bool:
    """``gemacht``, ``abgegeben``, ``informiert``: (…)ge + at least two letters + t/en, or
    …iert (the same words as ``\\b(?:\\w+ge|ge)\\w{2,}(?:t|en)\\b|\\b\\w+iert\\b``,
    found without backtracking)."""
    lower = word.lower()
    if len(lower) > 4 and lower.endswith("iert"):
        return True
    ending = 1 if lower.endswith("t") else 2 if lower.endswith("en") else 0
    if not ending:
        return False
    first = lower.find("ge")
    return first != -1 and first <= len(lower) - ending - 4


@cache
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="de_DE")


def blank_markup(text: str) -> str:
    """``text`` with markup, addresses and placeholders blanked (same length)."""
    for pattern in _IGNORED:
        text = pattern.sub(lambda m: " " * len(m.group()), text)
    return text


def _sentences(plain: str):
    """(start, end) of each sentence: ends at . ! ? or a line end; "12. November" goes on."""
    start = 0
    for match in _SENTENCE_END.finditer(plain):
        end = match.end()
        if not plain[start:end].isspace() and end > start:
            yield start, end
        start = end
    if start < len(plain) and not plain[start:].isspace():
        yield start, len(plain)


def _found(text, match, rule, severity, message, suggestion) -> Finding:
    return Finding(
        rule,
        severity,
        message,
        match.start(),
        match.end(),
        text[match.start() : match.end()],
        suggestion,
    )


# More rules (issue 17: numbers, prefixes, Ergänzungsstrich, positive words) live in ls_rules,
# which registers them with rule() when imported.
from . import ls_rules  # noqa: E402, F401 (needs Finding, HARD, WARN and rule from above)
