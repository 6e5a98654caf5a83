"""The Mediopunkt is for the eye, not the ear.

Leichte Sprache splits long words with a Mediopunkt ("Sozial·bericht"). Screen readers say
"Sozial Mittelpunkt bericht" for it, in the page title too. One place for every HTML answer
(whole pages and htmx fragments, content, catalog strings and the editors' area alike):

* in visible text the Mediopunkt stays, hidden from assistive technology together with a
  zero-width space after it, where a line may break (the Mediopunkt itself is no break
  opportunity): ``<span aria-hidden="true">·&#8203;</span>``. (A ``<wbr>`` would make
  Chromium's accessible names "Sozial berichte", with a space.)
* in ``<title>``, ``<option>`` and the attributes that are read out (``aria-label``, ``title``,
  ``alt``, …) it is removed: "Sozialbericht".

``<script>``, ``<style>``, ``<textarea>`` and all other attributes (form values, ``data-*``)
keep what they hold. "Vorlesen" drops the Mediopunkt in ``static/js/display.js``.
"""

from __future__ import annotations

import re

from flask import Flask, Response

MEDIOPUNKT = "·"
#: What a Mediopunkt in visible text becomes.
VISIBLE = '<span aria-hidden="true">·\u200b</span>'
#: Elements whose content is left alone, and those whose text is read out as a name.
_RAW = ("script", "style", "textarea")
_NAMES = ("title", "option")
_TOKEN = re.compile(
    "(?P<done>" + re.escape(VISIBLE) + ")"  # already done (a cached page): stays as it is
    r"|<!--.*?-->"
    r"|<(?P<raw>script|style|textarea)\b[^>]*>.*?</(?P=raw)\s*>"
    r"|<(?P<named>title|option)\b[^>]*>.*?</(?P=named)\s*>"
    r"|<[^>]*>",
    re.S | re.I,
)
_SPOKEN_ATTRIBUTE = re.compile(
    r"""(\s(?:aria-label|aria-description|aria-roledescription|aria-valuetext|title|alt|placeholder)\s*=\s*)("[^"]*"|'[^']*')""",
    re.I,
)


def _strip_attributes(tag: str) -> str:
    return _SPOKEN_ATTRIBUTE.sub(lambda m: m[1] + m[2].replace(MEDIOPUNKT, ""), tag)


def for_the_ear(html: str) -> str:
    """``html`` with every Mediopunkt shown to the eye only (see the module's text)."""
    if MEDIOPUNKT not in html:
        return html
    out = []
    position = 0
    for match in _TOKEN.finditer(html):
        out.append(html[position : match.start()].replace(MEDIOPUNKT, VISIBLE))
        token = match[0]
        if match["raw"] or match["done"]:
            out.append(token)
        elif match["named"]:
            opening, rest = token.split(">", 1)
            out.append(_strip_attributes(opening) + ">" + rest.replace(MEDIOPUNKT, ""))
        else:
            out.append(_strip_attributes(token))
        position = match.end()
    out.append(html[position:].replace(MEDIOPUNKT, VISIBLE))
    return "".join(out)


def _after_request(response: Response) -> Response:
    if (
        response.mimetype != "text/html"
        or response.direct_passthrough
        or response.is_streamed
        or response.content_encoding
    ):
        return response
    html = response.get_data(as_text=True)
    if MEDIOPUNKT in html:
        response.set_data(for_the_ear(html))
    return response


def init_app(app: Flask) -> None:
    # Runs before the page cache and compression (they put themselves last, webapp/caching.py).
    app.after_request(_after_request)
