"""Fixtures for the HubSpot client tests: a real SqlTokenVault and a log-leak guard."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from hubspot_helpers import LEAK_CANARIES, make_vault

from hubguard.clock import FakeClock
from hubguard.logs import redact
from hubguard.vault.store import SqlTokenVault


@pytest.fixture
def vault(sqlite_url: str, clock: FakeClock) -> Iterator[SqlTokenVault]:
    v = make_vault(sqlite_url, clock)
    yield v
    v.engine.dispose()


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _text(record: logging.LogRecord) -> str:
    text = record.getMessage()
    if record.exc_info and record.exc_info[1] is not None:
        text += "\n" + logging.Formatter().formatException(record.exc_info)
    return text


@pytest.fixture(autouse=True)
def no_secret_in_logs() -> Iterator[list[logging.LogRecord]]:
    """Capture every log record of the test (DEBUG and up) and fail if one shows a secret.

    hubguard's own records must be clean as emitted. Third-party records (httpx logs request
    URLs, which carry tokens only on the legacy v1 endpoints) are checked as production emits
    them: through hubguard.logs.RedactingFilter, which ``configure_logging`` installs.
    """
    import hubguard.logs

    collector = _Collect()
    root = logging.getLogger()
    level = root.level
    root.addHandler(collector)
    root.setLevel(logging.DEBUG)
    try:
        yield collector.records
    finally:
        root.removeHandler(collector)
        root.setLevel(level)
    # Every token hubguard saw was registered (OAuth responses, vault reads) by production code.
    secrets = set(hubguard.logs._known) | LEAK_CANARIES
    for record in collector.records:
        text = _text(record)
        if not record.name.startswith("hubguard"):
            text = redact(text)
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"log record from {record.name} shows a secret: {record.levelname}"
