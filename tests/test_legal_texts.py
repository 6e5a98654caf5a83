"""The legal and help texts say what the law requires and what the portal really does, in
German, Leichte Sprache and English: the privacy notice (GDPR Art. 13), the accessibility
statement (§ 10b BGG NRW), the Leichte Sprache start page (§ 4 BITV 2.0) and the access-key
hints (checked against the accesskey attributes of the rendered page)."""

from __future__ import annotations

import re

import pytest

from webapp.forms.models import RETENTION

from .helpers import soup, visible

LANGUAGES = ["", "/leichte-sprache", "/en"]
LDI = "https://www.ldi.nrw.de"
OMBUDSSTELLE = "https://www.lbbp.nrw.de/ombudsstelle"


def _text(node) -> str:
    """What a reader reads: the Mediopunkt of Leichte Sprache removed, spaces collapsed."""
    text = visible(node.get_text(" ", strip=True)).replace("·", "")
    return re.sub(r"\s+", " ", text).replace(" .", ".")


def _main(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, path
    return soup(response.data).find("main")


# --- privacy notice ---------------------------------------------------------------------------

PRIVACY = {
    "": [
        "Verantwortlich",
        "Ministerium für Arbeit, Gesundheit und Soziales des Landes Nordrhein-Westfalen",
        "Datenschutzbeauftragte",
        # legal bases: forms, server, cookies, barrier reports, login attempts
        "Rechtsgrundlage für alle drei Formulare ist Art. 6 Abs. 1 Buchstabe e DSGVO "
        "in Verbindung mit § 3 Abs. 1 DSG NRW",
        "§ 25 Abs. 2 Nr. 2 TDDDG",
        "§ 10b Abs. 2 Nr. 2 und Abs. 3 BGG NRW",
        "Art. 32 DSGVO",
        # retention
        f"spätestens {RETENTION.days} Tage nach dem Absenden",
        "nach spätestens einer Stunde gelöscht",
        "nach 7 Tagen gelöscht",
        "ein Jahr lang gespeichert",
        # rights and the supervisory authority
        *(f"Art. {n} DSGVO" for n in (15, 16, 17, 18, 21, 77)),
        "Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen (LDI NRW)",
    ],
    "/leichte-sprache": [
        "Verantwortlich für Ihre Daten",
        "Ministerium für Arbeit, Gesundheit und Soziales von Nordrhein-Westfalen",
        "Datenschutzgrundverordnung in Artikel 6",
        "Datenschutzgesetz Nordrhein-Westfalen in Paragraf 3",
        "Gesetz für Cookies in Paragraf 25",
        "Artikel 32",
        f"Nach spätestens {RETENTION.days} Tagen löschen wir alles",
        "Nach 1 Stunde löschen wir diese Zahl",
        "Nach 7 Tagen löschen wir diese Angaben",
        "Auskunft",
        "Löschen Sie meine Daten",
        "widersprechen",
        "Artikel 15 bis 18 und in Artikel 21",
        "Artikel 77",
        "Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen",
    ],
    "/en": [
        "controller",
        "Ministry of Labour, Health and Social Affairs of the State of North Rhine-Westphalia",
        "data protection officer",
        "The legal basis for all three forms is Article 6(1)(e) GDPR "
        "in conjunction with section 3(1) DSG NRW",
        "section 25(2) no. 2 TDDDG",
        "section 10b(2) no. 2 and (3) BGG NRW",
        "Article 32 GDPR",
        f"no later than {RETENTION.days} days after",
        "after one hour at the latest",
        "deleted after 7 days",
        "stored for one year",
        *(f"Article {n} GDPR" for n in (15, 16, 17, 18, 21, 77)),
        "Landesbeauftragte für Datenschutz und Informationsfreiheit Nordrhein-Westfalen (LDI NRW",
    ],
}


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_privacy_notice_states_controller_legal_bases_retention_rights_and_authority(
    client, prefix
):
    main = _main(client, prefix + "/datenschutz")
    text = _text(main)
    missing = [phrase for phrase in PRIVACY[prefix] if phrase not in text]
    assert missing == []
    assert main.find("a", href=LDI) is not None
    assert main.find("a", href=prefix + "/kontakt") is not None  # where to exercise the rights
    assert main.find("a", href=prefix + "/impressum") is not None  # the controller's details
    # Every heading the law asks for has its own section (a reader finds it by heading).
    assert len(main.find_all("h2")) >= 7


# --- accessibility statement ------------------------------------------------------------------

STATEMENT = {
    "": [
        "teilweise vereinbar",
        "Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen "
        "nach §§ 10d, 10e des Behindertengleichstellungsgesetzes Nordrhein-Westfalen (BGG NRW)",
        "höchstens sechs Wochen",
    ],
    "/leichte-sprache": [
        "teilweise barrierefrei",
        "Ombudsstelle für barrierefreie Informationstechnik",
        "Behindertengleichstellungsgesetz von Nordrhein-Westfalen",
        "Paragraf 10d und Paragraf 10e",
        "spätestens nach 6 Wochen",
    ],
    "/en": [
        "partially compliant",
        "Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen",
        "sections 10d and 10e of the Disability Equality Act of North Rhine-Westphalia (BGG NRW)",
        "six weeks at most",
    ],
}
#: The known gaps (issues 12–17, the last closing note): one list item each, in every language.
KNOWN_GAPS = {
    "": ["Gebärdensprache:", "Leichte Sprache:", "Sozialbericht als Datei:", "Dokumente"],
    "/leichte-sprache": [
        "Gebärdensprache:",
        "Leichte Sprache:",
        "Sozialbericht als Datei:",
        "Heft",
    ],
    "/en": ["Sign language:", "Leichte Sprache", "Social report as a file:", "Documents"],
}
GAP_WORDS = {
    "": ["Prüfgruppe", "Herunterladen", "§ 4 der Barrierefreie-Informationstechnik-Verordnung"],
    "/leichte-sprache": ["Prüfgruppe", "als Datei", "Auch auf der Startseite fehlen die Filme"],
    "/en": ["test group", "download", "section 4 of the Accessible Information Technology"],
}


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_accessibility_statement_names_the_nrw_ombudsstelle_and_every_known_gap(client, prefix):
    main = _main(client, prefix + "/barrierefreiheit")
    text = _text(main)
    assert [phrase for phrase in STATEMENT[prefix] if phrase not in text] == []
    assert main.find("a", href=OMBUDSSTELLE) is not None
    # The federal Schlichtungsstelle BGG is for federal bodies, not for a state ministry.
    assert main.find("a", href=re.compile("schlichtungsstelle")) is None
    assert "Schlichtungsstelle" not in text
    # The feedback form is linked (§ 10b Abs. 2 Nr. 2 BGG NRW).
    assert main.find("a", href=prefix + "/barriere-melden") is not None
    items = [_text(li) for li in main.find_all("li")]
    for label in KNOWN_GAPS[prefix]:
        assert any(item.startswith(label) for item in items), label
    assert [word for word in GAP_WORDS[prefix] if word not in text] == []


# --- Leichte Sprache start page: § 4 BITV 2.0 ------------------------------------------------


def test_leichte_sprache_start_page_covers_section_4_bitv(client):
    ls = "/leichte-sprache"
    main = _main(client, ls + "/")
    text = _text(main)
    # Everything on it is Leichte Sprache: no German block with the untranslated notice.
    assert main.select(".notice--language") == []
    headings = [_text(h) for h in main.find_all("h2")]
    sections = {}
    for heading in main.find_all("h2"):
        parts = []
        for sibling in heading.find_next_siblings():
            if sibling.name == "h2" or sibling.find("h2"):
                break
            parts.append(_text(sibling))
        sections[_text(heading)] = " ".join(parts)
    # 1. the main content
    assert "Was finden Sie hier?" in headings
    assert "Sozialberichte" in sections["Was finden Sie hier?"]
    assert main.find("a", href=ls + "/sozialberichte/") is not None
    # 2. how to navigate: navigations, an access key that the page really has, the help page
    navigation = sections["So finden Sie sich zurecht"]
    assert "Navigation" in navigation and "Alt + 1" in navigation
    home_key = [
        element
        for element in soup(client.get(ls + "/").data).find_all(accesskey=True)
        if element.get_attribute_list("accesskey") == ["1"]
    ]
    assert [element.get("href") for element in home_key] == [ls + "/"]
    assert main.find("a", href=ls + "/hilfen") is not None
    # 3. the gist of the accessibility statement: status, what is missing, complaint route
    statement = sections["Barrierefreiheit"]
    for phrase in ("teilweise barrierefrei", "Gebärdensprache", "Ombudsstelle"):
        assert phrase in statement, phrase
    for path in ("/barrierefreiheit", "/barriere-melden"):
        assert main.find("a", href=ls + path) is not None, path
    # 4. where more Leichte Sprache and sign language is
    more = sections["Leichte Sprache und Gebärdensprache"]
    assert "Alle Seiten gibt es in Leichter Sprache" in more
    assert main.find("a", href=ls + "/gebaerdensprache") is not None
    assert "1 bis 9" not in text


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_every_start_page_gives_status_and_complaint_route(client, prefix):
    text = _text(_main(client, prefix + "/"))
    status = {"": "teilweise vereinbar", "/leichte-sprache": "teilweise barrierefrei"}
    assert status.get(prefix, "partially compliant") in text
    assert "Ombudsstelle für barrierefreie Informationstechnik" in text
    assert "Alt + 1" in text
    assert not re.search(r"\b1 (bis|to) 9\b", text)


# --- help texts: access keys ------------------------------------------------------------------

MODIFIERS = {
    "": ["Alt + {key}", "Alt + Umschalt + {key}", "Control + Option + {key}"],
    "/leichte-sprache": ["Alt + {key}", "Alt + Umschalt + {key}", "Control + Option + {key}"],
    "/en": ["Alt + {key}", "Alt + Shift + {key}", "Control + Option + {key}"],
}
CONTROL_KEY = {"": "Strg", "/leichte-sprache": "Strg", "/en": "Ctrl"}


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_help_page_access_keys_match_the_accesskey_attributes_of_the_page(client, prefix):
    page = soup(client.get(prefix + "/hilfen").data)
    present = {}
    for element in page.find_all(accesskey=True):
        # its own text, not a note such as "(Das ist die kleinste Schrift)"
        label = visible(element.get_text("")).split(" (")[0].strip()
        present[" ".join(element.get_attribute_list("accesskey"))] = label.replace("·", "")
    assert present, "no accesskey on the page"
    main = page.find("main")
    table = {}
    for row in main.select("table tr"):
        cells = row.find_all("td")
        if len(cells) == 2:
            table[_text(cells[0])] = _text(cells[1])
    assert table == present
    text = _text(main)
    first = min(present)
    hints = [hint.format(key=first) for hint in MODIFIERS[prefix]]
    assert [hint for hint in hints if hint not in text] == []
    # Not "the digits 1 to 9" alone: a digit alone types into the page, it opens nothing.
    assert not re.search(r"\b(Ziffern|Zahlen|digits)\b", text)
    assert CONTROL_KEY[prefix] in text
    assert "Steuerung" not in text


def test_the_retention_the_privacy_notice_states_is_what_the_portal_does(client):
    """The periods in the text come from the code that enforces them, not from a wish."""
    from limits import parse_many

    from webapp.display import COOKIE_MAX_AGE
    from webapp.forms.cli import purge_command
    from webapp.forms.protection import DEFAULT_RATE_LIMIT

    text = _text(_main(client, "/datenschutz"))
    # Form submissions: the purge command's default age is the retention the text names.
    default = next(p.default for p in purge_command.params if p.name == "older_than")
    assert default == f"{RETENTION.days}d"
    assert f"spätestens {RETENTION.days} Tage nach dem Absenden" in text
    # Rate-limit counters live no longer than the longest window: one hour.
    longest = max(item.get_expiry() for item in parse_many(DEFAULT_RATE_LIMIT))
    assert longest <= 3600 and "nach spätestens einer Stunde gelöscht" in text
    # The display cookie: one year.
    assert COOKIE_MAX_AGE == 365 * 24 * 3600 and "ein Jahr lang gespeichert" in text
    # The form's session cookie ends with the browser: no Expires, no Max-Age.
    response = client.get("/kontakt")
    session = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
    assert session, "the form page sets no session cookie"
    assert "expires" not in session[0].lower() and "max-age" not in session[0].lower()
    assert "Es wird gelöscht, wenn Sie Ihren Browser schließen" in text


@pytest.mark.parametrize("prefix", LANGUAGES)
def test_help_page_names_every_footer_link_and_skip_link(client, prefix):
    page = soup(client.get(prefix + "/hilfen").data)
    text = _text(page.find("main")).lower()
    footer = [_text(a).lower() for a in page.select("footer nav a")]
    assert len(footer) >= 5
    assert [label for label in footer if label not in text] == []
    if prefix != "/leichte-sprache":  # LS says "2 Sprung·links" and how they appear
        skip = [_text(a).lower() for a in page.select("a.skip-link")]
        assert skip and [label for label in skip if label not in text] == []
