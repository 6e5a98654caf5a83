"""A document's file can be replaced (same address); the old file is kept as a revision.

Revision ID: 0009_document_revisions
Revises: 0008_documents
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_document_revisions"
down_revision = "0008_documents"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("document") as batch:
        batch.add_column(sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("replaced_by", sa.String(length=80), nullable=True))
    op.create_table(
        "document_revision",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("mimetype", sa.String(length=120), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("checked", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("uploaded_by", sa.String(length=80), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replaced_by", sa.String(length=80), nullable=False),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name="fk_document_revision_document_id_document",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("document_id", "number", name="uq_document_revision_number"),
    )
    op.create_index("ix_document_revision_document_id", "document_revision", ["document_id"])


def downgrade():
    op.drop_index("ix_document_revision_document_id", table_name="document_revision")
    op.drop_table("document_revision")
    with op.batch_alter_table("document") as batch:
        batch.drop_column("replaced_by")
        batch.drop_column("replaced_at")
