"""Small SQL helpers shared by the inbox stores: dialect-aware upserts, error translation."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from hubguard.errors import InboxStorageError

__all__ = ["insert_ignore", "transaction", "upsert"]


def _insert(conn: Connection, table: sa.Table) -> Any:
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def insert_ignore(
    conn: Connection,
    table: sa.Table,
    rows: Sequence[dict[str, Any]],
    index_elements: Sequence[str],
    returning: sa.Column[Any] | Sequence[sa.Column[Any]] | None = None,
) -> list[Any]:
    """``INSERT .. ON CONFLICT DO NOTHING``; returns ``returning`` of the rows really inserted.

    One column: a list of its values; several: a list of row tuples.
    """
    if not rows:
        return []
    # executemany form: the statement compiles once and is cached (SQLAlchemy batches the rows
    # into multi-row INSERTs itself); a fresh .values(rows) would be recompiled on every call.
    stmt = _insert(conn, table).on_conflict_do_nothing(index_elements=list(index_elements))
    if returning is None:
        conn.execute(stmt, list(rows))
        return []
    if isinstance(returning, sa.Column):
        return list(conn.execute(stmt.returning(returning), list(rows)).scalars())
    return [tuple(r) for r in conn.execute(stmt.returning(*returning), list(rows))]


def upsert(
    conn: Connection,
    table: sa.Table,
    row: dict[str, Any],
    index_elements: Sequence[str],
) -> None:
    """``INSERT .. ON CONFLICT (key) DO UPDATE`` every non-key column."""
    stmt = _insert(conn, table).values(row)
    updates = {k: stmt.excluded[k] for k in row if k not in index_elements}
    conn.execute(stmt.on_conflict_do_update(index_elements=list(index_elements), set_=updates))


@contextmanager
def transaction(engine: Engine, *, write: bool = False) -> Iterator[Connection]:
    """One short transaction; SQLAlchemy errors leave as :class:`InboxStorageError`.

    ``write=True`` for a transaction that reads and then writes: on SQLite it starts with
    ``BEGIN IMMEDIATE``, because upgrading a read snapshot to a write lock fails at once ("database
    is locked") when another writer committed meanwhile, whatever the busy timeout.
    """
    if write and engine.dialect.name == "sqlite":
        engine = engine.execution_options(sqlite_begin="BEGIN IMMEDIATE")
    try:
        with engine.begin() as conn:
            yield conn
    except sa.exc.SQLAlchemyError as exc:
        raise InboxStorageError(f"inbox storage failed: {type(exc).__name__}") from exc
