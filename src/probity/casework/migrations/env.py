"""Alembic environment: the case store runs migrations itself on a connection it passes in
(`config.attributes["connection"]`), so there is no alembic.ini to keep."""

from __future__ import annotations

from alembic import context

from probity.casework.tables import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
)
with context.begin_transaction():
    context.run_migrations()
