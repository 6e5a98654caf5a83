"""Leichte Sprache: check state per page, marks of the Prüfgruppe, Wörterbuch (issue 17).

Revision ID: 0007_ls_pruefung
Revises: 0006_downloads
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_ls_pruefung"
down_revision = "0006_downloads"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "ls_page_check",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("path", sa.String(length=300), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("group_name", sa.String(length=200), nullable=True),
        sa.Column("checked_on", sa.Date(), nullable=True),
        sa.Column("text_hash", sa.String(length=64), nullable=True),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("path"),
    )
    op.create_table(
        "ls_check_mark",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("path", sa.String(length=300), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("msgid", sa.Text(), nullable=False),
        sa.Column("sentence", sa.Integer(), nullable=False),
        sa.Column("sentence_text", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("mark", sa.String(length=20), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("path", "key", "sentence", name="uq_ls_check_mark"),
    )
    op.create_index("ix_ls_check_mark_path", "ls_check_mark", ["path"])
    op.create_index("ix_ls_check_mark_key", "ls_check_mark", ["key"])
    op.create_table(
        "ls_glossary",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("word", sa.String(length=100), nullable=False),
        sa.Column("forms", sa.Text(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("example", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("word"),
    )


def downgrade():
    op.drop_table("ls_glossary")
    op.drop_index("ix_ls_check_mark_key", table_name="ls_check_mark")
    op.drop_index("ix_ls_check_mark_path", table_name="ls_check_mark")
    op.drop_table("ls_check_mark")
    op.drop_table("ls_page_check")
