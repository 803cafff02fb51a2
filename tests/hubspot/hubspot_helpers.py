"""Shared values for the HubSpot client tests (a vault factory, a scripted token endpoint)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs

import httpx

from hubguard.clock import FakeClock
from hubguard.config import Secret, Settings
from hubguard.db import create_engine, migrate
from hubguard.models import AuthType, Installation, InstallationStatus, TokenSet
from hubguard.vault.crypto import MasterKeyring, new_master_key_line
from hubguard.vault.store import SqlTokenVault

SETTINGS = Settings(
    client_id="cid-123",
    client_secret=Secret("client-secret-xyz"),
    public_url="https://hg.example.com",
    hubspot_api_url="https://api.test",
    hubspot_app_url="https://app.test",
)


# Secrets that are never registered with hubguard.logs but must not leak either.
LEAK_CANARIES: set[str] = {"client-secret-xyz"}


def make_vault(url: str, clock: FakeClock) -> SqlTokenVault:
    engine = create_engine(url)
    migrate(engine)
    return SqlTokenVault(engine, MasterKeyring.parse(new_master_key_line()), clock=clock)


def install(
    vault: SqlTokenVault,
    clock: FakeClock,
    portal_id: int = 62515,
    *,
    access: str = "access-0",
    refresh: str = "refresh-0",
    expires_in: float = 1800,
    scopes: tuple[str, ...] = ("conversations.read", "conversations.write"),
) -> None:
    now = clock.now()
    vault.save_oauth_installation(
        Installation(
            portal_id=portal_id,
            auth_type=AuthType.OAUTH,
            status=InstallationStatus.ACTIVE,
            scopes_granted=scopes,
            installed_at=now,
            access_expires_at=now + expires_in,
            last_refresh_at=now,
        ),
        TokenSet(Secret(access), Secret(refresh), now + expires_in, scopes),
    )


@dataclass
class TokenEndpoint:
    """A scripted HubSpot token endpoint: answers from ``outcomes``, counts calls."""

    clock: FakeClock
    outcomes: list[httpx.Response | Exception] = field(default_factory=list)
    calls: list[dict[str, str]] = field(default_factory=list)
    issued: int = 0

    def handler(self, request: httpx.Request) -> httpx.Response:
        form = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
        self.calls.append(form)
        if self.outcomes:
            outcome = self.outcomes.pop(0)
            if isinstance(outcome, Exception):
                raise outcome
            return outcome
        self.issued += 1
        return httpx.Response(
            200,
            json={
                "token_type": "bearer",
                "access_token": f"access-{self.issued}",
                "refresh_token": form.get("refresh_token", "refresh-0"),
                "expires_in": 1800,
                "token_use": "access_token",
            },
        )


BAD_REFRESH = {
    "error": "invalid_grant",
    "error_description": "refresh token is invalid, expired or revoked",
    "status": "BAD_REFRESH_TOKEN",
    "message": "refresh token is invalid, expired or revoked",
}

Handler = Callable[[httpx.Request], httpx.Response]
