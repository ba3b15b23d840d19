"""Rule versions by effective date, shift schedules, faces, and punch corrections.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rule_versions",
        sa.Column("corp_id", sa.Integer, sa.ForeignKey("corps.id"), primary_key=True),
        sa.Column("groupid", sa.BigInteger, primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        # First local date (ordinal) the version applies to; 0 = all dates, past included.
        sa.Column("effective_from", sa.Integer, nullable=False),
        sa.Column("body", sa.Text, nullable=True),  # NULL: the rule is deleted from that date
        sa.Column("creator_agentid", sa.BigInteger, nullable=True),  # NULL: the org file
        sa.Column("created_at", sa.BigInteger, nullable=False),
    )
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT corp_id, groupid, body FROM checkin_groups")).fetchall()
    for corp_id, groupid, body in rows:
        conn.execute(
            sa.text(
                "INSERT INTO rule_versions (corp_id, groupid, version, effective_from, body, "
                "creator_agentid, created_at) VALUES (:c, :g, 1, 0, :b, NULL, 0)"
            ),
            {"c": corp_id, "g": groupid, "b": body},
        )
    op.drop_table("checkin_groups")
    op.create_table(
        "schedules",
        sa.Column("corp_id", sa.Integer, sa.ForeignKey("corps.id"), primary_key=True),
        sa.Column("userid", sa.String(64), primary_key=True),
        sa.Column("day", sa.Integer, primary_key=True),  # local date ordinal
        sa.Column("groupid", sa.BigInteger, nullable=False),
        sa.Column("schedule_id", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "user_versions",
        sa.Column("corp_id", sa.Integer, sa.ForeignKey("corps.id"), primary_key=True),
        sa.Column("userid", sa.String(64), primary_key=True),
        # Bumped with every change to the user's punches or schedule (cache validation).
        sa.Column("version", sa.BigInteger, nullable=False),
    )
    op.create_table(
        "faces",
        sa.Column("corp_id", sa.Integer, sa.ForeignKey("corps.id"), primary_key=True),
        sa.Column("userid", sa.String(64), primary_key=True),
        sa.Column("image", sa.LargeBinary, nullable=False),
        sa.Column("updated_at", sa.BigInteger, nullable=False),
    )
    with op.batch_alter_table("apps") as batch:
        # May this app create, change and delete rules (else 301088)?
        batch.add_column(
            sa.Column("manage_rules", sa.Boolean, nullable=False, server_default=sa.true())
        )
    with op.batch_alter_table("punches") as batch:
        # 0: add_checkin_record; 1: punch_correction (补卡)
        batch.add_column(sa.Column("source", sa.SmallInteger, nullable=False, server_default="0"))
        batch.add_column(sa.Column("remark", sa.Text, nullable=False, server_default=""))
        # A correction's scheduled point (Unix time): it counts for that point only.
        batch.add_column(sa.Column("corrects", sa.BigInteger, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("apps") as batch:
        batch.drop_column("manage_rules")
    with op.batch_alter_table("punches") as batch:
        batch.drop_column("corrects")
        batch.drop_column("remark")
        batch.drop_column("source")
    op.drop_table("faces")
    op.drop_table("user_versions")
    op.drop_table("schedules")
    op.create_table(
        "checkin_groups",
        sa.Column("corp_id", sa.Integer, sa.ForeignKey("corps.id"), primary_key=True),
        sa.Column("groupid", sa.BigInteger, primary_key=True),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.drop_table("rule_versions")
