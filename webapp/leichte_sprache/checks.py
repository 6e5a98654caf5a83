"""The Wörterbuch's rule of the Leichte Sprache checker: a rare word that neither the page
nor the Wörterbuch explains (:func:`.woerterbuch.rare_words`). Called by the editors' checks
(:func:`webapp.editor.checks.check_entry`) for every Leichte Sprache entry, and counted per
page in the Prüfung overview."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext
from markupsafe import Markup

from ..texts import store
from . import pruefung, woerterbuch


def page_texts(entry, draft: str) -> list[str]:
    """The other Leichte Sprache texts of the pages that show ``entry`` (with ``draft`` in
    place of the entry's own text): where a word may already be explained."""
    docs = {doc.source: doc for doc in store().documents.values()}
    texts = []
    for name in entry.files:
        doc = docs.get(name)
        if doc is None:
            continue
        for msgid, text in pruefung.ls_texts(doc):
            if msgid != entry.msgid and text:
                texts.append(text)
    return texts


def rare_word_problems(entry, text: str) -> list:
    from ..editor.checks import WARNING, Problem

    problems = []
    glossary = woerterbuch.entries()
    for word in woerterbuch.rare_words(text, page_texts(entry, text), glossary):
        problems.append(
            Problem(
                WARNING,
                "woerterbuch",
                gettext(
                    "Seltenes Wort, nirgends erklärt: „%(word)s“. Erklären Sie es auf der "
                    "Seite oder im Wörterbuch.",
                    word=word,
                ),
                # A link (the editors' page shows suggestions as HTML-escaped text otherwise).
                suggestion=Markup('<a href="%s">%s</a>')
                % (
                    url_for("editor.woerterbuch_edit", neu=word),
                    gettext("„%(word)s“ in das Wörterbuch aufnehmen", word=word),
                ),
            )
        )
    return problems


def page_findings(doc, glossary=None) -> int:
    """How many findings the Leichte Sprache checker and the Wörterbuch rule have on the
    page's translated texts."""
    from ..i18n.leichte_sprache import check

    glossary = woerterbuch.entries() if glossary is None else glossary
    texts = [text for _msgid, text in pruefung.ls_texts(doc) if text]
    count = 0
    for text in texts:
        count += len(check(text))
        count += len(woerterbuch.rare_words(text, texts, glossary))
    return count
