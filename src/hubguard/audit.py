"""The installation audit: every portal's auth type, status, token health and scopes.

``hubguard audit`` prints it; ``--check`` makes one cheap live call per active portal to prove
its credential works (a 403 MISSING_SCOPES there is recorded and shows up as missing).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from hubguard.hubspot.client import HubSpotClient
from hubguard.hubspot.scopes import ScopeAudit, audit_installation
from hubguard.models import InstallationStatus
from hubguard.vault.protocol import TokenVault

__all__ = ["PortalAudit", "audit_installations"]


@dataclass(frozen=True)
class PortalAudit:
    """One installation as an admin needs to see it. No secrets."""

    portal_id: int
    auth_type: str
    status: str
    hub_domain: str | None
    installed_at: float
    access_expires_at: float | None
    last_refresh_at: float | None
    refresh_failures: int
    last_error: str | None
    scopes: ScopeAudit
    reconsent_url: str | None
    check: str | None = None  # "ok", or what the live call said

    @property
    def healthy(self) -> bool:
        return (
            self.status == InstallationStatus.ACTIVE
            and not self.scopes.missing
            and self.check in (None, "ok")
        )

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["scopes"] = {
            "granted": list(self.scopes.granted),
            "needed": list(self.scopes.needed),
            "unused": list(self.scopes.unused),
            "missing": list(self.scopes.missing),
            "optional_missing": list(self.scopes.optional_missing),
        }
        data["healthy"] = self.healthy
        return data


def audit_installations(
    vault: TokenVault,
    client: HubSpotClient,
    *,
    check: bool = False,
) -> list[PortalAudit]:
    """Audit every installation in ``vault``; with ``check``, prove each credential live."""
    settings = client.settings
    results = []
    for inst in sorted(vault.list(), key=lambda i: i.portal_id):
        live = None
        if check and inst.status is InstallationStatus.ACTIVE:
            live = client.check(inst.portal_id).detail
        scopes = audit_installation(vault, inst.portal_id, settings.features)
        fresh = vault.get(inst.portal_id) or inst  # the live call may have changed its status
        needs_consent = fresh.status is not InstallationStatus.ACTIVE or bool(scopes.missing)
        results.append(
            PortalAudit(
                portal_id=fresh.portal_id,
                auth_type=str(fresh.auth_type),
                status=str(fresh.status),
                hub_domain=fresh.hub_domain,
                installed_at=fresh.installed_at,
                access_expires_at=fresh.access_expires_at,
                last_refresh_at=fresh.last_refresh_at,
                refresh_failures=fresh.refresh_failures,
                last_error=fresh.last_error,
                scopes=scopes,
                reconsent_url=(
                    settings.reconsent_url(fresh.portal_id)
                    if needs_consent and fresh.auth_type == "oauth"
                    else None
                ),
                check=live,
            )
        )
    return results
