"""Languages of the portal: German (source), Leichte Sprache (``de@ls``) and English.

The language comes from the URL prefix alone (``/``, ``/leichte-sprache/…``, ``/en/…``).
:class:`LocalePrefixMiddleware` moves a known prefix from ``PATH_INFO`` to ``SCRIPT_NAME``,
so every route is defined once and ``url_for`` builds links inside the visitor's language.

Catalogs: ``translations/<locale>/LC_MESSAGES/messages.mo`` (interface) and ``content.mo``
(every document's catalog, see :mod:`webapp.i18n.catalogs`), built by ``make catalogs``,
``de@ls`` with the German catalog behind it. Content blocks are checked with
:func:`is_translated` and shown in German, marked ``lang="de"``, where the language's own
catalog lacks them (fuzzy entries are not compiled, so they count as missing). An interface
string without translation ends in :class:`MissingTranslation`: German text, a log line, and
the layout's notice that parts of the page are not translated yet.
A translation that does not fit its variables (a stray percent sign, an unknown placeholder)
is shown in German the same way, logged as an error (:mod:`webapp.i18n.formatting`).

Also here: the language switch's links (:func:`language_links`), ``<link rel="alternate"
hreflang>`` (:func:`alternate_links`), the English offer on the German start page
(:func:`language_offer`), and ``flask translations …`` (:mod:`webapp.i18n.cli`).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from functools import cached_property, lru_cache

from babel.support import NullTranslations, Translations
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import Babel, force_locale, get_domain, get_locale, lazy_gettext
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from ..lean import add_vary
from ..links import current_query, site_path
from .formatting import SafeFormattingDomain, forget_reports, install_jinja_callables


@dataclass(frozen=True)
class Language:
    code: str  # gettext locale, e.g. "de@ls"
    prefix: str  # URL prefix, "" for German
    html_lang: str  # value for <html lang>; "@" is not valid there
    hreflang: str | None  # for <link rel="alternate">; Leichte Sprache has no code of its own
    name: str  # the language's name in itself
    format_locale: str | None = None  # Babel locale for dates if not the catalog's (en_GB)


LANGUAGES: tuple[Language, ...] = (
    Language("de", "", "de", "de", "Deutsch"),
    Language("de@ls", "/leichte-sprache", "de", None, "Leichte Sprache"),
    # British English (issue 17): "12 November 2024"; catalog and URL stay "en".
    Language("en", "/en", "en", "en", "English", format_locale="en_GB"),
)
BY_CODE = {lang.code: lang for lang in LANGUAGES}
BY_PREFIX = {lang.prefix: lang for lang in LANGUAGES if lang.prefix}
SOURCE = LANGUAGES[0]
#: Class on <html> of Leichte Sprache pages: larger text, no hyphenation, no italics.
LEICHTE_SPRACHE_CLASS = "leichte-sprache"
ENVIRON_KEY = "sozialberichte.language"

log = logging.getLogger(__name__)


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


def format_date(value, format: str = "long") -> str:
    """A date (or a datetime, in the portal's time zone) in the visitor's language, with the
    language's :attr:`Language.format_locale` (British dates on English pages)."""
    from babel.dates import format_date as babel_format_date
    from flask_babel import format_date as flask_format_date
    from flask_babel import to_user_timezone

    language = current_language() if has_request_context() else SOURCE
    if language.format_locale is None:
        return flask_format_date(value, format=format)
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        value = to_user_timezone(value)
    return babel_format_date(value, format=format, locale=language.format_locale)


class FallbackDomain(SafeFormattingDomain):
    """Loads ``de@ls`` with the German catalog chained behind it.

    Catalogs are cached per locale in the app; :func:`reload_catalogs` drops the cache
    (e.g. after an editor saved a translation) without a restart. Formatting with variables
    (:mod:`webapp.i18n.formatting`) shows German where a translation does not fit them.
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
            if code != SOURCE.code:
                _last_in_chain(translations).add_fallback(MissingTranslation())
            cache[code] = translations
        return translations


def _last_in_chain(translations: NullTranslations) -> NullTranslations:
    while getattr(translations, "_fallback", None) is not None:
        translations = translations._fallback
    return translations


class MissingTranslation(NullTranslations):
    """The end of every non-German catalog chain: an interface string without translation.

    It returns the German text (gettext's own behaviour), logs the gap once per text and
    notes it for the layout, which then says that parts of the page are not translated yet.
    Content blocks never get here: they are checked with :func:`is_translated` first and
    marked ``lang="de"`` where German is shown.
    """

    reported: set[tuple[str, str]] = set()

    def _missing(self, message: str) -> None:
        if not message or not has_request_context():
            return
        g.untranslated = True
        key = (current_language().code, message)
        if key not in self.reported:
            self.reported.add(key)
            log.warning("no %s translation for %r", key[0], message[:80])

    def gettext(self, message):
        self._missing(message)
        return message

    def ngettext(self, msgid1, msgid2, n):
        self._missing(msgid1)
        return msgid1 if n == 1 else msgid2

    def pgettext(self, context, message):
        self._missing(message)
        return message

    def npgettext(self, context, msgid1, msgid2, n):
        self._missing(msgid1)
        return msgid1 if n == 1 else msgid2

    ugettext = gettext
    ungettext = ngettext
    upgettext = pgettext
    unpgettext = npgettext


def translations_dir(app: Flask) -> str:
    """``TRANSLATIONS_DIR`` from the config, by default ``translations/`` of the project."""
    default = os.path.join(app.root_path, "..", "translations")
    return app.config.get("TRANSLATIONS_DIR") or default


def load_catalog(app: Flask, code: str) -> NullTranslations:
    """The compiled catalog for ``code`` with its fallbacks (``de@ls`` → ``de``)."""
    directory = translations_dir(app)
    chain = [code]
    if code != SOURCE.code and code.split("@")[0] == SOURCE.code:
        chain.append(SOURCE.code)
    translations = None
    for locale in chain:
        # Read the file afresh (gettext.translation() caches by path, and an edited
        # catalog must be seen at once).
        catalog = Translations.load(directory, [locale], "messages")
        # The texts of the content documents: one catalog per document, compiled into one
        # ``content.mo`` per language (webapp/i18n/catalogs.py).
        content = Translations.load(directory, [locale], "content")
        if isinstance(content, Translations):
            if isinstance(catalog, Translations):
                catalog._catalog.update(content._catalog)
            else:
                catalog = content
        # Translations saved in the editors' area (webapp/editor/runtime.py) lie on top.
        overrides = app.extensions.get("sozialberichte.catalog_overrides")
        if overrides is not None:
            catalog = overrides(app, locale, catalog)
        if not isinstance(catalog, Translations):
            continue
        if translations is None:
            translations = catalog
        else:
            translations.add_fallback(catalog)
    return translations or NullTranslations()


class PortalBabel(Babel):
    """Flask-Babel with :class:`FallbackDomain` as its domain, and templates that format
    their texts the same safe way (:func:`~webapp.i18n.formatting.install_jinja_callables`)."""

    @cached_property
    def domain_instance(self):
        return FallbackDomain()

    def init_app(self, app, *args, **kwargs):
        super().init_app(app, *args, **kwargs)
        install_jinja_callables(app.jinja_env)


def reload_catalogs(app: Flask) -> None:
    app.extensions["sozialberichte.catalogs"] = {}
    forget_reports(app)


def is_translated(msgid: str) -> bool:
    """Whether ``msgid`` has a (non-fuzzy) translation in the current language's catalogs."""
    language = current_language()
    if language.code == SOURCE.code or not msgid:
        return True
    # Only the language's own catalog counts: German from the fallback is still German.
    messages = getattr(get_domain_translations(), "_catalog", None)
    return bool(messages) and msgid in messages


def get_domain_translations():
    return get_domain().get_translations()


def language_links() -> list[dict]:
    """The current page in every language, for the language switch."""
    current = current_language()
    base = request.script_root.removesuffix(current.prefix) if current.prefix else None
    base = request.script_root if base is None else base
    here = request.path  # without the language prefix, decoded: encoded again by site_path
    query = current_query()
    links = []
    for lang in LANGUAGES:
        href = site_path(here, query, prefix=base + lang.prefix)
        links.append({"language": lang, "href": href, "current": lang == current})
    return links


def alternate_links() -> list[dict]:
    """``<link rel="alternate" hreflang>`` targets: absolute URLs of the page in ``de``, ``en``
    and ``x-default`` (German, the source). Leichte Sprache has no language code of its own."""
    host = request.host_url.rstrip("/")
    found = [
        {"hreflang": link["language"].hreflang, "href": host + link["href"]}
        for link in language_links()
        if link["language"].hreflang
    ]
    found += [{"hreflang": "x-default", "href": f["href"]} for f in found[:1]]
    return found


#: Shown on the German start page to a browser that prefers English (no redirect).
OFFER_LANGUAGE = BY_CODE["en"]
OFFER_TEXT = lazy_gettext("Diese Seite gibt es auch auf Englisch.")


def offered_language() -> Language | None:
    """The language offered on this page: English on the German start page when the browser
    prefers English over German, else ``None``. The page cache's key uses it too."""
    return offered_language_in(request.environ)


def offered_language_in(environ: dict) -> Language | None:
    """:func:`offered_language` of a request's WSGI environ: the one decision for the views
    and the page cache's key (``webapp/caching.py``, also before Flask's request exists)."""
    if environ.get(ENVIRON_KEY, SOURCE.code) != SOURCE.code:
        return None
    if environ.get("PATH_INFO", "/") not in ("/", ""):
        return None
    return offered_language_for(environ.get("HTTP_ACCEPT_LANGUAGE"))


def offered_language_for(accept_language: str | None) -> Language | None:
    """The offer the German start page makes to a browser with this ``Accept-Language``."""
    return _offer_for(accept_language)


_HREFLANGS = [lang.hreflang for lang in LANGUAGES if lang.hreflang]


@lru_cache(maxsize=256)
def _offer_for(accept_language: str | None) -> Language | None:
    """Per ``Accept-Language`` value, parsed once: what ``request.accept_languages`` gives."""
    accept = parse_accept_header(accept_language, LanguageAccept)
    if accept.best_match(_HREFLANGS) != OFFER_LANGUAGE.hreflang:
        return None
    return OFFER_LANGUAGE


def language_offer() -> dict | None:
    """The English version of the start page, offered when the browser prefers English.

    The URL alone chooses the language: the offer is a notice with a link, never a redirect,
    and only on the German start page, where the visitor has not picked a language yet.
    """
    if offered_language() is None:
        return None
    with force_locale(OFFER_LANGUAGE.code):
        text = str(OFFER_TEXT)
    href = next(link["href"] for link in language_links() if link["language"] == OFFER_LANGUAGE)
    return {"language": OFFER_LANGUAGE, "href": href, "text": text}


def init_app(app: Flask) -> None:
    from .cli import translations_cli

    app.cli.add_command(translations_cli)
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
        if g.language.code == "de@ls":  # typography of Leichte Sprache (static/css/portal.css)
            classes = getattr(g, "html_classes", None)
            if classes is None:
                classes = g.html_classes = []
            if isinstance(classes, set):
                classes.add(LEICHTE_SPRACHE_CLASS)
            else:
                classes.append(LEICHTE_SPRACHE_CLASS)
        # Reload the catalogs when an editor changed a translation (webapp/editor/runtime.py).
        refresh = app.extensions.get("sozialberichte.catalog_refresh")
        if refresh is not None:
            refresh(app)

    @app.after_request
    def _vary_on_offer(response):
        if request.path == "/" and current_language() == SOURCE:
            add_vary(response, "Accept-Language")
        return response

    @app.context_processor
    def _language_context():
        return {
            "language": current_language(),
            "languages": LANGUAGES,
            "language_links": language_links,
            "alternate_links": alternate_links,
            "language_offer": language_offer,
        }
