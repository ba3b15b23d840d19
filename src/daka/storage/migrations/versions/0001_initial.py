"""Initial schema: corps, apps, directory, rules, punches, tokens.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "corps",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("corpid", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
    )
    op.create_table(
        "apps",
        sa.Column("corp_id", sa.Integer, sa.ForeignKey("corps.id"), primary_key=True),
        sa.Column("agentid", sa.BigInteger, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("secret_hash", sa.String(200), nullable=False),
        sa.Column("checkin", sa.Boolean, nullable=False),
    )
    op.create_table(
        "departments",
        sa.Column("corp_id", sa.Integer, sa.ForeignKey("corps.id"), primary_key=True),
        sa.Column("dept_id", sa.BigInteger, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("parent_id", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "users",
        sa.Column("corp_id", sa.Integer, sa.ForeignKey("corps.id"), primary_key=True),
        sa.Column("userid", sa.String(64), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("departments", sa.Text, nullable=False),
    )
    op.create_table(
        "tags",
        sa.Column("corp_id", sa.Integer, sa.ForeignKey("corps.id"), primary_key=True),
        sa.Column("tagid", sa.BigInteger, primary_key=True),
        sa.Column("tagname", sa.Text, nullable=False),
        sa.Column("userids", sa.Text, nullable=False),
    )
    op.create_table(
        "checkin_groups",
        sa.Column("corp_id", sa.Integer, sa.ForeignKey("corps.id"), primary_key=True),
        sa.Column("groupid", sa.BigInteger, primary_key=True),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_table(
        "punches",
        sa.Column("corp_id", sa.Integer, sa.ForeignKey("corps.id"), primary_key=True),
        sa.Column("userid", sa.String(64), primary_key=True),
        sa.Column("checkin_time", sa.BigInteger, primary_key=True),
        sa.Column("location_title", sa.Text, nullable=False),
        sa.Column("location_detail", sa.Text, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("wifiname", sa.Text, nullable=False),
        sa.Column("wifimac", sa.String(17), nullable=False),
        sa.Column("mediaids", sa.Text, nullable=False),
        sa.Column("lat", sa.Integer, nullable=True),
        sa.Column("lng", sa.Integer, nullable=True),
        sa.Column("device_type", sa.SmallInteger, nullable=False),
        sa.Column("device_detail", sa.String(40), nullable=False),
        sa.Column("received_at", sa.BigInteger, nullable=False),
        # Cluster a user's punches together on SQLite: reads are range scans of one user.
        sqlite_with_rowid=False,
    )
    op.create_index("ix_punches_received", "punches", ["corp_id", "received_at"])
    op.create_table(
        "tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("corp_id", sa.Integer, sa.ForeignKey("corps.id"), nullable=False),
        sa.Column("agentid", sa.BigInteger, nullable=False),
        sa.Column("expires_at", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_tokens_app", "tokens", ["corp_id", "agentid", "expires_at"])


def downgrade() -> None:
    for name in ("tokens", "punches", "checkin_groups", "tags", "users", "departments", "apps"):
        op.drop_table(name)
    op.drop_table("corps")
