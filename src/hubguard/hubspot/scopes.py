"""Which feature needs which HubSpot scope, and the least-privilege audit.

The install flow asks for ``scopes_for(settings.features)``: required scopes as ``scope``,
optional ones as ``optional_scope`` (HubSpot drops optional scopes a portal lacks, so the audit
looks at what introspection really granted). ``audit_scopes`` compares granted with needed and
reports over-broad (``unused``) and ``missing`` scopes; a ``MissingScopesError`` seen at runtime
(HubSpot's 403 ``context.missingScopes``) is recorded by :class:`MissingScopesRecorder` in the
audit log, and :func:`observed_missing_scopes` reads it back so the audit shows it too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from hubguard.errors import ConfigError
from hubguard.models import AuditEntry
from hubguard.vault.protocol import TokenVault

__all__ = [
    "BASE_SCOPES",
    "FEATURE_SCOPES",
    "MISSING_SCOPES_OPERATION",
    "FeatureScopes",
    "MissingScopesRecorder",
    "ScopeAudit",
    "audit_installation",
    "audit_scopes",
    "observed_missing_scopes",
    "scopes_for",
]

MISSING_SCOPES_OPERATION = "scopes.missing"
# Every HubSpot OAuth app must ask for "oauth"; it grants no data access, so the audit neither
# counts it as needed (service keys lack it) nor as over-broad.
BASE_SCOPES = frozenset({"oauth"})
# Audit operations that start a fresh grant (written by the vault and the install route).
_INSTALL_OPERATIONS = frozenset({"install", "vault.install", "vault.service_key"})


@dataclass(frozen=True)
class FeatureScopes:
    """The scopes one feature cannot work without, and those that only make it better."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    why: str = ""


FEATURE_SCOPES: Mapping[str, FeatureScopes] = MappingProxyType(
    {
        # Read threads and messages to score them; write to comment, close, archive, restore.
        # Contacts are optional: with them the filter recognises known customers and never
        # auto-acts on them (it only tags); without them it still filters, less cautiously.
        "inbox_filter": FeatureScopes(
            required=("conversations.read", "conversations.write"),
            optional=("crm.objects.contacts.read",),
            why="score inbox threads and act on spam; contacts spare known customers",
        ),
    }
)


def _check(features: Iterable[str]) -> list[str]:
    names = list(dict.fromkeys(features))
    unknown = [f for f in names if f not in FEATURE_SCOPES]
    if unknown:
        raise ConfigError(
            f"HUBGUARD_FEATURES names unknown feature(s) {', '.join(unknown)}; "
            f"valid: {', '.join(sorted(FEATURE_SCOPES))}"
        )
    return names


def scopes_for(features: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(required, optional)`` scopes to ask for at install, sorted, without overlap.

    ``required`` includes ``oauth``: HubSpot requires every OAuth app to ask for it.
    """
    required, optional = _feature_scopes(features)
    return tuple(sorted(required | BASE_SCOPES)), tuple(sorted(optional - required))


def _feature_scopes(features: Iterable[str]) -> tuple[set[str], set[str]]:
    required: set[str] = set()
    optional: set[str] = set()
    for name in _check(features):
        required.update(FEATURE_SCOPES[name].required)
        optional.update(FEATURE_SCOPES[name].optional)
    return required, optional - required


@dataclass(frozen=True)
class ScopeAudit:
    """Granted vs needed. ``unused`` is over-broad; ``missing`` breaks a feature."""

    granted: tuple[str, ...]
    needed: tuple[str, ...]
    unused: tuple[str, ...]
    missing: tuple[str, ...]
    optional: tuple[str, ...] = ()
    optional_missing: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Least privilege and nothing missing."""
        return not self.unused and not self.missing


def audit_scopes(
    granted: Iterable[str],
    features: Iterable[str],
    *,
    observed_missing: Iterable[str] = (),
) -> ScopeAudit:
    """Compare a portal's granted scopes with what ``features`` need.

    ``observed_missing`` are scopes HubSpot named in a 403 MISSING_SCOPES at runtime: they are
    missing even if the grant seemed to include them (HubSpot knows better than our table).
    """
    granted_set = set(granted)
    required, optional = _feature_scopes(features)
    useful = required | optional | BASE_SCOPES
    missing = (required - granted_set) | set(observed_missing)
    return ScopeAudit(
        granted=tuple(sorted(granted_set)),
        needed=tuple(sorted(required)),
        unused=tuple(sorted(granted_set - useful)),
        missing=tuple(sorted(missing)),
        optional=tuple(sorted(optional)),
        optional_missing=tuple(sorted(optional - granted_set)),
    )


class MissingScopesRecorder:
    """The ``missingScopes`` hook: records a runtime 403 MISSING_SCOPES in the audit log."""

    def __init__(self, vault: TokenVault, actor: str = "hubspot-client") -> None:
        self._vault = vault
        self._actor = actor

    def __call__(self, portal_id: int, missing: Sequence[str], operation: str) -> None:
        self._vault.audit(
            MISSING_SCOPES_OPERATION,
            portal_id=portal_id,
            actor=self._actor,
            detail={"missing": " ".join(missing), "call": operation},
        )


def observed_missing_scopes(
    vault: TokenVault, portal_id: int, limit: int = 1000
) -> tuple[str, ...]:
    """Scopes HubSpot reported missing for ``portal_id`` since its last install."""
    missing: set[str] = set()
    # audit_log is oldest first; walk back to the (re-)install, which may have fixed the scopes.
    entries: Sequence[AuditEntry] = vault.audit_log(portal_id, limit=limit)
    for entry in reversed(entries):
        if entry.operation in _INSTALL_OPERATIONS:
            break
        if entry.operation == MISSING_SCOPES_OPERATION:
            missing.update(entry.detail.get("missing", "").split())
    return tuple(sorted(missing))


def audit_installation(vault: TokenVault, portal_id: int, features: Iterable[str]) -> ScopeAudit:
    """The scope audit of one installed portal: its granted scopes (from introspection at
    install, or the service key's) plus what HubSpot reported missing since (``hubguard audit``).
    """
    inst = vault.get(portal_id)
    granted = inst.scopes_granted if inst is not None else ()
    return audit_scopes(
        granted, features, observed_missing=observed_missing_scopes(vault, portal_id)
    )
