"""假勤: approval access of apps, vacations and balances, approval templates and
approvals, and holiday calendars.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("apps") as batch:
        batch.add_column(
            sa.Column("approval", sa.Boolean, nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("approval_admin", sa.Boolean, nullable=False, server_default=sa.false())
        )
    op.create_table(
        "vacations",
        sa.Column("corp_id", sa.Integer, sa.ForeignKey("corps.id"), primary_key=True),
        sa.Column("vacation_id", sa.BigInteger, primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_table(
        "vacation_balances",
        sa.Column("corp_id", sa.Integer, sa.ForeignKey("corps.id"), primary_key=True),
        sa.Column("userid", sa.String(64), primary_key=True),
        sa.Column("vacation_id", sa.BigInteger, primary_key=True),
        sa.Column("assigned", sa.BigInteger, nullable=False),
        sa.Column("real_assigned", sa.BigInteger, nullable=False),
        sa.Column("used", sa.BigInteger, nullable=False),
        sa.Column("left", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "vacation_ledger",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("corp_id", sa.Integer, sa.ForeignKey("corps.id"), nullable=False),
        sa.Column("userid", sa.String(64), nullable=False),
        sa.Column("vacation_id", sa.BigInteger, nullable=False),
        sa.Column("at", sa.BigInteger, nullable=False),
        sa.Column("change", sa.BigInteger, nullable=False),
        sa.Column("left_after", sa.BigInteger, nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("sp_no", sa.String(32), nullable=True),
        sa.Column("remarks", sa.Text, nullable=False, server_default=""),
    )
    op.create_index(
        "ix_vacation_ledger_user", "vacation_ledger", ["corp_id", "userid", "vacation_id"]
    )
    op.create_table(
        "approval_templates",
        sa.Column("corp_id", sa.Integer, sa.ForeignKey("corps.id"), primary_key=True),
        sa.Column("template_id", sa.String(128), primary_key=True),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_table(
        "approvals",
        sa.Column("corp_id", sa.Integer, sa.ForeignKey("corps.id"), primary_key=True),
        sa.Column("sp_no", sa.String(32), primary_key=True),
        sa.Column("template_id", sa.String(128), nullable=False),
        sa.Column("creator", sa.String(64), nullable=False),
        sa.Column("department", sa.BigInteger, nullable=False),
        sa.Column("apply_time", sa.BigInteger, nullable=False),
        sa.Column("sp_status", sa.SmallInteger, nullable=False),
        sa.Column("record_type", sa.SmallInteger, nullable=False),
        sa.Column("begin_at", sa.BigInteger, nullable=True),
        sa.Column("end_at", sa.BigInteger, nullable=True),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_approvals_applied", "approvals", ["corp_id", "apply_time"])
    op.create_index("ix_approvals_creator", "approvals", ["corp_id", "creator", "begin_at"])
    op.create_table(
        "holiday_calendars",
        # corp_id 0: the server-wide calendar every corp uses unless it has its own.
        sa.Column("corp_id", sa.Integer, primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("effective_from", sa.Integer, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("loaded_at", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("holiday_calendars")
    op.drop_index("ix_approvals_creator", "approvals")
    op.drop_index("ix_approvals_applied", "approvals")
    op.drop_table("approvals")
    op.drop_table("approval_templates")
    op.drop_index("ix_vacation_ledger_user", "vacation_ledger")
    op.drop_table("vacation_ledger")
    op.drop_table("vacation_balances")
    op.drop_table("vacations")
    with op.batch_alter_table("apps") as batch:
        batch.drop_column("approval_admin")
        batch.drop_column("approval")
