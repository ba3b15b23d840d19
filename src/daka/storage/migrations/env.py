"""Alembic environment: runs migrations on the connection daka hands over."""

from __future__ import annotations

from alembic import context

from daka.storage.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - daka always passes its own connection
    raise RuntimeError("run migrations through daka.storage.migrate.upgrade")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
