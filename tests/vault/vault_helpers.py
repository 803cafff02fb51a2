"""Shared test values for the vault tests (importable by spawned worker processes, too)."""

from __future__ import annotations

import base64

from hubguard.config import Secret
from hubguard.models import AuthType, Installation, InstallationStatus, TokenSet

# Fixed, test-only master keys (32 bytes each), so failures are reproducible.
KEY_A = "ka:" + base64.urlsafe_b64encode(bytes(range(32))).decode()
KEY_B = "kb:" + base64.urlsafe_b64encode(bytes(range(100, 132))).decode()


def installation(portal_id: int, now: float, **changes: object) -> Installation:
    values: dict[str, object] = {
        "portal_id": portal_id,
        "auth_type": AuthType.OAUTH,
        "status": InstallationStatus.ACTIVE,
        "scopes_granted": ("oauth", "conversations.read"),
        "installed_at": now,
        "hub_domain": f"portal{portal_id}.hubspot.com",
        "user": "admin@example.com",
        "user_id": 77,
    }
    values.update(changes)
    return Installation(**values)  # type: ignore[arg-type]


def tokens(tag: str, expires_at: float) -> TokenSet:
    """Distinctive token strings, easy to search for in raw database bytes."""
    return TokenSet(
        access_token=Secret(f"ACCESS-{tag}-6f1c9a2e7d"),
        refresh_token=Secret(f"REFRESH-{tag}-b84d03c5e1"),
        expires_at=expires_at,
        scopes=("oauth", "conversations.read"),
    )
