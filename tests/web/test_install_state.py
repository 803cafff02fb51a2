from __future__ import annotations

import base64
import hashlib

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hubguard.clock import FakeClock
from hubguard.errors import InstallFlowError
from hubguard.web.install_state import STATE_TTL_SECONDS, InstallStateStore, install_states


@pytest.fixture
def store(engine: Engine, clock: FakeClock) -> InstallStateStore:
    return InstallStateStore(engine, clock=clock)


def test_state_is_single_use_and_returns_the_pkce_verifier(store: InstallStateStore) -> None:
    start = store.start(account_id=42)
    consumed = store.consume(start.state, start.browser_nonce.reveal())
    verifier = consumed.code_verifier.reveal()
    expected = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    assert expected.decode() == start.code_challenge
    assert consumed.account_id == 42
    with pytest.raises(InstallFlowError) as replay:
        store.consume(start.state, start.browser_nonce.reveal())
    assert replay.value.code == "state_replayed"


@pytest.mark.parametrize(
    ("state", "cookie", "code"),
    [
        (None, "x", "state_missing"),
        ("forged-state", "x", "state_unknown"),
        ("REAL", None, "state_browser_mismatch"),
        ("REAL", "another-browser", "state_browser_mismatch"),
    ],
)
def test_forged_or_foreign_states_are_refused(
    store: InstallStateStore, state: str | None, cookie: str | None, code: str
) -> None:
    start = store.start()
    with pytest.raises(InstallFlowError) as err:
        store.consume(start.state if state == "REAL" else state, cookie)
    assert err.value.code == code
    # A refused attempt does not use the state up: the real browser can still finish.
    assert store.consume(start.state, start.browser_nonce.reveal()).account_id is None


def test_expired_state_is_refused(store: InstallStateStore, clock: FakeClock) -> None:
    start = store.start()
    clock.advance(STATE_TTL_SECONDS + 1)
    with pytest.raises(InstallFlowError) as err:
        store.consume(start.state, start.browser_nonce.reveal())
    assert err.value.code == "state_expired"


def test_database_holds_no_usable_state_or_verifier(engine: Engine, clock: FakeClock) -> None:
    store = InstallStateStore(engine, clock=clock)
    start = store.start()
    with engine.connect() as conn:
        row = conn.execute(sa.select(install_states)).one()
    dumped = repr(tuple(row))
    assert start.state not in dumped
    assert start.browser_nonce.reveal() not in dumped
    verifier = store.consume(start.state, start.browser_nonce.reveal()).code_verifier.reveal()
    assert verifier.encode() not in bytes(row.verifier_ciphertext)
