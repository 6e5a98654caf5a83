"""The Leichte Sprache rules of issue 17 (webapp/i18n/ls_rules.py) and the term list, each
alone and over the whole de@ls catalog."""

from __future__ import annotations

import re
import time

import pytest

from webapp.i18n import ls_rules
from webapp.i18n.catalogs import read_language
from webapp.i18n.leichte_sprache import HARD, WARN, check
from webapp.i18n.ls_rules import (
    CATALOG_RULES,
    check_catalog,
    check_terms,
    inconsistent_spellings,
    terms,
)

from .conftest import ROOT
from .helpers import soup


def found(text: str, rule: str) -> list[tuple[str, str, str]]:
    return [(f.excerpt, f.severity, f.suggestion) for f in check(text) if f.rule == rule]


def test_numbers_are_written_as_digits():
    assert found("Zwei Fach·leute haben das untersucht.", "number-as-word") == [("Zwei", WARN, "2")]
    assert found("Es gibt zwölf Hefte und tausend Seiten.", "number-as-word") == [
        ("zwölf", WARN, "12"),
        ("tausend", WARN, "1.000"),
    ]
    # Parts of other words are no numbers.
    assert found("2 Fach·leute geben Acht·samkeit und Zweifel.", "number-as-word") == []
    assert found("Die Achtung und das Elfmeter·schießen.", "number-as-word") == []


def test_no_mediopunkt_after_a_prefix():
    assert [f[:2] for f in found("Viele sind un·zufrieden.", "prefix-mediopunkt")] == [
        ("un·", HARD)
    ]
    assert [f[0] for f in found("Die Ver·anstaltung ist be·endet.", "prefix-mediopunkt")] == [
        "Ver·",
        "be·",
    ]
    # Compound parts that only begin like a prefix are fine.
    assert found("Die Unter·lagen und die Ende·zeit.", "prefix-mediopunkt") == []
    assert found("Sie sind unzufrieden mit dem Sozial·bericht.", "prefix-mediopunkt") == []


def test_no_ergaenzungsstrich():
    assert [f[:2] for f in found("Der Teilhabe- und Integrations·plan.", "ergaenzungsstrich")]
    assert found("Die Sozial·planung und -berichte.", "ergaenzungsstrich")
    names = "Nordrhein-Westfalen und E-Mail-Adresse und Luise-Albertz-Halle."
    assert found(names, "ergaenzungsstrich") == []
    assert found("2022 - 2024 und mehr", "ergaenzungsstrich") == []


def test_a_negation_with_a_positive_word_gets_that_word():
    assert found("Das Heft kostet nichts.", "positive") == [
        ("kostet nichts", WARN, "ist kostenlos")
    ]
    assert found("Das ist nicht  richtig.", "positive") == [("nicht  richtig", WARN, "falsch")]
    assert found("Das ist nicht richtiger.", "positive") == []
    # The plain negation warning stays as well.
    assert ("negation", WARN) in {(f.rule, f.severity) for f in check("Das ist nicht gut.")}


def test_term_list_one_name_for_each_thing():
    things = {t.thing for t in terms()}
    assert len(things) >= 4
    assert check_terms("Alle Meldungen", "Alle Neuigkeiten") == []
    wrong = check_terms("Alle Meldungen", "Alle Meldungen")
    assert (wrong[0].rule, wrong[0].excerpt, wrong[0].suggestion) == (
        "term",
        "Meldungen",
        "Neuigkeit",
    )
    # Events are "Veranstaltungen" everywhere, not "Treffen" or "Termine".
    assert check_terms("Veranstaltungen", "Treffen")[0].excerpt == "Treffen"
    assert check_terms("Termin in den Kalender übernehmen", "Veranstaltung in den Kalender") == []
    # The funder is the ministry, the RVR is called by its name.
    assert check_terms("Das Förderprogramm des Landes", "Geld vom Land")[0].excerpt == "vom Land"
    assert check_terms("Dokumente anderer Herausgeber", "Heft von einem anderen Amt")
    # A text whose source does not name the thing is not checked for it.
    assert check_terms("Ihre Meldung", "Ihre Meldung") == []


def test_one_spelling_for_each_word():
    texts = ["Bitte an·melden.", "Sie können sich anmelden.", "Der Sozial·bericht."]
    assert inconsistent_spellings(texts) == {"anmelden": {"an·melden", "anmelden"}}
    entries = [("a", "x", t) for t in texts]
    rules = [(loc, f.rule, f.excerpt) for loc, f in check_catalog(entries)]
    assert ("a", "spelling", "anmelden") in rules and ("a", "spelling", "an·melden") in rules


def test_interface_strings_have_one_sentence_per_line_too():
    entries = [
        ("webapp/errors.py", "Fehler. Bitte.", "Es gibt einen Fehler. Bitte prüfen Sie das."),
        ("webapp/errors.py", "Fehler. Bitte.", "Es gibt einen Fehler.\nBitte prüfen Sie das."),
    ]
    rules = [(loc, f.rule) for loc, f in check_catalog(entries)]
    assert rules == [("webapp/errors.py", "one-sentence-per-line")]


def catalog_entries():
    catalog = read_language(str(ROOT / "translations"), "de@ls")  # interface and documents
    for message in catalog:
        if not message.id or message.fuzzy or not message.string:
            continue
        source = message.id[0] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        where = message.locations[0] if message.locations else ("?", 0)
        for text in strings:
            if text:
                yield f"{where[0]}:{where[1]}", source, text


def test_the_leichte_sprache_catalog_keeps_the_term_list_and_the_catalog_rules():
    entries = list(catalog_entries())
    assert len(entries) > 100
    found = [
        f"{loc} {f.rule} „{f.excerpt[:60]}“ → {f.suggestion}" for loc, f in check_catalog(entries)
    ]
    assert found == [], "\n".join(found)
    assert set(CATALOG_RULES) >= {"one-sentence-per-line", "number-as-word", "term", "spelling"}


@pytest.mark.parametrize("name", [name for name, _rule in ls_rules.RULES])
def test_each_new_rule_is_fast_on_hostile_input(name):
    # Linear patterns: 20,000 characters of what each pattern looks for take milliseconds.
    rule = dict(ls_rules.RULES)[name]
    for text in (
        "un·" * 7000,
        "a-" * 10000,
        "nicht " * 4000,
        "zwei" * 5000,
        "x·" * 10000,
        "und -" * 4000,
        "a-" + " " * 19998,
        "nicht" + " " * 19995,
        "kostet" + " \t" * 9997,
    ):
        text = text[:20000]
        begin = time.perf_counter()
        rule(text, text)
        assert time.perf_counter() - begin < 2.0


def test_several_sentences_from_the_catalog_are_shown_on_several_lines(client):
    # The 404 text in Leichte Sprache has 2 sentences: each is a line of its own.
    page = soup(client.get("/leichte-sprache/gibt-es-nicht").data)
    paragraph = next(p for p in page.select("main p") if "Adresse" in p.get_text())
    assert paragraph.find("br") is not None, paragraph
    # A form hint with 2 sentences, too.
    form = soup(client.get("/leichte-sprache/sozialberichte/bestellen").data)
    hints = [h for h in form.select(".form-hint") if h.get_text().startswith("Freiwillig.")]
    assert hints and all(h.find("br") is not None for h in hints)


def test_the_editor_checks_the_term_list_and_the_new_rules(app):
    from webapp.editor.checks import check_text

    with app.test_request_context("/"):
        problems = check_text("Alle Meldungen", "Alle Meldungen und zwei Treffen.", "de@ls")
    found = {(p.rule, p.severity, p.suggestion) for p in problems}
    assert ("term", "warning", "Neuigkeit") in found
    assert ("number-as-word", "warning", "2") in found
    with app.test_request_context("/"):
        problems = check_text("Unzufrieden", "Un·zufrieden", "de@ls")
    assert ("prefix-mediopunkt", "error") in {(p.rule, p.severity) for p in problems}


def test_leichte_sprache_keeps_the_meaning_of_the_source():
    # What a reading found: changes of meaning between the German source and Leichte Sprache.
    wrong = []
    for where, source, text in catalog_entries():
        if re.search(r"\bbald\b", text, re.IGNORECASE) and not re.search(r"\bbald\b", source):
            wrong.append((where, "promises „bald“", text[:60]))
        if re.search(r"lösch", text, re.IGNORECASE) and not re.search(r"lösch", source, re.I):
            wrong.append((where, "„gelöscht“ where the source says something else", text[:60]))
        if source.startswith("Ich bin einverstanden") and not text.startswith("Ich bin"):
            wrong.append((where, "consent in the reader's own words", text[:60]))
        if re.search(r"Migrationshintergrund|Einwanderungsgeschichte", source) and (
            "Einwanderungs·geschichte" not in text
        ):
            wrong.append((where, "Menschen mit Einwanderungs·geschichte", text[:60]))
        for keys in ("Alt + Umschalt + 1", "Control + Option + 1"):
            if keys in source and keys not in text:
                wrong.append((where, f"keyboard hint {keys}", text[:60]))
    assert wrong == []
    texts = [text for _where, _source, text in catalog_entries()]
    assert "Das speichern wir und so lange speichern wir es" not in texts
