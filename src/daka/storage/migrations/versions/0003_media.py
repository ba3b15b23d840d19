"""Temporary media (media/upload, media/get): one row per uploaded file.

The bytes live in files under the media directory, ``<media_dir>/<corp_id>/<media_id>``.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "media",
        sa.Column("media_id", sa.String(64), primary_key=True),
        sa.Column("corp_id", sa.Integer, sa.ForeignKey("corps.id"), nullable=False),
        sa.Column("type", sa.String(8), nullable=False),
        sa.Column("content_type", sa.String(64), nullable=False),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("media")
