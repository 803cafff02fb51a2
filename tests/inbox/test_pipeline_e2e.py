"""End to end: emulator -> signed webhook -> receiver -> events -> worker -> verdict -> action."""

from __future__ import annotations

from inbox_harness import Harness

from hubguard.inbox.events import EventStatus
from hubguard.inbox.verdicts import Action, ActionState

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


def test_spam_in_archive_inbox_is_archived_once_and_ham_is_left_alone(hub: Harness) -> None:
    portal = hub.install()
    inbox = portal.inboxes[0].id
    hub.policies.set(portal.portal_id, inbox, "archive")
    spam = hub.inbound(portal, SPAM, subject=SPAM_SUBJECT, sender="winner@lotto-winner.biz")
    ham = hub.inbound(portal, HAM, subject="Wrong VAT on invoice", sender="maria@acme.example")
    hub.run()

    s = hub.verdicts.by_message(portal.portal_id, spam.message_id)
    h = hub.verdicts.by_message(portal.portal_id, ham.message_id)
    assert s is not None and h is not None
    assert s.is_spam and s.action is Action.ARCHIVE and s.action_state is ActionState.DONE
    assert s.reasons and s.inbox_id == inbox
    assert not h.is_spam and h.action is Action.NONE
    deletes = [c for c in hub.emulator.calls("/conversations") if c.method == "DELETE"]
    assert [c.path.rsplit("/", 1)[-1] for c in deletes] == [spam.thread_id]
    assert hub.events.counts().get(EventStatus.FAILED.value) is None
