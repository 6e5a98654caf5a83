"""The fields of a German document as editors see them, and the :class:`Document` visitors
get from them. A revision stores these fields (``data``), never front matter."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from pathlib import Path

import frontmatter

from ..content import Document

KIND_FOLDERS = {"page": "seiten", "news": "aktuelles", "event": "veranstaltungen"}
KIND_BASES = {"page": "/", "news": "/aktuelles/", "event": "/veranstaltungen/"}
#: Every field of the form, in order; ``extra`` keeps what a content/ file has besides them
#: (template, list, endpoint, downloads, path), so an edit in the browser never loses it.
FIELDS = (
    "title",
    "short_title",
    "summary",
    "body",
    "date",
    "time_note",
    "place",
    "registration",
    "organiser",
    "nav",
    "order",
    "sitemap",
)
EMPTY = {
    "title": "",
    "short_title": "",
    "summary": "",
    "body": "",
    "date": "",
    "time_note": "",
    "place": "",
    "registration": "",
    "organiser": "",
    "nav": None,
    "order": None,
    "sitemap": True,
}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def path_for(kind: str, slug: str) -> str:
    return KIND_BASES[kind] + slug


def target_file(row, content_dir: Path) -> Path:
    """The file of ``content/`` a document is exported to (its own, or the one it overlays)."""
    if row.source_file:
        return content_dir.parent / row.source_file
    return content_dir / KIND_FOLDERS[row.kind] / f"{row.slug}.md"


def catalog_name(row, content_dir: Path) -> str:
    """The name of the document's translation catalog: its file, ``content/aktuelles/x.md``
    (as :func:`webapp.i18n.catalogs.content_sources` names it), even before it is exported."""
    return target_file(row, content_dir).relative_to(content_dir.parent).as_posix()


def data_of_file(doc: Document, content_dir: Path) -> dict:
    """The form's fields of a document from ``content/`` (its body read from the file)."""
    post = frontmatter.load(content_dir.parent / doc.source)
    meta = dict(post.metadata)
    data = dict(EMPTY)
    for key in FIELDS:
        if key in meta and key != "body":
            value = meta.pop(key)
            data[key] = value.isoformat() if isinstance(value, dt.date) else value
    data["body"] = post.content
    data["sitemap"] = meta.pop("sitemap", True) is not False
    meta.pop("path", None)
    data["extra"] = {k: v for k, v in meta.items() if isinstance(v, str | int | bool | list)}
    return data


def to_document(kind: str, path: str, data: dict, source: str, base: Document | None) -> Document:
    """What visitors see of a revision (``base``: the content/ file it overlays, if any)."""
    meta = dict(data.get("extra") or {})
    for key in ("title", "short_title", "summary", "time_note", "place"):
        if data.get(key):
            meta[key] = data[key]
    for key in ("registration", "organiser"):
        if data.get(key):
            meta[key] = data[key]
    if data.get("date"):
        with contextlib.suppress(ValueError):
            meta["date"] = dt.date.fromisoformat(data["date"])
    for key in ("nav", "order"):
        if data.get(key) is not None:
            meta[key] = data[key]
    if data.get("sitemap") is False:
        meta["sitemap"] = False
    meta["path"] = path
    return Document(
        kind=kind,
        path=path,
        source=source,
        meta=meta,
        body=data.get("body") or "",
        downloads=list(base.downloads) if base else [],
    )


def as_text(data: dict, labels: dict | None = None) -> str:
    """The fields as lines of text (``labels``: the names editors know), for the diff
    between revisions and the conflict page."""
    labels = labels or {}
    lines = []
    for key in FIELDS:
        value = data.get(key)
        label = labels.get(key, key)
        if key == "body":
            lines.append(f"{label}:")
            lines.extend((value or "").splitlines())
        elif isinstance(value, bool):
            lines.append(f"{label}: {labels.get(value, value)}")
        else:
            lines.append(f"{label}: {'' if value is None else value}")
    return "\n".join(lines)
