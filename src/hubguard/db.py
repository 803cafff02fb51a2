"""The one database: an engine per URL, one MetaData, and Alembic migrations run on start.

SQLite (the embedded default) and PostgreSQL (scale-out) share every line of SQL, written with
SQLAlchemy Core. Each concept keeps its tables in its own module (``vault/tables.py``,
``inbox/tables.py``, ...) on :data:`metadata`, and its migrations on its own Alembic branch, so
``upgrade heads`` brings every part up to date.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

__all__ = ["create_engine", "metadata", "migrate"]

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

MIGRATIONS = Path(__file__).parent / "migrations"


SQLITE_BUSY_TIMEOUT_MS = 30_000  # how long a SQLite writer waits for another


def create_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a generous busy timeout."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
            **kwargs,
        )

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # Let SQLAlchemy (not pysqlite) decide when transactions begin, so BEGIN IMMEDIATE
            # works for the vault's cross-process refresh lock.
            dbapi_conn.isolation_level = None
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            # WAL's recommended setting: a process crash loses nothing; a power cut may lose the
            # last commits (webhooks already acknowledged), which the poller's backfill recovers.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.close()

        @sa.event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            mode = conn.get_execution_options().get("sqlite_begin", "BEGIN")
            conn.exec_driver_sql(mode)

        return engine
    for plain in ("postgresql://", "postgres://"):  # the common spellings: psycopg 3 drives them
        if url.startswith(plain):
            url = "postgresql+psycopg://" + url.removeprefix(plain)
    return sa.create_engine(url, pool_pre_ping=True, **kwargs)


def migrate(engine: Engine) -> None:
    """Bring the schema up to date (every branch's head). Safe to call on every start."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")
