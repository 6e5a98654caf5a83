"""Form submissions: one table for the order, contact and barrier forms.

Revision ID: 0001_submissions
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001_submissions"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("payload", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission")),
        sa.UniqueConstraint("reference", name=op.f("uq_submission_reference")),
    )
    op.create_index(op.f("ix_submission_kind"), "submission", ["kind"], unique=False)
    op.create_index(op.f("ix_submission_created_at"), "submission", ["created_at"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_submission_created_at"), table_name="submission")
    op.drop_index(op.f("ix_submission_kind"), table_name="submission")
    op.drop_table("submission")
