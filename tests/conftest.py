"""Shared fixtures. Real services where users use them: PostgreSQL is the real server.

Under ``CI=true`` a missing service fails the test instead of skipping it.
"""

from __future__ import annotations

import logging
import os
import secrets
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

import hubguard.logs
from hubguard.clock import FakeClock

# The end-of-run secret scan checks every secret the run ever registered: none may be forgotten.
hubguard.logs.MAX_REGISTERED_SECRETS = 10**9

IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_ADMIN_URL = os.environ.get(
    "HUBGUARD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


class _LogRecorder(logging.Handler):
    """Keeps every log line the whole test run emits, unredacted, for the secret scan."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    # Not hubguard's logs: HubSpot's official SDKs (run only to prove the emulator faithful) log
    # request options with tokens, and tests that log a secret on purpose to prove redaction.
    IGNORED = ("hubspot_sdk", "hubspot.", "tests.deliberate")

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(self.IGNORED):
            return
        try:
            text = record.getMessage()
        except Exception:  # a malformed record is still scanned as far as it goes
            text = str(record.msg)
        if record.exc_info and record.exc_info[1] is not None:
            text += "\n" + "".join(traceback.format_exception(*record.exc_info))
        self.lines.append(f"{record.name}: {text}")


_LOG_RECORDER = _LogRecorder()


def pytest_configure(config: pytest.Config) -> None:
    from hubguard.logs import guard_logger

    # hubguard guards httpx as soon as it builds an OAuth client; tests that call HubSpot's v1
    # endpoints with raw httpx clients of their own may run before that.
    guard_logger("httpx")
    root = logging.getLogger()
    root.addHandler(_LOG_RECORDER)
    root.setLevel(logging.DEBUG)
    # Transport internals are too chatty to keep, and carry no hubguard decisions.
    for noisy in (
        "httpcore",
        "hpack",
        "asyncio",
        "urllib3",
        "matplotlib",
        "PIL",
        "alembic",
        "selenium",
        "celery",
        "kombu",
        "amqp",
    ):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if any secret hubguard ever handled shows up in any log line, raw."""
    from hubguard.logs import registered_secrets

    text = "\n".join(_LOG_RECORDER.lines)
    leaked = sorted(s for s in registered_secrets() if s in text)
    if leaked:
        from hubguard.logs import fingerprint, redact

        print(
            f"\nSECRET SCAN FAILED: {len(leaked)} secret(s) appear in the test run's logs: "
            + ", ".join(fingerprint(s) for s in leaked[:20])
        )
        for line in _LOG_RECORDER.lines:
            if any(s in line for s in leaked):
                print("  in:", redact(line)[:300])
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    elif os.environ.get("HUBGUARD_SECRET_SCAN_VERBOSE"):
        print(
            f"\nsecret scan: {len(registered_secrets())} secrets, {len(_LOG_RECORDER.lines)} lines"
        )


def service_missing(what: str) -> None:
    """Skip on a laptop without the service; fail under CI, where it must be there."""
    if IN_CI:
        pytest.fail(f"{what} is not reachable, and CI=true requires it")
    pytest.skip(f"{what} is not reachable")


@pytest.fixture(autouse=True)
def _root_logging_restored() -> Iterator[None]:
    """A test that runs the CLI configures logging for the process; undo it after the test, so
    no test depends on which ran before it."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def postgres_server() -> str:
    import sqlalchemy as sa

    try:
        engine = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
        engine.dispose()
    except Exception as exc:
        service_missing(f"PostgreSQL at {POSTGRES_ADMIN_URL} ({type(exc).__name__})")
    return POSTGRES_ADMIN_URL


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    import sqlalchemy as sa

    name = "hubguard_test_" + secrets.token_hex(6)
    admin = sa.create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    base = postgres_server.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"
                ),
                {"n": name},
            )
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def _listening(url: str) -> bool:
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port), timeout=1).close()
    except OSError:
        return False
    return True


def _service_url(variable: str, default: str, name: str) -> str:
    url = os.environ.get(variable, default)
    if not _listening(url):
        service_missing(f"{name} at {url.rsplit('@', 1)[-1]}")
    return url


@pytest.fixture(scope="session")
def rabbitmq_url() -> str:
    """The real RabbitMQ (the Celery broker of the scale-out mode)."""
    return _service_url(
        "HUBGUARD_TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672//", "RabbitMQ"
    )


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The real Redis (the scale-out mode's shared rate budget)."""
    return _service_url("HUBGUARD_TEST_REDIS_URL", "redis://127.0.0.1:6379/0", "Redis")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'hubguard.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Every backend a contract test must pass on."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hubguard.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A migrated engine on every backend (sqlite + postgresql), disposed after the test.

    Dispose engines you create yourself, too: a pooled connection left open becomes a
    ResourceWarning, and warnings are errors here.
    """
    from hubguard.db import create_engine, migrate

    eng = create_engine(database_url)
    migrate(eng)
    try:
        yield eng
    finally:
        eng.dispose()
