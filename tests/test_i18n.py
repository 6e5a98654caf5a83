"""German, Leichte Sprache and English: every page in every language, the language switch,
the honest fallback to German, the content extractor and the freshness of messages.pot."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from webapp.content import load_document
from webapp.i18n import BY_CODE, LANGUAGES, SOURCE
from webapp.i18n import pot as pot_module
from webapp.i18n.catalogs import read_language
from webapp.i18n.cli import catalog_status
from webapp.i18n.extract import extract_md

from .conftest import ROOT, make_app
from .helpers import crawl, html_pages, internal_links, soup, visible

SITE_NAME = {"de": "Sozialberichte NRW", "de@ls": "Sozial·berichte Nordrhein-Westfalen"}
SITE_NAME["en"] = "Social reports North Rhine-Westphalia"
NOTICE_CLASS = "notice--language"
NOTICE_TEXT = "Teile dieser Seite sind noch nicht übersetzt. Sie werden auf Deutsch angezeigt."


@pytest.fixture(scope="module")
def crawls(app):
    """{language code: {path: response}}, each crawled from its start page."""
    client = app.test_client()
    return {lang.code: crawl(client, start=lang.prefix + "/") for lang in LANGUAGES}


def test_every_page_exists_in_every_language_under_the_same_slug(crawls):
    german = set(html_pages(crawls[SOURCE.code]))
    assert len(german) >= 14
    for lang in LANGUAGES[1:]:
        broken = {p: r.status_code for p, r in crawls[lang.code].items() if r.status_code != 200}
        assert broken == {}, lang.code
        found = {p.removeprefix(lang.prefix) for p in html_pages(crawls[lang.code])}
        assert found == german, f"{lang.code}: different pages than German"


def test_every_page_has_the_right_lang_and_a_translated_h1_and_title(crawls):
    german_h1 = {
        path: (
            soup(r.data).h1.get_text(strip=True),
            soup(r.data).title.get_text().removesuffix(" – " + SITE_NAME[SOURCE.code]),
        )
        for path, r in crawls[SOURCE.code].items()
        if r.status_code == 200 and r.mimetype == "text/html"
    }
    for lang in LANGUAGES:
        for path in html_pages(crawls[lang.code]):
            page = soup(crawls[lang.code][path].data)
            assert page.html["lang"] == lang.html_lang, path
            h1 = page.find_all("h1")
            assert len(h1) == 1, path
            assert h1[0].find(attrs={"lang": "de"}) is None, f"{path}: German in the h1"
            assert page.find(class_=NOTICE_CLASS) is None, f"{path}: untranslated parts"
            title = page.title.get_text()
            # The Mediopunkt is for the eye only: never in <title> (webapp/mediopunkt.py).
            site_name = SITE_NAME[lang.code].replace("·", "")
            assert title.endswith(" – " + site_name), f"{path}: {title}"
            assert h1[0].get_text(strip=True), path
            if lang.code == "en":
                german, german_title = german_h1[path.removeprefix(lang.prefix)]
                assert h1[0].get_text(strip=True) != german, f"{path}: h1 still German"
                own_title = title.removesuffix(" – " + SITE_NAME[lang.code])
                assert own_title != german_title, f"{path}: title still German"


def test_links_stay_in_the_visitors_language(crawls):
    for lang in LANGUAGES[1:]:
        for path in html_pages(crawls[lang.code]):
            page = soup(crawls[lang.code][path].data)
            for anchor in page.select("main a[href^='/'], nav.main-nav a[href^='/']"):
                href = anchor["href"]
                if href.startswith(("/static/", "/downloads/")):
                    continue
                assert href.startswith(lang.prefix + "/"), f"{path}: {href}"


def test_language_switch_keeps_the_page_and_names_each_language_in_itself(client):
    page = soup(client.get("/en/veranstaltungen/sozialkonferenz-ruhr-2019").data)
    switch = page.select("a.language-switch")
    found = {a.get_text(): (a["href"], a["lang"], a["hreflang"]) for a in switch}
    assert found == {
        "Deutsch": ("/veranstaltungen/sozialkonferenz-ruhr-2019", "de", "de"),
        "Leichte Sprache": (
            "/leichte-sprache/veranstaltungen/sozialkonferenz-ruhr-2019",
            "de",
            "de",
        ),
        "English": ("/en/veranstaltungen/sozialkonferenz-ruhr-2019", "en", "en"),
    }
    current = [a.get_text() for a in switch if a.get("aria-current")]
    assert current == ["English"]
    for href, _lang, _hreflang in found.values():
        target = soup(client.get(href).data)
        assert target.h1.get_text(strip=True) != "", href
    nav = page.find("nav", class_="language-nav")
    assert nav["aria-label"] == "Choose language"


def test_switch_keeps_the_query(client):
    page = soup(client.get("/leichte-sprache/aktuelles/?seite=1").data)
    hrefs = [a["href"] for a in page.select("a.language-switch")]
    assert "/en/aktuelles/?seite=1" in hrefs


def test_alternate_links_for_german_english_and_default(client):
    page = soup(client.get("/leichte-sprache/kontakt").data)
    alternates = {
        link["hreflang"]: link["href"]
        for link in page.find_all("link", rel="alternate", hreflang=True)
    }
    assert alternates == {
        "de": "http://localhost/kontakt",
        "en": "http://localhost/en/kontakt",
        "x-default": "http://localhost/kontakt",
    }


def test_language_comes_from_the_url_not_from_accept_language(client):
    page = soup(client.get("/kontakt", headers={"Accept-Language": "en"}).data)
    assert page.html["lang"] == "de" and page.h1.get_text() == "Kontakt"
    page = soup(client.get("/en/kontakt", headers={"Accept-Language": "de"}).data)
    assert page.html["lang"] == "en" and page.h1.get_text() == "Contact"
    assert page.find(class_="notice--offer") is None


def test_start_page_offers_english_to_a_browser_preferring_it_without_redirect(client):
    response = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9,de;q=0.5"})
    assert response.status_code == 200
    assert "Accept-Language" in response.headers["Vary"]
    offer = soup(response.data).find(class_="notice--offer")
    assert offer["lang"] == "en"
    assert offer.a["href"] == "/en/"
    assert offer.get_text(strip=True) == "This page is also available in English."
    plain = soup(client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}).data)
    assert plain.find(class_="notice--offer") is None


@pytest.mark.parametrize(
    ("path", "lang", "heading"),
    [
        ("/gibt-es-nicht", "de", "Seite nicht gefunden"),
        ("/en/gibt-es-nicht", "en", "Page not found"),
        ("/leichte-sprache/gibt-es-nicht", "de", "Diese Seite gibt es nicht"),
        ("/fr/kontakt", "de", "Seite nicht gefunden"),
        ("/english/", "de", "Seite nicht gefunden"),
    ],
)
def test_unknown_page_or_prefix_is_a_404_in_the_visitors_language(client, path, lang, heading):
    response = client.get(path)
    assert response.status_code == 404
    page = soup(response.data)
    assert page.html["lang"] == lang
    assert page.h1.get_text(strip=True) == heading


def test_dates_are_formatted_in_the_visitors_language(client):
    english = soup(client.get("/en/veranstaltungen/sozialkonferenz-ruhr-2019").data)
    assert "27 November 2019" in english.find("main").get_text(" ")  # British (en_GB)
    german = soup(client.get("/leichte-sprache/veranstaltungen/sozialkonferenz-ruhr-2019").data)
    assert "27. November 2019" in german.find("main").get_text(" ")


def test_leichte_sprache_start_page_covers_section_4_bitv(client):
    main = soup(client.get("/leichte-sprache/").data).find("main")
    text = visible(main.get_text(" "))
    hrefs = {a["href"] for a in main.find_all("a")}
    # Main content, navigation, accessibility statement, more Leichte Sprache and DGS.
    assert "Sozial·berichte" in text
    assert "Navigation" in text and "/leichte-sprache/hilfen" in hrefs
    assert "/leichte-sprache/barrierefreiheit" in hrefs
    assert "Leichter Sprache" in text
    assert "/leichte-sprache/gebaerdensprache" in hrefs
    assert main.find(attrs={"lang": "de"}) is None


# --- The honest fallback -------------------------------------------------------------------

SAMPLE = """\
---
title: Probeseite
summary: Eine Zusammenfassung.
place: Im Rathaus
downloads:
  - file: probe.pdf
    title: Das Probeheft
---
Ein erster Absatz mit einem [Link](/kontakt).

## Eine Überschrift

- Ein Punkt der Liste
- Ein zweiter Punkt mit ![Ein Bild](/static/bild.png)

| Spalte | Wert |
|---|---|
| Zelle | 1 |

::: box
Ein Satz im Kasten.
:::
"""

SAMPLE_TEXTS = [
    "Probeseite",
    "Eine Zusammenfassung.",
    "Im Rathaus",
    "Das Probeheft",
    "Ein erster Absatz mit einem [Link](/kontakt).",
    "Eine Überschrift",
    "Ein Punkt der Liste",
    "Ein zweiter Punkt mit ![Ein Bild](/static/bild.png)",
    "Spalte",
    "Wert",
    "Zelle",
    "1",
    "Ein Satz im Kasten.",
]


@pytest.fixture()
def sample_site(tmp_path):
    """A content folder with one page and catalogs translating all but one of its blocks."""
    content = tmp_path / "content"
    (content / "seiten").mkdir(parents=True)
    (content / "downloads").mkdir()
    (content / "downloads" / "probe.pdf").write_bytes(b"%PDF-1.4\n")
    (content / "seiten" / "probe.md").write_text(SAMPLE, "utf-8")
    (content / "seiten" / "start.md").write_text("---\npath: /\ntitle: Start\n---\nHallo.\n")
    translations = tmp_path / "translations"
    for code in ("en", "de@ls"):
        folder = translations / code / "LC_MESSAGES"
        folder.mkdir(parents=True)
        texts = SAMPLE_TEXTS + ["Start", "Hallo.", NOTICE_TEXT]
        entries = {text: f"[{code}] {text}" for text in texts}
        entries.pop("Ein Punkt der Liste")  # untranslated
        po = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=utf-8\\n"', ""]
        for msgid, msgstr in entries.items():
            fuzzy = msgid == "Eine Überschrift"  # fuzzy: the source changed
            po += (["#, fuzzy"] if fuzzy else []) + [f'msgid "{msgid}"', f'msgstr "{msgstr}"', ""]
        (folder / "messages.po").write_text("\n".join(po), "utf-8")
        subprocess.run(
            [sys.executable, "-m", "babel.messages.frontend", "--quiet", "compile", "-d"]
            + [str(translations), "-l", code],
            check=True,
        )
    return content, translations


@pytest.mark.parametrize(("prefix", "lang"), [("/en", "en"), ("/leichte-sprache", "de")])
def test_untranslated_and_fuzzy_blocks_show_german_marked_with_the_notice(
    sample_site, prefix, lang
):
    content, translations = sample_site
    client = make_app(CONTENT_DIR=str(content), TRANSLATIONS_DIR=str(translations)).test_client()
    page = soup(client.get(prefix + "/probe").data)
    assert page.html["lang"] == lang
    main = page.find("main")
    marked = [el.get_text(strip=True) for el in main.find_all(attrs={"lang": "de"})]
    assert marked == ["Eine Überschrift", "Ein Punkt der Liste"]
    code = "en" if prefix == "/en" else "de@ls"
    assert page.h1.get_text() == f"[{code}] Probeseite"
    assert f"[{code}] Ein Satz im Kasten." in main.get_text()
    notice = page.find(class_=NOTICE_CLASS)
    assert notice.get_text(strip=True) == f"[{code}] {NOTICE_TEXT}"  # in the visitor's language


def test_fully_translated_page_has_no_notice_and_no_german_marks(sample_site):
    content, translations = sample_site
    client = make_app(CONTENT_DIR=str(content), TRANSLATIONS_DIR=str(translations)).test_client()
    page = soup(client.get("/en/").data)
    assert page.h1.get_text() == "[en] Start"
    assert page.find("main").find(attrs={"lang": "de"}) is None


def test_missing_interface_string_shows_german_and_is_noted(tmp_path, caplog):
    empty = tmp_path / "translations" / "en" / "LC_MESSAGES"
    empty.mkdir(parents=True)
    shutil.copy(ROOT / "translations" / "de" / "LC_MESSAGES" / "messages.po", empty)
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "--quiet", "compile", "-f", "-d"]
        + [str(tmp_path / "translations"), "-l", "en"],
        check=True,
    )
    client = make_app(TRANSLATIONS_DIR=str(tmp_path / "translations")).test_client()
    with caplog.at_level("WARNING", logger="webapp.i18n"):
        page = soup(client.get("/en/kontakt").data)
    assert page.html["lang"] == "en"
    assert (
        page.find("nav", class_="breadcrumb").get_text(" ", strip=True).startswith("Sie sind hier:")
    )
    assert page.find("main").h1.find(attrs={"lang": "de"}) is not None
    assert page.find(class_=NOTICE_CLASS) is not None
    assert any("no en translation" in r.getMessage() for r in caplog.records)


# --- Catalogs ------------------------------------------------------------------------------


def test_extractor_finds_every_text_of_a_sample_content_file(sample_site):
    content, _ = sample_site
    path = content / "seiten" / "probe.md"
    found = list(extract_from_file("md", str(path)))
    assert [message for _line, message, _comments, _context in found] == SAMPLE_TEXTS
    assert set(SAMPLE_TEXTS) == set(load_document(path, content).msgids())
    lines = SAMPLE.splitlines()
    for line, message, comments, _context in found:
        source = lines[line - 1]
        assert message.split("](")[0].lstrip("[!").split(" ")[0] in source, (line, message)
        assert comments, message
    comments = {message: comments[0] for _line, message, comments, _context in found}
    assert comments["Probeseite"] == "front matter: title"
    assert comments["Ein Satz im Kasten."] == "Markdown paragraph in box box"
    assert comments["Eine Überschrift"] == "Markdown heading h2"


def test_extractor_is_registered_with_babel(sample_site):
    content, _ = sample_site
    with open(content / "seiten" / "probe.md", "rb") as fileobj:
        direct = [m for _l, _f, m, _c in extract_md(fileobj, [], [], {})]
    assert direct == SAMPLE_TEXTS


def test_messages_pot_is_up_to_date(tmp_path):
    fresh = pot_module.extract(tmp_path / "fresh.pot")
    committed = pot_module.POT.read_text("utf-8")
    assert pot_module.comparable(committed) == pot_module.comparable(fresh.read_text("utf-8")), (
        "translations/messages.pot is out of date: run `make translations`"
    )


def test_freshness_check_fails_on_a_stale_pot(tmp_path):
    stale = tmp_path / "messages.pot"
    text = pot_module.POT.read_text("utf-8")
    stale.write_text(text.replace('msgid "Sprache wählen"', 'msgid "Sprache waehlen"'), "utf-8")
    fresh = tmp_path / "fresh.pot"
    # Only the creation date and a line number differ: still current.
    moved = re.sub(r"(#: templates/editor/_audit_table\.html:)(\d+)", r"\g<1>999", text)
    assert moved != text
    fresh.write_text(moved.replace("POT-Creation-Date: 2026", "POT-Creation-Date: 2099"), "utf-8")
    assert pot_module.is_current(pot_module.POT, fresh)
    assert not pot_module.is_current(stale, fresh)


def test_every_message_of_the_template_is_translated_in_every_catalog():
    with open(pot_module.POT, "rb") as fileobj:
        template = {m.id for m in read_po(fileobj) if m.id}
    directory = str(ROOT / "translations")
    for code in ("en", "de@ls"):
        path = Path(directory) / code / "LC_MESSAGES" / "messages.po"
        with open(path, "rb") as fileobj:
            catalog = read_po(fileobj)
        missing = [
            m.id
            for m in catalog
            if m.id in template
            and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string]))
        ]
        absent = template - {m.id for m in catalog}
        print(f"{code}: {len(missing)} untranslated or fuzzy, {len(absent)} not in the catalog")
        assert not absent, f"{code}: run `make translations`"
        assert missing == [], f"{code}: untranslated {missing[:10]}"
        everything = read_language(directory, code)  # interface and every document
        untranslated = [m.id for m in everything if m.id and (m.fuzzy or not m.string)]
        assert untranslated == [], f"{code}: untranslated {untranslated[:10]}"
        texts = len([m for m in everything if m.id])
        assert catalog_status(directory, code)["*"].translated == texts


def test_status_command_prints_counts_per_locale_and_file():
    app = make_app()
    result = app.test_cli_runner().invoke(args=["translations", "status"])
    assert result.exit_code == 0, result.output
    assert "de@ls (Leichte Sprache):" in result.output
    assert "en (English):" in result.output
    assert "content/seiten/kontakt.md" in result.output
    assert "unübersetzt" in result.output and "fuzzy" in result.output


def test_status_counts_fuzzy_and_untranslated(sample_site):
    _content, translations = sample_site
    shutil.rmtree(translations / "de@ls")
    status = catalog_status(str(translations), "en")
    # the sample catalog has no locations: everything is counted as interface
    assert status["*"].fuzzy == 1
    # 13 sample texts + start page (2) + notice, one of them missing and one fuzzy
    assert status["*"].translated == len(SAMPLE_TEXTS) + 3 - 2
    assert status["*"].untranslated == 0  # a missing entry is absent, not untranslated
    assert catalog_status(str(translations), "de@ls") == {}


def test_language_table():
    assert [lang.name for lang in LANGUAGES] == ["Deutsch", "Leichte Sprache", "English"]
    assert BY_CODE["de@ls"].html_lang == "de"
    assert [lang.prefix for lang in LANGUAGES] == ["", "/leichte-sprache", "/en"]


def test_crawl_helper_stays_in_its_language(crawls):
    for lang in LANGUAGES:
        assert all(p.startswith(lang.prefix + "/") for p in crawls[lang.code]), lang.code
    english_start = crawls["en"]["/en/"].data
    assert "/" in set(internal_links("/en/", english_start))  # the switch leads out


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")


def _catalog(code: str):
    return read_language(ROOT / "translations", code)  # interface and every document


def test_messages_use_named_placeholders_and_no_html():
    with open(pot_module.POT, "rb") as fileobj:
        template = read_po(fileobj)
    for message in template:
        for text in message.id if isinstance(message.id, tuple) else (message.id,):
            assert not re.search(r"%[sd]|\{\}|\{\d\}", text), f"positional placeholder: {text}"
            assert not re.search(r"<[a-z][^>]*>", text), f"HTML inside a msgid: {text}"


@pytest.mark.parametrize("code", ["en", "de@ls"])
def test_translations_keep_placeholders_and_link_targets(code):
    for message in _catalog(code):
        if not message.id or message.fuzzy:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(" ".join(ids)))
        for text in strings:
            if not text:
                continue
            assert set(PLACEHOLDER.findall(text)) == wanted, f"{code}: {ids[0]!r} → {text!r}"
            links = set(LINK_TARGET.findall(text))
            assert links == set(LINK_TARGET.findall(ids[0])), f"{code}: links of {ids[0]!r}"


def test_leichte_sprache_pages_get_their_typography_class(client):
    assert "leichte-sprache" in soup(client.get("/leichte-sprache/hilfen").data).html["class"]
    assert soup(client.get("/hilfen").data).html.get("class") is None


def test_make_translations_extracts_updates_with_previous_and_compiles():
    dry_run = subprocess.run(
        ["make", "-n", "--always-make", "translations"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # One command: content catalogs, messages.pot and messages.po (pybabel update --previous),
    # then compile, each where its sources changed. What it does is tested in
    # tests/test_catalogs.py (a changed template string, a changed document, nothing changed).
    assert "-m webapp.i18n.catalogs translations" in dry_run
    catalogs_run = subprocess.run(
        ["make", "-n", "--always-make", "catalogs"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "-m webapp.i18n.catalogs compile" in catalogs_run


def test_no_catalog_keeps_a_stale_previous_source_as_a_translator_comment():
    """``#| msgid`` (the old source of a fuzzy entry) must not survive as a translator
    comment (``# | msgid``, what a read_po/write_po round trip of Babel makes of it): the
    editors' area would show an old, unrelated German text next to a finished translation."""
    stale = []
    for path in sorted((ROOT / "translations").rglob("*.po")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if re.match(r"#\s+\|\s*msg", line):
                stale.append(f"{path.relative_to(ROOT)}:{number}")
    assert stale == [], f"{len(stale)} stale previous-source comments, e.g. {stale[:5]}"
