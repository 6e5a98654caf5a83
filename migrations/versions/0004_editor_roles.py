"""Editors' roles: Redaktion writes and submits, Freigabe publishes (four-eyes principle).

Revision ID: 0004_editor_roles
Revises: 0003_editor_sessions
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_editor_roles"
down_revision = "0003_editor_sessions"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("editor_account") as batch:
        batch.add_column(
            sa.Column("role", sa.String(length=20), nullable=False, server_default="redaktion")
        )


def downgrade():
    with op.batch_alter_table("editor_account") as batch:
        batch.drop_column("role")
