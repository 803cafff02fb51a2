"""Domain values shared by every part: frozen dataclasses, never untyped dicts.

Secrets inside them are :class:`~hubguard.config.Secret`, so printing a value never shows one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from hubguard.config import Secret

__all__ = [
    "AuditEntry",
    "AuthType",
    "Installation",
    "InstallationStatus",
    "StoredCredentials",
    "TokenSet",
]


class AuthType(StrEnum):
    OAUTH = "oauth"
    SERVICE_KEY = "service_key"


class InstallationStatus(StrEnum):
    ACTIVE = "active"
    NEEDS_REAUTH = "needs_reauth"  # the grant is dead: an admin must re-consent
    UNINSTALLED = "uninstalled"  # secrets erased; the row stays for the audit trail


@dataclass(frozen=True)
class TokenSet:
    """What HubSpot's token endpoint returned, with the expiry made absolute."""

    access_token: Secret
    refresh_token: Secret | None
    expires_at: float  # epoch seconds
    scopes: tuple[str, ...] = ()
    token_type: str = "bearer"  # noqa: S105 - a token kind, not a secret

    def seconds_left(self, now: float) -> float:
        return self.expires_at - now

    def is_fresh(self, now: float, leeway: float) -> bool:
        """True while the token has more than ``leeway`` seconds to live."""
        return self.expires_at - now > leeway


@dataclass(frozen=True)
class Installation:
    """One HubSpot portal connected to hubguard, by OAuth or by a service key. No secrets."""

    portal_id: int
    auth_type: AuthType
    status: InstallationStatus
    scopes_granted: tuple[str, ...]
    installed_at: float
    hub_domain: str | None = None
    user: str | None = None  # the installing user's email (OAuth), None for service keys
    user_id: int | None = None
    access_expires_at: float | None = None
    last_refresh_at: float | None = None
    refresh_failures: int = 0
    last_error: str | None = None  # a short code, never a secret
    key_id: str | None = None  # master key that wraps this portal's data key
    updated_at: float | None = None  # last change of the row (with failures: the last failure)


@dataclass(frozen=True)
class StoredCredentials:
    """Decrypted credentials of one portal plus the version used for compare-and-swap writes."""

    portal_id: int
    auth_type: AuthType
    version: int
    access_token: Secret | None = None
    refresh_token: Secret | None = None
    expires_at: float | None = None
    service_key: Secret | None = None


@dataclass(frozen=True)
class AuditEntry:
    """One use of a credential: who, what, when, why. Append-only and hash-chained."""

    seq: int
    at: float
    portal_id: int | None
    operation: str  # e.g. "token.refresh", "api.call", "install", "uninstall", "keys.rotate"
    actor: str  # e.g. "worker", "web", "cli", "poller"
    detail: dict[str, str] = field(default_factory=dict)
    entry_hash: str = ""
