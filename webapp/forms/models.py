"""Form submissions: one table for all three forms.

Why one ``submission`` table with a ``kind`` and a JSON ``payload`` instead of a table per
form: the three forms share their whole life cycle (stored with a reference number, read
by the ministry's staff, deleted after 90 days) and differ only in their fields, which
nobody queries individually. One table gives one purge, one retention rule and one place
to look; a new field or form needs no schema migration. ``payload`` is JSON on SQLite and
JSONB on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import secrets

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from ..db import db

#: Reference numbers use letters and digits that cannot be mistaken for each other.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
RETENTION = dt.timedelta(days=90)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Submission(db.Model):
    __tablename__ = "submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(20), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(20), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), index=True)
    language: Mapped[str] = mapped_column(sa.String(10))
    payload: Mapped[dict] = mapped_column(sa.JSON().with_variant(JSONB(), "postgresql"))


def new_reference(now: dt.datetime) -> str:
    """``SB-2026-K7QM3XPD``: the year and eight random characters (32⁸ ≈ 10¹² per year)."""
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"SB-{now.year}-{code}"


def store(kind: str, payload: dict, language: str) -> str:
    """Saves a submission and commits; returns its reference number once it is in the
    database.

    Raises :class:`sqlalchemy.exc.SQLAlchemyError` when the database cannot be reached.
    """
    for _attempt in range(5):
        now = utcnow()
        submission = Submission(
            reference=new_reference(now),
            kind=kind,
            created_at=now,
            language=language,
            payload=payload,
        )
        reference = submission.reference
        db.session.add(submission)
        try:
            db.session.commit()
        except IntegrityError:  # the same reference twice: draw again
            db.session.rollback()
            continue
        except Exception:
            db.session.rollback()
            raise
        return reference
    raise RuntimeError("no unique reference number after five attempts")


def payload_of(reference: str) -> dict | None:
    """The stored fields of the submission ``reference`` (None if there is none)."""
    row = db.session.execute(
        sa.select(Submission.payload).where(Submission.reference == reference)
    ).scalar_one_or_none()
    return dict(row) if row else None


def purge(older_than: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Deletes every submission older than ``older_than``; returns how many."""
    cutoff = (now or utcnow()) - older_than
    result = db.session.execute(sa.delete(Submission).where(Submission.created_at < cutoff))
    db.session.commit()
    return result.rowcount
