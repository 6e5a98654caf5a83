"""Fuzzing every route of the app (``app.url_map``) with random methods, headers, cookies,
query strings and bodies, in every language: the answer is never a server error.

The app runs as in production (not TESTING) but with ``PROPAGATE_EXCEPTIONS``, so an unhandled
exception fails the test with its traceback instead of hiding behind the error page.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .fixtures_db import dispose_app, migrated_app

METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")
PREFIXES = ("", "/en", "/leichte-sprache")
PLACEHOLDER = re.compile(r"<(?:(?P<converter>[a-z]+)(?:\([^)]*\))?:)?(?P<name>\w+)>")

# Printable ASCII without CR/LF: what a header may carry (HTTP itself rejects the rest).
header_text = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=60)
any_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
interesting = st.sampled_from(
    ["", "0", "1", "true", "-1", "..", "../..", "%00", "ä", "a" * 300, "<script>", "' OR 1=1"]
)
values = st.one_of(interesting, any_text)


@pytest.fixture(scope="module")
def fuzz_app(tmp_path_factory):
    database = tmp_path_factory.mktemp("fuzz") / "fuzz.sqlite3"
    app = migrated_app(f"sqlite:///{database}", TESTING=False, PROPAGATE_EXCEPTIONS=True)
    yield app
    dispose_app(app)


def rule_paths(app) -> list[tuple[str, str, tuple[str, ...]]]:
    """``(rule, converter names, methods)`` of every route."""
    return [
        (rule.rule, rule.endpoint, tuple(sorted(rule.methods))) for rule in app.url_map.iter_rules()
    ]


def fill(rule: str, draw) -> str:
    def replace(match):
        if match["converter"] == "int":
            return str(draw(st.integers(min_value=-1, max_value=2**40)))
        value = draw(values)
        if match["converter"] == "path":
            return quote(value, safe="/")
        return quote(value, safe="")

    return PLACEHOLDER.sub(replace, rule)


@st.composite
def requests(draw, rules):
    rule, allowed = draw(st.sampled_from(rules))
    path = draw(st.sampled_from(PREFIXES)) + fill(rule, draw)
    query = draw(
        st.lists(
            st.tuples(
                st.one_of(st.sampled_from(["q", "druck", "zurueck", "seite"]), any_text), values
            ),
            max_size=4,
        )
    )
    headers = draw(
        st.dictionaries(
            st.sampled_from(
                [
                    "HX-Request",
                    "HX-History-Restore-Request",
                    "HX-Target",
                    "HX-Current-URL",
                    "Accept-Language",
                    "Accept-Encoding",
                    "Accept",
                    "Origin",
                    "Sec-Fetch-Site",
                    "Referer",
                    "If-None-Match",
                    "If-Modified-Since",
                    "Range",
                    "X-Forwarded-For",
                    "X-Forwarded-Proto",
                    "Content-Type",
                ]
            ),
            st.one_of(
                st.sampled_from(["true", "*", "gzip, br", "en;q=x", "bytes=5-1"]), header_text
            ),
            max_size=6,
        )
    )
    cookies = draw(
        st.dictionaries(
            st.sampled_from(["anzeige", "session", "csrf", "x"]), header_text, max_size=3
        )
    )
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    # Mostly a method the route takes (so the view runs), sometimes any.
    method = draw(st.one_of(st.sampled_from(allowed), st.sampled_from(METHODS)))
    form = draw(
        st.dictionaries(
            st.one_of(
                st.sampled_from(["aktion", "zurueck", "csrf_token", "name", "email", "nachricht"]),
                any_text,
            ),
            values,
            max_size=5,
        )
    )
    return method, path + ("?" + urlencode(query) if query else ""), headers, form


def test_every_route_and_method_plainly(fuzz_app):
    client = fuzz_app.test_client(use_cookies=False)
    rules = rule_paths(fuzz_app)
    assert len(rules) >= 15  # pages, feeds, static, display, forms, search, editors' area
    for rule, endpoint, _methods in rules:
        path = PLACEHOLDER.sub("x", rule)
        for prefix in PREFIXES:
            for method in METHODS:
                response = client.open(prefix + path, method=method)
                assert response.status_code < 500, (method, prefix + path, endpoint)


def test_random_requests_never_get_a_server_error(fuzz_app):
    client = fuzz_app.test_client(use_cookies=False)
    rules = [(rule, methods) for rule, _, methods in rule_paths(fuzz_app)]

    @settings(
        max_examples=400,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )
    @given(requests(rules))
    def check(request):
        method, url, headers, form = request
        data = form if method in ("POST", "PUT", "PATCH") else None
        response = client.open(url, method=method, headers=headers, data=data)
        assert response.status_code < 500, (method, url, headers, form)

    check()
