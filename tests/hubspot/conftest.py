"""Fixtures for the HubSpot client tests: a real SqlTokenVault and a scripted token endpoint."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qs

import httpx
import pytest

from hubguard.clock import FakeClock
from hubguard.config import Secret, Settings
from hubguard.db import create_engine, migrate
from hubguard.logs import redact
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
    secrets = set(hubguard.logs._known) | LEAK_CANARIES
    for record in collector.records:
        text = _text(record)
        if not record.name.startswith("hubguard"):
            text = redact(text)
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"log record from {record.name} shows a secret: {record.levelname}"


def make_vault(url: str, clock: FakeClock) -> SqlTokenVault:
    engine = create_engine(url)
    migrate(engine)
    return SqlTokenVault(engine, MasterKeyring.parse(new_master_key_line()), clock=clock)


@pytest.fixture
def vault(sqlite_url: str, clock: FakeClock) -> Iterator[SqlTokenVault]:
    v = make_vault(sqlite_url, clock)
    yield v
    v.engine.dispose()


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
