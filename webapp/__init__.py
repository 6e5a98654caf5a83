"""Sozialberichte NRW: the accessible portal of social reporting in North Rhine-Westphalia."""

from __future__ import annotations

import gc
from pathlib import Path

from flask import Flask
from sqlalchemy.orm import configure_mappers

from . import config as default_config
from . import db, display, errors, i18n, mediopunkt, templating
from .config import as_bool
from .content import ContentStore
from .lean import PortalFlask


def create_app(config: dict | None = None) -> Flask:
    app = PortalFlask(__name__, template_folder="../templates", static_folder="../static")
    app.config.from_mapping(default_config.DEFAULTS)
    app.config.from_mapping(default_config.from_environment())
    if config:
        app.config.from_mapping(config)

    app.extensions["sozialberichte.content"] = ContentStore(Path(app.config["CONTENT_DIR"]))
    app.jinja_env.trim_blocks = False
    app.jinja_env.lstrip_blocks = False

    db.init_app(app)
    i18n.init_app(app)
    templating.init_app(app)
    errors.init_app(app)
    display.init_app(app)
    mediopunkt.init_app(app)  # every HTML answer: the Mediopunkt for the eye only

    from . import downloads, editor, forms, fragments, leichte_sprache, search
    from .views import feeds, pages

    forms.init_app(app)
    editor.init_app(app)  # the editors' area at /redaktion/
    fragments.init_app(app)
    search.init_app(app)  # the search blueprint and its index, built from the content
    leichte_sprache.init_app(app)  # Prüfung and Wörterbuch of Leichte Sprache (issue 17)
    downloads.init_app(app)  # uploaded documents at /dokumente/<slug>
    from . import publishing

    publishing.init_app(app)  # browser-made German documents over content/ (before caching)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(pages.bp)  # last: its catch-all route serves content paths

    from . import assets, caching, compression, input_encoding, security

    input_encoding.init_app(app)  # form fields must be UTF-8 (a 400 before any view)

    assets.init_app(app)
    compression.init_app(app)
    caching.init_app(app)  # after display and i18n: the page cache's key depends on them
    security.init_app(app)  # keep last: its middlewares wrap all others
    templating.compile_templates_once(app)  # when every filter is there (shared files)
    # Once per process, before it serves: else about 30 ms of its first request.
    configure_mappers()
    if as_bool(app.config.get("GC_FREEZE", True)):
        # What is made at start lives as long as the process (parsed documents, catalogs,
        # templates): a full collection walked all of it in some request — 215 ms of the
        # first search at 8,000 news. Collected once here, then left out of every later one.
        gc.collect()
        gc.freeze()
    return app
