"""Connecting and disconnecting portals outside the OAuth install flow.

A service key connects one portal server-to-server (no app, no webhooks: the poller covers it).
Uninstall revokes the grant at HubSpot first, then erases the portal's secrets (crypto-erasure);
a revoke that fails is logged and does not stop the erasure: the local secret must go either way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from hubguard.config import Secret
from hubguard.errors import HubguardError, HubSpotError
from hubguard.hubspot.client import HubSpotClient
from hubguard.hubspot.scopes import scopes_for
from hubguard.models import AuthType, Installation
from hubguard.vault.protocol import TokenVault

__all__ = ["connect_service_key", "uninstall"]

log = logging.getLogger(__name__)

# Extra erasers (the inbox pipeline's stored verdicts, the classifier's portal state) run after
# the vault forgets the portal; each takes the portal id.
Eraser = Callable[[int], object]


def connect_service_key(
    vault: TokenVault,
    client: HubSpotClient,
    portal_id: int,
    key: Secret,
    scopes: Sequence[str] | None = None,
    *,
    actor: str = "cli",
) -> Installation:
    """Store ``key`` for ``portal_id`` (encrypted) and prove it with one live call."""
    if scopes is None:
        required, _ = scopes_for(client.settings.features)
        scopes = [s for s in required if s != "oauth"]  # service keys have no "oauth" scope
    inst = vault.save_service_key(portal_id, key, scopes)
    vault.audit("connect.service_key", portal_id=portal_id, actor=actor)
    client.for_portal(portal_id).request(
        "GET", "/conversations/v3/conversations/inboxes", params={"limit": 1}
    )
    return inst


def uninstall(
    vault: TokenVault,
    client: HubSpotClient,
    portal_id: int,
    *,
    erasers: Sequence[Eraser] = (),
    actor: str = "cli",
) -> bool:
    """Revoke at HubSpot (OAuth), erase the portal's secrets and data. True if HubSpot agreed."""
    inst = vault.get(portal_id)
    if inst is None:
        raise HubguardError(f"portal {portal_id} is not installed")
    revoked = True
    if inst.auth_type is AuthType.OAUTH:
        try:
            refresh = vault.credentials(portal_id).refresh_token
            if refresh is not None:
                client.oauth.revoke(refresh)
        except (HubSpotError, HubguardError) as exc:
            revoked = False
            log.warning("portal %s: revoke at HubSpot failed (%s); erasing anyway", portal_id, exc)
    vault.erase(portal_id)
    for erase in erasers:
        erase(portal_id)
    vault.audit(
        "uninstall", portal_id=portal_id, actor=actor, detail={"revoked": str(revoked).lower()}
    )
    client.tokens.invalidate(portal_id)
    return revoked
