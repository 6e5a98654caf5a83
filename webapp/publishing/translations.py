"""How far a German document is translated: the one hook between publishing and the
translation catalogs (which are being restructured: keep this the only place that asks).

A block (title, summary, paragraph, heading, list item …) counts as translated for a language
when the language's own catalog — ``.po`` plus the browser's overrides — has it; a new or
changed German block is not in it, so the Leichte Sprache and English pages show it in
German, marked ``lang="de"``, with the notice (:func:`webapp.texts.untranslated`).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import force_locale

from ..content import Document
from ..editor.catalog import EDITABLE, SLUGS, language_name
from ..i18n import get_domain_translations


@dataclass
class LanguageStatus:
    code: str
    slug: str
    name: str
    total: int
    missing: list[str]

    @property
    def complete(self) -> bool:
        return not self.missing


def translation_status(doc: Document) -> list[LanguageStatus]:
    """Per editable language: how many of the document's German blocks lack a translation."""
    blocks = doc.msgids()
    found = []
    for code in EDITABLE:
        with force_locale(code):
            messages = getattr(get_domain_translations(), "_catalog", None) or {}
            missing = [m for m in blocks if m not in messages]
            name = str(language_name(code))
        found.append(LanguageStatus(code, SLUGS[code], name, len(blocks), missing))
    return found
