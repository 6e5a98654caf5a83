"""Content texts in the visitor's language, for templates and views."""

from __future__ import annotations

from flask import current_app, g, request
from flask_babel import lazy_gettext
from markupsafe import Markup, escape

from .content import ContentStore, Document, plain_text, render_tokens
from .i18n import SOURCE, current_language, get_domain_translations, is_translated


def store() -> ContentStore:
    return current_app.extensions["sozialberichte.content"]


def translate(msgid: str) -> tuple[str, bool]:
    """``(text, translated)``: the text in the current language, or German and ``False``."""
    if not msgid or current_language() == SOURCE:
        return msgid, True
    if not is_translated(msgid):
        return msgid, False
    return get_domain_translations().gettext(msgid), True


def ct(msgid: str) -> Markup:
    """A short content text (title, summary) as HTML, marked German where untranslated."""
    text, translated = translate(msgid)
    # A summary in Leichte Sprache has one sentence on each line.
    html = Markup("<br>\n").join(escape(text).split("\n"))
    if translated:
        return html
    return Markup('<span lang="de">%s</span>') % html


def ct_plain(msgid: str) -> str:
    return translate(msgid)[0]


#: Said at each block shown in German on a page in another language (issue 17, point 7).
UNTRANSLATED_LABEL = lazy_gettext("Dieser Text ist noch nicht übersetzt.")


def render_document(doc: Document) -> Markup:
    """The document's text, a block shown in German framed and labelled; in Leichte Sprache
    with its Wörterbuch links and, at its end, the note of the Prüfgruppe's check
    (:mod:`webapp.leichte_sprache`)."""
    label = str(UNTRANSLATED_LABEL) if current_language() != SOURCE else ""
    hooks = current_app.extensions.get("sozialberichte.ls_rendering")
    if hooks is None or current_language().code != "de@ls":
        return render_tokens(
            doc.tokens, translate, prefix=request.script_root, untranslated_label=label
        )
    linker, note = hooks(doc)
    body = render_tokens(
        doc.tokens,
        translate,
        prefix=request.script_root,
        untranslated_label=label,
        inline_hook=linker,
    )
    return body + note


def document_text(doc: Document) -> str:
    return plain_text(doc.tokens, translate)


def untranslated(doc: Document) -> list[str]:
    """The texts of ``doc`` that the current language lacks (empty for German)."""
    if current_language() == SOURCE:
        return []
    return [m for m in doc.msgids() if not is_translated(m)]


def note_untranslated(*docs: Document) -> None:
    """Remember for the layout that parts of this page are shown in German."""
    missing = [m for doc in docs if doc for m in untranslated(doc)]
    if missing:
        g.untranslated = True
