"""Fixtures for the web tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from web_stack import ADMIN_TOKEN, Stack, build_stack

from hubguard.clock import FakeClock
from hubguard.config import Secret


@pytest.fixture
def stack(clock: FakeClock, tmp_path: Path) -> Iterator[Stack]:
    s = build_stack(clock, f"sqlite:///{tmp_path / 'hubguard.db'}")
    yield s
    s.web.close()
    s.services.close()
    s.emulator.close()


@pytest.fixture
def guarded(clock: FakeClock, tmp_path: Path) -> Iterator[Stack]:
    """The web stack with an admin token configured, so the API and token sign-in are on."""
    s = build_stack(clock, f"sqlite:///{tmp_path / 'hubguard.db'}", admin_token=Secret(ADMIN_TOKEN))
    yield s
    s.web.close()
    s.services.close()
    s.emulator.close()
