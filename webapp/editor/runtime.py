"""What every process serves: the compiled ``.mo`` files with the editors' overrides from
the database laid on top, reloaded when the catalog revision in the database changes.

Each process remembers the revision it loaded and asks the database for the current one at
most once per ``CATALOG_CHECK_SECONDS`` (default 1 s), in a ``before_request``; on a change
it drops its catalog cache. So every worker of every instance sharing the database serves
an editor's change within a second or two, without a restart. The loaded revision is
``app.extensions["sozialberichte.catalog_revision"]``: a cache of rendered pages must
include it in its key.
"""

from __future__ import annotations

import logging
import threading
import time
from io import BytesIO

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import NullTranslations, Translations
from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from ..db import db
from ..i18n import reload_catalogs
from .models import CatalogRevision, TranslationOverride

log = logging.getLogger(__name__)

REVISION_KEY = "sozialberichte.catalog_revision"
OVERRIDES_KEY = "sozialberichte.catalog_overrides"
REFRESH_KEY = "sozialberichte.catalog_refresh"
STATE_KEY = "sozialberichte.catalog_check"


def _empty_translations(code: str) -> Translations:
    buffer = BytesIO()
    write_mo(buffer, Catalog(locale=code, fuzzy=False))
    buffer.seek(0)
    return Translations(buffer)


def override_rows(app: Flask, code: str) -> list[tuple]:
    """``(msgctxt, msgid, msgid_plural, msgstr, fuzzy)`` of every override of ``code``."""
    table = TranslationOverride.__table__
    query = select(
        table.c.msgctxt, table.c.msgid, table.c.msgid_plural, table.c.msgstr, table.c.fuzzy
    ).where(table.c.locale == code)
    try:
        with db.engine.connect() as connection:
            return list(connection.execute(query))
    except SQLAlchemyError:
        log.warning("translation overrides unavailable; serving the catalog files only")
        return []


def apply_overrides(app: Flask, code: str, catalog: NullTranslations) -> NullTranslations:
    """``load_catalog`` hook: lay the database overrides for ``code`` over its ``.mo``."""
    rows = override_rows(app, code)
    if not rows:
        return catalog
    if not isinstance(catalog, Translations):
        catalog = _empty_translations(code)
    messages = catalog._catalog
    for msgctxt, msgid, msgid_plural, msgstr, fuzzy in rows:
        base = f"{msgctxt}\x04{msgid}" if msgctxt else msgid
        # A row not in the shape a save writes (no text, not a list of strings) is left out:
        # the page shows German rather than failing.
        well_formed = isinstance(msgstr, list) and all(isinstance(t, str) for t in msgstr)
        if not well_formed:
            log.error("%s translation override of %r is malformed: %r", code, msgid, msgstr)
            msgstr = []
        usable = not fuzzy and bool(msgstr) and all(msgstr)
        if msgid_plural is None:
            messages.pop(base, None)
            if usable:
                messages[base] = msgstr[0]
        else:
            for index in range(max(len(msgstr), 2)):
                messages.pop((base, index), None)
            if usable:
                for index, text in enumerate(msgstr):
                    messages[(base, index)] = text
    return catalog


def current_revision() -> int | None:
    """The revision in the database (``None`` when it cannot be read)."""
    try:
        with db.engine.connect() as connection:
            value = connection.execute(
                select(CatalogRevision.__table__.c.revision).where(
                    CatalogRevision.__table__.c.id == 1
                )
            ).scalar()
    except SQLAlchemyError:
        return None
    return int(value or 0)


def bump_revision() -> None:
    """Raise the revision inside the caller's transaction (the row lock orders writers)."""
    result = db.session.execute(
        update(CatalogRevision)
        .where(CatalogRevision.id == 1)
        .values(revision=CatalogRevision.revision + 1)
    )
    if result.rowcount == 0:
        db.session.add(CatalogRevision(id=1, revision=1))
        db.session.flush()


class RevisionCheck:
    def __init__(self, interval: float):
        self.interval = interval
        self.checked_at = float("-inf")
        self.lock = threading.Lock()


def refresh(app: Flask, force: bool = False) -> None:
    """Reload the catalogs when another process (or this one) changed the translations."""
    state: RevisionCheck = app.extensions[STATE_KEY]
    now = time.monotonic()
    if not force and now - state.checked_at < state.interval:
        return
    with state.lock:
        if not force and now - state.checked_at < state.interval:
            return
        state.checked_at = now
        revision = current_revision()
        if revision is None or revision == app.extensions.get(REVISION_KEY):
            return
        # Read the revision first, then drop the cache: what is loaded next is at least
        # as new as the revision remembered for it.
        reload_catalogs(app)
        app.extensions[REVISION_KEY] = revision


def init_app(app: Flask) -> None:
    app.extensions[OVERRIDES_KEY] = apply_overrides
    app.extensions[REFRESH_KEY] = refresh
    app.extensions[STATE_KEY] = RevisionCheck(float(app.config.get("CATALOG_CHECK_SECONDS", 1)))
    app.extensions.setdefault(REVISION_KEY, None)
