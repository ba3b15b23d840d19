"""``daka sync``: where each mirrored corp comes from and how far each user's records reach.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_sources",
        sa.Column("corp_id", sa.Integer, sa.ForeignKey("corps.id"), primary_key=True),
        sa.Column("base_url", sa.Text, nullable=False),
        sa.Column("first_day", sa.Integer, nullable=False),
        sa.Column("last_run_at", sa.BigInteger, nullable=False),
        sa.Column("last_completed_at", sa.BigInteger, nullable=True),
    )
    op.create_table(
        "sync_cursors",
        sa.Column("corp_id", sa.Integer, sa.ForeignKey("corps.id"), primary_key=True),
        sa.Column("userid", sa.String(64), primary_key=True),
        sa.Column("records_through", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("sync_cursors")
    op.drop_table("sync_sources")
