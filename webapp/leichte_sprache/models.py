"""Tables of the Leichte Sprache workflow (migration ``0007_ls_pruefung``): the check state of
each page, the marks of a test session, and the editors' entries of the Wörterbuch.

No personal data: a Prüfgruppe is named as the editor likes (usually an organisation), marks
belong to a page and a sentence, not to a person."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db

NICHT_GEPRUEFT, IN_PRUEFUNG, GEPRUEFT = "nicht_geprueft", "in_pruefung", "geprueft"
STATES = (NICHT_GEPRUEFT, IN_PRUEFUNG, GEPRUEFT)
VERSTANDEN, NICHT_VERSTANDEN = "verstanden", "nicht_verstanden"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class PageCheck(db.Model):
    """The check state of one Leichte Sprache page (a content document, by its path).

    ``text_hash`` is the hash of the page's Leichte Sprache texts when it was checked: when
    it no longer matches, the page counts as *nicht geprüft* again (:mod:`.pruefung`)."""

    __tablename__ = "ls_page_check"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(String(300), unique=True)
    state: Mapped[str] = mapped_column(String(20), default=NICHT_GEPRUEFT)
    group_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    checked_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    text_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    updated_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CheckMark(db.Model):
    """What the Prüfgruppe said about one sentence of a page: understood or not, and a note.

    ``text`` is the Leichte Sprache text of the whole entry (block) when it was marked: a mark
    "nicht verstanden" flags the entry until its text is revised (differs from ``text``)."""

    __tablename__ = "ls_check_mark"
    __table_args__ = (UniqueConstraint("path", "key", "sentence", name="uq_ls_check_mark"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(String(300), index=True)
    key: Mapped[str] = mapped_column(String(64), index=True)  # entry key of the German msgid
    msgid: Mapped[str] = mapped_column(Text)
    sentence: Mapped[int] = mapped_column(Integer)
    sentence_text: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    mark: Mapped[str | None] = mapped_column(String(20), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class GlossaryEntry(db.Model):
    """A Wörterbuch entry written in the editors' area; it replaces the entry of the same
    word in ``content/woerterbuch.yaml`` (the baseline in the repository)."""

    __tablename__ = "ls_glossary"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    word: Mapped[str] = mapped_column(String(100), unique=True)
    forms: Mapped[str] = mapped_column(Text, default="")  # other forms, one per line
    explanation: Mapped[str] = mapped_column(Text)
    example: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[str] = mapped_column(String(80))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
