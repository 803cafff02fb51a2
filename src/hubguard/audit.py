"""The installation audit: every portal's auth type, status, token health and scopes.

``hubguard audit`` prints it; ``--check`` makes one cheap live call per active portal to prove
its credential works (a 403 MISSING_SCOPES there is recorded and shows up as missing).
``--anchor FILE`` also re-checks the credential audit log: its keyed chain alone catches an
edited, deleted or re-hashed past row, but someone with write access to the database could cut
off its newest rows, or replace the whole log and its key; the head kept in a file elsewhere
(another volume, a backup, a ticket) catches that too.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from hubguard.config import Settings
from hubguard.errors import DecryptionError, UnknownKeyError
from hubguard.hubspot.client import HubSpotClient
from hubguard.hubspot.scopes import ScopeAudit, audit_installation
from hubguard.models import Installation, InstallationStatus
from hubguard.vault.protocol import TokenVault

__all__ = [
    "LogCheck",
    "PortalAudit",
    "audit_installations",
    "audit_portal",
    "verify_log_with_anchor",
]


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
        """Working as it should. An uninstalled portal is healthy: it was meant to stop, and a
        cron check must not alarm about it forever (it is still listed)."""
        if self.status == InstallationStatus.UNINSTALLED:
            return True
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
    results = []
    for inst in sorted(vault.list(), key=lambda i: i.portal_id):
        live = None
        if check and inst.status is InstallationStatus.ACTIVE:
            live = client.check(inst.portal_id).detail
        fresh = vault.get(inst.portal_id) or inst  # the live call may have changed its status
        results.append(audit_portal(vault, client.settings, fresh, check=live))
    return results


def audit_portal(
    vault: TokenVault, settings: Settings, inst: Installation, *, check: str | None = None
) -> PortalAudit:
    """One installation's audit (``check``: what a live call said, if one was made)."""
    scopes = audit_installation(vault, inst.portal_id, settings.features)
    needs_consent = inst.status is not InstallationStatus.ACTIVE or bool(scopes.missing)
    return PortalAudit(
        portal_id=inst.portal_id,
        auth_type=str(inst.auth_type),
        status=str(inst.status),
        hub_domain=inst.hub_domain,
        installed_at=inst.installed_at,
        access_expires_at=inst.access_expires_at,
        last_refresh_at=inst.last_refresh_at,
        refresh_failures=inst.refresh_failures,
        last_error=inst.last_error,
        scopes=scopes,
        reconsent_url=(
            settings.reconsent_url(inst.portal_id)
            if needs_consent and inst.auth_type == "oauth"
            else None
        ),
        check=check,
    )


@dataclass(frozen=True)
class LogCheck:
    """Outcome of ``hubguard audit --anchor``: the chain, the anchor it was held to, the new head."""

    ok: bool
    entries: int
    first_bad_seq: int | None
    anchored_seq: int | None  # None on the first run (no anchor yet)
    head_seq: int
    problem: str | None = None
    unsealed: int = 0  # entries from before the log had a key

    def summary(self) -> str:
        if not self.ok:
            where = f" at entry {self.first_bad_seq}" if self.first_bad_seq else ""
            return f"audit log: BROKEN{where}: {self.problem}"
        since = f", matches the anchor at entry {self.anchored_seq}" if self.anchored_seq else ""
        old = (
            f" ({self.unsealed} from before the log had a key, not sealed)" if self.unsealed else ""
        )
        return (
            f"audit log: {self.entries} entries{old}, chain intact{since}; "
            f"anchor now at {self.head_seq}"
        )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _read_anchor(path: Path) -> tuple[int, str] | None:
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text())
        return int(data["seq"]), str(data["hash"])
    except (OSError, ValueError, KeyError, TypeError):
        raise ValueError(f"{path} is not an anchor file written by hubguard audit") from None


def verify_log_with_anchor(vault: TokenVault, path: Path) -> LogCheck:
    """Verify the audit chain (held to the anchor in ``path`` if there is one), then advance it.

    The file is only advanced when the check passes, so a broken chain keeps failing.
    """
    try:
        anchor = _read_anchor(path)
    except ValueError as exc:
        return LogCheck(False, 0, None, None, 0, str(exc))
    if anchor is not None and anchor[0] == 0:
        anchor = None  # anchored while the log was empty: nothing to hold it to yet
    head_seq, head_hash = vault.audit_head()
    try:
        report = vault.verify_audit_chain(anchor)
    except (DecryptionError, UnknownKeyError) as exc:  # the audit key: edited, or key retired
        return LogCheck(False, 0, None, anchor and anchor[0], head_seq, str(exc))
    if not report:
        problem = (
            "entries up to the anchored one are missing or changed"
            if anchor is not None and report.first_bad_seq == anchor[0]
            else "an entry was altered, removed or reordered"
        )
        return LogCheck(
            False, report.entries, report.first_bad_seq, anchor and anchor[0], head_seq, problem
        )
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(json.dumps({"seq": head_seq, "hash": head_hash}) + "\n")
        os.replace(tmp, path)  # atomic: a crash never leaves a half-written anchor
    except OSError as exc:  # no such directory, no permission: the check cannot hold
        return LogCheck(
            False,
            report.entries,
            None,
            anchor and anchor[0],
            head_seq,
            f"cannot write the anchor file {path}: {exc.strerror}",
        )
    return LogCheck(
        True, report.entries, None, anchor and anchor[0], head_seq, unsealed=report.unsealed
    )
