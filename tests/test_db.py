from __future__ import annotations

import sqlalchemy as sa

from hubguard.db import create_engine, migrate


def test_migrations_apply_twice_on_every_backend(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        migrate(engine)
        migrate(engine)  # idempotent: every start runs it
        with engine.connect() as conn:
            heads = set(conn.execute(sa.text("select version_num from alembic_version")).scalars())
    finally:
        engine.dispose()
    assert {"vault_0002", "inbox_0007", "spam_0001", "web_0002"} <= heads  # every branch head
