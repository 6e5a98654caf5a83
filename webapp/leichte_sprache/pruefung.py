"""The check of Leichte Sprache pages by a Prüfgruppe (people of the target group, led by a
Prüf-Assistenz), as the Netzwerk Leichte Sprache and DIN SPEC 33429 ask.

A page (content document) is *nicht geprüft*, *in Prüfung* or *geprüft*. *Geprüft* holds
only while the page's Leichte Sprache texts are the ones that were checked: the state stores
a hash of those texts (:func:`text_hash`, computed from the catalog the visitors are served,
whatever files it comes from), and a page whose texts changed since counts as *nicht geprüft*
again (:func:`effective`) — nobody has to remember to reset it.

The test session works on sentences (:func:`sentences`): each block's text split into one
sentence per line. A mark "nicht verstanden" flags its entry until the entry's text changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from ..content import Document
from ..db import db
from ..editor.catalog import entry_key
from ..i18n import get_domain_translations
from .models import GEPRUEFT, IN_PRUEFUNG, NICHT_GEPRUEFT, NICHT_VERSTANDEN, CheckMark, PageCheck

LOCALE = "de@ls"
#: A sentence ends at . ! ? : followed by a blank (Leichte Sprache has one per line anyway).
SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=\S)")


def ls_texts(doc: Document) -> list[tuple[str, str | None]]:
    """``(msgid, Leichte Sprache text or None)`` for every text of ``doc``, as visitors get
    them now (the compiled catalogs with the editors' saved translations on top)."""
    with force_locale(LOCALE):
        messages = getattr(get_domain_translations(), "_catalog", None) or {}
        return [(msgid, messages.get(msgid)) for msgid in doc.msgids()]


def text_hash(doc: Document) -> str:
    payload = json.dumps(ls_texts(doc), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def current_hash(doc: Document) -> str:
    """:func:`text_hash`, remembered while the loaded Leichte Sprache catalog is the same
    object (an editor's save reloads the catalogs, and so the hashes)."""
    with force_locale(LOCALE):
        translations = get_domain_translations()
    memo = current_app.extensions.setdefault("sozialberichte.ls_hashes", {})
    cached = memo.get(doc.path)
    if cached is not None and cached[0] is translations:
        return cached[1]
    value = text_hash(doc)
    memo[doc.path] = (translations, value)
    return value


@dataclass
class State:
    state: str
    group: str | None = None
    checked_on: dt.date | None = None
    #: Was geprüft, but a text changed since: shown to editors as the reason.
    outdated: bool = False

    @property
    def checked(self) -> bool:
        return self.state == GEPRUEFT


def row_for(path: str) -> PageCheck | None:
    return db.session.scalar(select(PageCheck).where(PageCheck.path == path))


def effective(doc: Document, row: PageCheck | None = None, lookup: bool = True) -> State:
    """The state that holds now: *geprüft* turns back into *nicht geprüft* when a Leichte
    Sprache text of the page changed since the check."""
    if row is None and lookup:
        row = row_for(doc.path)
    if row is None or row.state == NICHT_GEPRUEFT:
        return State(NICHT_GEPRUEFT)
    if row.state == GEPRUEFT:
        if row.text_hash != current_hash(doc):
            return State(NICHT_GEPRUEFT, outdated=True)
        return State(GEPRUEFT, row.group_name, row.checked_on)
    return State(IN_PRUEFUNG, row.group_name)


def all_states(docs) -> dict[str, State]:
    rows = {row.path: row for row in db.session.scalars(select(PageCheck))}
    return {doc.path: effective(doc, rows.get(doc.path), lookup=False) for doc in docs}


def split_sentences(text: str) -> list[str]:
    """One sentence per item: the lines of the text, each split after . ! ? or :."""
    found = []
    for line in text.splitlines():
        line = line.rstrip().removesuffix("\\").rstrip()  # Markdown's hard break: "\" + newline
        found += [part.strip() for part in SENTENCE_END.split(line) if part.strip()]
    return found


@dataclass
class Sentence:
    key: str  # entry key of the German msgid
    msgid: str
    index: int  # position within the entry's text
    text: str
    block: str  # "heading", "paragraph", "list", "table" or "meta"
    entry_text: str
    mark: CheckMark | None = None


def _blocks(doc: Document) -> dict[str, str]:
    """The kind of block each msgid of ``doc`` stands in."""
    kinds: dict[str, str] = {}
    for msgid in doc.msgids():
        kinds.setdefault(msgid, "meta")
    stack: list[str] = []
    for token in doc.tokens:
        if token.nesting == 1:
            stack.append(token.type)
        elif token.nesting == -1 and stack:
            stack.pop()
        if token.type == "inline" and token.content:
            kind = "paragraph"
            if "heading_open" in stack:
                kind = "heading"
            elif "bullet_list_open" in stack or "ordered_list_open" in stack:
                kind = "list"
            elif "table_open" in stack:
                kind = "table"
            kinds[token.content] = kind
    return kinds


def sentences(doc: Document) -> list[Sentence]:
    """Every translated sentence of the page in reading order, with the marks given so far
    (a mark counts only while its entry's text is the one that was marked)."""
    marks = {
        (m.key, m.sentence): m
        for m in db.session.scalars(select(CheckMark).where(CheckMark.path == doc.path))
    }
    kinds = _blocks(doc)
    found = []
    for msgid, text in ls_texts(doc):
        if not text:
            continue
        key = entry_key(msgid)
        for index, sentence in enumerate(split_sentences(text)):
            mark = marks.get((key, index))
            if mark is not None and mark.text != text:
                mark = None  # the entry was revised since
            kind = kinds.get(msgid, "meta")
            found.append(Sentence(key, msgid, index, sentence, kind, text, mark))
    return found


def open_problems(doc: Document) -> list[Sentence]:
    """Sentences marked "nicht verstanden" whose entry was not revised since."""
    return [s for s in sentences(doc) if s.mark is not None and s.mark.mark == NICHT_VERSTANDEN]


def marks_for_entry(msgid: str) -> list[CheckMark]:
    """Current marks of an entry (any page): what the editor sees next to the entry."""
    key = entry_key(msgid)
    rows = db.session.scalars(
        select(CheckMark).where(CheckMark.key == key).order_by(CheckMark.path, CheckMark.sentence)
    )
    with force_locale(LOCALE):
        messages = getattr(get_domain_translations(), "_catalog", None) or {}
        current = messages.get(msgid)
    return [row for row in rows if row.text == current and (row.mark or row.note)]
