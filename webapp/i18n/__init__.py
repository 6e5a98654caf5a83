"""Languages of the portal: German (source), Leichte Sprache (``de@ls``) and English.

The language comes from the URL prefix alone (``/``, ``/leichte-sprache/…``, ``/en/…``).
:class:`LocalePrefixMiddleware` moves a known prefix from ``PATH_INFO`` to ``SCRIPT_NAME``,
so every route is defined once and ``url_for`` builds links inside the visitor's language.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property

from babel.support import NullTranslations, Translations
from flask import Flask, current_app, g, request
from flask_babel import Babel, Domain, get_domain, get_locale


@dataclass(frozen=True)
class Language:
    code: str  # gettext locale, e.g. "de@ls"
    prefix: str  # URL prefix, "" for German
    html_lang: str  # value for <html lang>; "@" is not valid there
    hreflang: str | None  # for <link rel="alternate">; Leichte Sprache has no code of its own
    name: str  # the language's name in itself


LANGUAGES: tuple[Language, ...] = (
    Language("de", "", "de", "de", "Deutsch"),
    Language("de@ls", "/leichte-sprache", "de", None, "Leichte Sprache"),
    Language("en", "/en", "en", "en", "English"),
)
BY_CODE = {lang.code: lang for lang in LANGUAGES}
BY_PREFIX = {lang.prefix: lang for lang in LANGUAGES if lang.prefix}
SOURCE = LANGUAGES[0]
ENVIRON_KEY = "sozialberichte.language"


class LocalePrefixMiddleware:
    """WSGI middleware: ``/en/kontakt`` is served as ``/kontakt`` with ``SCRIPT_NAME=/en``."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "") or "/"
        language = SOURCE
        for prefix, lang in BY_PREFIX.items():
            if path == prefix or path.startswith(prefix + "/"):
                language = lang
                environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + prefix
                environ["PATH_INFO"] = path[len(prefix) :] or "/"
                break
        environ[ENVIRON_KEY] = language.code
        return self.wsgi_app(environ, start_response)


def current_language() -> Language:
    code = request.environ.get(ENVIRON_KEY, SOURCE.code) if request else SOURCE.code
    return BY_CODE.get(code, SOURCE)


def select_locale() -> str:
    return current_language().code


class FallbackDomain(Domain):
    """Loads ``de@ls`` with the German catalog chained behind it.

    Catalogs are cached per locale in the app; :func:`reload_catalogs` drops the cache
    (e.g. after an editor saved a translation) without a restart.
    """

    def get_translations(self):
        try:
            app = current_app._get_current_object()
        except RuntimeError:
            return NullTranslations()
        code = str(get_locale() or SOURCE.code)
        cache = app.extensions.setdefault("sozialberichte.catalogs", {})
        translations = cache.get(code)
        if translations is None:
            translations = load_catalog(app, code)
            cache[code] = translations
        return translations


def load_catalog(app: Flask, code: str) -> NullTranslations:
    """The compiled catalog for ``code`` with its fallbacks (``de@ls`` → ``de``)."""
    directory = os.path.join(app.root_path, "..", "translations")
    chain = [code]
    if code != SOURCE.code and code.split("@")[0] == SOURCE.code:
        chain.append(SOURCE.code)
    translations = None
    for locale in chain:
        # Read the file afresh (gettext.translation() caches by path, and an edited
        # catalog must be seen at once).
        catalog = Translations.load(directory, [locale], "messages")
        if not isinstance(catalog, Translations):
            continue
        if translations is None:
            translations = catalog
        else:
            translations.add_fallback(catalog)
    return translations or NullTranslations()


class PortalBabel(Babel):
    """Flask-Babel with :class:`FallbackDomain` as its domain."""

    @cached_property
    def domain_instance(self):
        return FallbackDomain()


def reload_catalogs(app: Flask) -> None:
    app.extensions["sozialberichte.catalogs"] = {}


def is_translated(msgid: str) -> bool:
    """Whether ``msgid`` has a (non-fuzzy) translation in the current language's catalogs."""
    language = current_language()
    if language.code == SOURCE.code or not msgid:
        return True
    catalog = get_domain_translations()
    while catalog is not None:
        messages = getattr(catalog, "_catalog", None)
        if messages and msgid in messages:
            return True
        catalog = getattr(catalog, "_fallback", None)
    return False


def get_domain_translations():
    return get_domain().get_translations()


def language_links() -> list[dict]:
    """The current page in every language, for the language switch."""
    here = request.path  # without the language prefix
    query = request.query_string.decode("latin-1")
    links = []
    for lang in LANGUAGES:
        href = (lang.prefix + here) if lang.prefix else here
        if query:
            href += "?" + query
        links.append({"language": lang, "href": href, "current": lang == current_language()})
    return links


def init_app(app: Flask) -> None:
    app.wsgi_app = LocalePrefixMiddleware(app.wsgi_app)
    PortalBabel(
        app,
        locale_selector=select_locale,
        default_locale=SOURCE.code,
        default_timezone="Europe/Berlin",
    )

    @app.before_request
    def _remember_language():
        g.language = current_language()

    @app.context_processor
    def _language_context():
        return {"language": current_language(), "languages": LANGUAGES}
