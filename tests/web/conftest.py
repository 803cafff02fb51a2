"""Fixtures for the web tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from web_stack import Stack, build_stack

from hubguard.clock import FakeClock


@pytest.fixture
def stack(clock: FakeClock, tmp_path: Path) -> Iterator[Stack]:
    s = build_stack(clock, f"sqlite:///{tmp_path / 'hubguard.db'}")
    yield s
    s.web.close()
    s.services.close()
    s.emulator.close()
