"""Editors' sessions on the server (revocable: logout, log out everywhere, password change;
idle and absolute lifetime), and the browser (device cookie) of a login attempt.

Revision ID: 0003_editor_sessions
Revises: 0002_editor
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_editor_sessions"
down_revision = "0002_editor"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "editor_session",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("editor_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["editor_id"],
            ["editor_account.id"],
            name=op.f("fk_editor_session_editor_id_editor_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_editor_session")),
    )
    op.create_index(op.f("ix_editor_session_editor_id"), "editor_session", ["editor_id"])
    with op.batch_alter_table("editor_login_attempt") as batch:
        batch.add_column(sa.Column("device", sa.String(length=32), nullable=True))
        batch.create_index(op.f("ix_editor_login_attempt_device"), ["device"])


def downgrade():
    with op.batch_alter_table("editor_login_attempt") as batch:
        batch.drop_index(op.f("ix_editor_login_attempt_device"))
        batch.drop_column("device")
    op.drop_index(op.f("ix_editor_session_editor_id"), table_name="editor_session")
    op.drop_table("editor_session")
