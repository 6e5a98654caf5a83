"""The Leichte Sprache checker, and the whole de@ls catalog checked with it."""

from __future__ import annotations

import functools
import random
import re
import subprocess
import sys
import time
from collections import Counter

import pytest

from webapp.editor.forms import MAX_TRANSLATION_LENGTH
from webapp.i18n import leichte_sprache
from webapp.i18n.catalogs import read_language
from webapp.i18n.leichte_sprache import HARD, MEDIOPUNKT, WARN, Finding, check, split_compound

from .conftest import ROOT, make_app
from .helpers import soup


def rules(text: str) -> set[tuple[str, str]]:
    return {(f.rule, f.severity) for f in check(text)}


def test_a_good_text_has_no_findings_and_a_negation_only_a_warning():
    assert check("Sie können den Sozial·bericht bestellen.\\\nWir helfen Ihnen gern.") == []
    text = "Das Heft bringt nichts."
    assert check(text) == [
        Finding("negation", WARN, "Verneinung", 16, 22, "nichts", "Sagen Sie es positiv.")
    ]


@pytest.mark.parametrize(
    ("text", "excerpt", "suggestion"),
    [
        ("Das gilt z. B. für Sie.", "z. B.", "Schreiben Sie das Wort aus."),
        ("Äpfel, Birnen usw. sind gesund.", "usw.", "Schreiben Sie das Wort aus."),
        ("Das steht in § 4.", "§", "Paragraf"),
        ("Es sind 5 % mehr.", "%", "Prozent"),
        ("Wir leben in NRW.", "NRW", "Nordrhein-Westfalen"),
        ("Das macht das MAGS.", "MAGS", "Ministerium für Arbeit, Gesundheit und Soziales"),
    ],
)
def test_abbreviations_are_hard_findings_with_a_suggestion(text, excerpt, suggestion):
    found = [f for f in check(text) if f.rule == "abbreviation"]
    assert len(found) == 1
    assert found[0].severity == HARD
    assert found[0].excerpt == excerpt
    assert text[found[0].start : found[0].end] == excerpt
    assert found[0].suggestion == suggestion


def test_sentence_length_warns_above_12_and_fails_above_15_words():
    twelve = " ".join(["Wort"] * 11) + " Ende."
    thirteen = " ".join(["Wort"] * 12) + " Ende."
    sixteen = " ".join(["Wort"] * 15) + " Ende."
    assert ("sentence-length", WARN) not in rules(twelve)
    assert ("sentence-length", WARN) in rules(thirteen)
    assert ("sentence-length", HARD) in rules(sixteen)
    # Each line is a sentence of its own; ordinal numbers do not end a sentence.
    assert ("sentence-length", WARN) not in rules(twelve + "\n" + twelve)
    assert ("sentence-length", WARN) not in rules("Am 27. November 2019 ist das Treffen.")


def test_negation_subjunctive_passive_and_genitive_are_reported():
    assert ("negation", WARN) in rules("Das ist kein Problem.")
    assert ("subjunctive", WARN) in rules("Sie könnten uns schreiben.")
    assert ("passive", WARN) in rules("Die Seite wird geprüft.")
    assert ("genitive", WARN) in rules("Das ist die Seite des Ministeriums.")
    assert ("passive", WARN) not in rules("Das Wetter wird schön.")


def test_markup_links_addresses_and_placeholders_are_not_checked():
    text = "Schreiben Sie an [uns](https://www.example.org/NRW-usw.) oder %(name)s."
    assert check(text) == []
    assert check("E-Mail: [a@b.de](mailto:a@b.de)") == []


def test_long_compounds_get_a_mediopunkt_suggestion():
    found = [f for f in check("Hier ist der Sozialbericht.") if f.rule == "compound"]
    assert [(f.excerpt, f.suggestion) for f in found] == [("Sozialbericht", "Sozial·bericht")]
    assert check("Hier ist der Sozial·bericht.") == []
    assert split_compound("Sozialberichterstattung") == "Sozial·bericht·erstattung"
    assert split_compound("Barrierefreiheit") == "Barriere·freiheit"
    assert "Ver-an-stal-tun-gen" in split_compound("Veranstaltungen")  # syllables as a hint
    # Long derivations are no compounds; very long words are always reported.
    assert check("Hier gibt es Informationen und Veranstaltungen.") == []
    found = [f.excerpt for f in check("Das ist die Donaudampfschifffahrt.")]
    assert found == ["Donaudampfschifffahrt"]


def test_several_sentences_on_one_line_are_reported():
    assert ("one-sentence-per-line", WARN) in rules("Das ist gut. Das ist schön.")
    assert ("one-sentence-per-line", WARN) not in rules("Das ist gut.\\\nDas ist schön.")


def test_the_leichte_sprache_catalog_breaks_no_hard_rule():
    catalog = read_language(ROOT / "translations", "de@ls")  # interface and every document
    hard, soft = [], Counter()
    checked = 0
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            checked += 1
            for finding in check(text):
                if finding.severity == HARD:
                    where = message.locations[0] if message.locations else ("?", 0)
                    hard.append(f"{where[0]}:{where[1]} {finding.rule} „{finding.excerpt}“")
                else:
                    soft[finding.rule] += 1
    print(f"Leichte Sprache: {checked} texts checked; warnings: {dict(soft)}")
    assert checked > 100
    assert hard == [], "\n".join(hard)


def test_check_ls_command_fails_on_hard_findings(tmp_path):
    assert make_app().test_cli_runner().invoke(args=["translations", "check-ls"]).exit_code == 0
    folder = tmp_path / "de@ls" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Sozialberichte NRW"\nmsgstr "Sozial·berichte NRW"\n',
        "utf-8",
    )
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "--quiet", "compile", "-d"]
        + [str(tmp_path), "-l", "de@ls"],
        check=True,
    )
    result = (
        make_app(TRANSLATIONS_DIR=str(tmp_path))
        .test_cli_runner()
        .invoke(args=["translations", "check-ls"])
    )
    assert result.exit_code == 1
    assert "abbreviation" in result.output and "Nordrhein-Westfalen" in result.output


# What a Leichte Sprache visitor reads on the rendered pages (found by looking at them).

LS = "/leichte-sprache"
FORMS = ["/sozialberichte/bestellen", "/kontakt", "/barriere-melden"]


@pytest.mark.parametrize("size", ["100-normal", "200-normal"])
def test_service_bar_says_the_size_limit_without_a_negation(client, size):
    # It once said "(Kleiner geht es nicht)" next to the button on every page.
    client.set_cookie("anzeige", size)
    bar = soup(client.get(LS + "/hilfen").data).select_one(".service-bar")
    limit = bar.select_one(".display-button__limit").get_text()
    findings = [f.excerpt for text in bar.stripped_strings for f in check(text)]
    assert findings == [], limit


@pytest.mark.parametrize("path", FORMS)
def test_optional_fields_say_freiwillig_as_the_order_page_promises(client, path):
    # The order page says: "Manche Felder sind freiwillig. Dort steht dann: Freiwillig."
    def hints(html):
        return {
            hint["id"]: hint.get_text(" ", strip=True)
            for hint in soup(html).select("main form .form-hint[id]")
        }

    german, easy = hints(client.get(path).data), hints(client.get(LS + path).data)
    optional = [key for key, text in german.items() if text.startswith("Freiwillig")]
    assert optional
    assert [easy[key] for key in optional if not easy[key].startswith("Freiwillig")] == []


def test_links_to_a_page_call_it_by_its_name(client, pages):
    # "Die Bedienung steht auf der Seite Hilfen": that page is called "Hilfe" in Leichte Sprache.
    names, wrong = {}, []
    for path in pages:
        page = soup(client.get(LS + path).data)
        for link in page.select("main a[href^='/leichte-sprache/']"):
            before = link.previous_sibling
            if not isinstance(before, str) or not before.endswith("Seite "):
                continue
            target = link["href"].split("#")[0]
            if target not in names:
                target_page = soup(client.get(target).data)
                crumb = target_page.select_one(".breadcrumb [aria-current='page']")
                names[target] = {target_page.h1.get_text(strip=True), crumb.get_text(strip=True)}
            if link.get_text(strip=True) not in names[target]:
                wrong.append((path, link.get_text(strip=True), sorted(names[target])))
    assert names, "no link of the form „auf der Seite …“ found"
    assert wrong == []


# --- bounded: every rule finishes quickly on the longest text an editor can send ------------

#: Characters and pieces the rules' patterns react to, repeated to the maximum field length.
UNITS = list("aAÄß7 \n.!?@()[]<>%/·-_*\\`#:")
PIECES = [
    "a@", "a@b.", "a.b@", "](", "](a", "%(a", "%(a)", "ge", "gen", "get", "iert", "bericht",
    "Sozialbericht", "http://", "http://a@", "a.", ". ", "a. ", "1.", "z. B", "AB", "ABs",
    "ABa", "wird ", "nicht ", "des ", "/a", "<a", "**", "\\\n", "Sozial·", ".\n",
]  # fmt: skip
HALVES = [
    (".", " "), (".", "a"), ("A", "a"), ("a", "@"), ("@", "a"), (" ", "."), ("ge", "x"),
    ("bericht", "x"), ("](", "x"), ("<", " "), ("a", "t"), ("!", " "), ("wird ", "gegen"),
]  # fmt: skip


def adversarial_inputs(limit: int) -> dict[str, str]:
    def fill(piece: str, length: int) -> str:
        return (piece * (length // len(piece) + 1))[:length]

    found = {f"{unit!r}*": fill(unit, limit) for unit in UNITS}
    found |= {f"{piece!r}*": fill(piece, limit) for piece in PIECES}
    half = limit // 2
    found |= {f"{a!r}+{b!r}": fill(a, half) + fill(b, limit - half) for a, b in HALVES}
    chooser = random.Random(11)
    for number in range(4):
        mixed = "".join(chooser.choice(UNITS + PIECES) for _ in range(limit))
        found[f"random-{number}"] = mixed[:limit]
    return found


INPUTS = adversarial_inputs(MAX_TRANSLATION_LENGTH)
#: Generous: the rules take milliseconds for these inputs; a rule that backtracks or recurses
#: over the text takes seconds to minutes. Measured as this thread's CPU time, so the other
#: processes on a shared machine do not count.
BUDGET_SECONDS = 1.0


def stages() -> dict:
    """Everything ``check`` runs, found in the module: the markup blanking and every rule
    of :data:`leichte_sprache.RULES` (a new rule is covered without touching this test)."""
    found = {"blank_markup": leichte_sprache.blank_markup}
    for rule in leichte_sprache.RULES:
        found[f"rule {rule.__name__}"] = functools.partial(
            lambda rule, text: rule(text, text), rule
        )
    return found


def patterns() -> dict:
    """Every regular expression of the module, for a check of its own."""
    found = {}
    for name, value in vars(leichte_sprache).items():
        if isinstance(value, re.Pattern):
            found[name] = value
        elif isinstance(value, list | tuple):
            for index, item in enumerate(value):
                if isinstance(item, re.Pattern):
                    found[f"{name}[{index}]"] = item
    return found


def cpu_seconds(function, text) -> float:
    start = time.thread_time()
    function(text)
    return time.thread_time() - start


def test_the_rules_and_their_patterns_are_found():
    assert len(leichte_sprache.RULES) >= 10
    assert len(patterns()) >= 15
    assert {f.rule for f in check("Das ist z. B. nicht gut. Es wird geprüft.")} >= {
        "abbreviation",
        "negation",
        "passive",
        "one-sentence-per-line",
    }


@pytest.mark.parametrize("stage", sorted(stages()))
def test_every_rule_finishes_quickly_on_adversarial_texts_of_the_maximum_length(stage):
    function = stages()[stage]
    function("Die Sozialberichterstattung und die Donaudampfschifffahrt.")  # loads pyphen
    slow = {}
    for name, text in INPUTS.items():
        try:
            seconds = cpu_seconds(function, text)
        except RecursionError:
            seconds = float("inf")
        if seconds > BUDGET_SECONDS:
            slow[name] = round(seconds, 2)
    assert not slow, f"{stage}: CPU seconds per input over the budget: {slow}"


@pytest.mark.parametrize("name", sorted(patterns()))
def test_every_pattern_finds_its_matches_quickly_on_adversarial_texts(name):
    pattern = patterns()[name]
    slow = {}
    for text_name, text in INPUTS.items():
        seconds = cpu_seconds(lambda text: sum(1 for _ in pattern.finditer(text)), text)
        if seconds > BUDGET_SECONDS:
            slow[text_name] = round(seconds, 2)
    assert not slow, f"{name}: CPU seconds per input over the budget: {slow}"


def test_the_audits_inputs_are_checked_quickly_and_sensibly():
    seconds = cpu_seconds(check, "a@" * 10000)
    assert seconds < BUDGET_SECONDS
    word = ("Sozialbericht" * 2000)[:MAX_TRANSLATION_LENGTH]
    found = check(word)  # raised RecursionError
    assert [f.rule for f in found] == ["compound"]
    assert found[0].suggestion.startswith("Sozial·berichtSozial·berichtSozial·")
    assert split_compound(word).replace(MEDIOPUNKT, "") == word
