"""End to end: emulator -> signed webhook -> receiver -> events -> worker -> verdict -> action."""

from __future__ import annotations

import inbox_crash
import pytest
from inbox_harness import Harness

from hubguard.emulator import InboundResult, PortalInfo
from hubguard.inbox.events import EventStatus
from hubguard.inbox.verdicts import Action, ActionState, StoredVerdict

SPAM = (
    "Dear friend, you have WON $5,000,000 in our international lottery! Claim your prize now: "
    "send your bank account details and password to claims@lotto-winner.biz within 24 hours. "
    "Click http://bit.ly/claim-now to verify your account immediately. Act now, limited time!"
)
SPAM_SUBJECT = "URGENT: Claim your $5,000,000 prize now!!!"
HAM = (
    "Hi team, I ordered the Pro plan last week (order 48213) and the invoice shows the wrong "
    "VAT number. Could you send a corrected invoice? Thanks, Maria"
)
HAM_SUBJECT = "Wrong VAT on invoice"


def send_spam(
    hub: Harness, portal: PortalInfo, sender: str = "winner@lotto-winner.biz"
) -> InboundResult:
    return hub.inbound(portal, SPAM, subject=SPAM_SUBJECT, sender=sender)


def send_ham(hub: Harness, portal: PortalInfo, sender: str = "maria@acme.example") -> InboundResult:
    return hub.inbound(portal, HAM, subject=HAM_SUBJECT, sender=sender)


def verdict_of(hub: Harness, portal: PortalInfo, sent: InboundResult) -> StoredVerdict:
    found = hub.verdicts.by_message(portal.portal_id, sent.message_id)
    assert found is not None, "message was never decided"
    return found


def calls(hub: Harness, method: str, suffix: str = "") -> list[str]:
    return [
        c.path
        for c in hub.emulator.calls("/conversations")
        if c.method == method and c.path.endswith(suffix) and c.status < 400
    ]


def setup(hub: Harness, mode: str) -> PortalInfo:
    portal = hub.install()
    if mode != "default":
        hub.policies.set(portal.portal_id, portal.inboxes[0].id, mode)
    return portal


def test_archive_mode_archives_spam_once_and_leaves_ham_alone(hub: Harness) -> None:
    portal = setup(hub, "archive")
    spam, ham = send_spam(hub, portal), send_ham(hub, portal)
    hub.run()

    s, h = verdict_of(hub, portal, spam), verdict_of(hub, portal, ham)
    assert (s.is_spam, s.action, s.action_state) == (True, Action.ARCHIVE, ActionState.DONE)
    assert s.reasons
    assert s.inbox_id == portal.inboxes[0].id
    assert (h.is_spam, h.action) == (False, Action.NONE)
    assert calls(hub, "DELETE") == [f"/conversations/v3/conversations/threads/{spam.thread_id}"]
    assert hub.events.counts().get(EventStatus.FAILED.value) is None
    audit = [e for e in hub.vault.audit_log(portal.portal_id) if e.operation == "inbox.archive"]
    assert len(audit) == 1
    assert audit[0].detail["verdict"] == str(s.id)


def test_comment_mode_posts_one_comment_with_score_and_reasons(hub: Harness) -> None:
    portal = setup(hub, "comment")
    spam = send_spam(hub, portal)
    hub.run()
    v = verdict_of(hub, portal, spam)
    assert (v.action, v.action_state) == (Action.COMMENT, ActionState.DONE)
    posts = calls(hub, "POST", "/messages")
    assert len(posts) == 1
    comment = [
        m
        for m in hub.client.for_portal(portal.portal_id).paginate(
            f"/conversations/v3/conversations/threads/{spam.thread_id}/messages"
        )
        if m.get("type") == "COMMENT"
    ]
    assert len(comment) == 1
    assert f"score {v.score:.2f}" in comment[0]["text"]
    assert v.reasons[0] in comment[0]["text"]
    # The way out, where the agent reads it: this verdict on the dashboard.
    assert f"https://hg.example.com/dashboard#verdict-{v.id}" in comment[0]["text"]
    # The comment's own newMessage webhook is skipped without another HubSpot call.
    before = hub.api_calls()
    hub.run()
    assert hub.api_calls() == before


def test_close_mode_closes_and_reopen_in_hubspot_is_not_spam_feedback(hub: Harness) -> None:
    portal = setup(hub, "close")
    spam = send_spam(hub, portal)
    hub.run()
    v = verdict_of(hub, portal, spam)
    assert (v.action, v.action_state) == (Action.CLOSE, ActionState.DONE)
    thread = hub.client.for_portal(portal.portal_id).request(
        "GET", f"/conversations/v3/conversations/threads/{spam.thread_id}"
    )
    assert thread["status"] == "CLOSED"

    hub.clock.advance(60)
    hub.emulator.agent_action(portal.portal_id, spam.thread_id, "reopen")
    hub.run()
    v = verdict_of(hub, portal, spam)
    assert (v.feedback, v.feedback_by, v.action_state) == (
        "not_spam",
        "hubspot-agent",
        ActionState.UNDONE,
    )
    allowed, _ = hub.classifier.lists(portal.portal_id)
    assert "winner@lotto-winner.biz" in allowed
    # Trusted now: the same sender's next message is never acted on.
    hub.clock.advance(60)
    again = send_spam(hub, portal)
    hub.run()
    nxt = verdict_of(hub, portal, again)
    assert nxt.action is Action.NONE
    assert len(calls(hub, "PATCH")) == 1  # the one close; hubguard never reopened anything


def test_a_blocked_address_in_an_allowed_domain_is_acted_on(hub: Harness) -> None:
    portal = setup(hub, "archive")
    hub.classifier.allow(portal.portal_id, "lotto-winner.biz")
    hub.classifier.block(portal.portal_id, "winner@lotto-winner.biz")
    spam = send_spam(hub, portal)
    colleague = send_spam(hub, portal, sender="office@lotto-winner.biz")
    hub.run()
    blocked, allowed = verdict_of(hub, portal, spam), verdict_of(hub, portal, colleague)
    # The address is more specific than its domain, for the verdict and the action alike.
    assert (blocked.is_spam, blocked.action) == (True, Action.ARCHIVE)
    assert any("block list" in r for r in blocked.reasons)
    assert (allowed.is_spam, allowed.action) == (False, Action.NONE)


def test_restore_in_hubspot_of_an_archived_thread_is_not_spam_feedback(hub: Harness) -> None:
    portal = setup(hub, "archive")
    spam = send_spam(hub, portal)
    hub.run()
    hub.clock.advance(30)
    hub.emulator.agent_action(portal.portal_id, spam.thread_id, "restore")
    hub.run()
    v = verdict_of(hub, portal, spam)
    assert (v.feedback, v.action_state) == ("not_spam", ActionState.UNDONE)
    assert len(calls(hub, "PATCH")) == 0  # the agent restored it; hubguard only learned


def test_shadow_is_the_default_and_only_records(hub: Harness) -> None:
    portal = setup(hub, "default")
    spam = send_spam(hub, portal)
    hub.run()
    v = verdict_of(hub, portal, spam)
    assert (v.is_spam, v.mode, v.action, v.action_note) == (True, "shadow", Action.NONE, "shadow")
    assert calls(hub, "DELETE") == calls(hub, "PATCH") == calls(hub, "POST", "/messages") == []


def test_undo_restores_an_archived_thread_trusts_sender_and_learns(hub: Harness) -> None:
    portal = setup(hub, "archive")
    spam = send_spam(hub, portal)
    hub.run()
    v = verdict_of(hub, portal, spam)
    [result] = hub.feedback.not_spam(portal.portal_id, verdict_id=v.id, actor="agent@x.example")
    assert (result.restored, result.trusted_sender, result.learned) == (
        "unarchived",
        "winner@lotto-winner.biz",
        True,
    )
    thread = hub.client.for_portal(portal.portal_id).request(
        "GET", f"/conversations/v3/conversations/threads/{spam.thread_id}"
    )
    assert thread["archived"] is False
    # Saying it twice changes nothing; the restore webhook is not a second feedback either.
    [again] = hub.feedback.not_spam(portal.portal_id, verdict_id=v.id, actor="agent@x.example")
    assert again.already
    hub.run()
    feedback = [e for e in hub.vault.audit_log(portal.portal_id) if e.operation == "inbox.feedback"]
    assert len(feedback) == 1


def test_undo_of_a_chat_message_trusts_that_visitor_next_time(hub: Harness) -> None:
    portal = setup(hub, "archive")
    first = hub.inbound(portal, SPAM, channel="chat", sender="lena@visitor.example")
    hub.run()
    v = verdict_of(hub, portal, first)
    assert (v.channel, v.sender, v.action) == ("CHAT", None, Action.ARCHIVE)
    assert v.sender_actor is not None
    assert v.sender_actor.startswith("V-")
    [result] = hub.feedback.not_spam(portal.portal_id, verdict_id=v.id, actor="agent")
    assert result.trusted_sender == f"actor:{v.sender_actor.lower()}"

    # The same visitor writes again: scored (and explained) as spam, never acted on.
    hub.clock.advance(60)
    hub.client.for_portal(portal.portal_id).request(  # the agent closed the restored chat
        "PATCH",
        f"/conversations/v3/conversations/threads/{first.thread_id}",
        json={"status": "CLOSED"},
    )
    phish = (
        "URGENT: your mailbox storage is full. Verify your account within 24 hours at "
        "http://mail-verify-login.xyz/secure or it will be suspended. Click here immediately."
    )
    again = hub.inbound(portal, phish, channel="chat", sender="lena@visitor.example")
    hub.run()
    later = verdict_of(hub, portal, again)
    assert later.is_spam
    assert later.sender_actor == v.sender_actor
    assert (later.action, later.action_note) == (Action.NONE, "allow_listed")
    # Another visitor with the same words is still archived.
    other = hub.inbound(portal, phish, channel="chat", sender="bot@visitor.example")
    hub.run()
    assert verdict_of(hub, portal, other).action is Action.ARCHIVE


def test_duplicate_and_replayed_events_never_act_twice(hub: Harness) -> None:
    portal = setup(hub, "comment")
    spam = send_spam(hub, portal)
    hub.deliver()
    [event_id] = [
        e for e in range(1, 50) if (ev := hub.events.get(e)) and ev.message_id == spam.message_id
    ]
    stored = hub.events.get(event_id)
    assert stored is not None
    hub.worker.drain()
    # HubSpot delivers the same event again (same composite key): stored once.
    replay = {
        "eventId": 1,
        "subscriptionId": 1,
        "portalId": portal.portal_id,
        "occurredAt": 5,
        "subscriptionType": "conversation.newMessage",
        "objectId": spam.thread_id,
        "messageId": spam.message_id,
        "messageType": "MESSAGE",
    }
    assert hub.post_events([replay, replay]) == 204
    assert hub.post_events([replay]) == 204
    hub.worker.drain()
    # Re-processing the original event (a retry after a crash) is a no-op as well.
    hub.events.requeue_failed()
    assert hub.processor.process(stored).reason == "already decided"
    assert len(calls(hub, "POST", "/messages")) == 1
    assert hub.events.counts()["skipped"] >= 1


def test_revoked_portal_parks_events_until_reinstall(hub: Harness) -> None:
    portal = setup(hub, "archive")
    spam, ham = send_spam(hub, portal), send_ham(hub, portal)
    hub.deliver()  # received while the grant was alive...
    hub.emulator.revoke_grant(portal.portal_id)  # ...revoked before the worker got to them
    hub.clock.advance(3600)  # the cached access token has expired too
    hub.worker.drain()
    assert hub.events.counts(portal.portal_id).get("parked", 0) >= 2
    assert hub.verdicts.by_message(portal.portal_id, spam.message_id) is None
    token_calls = len(hub.emulator.calls("/oauth"))
    hub.events.unpark(portal.portal_id)
    hub.worker.drain()  # still dead: parked again without another token-endpoint call
    assert len(hub.emulator.calls("/oauth")) == token_calls
    assert hub.events.counts(portal.portal_id).get("parked", 0) >= 2

    hub.consent(portal)  # an admin re-installs
    assert hub.events.unpark(portal.portal_id) >= 2
    hub.worker.drain()
    assert verdict_of(hub, portal, spam).action_state is ActionState.DONE
    assert verdict_of(hub, portal, ham).action is Action.NONE


def test_parked_events_resume_when_the_portal_is_active_again_by_any_route(hub: Harness) -> None:
    from hubguard.inbox.pipeline import resume_reactivated

    portal, other = setup(hub, "archive"), setup(hub, "archive")
    spam = send_spam(hub, portal)
    send_spam(hub, other)
    hub.deliver()
    hub.emulator.revoke_grant(portal.portal_id)
    hub.emulator.revoke_grant(other.portal_id)
    hub.clock.advance(3600)
    hub.worker.drain()
    assert hub.events.parked_portals() == sorted([portal.portal_id, other.portal_id])
    assert resume_reactivated(hub.events, hub.vault.list) == 0  # nobody re-installed yet

    hub.consent(portal)  # re-installed where this process never hears of it (another process)
    assert resume_reactivated(hub.events, hub.vault.list) >= 1  # the maintenance tick notices
    hub.worker.drain()
    assert verdict_of(hub, portal, spam).action_state is ActionState.DONE
    assert hub.events.parked_portals() == [other.portal_id]  # still dead: stays parked


def test_hubspot_5xx_is_retried_with_backoff_then_succeeds(hub: Harness) -> None:
    portal = setup(hub, "archive")
    spam = send_spam(hub, portal)
    hub.emulator.add_fault(
        "error",
        path_prefix="/conversations/v3/conversations/threads",
        method="GET",
        status=503,
        count=12,
    )
    hub.run()
    assert hub.verdicts.by_message(portal.portal_id, spam.message_id) is None
    assert hub.events.counts().get("pending", 0) >= 1  # waiting for its retry, not lost
    for _ in range(10):
        hub.clock.advance(120)
        hub.worker.drain()
    assert verdict_of(hub, portal, spam).action_state is ActionState.DONE
    assert len(calls(hub, "DELETE")) == 1


def test_dead_letter_after_max_attempts(hub: Harness) -> None:
    portal = setup(hub, "archive")
    send_spam(hub, portal)
    hub.emulator.add_fault(
        "error",
        path_prefix="/conversations/v3/conversations/threads",
        method="GET",
        status=500,
        count=None,
    )
    hub.run()
    for _ in range(20):
        hub.clock.advance(1000)
        hub.worker.drain()
    failed = hub.events.counts().get("failed", 0)
    assert failed >= 1
    hub.emulator.clear_faults()
    assert hub.events.requeue_failed() == failed
    hub.worker.drain()
    assert hub.events.counts().get("failed") is None


@pytest.mark.parametrize("mode", ["comment", "close", "archive"])
def test_crash_between_intent_and_record_resumes_without_acting_twice(
    hub: Harness, mode: str
) -> None:
    """The worst crash: HubSpot did the action, the worker died before recording it."""
    portal = setup(hub, mode)
    spam = send_spam(hub, portal)
    hub.deliver()
    with pytest.raises(inbox_crash.Crash):
        inbox_crash.run_once_crashing(hub)
    v = verdict_of(hub, portal, spam)
    assert v.action_state is ActionState.INTENDED
    assert hub.events.counts().get("processing") == 1

    restarted = inbox_crash.restart(hub)
    assert restarted >= 1
    v = verdict_of(hub, portal, spam)
    assert v.action_state is ActionState.DONE
    done = {
        "comment": calls(hub, "POST", "/messages"),
        "close": calls(hub, "PATCH"),
        "archive": calls(hub, "DELETE"),
    }[mode]
    assert len(done) == 1


def test_scale_out_worker_waits_out_a_fresh_intent_before_resuming(hub: Harness) -> None:
    """With several workers, a young intent may be another worker's action in flight."""
    portal = setup(hub, "comment")
    spam = send_spam(hub, portal)
    hub.deliver()
    with pytest.raises(inbox_crash.Crash):
        inbox_crash.run_once_crashing(hub)
    inbox_crash.restart(hub, lease=120)
    assert verdict_of(hub, portal, spam).action_state is ActionState.INTENDED
    assert hub.events.counts().get("pending") == 1  # retried later, not lost
    hub.clock.advance(180)
    inbox_crash.restart(hub, lease=120)
    assert verdict_of(hub, portal, spam).action_state is ActionState.DONE
    assert len(calls(hub, "POST", "/messages")) == 1


def test_crash_after_receipt_before_processing_loses_nothing(hub: Harness) -> None:
    portal = setup(hub, "archive")
    spam = send_spam(hub, portal)
    hub.deliver()
    claimed = hub.events.claim(100)  # a worker took them... and died
    assert claimed
    inbox_crash.restart(hub)
    assert verdict_of(hub, portal, spam).action_state is ActionState.DONE
    assert len(calls(hub, "DELETE")) == 1


def test_out_of_order_reopen_older_than_the_action_is_not_feedback(hub: Harness) -> None:
    portal = setup(hub, "close")
    spam = send_spam(hub, portal)
    hub.run()
    v = verdict_of(hub, portal, spam)
    stale = {
        "eventId": 9,
        "subscriptionId": 2,
        "portalId": portal.portal_id,
        "occurredAt": int((hub.clock.now() - 3600) * 1000),
        "subscriptionType": "conversation.propertyChange",
        "objectId": spam.thread_id,
        "propertyName": "status",
        "propertyValue": "OPEN",
    }
    assert hub.post_events([stale]) == 204
    hub.worker.drain()
    assert verdict_of(hub, portal, spam).feedback is None
    assert v.action_state is ActionState.DONE


def test_mark_spam_teaches_a_missed_message(hub: Harness) -> None:
    portal = setup(hub, "archive")
    ham = send_ham(hub, portal, sender="sales@cold-outreach.example")
    hub.run()
    v = verdict_of(hub, portal, ham)
    result = hub.feedback.mark_spam(portal.portal_id, v.id, actor="agent")
    assert result.learned
    assert verdict_of(hub, portal, ham).feedback == "spam"
