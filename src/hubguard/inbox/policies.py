"""Per-inbox policies: what to do with a message scored as spam.

Modes, from least to most invasive: ``shadow`` (record only, the default for a new install, so an
admin can read the shadow report before anything is switched on), ``comment`` (an internal
comment with the score and reasons), ``close``, ``archive`` (restorable for 30 days). Nothing is
ever hard-deleted. ``threshold`` None means the classifier's shipped threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hubguard.clock import Clock, SystemClock
from hubguard.errors import ConfigError
from hubguard.inbox.sql import transaction, upsert
from hubguard.inbox.tables import policies

__all__ = ["DEFAULT_MODE", "Mode", "Policy", "PolicyStore"]


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

    @property
    def acts(self) -> bool:
        """True when this policy touches HubSpot (anything but shadow)."""
        return self.mode is not Mode.SHADOW


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
        if row is None:
            return Policy(portal_id, inbox_id)
        return Policy(
            portal_id, inbox_id, Mode(row.mode), row.threshold, row.updated_at, row.updated_by
        )

    def for_portal(self, portal_id: int) -> list[Policy]:
        """The portal's explicitly set policies (inboxes absent here are in shadow mode)."""
        with transaction(self._engine) as conn:
            rows = conn.execute(
                sa.select(policies)
                .where(policies.c.portal_id == portal_id)
                .order_by(policies.c.inbox_id)
            ).all()
        return [
            Policy(r.portal_id, r.inbox_id, Mode(r.mode), r.threshold, r.updated_at, r.updated_by)
            for r in rows
        ]

    def set(
        self,
        portal_id: int,
        inbox_id: str,
        mode: Mode | str,
        threshold: float | None = None,
        *,
        actor: str | None = None,
    ) -> Policy:
        """Create or replace an inbox's policy."""
        mode = mode if isinstance(mode, Mode) else parse_mode(mode)
        if threshold is not None and not 0.0 < threshold < 1.0:
            raise ConfigError(f"threshold must be between 0 and 1 (exclusive), got {threshold}")
        now = self._clock.now()
        row = {
            "portal_id": portal_id,
            "inbox_id": str(inbox_id),
            "mode": mode.value,
            "threshold": threshold,
            "updated_at": now,
            "updated_by": actor,
        }
        with transaction(self._engine) as conn:
            upsert(conn, policies, row, ("portal_id", "inbox_id"))
        return Policy(portal_id, str(inbox_id), mode, threshold, now, actor)

    def delete_portal(self, portal_id: int) -> int:
        with transaction(self._engine) as conn:
            return int(
                conn.execute(policies.delete().where(policies.c.portal_id == portal_id)).rowcount
            )
