"""The request path without work that need not run per request (issue 15.2, README "Where the
time goes").

:class:`PortalFlask` is Flask with two changes:

* ``ensure_sync`` remembers its answer per function: Flask asks ``inspect.iscoroutinefunction``
  for every hook, view and error handler on every request (about a tenth of ``/healthz``).
* A page served from the page cache (``webapp/caching.py``) is final: its headers were built
  by every ``after_request`` hook when it was stored, and it carries no session. So the hooks
  and the session's save are skipped for it (``g.page_cache_hit``).
"""

from __future__ import annotations

import logging

from flask import Flask, g

log = logging.getLogger(__name__)


class PortalFlask(Flask):
    _sync: dict
    #: ``shortcut(environ, start_response)``: an answer before Flask builds its request
    #: context (a page-cache hit, ``/healthz``: webapp/caching.py), or ``None``.
    shortcut = None

    def wsgi_app(self, environ, start_response):
        shortcut = self.shortcut
        if shortcut is not None:
            try:
                answer = shortcut(environ, start_response)
            except Exception:  # never worse than Flask's own path, which handles its errors
                log.exception("page cache shortcut failed; Flask's path answers")
                answer = None
            if answer is not None:
                return answer
        return super().wsgi_app(environ, start_response)

    def ensure_sync(self, func):
        cache = self.__dict__.get("_sync")
        if cache is None:
            cache = self._sync = {}
        try:
            return cache[func]
        except KeyError:
            pass
        except TypeError:  # not hashable
            return super().ensure_sync(func)
        result = super().ensure_sync(func)
        if len(cache) < 4096:  # registered functions only; bounded all the same
            cache[func] = result
        return result

    def process_response(self, response):
        if g.get("page_cache_hit"):
            return response
        return super().process_response(response)


def add_vary(response, *names: str) -> None:
    """Add ``names`` to the response's ``Vary`` header: a string operation, where
    ``response.vary.add`` parses and rebuilds the header for every name."""
    headers = response.headers
    current = headers.get("Vary")
    if not current:
        headers["Vary"] = ", ".join(names)
        return
    have = {part.strip().lower() for part in current.split(",")}
    missing = [name for name in names if name.lower() not in have]
    if missing:
        headers["Vary"] = ", ".join([current, *missing])


def is_html(response) -> bool:
    """``text/html`` without parsing the header's parameters."""
    return response.headers.get("Content-Type", "").startswith("text/html")


def not_cached(view):
    """Mark a view whose answers are never pages (``/healthz``, static files): the page cache
    (``webapp/caching.py``) builds no key and makes no lookup for its requests."""
    view.page_cache = False
    return view
