"""What the Orca screen reader SAYS (tests/screenreader.py), in German and Leichte Sprache:
skip link, the list of landmarks, Größer and Kontrast, in-place navigation, Back and Forward,
the header search, the contact form sent empty. Marker ``screenreader``: not in the default
run, ``make test-screenreader`` (``.ci/run``) runs it; about 2.5 minutes.

Orca's German role words: "Verknüpfung" link, "Überschrift Ebene 1" h1, "Druckknopf" button,
"Navigation", "Banner", "Hauptinhalt" main, "Ergänzender Inhalt" complementary, "Information"
contentinfo. Expected names are spoken names: a Mediopunkt ("Sozial·planung") is for the eye
only, Orca must not say "Mittelpunkt" (issue 12, point 2).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest

from .screenreader import ScreenReader, missing_packages

pytestmark = [pytest.mark.screenreader, pytest.mark.xdist_group("screenreader")]

#: Per language: the address prefix and the texts the portal gives Orca to say.
LANGUAGES = {
    "de": {
        "prefix": "",
        "loaded": "Seite geladen: {}",
        "hits": "Treffer für",
        "summary": "Bitte korrigieren Sie Ihre Angaben",
    },
    "de@ls": {
        "prefix": "/leichte-sprache",
        "loaded": "Neue Seite: {}",
        "hits": r"(Ergebnis|Ergebnisse) für",
        "summary": None,  # read from the page
    },
}


def spoken(text: str) -> str:
    """A text as Orca should say it: without the Mediopunkt (and the zero-width space after it
    that lets a line break there), spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub("\u00b7\u200b?|\u200b", "", text)).strip()


@pytest.fixture(scope="module")
def orca(live_server):
    missing = missing_packages()
    if missing:
        pytest.fail(
            "screen-reader tests need Debian packages: run `make screenreader` " + str(missing)
        )
    workdir = Path(tempfile.mkdtemp(prefix="sozialberichte-orca-"))
    reader = ScreenReader(workdir).start()
    reader.base = live_server.url
    yield reader
    reader.stop()


@pytest.fixture(params=list(LANGUAGES), ids=["de", "ls"])
def lang(request, orca):
    yield dict(LANGUAGES[request.param], code=request.param)
    print("\n".join(orca.transcript))
    orca.transcript.clear()


def js(orca, script, *args):
    return orca.driver.execute_script(script, *args)


def text_of(orca, selector) -> str:
    return js(
        orca,
        "var e = document.querySelector(arguments[0]);"
        "return e ? e.textContent.replace(/\\s+/g, ' ').trim() : null",
        selector,
    )


def focus(orca, selector, expect):
    """Move the focus (and with it Orca's point of regard) to an element, as a click would,
    and wait until Orca said ``expect`` (regular expression) about it."""
    # Orca ignores focus changes right after a caret key (arrows, also Alt+Left): a key of no
    # meaning first, as a user's click or Tab would be.
    orca.key("Escape", quiet=0.3, maxwait=2)
    for _ in range(3):
        mark = orca.mark()
        js(
            orca,
            "document.activeElement.blur(); document.querySelector(arguments[0]).focus()",
            selector,
        )
        said = orca.wait_said(mark, expect, 4)
        if any(re.search(expect, line) for line in said):
            orca.settle(0.5, 5)
            orca.transcript += [f">>> focus {selector}", *orca.said_since(mark)]
            return
    raise AssertionError(f"Orca did not follow the focus to {selector}: {said}")


def joined(said: list[str]) -> str:
    return " ".join(said)


def test_skip_link_leads_to_main(orca, lang):
    orca.open(orca.base + lang["prefix"] + "/", expect="Orientierungspunkte")
    h1 = text_of(orca, "main h1")
    said = orca.key("Tab", expect="Verknüpfung")
    assert said[0] == "Zum Inhalt Verknüpfung.", said
    said = orca.key("Return", expect=re.escape(spoken(h1)))
    assert "Hauptinhalt" in said[0], said
    assert spoken(h1) in joined(said), said
    assert js(orca, "return document.activeElement.id") == "inhalt"


def landmark_rows(orca) -> list[str]:
    """Orca's list of landmarks (Alt+Shift+M), row by row ("name. role." or "role.")."""
    said = orca.key("alt+shift+m", expect="Banner", quiet=0.6)
    try:
        first = said[[i for i, line in enumerate(said) if "Orientierungspunkte:" in line][0] :]
        rows_total = int(re.search(r"Tabelle mit (\d+) Zeilen", joined(first)).group(1))
        rows = [joined(first[2:])]
        while len(rows) < rows_total:
            rows.append(joined(orca.key("Down", quiet=0.3, maxwait=3, expect=r"\.")))
    finally:
        orca.key("Escape", quiet=0.5)
    return rows


def test_landmarks_list(orca, lang):
    orca.open(orca.base + lang["prefix"] + "/", expect="Orientierungspunkte")
    navigations = js(
        orca,
        "return [...document.querySelectorAll('nav')].map(n => n.getAttribute('aria-label') ||"
        " (document.getElementById(n.getAttribute('aria-labelledby')) || {}).textContent)",
    )
    assert all(navigations), navigations  # every navigation has a name
    rows = landmark_rows(orca)
    for name in navigations:  # "Name. Navigation." (Orca adds no full stop after a colon)
        expected = spoken(name) + ("" if name.endswith(":") else ".") + " Navigation."
        assert expected in rows, (name, rows)
    for role in ("Banner.", "Hauptinhalt.", "Ergänzender Inhalt.", "Information."):
        assert any(row.endswith(role) for row in rows), (role, rows)
    assert rows[0] == "Banner." and rows.index("Hauptinhalt.") < rows.index(
        next(row for row in rows if row.endswith("Ergänzender Inhalt."))
    )


def test_groesser_and_kontrast_announce_the_new_state_and_keep_the_focus(orca, lang):
    orca.open(orca.base + lang["prefix"] + "/", expect="Orientierungspunkte")
    try:
        focus(orca, "#anzeige-groesser", expect="Größer")
        said = orca.key("Return", expect="Prozent")
        status = text_of(orca, "#status")
        assert re.search(r"\b125 Prozent$", status), status
        assert said == [spoken(status)], said
        assert js(orca, "return document.activeElement.id") == "anzeige-groesser"

        focus(orca, "#anzeige-kontrast", expect="Kontrast")
        switched_on = orca.key("Return", expect="Kontrast")
        status_on = text_of(orca, "#status")
        # Orca itself says the toggle's new state ("gedrückt") of the focused button, which
        # stays the same element; then the announcement. Nothing else (no button read again).
        assert switched_on[-1:] == [spoken(status_on)], switched_on
        assert switched_on[:-1] in ([], ["gedrückt"]), switched_on
        assert js(orca, "return document.activeElement.id") == "anzeige-kontrast"
        switched_off = orca.key("Return", expect="Kontrast")
        status_off = text_of(orca, "#status")
        assert switched_off[-1:] == [spoken(status_off)], switched_off
        assert switched_off[:-1] in ([], ["nicht gedrückt"]), switched_off
        assert status_on != status_off
        # Orca's own look at the button: still there, now not pressed.
        where = orca.key("KP_Enter")
        assert "Kontrast" in joined(where) and "nicht gedrückt" in joined(where), where
    finally:
        orca.driver.delete_all_cookies()


def test_in_place_navigation_back_and_forward(orca, lang):
    loaded = lang["loaded"]
    orca.open(orca.base + lang["prefix"] + "/", expect="Orientierungspunkte")
    start_h1 = text_of(orca, "main h1")
    link = "#hauptnavigation-liste li:nth-child(2) a"
    focus(orca, link, "Verknüpfung")
    said = orca.key("Return", expect=re.escape(loaded.format("")))
    h1 = text_of(orca, "main h1")
    assert f"{spoken(h1)} Überschrift Ebene 1 klickbar." in said, said
    assert loaded.format(spoken(h1)) in said, said

    said = orca.key("alt+Left", expect=re.escape(loaded.format("")), quiet=1.2)
    assert said == [loaded.format(spoken(start_h1))], said

    said = orca.key("alt+Right", expect=re.escape(loaded.format("")), quiet=1.2)
    assert said == [loaded.format(spoken(h1))], said  # nothing else first (no year filter)


def test_header_search_announces_the_number_of_hits_at_once(orca, lang):
    orca.open(orca.base + lang["prefix"] + "/hilfen", expect="Orientierungspunkte")
    focus(orca, "#kopf-suche", expect="Fokus-Modus")  # Orca switches to focus mode itself
    orca.type("Sozial")
    said = orca.key("Return", expect=r"Treffer|Ergebnis", quiet=1.0)
    count = text_of(orca, ".search-results__count")
    assert re.fullmatch(r"[1-9]\d* " + lang["hits"] + " „Sozial“", count), count
    heading = text_of(orca, "main h1")
    assert f"{spoken(heading)} Überschrift Ebene 1 klickbar." in said, said
    assert said[-1] == lang["loaded"].format(spoken(heading)) + ". " + spoken(count), said


def test_contact_form_sent_empty_reads_summary_and_each_error(orca, lang):
    orca.open(orca.base + lang["prefix"] + "/kontakt", expect="Orientierungspunkte")
    focus(orca, "form.form button[type=submit]", "Druckknopf")
    said = orca.key("Return", quiet=1.5)
    summary_title = text_of(orca, ".error-summary h2")
    if lang["summary"]:
        assert summary_title == lang["summary"]
    assert said[0] == f"{spoken(summary_title)} Panel.", said  # the summary has the focus
    status = text_of(orca, "#status")
    assert re.search(r"\b[2-9] Fehler\b", status), status
    assert spoken(status) in said, said
    assert js(orca, "return document.activeElement.id") == "fehler"
    errors = js(
        orca, "return [...document.querySelectorAll('.error-summary a')].map(a => a.textContent)"
    )
    for error in errors:  # Tab: from link to link of the summary
        said = orca.key("Tab")
        assert said == [f"{spoken(error)} Verknüpfung."], (error, said)
    # The last link leads to its field, which says its label and its error.
    field = js(orca, "return document.activeElement.getAttribute('href').slice(1)")
    said = joined(orca.key("Return"))
    label = text_of(orca, f"label[for='{field}']")
    assert spoken(label) in said and spoken(errors[-1]) in said, said
    assert "ungültige Eingabe" in said or "Fehler" in said, said
