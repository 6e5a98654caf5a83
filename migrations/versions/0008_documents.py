"""German documents made and changed in the browser: documents, revisions, content revision.

Revision ID: 0008_documents
Revises: 0007_ls_pruefung
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_documents"
down_revision = "0007_ls_pruefung"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "content_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("path", sa.String(length=300), nullable=False),
        sa.Column("source_file", sa.String(length=300), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("latest_revision_id", sa.Integer(), nullable=True),
        sa.Column("live_revision_id", sa.Integer(), nullable=True),
        sa.Column("scheduled_revision_id", sa.Integer(), nullable=True),
        sa.Column("publish_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("unpublish_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_comment", sa.Text(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deleted_by", sa.String(length=80), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_document")),
        sa.UniqueConstraint("path", name=op.f("uq_content_document_path")),
    )
    op.create_table(
        "content_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("note", sa.String(length=40), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["content_document.id"],
            name=op.f("fk_content_revision_document_id_content_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_revision")),
    )
    op.create_index(
        op.f("ix_content_revision_document_id"), "content_revision", ["document_id"]
    )
    op.create_table(
        "content_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_state")),
    )


def downgrade():
    op.drop_table("content_state")
    op.drop_index(op.f("ix_content_revision_document_id"), table_name="content_revision")
    op.drop_table("content_revision")
    op.drop_table("content_document")
