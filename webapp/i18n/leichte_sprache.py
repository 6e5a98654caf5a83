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
"""

from __future__ import annotations

import re
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


#: Markup and non-words replaced by blanks of the same length (offsets stay right).
_IGNORED = [
    re.compile(r"\]\([^)]*\)"),  # link targets: [text](target)
    re.compile(r"<[^>\s]+>"),  # autolinks
    re.compile(r"https?://\S+|\S+@\S+\.\w+"),  # addresses
    re.compile(r"%\([a-z_]+\)[sd]"),  # named placeholders
    re.compile(r"(?<!\w)/[\w/.\-]*"),  # site paths such as /kontakt
    re.compile(r"\*\*|__|[\[\]`#>]|\\(?=\n)|\\$"),  # Markdown markup and hard breaks
]

_ABBREVIATIONS = re.compile(
    r"(?<!\w)(?:z\.\s?B|u\.\s?a|d\.\s?h|u\.\s?U|s\.\s?o|s\.\s?u|o\.\s?Ä|i\.\s?d\.\s?R"
    r"|usw|bzw|etc|ggf|vgl|ca|Nr|Dr|Prof|inkl|evtl|zzgl|bspw|sog|Str|Tel|Abs|Art)\."
)
_SYMBOLS = re.compile(r"[§%&]")
_ACRONYM = re.compile(r"(?<![\w·-])[A-ZÄÖÜ]{2,}s?(?![\w·])")
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
_PARTICIPLE = re.compile(r"\b(?:\w+ge|ge)\w{2,}(?:t|en)\b|\b\w+iert\b", re.IGNORECASE)
_GENITIVE = re.compile(
    r"\b(?:des|eines|meines|deines|seines|ihres|unseres|dessen|deren|wegen|trotz|während)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[0-9A-Za-zÄÖÜäöüß·]+")
_LETTERS = re.compile(r"[A-Za-zÄÖÜäöüß]+")


def check(text: str) -> list[Finding]:
    """Every finding for ``text``, in text order."""
    plain = _blank_markup(text)
    findings: list[Finding] = []
    for start, end in _sentences(plain):
        findings += _check_sentence(text, plain, start, end)
    findings += _several_per_line(text, plain)
    for match in _ABBREVIATIONS.finditer(plain):
        findings.append(
            _found(text, match, "abbreviation", HARD, "Abkürzung", "Schreiben Sie das Wort aus.")
        )
    for match in _SYMBOLS.finditer(plain):
        word = {"§": "Paragraf", "%": "Prozent", "&": "und"}[match.group()]
        findings.append(_found(text, match, "abbreviation", HARD, "Zeichen statt Wort", word))
    for match in _ACRONYM.finditer(plain):
        short = match.group().rstrip("s") if match.group() not in EXPANSIONS else match.group()
        suggestion = EXPANSIONS.get(short, "Schreiben Sie das Wort aus und erklären Sie es.")
        findings.append(_found(text, match, "abbreviation", HARD, "Abkürzung", suggestion))
    for match in _NEGATION.finditer(plain):
        findings.append(
            _found(text, match, "negation", WARN, "Verneinung", "Sagen Sie es positiv.")
        )
    for match in _SUBJUNCTIVE.finditer(plain):
        findings.append(
            _found(
                text,
                match,
                "subjunctive",
                WARN,
                "Möglichkeits·form",
                "Schreiben Sie: kann, wird, ist.",
            )
        )
    for match in _GENITIVE.finditer(plain):
        findings.append(
            _found(text, match, "genitive", WARN, "Genitiv", "Schreiben Sie: von dem, von der.")
        )
    for match in _LETTERS.finditer(plain):
        word = match.group()
        if _is_long_compound(word):
            findings.append(
                _found(
                    text,
                    match,
                    "compound",
                    WARN,
                    "Langes Wort ohne Mediopunkt",
                    split_compound(word),
                )
            )
    from .ls_rules import more_findings  # numbers, prefixes, Ergänzungsstrich, … (issue 17)

    findings += more_findings(text, plain)
    return sorted(findings, key=lambda f: (f.start, f.rule))


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
        syllables = _hyphenator().inserted(word, hyphen="-")
        return f"Silben: {syllables}. Trennen Sie die Wort·teile mit {MEDIOPUNKT}."
    left, right = word[:cut], word[cut:]
    if len(right) >= COMPOUND_LETTERS and _head_cut(right) is not None:
        right = split_compound(right)
    return left + MEDIOPUNKT + right


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


def _head_cut(word: str) -> int | None:
    lower = word.lower()
    for cut in range(3, len(word) - 3):
        if lower[cut:].startswith(HEADS) and lower[cut - 1] != "-":
            return cut
    return None


@cache
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="de_DE")


def _blank_markup(text: str) -> str:
    for pattern in _IGNORED:
        text = pattern.sub(lambda m: " " * len(m.group()), text)
    return text


def _sentences(plain: str):
    """(start, end) of each sentence: ends at . ! ? or a line end; "12. November" goes on."""
    start = 0
    for match in re.finditer(r"(?<!\d)[.!?]+(?=\s|$)|\n", plain):
        end = match.end()
        if plain[start:end].strip():
            yield start, end
        start = end
    if plain[start:].strip():
        yield start, len(plain)


def _check_sentence(text: str, plain: str, start: int, end: int) -> list[Finding]:
    sentence = plain[start:end]
    words = _WORD.findall(sentence)
    found = []
    lead = len(sentence) - len(sentence.lstrip())
    span = (start + lead, end)
    if len(words) > MAX_WORDS or len(words) > WARN_WORDS:
        hard = len(words) > MAX_WORDS
        found.append(
            Finding(
                "sentence-length",
                HARD if hard else WARN,
                f"Satz mit {len(words)} Wörtern (Ziel: höchstens 8, Grenze: {MAX_WORDS})",
                *span,
                text[span[0] : span[1]].strip(),
                "Teilen Sie den Satz in kurze Sätze.",
            )
        )
    aux = _PASSIVE_AUX.search(sentence)
    if aux and _PARTICIPLE.search(sentence):
        found.append(
            Finding(
                "passive",
                WARN,
                "Passiv",
                start + aux.start(),
                start + aux.end(),
                text[start + aux.start() : start + aux.end()],
                "Sagen Sie, wer etwas tut.",
            )
        )
    return found


def _several_per_line(text: str, plain: str) -> list[Finding]:
    found = []
    offset = 0
    for line in plain.split("\n"):
        ends = re.findall(r"(?<!\d)[.!?]+(?=\s+\S)", line)
        if ends:
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
