"""A portal on a temporary content folder with many generated news items (paging, the year
filter, search spellings) and routes that fail, served on its own live server."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from flask import render_template

from webapp.fragments import render_page

#: Generated news items: more than two pages of ten.
NEWS_COUNT = 23
#: Items dated in 2023 (the rest in 2024).
NEWS_2023 = 5
#: How long /test-langsam takes to answer.
SLOW_SECONDS = 1.0


def write_news_content(root, count: int = NEWS_COUNT):
    """A small content folder: start page (with links that fail), news list and ``count``
    news items, newest first ``Meldung 1`` … ``Meldung <count>``."""
    seiten = root / "seiten"
    aktuelles = root / "aktuelles"
    seiten.mkdir(parents=True)
    aktuelles.mkdir()
    (seiten / "start.md").write_text(
        "---\npath: /\ntitle: Start\ntemplate: start\nnav: 0\n---\n"
        "Zur [Liste](/aktuelles/), zu einer [fehlenden Seite](/fehlt), zu einem "
        "[Fehler](/test-500), zu einer [langsamen Seite](/test-langsam), zu einer "
        "[Seite ohne Fragmente](/test-ohne-fragmente) und zur [Straßenseite](/strasse).\n",
        encoding="utf-8",
    )
    (seiten / "aktuelles.md").write_text(
        "---\npath: /aktuelles/\ntitle: Aktuelles\nlist: aktuelles\nnav: 1\n---\nMeldungen.\n",
        encoding="utf-8",
    )
    (seiten / "strasse.md").write_text(
        "---\ntitle: Straßenverkehr\n---\nDie Hauptstraße in Düsseldorf, "
        "<script>alert(1)</script> & andere Zeichen.\n",
        encoding="utf-8",
    )
    first = dt.date(2024, 12, 31)
    for number in range(1, count + 1):
        date = first - dt.timedelta(days=number)
        if number > count - NEWS_2023:
            date = date.replace(year=2023)
        (aktuelles / f"meldung-{number:02d}.md").write_text(
            f"---\ntitle: Meldung {number}\ndate: {date.isoformat()}\n---\nText {number}.\n",
            encoding="utf-8",
        )
    return root


def make_news_app(root):
    from .conftest import make_app

    app = make_app(
        CONTENT_DIR=str(write_news_content(root)), TESTING=False, PROPAGATE_EXCEPTIONS=False
    )

    @app.route("/test-500")
    def _fails():
        raise RuntimeError("geheimes Detail")

    @app.route("/test-langsam")
    def _slow():
        time.sleep(SLOW_SECONDS)
        response = render_page("errors/error.html", error_title="Langsam", error_text=[])
        response.headers["Cache-Control"] = "no-store"  # slow every time (no page cache)
        return response

    @app.route("/test-ohne-fragmente")
    def _whole_page_only():  # a view that does not use render_page()
        return render_template("errors/error.html", error_title="Ohne Fragmente", error_text=[])

    return app


@pytest.fixture(scope="module")
def news_app(tmp_path_factory):
    return make_news_app(tmp_path_factory.mktemp("content"))


@pytest.fixture(scope="module")
def news_server(news_app):
    from .conftest import LiveServer

    server = LiveServer(news_app).start()
    yield server
    server.stop()


def assert_partial_answers_kept_apart(client, url: str, target: str) -> None:
    """``url`` answers an htmx request for ``#target`` (a part of the page), an in-place
    navigation and a direct load differently: whichever comes first, and whatever the page
    cache of a production app kept, each gets its own answer (``Vary: HX-Target``)."""
    from .helpers import soup

    partial = {"HX-Request": "true", "HX-Target": target}
    boosted = {"HX-Request": "true", "HX-Boosted": "true"}
    for _ in range(2):
        for headers in (partial, boosted, {}):
            response = client.get(url, headers=headers)
            assert "HX-Target" in response.headers["Vary"]
            has_heading = soup(response.data).find("h1") is not None
            assert has_heading == (headers is not partial), headers
