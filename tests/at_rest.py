"""Scanning storage for plaintext secrets: the SQLite files (with WAL) or every PostgreSQL value."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import sqlalchemy as sa


def sqlite_files(url: str) -> Iterator[Path]:
    db = Path(url.split("///", 1)[1])
    for suffix in ("", "-wal", "-shm", "-journal"):
        path = db.with_name(db.name + suffix)
        if path.exists():
            yield path


def postgres_values(engine: sa.Engine) -> Iterator[object]:
    inspector = sa.inspect(engine)
    with engine.connect() as conn:
        for table in inspector.get_table_names():
            for row in conn.execute(sa.text(f'SELECT * FROM "{table}"')):  # noqa: S608
                yield from row


def assert_nowhere_at_rest(engine: sa.Engine, url: str, secrets: Iterable[str | bytes]) -> None:
    """No secret appears in the database, raw or hex-encoded (PostgreSQL bytea)."""
    needles = [s.encode() if isinstance(s, str) else s for s in secrets]
    assert needles
    if engine.dialect.name == "sqlite":
        files = list(sqlite_files(url))
        assert files
        for path in files:
            data = path.read_bytes()
            for needle in needles:
                assert needle not in data, f"a secret was found in {path.name}"
    else:
        values = list(postgres_values(engine))
        assert values
        for value in values:
            raw = bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
            for needle in needles:
                assert needle not in raw, "a secret was found in a PostgreSQL row"
                assert needle.hex().encode() not in raw, "a secret was found hex-encoded"
