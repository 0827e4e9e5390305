"""Alembic environment of the county hub, configured in code (county_hub.migrate): no alembic.ini.

The connection comes from ``config.attributes["connection"]``; fileConfig() is never called, so the
hub's logging set-up is left alone.
"""

from __future__ import annotations

from alembic import context

from county_hub.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through county_hub.migrate (county-hub migrate)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
