"""The database schema (SQLAlchemy Core). Migrations in ``migrations/versions`` create it.

Every row belongs to a corp (``corp_id``): corps on one server never share rows.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
)

metadata = MetaData()

corps = Table(
    "corps",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("corpid", String(64), nullable=False, unique=True),
    Column("name", Text, nullable=False, default=""),
    Column("timezone", String(64), nullable=False, default="Asia/Shanghai"),
    # Bumped on every directory or rule change, so caches know when to reload.
    Column("revision", Integer, nullable=False, default=0),
)

apps = Table(
    "apps",
    metadata,
    Column("corp_id", Integer, ForeignKey("corps.id"), primary_key=True),
    Column("agentid", BigInteger, primary_key=True),
    Column("name", Text, nullable=False, default=""),
    Column("secret_hash", String(200), nullable=False),
    Column("checkin", Boolean, nullable=False, default=True),
)

departments = Table(
    "departments",
    metadata,
    Column("corp_id", Integer, ForeignKey("corps.id"), primary_key=True),
    Column("dept_id", BigInteger, primary_key=True),
    Column("name", Text, nullable=False, default=""),
    Column("parent_id", BigInteger, nullable=False, default=0),
)

users = Table(
    "users",
    metadata,
    Column("corp_id", Integer, ForeignKey("corps.id"), primary_key=True),
    Column("userid", String(64), primary_key=True),
    Column("name", Text, nullable=False, default=""),
    Column("departments", Text, nullable=False, default="[]"),  # JSON array of dept ids
)

tags = Table(
    "tags",
    metadata,
    Column("corp_id", Integer, ForeignKey("corps.id"), primary_key=True),
    Column("tagid", BigInteger, primary_key=True),
    Column("tagname", Text, nullable=False, default=""),
    Column("userids", Text, nullable=False, default="[]"),  # JSON array
)

checkin_groups = Table(
    "checkin_groups",
    metadata,
    Column("corp_id", Integer, ForeignKey("corps.id"), primary_key=True),
    Column("groupid", BigInteger, primary_key=True),
    Column("body", Text, nullable=False),  # the normalised WeCom rule object, JSON
)

punches = Table(
    "punches",
    metadata,
    Column("corp_id", Integer, ForeignKey("corps.id"), primary_key=True),
    Column("userid", String(64), primary_key=True),
    Column("checkin_time", BigInteger, primary_key=True),
    Column("location_title", Text, nullable=False, default=""),
    Column("location_detail", Text, nullable=False, default=""),
    Column("notes", Text, nullable=False, default=""),
    Column("wifiname", Text, nullable=False, default=""),
    Column("wifimac", String(17), nullable=False, default=""),
    Column("mediaids", Text, nullable=False, default="[]"),
    Column("lat", Integer, nullable=True),
    Column("lng", Integer, nullable=True),
    Column("device_type", SmallInteger, nullable=False),
    Column("device_detail", String(40), nullable=False, default=""),
    Column("received_at", BigInteger, nullable=False),
    sqlite_with_rowid=False,
)
Index("ix_punches_received", punches.c.corp_id, punches.c.received_at)

tokens = Table(
    "tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),  # sha256 hex of the token
    Column("corp_id", Integer, ForeignKey("corps.id"), nullable=False),
    Column("agentid", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=False),
)
Index("ix_tokens_app", tokens.c.corp_id, tokens.c.agentid, tokens.c.expires_at)
