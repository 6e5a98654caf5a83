"""Where a translation meets its variables: the one formatting path of every interface text.

Python code (Flask-Babel's ``gettext``, ``ngettext``, ``pgettext``, ``npgettext`` and the lazy
strings built on them) and templates (``_``, ``gettext``, ``ngettext``, ``pgettext``,
``npgettext``, ``{% trans %}``) all format through :func:`format_translation`:

- :class:`SafeFormattingDomain` is the Flask-Babel domain's half (``webapp.i18n`` builds its
  catalog-loading domain on it);
- :func:`install_jinja_callables` replaces the template functions Flask-Babel installs (Jinja's
  own newstyle ``gettext`` formats outside of any function we could guard).

A stored translation that cannot be formatted – a percent sign that is no placeholder, an
unknown placeholder, a wrong type; left by an old ``.mo`` file or a database row written past
the editors' checks – must not take a page down. That one text is shown in German (the
source, formatted with the same variables), the page says that parts are not translated,
and the error is logged once per text and catalog load. The checks on save
(``webapp/editor/checks.py``) refuse such texts in the first place, with :func:`substitute`,
the very substitution used here.

Semantics kept from Flask-Babel and Jinja: Python formats only when variables are given
(``ngettext`` always has ``num``); templates always format (a literal percent sign in a
template's text is written ``%%``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from flask import current_app, g, has_app_context, has_request_context
from flask_babel import Domain, get_domain, get_locale
from jinja2 import pass_context
from markupsafe import escape

log = logging.getLogger(__name__)

#: What ``text % mapping`` raises for a text that does not fit its variables.
FORMAT_ERRORS = (ValueError, TypeError, KeyError, IndexError)
#: ``app.extensions`` key: texts already logged since the catalogs were last loaded.
REPORTED_KEY = "sozialberichte.unformattable"


def substitute(text: str, variables: Mapping) -> str:
    """The runtime's substitution of variables into a (translated) text."""
    return text % variables


def format_translation(translated: str, source: str, variables: Mapping) -> str:
    """``translated`` with ``variables``; the German ``source`` with them where the
    translation cannot be formatted (reported by :func:`_report`). A German source that
    cannot be formatted is a programming error and raises."""
    try:
        return substitute(translated, variables)
    except FORMAT_ERRORS as error:
        if translated == source:
            raise
        _report(source, translated, error)
        return substitute(source, variables)


def forget_reports(app) -> None:
    """After the catalogs were reloaded, a still broken text is logged again."""
    app.extensions[REPORTED_KEY] = set()


def _report(source: str, translated: str, error: Exception) -> None:
    if has_request_context():
        g.untranslated = True  # the layout's notice: parts of the page are shown in German
    locale = str(get_locale() or "?")
    key = (locale, str(source), str(translated))
    if has_app_context():
        reported = current_app.extensions.setdefault(REPORTED_KEY, set())
        if key in reported:
            return
        reported.add(key)
    log.error(
        "%s translation of %r cannot be formatted (%s: %s): %r; the German text is shown",
        locale,
        str(source),
        type(error).__name__,
        error,
        str(translated),
    )


def _plural_source(singular: str, plural: str, num) -> str:
    """The German text for ``num`` (German has two forms: one, and everything else)."""
    return singular if num == 1 else plural


class SafeFormattingDomain(Domain):
    """Flask-Babel's :class:`~flask_babel.Domain` with :func:`format_translation` in place
    of its bare ``s % variables``."""

    def gettext(self, string, **variables):
        text = self.get_translations().ugettext(string)
        return format_translation(text, string, variables) if variables else text

    def ngettext(self, singular, plural, num, **variables):
        variables.setdefault("num", num)
        text = self.get_translations().ungettext(singular, plural, num)
        return format_translation(text, _plural_source(singular, plural, num), variables)

    def pgettext(self, context, string, **variables):
        text = self.get_translations().upgettext(context, string)
        return format_translation(text, string, variables) if variables else text

    def npgettext(self, context, singular, plural, num, **variables):
        variables.setdefault("num", num)
        text = self.get_translations().unpgettext(context, singular, plural, num)
        return format_translation(text, _plural_source(singular, plural, num), variables)


def _in_template(context, text: str, source: str, variables: Mapping):
    """Jinja's newstyle formatting (always, HTML-escaping the variables when autoescaping),
    through :func:`format_translation`.

    Unlike Jinja's own newstyle ``gettext``, which takes a translation as markup, the text is
    escaped too: a translation is text (no msgid holds HTML), and one that an editor stored
    with markup in it must not put links or elements into every page."""
    if context.eval_ctx.autoescape:
        text, source = escape(text), escape(source)
    return format_translation(text, source, variables)


def _translations():
    return get_domain().get_translations()


@pass_context
def _jinja_gettext(__context, __string, **variables):
    return _in_template(__context, _translations().ugettext(__string), __string, variables)


@pass_context
def _jinja_ngettext(__context, __singular, __plural, __num, **variables):
    variables.setdefault("num", __num)
    text = _translations().ungettext(__singular, __plural, __num)
    return _in_template(__context, text, _plural_source(__singular, __plural, __num), variables)


@pass_context
def _jinja_pgettext(__context, __string_ctx, __string, **variables):
    variables.setdefault("context", __string_ctx)
    text = _translations().upgettext(__string_ctx, __string)
    return _in_template(__context, text, __string, variables)


@pass_context
def _jinja_npgettext(__context, __string_ctx, __singular, __plural, __num, **variables):
    variables.setdefault("context", __string_ctx)
    variables.setdefault("num", __num)
    text = _translations().unpgettext(__string_ctx, __singular, __plural, __num)
    return _in_template(__context, text, _plural_source(__singular, __plural, __num), variables)


def install_jinja_callables(env) -> None:
    """Make the templates' translation functions format through :func:`format_translation`
    (after Flask-Babel installed its own: ``newstyle_gettext`` stays on, so ``{% trans %}``
    blocks call these functions too; ``_`` looks ``gettext`` up at call time)."""
    env.newstyle_gettext = True
    env.globals.update(
        gettext=_jinja_gettext,
        ngettext=_jinja_ngettext,
        pgettext=_jinja_pgettext,
        npgettext=_jinja_npgettext,
    )
