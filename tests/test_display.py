"""Display controls over HTTP: the service bar, the POST endpoint without JavaScript and with
htmx, the cookie, the cross-site check, the return path and the print view."""

from __future__ import annotations

import json

import pytest

from webapp.display import COOKIE, Preferences, safe_return_path

from .conftest import make_app
from .helpers import soup

SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"}


def post(client, action, back="/hilfen", prefix="", headers=SAME_ORIGIN):
    return client.post(
        prefix + "/anzeige", data={"aktion": action, "zurueck": back}, headers=headers
    )


def html_classes(response) -> list[str]:
    return soup(response.data).html.get_attribute_list("class")


def button(response, control: str):
    return soup(response.data).find(id=f"anzeige-{control}")


def test_service_bar_has_the_controls_in_the_ministrys_order(client):
    page = soup(client.get("/").data)
    bar = page.find("nav", class_="service-bar")
    numbered = [
        (li["value"], next(li.find(["a", "button"]).stripped_strings))
        for li in bar.find("ol").find_all("li", recursive=False)
    ]
    assert numbered[:5] == [
        ("1", "Startseite"),
        ("2", "Größer"),
        ("3", "Kleiner"),
        ("4", "Kontrast"),
        ("5", "Hilfen"),
    ]
    keys = {
        " ".join(b.get_attribute_list("accesskey")): next(b.stripped_strings)
        for b in bar.find_all("button", accesskey=True)
    }
    assert keys == {"2": "Größer", "3": "Kleiner", "4": "Kontrast"}
    tools = [b.get_text(strip=True) for b in bar.select(".service-bar__tools button")]
    # Vorlesen, Pause, Stopp are made by display.js: without JavaScript they are not there.
    assert tools == ["Drucken", "Standardansicht"]
    assert bar.select_one(".speech") is None  # not even an empty list item
    assert len(bar.select(".service-bar__tools li")) == 2
    assert bar.select_one(".service-bar__tools")["data-label-start"] == "Vorlesen"
    # ONE form for all display controls (screen readers announce every form of a page).
    forms = bar.find_all("form")
    assert len(forms) == 1
    form = forms[0]
    assert form["method"] == "post" and form["action"] == "/anzeige"
    assert form["data-hx-post"] == "/anzeige"
    assert [i["name"] for i in form.find_all("input")] == ["zurueck"]
    for control in ("groesser", "kleiner", "kontrast", "standard", "drucken"):
        button = page.find(id=f"anzeige-{control}")
        assert button.find_parent("form") is form
        assert button["type"] == "submit"
        assert (button["name"], button["value"]) == ("aktion", control)
    assert page.find(id="anzeige-kontrast")["aria-pressed"] == "false"


def test_default_page_has_no_display_classes_and_varies_by_cookie(client):
    response = client.get("/hilfen")
    assert html_classes(response) == []
    assert "Cookie" in response.headers["Vary"]
    assert button(response, "kleiner")["aria-disabled"] == "true"
    assert "kleinste Stufe erreicht" in button(response, "kleiner").get_text()
    assert not button(response, "groesser").has_attr("aria-disabled")


def test_groesser_steps_up_to_200_and_stays_there(client):
    seen = []
    for _ in range(6):
        response = post(client, "groesser")
        assert response.status_code == 303
        assert response.headers["Location"] == "/hilfen#anzeige-groesser"
        page = client.get("/hilfen")
        seen.append(html_classes(page))
    assert seen == [
        ["text-125"],
        ["text-150"],
        ["text-175"],
        ["text-200"],
        ["text-200"],
        ["text-200"],
    ]
    at_limit = button(page, "groesser")
    assert at_limit["aria-disabled"] == "true"
    assert at_limit.get_text(" ", strip=True) == "Größer (größte Stufe erreicht)"
    assert not button(page, "kleiner").has_attr("aria-disabled")


def test_kleiner_steps_down_and_stops_at_100(client):
    client.set_cookie(COOKIE, "150-normal")
    post(client, "kleiner")
    assert html_classes(client.get("/")) == ["text-125"]
    post(client, "kleiner")
    post(client, "kleiner")
    assert html_classes(client.get("/")) == []
    assert button(client.get("/"), "kleiner")["aria-disabled"] == "true"


def test_kontrast_toggles_with_aria_pressed_and_label_unchanged(client):
    post(client, "kontrast")
    page = client.get("/kontakt")
    assert html_classes(page) == ["kontrast"]
    assert button(page, "kontrast")["aria-pressed"] == "true"
    assert button(page, "kontrast").get_text() == "Kontrast"
    post(client, "groesser")
    assert html_classes(client.get("/")) == ["text-125", "kontrast"]
    post(client, "kontrast")
    page = client.get("/kontakt")
    assert html_classes(page) == ["text-125"]
    assert button(page, "kontrast")["aria-pressed"] == "false"


def test_standardansicht_removes_the_cookie(client):
    client.set_cookie(COOKIE, "200-kontrast")
    response = post(client, "standard")
    assert response.status_code == 303
    assert client.get_cookie(COOKIE) is None
    assert html_classes(client.get("/")) == []


def test_cookie_is_first_party_functional_for_one_year(client):
    response = post(client, "groesser")
    header = response.headers["Set-Cookie"]
    assert header.startswith(f"{COOKIE}=125-normal;")
    attributes = {part.strip().split("=")[0].lower() for part in header.split(";")}
    assert {"max-age", "path", "httponly", "samesite"} <= attributes
    assert "Max-Age=31536000" in header and "SameSite=Lax" in header and "Path=/" in header
    assert "secure" not in attributes
    assert response.headers["Cache-Control"] == "no-store"


def test_cookie_is_secure_when_configured():
    client = make_app(COOKIE_SECURE=True).test_client()
    header = post(client, "kontrast").headers["Set-Cookie"]
    assert "Secure" in header.split("; ")


@pytest.mark.parametrize(
    "value",
    [
        "",
        "300-normal",
        "125-dunkel",
        "125",
        "kontrast",
        "125-kontrast-x",
        " 125-kontrast",
        "０125-normal",
        "x" * 4000,
        '"><script>alert(1)</script>',
        "%00",
    ],
)
def test_tampered_cookie_falls_back_to_defaults(client, value):
    client.set_cookie(COOKIE, value)
    response = client.get("/hilfen")
    assert response.status_code == 200
    assert html_classes(response) == []
    assert button(response, "kontrast")["aria-pressed"] == "false"
    # And the controls still work from there.
    assert post(client, "groesser").status_code == 303
    assert html_classes(client.get("/")) == ["text-125"]


def test_unknown_action_is_refused_and_stores_nothing(client):
    for action in ("", "loeschen", "groesser ", "GROESSER"):
        response = post(client, action)
        assert response.status_code == 400
        assert "Set-Cookie" not in response.headers
    assert client.get("/anzeige").status_code in (404, 405)


@pytest.mark.parametrize(
    "back",
    [
        "//evil.example",
        "//evil.example/hilfen",
        "https://evil.example/",
        "http:/evil.example",
        "javascript:alert(1)",
        "/\\evil.example",
        "\\\\evil.example",
        "/\\/evil.example",
        "/hilfen\r\nSet-Cookie: x=1",
        "/hilfen\x00",
        "/\tevil",
        "hilfen",
        "",
        "/" + "a" * 5000,
    ],
)
def test_return_path_outside_the_site_goes_to_the_start_page(client, back):
    response = post(client, "groesser", back=back)
    assert response.status_code == 303
    assert response.headers["Location"] == "/#anzeige-groesser"


def test_return_path_keeps_query_and_language(client):
    response = post(client, "kontrast", back="/uebersicht?x=1&y=2")
    assert response.headers["Location"] == "/uebersicht?x=1&y=2#anzeige-kontrast"
    response = post(client, "kontrast", back="/hilfen", prefix="/en")
    assert response.headers["Location"] == "/en/hilfen#anzeige-kontrast"
    response = post(client, "kontrast", back="//evil.example", prefix="/leichte-sprache")
    assert response.headers["Location"] == "/leichte-sprache/#anzeige-kontrast"


def test_form_carries_this_pages_path_as_return_path(client):
    page = soup(client.get("/en/hilfen").data)
    assert len(page.find_all("form", class_="display-form")) == 1
    form = page.find(id="anzeige-groesser").find_parent("form")
    assert form["action"] == "/en/anzeige"
    assert form.find("input", attrs={"name": "zurueck"})["value"] == "/hilfen"


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://localhost.evil.example"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Sec-Fetch-Site": "cross-site", "Origin": "http://localhost"},
    ],
)
def test_cross_site_post_is_refused(client, headers):
    response = post(client, "kontrast", headers=headers)
    assert response.status_code == 403
    assert "Set-Cookie" not in response.headers
    assert soup(response.data).h1 is not None  # the error page with the layout


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin"},
        {"Origin": "http://localhost"},
        {},  # no browser at all: nothing to forge
    ],
)
def test_same_origin_post_is_accepted(client, headers):
    assert post(client, "kontrast", headers=headers).status_code == 303


def test_htmx_request_gets_the_announcement_and_the_controls_new_states(client):
    client.set_cookie(COOKIE, "175-normal")
    headers = {**SAME_ORIGIN, "HX-Request": "true"}
    response = post(client, "groesser", headers=headers)
    assert response.status_code == 200
    fragment = soup(response.data)
    assert fragment.find(id="status").get_text() == "Schriftgröße 200 Prozent"
    assert fragment.find(id="status")["data-hx-swap-oob"] == "innerHTML"
    # No button is swapped (the focused one would be read again): display.js sets the states.
    assert fragment.find("button") is None
    trigger = json.loads(response.headers["HX-Trigger-After-Swap"])
    buttons = trigger["anzeige-geaendert"]["buttons"]
    assert buttons["anzeige-groesser"] == {"disabled": True, "limit": "größte Stufe erreicht"}
    assert buttons["anzeige-kleiner"] == {"disabled": False, "limit": ""}
    assert trigger["anzeige-geaendert"]["classes"] == ["text-200"]
    assert "kontrast" in trigger["anzeige-geaendert"]["known"]
    assert client.get_cookie(COOKIE).value == "200-normal"

    again = soup(post(client, "groesser", headers=headers).data)
    assert again.find(id="status").get_text() == "Schriftgröße 200 Prozent, größte Stufe erreicht"

    contrast = post(client, "kontrast", headers=headers)
    assert soup(contrast.data).find(id="status").get_text() == "Kontrast eingeschaltet"
    states = json.loads(contrast.headers["HX-Trigger-After-Swap"])["anzeige-geaendert"]["buttons"]
    assert states["anzeige-kontrast"] == {"pressed": True}


def test_print_view_shows_title_address_and_date(client):
    page = soup(client.get("/hilfen").data)
    # Without JavaScript Drucken posts the one form and is sent to the print view.
    response = post(client, "drucken", back="/hilfen")
    assert response.status_code == 303
    assert response.headers["Location"] == "/hilfen?druck=1"
    assert "Set-Cookie" not in response.headers
    printed = page.find("link", href=lambda h: h and "print" in h)
    assert printed["media"] == "print"

    view = soup(client.get("/hilfen?druck=1").data)
    stylesheet = view.find("link", href=lambda h: h and "print" in h)
    assert stylesheet["media"] == "all"
    assert view.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    info = view.select_one(".print-info")
    assert "Hilfen zur Bedienung" in info.select_one(".print-info__title").get_text()
    assert "http://localhost/hilfen" in info.get_text()
    assert not info.select_one(".print-info__date").has_attr("hidden")
    assert info.select_one(".print-info__today").get_text().strip()
    back = info.find("a")
    assert back["href"] == "/hilfen"
    # On a normal page the print information is data only, written by display.js just before
    # printing: no text for text browsers and screen readers outside print.
    normal = page.select_one(".print-info")
    assert not normal.get_text(strip=True)
    assert "Hilfen zur Bedienung" in normal["data-title"]
    assert normal["data-address"] == "Adresse: http://localhost/hilfen"
    assert normal["data-date-label"] == "Druckdatum:"


def test_print_view_keeps_other_query_parameters(client):
    response = post(client, "drucken", back="/uebersicht?x=1", prefix="/en")
    assert response.headers["Location"] == "/en/uebersicht?x=1&druck=1"
    again = post(client, "drucken", back="/uebersicht?x=1&druck=1", prefix="/en")
    assert again.headers["Location"] == "/en/uebersicht?x=1&druck=1"
    outside = post(client, "drucken", back="//evil.example")
    assert outside.headers["Location"] == "/?druck=1"
    view = soup(client.get("/en/uebersicht?x=1&druck=1").data)
    assert view.select_one(".print-info a")["href"] == "/en/uebersicht?x=1"


def test_preferences_parse_only_known_values():
    assert Preferences.from_cookie("150-kontrast") == Preferences(150, True)
    assert Preferences.from_cookie("150-kontrast").cookie_value() == "150-kontrast"
    assert Preferences.from_cookie("110-normal") == Preferences()
    assert Preferences(200).apply("groesser") == Preferences(200)
    assert Preferences(100).apply("kleiner") == Preferences(100)
    assert safe_return_path("/a/b?c=d#e") == "/a/b?c=d#e"


def test_hilfen_and_datenschutz_explain_the_controls_and_the_cookie(client):
    hilfen = soup(client.get("/hilfen").data).find("main")
    rows = {
        tr.find_all("td")[0].get_text(strip=True): tr.find_all("td")[1].get_text(strip=True)
        for tr in hilfen.select("table tr")
        if tr.find("td")
    }
    assert {k: rows[k] for k in "234"} == {"2": "Größer", "3": "Kleiner", "4": "Kontrast"}
    text = hilfen.get_text(" ")
    for word in ("Drucken", "Vorlesen", "Standardansicht", "Strg", COOKIE):
        assert word in text, word
    datenschutz = soup(client.get("/datenschutz").data).find("main").get_text(" ")
    assert f"„{COOKIE}“" in datenschutz
    assert "ein Jahr" in datenschutz
    assert "150-kontrast" in datenschutz


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _ratio(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_theme_colours_meet_7_to_1_and_3_to_1():
    """Kontrast is a KERN theme: KERN's semantic variables, redefined in static/scss/."""
    import re
    from pathlib import Path

    scss = (Path(__file__).parent.parent / "static" / "scss" / "_themes.scss").read_text()
    block = re.search(r"html\.kontrast \{(.*?)\}", scss, re.S).group(1)
    colour = dict(re.findall(r"--kern-color-([a-z0-9-]+):\s*(#[0-9a-fA-F]{6})", block))
    bg = colour["layout-background-default"]
    for text in (
        "layout-text-default",
        "layout-text-muted",
        "action-default",
        "action-visited",
        "feedback-danger",
        "feedback-info",
        "feedback-success",
        "feedback-warning",
        "decorative-brand-default",
    ):
        assert _ratio(colour[text], bg) >= 7, text
    for surface in ("layout-background-hued", "layout-background-default-surface"):
        assert _ratio(colour["layout-text-default"], colour[surface]) >= 7, surface
    # pressed button: text on the action colour
    assert _ratio(colour["action-on-default"], colour["action-default"]) >= 7
    for line in ("layout-border", "form-input-border", "action-focus-default"):
        assert _ratio(colour[line], bg) >= 3, line
