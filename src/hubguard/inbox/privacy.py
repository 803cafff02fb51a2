"""Privacy: keep the least, erase on request.

hubguard keeps verdicts, scores, reasons, sender and subject; message bodies only until the
retention deadline (``HUBGUARD_RETENTION_DAYS``). A ``conversation.privacyDeletion`` erases every
row about that thread (verdicts, events, the model's learned examples); an uninstall erases every
row about the portal. The audit log keeps only that an erasure happened, never what was erased.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine

from hubguard.inbox.feedback import learn_key
from hubguard.inbox.ports import Classifier, InstallationsAndAudit
from hubguard.inbox.sql import transaction
from hubguard.inbox.tables import events, policies, poll_cursors
from hubguard.inbox.verdicts import VerdictStore

__all__ = ["Erasure", "Privacy"]


@dataclass(frozen=True)
class Erasure:
    """What one erasure removed."""

    verdicts: int
    events: int
    learned_examples: int


class Privacy:
    """Retention and erasure over every inbox table."""

    def __init__(
        self,
        engine: Engine,
        verdicts: VerdictStore,
        classifier: Classifier,
        vault: InstallationsAndAudit,
    ) -> None:
        self._engine = engine
        self._verdicts = verdicts
        self._classifier = classifier
        self._vault = vault

    def purge_expired_bodies(self) -> int:
        """Erase message bodies past retention; returns how many. (Also forgets erased-thread
        marks older than a day, which only decisions in flight at the erasure needed.)"""
        self._verdicts.forget_erasures()
        return self._verdicts.purge_bodies()

    def erase_thread(self, portal_id: int, thread_id: str, *, actor: str = "worker") -> Erasure:
        """Everything stored about one thread (HubSpot's privacy deletion)."""
        message_ids = self._verdicts.delete_thread(portal_id, thread_id)
        forgotten = self._forget(portal_id, message_ids)
        with transaction(self._engine) as conn:
            removed = conn.execute(
                events.delete().where(
                    events.c.portal_id == portal_id, events.c.object_id == thread_id
                )
            ).rowcount
        erasure = Erasure(len(message_ids), int(removed), forgotten)
        self._audit("inbox.privacy_erase_thread", portal_id, actor, erasure)
        return erasure

    def erase_portal(self, portal_id: int, *, actor: str = "web") -> Erasure:
        """Everything the inbox pipeline stored about a portal (uninstall)."""
        message_ids = self._verdicts.delete_portal(portal_id)
        # Lists, every learned example (however it was taught) and the portal's correction.
        forgotten = self._classifier.erase_portal(portal_id)
        with transaction(self._engine) as conn:
            removed = conn.execute(events.delete().where(events.c.portal_id == portal_id)).rowcount
            conn.execute(policies.delete().where(policies.c.portal_id == portal_id))
            conn.execute(poll_cursors.delete().where(poll_cursors.c.portal_id == portal_id))
        erasure = Erasure(len(message_ids), int(removed), forgotten)
        self._audit("inbox.privacy_erase_portal", portal_id, actor, erasure)
        return erasure

    def _forget(self, portal_id: int, message_ids: list[str]) -> int:
        return sum(1 for m in message_ids if self._classifier.forget(portal_id, learn_key(m)))

    def _audit(self, operation: str, portal_id: int, actor: str, erasure: Erasure) -> None:
        self._vault.audit(
            operation,
            portal_id=portal_id,
            actor=actor,
            detail={
                "verdicts": str(erasure.verdicts),
                "events": str(erasure.events),
                "learned_examples": str(erasure.learned_examples),
            },
        )
