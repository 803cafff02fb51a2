"""Fixtures for the inbox pipeline tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from inbox_harness import Harness, build

from hubguard.clock import FakeClock


@pytest.fixture
def hub(sqlite_url: str, clock: FakeClock) -> Iterator[Harness]:
    """The whole pipeline on SQLite and the in-process emulator."""
    harness = build(sqlite_url, clock=clock)
    try:
        yield harness
    finally:
        harness.close()


@pytest.fixture
def hub_any(database_url: str, clock: FakeClock) -> Iterator[Harness]:
    """The whole pipeline on every backend (SQLite and the real PostgreSQL)."""
    harness = build(database_url, clock=clock)
    try:
        yield harness
    finally:
        harness.close()
