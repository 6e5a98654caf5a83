"""Default settings; ``create_app(config)`` and ``SOZIALBERICHTE_*`` environment variables
override them."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DEFAULTS = {
    "CONTENT_DIR": str(ROOT / "content"),
    "SECRET_KEY": "dev-only-not-secret",
    "PREFERRED_URL_SCHEME": "http",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "COOKIE_SECURE": False,
    # Number of trusted reverse proxies in front (X-Forwarded-*); 0 = none.
    "PROXY_FIX": 0,
    # A 5,000-character message of 4-byte characters is about 60 KB URL-encoded.
    "MAX_CONTENT_LENGTH": 128 * 1024,
    # An editor's .po upload (webapp/editor/views.py). nginx's client_max_body_size is the
    # same as these two (deploy/nginx.conf.template).
    "EDITOR_UPLOAD_MAX": 4 * 1024 * 1024,
}


def from_environment() -> dict:
    """Settings from the environment: ``SECRET_KEY``, ``DATABASE_URL``, ``SOZIALBERICHTE_*``."""
    found = {}
    for key in ("SECRET_KEY", "DATABASE_URL"):
        if os.environ.get(key):
            found[key] = os.environ[key]
    prefix = "SOZIALBERICHTE_"
    for key, value in os.environ.items():
        if key.startswith(prefix):
            found[key[len(prefix) :]] = value
    if "COOKIE_SECURE" in found:
        found["COOKIE_SECURE"] = found["COOKIE_SECURE"].lower() in {"1", "true", "yes"}
    return found


def as_bool(value) -> bool:
    """A switch from the config: ``True``/``False`` as given, strings like ``"0"``/``"yes"``."""
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)
