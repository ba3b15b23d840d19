"""The HR console: accounts, sessions and the audit trail of what consoles did.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "console_admins",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("corp_id", sa.Integer, sa.ForeignKey("corps.id"), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("departments", sa.Text, nullable=False, server_default="[]"),
        sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("locked_until", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )
    op.create_index(
        "ux_console_admins_name", "console_admins", ["corp_id", "username"], unique=True
    )
    op.create_table(
        "console_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("admin_id", sa.Integer, sa.ForeignKey("console_admins.id"), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("seen_at", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "console_audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("corp_id", sa.Integer, sa.ForeignKey("corps.id"), nullable=False),
        sa.Column("at", sa.BigInteger, nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_console_audit_at", "console_audit", ["corp_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_console_audit_at", "console_audit")
    op.drop_table("console_audit")
    op.drop_table("console_sessions")
    op.drop_index("ux_console_admins_name", "console_admins")
    op.drop_table("console_admins")
