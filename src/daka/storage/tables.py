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
    LargeBinary,
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
    Column("manage_rules", Boolean, nullable=False, default=True),
    # 「审批 - 可调用接口的应用」: may call the oa/* endpoints (48002 otherwise).
    Column("approval", Boolean, nullable=False, default=False),
    # May act on approvals as an approver and load holiday calendars (daka's own API).
    Column("approval_admin", Boolean, nullable=False, default=False),
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
    Column("alias", Text, nullable=False, default="", server_default=""),
)

tags = Table(
    "tags",
    metadata,
    Column("corp_id", Integer, ForeignKey("corps.id"), primary_key=True),
    Column("tagid", BigInteger, primary_key=True),
    Column("tagname", Text, nullable=False, default=""),
    Column("userids", Text, nullable=False, default="[]"),  # JSON array
)

rule_versions = Table(
    "rule_versions",
    metadata,
    Column("corp_id", Integer, ForeignKey("corps.id"), primary_key=True),
    Column("groupid", BigInteger, primary_key=True),
    Column("version", Integer, primary_key=True),
    # First local date (ordinal) the version applies to; 0 = all dates, past included.
    Column("effective_from", Integer, nullable=False),
    Column("body", Text, nullable=True),  # the normalised WeCom rule; NULL = deleted
    Column("creator_agentid", BigInteger, nullable=True),  # NULL: loaded from the org file
    Column("created_at", BigInteger, nullable=False),
)

schedules = Table(
    "schedules",
    metadata,
    Column("corp_id", Integer, ForeignKey("corps.id"), primary_key=True),
    Column("userid", String(64), primary_key=True),
    Column("day", Integer, primary_key=True),  # local date ordinal
    Column("groupid", BigInteger, nullable=False),
    Column("schedule_id", BigInteger, nullable=False),
)

user_versions = Table(
    "user_versions",
    metadata,
    Column("corp_id", Integer, ForeignKey("corps.id"), primary_key=True),
    Column("userid", String(64), primary_key=True),
    # Bumped with every change to the user's punches or schedule (cache validation).
    Column("version", BigInteger, nullable=False),
)

faces = Table(
    "faces",
    metadata,
    Column("corp_id", Integer, ForeignKey("corps.id"), primary_key=True),
    Column("userid", String(64), primary_key=True),
    Column("image", LargeBinary, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
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
    Column("source", SmallInteger, nullable=False, default=0),  # 0 record, 1 correction
    Column("remark", Text, nullable=False, default=""),
    Column("corrects", BigInteger, nullable=True),  # a correction's scheduled point
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

media = Table(
    "media",
    metadata,
    # Unguessable (secrets.token_urlsafe), unique across corps; always read with corp_id.
    Column("media_id", String(64), primary_key=True),
    Column("corp_id", Integer, ForeignKey("corps.id"), nullable=False),
    Column("type", String(8), nullable=False),  # image, voice, video, file
    Column("content_type", String(64), nullable=False),  # as sniffed from the bytes
    Column("filename", Text, nullable=False, default=""),  # the client's, for display only
    Column("size", BigInteger, nullable=False),
    Column("created_at", BigInteger, nullable=False),
)

sync_sources = Table(
    "sync_sources",
    metadata,
    # A corp mirrored by ``daka sync``: from where, since when, and when last.
    Column("corp_id", Integer, ForeignKey("corps.id"), primary_key=True),
    Column("base_url", Text, nullable=False),
    Column("first_day", Integer, nullable=False),  # local date ordinal of the first day
    Column("last_run_at", BigInteger, nullable=False),
    Column("last_completed_at", BigInteger, nullable=True),  # NULL: never finished
)

sync_cursors = Table(
    "sync_cursors",
    metadata,
    Column("corp_id", Integer, ForeignKey("corps.id"), primary_key=True),
    Column("userid", String(64), primary_key=True),
    # The user's records before this Unix time are mirrored.
    Column("records_through", BigInteger, nullable=False),
)

# -- 假勤: vacations, balances, templates, approvals, holiday calendars -------------------

vacations = Table(
    "vacations",
    metadata,
    Column("corp_id", Integer, ForeignKey("corps.id"), primary_key=True),
    Column("vacation_id", BigInteger, primary_key=True),
    Column("position", Integer, nullable=False),  # getcorpconf's order
    Column("body", Text, nullable=False),  # the getcorpconf item (JSON)
)

vacation_balances = Table(
    "vacation_balances",
    metadata,
    Column("corp_id", Integer, ForeignKey("corps.id"), primary_key=True),
    Column("userid", String(64), primary_key=True),
    Column("vacation_id", BigInteger, primary_key=True),
    # unit-seconds (86400 a day for day-based vacations, 3600 an hour for hour-based)
    Column("assigned", BigInteger, nullable=False),
    Column("real_assigned", BigInteger, nullable=False),
    Column("used", BigInteger, nullable=False),
    Column("left", BigInteger, nullable=False),
)

vacation_ledger = Table(
    "vacation_ledger",
    metadata,
    # Every change of a balance, so one can say why it is what it is.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("corp_id", Integer, ForeignKey("corps.id"), nullable=False),
    Column("userid", String(64), nullable=False),
    Column("vacation_id", BigInteger, nullable=False),
    Column("at", BigInteger, nullable=False),
    Column("change", BigInteger, nullable=False),  # of ``left``
    Column("left_after", BigInteger, nullable=False),
    Column("reason", String(32), nullable=False),  # org, set, approval, refund, overtime
    Column("sp_no", String(32), nullable=True),
    Column("remarks", Text, nullable=False, default=""),
)
Index(
    "ix_vacation_ledger_user",
    vacation_ledger.c.corp_id,
    vacation_ledger.c.userid,
    vacation_ledger.c.vacation_id,
)

approval_templates = Table(
    "approval_templates",
    metadata,
    Column("corp_id", Integer, ForeignKey("corps.id"), primary_key=True),
    Column("template_id", String(128), primary_key=True),
    Column("body", Text, nullable=False),  # template_names and template_content (JSON)
)

approvals = Table(
    "approvals",
    metadata,
    Column("corp_id", Integer, ForeignKey("corps.id"), primary_key=True),
    Column("sp_no", String(32), primary_key=True),
    Column("template_id", String(128), nullable=False),
    Column("creator", String(64), nullable=False),
    Column("department", BigInteger, nullable=False),
    Column("apply_time", BigInteger, nullable=False),
    Column("sp_status", SmallInteger, nullable=False),
    Column("record_type", SmallInteger, nullable=False),  # 0: not a 假勤 form
    Column("begin_at", BigInteger, nullable=True),  # the 假勤 time span, half-open
    Column("end_at", BigInteger, nullable=True),
    Column("body", Text, nullable=False),  # the whole approval (JSON, daka.wire.approvals)
    Column("updated_at", BigInteger, nullable=False),
)
Index("ix_approvals_applied", approvals.c.corp_id, approvals.c.apply_time)
Index("ix_approvals_creator", approvals.c.corp_id, approvals.c.creator, approvals.c.begin_at)

holiday_calendars = Table(
    "holiday_calendars",
    metadata,
    # corp_id 0: the server-wide calendar, used by every corp without one of its own.
    Column("corp_id", Integer, primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("effective_from", Integer, nullable=False),  # first local date ordinal it applies to
    Column("source", Text, nullable=False),
    Column("body", Text, nullable=False),  # the holiday file's year (JSON)
    Column("loaded_at", BigInteger, nullable=False),
)

# -- the HR console (daka.console) ----------------------------------------------------------

console_admins = Table(
    "console_admins",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("corp_id", Integer, ForeignKey("corps.id"), nullable=False),
    Column("username", String(64), nullable=False),
    Column("password_hash", Text, nullable=False),  # argon2id, never the password
    Column("role", String(16), nullable=False),
    Column("departments", Text, nullable=False, default="[]"),  # JSON list of ids
    Column("disabled", Boolean, nullable=False, default=False),
    Column("failures", Integer, nullable=False, default=0),  # failed sign-ins in a row
    Column("locked_until", BigInteger, nullable=False, default=0),
    Column("created_at", BigInteger, nullable=False),
)
Index("ux_console_admins_name", console_admins.c.corp_id, console_admins.c.username, unique=True)

console_sessions = Table(
    "console_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),  # sha256 of the cookie's token
    Column("admin_id", Integer, ForeignKey("console_admins.id"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    Column("seen_at", BigInteger, nullable=False),
)

console_audit = Table(
    "console_audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("corp_id", Integer, ForeignKey("corps.id"), nullable=False),
    Column("at", BigInteger, nullable=False),
    Column("username", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("target", Text, nullable=False),  # e.g. "zhangsan 2026-08-03"
    Column("detail", Text, nullable=False),  # the reason and what was done (JSON)
)
Index("ix_console_audit_at", console_audit.c.corp_id, console_audit.c.at)
