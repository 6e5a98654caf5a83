"""Leichte Sprache that its readers have checked (issue 17): the Prüfung of pages by a
Prüfgruppe (:mod:`.pruefung`, editors' views in :mod:`.editor_views`), the honest state for
visitors, and the Wörterbuch of hard words (:mod:`.woerterbuch`, public page in
:mod:`.views`).

Hooks into shared code: :func:`webapp.texts.render_document` calls :func:`rendering` (the
Wörterbuch links, the note "Geprüft von … am …" at the end of a checked page, the counts in
the accessibility statement); :func:`webapp.editor.checks.check_entry` calls
:func:`checks.rare_word_problems`.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app, render_template
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError

from ..db import db

log = logging.getLogger(__name__)
RENDERING_KEY = "sozialberichte.ls_rendering"
#: The accessibility statement: it counts checked and unchecked Leichte Sprache pages.
STATEMENT_PATH = "/barrierefreiheit"


def rendering(doc):
    """``(inline_hook, suffix)`` for :func:`webapp.texts.render_document` in Leichte
    Sprache. Without the database the page still renders: no check note (nothing false is
    said) and the Wörterbuch of the repository."""
    from . import pruefung, woerterbuch

    try:
        glossary = woerterbuch.entries()
        state = pruefung.effective(doc)
    except SQLAlchemyError:
        log.warning("Leichte Sprache: check state unavailable for %s", doc.path)
        db.session.rollback()
        return woerterbuch.Linker(woerterbuch.entries(database=False)), Markup("")
    note = Markup("")
    if state.checked:
        note = Markup(render_template("leichte_sprache/_geprueft.html", state=state))  # noqa: S704
    return woerterbuch.Linker(glossary), note


def statement_counts() -> dict | None:
    """Checked and unchecked Leichte Sprache pages, for the accessibility statement."""
    from ..texts import store
    from . import pruefung

    docs = list(store().documents.values())
    try:
        states = pruefung.all_states(docs)
    except SQLAlchemyError:
        db.session.rollback()
        return None
    checked = sum(state.checked for state in states.values())
    return {"checked": checked, "unchecked": len(docs) - checked, "total": len(docs)}


def sentence_html(text: str) -> Markup:
    """A sentence of the Prüf-Ansicht as it reads on the page (bold and so on), links as
    their text (the session is about the words; a link there would lead away)."""
    from ..content import MD, parse_inline

    children = [t for t in parse_inline(text) if t.type not in ("link_open", "link_close")]
    return Markup(MD.renderer.renderInline(children, MD.options, {}))  # noqa: S704 - escaped


def init_app(app: Flask) -> None:
    from . import models, views  # noqa: F401 - the tables and the public Wörterbuch page

    app.extensions[RENDERING_KEY] = rendering
    app.register_blueprint(views.bp)

    app.jinja_env.filters["ls_sentence"] = sentence_html

    @app.context_processor
    def _leichte_sprache_context():
        return {"ls_statement_counts": statement_counts, "ls_statement_path": STATEMENT_PATH}


def bump() -> None:
    """A change visitors see (a check state, a Wörterbuch entry): every process drops its
    rendered pages (the page cache keys on the editors' catalog revision)."""
    from ..editor.runtime import bump_revision, refresh

    bump_revision()
    db.session.commit()
    refresh(current_app._get_current_object(), force=True)
