"""Static files under names with a content hash (``css/portal.3f2a9c81d0.css``), cached by
browsers and proxies for a year, served precompressed (Brotli, gzip).

The hashes are computed once at start-up (in debug on every call, so edited files show at once);
``static_url()`` in the templates emits the hashed names. A file is read and compressed once, on
its first request.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, Response, abort, current_app, request
from werkzeug.security import safe_join

from . import compression
from .lean import not_cached

EXTENSION_KEY = "sozialberichte.assets"
HASH_LENGTH = 10
HASHED = re.compile(rf"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{{{HASH_LENGTH}}})(?P<ext>\.[^./]+)$")
IMMUTABLE = "public, max-age=31536000, immutable"
#: Unhashed names (and outdated hashes after a deployment) must be revalidated.
REVALIDATE = "no-cache"


def digest_of(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()[:HASH_LENGTH]


@dataclass
class Asset:
    path: str
    digest: str
    mimetype: str
    _variants: dict[str, bytes] = field(default_factory=dict)

    def variants(self) -> dict[str, bytes]:
        if not self._variants:
            body = Path(self.path).read_bytes()
            if self.mimetype in compression.COMPRESSIBLE:
                self._variants = compression.encode_all(body)
            else:
                self._variants = {"identity": body}
        return self._variants


class StaticAssets:
    def __init__(self, folder: str, debug: bool = False):
        self.folder = folder
        self.debug = debug
        self.assets: dict[str, Asset] = {}
        for directory, _dirs, files in os.walk(folder):
            for name in files:
                path = os.path.join(directory, name)
                relative = os.path.relpath(path, folder).replace(os.sep, "/")
                self.assets[relative] = self._load(relative, path)

    @staticmethod
    def _load(relative: str, path: str) -> Asset:
        mimetype = mimetypes.guess_type(relative)[0] or "application/octet-stream"
        return Asset(path, digest_of(path), mimetype)

    def get(self, relative: str) -> Asset | None:
        asset = self.assets.get(relative)
        if self.debug:
            path = safe_join(self.folder, relative)
            if path is None or not os.path.isfile(path):
                return None
            if asset is None or digest_of(path) != asset.digest:
                asset = self.assets[relative] = self._load(relative, path)
        return asset

    def hashed_name(self, relative: str) -> str:
        """``css/portal.css`` → ``css/portal.<hash>.css`` (unchanged for unknown files)."""
        asset = self.get(relative)
        if asset is None:
            return relative
        stem, ext = os.path.splitext(relative)
        return f"{stem}.{asset.digest}{ext}"

    def resolve(self, name: str) -> tuple[Asset | None, bool]:
        """The asset a requested name stands for, and whether the name carries its current
        hash."""
        asset = self.get(name)
        if asset is not None:
            return asset, False
        match = HASHED.match(name)
        if match is None:
            return None, False
        asset = self.get(match["stem"] + match["ext"])
        return asset, asset is not None and asset.digest == match["digest"]


def assets() -> StaticAssets:
    return current_app.extensions[EXTENSION_KEY]


def hashed_name(relative: str) -> str:
    return assets().hashed_name(relative)


def serve_static(filename: str) -> Response:
    asset, current = assets().resolve(filename)
    if asset is None:
        abort(404)
    response = Response(mimetype=asset.mimetype)
    encoding = compression.apply(response, asset.variants())
    response.set_etag(asset.digest if encoding == "identity" else f"{asset.digest}-{encoding}")
    response.headers["Cache-Control"] = IMMUTABLE if current else REVALIDATE
    return response.make_conditional(request)


def shortcut(app: Flask, environ: dict, start_response):
    """Answer a GET of a known static file before Flask builds its request context (called by
    ``webapp/caching.py``'s shortcut); ``None``: Flask's path (an unknown file's 404, debug
    mode). The answer is :func:`serve_static`'s: the same variants, encoding, ``ETag``,
    ``Cache-Control`` and 304."""
    path = environ.get("PATH_INFO", "")
    prefix = app.static_url_path + "/"
    if not path.startswith(prefix):
        return None
    store = app.extensions.get(EXTENSION_KEY)
    if store is None or store.debug:
        return None
    asset, current = store.resolve(path[len(prefix) :])
    if asset is None:
        return None
    variants = asset.variants()
    encoding = compression.choose_for(environ.get("HTTP_ACCEPT_ENCODING"), tuple(variants))
    response = Response(variants[encoding], mimetype=asset.mimetype)
    if encoding != "identity":
        response.headers["Content-Encoding"] = encoding
    if len(variants) > 1:
        response.vary.add("Accept-Encoding")
    response.set_etag(asset.digest if encoding == "identity" else f"{asset.digest}-{encoding}")
    response.headers["Cache-Control"] = IMMUTABLE if current else REVALIDATE
    app.static_shortcuts += 1
    return response.make_conditional(environ)(environ, start_response)


def init_app(app: Flask) -> None:
    app.static_shortcuts = 0  # answered by :func:`shortcut` (for the tests)
    app.extensions[EXTENSION_KEY] = StaticAssets(app.static_folder, debug=app.debug)
    app.view_functions["static"] = not_cached(serve_static)
