"""``flask content export``: the published browser-made documents into ``content/*.md``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
import frontmatter
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from ..db import db
from .fields import target_file
from .models import ContentDocument, ContentRevision
from .store import effective_revision, files, is_gone, now

cli = AppGroup("content", help="German content made in the browser.")

FRONT_MATTER = ("title", "short_title", "summary", "date", "time_note", "place")


def file_text(row: ContentDocument, data: dict) -> str:
    """The text of the document's file for revision ``data``: front matter and body."""
    meta = dict(data.get("extra") or {})
    for key in FRONT_MATTER:
        if data.get(key):
            meta[key] = data[key]
    if data.get("date"):  # YAML's date, as in the files (a quoted string is no date)
        meta["date"] = dt.date.fromisoformat(data["date"])
    for key in ("registration", "organiser", "nav", "order"):
        if data.get(key) not in (None, ""):
            meta[key] = data[key]
    if data.get("sitemap") is False:
        meta["sitemap"] = False
    if row.kind == "page" and row.path != "/" + row.slug:
        meta["path"] = row.path
    post = frontmatter.Post(data.get("body") or "", **meta)
    return frontmatter.dumps(post, sort_keys=False) + "\n"


def export_documents(app) -> tuple[int, int]:
    """Write every document visitors see now to its file; remove the files of deleted
    ones. Returns (written, removed)."""
    content_dir: Path = files(app).root
    at = now(app)
    written = removed = 0
    for row in db.session.scalars(select(ContentDocument)):
        target = target_file(row, content_dir)
        revision_id = effective_revision(row, at)
        if revision_id is None:
            if is_gone(row, at) and target.exists():
                target.unlink()
                removed += 1
            continue
        data = db.session.get(ContentRevision, revision_id).data
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(file_text(row, data), encoding="utf-8")
        written += 1
    return written, removed


@cli.command("export")
def export_command() -> None:
    """Write the published German documents from the database into content/*.md (and
    remove deleted ones), so they can be committed; then run `make translations`."""
    written, removed = export_documents(current_app)
    click.echo(f"{written} document(s) written, {removed} removed")
