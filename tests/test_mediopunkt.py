"""The Mediopunkt for the eye only, in every HTML answer (webapp/mediopunkt.py)."""

from __future__ import annotations

import re

from webapp.mediopunkt import for_the_ear

from .helpers import soup


def test_visible_text_keeps_it_names_do_not():
    html = (
        '<title>Sozial·bericht</title><a aria-label="Sozial·bericht" title="Daten·schutz" '
        'data-x="a·b" href="/">Sozial·bericht</a><img alt="Gebärden·sprache" src="x">'
        '<select><option value="a·b">Barriere·freiheit</option></select>'
        "<textarea>Sozial·planung</textarea><script>var a = '·';</script>"
    )
    out = for_the_ear(html)
    page = soup(out)
    assert page.title.get_text() == "Sozialbericht"
    link = page.find("a")
    assert (link["aria-label"], link["title"], link["data-x"]) == (
        "Sozialbericht",
        "Datenschutz",
        "a·b",
    )
    assert str(link.span) == '<span aria-hidden="true">·\u200b</span>'
    assert link.get_text() == "Sozial·\u200bbericht"
    assert page.img["alt"] == "Gebärdensprache"
    assert page.option.get_text() == "Barriereefreiheit".replace("ee", "e")
    assert page.option["value"] == "a·b"
    assert page.textarea.get_text() == "Sozial·planung"
    assert "var a = '·';" in out
    assert for_the_ear(out) == out  # a cached page passes again: nothing changes


def test_every_leichte_sprache_page_hides_it_from_the_ear(client):
    response = client.get("/leichte-sprache/")
    html = response.text
    page = soup(html)
    assert "·" not in page.title.get_text()
    bare = re.sub(r'<span aria-hidden="true">·\u200b</span>|data-[a-z-]+="[^"]*"', "", html)
    assert "·" not in bare
    assert html.count('<span aria-hidden="true">·\u200b</span>') >= 10
    # From the page cache the same, not wrapped twice.
    assert client.get("/leichte-sprache/").text == html
    # htmx fragments too
    fragment = client.get("/leichte-sprache/hilfen", headers={"HX-Request": "true"}).text
    assert "·" not in re.sub(r'<span aria-hidden="true">·\u200b</span>', "", fragment)
