"""Single-use OAuth ``state`` values with a TTL, bound to the browser that started the install.

``/oauth/install`` makes three random values: the ``state`` sent to HubSpot, a browser nonce set
as an HttpOnly cookie, and the PKCE verifier. The database keeps only hashes of the first two and
the verifier encrypted under a key derived from the browser nonce, so a copy of the table alone
can neither forge a callback nor finish an exchange. Consuming a state is one conditional
UPDATE, so a replayed callback loses the race even across web processes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.engine import Engine

from hubguard.clock import Clock, SystemClock
from hubguard.config import Secret
from hubguard.db import metadata
from hubguard.errors import InstallFlowError

__all__ = [
    "ConsumedState",
    "InstallStart",
    "InstallStateStore",
    "install_states",
    "pkce_pair",
    "token_hash",
]

STATE_TTL_SECONDS = 600

install_states = sa.Table(
    "oauth_install_states",
    metadata,
    sa.Column("state_hash", sa.String(64), primary_key=True),
    sa.Column("browser_hash", sa.String(64), nullable=False),
    sa.Column("verifier_ciphertext", sa.LargeBinary, nullable=False),
    sa.Column("account_id", sa.BigInteger, nullable=True),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("expires_at", sa.Float, nullable=False),
    sa.Column("used_at", sa.Float, nullable=True),
)


def token_hash(value: str) -> str:
    """What the database keeps of a random value only the browser holds (state, nonce, session)."""
    return hashlib.sha256(value.encode()).hexdigest()


def _browser_key(browser_nonce: str) -> bytes:
    return hashlib.sha256(b"hubguard-install-verifier\0" + browser_nonce.encode()).digest()


def pkce_pair() -> tuple[Secret, str]:
    """A PKCE S256 verifier (43+ chars, RFC 7636) and its challenge."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return Secret(verifier), challenge


@dataclass(frozen=True)
class InstallStart:
    """What ``/oauth/install`` needs to redirect: state, the cookie value, the PKCE challenge."""

    state: str
    browser_nonce: Secret
    code_challenge: str


@dataclass(frozen=True)
class ConsumedState:
    """A state that passed every check: the PKCE verifier and the portal the install was pinned to."""

    code_verifier: Secret
    account_id: int | None


class InstallStateStore:
    """Creates and consumes install states in the database shared by every web process."""

    def __init__(self, engine: Engine, *, clock: Clock | None = None) -> None:
        self._engine = engine
        self._clock = clock or SystemClock()

    def start(self, *, account_id: int | None = None) -> InstallStart:
        state = secrets.token_urlsafe(32)
        browser_nonce = secrets.token_urlsafe(32)
        verifier, challenge = pkce_pair()
        nonce = secrets.token_bytes(12)
        sealed = nonce + AESGCM(_browser_key(browser_nonce)).encrypt(
            nonce, verifier.reveal().encode(), token_hash(state).encode()
        )
        now = self._clock.now()
        with self._engine.begin() as conn:
            conn.execute(
                install_states.delete().where(install_states.c.expires_at < now - STATE_TTL_SECONDS)
            )
            conn.execute(
                install_states.insert().values(
                    state_hash=token_hash(state),
                    browser_hash=token_hash(browser_nonce),
                    verifier_ciphertext=sealed,
                    account_id=account_id,
                    created_at=now,
                    expires_at=now + STATE_TTL_SECONDS,
                )
            )
        return InstallStart(state, Secret(browser_nonce), challenge)

    def consume(self, state: str | None, browser_nonce: str | None) -> ConsumedState:
        """Check and use up ``state``. Raises InstallFlowError saying what was wrong."""
        if not state:
            raise InstallFlowError("The callback carried no state.", code="state_missing")
        state_hash = token_hash(state)
        now = self._clock.now()
        with self._engine.begin() as conn:
            row = conn.execute(
                sa.select(install_states).where(install_states.c.state_hash == state_hash)
            ).first()
            if row is None:
                raise InstallFlowError(
                    "This install link was not issued here (unknown state).", code="state_unknown"
                )
            if row.used_at is not None:
                raise InstallFlowError(
                    "This install link was already used (replayed state).", code="state_replayed"
                )
            if not browser_nonce or not hmac.compare_digest(
                row.browser_hash, token_hash(browser_nonce)
            ):
                raise InstallFlowError(
                    "This install was started in another browser (state cookie missing or "
                    "different). Start again from the install link.",
                    code="state_browser_mismatch",
                )
            if row.expires_at <= now:
                raise InstallFlowError(
                    "This install link expired; start again from the install link.",
                    code="state_expired",
                )
            used = conn.execute(
                install_states.update()
                .where(install_states.c.state_hash == state_hash)
                .where(install_states.c.used_at.is_(None))
                .values(used_at=now)
            )
            if used.rowcount != 1:
                raise InstallFlowError(
                    "This install link was already used (replayed state).", code="state_replayed"
                )
        sealed = bytes(row.verifier_ciphertext)
        try:
            verifier = AESGCM(_browser_key(browser_nonce)).decrypt(
                sealed[:12], sealed[12:], state_hash.encode()
            )
        except InvalidTag:
            raise InstallFlowError(
                "The install state could not be opened.", code="state_corrupt"
            ) from None
        account_id = int(row.account_id) if row.account_id is not None else None
        return ConsumedState(Secret(verifier.decode()), account_id)
