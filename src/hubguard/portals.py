"""Connecting and disconnecting portals.

``complete_install`` finishes an OAuth install once the consent step produced a code: exchange
it (with the PKCE verifier), introspect the token to learn the portal, the consenting user and
the scopes really granted, and store the installation. Consent is also how people sign in to
the dashboard: when the portal's OAuth grant is alive and already holds every scope the new
consent granted, nothing is stored (the grant, its installing user and its audit history stay;
the new refresh token is revoked unused) and the consent counts as a sign-in.

A service key connects one portal server-to-server (no app, no webhooks: the poller covers it).
Uninstall revokes the grant at HubSpot first, then erases the portal's secrets
(crypto-erasure); a revoke that fails is logged and does not stop the erasure: the local secret
must go either way.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NoReturn

from hubguard.clock import Clock
from hubguard.config import Secret
from hubguard.errors import (
    AuthenticationError,
    HubguardError,
    HubSpotError,
    InstallFlowError,
    ServiceKeyRejectedError,
    VaultError,
)
from hubguard.hubspot.client import HubSpotClient
from hubguard.hubspot.oauth import OAuthClient
from hubguard.hubspot.scopes import scopes_for
from hubguard.models import AuthType, Installation, InstallationStatus
from hubguard.vault.protocol import TokenVault

__all__ = ["Consent", "complete_install", "connect_service_key", "uninstall"]

log = logging.getLogger(__name__)

# Extra erasers (the inbox pipeline's stored verdicts, the classifier's portal state) run after
# the vault forgets the portal; each takes the portal id.
Eraser = Callable[[int], object]


@dataclass(frozen=True)
class Consent:
    """What a completed consent did: the portal's installation afterwards, who consented, and
    whether their grant was stored (an install or re-authorisation) or not (a sign-in)."""

    installation: Installation
    user: str | None
    user_id: int | None
    stored: bool


def complete_install(
    oauth: OAuthClient,
    vault: TokenVault,
    code: str,
    code_verifier: Secret | str,
    *,
    clock: Clock,
    expected_portal: int | None = None,
    actor: str = "web",
) -> Consent:
    """Exchange ``code``, introspect, and store the grant unless it is only a sign-in (see the
    module docstring). HubSpot errors propagate; a token HubSpot does not confirm, or one for
    another portal than ``expected_portal``, raises InstallFlowError."""
    tokens = oauth.exchange_code(code, code_verifier)
    info = oauth.introspect(tokens.access_token)
    if not info.active or info.hub_id is None:
        _refuse(
            oauth,
            vault,
            tokens.refresh_token,
            info.hub_id,
            InstallFlowError(
                "HubSpot did not confirm the new token. Nothing was stored.", code="token_inactive"
            ),
        )
    if expected_portal is not None and info.hub_id != expected_portal:
        _refuse(
            oauth,
            vault,
            tokens.refresh_token,
            info.hub_id,
            InstallFlowError(
                f"This install link was for portal {expected_portal}, but HubSpot authorized "
                f"portal {info.hub_id}. Nothing was stored.",
                code="wrong_portal",
            ),
        )
    granted = tuple(sorted(info.scopes))
    current = vault.get(info.hub_id)
    if (
        current is not None
        and current.auth_type is AuthType.OAUTH
        and current.status is InstallationStatus.ACTIVE
        and set(granted) <= set(current.scopes_granted)
    ):
        # Replacing a live grant on every sign-in would make each signer the installing user
        # and rewrite the audit log's install history; a grant with new scopes, or replacing a
        # dead or service-key connection, is a real re-authorisation and is stored below.
        _revoke_unused(oauth, tokens.refresh_token, _stored_refresh_token(vault, info.hub_id))
        vault.audit(
            "signin", portal_id=info.hub_id, actor=actor, detail={"user_id": str(info.user_id)}
        )
        return Consent(current, info.user, info.user_id, stored=False)
    now = clock.now()
    installation = Installation(
        portal_id=info.hub_id,
        auth_type=AuthType.OAUTH,
        status=InstallationStatus.ACTIVE,
        scopes_granted=granted,
        installed_at=now,
        hub_domain=info.hub_domain,
        user=info.user,
        user_id=info.user_id,
        access_expires_at=tokens.expires_at,
        last_refresh_at=now,
    )
    vault.save_oauth_installation(installation, tokens)
    vault.audit(
        "install",
        portal_id=info.hub_id,
        actor=actor,
        detail={"user_id": str(info.user_id), "scopes": " ".join(installation.scopes_granted)},
    )
    return Consent(installation, info.user, info.user_id, stored=True)


def _refuse(
    oauth: OAuthClient,
    vault: TokenVault,
    fresh: Secret | None,
    portal_id: int | None,
    error: InstallFlowError,
) -> NoReturn:
    """Refuse a consent: nothing will keep the grant HubSpot just made, so revoke it, or it stays
    live at HubSpot with no record here that an uninstall could revoke."""
    _revoke_unused(oauth, fresh, _stored_refresh_token(vault, portal_id))
    raise error


def _stored_refresh_token(vault: TokenVault, portal_id: int | None) -> Secret | None:
    """The refresh token hubguard keeps for a portal, if any (so it is never revoked by mistake)."""
    if portal_id is None or vault.get(portal_id) is None:
        return None
    try:
        return vault.credentials(portal_id).refresh_token
    except VaultError:  # erased or unreadable: there is nothing usable to protect
        return None


def _revoke_unused(oauth: OAuthClient, fresh: Secret | None, stored: Secret | None) -> None:
    """Revoke a refresh token nothing will use (a sign-in's, a refused install's, a grant a
    service key replaced), so no live credential is left behind at HubSpot. Never the stored
    one (should HubSpot hand the same token back); a revoke that fails is only logged."""
    if fresh is None:
        return
    if stored is not None and hmac.compare_digest(fresh.reveal(), stored.reveal()):
        return
    try:
        oauth.revoke(fresh)
    except HubguardError as exc:
        log.warning("revoking a consent's unused refresh token failed (%s)", type(exc).__name__)


def connect_service_key(
    vault: TokenVault,
    client: HubSpotClient,
    portal_id: int,
    key: Secret,
    scopes: Sequence[str] | None = None,
    *,
    actor: str = "cli",
) -> Installation:
    """Prove ``key`` with one live call, then store it for ``portal_id`` (encrypted). A key
    HubSpot refuses changes nothing: whatever the portal had keeps working. A live OAuth grant
    it replaces is revoked at HubSpot, so no credential is left there unaccounted for."""
    if scopes is None:
        required, _ = scopes_for(client.settings.features)
        scopes = [s for s in required if s != "oauth"]  # service keys have no "oauth" scope
    try:
        client.with_service_key(portal_id, key).request(
            "GET", "/conversations/v3/conversations/inboxes", params={"limit": 1}
        )
    except AuthenticationError:
        raise ServiceKeyRejectedError(portal_id) from None
    replaced = _stored_refresh_token(vault, portal_id)
    inst = vault.save_service_key(portal_id, key, scopes)
    vault.audit("connect.service_key", portal_id=portal_id, actor=actor)
    _revoke_unused(client.oauth, replaced, None)
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
