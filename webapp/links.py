"""The one way the portal builds a link to a page of its own: :func:`site_path`.

Paths come from the request too (the language switch and the print view link to the page the
visitor is on, also a 404 page at any address the visitor typed). ``request.path`` is already
percent-decoded: ``/en/%5Cevil.example`` is ``/\\evil.example`` to the app, and browsers read
``\\`` as ``/`` — ``href="/\\evil.example"`` would lead to another host. So every path is
percent-encoded again here (everything but RFC 3986's path characters), and a path that would
start with ``//`` keeps its further slashes encoded: the link always stays on this site.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import request

#: RFC 3986 ``pchar`` and ``/``: kept as they are; everything else is percent-encoded.
PATH_SAFE = "/:@!$&'()*+,;=-._~"
#: A query string is passed on as the client sent it (already encoded), only characters that
#: do not belong in a URL are encoded.
QUERY_SAFE = PATH_SAFE + "?%"


def encode_path(path: str) -> str:
    """``path`` (decoded) as an absolute path on this site, safe in any attribute."""
    encoded = quote(path, safe=PATH_SAFE)
    if not encoded.startswith("/"):
        encoded = "/" + encoded
    if encoded.startswith("//"):
        rest = encoded.lstrip("/")
        encoded = "/" + "%2F" * (len(encoded) - len(rest) - 1) + rest
    return encoded


def site_path(path: str, query: str = "", prefix: str = "") -> str:
    """The link to ``path`` (decoded, as ``request.path``) with ``query`` (as sent) below
    ``prefix`` (a language prefix or ``request.script_root``, which the server sets)."""
    url = prefix + encode_path(path)
    if query:
        url += "?" + quote(query, safe=QUERY_SAFE)
    return url


def href(path: str) -> str:
    """A site path, optionally with its query (``/kontakt``, ``/suche?q=a``), inside the
    visitor's language (``/kontakt`` → ``/en/kontakt``)."""
    path, _, query = path.partition("?")
    return site_path(path, query, prefix=request.script_root)


def current_query() -> str:
    return request.query_string.decode("latin-1")
