"""Per-inbox policies: what to do with a message scored as spam.

Modes, from least to most invasive: ``shadow`` (record only, the default for a new install, so an
admin can read the shadow report before anything is switched on), ``comment`` (an internal
comment with the score and reasons), ``close``, ``archive`` (restorable for 30 days). Nothing is
ever hard-deleted. ``threshold`` None means the classifier's shipped threshold.

``category_modes`` overrides the inbox's mode for a spam sub-category: archive phishing, but only
comment on cold outreach a sales team may want to see, and leave newsletters in shadow.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hubguard.clock import Clock, SystemClock
from hubguard.errors import ConfigError
from hubguard.inbox.ports import InstallationsAndAudit
from hubguard.inbox.sql import transaction, upsert
from hubguard.inbox.tables import policies
from hubguard.spam.types import CATEGORIES

__all__ = [
    "DEFAULT_MODE",
    "Mode",
    "Policy",
    "PolicyStore",
    "audit_change",
    "parse_category_modes",
]


class Mode(StrEnum):
    SHADOW = "shadow"
    COMMENT = "comment"
    CLOSE = "close"
    ARCHIVE = "archive"


DEFAULT_MODE = Mode.SHADOW


@dataclass(frozen=True)
class Policy:
    """What hubguard does in one inbox of one portal."""

    portal_id: int
    inbox_id: str
    mode: Mode = DEFAULT_MODE
    threshold: float | None = None
    updated_at: float | None = None
    updated_by: str | None = None
    category_modes: Mapping[str, Mode] = field(default_factory=dict)

    def mode_for(self, category: str | None) -> Mode:
        """The mode for a verdict of ``category`` (the inbox's own unless overridden)."""
        return self.category_modes.get(category or "", self.mode)

    def category_mode_names(self) -> dict[str, str]:
        """``category_modes`` as plain names, by category (what is stored, shown and audited)."""
        return {c: m.value for c, m in sorted(self.category_modes.items())}


def audit_change(audit: InstallationsAndAudit, policy: Policy, actor: str) -> None:
    """Record a policy change as an ``inbox.policy`` audit entry (API and CLI alike)."""
    audit.audit(
        "inbox.policy",
        portal_id=policy.portal_id,
        actor=actor,
        detail={
            "inbox": policy.inbox_id,
            "mode": policy.mode.value,
            "threshold": "" if policy.threshold is None else str(policy.threshold),
            "category_modes": ",".join(f"{c}={m}" for c, m in policy.category_mode_names().items()),
        },
    )


def parse_category_modes(raw: Mapping[str, Any] | None) -> dict[str, Mode]:
    """Validated ``{category: mode}``; the error names the valid categories or modes."""
    out: dict[str, Mode] = {}
    for category, mode in (raw or {}).items():
        if category not in CATEGORIES:
            raise ConfigError(
                f"unknown spam category {category!r}; valid categories: {', '.join(CATEGORIES)}"
            )
        out[category] = mode if isinstance(mode, Mode) else parse_mode(str(mode))
    return out


def _policy(row: Any) -> Policy:
    return Policy(
        row.portal_id,
        row.inbox_id,
        Mode(row.mode),
        row.threshold,
        row.updated_at,
        row.updated_by,
        {c: Mode(m) for c, m in json.loads(row.category_modes or "{}").items()},
    )


def parse_mode(raw: str) -> Mode:
    """A :class:`Mode` from text; the error lists the valid ones."""
    try:
        return Mode(raw.strip().lower())
    except ValueError:
        valid = ", ".join(m.value for m in Mode)
        raise ConfigError(f"unknown inbox mode {raw!r}; valid modes: {valid}") from None


class PolicyStore:
    """Policies in the database. An inbox without a row gets ``shadow`` at the model threshold."""

    def __init__(self, engine: Engine, *, clock: Clock | None = None) -> None:
        self._engine = engine
        self._clock = clock or SystemClock()

    def get(self, portal_id: int, inbox_id: str) -> Policy:
        with transaction(self._engine) as conn:
            row = conn.execute(
                sa.select(policies).where(
                    policies.c.portal_id == portal_id, policies.c.inbox_id == inbox_id
                )
            ).first()
        return Policy(portal_id, inbox_id) if row is None else _policy(row)

    def for_portal(self, portal_id: int) -> list[Policy]:
        """The portal's explicitly set policies (inboxes absent here are in shadow mode)."""
        with transaction(self._engine) as conn:
            rows = conn.execute(
                sa.select(policies)
                .where(policies.c.portal_id == portal_id)
                .order_by(policies.c.inbox_id)
            ).all()
        return [_policy(r) for r in rows]

    def set(
        self,
        portal_id: int,
        inbox_id: str,
        mode: Mode | str,
        threshold: float | None = None,
        *,
        category_modes: Mapping[str, Mode | str] | None = None,
        actor: str | None = None,
    ) -> Policy:
        """Create or replace an inbox's policy (ConfigError, and nothing written, if invalid)."""
        mode = mode if isinstance(mode, Mode) else parse_mode(mode)
        by_category = parse_category_modes(category_modes)
        if threshold is not None and not 0.0 < threshold < 1.0:
            raise ConfigError(f"threshold must be between 0 and 1 (exclusive), got {threshold}")
        policy = Policy(
            portal_id, str(inbox_id), mode, threshold, self._clock.now(), actor, by_category
        )
        row = {
            "portal_id": policy.portal_id,
            "inbox_id": policy.inbox_id,
            "mode": mode.value,
            "threshold": threshold,
            "updated_at": policy.updated_at,
            "updated_by": actor,
            "category_modes": json.dumps(policy.category_mode_names()) if by_category else None,
        }
        with transaction(self._engine) as conn:
            upsert(conn, policies, row, ("portal_id", "inbox_id"))
        return policy

    def delete_portal(self, portal_id: int) -> int:
        with transaction(self._engine) as conn:
            return int(
                conn.execute(policies.delete().where(policies.c.portal_id == portal_id)).rowcount
            )
