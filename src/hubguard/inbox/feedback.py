"""Agent feedback: "not spam" (undo) and "spam" (a miss), from the dashboard or from HubSpot.

"Not spam" restores the thread exactly as hubguard found it (unarchive what hubguard archived,
reopen what it closed), trusts the sender for that portal, teaches the portal's model the message
as ham, and records who said so. An agent reopening in HubSpot a thread hubguard closed (or
restoring one it archived) arrives as a ``conversation.propertyChange`` event and is the same
feedback, without the restore (the agent already did it). Feedback is idempotent: saying "not
spam" twice restores and learns once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from hubguard.errors import HubSpotError, NotFoundError, UnknownVerdictError
from hubguard.inbox.gateway import GatewayFactory, InboxGateway
from hubguard.inbox.ports import Classifier, InstallationsAndAudit
from hubguard.inbox.verdicts import Action, ActionState, StoredVerdict, VerdictStore
from hubguard.spam.types import MessageInput

# Chat visitors ("V-123") have no e-mail address. Their actor id is stable per contact, so
# "trust this sender" remembers it as a list entry of its own kind.
_TRUSTED_ACTOR_PREFIXES = ("V-",)


def actor_entry(actor_id: str | None) -> str | None:
    """The allow-list entry for a chat visitor's actor id (None for other kinds of actor)."""
    if actor_id and actor_id.startswith(_TRUSTED_ACTOR_PREFIXES) and len(actor_id) <= 64:
        return f"actor:{actor_id.lower()}"
    return None


__all__ = ["Feedback", "FeedbackResult", "learn_key"]

log = logging.getLogger(__name__)

NOT_SPAM = "not_spam"
GONE = "gone"  # FeedbackResult.restored: HubSpot no longer has the thread to restore
SPAM = "spam"


def learn_key(message_id: str) -> str:
    """The key a message is learned under, so privacy erasure can make the model forget it."""
    return f"msg:{message_id}"


@dataclass(frozen=True)
class FeedbackResult:
    """What one piece of feedback changed."""

    verdict_id: int
    feedback: str
    restored: str | None = None  # "unarchived" | "reopened" | None
    trusted_sender: str | None = None
    learned: bool = False
    already: bool = False  # the same feedback had been given before: nothing changed


class Feedback:
    """Undo and corrections. Every change is audited."""

    def __init__(
        self,
        verdicts: VerdictStore,
        classifier: Classifier,
        gateways: GatewayFactory,
        vault: InstallationsAndAudit,
    ) -> None:
        self._verdicts = verdicts
        self._classifier = classifier
        self._gateways = gateways
        self._vault = vault

    def not_spam(
        self,
        portal_id: int,
        *,
        verdict_id: int | None = None,
        thread_id: str | None = None,
        actor: str,
        restore: bool = True,
    ) -> list[FeedbackResult]:
        """Undo hubguard on one verdict, or on every flagged verdict of a thread."""
        targets = self._targets(portal_id, verdict_id, thread_id)
        results = []
        for verdict in targets:
            results.append(self._not_spam(verdict, actor=actor, restore=restore))
        return results

    def mark_spam(self, portal_id: int, verdict_id: int, *, actor: str) -> FeedbackResult:
        """A spam message hubguard missed (or confirmed): teach the portal's model."""
        verdict = self._verdicts.get(portal_id, verdict_id)
        if verdict is None:
            raise UnknownVerdictError(f"portal {portal_id} has no verdict {verdict_id}")
        if verdict.feedback == SPAM:
            return FeedbackResult(verdict.id, SPAM, already=True)
        learned = self._learn(verdict, SPAM)
        self._verdicts.set_feedback(verdict.id, SPAM, actor)
        self._audit(verdict, SPAM, actor, restored=None)
        return FeedbackResult(verdict.id, SPAM, learned=learned)

    def _targets(
        self, portal_id: int, verdict_id: int | None, thread_id: str | None
    ) -> list[StoredVerdict]:
        if verdict_id is not None:
            verdict = self._verdicts.get(portal_id, verdict_id)
            if verdict is None:
                raise UnknownVerdictError(f"portal {portal_id} has no verdict {verdict_id}")
            return [verdict]
        if thread_id is None:
            raise UnknownVerdictError("name a verdict id or a thread id")
        found = [
            v
            for v in self._verdicts.for_thread(portal_id, thread_id)
            if v.is_spam or v.action_state in (ActionState.DONE, ActionState.INTENDED)
        ]
        if not found:
            raise UnknownVerdictError(f"portal {portal_id} has no flagged verdict on that thread")
        return found

    def _not_spam(self, verdict: StoredVerdict, *, actor: str, restore: bool) -> FeedbackResult:
        if verdict.feedback == NOT_SPAM:
            return FeedbackResult(verdict.id, NOT_SPAM, already=True)
        restored = None
        acted = verdict.action_state in (ActionState.DONE, ActionState.INTENDED)
        if acted:
            gateway = self._gateways(verdict.portal_id)
            if restore:
                restored = self.restore(gateway, verdict)
            self._verdicts.set_action_state(verdict.id, ActionState.UNDONE)
        trusted = None
        entry = verdict.sender or actor_entry(verdict.sender_actor)
        if entry:
            try:
                self._classifier.allow(verdict.portal_id, entry)
                trusted = entry
            except ValueError:  # not an entry the lists accept
                log.info("verdict %s: sender cannot be allow-listed", verdict.id)
        learned = self._learn(verdict, "ham")
        self._verdicts.set_feedback(verdict.id, NOT_SPAM, actor)
        self._audit(verdict, NOT_SPAM, actor, restored=restored)
        return FeedbackResult(verdict.id, NOT_SPAM, restored, trusted, learned)

    def restore(self, gateway: InboxGateway, verdict: StoredVerdict) -> str | None:
        """Undo a verdict's close or archive in HubSpot: "unarchived", "reopened", ``GONE``
        (HubSpot no longer has the thread), or None (nothing to undo)."""
        try:
            if verdict.action is Action.ARCHIVE:
                gateway.restore_thread(verdict.thread_id)
                return "unarchived"
            if verdict.action is Action.CLOSE:
                gateway.reopen_thread(verdict.thread_id)
                return "reopened"
        except NotFoundError:
            # Already restored by someone else, or gone for good (30-day trash): nothing to undo.
            # Unless HubSpot still shows it closed or archived: then the undo failed, and
            # recording it as done would drop the thread from the review digest for good.
            if self._still_acted_on(gateway, verdict):
                raise
            log.info("verdict %s: thread no longer restorable", verdict.id)
            return GONE
        return None

    def _still_acted_on(self, gateway: InboxGateway, verdict: StoredVerdict) -> bool:
        try:
            thread = gateway.get_thread(verdict.thread_id, archived=True)
        except NotFoundError:
            return False  # gone for good
        if verdict.action is Action.ARCHIVE:
            return thread.archived
        return thread.status == "CLOSED" and not thread.archived

    def _learn(self, verdict: StoredVerdict, label: str) -> bool:
        text, html = self._verdicts.body(verdict.id)
        if text is None and html is None:
            try:  # the body is past retention: read it again from HubSpot (never stored again)
                msg = self._gateways(verdict.portal_id).get_message(
                    verdict.thread_id, verdict.message_id
                )
                text, html = msg.text, msg.rich_text
            except HubSpotError as exc:
                log.warning("verdict %s: cannot re-read message to learn: %s", verdict.id, exc)
                return False
        msg_input = MessageInput(
            text=text or "",
            subject=verdict.subject,
            html=html,
            from_email=verdict.sender,
            from_name=verdict.sender_name,
            channel=verdict.channel,
        )
        self._classifier.learn(
            verdict.portal_id, msg_input, label, source="agent", key=learn_key(verdict.message_id)
        )
        return True

    def _audit(
        self, verdict: StoredVerdict, feedback: str, actor: str, restored: str | None
    ) -> None:
        # No thread id, sender or subject in the audit log: it outlives privacy erasure.
        detail = {"verdict": str(verdict.id), "feedback": feedback, "action": verdict.action.value}
        if restored:
            detail["restored"] = restored
        self._vault.audit(
            "inbox.feedback", portal_id=verdict.portal_id, actor=actor[:64], detail=detail
        )
