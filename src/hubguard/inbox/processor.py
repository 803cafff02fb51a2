"""The processor: one stored event in, a verdict and (maybe) one HubSpot action out.

For ``conversation.newMessage``: GET the message (one call), skip anything that is not an
incoming MESSAGE, find the inbox from a per-portal channel-account cache (one call per portal per
ten minutes, not per message), classify, apply the inbox's policy, write the verdict with the
*intended* action, act (one call), mark it done and audit it. When the portal granted the CRM
scope, a message about to be acted on costs one more call: is the sender a known customer
(looked up by sender, cached per sender; the thread itself is never fetched)? A known
customer's thread is only tagged (an internal comment), never closed or archived.

Idempotency: the verdict row, unique per (portal, message), is written before HubSpot is touched.
A replay finds it and stops; a verdict still ``intended`` (the worker died, or HubSpot failed
mid-call) is resumed by checking HubSpot's state first: a comment is looked for by its marker
before posting again, an archive that 404s is checked on the archived thread; closing is an
idempotent PATCH.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from hubguard.clock import Clock, SystemClock
from hubguard.errors import (
    ActionInProgressError,
    NeedsReauthError,
    NotFoundError,
    ThreadErasedError,
)
from hubguard.inbox.events import InboxEvent
from hubguard.inbox.feedback import GONE, Feedback, actor_entry
from hubguard.inbox.gateway import GatewayFactory, InboxGateway, MessageView
from hubguard.inbox.policies import Mode, Policy, PolicyStore
from hubguard.inbox.ports import Classifier, InstallationsAndAudit
from hubguard.inbox.privacy import Privacy
from hubguard.inbox.verdicts import (
    ALLOW_LISTED,
    KNOWN_CONTACT,
    Action,
    ActionState,
    StoredVerdict,
    VerdictRecord,
    VerdictStore,
)
from hubguard.models import InstallationStatus
from hubguard.spam.types import MessageInput, Verdict

__all__ = ["CHANNELS", "Outcome", "Processor", "comment_marker"]

log = logging.getLogger(__name__)

# HubSpot channel ids (reference §4.1); 1004 (forms) is the emulator's choice, unconfirmed.
CHANNELS = {"1000": "CHAT", "1001": "FACEBOOK", "1002": "EMAIL", "1004": "FORM", "1007": "WHATSAPP"}
_ACTION_FOR_MODE = {
    Mode.SHADOW: Action.NONE,
    Mode.COMMENT: Action.COMMENT,
    Mode.CLOSE: Action.CLOSE,
    Mode.ARCHIVE: Action.ARCHIVE,
}
CHANNEL_CACHE_SECONDS = 600.0
CONTACT_CACHE_SECONDS = 600.0
CONTACT_CACHE_SIZE = 10_000
# HubSpot's event clock and ours may differ a little; a reopen this close to the action counts.
REORDER_TOLERANCE_SECONDS = 2.0
# A sender's message this close to a reopen (HubSpot's two timestamps) is what reopened it.
REPLY_REOPEN_SECONDS = 5.0


class Outcome(StrEnum):
    DONE = "done"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    reason: str = ""
    verdict_id: int | None = None


def comment_marker(verdict_id: int) -> str:
    """The tag that identifies hubguard's comment for a verdict (found again after a crash)."""
    return f"[hubguard verdict {verdict_id}]"


def comment_text(verdict: StoredVerdict, dashboard_url: str | None = None) -> str:
    """The internal comment an agent reads on the thread: score, category, reasons, way out
    (with ``dashboard_url``, a link to this verdict on the dashboard)."""
    category = (verdict.category or "spam").replace("_", " ")
    lines = [
        f"hubguard: likely spam ({category}), score {verdict.score:.2f} "
        f"(threshold {verdict.threshold:.2f}).",
    ]
    lines += [f"- {reason}" for reason in verdict.reasons[:5]]
    if verdict.action_note == KNOWN_CONTACT:
        lines.append(
            "The sender is a known customer, so hubguard only tags the thread: it never closes "
            "or archives a customer's messages."
        )
    elif verdict.action is Action.CLOSE:
        lines.append("The thread was closed. Reopen it to tell hubguard it is not spam.")
    elif dashboard_url:
        lines.append(
            f"Not spam? One click restores it and trusts the sender: "
            f"{dashboard_url}#verdict-{verdict.id}"
        )
    else:
        lines.append("Not spam? Mark it in hubguard and the sender will be trusted.")
    lines.append(comment_marker(verdict.id))
    return "\n".join(lines)


class Processor:
    """Turns stored events into verdicts and actions. Thread-safe; raises HubSpot errors."""

    def __init__(
        self,
        *,
        gateways: GatewayFactory,
        classifier: Classifier,
        verdicts: VerdictStore,
        policies: PolicyStore,
        vault: InstallationsAndAudit,
        feedback: Feedback,
        privacy: Privacy,
        clock: Clock | None = None,
        actor: str = "worker",
        intent_lease_seconds: float = 0.0,
        dashboard_url: str | None = None,
        agent_undo_waiting: Callable[[int, str, int], bool] | None = None,
    ) -> None:
        """``intent_lease_seconds``: how long an unfinished intent belongs to the worker that
        recorded it. 0 is right only for one worker thread in one process (nobody else can be
        acting); otherwise give more than one action's worst-case duration (e.g. 120 s).
        ``dashboard_url``: where a comment's "not spam?" line links to.
        ``agent_undo_waiting(portal, thread, since_ms)``: whether an agent's reopen or unarchive
        of the thread is stored and not yet handled (``EventStore.agent_undo_waiting``)."""
        self._gateways = gateways
        self._agent_undo_waiting = agent_undo_waiting
        self._classifier = classifier
        self._verdicts = verdicts
        self._policies = policies
        self._vault = vault
        self._feedback = feedback
        self._privacy = privacy
        self._clock = clock or SystemClock()
        self._actor = actor
        self._intent_lease = intent_lease_seconds
        self._dashboard_url = dashboard_url
        self._lock = threading.Lock()
        self._inbox_by_account: dict[int, tuple[float, dict[str, str | None]]] = {}
        self._lookup_locks: dict[int, threading.Lock] = {}
        self._contacts: dict[tuple[int, str, str], tuple[float, bool]] = {}

    def process(self, event: InboxEvent) -> Result:
        """Handle one event. HubSpot errors propagate (the worker decides: retry, park, fail)."""
        installation = self._vault.get(event.portal_id)
        if installation is None or installation.status is InstallationStatus.UNINSTALLED:
            return Result(Outcome.SKIPPED, "portal not installed")
        if installation.status is InstallationStatus.NEEDS_REAUTH:
            raise NeedsReauthError(event.portal_id)
        kind = event.subscription_type
        if kind == "conversation.newMessage":
            return self._new_message(event)
        if kind == "conversation.propertyChange":
            return self._property_change(event)
        if kind == "conversation.privacyDeletion" and event.object_id:
            self._privacy.erase_thread(event.portal_id, event.object_id, actor=self._actor)
            return Result(Outcome.DONE, "thread erased")
        return Result(Outcome.SKIPPED, f"nothing to do for {kind}")

    # -- new messages -----------------------------------------------------------------------

    def _new_message(self, event: InboxEvent) -> Result:
        if not event.object_id or not event.message_id:
            return Result(Outcome.SKIPPED, "event names no thread or message")
        if event.message_type and event.message_type != "MESSAGE":
            return Result(Outcome.SKIPPED, f"{event.message_type} is not a message")
        existing = self._verdicts.by_message(event.portal_id, event.message_id)
        if existing is not None:
            return self._resume_or_skip(existing, None)
        gateway = self._gateways(event.portal_id)
        try:
            message = gateway.get_message(event.object_id, event.message_id)
        except NotFoundError:
            return Result(Outcome.SKIPPED, "message no longer exists")
        return self.decide(event.portal_id, gateway, message)

    def decide(self, portal_id: int, gateway: InboxGateway, message: MessageView) -> Result:
        """Classify one fetched message and apply its inbox's policy (the poller calls this too)."""
        if message.type != "MESSAGE":
            return Result(Outcome.SKIPPED, f"{message.type} is not a message")
        if message.direction != "INCOMING":
            # Outgoing, or a message HubSpot sent without its direction: never judged on a
            # guess (an agent's reply taken for a customer's would be scored and acted on).
            return Result(Outcome.SKIPPED, f"not an incoming message ({message.direction})")
        existing = self._verdicts.by_message(portal_id, message.id)
        if existing is not None:
            return self._resume_or_skip(existing, gateway)
        inbox_id = self._inbox_id(portal_id, gateway, message)
        policy = self._policies.get(portal_id, inbox_id) if inbox_id else None
        policy = policy or Policy(portal_id, "")
        channel = CHANNELS.get(message.channel_id or "", "OTHER")
        msg_input = MessageInput(
            text=message.text or "",
            subject=message.subject,
            html=message.rich_text,
            from_email=message.sender_email,
            from_name=message.sender_name,
            channel=channel,
            direction="INCOMING",
        )
        verdict = self._classifier.classify(
            msg_input, portal_id=portal_id, threshold=policy.threshold
        )
        mode = policy.mode_for(verdict.category)
        action, note = self._choose(portal_id, gateway, mode, verdict, message)
        record = VerdictRecord(
            portal_id=portal_id,
            thread_id=message.thread_id,
            message_id=message.id,
            inbox_id=inbox_id,
            channel=channel,
            sender=message.sender_email,
            sender_name=message.sender_name,
            sender_actor=message.sender_actor,
            subject=message.subject,
            score=verdict.spam_probability,
            is_spam=verdict.is_spam,
            category=verdict.category,
            reasons=verdict.reasons,
            model=verdict.model,
            threshold=verdict.threshold,
            mode=mode.value,
            action=action,
            action_state=ActionState.INTENDED if action is not Action.NONE else ActionState.NONE,
            action_note=note,
            received_at=message.created_at,
            text=message.text,
            html=message.rich_text,
        )
        try:
            stored, inserted = self._verdicts.record(record)
        except ThreadErasedError:
            return Result(Outcome.SKIPPED, "thread erased")
        if inserted and self._uninstalled(portal_id):
            # Uninstalled while this message was being decided: the uninstall marks the portal
            # before it erases its rows, so whichever runs second removes this one.
            self._verdicts.delete_verdict(stored.id)
            return Result(Outcome.SKIPPED, "portal uninstalled")
        if not inserted:  # another worker decided this message first; it owns the action
            return Result(Outcome.SKIPPED, "already decided", stored.id)
        if stored.action is not Action.NONE:
            self._act(gateway, stored, resume=False)
        return Result(Outcome.DONE, note or stored.action.value, stored.id)

    def _resume_or_skip(self, existing: StoredVerdict, gateway: InboxGateway | None) -> Result:
        """A message decided before: finish its action if a crash left it only intended (the
        webhook path and the poller alike), else nothing to do."""
        if existing.action_state is not ActionState.INTENDED:
            return Result(Outcome.SKIPPED, "already decided", existing.id)
        if self._clock.now() - existing.decided_at < self._intent_lease:
            # Another worker may be acting this very moment: resuming now could act twice.
            raise ActionInProgressError(f"verdict {existing.id} is being acted on")
        if self._agent_undo_waiting is not None and self._agent_undo_waiting(
            existing.portal_id, existing.thread_id, int(existing.decided_at * 1000)
        ):
            # The crashed worker may have acted and an agent undone it since: that reaction is
            # read first (it marks the verdict undone), so acting again cannot overrule it.
            raise ActionInProgressError(f"verdict {existing.id}: an agent's reaction comes first")
        self._act(gateway or self._gateways(existing.portal_id), existing, resume=True)
        return Result(Outcome.DONE, "resumed", existing.id)

    def _uninstalled(self, portal_id: int) -> bool:
        installation = self._vault.get(portal_id)
        return installation is None or installation.status is InstallationStatus.UNINSTALLED

    def _choose(
        self,
        portal_id: int,
        gateway: InboxGateway,
        mode: Mode,
        verdict: Verdict,
        message: MessageView,
    ) -> tuple[Action, str | None]:
        """The action for this verdict in ``mode`` (the policy's, for the verdict's category),
        and why there is none when none."""
        if not verdict.is_spam:
            return Action.NONE, "ham"
        if mode is Mode.SHADOW:
            return Action.NONE, "shadow"
        if self._allow_listed(portal_id, message.sender_email, message.sender_actor):
            return Action.NONE, ALLOW_LISTED
        if gateway.checks_contacts and self._known_customer(portal_id, gateway, message):
            # Tag only: a customer's thread is never closed or archived, but a spam-like message
            # from them (a hijacked account sending phishing, say) still gets the agents' note.
            return Action.COMMENT, KNOWN_CONTACT
        return _ACTION_FOR_MODE[mode], None

    def _known_customer(self, portal_id: int, gateway: InboxGateway, message: MessageView) -> bool:
        """The CRM's answer, cached per sender for a while (spam senders repeat; one call each)."""
        key = (portal_id, message.sender_actor or "", message.sender_email or "")
        now = self._clock.monotonic()
        with self._lock:
            cached = self._contacts.get(key)
        if cached is not None and now - cached[0] < CONTACT_CACHE_SECONDS:
            return cached[1]
        known = bool(
            gateway.is_known_customer(email=message.sender_email, actor_id=message.sender_actor)
        )
        with self._lock:
            if len(self._contacts) > CONTACT_CACHE_SIZE:
                self._contacts.clear()
            self._contacts[key] = (now, known)
        return known

    def _allow_listed(self, portal_id: int, sender: str | None, actor: str | None) -> bool:
        # The filter's own list rule (the most specific entry wins), plus trusted chat visitors.
        listed = self._classifier.listed(portal_id, sender, actor_entry(actor))
        return listed is not None and listed[0] == "allow"

    def _inbox_id(self, portal_id: int, gateway: InboxGateway, message: MessageView) -> str | None:
        account = message.channel_account_id
        if account:
            with self._lock:
                portal_lock = self._lookup_locks.setdefault(portal_id, threading.Lock())
            # One lookup per portal at a time: worker threads that need the same map wait for
            # it and read it, instead of each asking HubSpot.
            with portal_lock:
                now = self._clock.monotonic()
                with self._lock:
                    cached = self._inbox_by_account.get(portal_id)
                if (
                    cached is None
                    or now - cached[0] > CHANNEL_CACHE_SECONDS
                    or account not in cached[1]
                ):
                    mapping = {a.id: a.inbox_id for a in gateway.list_channel_accounts()}
                    with self._lock:
                        self._inbox_by_account[portal_id] = (now, mapping)
                    cached = (now, mapping)
            if cached[1].get(account):
                return cached[1][account]
        return gateway.get_thread(message.thread_id).inbox_id

    # -- acting -------------------------------------------------------------------------------

    def _act(self, gateway: InboxGateway, verdict: StoredVerdict, *, resume: bool) -> None:
        """Carry out an intended action exactly once (see the module docstring)."""
        note: str | None = None
        try:
            done, note = self._already_done(gateway, verdict) if resume else (False, None)
            if not done and verdict.action is Action.COMMENT:
                note = gateway.post_comment(
                    verdict.thread_id, comment_text(verdict, self._dashboard_url)
                )
            elif not done and verdict.action is Action.CLOSE:
                gateway.close_thread(verdict.thread_id)
            elif not done and verdict.action is Action.ARCHIVE:
                gateway.archive_thread(verdict.thread_id)
        except NotFoundError:
            # The thread is gone (archived or deleted by someone else): nothing left to act on.
            self._verdicts.set_action_state(verdict.id, ActionState.FAILED, "thread not found")
            return
        if verdict.action_note == KNOWN_CONTACT:
            note = None  # keep saying why a customer's thread was only tagged
        if not self._verdicts.finish_action(verdict.id, note):
            # An agent's "Not spam" came while HubSpot was acting: it restored a thread that was
            # not closed or archived yet, so this action landed after it. Undo it again.
            self._undo_late_action(gateway, verdict)
            return
        self._vault.audit(
            f"inbox.{verdict.action.value}",
            portal_id=verdict.portal_id,
            actor=self._actor,
            detail={
                "verdict": str(verdict.id),
                "inbox": verdict.inbox_id or "",
                "score": f"{verdict.score:.3f}",
                "category": verdict.category or "",
                "mode": verdict.mode,
            },
        )

    def _undo_late_action(self, gateway: InboxGateway, verdict: StoredVerdict) -> None:
        current = self._verdicts.by_message(verdict.portal_id, verdict.message_id)
        if current is None or current.action_state is not ActionState.UNDONE:
            return  # finished by another worker (a resume): nothing was undone
        try:
            restored = self._feedback.restore(gateway, verdict)
        except NotFoundError:
            return
        if restored not in (None, GONE):
            log.info("verdict %s: undone while in flight; the late action was reversed", verdict.id)

    def _already_done(
        self, gateway: InboxGateway, verdict: StoredVerdict
    ) -> tuple[bool, str | None]:
        """After a crash: did HubSpot carry out the intended action before we could record it?

        A close or archive counts as done when the thread shows it now, or when the thread's
        status changed since the verdict (an agent may already have undone it: acting again
        would overrule them)."""
        if verdict.action is Action.COMMENT:
            found = self._find_comment(gateway, verdict)
            return found is not None, found
        thread = gateway.get_thread(verdict.thread_id, archived=True)
        if verdict.action is Action.ARCHIVE and thread.archived:
            return True, None
        if verdict.action is Action.CLOSE and (thread.status == "CLOSED" or thread.archived):
            return True, None
        return self._status_changed_since(gateway, verdict), None

    def _status_changed_since(self, gateway: InboxGateway, verdict: StoredVerdict) -> bool:
        for message in gateway.messages(verdict.thread_id):
            if (message.created_at or 0.0) < verdict.decided_at - REORDER_TOLERANCE_SECONDS:
                break  # newest first: the rest is older than the verdict
            if message.type == "THREAD_STATUS_CHANGE":
                return True
        return False

    def _find_comment(self, gateway: InboxGateway, verdict: StoredVerdict) -> str | None:
        marker = comment_marker(verdict.id)
        for message in gateway.messages(verdict.thread_id):
            if message.type == "COMMENT" and marker in (message.text or ""):
                return message.id
        return None

    # -- feedback from HubSpot ----------------------------------------------------------------

    def _reopened_by_a_reply(self, event: InboxEvent) -> bool:
        """Whether the sender wrote in the thread at the moment it was reopened: HubSpot reopens
        a closed conversation when its sender writes again, and that is no agent's verdict."""
        moment = event.occurred_at / 1000.0
        try:
            for message in self._gateways(event.portal_id).messages(event.object_id or ""):
                created = message.created_at or 0.0
                if created < moment - REPLY_REOPEN_SECONDS:
                    break  # newest first: the rest came earlier
                if (
                    created <= moment + REPLY_REOPEN_SECONDS
                    and message.type == "MESSAGE"
                    and message.direction == "INCOMING"
                ):
                    return True
        except NotFoundError:
            return False
        return False

    def _property_change(self, event: InboxEvent) -> Result:
        name, value = event.property_name or "", (event.property_value or "").upper()
        if not event.object_id:
            return Result(Outcome.SKIPPED, "event names no thread")
        if name == "status" and value == "OPEN":
            wanted = Action.CLOSE
        elif name == "isArchived" and value == "FALSE":
            wanted = Action.ARCHIVE
        else:
            return Result(Outcome.SKIPPED, f"{name}={value} is not feedback")
        undone = [
            v
            for v in self._verdicts.for_thread(event.portal_id, event.object_id)
            if v.action is wanted
            # INTENDED too: a worker that died after HubSpot acted has not recorded it yet.
            and v.action_state in (ActionState.DONE, ActionState.INTENDED)
            and v.feedback is None
            # An out-of-order delivery of an older reopen is not a reaction to hubguard's action.
            and event.occurred_at / 1000.0
            >= (v.acted_at or v.decided_at) - REORDER_TOLERANCE_SECONDS
        ]
        if not undone:
            return Result(Outcome.SKIPPED, "not a thread hubguard acted on")
        if wanted is Action.CLOSE and self._reopened_by_a_reply(event):
            # Not an agent's verdict: trusting the sender now would let the spammer's
            # follow-up (scored on its own newMessage event) straight through.
            return Result(Outcome.SKIPPED, "reopened by the sender's reply, not by an agent")
        for verdict in undone:
            self._feedback.not_spam(
                event.portal_id, verdict_id=verdict.id, actor="hubspot-agent", restore=False
            )
        return Result(Outcome.DONE, "agent feedback: not spam", undone[-1].id)
