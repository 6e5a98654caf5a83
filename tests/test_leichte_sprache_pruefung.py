"""Issue 17.1–17.3: the Prüfung of Leichte Sprache pages by a Prüfgruppe (state, Prüf-Ansicht,
marks next to the entries, automatic reset on a text change), the honest state for visitors
(the note at a checked page's end, the counts in the accessibility statement) and the
Wörterbuch (public page, links on Leichte Sprache pages, editing, the rare-word check)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import delete

from webapp.content import MD, render_tokens
from webapp.db import db
from webapp.editor.catalog import entry_key, load_view
from webapp.i18n.leichte_sprache import check
from webapp.leichte_sprache import woerterbuch
from webapp.leichte_sprache.models import CheckMark, GlossaryEntry, PageCheck
from webapp.leichte_sprache.pruefung import split_sentences
from webapp.mediopunkt import VISIBLE

from .fixtures_editor import csrf_token
from .helpers import soup


def eye(html: str) -> str:
    """HTML as the eye reads it: the Mediopunkt markup of webapp/mediopunkt.py folded back."""
    return html.replace(VISIBLE, "·")


PAGE = "/hilfen"
SEED = (
    "Browser",
    "Link",
    "Formular",
    "Ministerium",
    "Regional·verband",
    "Kreis",
    "Bund",
    "Integration",
    "Geflüchtete",
    "Cookie",
    "Sozial·planung",
    "Navigation",
)


@pytest.fixture()
def ls_app(editor_app):
    """The editors' app without Prüfung state, marks or Wörterbuch entries."""
    with editor_app.app_context():
        for model in (PageCheck, CheckMark, GlossaryEntry):
            db.session.execute(delete(model))
        db.session.commit()
    return editor_app


@pytest.fixture()
def client(ls_app, editor_client):
    return editor_client


def token(client, url="/redaktion/pruefung/") -> str:
    return csrf_token(client.get(url).text)


def set_state(client, state, group="Prüfgruppe Lebenshilfe Köln", date=None, path=PAGE):
    url = f"/redaktion/pruefung/seite?pfad={path}"
    data = {"csrf_token": token(client, url), "state": state, "group": group}
    data["date"] = date or dt.date.today().isoformat()
    return client.post(url, data=data)


def ls_entry(app, path=PAGE):
    """The first Leichte Sprache entry of the page's body (a translated paragraph)."""
    with app.test_request_context("/redaktion/"):
        doc = app.extensions["sozialberichte.content"].get(path)
        view = load_view("de@ls")
        for msgid in doc.msgids()[1:]:
            entry = view.get(entry_key(msgid))
            if entry is not None and entry.msgstr[0] and "\n" in entry.msgstr[0]:
                return entry
    raise AssertionError("no translated entry")


def save_entry(client, entry, text):
    url = f"/redaktion/leichte-sprache/eintrag/{entry.key}"
    page = client.get(url)
    version = soup(page.text).find("input", attrs={"name": "version"})["value"]
    data = {"csrf_token": csrf_token(page.text), "version": version, "msgstr-0": text}
    return client.post(url, data={**data, "action": "save"})


def visitor(app, path):
    return app.test_client().get(path)


# --- 17.1 state, automatic reset, validation --------------------------------------------------


def test_a_checked_page_says_so_and_falls_back_when_an_ls_text_changes(ls_app, client):
    assert "Geprüft von" not in visitor(ls_app, "/leichte-sprache" + PAGE).text
    response = set_state(client, "geprueft", group="Büro für Leichte Sprache Bonn")
    assert response.status_code == 303
    page = visitor(ls_app, "/leichte-sprache" + PAGE).text
    note = soup(page).find("aside", class_="ls-geprueft")
    assert note is not None and "Büro für Leichte Sprache Bonn" in note.get_text()
    assert str(dt.date.today().year) in note.get_text()
    assert note.find_parent("main") is not None
    # German and English pages claim nothing about the Leichte Sprache check.
    assert "ls-geprueft" not in visitor(ls_app, PAGE).text
    assert "ls-geprueft" not in visitor(ls_app, "/en" + PAGE).text
    overview = soup(client.get("/redaktion/pruefung/").text)
    row = overview.find("a", href=re.compile(r"pfad=/hilfen$")).find_parent("tr")
    assert "geprüft" in row.get_text() and "Büro für Leichte Sprache Bonn" in row.get_text()
    # An editor changes a Leichte Sprache text of the page: no longer geprüft.
    entry = ls_entry(ls_app)
    assert save_entry(client, entry, entry.msgstr[0] + "\nDas ist neu.").status_code == 303
    page = visitor(ls_app, "/leichte-sprache" + PAGE).text
    assert "ls-geprueft" not in page and "Geprüft von" not in page
    row = soup(client.get("/redaktion/pruefung/").text)
    row = row.find("a", href=re.compile(r"pfad=/hilfen$")).find_parent("tr")
    assert "nicht geprüft" in row.get_text()
    assert "Text geändert nach der Prüfung" in row.get_text()


def test_state_changes_are_validated_with_messages_and_keep_the_input(ls_app, client):
    url = f"/redaktion/pruefung/seite?pfad={PAGE}"
    response = set_state(client, "geprueft", group="")
    assert response.status_code == 422
    assert "Bitte nennen Sie die Prüfgruppe" in response.text
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = set_state(client, "geprueft", group="Verein", date=future)
    assert response.status_code == 422 and "zwischen 2000 und heute" in response.text
    assert 'value="Verein"' in response.text
    response = set_state(client, "geprueft", group="Verein", date="gestern")
    assert response.status_code == 422 and "Datum der Prüfung" in response.text
    assert set_state(client, "geprueft", group="Verein", date="24.11.2026").status_code == 303
    assert "24. November 2026" in client.get(f"/redaktion/pruefung/seite?pfad={PAGE}").text
    assert set_state(client, "erfunden").status_code == 400
    assert client.post(url, data={"state": "geprueft", "group": "x"}).status_code == 400
    assert client.get("/redaktion/pruefung/seite?pfad=/gibt-es-nicht").status_code == 404
    assert set_state(client, "in_pruefung", group="").status_code == 303
    assert "in Prüfung" in client.get(url).text
    assert "ls-geprueft" not in visitor(ls_app, "/leichte-sprache" + PAGE).text


def test_pruefung_pages_need_a_login(ls_app):
    anonymous = ls_app.test_client()
    for url in ("/redaktion/pruefung/", f"/redaktion/pruefung/ansicht?pfad={PAGE}"):
        assert anonymous.get(url).status_code == 303


# --- 17.1 Prüf-Ansicht, marks next to the entries, flags --------------------------------------


def test_sentences_are_split_one_per_line():
    # Leichte Sprache content ends its lines with Markdown's hard break (a backslash).
    assert split_sentences("Das ist gut.\\\nWir helfen!  \nFragen Sie uns: Telefon") == [
        "Das ist gut.",
        "Wir helfen!",
        "Fragen Sie uns:",
        "Telefon",
    ]
    assert split_sentences("Das ist gut. Wir helfen!\nFragen Sie uns:\nTelefon") == [
        "Das ist gut.",
        "Wir helfen!",
        "Fragen Sie uns:",
        "Telefon",
    ]


def test_pruef_ansicht_marks_go_to_the_editor_and_flag_the_entry_until_revised(ls_app, client):
    url = f"/redaktion/pruefung/ansicht?pfad={PAGE}"
    page = client.get(url)
    assert page.status_code == 200
    html = soup(page.text)
    fieldsets = html.select("fieldset.pruef-satz__gruppe")
    assert len(fieldsets) > 5
    first = fieldsets[0]
    labels = [label.get_text(" ", strip=True) for label in first.select("label.pruef-wahl__knopf")]
    assert labels == ["Verstanden", "Nicht verstanden"]
    assert all(label.find("input", type="radio") for label in first.select(".pruef-wahl label"))
    note = first.find("textarea")
    assert first.find("label", attrs={"for": note["id"]}) is not None
    assert html.find("link", href=re.compile(r"css/pruefung\.[0-9a-f]+\.css"))
    # One sentence per line: no legend holds two sentences.
    for fieldset in fieldsets:
        text = fieldset.legend.get_text(" ", strip=True)
        assert not re.search(r"[.!?] +[A-ZÄÖÜ]", text), text
        assert not text.endswith("\\"), text  # no Markdown line break shown (or read out)
    entry = ls_entry(ls_app)
    name = f"{entry.key}-0"
    assert html.find("input", attrs={"name": f"mark-{name}"}) is not None
    data = {"csrf_token": csrf_token(page.text), f"mark-{name}": "nicht_verstanden"}
    data[f"note-{name}"] = "Das Wort Tabulator·taste ist schwer."
    other = fieldsets[1].find("input", type="radio")["name"]
    data[other] = "verstanden"
    assert client.post(url, data=data).status_code == 303
    # Next to the entry: on the page's Prüfung page and in the entry editor.
    detail = eye(client.get(f"/redaktion/pruefung/seite?pfad={PAGE}").text)
    assert "Tabulator·taste ist schwer" in detail and "ls-entry--flagged" in detail
    editor_page = eye(client.get(f"/redaktion/leichte-sprache/eintrag/{entry.key}").text)
    assert "Ergebnis der Prüfgruppe" in editor_page
    assert "Tabulator·taste ist schwer" in editor_page
    # Flagged in the overview; "geprüft" is refused while it stands.
    row = soup(client.get("/redaktion/pruefung/").text)
    row = row.find("a", href=re.compile(r"pfad=/hilfen$")).find_parent("tr")
    assert "1 Satz" in row.get_text()
    refused = set_state(client, "geprueft")
    assert refused.status_code == 422 and "nicht verstanden" in refused.text
    # The editor revises the entry: the flag is gone, the page can be checked.
    assert save_entry(client, entry, entry.msgstr[0].replace(".", "!", 1)).status_code == 303
    row = soup(client.get("/redaktion/pruefung/").text)
    row = row.find("a", href=re.compile(r"pfad=/hilfen$")).find_parent("tr")
    assert "Satz" not in row.get_text()
    assert (
        "Ergebnis der Prüfgruppe"
        not in client.get(f"/redaktion/leichte-sprache/eintrag/{entry.key}").text
    )
    assert set_state(client, "geprueft").status_code == 303


def test_pruef_ansicht_refuses_bad_input_without_losing_it(ls_app, client):
    url = f"/redaktion/pruefung/ansicht?pfad={PAGE}"
    page = client.get(url)
    field = soup(page.text).find("textarea")
    radio = soup(page.text).find("input", type="radio")["name"]
    data = {"csrf_token": csrf_token(page.text), field["name"]: "x" * 2001}
    response = client.post(url, data=data)
    assert response.status_code == 422 and "zu lang" in response.text
    assert "x" * 2001 in response.text
    assert client.post(url, data={**data, radio: "vielleicht"}).status_code == 400
    assert client.post(url, data={field["name"]: "ohne Token"}).status_code == 400


def test_pruef_bogen_prints(ls_app, client):
    page = client.get(f"/redaktion/pruefung/ansicht?pfad={PAGE}&druck=1")
    assert page.status_code == 200
    css = (woerterbuch.Path(__file__).parent.parent / "static/css/pruefung.css").read_text()
    assert "@media print" in css and ".pruef-senden" in css
    assert re.search(r"min-height: 3\.5rem", css)  # ≥ 44 px targets


# --- 17.2 the accessibility statement -----------------------------------------------------------


def test_accessibility_statement_counts_checked_and_unchecked_pages(ls_app, client):
    total = len(ls_app.extensions["sozialberichte.content"].documents)

    def counts(path):
        section = soup(visitor(ls_app, path).text).find(id="ls-pruefung-titel").parent
        return [int(n) for n in re.findall(r"\d+", section.get_text())]

    assert counts("/barrierefreiheit") == [0, total]
    assert set_state(client, "geprueft").status_code == 303
    assert counts("/barrierefreiheit") == [1, total - 1]
    assert counts("/leichte-sprache/barrierefreiheit") == [1, total - 1]


# --- 17.3 the Wörterbuch ---------------------------------------------------------------------


def test_woerterbuch_page_explains_the_hard_words_in_leichte_sprache(ls_app):
    response = visitor(ls_app, "/leichte-sprache/woerterbuch")
    assert response.status_code == 200
    page = soup(eye(response.text))
    assert page.h1.get_text(strip=True)
    for word in SEED:
        heading = page.find("h2", string=word)
        assert heading is not None, word
        section = heading.find_parent("section")
        assert section["id"] == "wort-" + woerterbuch.slug(word)
        lines = [line.strip() for line in section.p.get_text("\n").splitlines() if line.strip()]
        assert len(lines) >= 2
        for line in lines:  # the checker finds nothing, not even a warning
            assert check(line) == [], (word, line)
            assert len(line.split()) <= 15
    # Every language's URL answers (the language switch), the entries stay German.
    assert visitor(ls_app, "/woerterbuch").status_code == 200
    assert 'class="woerterbuch" lang="de"' in visitor(ls_app, "/en/woerterbuch").text


def test_first_occurrence_links_to_the_woerterbuch_not_in_links_or_headings(ls_app):
    glossary = [woerterbuch.Entry("Browser", "Ein Programm.", forms=["Browsers"])]
    text = (
        "## Der Browser\n\nIm [Browser](/hilfen) sehen Sie <b>Seiten</b>. "
        "Der Browser zeigt sie.\n\nNoch ein Browser."
    )
    tokens = MD.parse(text, {})
    html = render_tokens(
        tokens, lambda m: (m, True), "/ls", inline_hook=woerterbuch.Linker(glossary)
    )
    assert html.count('class="woerterbuch-link"') == 1
    assert "<h2" in html and "woerterbuch-link" not in html.split("</h2>")[0]
    assert '<a href="/hilfen">Browser</a>' not in html  # prefixed, untouched otherwise
    assert '<a href="/ls/hilfen">Browser</a>' in html
    assert "&lt;b&gt;Seiten&lt;/b&gt;" in html
    assert (
        'Der <a href="/ls/woerterbuch#wort-browser" class="woerterbuch-link">Browser</a> zeigt'
        in html
    )
    # On the real pages: each word at most once, never in a heading or another link.
    for path in ("/leichte-sprache/", "/leichte-sprache/hilfen", "/leichte-sprache/kontakt"):
        page = soup(visitor(ls_app, path).text)
        links = page.select("a.woerterbuch-link")
        targets = [a["href"] for a in links]
        assert len(targets) == len(set(targets)), path
        for link in links:
            assert link.find_parent(["h1", "h2", "h3", "h4", "a"]) is None
    assert visitor(ls_app, "/hilfen").text.count("woerterbuch-link") == 0
    assert "woerterbuch-link" in visitor(ls_app, "/leichte-sprache/").text


def test_editors_maintain_the_woerterbuch(ls_app, client):
    url = "/redaktion/woerterbuch/eintrag"
    page = client.get(url + "?neu=Prüfgruppe")
    assert 'value="Prüfgruppe"' in page.text
    data = {
        "csrf_token": csrf_token(page.text),
        "word": "Prüf·gruppe",
        "forms": "Prüfgruppe\nPrüf·gruppen",
        "explanation": "Eine Prüf·gruppe liest Texte.\nSie sagt uns: Das ist schwer.",
        "example": "",
    }
    response = client.post(url, data={**data, "explanation": ""})
    assert response.status_code == 422 and "Erklärung" in response.text
    assert "Prüfgruppe\nPrüf·gruppen" in eye(response.text)
    assert client.post(url, data={**data, "word": "<b>"}).status_code == 422
    refused = client.post(url, data={**data, "forms": "Prüfgruppe\na"})
    assert refused.status_code == 422 and "zwei Buchstaben" in refused.text
    assert client.post(url, data=data).status_code == 303
    public = soup(eye(visitor(ls_app, "/leichte-sprache/woerterbuch").text))
    assert public.find(id="wort-pruef-gruppe") is not None
    # The same word again is refused; a baseline entry is edited (the database wins).
    assert client.post(url, data=data).status_code == 422
    edit = client.get(url + "?wort=Browser")
    assert edit.status_code == 200 and "Firefox" in edit.text
    changed = {
        "csrf_token": csrf_token(edit.text),
        "forms": "",
        "explanation": "Ein Browser zeigt Internet·seiten.",
        "example": "",
    }
    assert client.post(url + "?wort=Browser", data=changed).status_code == 303
    public = eye(visitor(ls_app, "/leichte-sprache/woerterbuch").text)
    assert "Ein Browser zeigt Internet·seiten." in public and "Firefox" not in public
    listing = client.get("/redaktion/woerterbuch/")
    delete_data = {"csrf_token": csrf_token(listing.text), "word": "Browser"}
    assert client.post("/redaktion/woerterbuch/loeschen", data=delete_data).status_code == 303
    assert "Firefox" in visitor(ls_app, "/leichte-sprache/woerterbuch").text
    assert client.get(url + "?wort=Gibtsnicht").status_code == 404
    assert client.post("/redaktion/woerterbuch/loeschen", data={"word": "x"}).status_code == 400


def test_wordfreq_works_offline_with_its_bundled_data():
    assert woerterbuch.zipf("Haus") > 5
    assert woerterbuch.zipf("Prüfgruppe") < woerterbuch.RARE_ZIPF


def test_rare_words_unless_explained_on_the_page_or_in_the_woerterbuch(ls_app):
    with ls_app.test_request_context("/"):
        glossary = woerterbuch.entries()
        assert woerterbuch.rare_words("Die Prüfgruppe liest.", [], glossary) == ["Prüfgruppe"]
        # Word parts at the Mediopunkt: common parts, no finding.
        assert woerterbuch.rare_words("Die Sozial·planung hilft.", [], []) == []
        assert woerterbuch.rare_words("Der Regional·verband hilft.", [], []) == []
        assert woerterbuch.rare_words("Der Regionalverband hilft.", [], []) == ["Regionalverband"]
        explained = ["Eine Prüfgruppe ist eine Gruppe von Menschen."]
        assert woerterbuch.rare_words("Die Prüfgruppe liest.", explained, glossary) == []
        entry = woerterbuch.Entry("Prüfgruppe", "Eine Gruppe.")
        assert woerterbuch.rare_words("Die Prüfgruppe liest.", [], [entry]) == []
        assert woerterbuch.rare_words("Die NRW liest.", [], []) == []  # abbreviations: other rule


def test_the_editors_checks_suggest_adding_a_rare_word_to_the_woerterbuch(ls_app, client):
    entry = ls_entry(ls_app)
    url = f"/redaktion/leichte-sprache/eintrag/{entry.key}"
    page = client.get(url)
    data = {
        "csrf_token": csrf_token(page.text),
        "version": soup(page.text).find("input", attrs={"name": "version"})["value"],
        "msgstr-0": "Die Prüfgruppe liest den Text.",
        "action": "preview",
    }
    response = client.post(url, data=data)
    checks = soup(response.text).find("ul", class_="editor-checks")
    assert checks is not None and "Prüfgruppe" in checks.get_text()
    assert "(Regel: woerterbuch)" in checks.get_text()
    link = checks.find("a", href=re.compile(r"/redaktion/woerterbuch/eintrag\?neu="))
    assert link is not None and "Wörterbuch aufnehmen" in link.get_text()


def test_without_its_tables_a_page_still_renders_and_claims_nothing():
    from sqlalchemy import text

    from .conftest import make_app

    app = make_app()
    with app.app_context():
        for table in ("ls_page_check", "ls_glossary"):
            db.session.execute(text(f"DROP TABLE {table}"))
        db.session.commit()
    client = app.test_client()
    page = client.get("/leichte-sprache" + PAGE)
    assert page.status_code == 200
    assert "ls-geprueft" not in page.text
    assert "woerterbuch-link" in client.get("/leichte-sprache/").text  # the baseline
    statement = client.get("/barrierefreiheit")
    assert statement.status_code == 200 and "ls-pruefung-titel" not in statement.text
    glossary = client.get("/leichte-sprache/woerterbuch")
    assert glossary.status_code == 200 and "Firefox" in glossary.text
    with app.app_context():
        db.engine.dispose()
