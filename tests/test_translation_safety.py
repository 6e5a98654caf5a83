"""A translation can never take a page down (issue 11, point 2).

Checks on save (editors' area and ``.po`` upload) refuse what the runtime's formatting would
choke on; and a broken translation that reaches the runtime anyway (a database row written
past the checks, an old ``.mo``) falls back to German for that one text, is logged, and the
page is served, in every language, the error page too."""

from __future__ import annotations

import logging
from io import BytesIO

import pytest
from babel.messages.pofile import read_po, write_po
from flask import render_template_string
from flask_babel import force_locale, gettext, lazy_gettext, ngettext
from sqlalchemy import func, select

from webapp.db import db
from webapp.editor import runtime
from webapp.editor.catalog import entry_key, load_view
from webapp.editor.checks import blocking, check_entry
from webapp.editor.forms import MAX_TRANSLATION_LENGTH
from webapp.editor.models import AuditEntry, TranslationOverride
from webapp.i18n import ENVIRON_KEY

from .conftest import make_app
from .fixtures_editor import compile_catalogs, csrf_token
from .helpers import soup

#: On every page (templates/layouts/base.html), formatted by Jinja with ``title``.
LAYOUT_MSGID = "Seite geladen: %(title)s"
#: The audit's example: a percent sign that is no placeholder.
AUDIT_TEXT = "Page loaded (100%): %(title)s"
#: Formatted in Python (ngettext) on the search page.
PLURAL_MSGID = ("%(num)s Treffer für „%(query)s“", "%(num)s Treffer für „%(query)s“")
#: A page per language, the 404 error page per language, and the search page (ngettext).
PAGES = ["/", "/hilfen", "/gibt-es-nicht", "/suche?q=Bericht"]
PREFIXES = {"de": "", "de@ls": "/leichte-sprache", "en": "/en"}


def entry_url(slug: str, msgid: str) -> str:
    return f"/redaktion/{slug}/eintrag/{entry_key(msgid)}"


def save(client, slug, msgid, *texts, action="save"):
    url = entry_url(slug, msgid)
    page = soup(client.get(url).text)
    data = {
        "csrf_token": page.find("input", attrs={"name": "csrf_token"})["value"],
        "version": page.find("input", attrs={"name": "version"})["value"],
        "action": action,
    }
    for index, text in enumerate(texts):
        data[f"msgstr-{index}"] = text
    return client.post(url, data=data)


def upload(client, slug, data: bytes):
    page = client.get(f"/redaktion/{slug}/hochladen")
    return client.post(
        f"/redaktion/{slug}/hochladen",
        data={"csrf_token": csrf_token(page.text), "file": (BytesIO(data), "messages.po")},
        content_type="multipart/form-data",
    )


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def problems_for(app, code: str, msgid: str, *texts: str):
    with app.test_request_context("/redaktion/"):
        entry = next(e for e in load_view(code).entries if e.msgid == msgid)
        return check_entry(entry, list(texts), code)


# --- checks on save ------------------------------------------------------------------------

REFUSED = [
    pytest.param(AUDIT_TEXT, id="percent-sign-in-text"),
    pytest.param("Page loaded: %(title)s – 100%", id="percent-sign-at-end"),
    pytest.param("Page loaded: 5 %d %(title)s", id="percent-looks-like-positional"),
    pytest.param("Page loaded: %(title)", id="placeholder-without-type"),
    pytest.param("Page loaded: %(titel)s", id="unknown-placeholder"),
    pytest.param("Page loaded: %(title)d", id="wrong-type"),
    pytest.param("Page loaded: %s", id="positional-for-named"),
    pytest.param("Page loaded: %(title)s %(title", id="unclosed-placeholder"),
    pytest.param("Page loaded", id="missing-placeholder"),
]


@pytest.mark.parametrize("text", REFUSED)
def test_the_editor_refuses_what_the_page_could_not_format_with_a_message_at_the_field(
    editor_client, editor_app, text
):
    response = save(editor_client, "en", LAYOUT_MSGID, text)
    assert response.status_code == 422, text
    page = soup(response.text)
    checks = page.select_one("#pruefung-0")
    assert checks is not None and "Fehler:" in checks.get_text(), "no message at the field"
    assert page.select_one("#msgstr-0")["aria-invalid"] == "true"
    assert page.select_one("#msgstr-0").get_text() == text  # the text is kept
    assert count(editor_app, TranslationOverride) == 0
    assert editor_app.test_client().get("/en/").status_code == 200


def test_the_percent_sign_message_says_what_to_write_instead(editor_client):
    response = save(editor_client, "en", LAYOUT_MSGID, AUDIT_TEXT)
    message = soup(response.text).select_one("#pruefung-0").get_text(" ", strip=True)
    assert "Prozentzeichen" in message and "Platzhalter" in message


@pytest.mark.parametrize(
    "text",
    ["Page loaded: %(title)s", "%(title)s – page loaded", "Page loaded: %(title)s (100 %%)"],
)
def test_good_placeholders_and_an_escaped_percent_sign_are_accepted(editor_app, text):
    assert blocking(problems_for(editor_app, "en", LAYOUT_MSGID, text)) == []


def test_a_percent_sign_in_a_text_without_placeholders_is_refused(editor_app):
    # Templates format every text (Jinja's newstyle gettext), Python code only texts with
    # variables: in a text without placeholders no percent sign shows right in both.
    msgid = "Gespeichert."
    for text in ("Saved 100%", "Saved 100%%", "Saved %(title)s"):
        assert blocking(problems_for(editor_app, "en", msgid, text)), text
    assert blocking(problems_for(editor_app, "en", msgid, "Saved.")) == []


def test_a_percent_sign_in_a_content_text_is_accepted(editor_app):
    # Content texts (content/*.md) are shown as they are, never formatted.
    title = editor_app.extensions["sozialberichte.content"].get("/hilfen").title
    assert blocking(problems_for(editor_app, "en", title, "Help: 100% for you")) == []


@pytest.mark.parametrize(
    ("forms", "rule"),
    [
        (["%(num)s hit for “%(query)s”"], "plural-forms"),
        (["%(num)s hit", "%(num)s hits", "%(num)s hitses"], "plural-forms"),
        (["%(num)s hit for “%(query)s”", "%(num)s hits (100%) for “%(query)s”"], "format"),
        (["%(num)s hit for “%(query)s”", "%(count)s hits for “%(query)s”"], None),
        (["%(num)d hit for “%(query)s”", "%(num)s hits for “%(query)"], None),
    ],
)
def test_broken_plural_forms_are_refused(editor_app, forms, rule):
    found = blocking(problems_for(editor_app, "en", PLURAL_MSGID[0], *forms))
    assert found, forms
    if rule:
        assert rule in {p.rule for p in found}


def test_good_plural_forms_are_accepted(editor_app):
    forms = ["One hit for “%(query)s”", "%(num)s hits for “%(query)s”"]
    assert blocking(problems_for(editor_app, "en", PLURAL_MSGID[0], *forms)) == []


def test_every_translation_in_the_repository_passes_the_checks(editor_app):
    """No false alarms: what the catalogs hold today formats (the Leichte Sprache rules
    are checked in test_leichte_sprache.py)."""
    with editor_app.test_request_context("/redaktion/"):
        for code in ("en", "de@ls"):
            for entry in load_view(code).entries:
                if entry.status != "translated":
                    continue
                found = [
                    p
                    for p in blocking(check_entry(entry, entry.msgstr, "en"))
                    if p.rule in {"format", "placeholders", "plural-forms"}
                ]
                assert not found, (code, entry.msgid, [p.message for p in found])


def catalog_with(client, change) -> bytes:
    catalog = read_po(BytesIO(client.get("/redaktion/en/messages.po").data))
    change(catalog)
    buffer = BytesIO()
    write_po(buffer, catalog)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "kind", ["percent-sign", "plural-percent-sign", "too-few-plural-forms", "plural-placeholder"]
)
def test_a_po_upload_with_a_text_the_page_could_not_format_changes_nothing(
    editor_client, editor_app, kind
):
    def change(catalog):
        if kind == "percent-sign":
            catalog.get(LAYOUT_MSGID).string = AUDIT_TEXT
            return
        message = catalog.get(PLURAL_MSGID)
        if kind == "plural-percent-sign":
            message.string = ("%(num)s hit (100%)", "%(num)s hits")
        elif kind == "too-few-plural-forms":
            message.string = ("%(num)s hits for “%(query)s”",)
        else:
            message.string = ("%(num)s hit", "%(anzahl)s hits")

    response = upload(editor_client, "en", catalog_with(editor_client, change))
    assert response.status_code == 422
    summary = soup(response.text).select_one(".error-summary").get_text(" ", strip=True)
    assert "Es wurde nichts geändert." in summary
    assert count(editor_app, TranslationOverride) == 0
    assert count(editor_app, AuditEntry) == 0


# --- the runtime: a broken translation that got through anyway ----------------------------


def store_override(app, code: str, msgid, msgstr: list[str]) -> None:
    """A database row as an older version (or a manual fix in the database) left it:
    written past every check."""
    singular, plural = (msgid, None) if isinstance(msgid, str) else msgid
    with app.app_context():
        db.session.add(
            TranslationOverride(
                locale=code,
                key=entry_key(singular),
                msgid=singular,
                msgid_plural=plural,
                msgstr=msgstr,
                fuzzy=False,
                updated_by="test",
            )
        )
        runtime.bump_revision()
        db.session.commit()
        runtime.refresh(app, force=True)


def assert_pages_served(app, caplog, broken_locales) -> None:
    client = app.test_client()
    for code, prefix in PREFIXES.items():
        for path in PAGES:
            response = client.get(prefix + path)
            expected = 404 if "gibt-es-nicht" in path else 200
            assert response.status_code == expected, (prefix + path, response.status_code)
            page = soup(response.text)
            assert page.select_one("header") is not None, "the error page's fallback was shown"
            status = page.select_one("#status")
            if code in broken_locales:  # that one text in German, the rest translated
                assert status["data-page-loaded"] == "Seite geladen: {title}"
    broken = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert broken, "the broken translation was not logged"
    assert any(LAYOUT_MSGID in r.getMessage() for r in broken)


def test_a_broken_override_falls_back_to_german_and_every_page_is_served(editor_app, caplog):
    store_override(editor_app, "en", LAYOUT_MSGID, [AUDIT_TEXT])
    store_override(editor_app, "de@ls", LAYOUT_MSGID, ["Neue Seite (100%): %(title)s"])
    store_override(editor_app, "en", PLURAL_MSGID, ["%(num)s hit (100%)", "%(num)s hits (100%)"])
    with caplog.at_level(logging.ERROR):
        assert_pages_served(editor_app, caplog, {"en", "de@ls"})
    page = editor_app.test_client().get("/en/suche?q=Bericht").text
    assert "Treffer für" in page  # the plural in German, not the broken English


@pytest.mark.parametrize("msgstr", [[], "Page loaded: %(title)s", [None], {"0": "x"}])
def test_a_malformed_override_row_is_left_out(editor_app, msgstr):
    store_override(editor_app, "en", LAYOUT_MSGID, msgstr)
    response = editor_app.test_client().get("/en/hilfen")
    assert response.status_code == 200
    assert soup(response.text).select_one("#status")["data-page-loaded"] == (
        "Seite geladen: {title}"
    )


def test_a_broken_entry_in_the_compiled_catalogs_falls_back_to_german(own_translations, caplog):
    for code, text in (
        ("en", AUDIT_TEXT),
        ("de@ls", "Neue Seite: %(title)s 100%"),
        ("de", "Seite geladen: %(titel)s"),
    ):
        path = own_translations / code / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=code)
        catalog.get(LAYOUT_MSGID).string = text
        with path.open("wb") as handle:
            write_po(handle, catalog)
    compile_catalogs(own_translations)
    app = make_app(TRANSLATIONS_DIR=str(own_translations))
    with caplog.at_level(logging.ERROR):
        assert_pages_served(app, caplog, {"en", "de@ls", "de"})


@pytest.fixture()
def broken_app(own_translations):
    """An app whose English catalog has broken entries for the Python and Jinja paths."""
    path = own_translations / "en" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    catalog.get(LAYOUT_MSGID).string = AUDIT_TEXT
    catalog.get(PLURAL_MSGID).string = ("%(num)s hit (1%)", "%(num)s hits (2%)")
    with path.open("wb") as handle:
        write_po(handle, catalog)
    compile_catalogs(own_translations)
    return make_app(TRANSLATIONS_DIR=str(own_translations))


def test_gettext_ngettext_lazy_strings_and_templates_fall_back_to_german(broken_app, caplog):
    with (
        caplog.at_level(logging.ERROR),
        broken_app.test_request_context("/", environ_base={ENVIRON_KEY: "en"}),
    ):
        assert gettext(LAYOUT_MSGID, title="T") == "Seite geladen: T"
        assert str(lazy_gettext(LAYOUT_MSGID, title="T")) == "Seite geladen: T"
        assert ngettext(*PLURAL_MSGID, 2, query="q") == "2 Treffer für „q“"
        rendered = render_template_string(
            "{{ _('Seite geladen: %(title)s', title='<T>') }}|"
            "{{ ngettext('%(num)s Treffer für „%(query)s“', '%(num)s Treffer für „%(query)s“',"
            " 1, query='<q>') }}"
        )
        assert rendered == "Seite geladen: &lt;T&gt;|1 Treffer für „&lt;q&gt;“"
        rendered = render_template_string(
            "{% trans title='<T>' %}Seite geladen: {{ title }}{% endtrans %}"
        )
        assert rendered == "Seite geladen: &lt;T&gt;"
        # Good translations of the same catalog are unaffected.
        assert gettext("Gespeichert.") == "Saved."
        with force_locale("de"):
            assert gettext(LAYOUT_MSGID, title="T") == "Seite geladen: T"
    assert len([r for r in caplog.records if r.levelno >= logging.ERROR]) >= 2


# --- the Leichte Sprache checker behind the editors' form (issue 11, point 5) ----------------


@pytest.mark.parametrize(
    "text",
    ["a@" * (MAX_TRANSLATION_LENGTH // 2), ("Sozialbericht" * 2000)[:MAX_TRANSLATION_LENGTH]],
)
def test_the_longest_adversarial_leichte_sprache_text_gets_an_answer(editor_client, text):
    """Took minutes (worker timeout: 500) or raised RecursionError (500) before."""
    response = save(editor_client, "leichte-sprache", LAYOUT_MSGID, text, action="preview")
    assert response.status_code == 200
    assert soup(response.text).select_one("#msgstr-0").get_text() == text


# --- a translation is text, never markup ----------------------------------------------------


def test_html_in_a_stored_translation_is_shown_as_text_not_markup(editor_app):
    """An interface text in a template is text: markup a translator (or an editor's session
    in the wrong hands) stores is escaped, in Jinja's ``_()``/``gettext`` and with variables."""
    store_override(editor_app, "en", "Zum Inhalt", ['<a href="https://evil.example/">Skip</a>'])
    store_override(editor_app, "en", LAYOUT_MSGID, ["<b>Loaded</b>: %(title)s"])
    page = editor_app.test_client().get("/en/hilfen").text
    assert 'href="https://evil.example/"' not in page
    assert "&lt;a href=" in page
    status = soup(page).select_one("#status")
    assert status["data-page-loaded"] == "<b>Loaded</b>: {title}"  # the attribute holds text
    assert "<b>Loaded</b>" not in page
