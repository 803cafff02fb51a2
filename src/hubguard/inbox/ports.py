"""The other parts of hubguard the pipeline uses, as the narrow Protocols it needs.

``hubguard.spam.SpamFilter`` satisfies :class:`Classifier` and ``hubguard.vault.SqlTokenVault``
satisfies :class:`InstallationsAndAudit` structurally; tests may pass anything that does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from hubguard.models import AuditEntry, Installation
from hubguard.spam.types import MessageInput, Verdict

__all__ = ["Classifier", "InstallationsAndAudit"]


class Classifier(Protocol):
    """The spam filter's API as the pipeline calls it."""

    def classify(
        self, msg: MessageInput, *, portal_id: int | None = None, threshold: float | None = None
    ) -> Verdict: ...

    def learn(
        self,
        portal_id: int,
        msg: MessageInput,
        label: str,
        *,
        source: str = "agent",
        key: str | None = None,
    ) -> None: ...

    def forget(self, portal_id: int, key: str) -> bool: ...

    def allow(self, portal_id: int, address_or_domain: str) -> Any: ...

    def block(self, portal_id: int, address_or_domain: str) -> Any: ...

    def unlist(self, portal_id: int, address_or_domain: str) -> bool: ...

    def lists(self, portal_id: int) -> tuple[Sequence[str], Sequence[str]]: ...

    def listed(
        self, portal_id: int, sender_email: str | None, actor: str | None = None
    ) -> tuple[str, str] | None: ...

    def erase_portal(self, portal_id: int) -> int: ...


class InstallationsAndAudit(Protocol):
    """Which portals are connected, and the append-only audit log (the token vault)."""

    def get(self, portal_id: int) -> Installation | None: ...

    def audit(
        self,
        operation: str,
        *,
        portal_id: int | None = None,
        actor: str = "hubguard",
        detail: dict[str, str] | None = None,
    ) -> AuditEntry: ...
