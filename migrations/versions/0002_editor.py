"""Editors' area: accounts, login attempts, translation overrides, audit log, catalog
revision, and the inbox's "done" marks.

Revision ID: 0002_editor
Revises: 0001_submissions
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_editor"
down_revision = "0001_submissions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "editor_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_editor_account")),
        sa.UniqueConstraint("name", name=op.f("uq_editor_account_name")),
    )
    op.create_table(
        "editor_login_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_editor_login_attempt")),
    )
    op.create_index(op.f("ix_editor_login_attempt_name"), "editor_login_attempt", ["name"])
    op.create_index(op.f("ix_editor_login_attempt_client"), "editor_login_attempt", ["client"])
    op.create_index(op.f("ix_editor_login_attempt_at"), "editor_login_attempt", ["at"])
    op.create_table(
        "editor_translation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("msgctxt", sa.Text(), nullable=True),
        sa.Column("msgid", sa.Text(), nullable=False),
        sa.Column("msgid_plural", sa.Text(), nullable=True),
        sa.Column("msgstr", sa.JSON(), nullable=False),
        sa.Column("fuzzy", sa.Boolean(), nullable=False),
        sa.Column("base", sa.JSON(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_editor_translation")),
        sa.UniqueConstraint("locale", "key", name="uq_editor_translation_key"),
    )
    op.create_table(
        "editor_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("editor", sa.String(length=80), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("msgctxt", sa.Text(), nullable=True),
        sa.Column("msgid", sa.Text(), nullable=False),
        sa.Column("old", sa.JSON(), nullable=False),
        sa.Column("new", sa.JSON(), nullable=False),
        sa.Column("undo_of", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_editor_audit")),
    )
    op.create_index(op.f("ix_editor_audit_at"), "editor_audit", ["at"])
    op.create_index(op.f("ix_editor_audit_locale"), "editor_audit", ["locale"])
    op.create_table(
        "editor_catalog_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_editor_catalog_revision")),
    )
    op.bulk_insert(
        sa.table("editor_catalog_revision", sa.column("id"), sa.column("revision")),
        [{"id": 1, "revision": 0}],
    )
    op.create_table(
        "editor_submission_done",
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("done_by", sa.String(length=80), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submission.id"],
            name=op.f("fk_editor_submission_done_submission_id_submission"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("submission_id", name=op.f("pk_editor_submission_done")),
    )


def downgrade():
    op.drop_table("editor_submission_done")
    op.drop_table("editor_catalog_revision")
    op.drop_index(op.f("ix_editor_audit_locale"), table_name="editor_audit")
    op.drop_index(op.f("ix_editor_audit_at"), table_name="editor_audit")
    op.drop_table("editor_audit")
    op.drop_table("editor_translation")
    op.drop_index(op.f("ix_editor_login_attempt_at"), table_name="editor_login_attempt")
    op.drop_index(op.f("ix_editor_login_attempt_client"), table_name="editor_login_attempt")
    op.drop_index(op.f("ix_editor_login_attempt_name"), table_name="editor_login_attempt")
    op.drop_table("editor_login_attempt")
    op.drop_table("editor_account")
