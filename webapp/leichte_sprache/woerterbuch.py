"""The Wörterbuch (glossary) of Leichte Sprache at ``/leichte-sprache/woerterbuch``.

Entries come from ``content/woerterbuch.yaml`` (the baseline in the repository) and from the
editors' area (table ``ls_glossary``); an editor's entry replaces the baseline entry of the
same word. Each entry: ``word``, other ``forms`` of it as they appear in texts ("Kreise",
"Kreisen"), an ``explanation`` in Leichte Sprache (one sentence per line) and an optional
``example``.

On a Leichte Sprache page the first occurrence of each word links to its entry
(:class:`Linker`, called by the shared rendering of content blocks in :mod:`webapp.texts`),
never inside a link or a heading. The checker (:func:`rare_words`) flags a word that is rare
in German (``wordfreq``'s Zipf frequency below 3; a word written with a Mediopunkt is looked
up part by part) and that neither the page nor the Wörterbuch explains.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from flask import current_app
from markdown_it.token import Token
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from ..content import parse_inline
from ..db import db
from .models import GlossaryEntry

MEDIOPUNKT = "·"
#: Below this Zipf frequency (wordfreq, German) a word counts as rare: about once in a
#: million words or less.
RARE_ZIPF = 3.0
LETTERS = "A-Za-zÄÖÜäöüßẞ"
WORD = re.compile(rf"[{LETTERS}][{LETTERS}{MEDIOPUNKT}\-]*[{LETTERS}]|[{LETTERS}]")
URL_PATH = "/woerterbuch"


@dataclass
class Entry:
    word: str
    explanation: str
    example: str = ""
    forms: list[str] = field(default_factory=list)
    edited: bool = False  # from the editors' area (else the baseline file)
    id: int | None = None

    @property
    def anchor(self) -> str:
        return "wort-" + slug(self.word)

    @property
    def all_forms(self) -> list[str]:
        return list(dict.fromkeys([self.word, *self.forms]))

    @property
    def lines(self) -> list[str]:
        return [line for line in self.explanation.splitlines() if line.strip()]

    @property
    def example_lines(self) -> list[str]:
        return [line for line in self.example.splitlines() if line.strip()]


def slug(word: str) -> str:
    text = word.replace("ß", "ss").replace(MEDIOPUNKT, "-")
    for umlaut, plain in zip("äöüÄÖÜ", ("ae", "oe", "ue", "Ae", "Oe", "Ue"), strict=True):
        text = text.replace(umlaut, plain)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "wort"


def plain_word(word: str) -> str:
    """A word without Mediopunkt and case: "Regional·verband" → "regionalverband"."""
    return word.replace(MEDIOPUNKT, "").casefold()


def baseline_path() -> Path:
    return Path(current_app.config["CONTENT_DIR"]) / "woerterbuch.yaml"


@lru_cache(maxsize=8)
def _read_baseline(path: str, mtime: float) -> tuple[Entry, ...]:
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or []
    entries = []
    for item in data:
        entries.append(
            Entry(
                word=str(item["word"]).strip(),
                explanation=str(item["explanation"]).strip(),
                example=str(item.get("example") or "").strip(),
                forms=[str(form).strip() for form in item.get("forms") or []],
            )
        )
    return tuple(entries)


def baseline() -> list[Entry]:
    path = baseline_path()
    if not path.is_file():
        return []
    return list(_read_baseline(str(path), path.stat().st_mtime))


def split_forms(text: str) -> list[str]:
    return [line.strip() for line in re.split(r"[\n,]", text or "") if line.strip()]


def entries(database: bool = True) -> list[Entry]:
    """All entries, sorted by word; the editors' entries replace baseline ones."""
    found = {plain_word(entry.word): entry for entry in baseline()}
    if database:
        try:
            rows = list(db.session.scalars(select(GlossaryEntry)))
        except SQLAlchemyError:  # the database is down: the baseline still explains
            db.session.rollback()
            rows = []
        for row in rows:
            found[plain_word(row.word)] = Entry(
                word=row.word,
                explanation=row.explanation,
                example=row.example or "",
                forms=split_forms(row.forms),
                edited=True,
                id=row.id,
            )
    return sorted(found.values(), key=lambda e: plain_word(e.word))


def known_words(glossary: list[Entry]) -> set[str]:
    return {plain_word(form) for entry in glossary for form in entry.all_forms}


# --- links on Leichte Sprache pages ------------------------------------------------------


class Linker:
    """Links the first occurrence of each Wörterbuch word on one page (one object per
    rendering). Works on the inline tokens of a block, so HTML stays escaped by markdown-it;
    text inside a link or in a heading is left alone."""

    def __init__(self, glossary: list[Entry], href: str = URL_PATH):
        self.href = href
        self.by_form: dict[str, Entry] = {}
        for entry in glossary:
            for form in entry.all_forms:
                self.by_form.setdefault(form, entry)
        self.used: set[str] = set()
        forms = sorted(self.by_form, key=len, reverse=True)
        self.pattern = (
            re.compile(
                rf"(?<![{LETTERS}{MEDIOPUNKT}\-])("
                + "|".join(re.escape(f) for f in forms)
                + rf")(?![{LETTERS}{MEDIOPUNKT}\-])"
            )
            if forms
            else None
        )

    def __call__(self, children: list[Token], block: str | None) -> list[Token]:
        if self.pattern is None or block == "heading_open":
            return children
        out: list[Token] = []
        depth = 0
        for child in children:
            if child.type == "link_open":
                depth += 1
            elif child.type == "link_close":
                depth -= 1
            if child.type != "text" or depth > 0:
                out.append(child)
                continue
            out += self._split(child.content)
        return out

    def _split(self, text: str) -> list[Token]:
        parts: list[Token] = []
        position = 0
        for match in self.pattern.finditer(text):
            entry = self.by_form[match.group(1)]
            if entry.anchor in self.used:
                continue
            self.used.add(entry.anchor)
            if match.start() > position:
                parts.append(_text(text[position : match.start()]))
            href = f"{self.href}#{entry.anchor}"
            attrs = {"href": href, "class": "woerterbuch-link"}
            parts.append(Token("link_open", "a", 1, attrs=attrs))
            parts.append(_text(match.group(1)))
            parts.append(Token("link_close", "a", -1))
            position = match.end()
        if position < len(text):
            parts.append(_text(text[position:]))
        return parts


def _text(content: str) -> Token:
    return Token("text", "", 0, content=content)


# --- the checker: rare words ---------------------------------------------------------------


@lru_cache(maxsize=16384)
def zipf(word: str) -> float:
    """German Zipf frequency from wordfreq's bundled data (no network)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "de")


def words_of(text: str) -> list[str]:
    """The words of an inline Markdown text (link targets and code left out)."""
    plain = " ".join(t.content for t in parse_inline(text) if t.type == "text")
    return WORD.findall(plain)


def is_rare(word: str) -> bool:
    """Rare: a part of the word (split at the Mediopunkt and the hyphen) below
    :data:`RARE_ZIPF`. Abbreviations and one-letter parts are other rules' business."""
    if word.isupper():
        return False
    parts = [p for p in re.split(rf"[{MEDIOPUNKT}\-]", word) if len(p) > 2]
    return any(zipf(part) < RARE_ZIPF for part in parts)


def explained_on_page(word: str, texts: list[str]) -> bool:
    """Whether a text of the page explains ``word``: "Word ist …", "Word sind …", "Word
    heißt …", "Word bedeutet …" or "Das Wort „Word“ …"."""
    quoted = re.escape(word)
    pattern = re.compile(
        rf"(?<![{LETTERS}]){quoted}\s*:?\s+(?:ist|sind|heißt|heißen|bedeutet|bedeuten)\b"
        rf"|Das Wort\s+[„\"»]?{quoted}",
    )
    return any(pattern.search(text) for text in texts)


def rare_words(text: str, page_texts: list[str] | None = None, glossary=None) -> list[str]:
    """Rare words of ``text`` that neither the page (``page_texts``, ``text`` included) nor
    the Wörterbuch explains, each once, in order."""
    glossary = entries() if glossary is None else glossary
    known = known_words(glossary)
    texts = [text, *(page_texts or [])]
    found = []
    for word in words_of(text):
        if word in found or plain_word(word) in known:
            continue
        if is_rare(word) and not explained_on_page(word, texts):
            found.append(word)
    return found
