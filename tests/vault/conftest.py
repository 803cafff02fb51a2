"""Fixtures for the vault: keys, a keyring, and a migrated vault on every backend."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy.engine import Engine
from vault_helpers import KEY_A

from hubguard.clock import FakeClock
from hubguard.config import Secret
from hubguard.db import create_engine, migrate
from hubguard.vault.crypto import MasterKeyring
from hubguard.vault.store import SqlTokenVault


@pytest.fixture
def vault_engine(database_url: str) -> Iterator[Engine]:
    """A migrated engine on every backend, disposed after the test."""
    engine = create_engine(database_url)
    migrate(engine)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def make_vault(vault_engine: Engine, clock: FakeClock) -> Callable[..., SqlTokenVault]:
    """Build vaults on the same migrated database with different HUBGUARD_MASTER_KEYS values."""

    def build(keys: str = KEY_A) -> SqlTokenVault:
        return SqlTokenVault(
            vault_engine, MasterKeyring.parse(Secret(keys)), clock=clock, actor="test"
        )

    return build


@pytest.fixture
def vault(make_vault: Callable[..., SqlTokenVault]) -> SqlTokenVault:
    return make_vault(KEY_A)
