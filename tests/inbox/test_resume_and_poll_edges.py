"""Crashes, races and ties a review of the pipeline found: each once lost an action, repeated
one an agent had undone, or skipped a message for good."""

from __future__ import annotations

import random
from typing import Any

import inbox_crash
import pytest
import sqlalchemy as sa
from inbox_harness import Harness
from test_pipeline_e2e import SPAM, SPAM_SUBJECT, calls, send_ham, send_spam, setup, verdict_of

from hubguard.errors import NotFoundError
from hubguard.inbox.tables import events
from hubguard.inbox.verdicts import Action, ActionState
from hubguard.inbox.worker import Worker
from hubguard.portals import uninstall


class Killed(BaseException):
    """The process dies here (not an Exception: nothing in hubguard may catch it)."""


def thread_json(hub: Harness, portal_id: int, thread_id: str) -> dict[str, Any]:
    api = hub.client.for_portal(portal_id)
    found: dict[str, Any] = api.request(
        "GET", f"/conversations/v3/conversations/threads/{thread_id}", params={"archived": True}
    )
    return found


def test_the_poller_resumes_an_action_its_crash_left_intended(
    hub: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    portal = hub.install_service_key()  # no webhooks: the poller is the only way in
    hub.policies.set(portal.portal_id, portal.inboxes[0].id, "archive")
    hub.clock.advance(5)
    spam = send_spam(hub, portal)

    def killed(*args: Any, **kwargs: Any) -> None:
        raise Killed("after the verdict row, before HubSpot")

    monkeypatch.setattr(hub.processor, "_act", killed)
    with pytest.raises(Killed):
        hub.poller.tick()
    monkeypatch.undo()
    assert verdict_of(hub, portal, spam).action_state is ActionState.INTENDED

    hub.clock.advance(120)
    hub.poller.tick()
    hub.worker.drain()
    assert verdict_of(hub, portal, spam).action_state is ActionState.DONE
    assert thread_json(hub, portal.portal_id, spam.thread_id)["archived"] is True


def test_a_poll_cut_short_between_threads_of_one_millisecond_loses_neither(
    hub: Harness,
) -> None:
    portal = hub.install_service_key()
    hub.policies.set(portal.portal_id, portal.inboxes[0].id, "archive")
    hub.clock.advance(5)
    first = send_spam(hub, portal, sender="a@lotto-winner.biz")  # the same FakeClock instant:
    second = send_spam(hub, portal, sender="b@lotto-winner.biz")  # equal latest timestamps
    hub.emulator.add_fault(
        "error",
        path_prefix=f"/conversations/v3/conversations/threads/{second.thread_id}/messages",
        method="GET",
        status=429,
        count=50,
    )
    hub.poller.tick()  # decides the first thread, stops at the second
    hub.emulator.clear_faults()
    hub.clock.advance(60)
    hub.poller.tick()
    for sent in (first, second):
        assert verdict_of(hub, portal, sent).action_state is ActionState.DONE


def test_a_poll_killed_between_a_threads_messages_decides_the_older_one_later(
    hub: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    portal = hub.install_service_key()
    hub.clock.advance(5)
    older = send_ham(hub, portal, sender="maria@acme.example")
    hub.clock.advance(10)
    newer = hub.inbound(portal, SPAM, subject=SPAM_SUBJECT, sender="maria@acme.example")
    assert older.thread_id == newer.thread_id
    decide = hub.processor.decide

    def dies_at_the_older(portal_id: int, gateway: Any, message: Any) -> Any:
        if message.id == older.message_id:
            raise Killed("process killed")
        return decide(portal_id, gateway, message)

    monkeypatch.setattr(hub.processor, "decide", dies_at_the_older)
    with pytest.raises(Killed):
        hub.poller.tick()  # newest first: the newer message is decided, then the process dies
    monkeypatch.undo()
    hub.clock.advance(60)
    hub.poller.tick()
    assert verdict_of(hub, portal, older).is_spam is False


@pytest.mark.parametrize(("mode", "undo"), [("close", "reopen"), ("archive", "restore")])
def test_a_resume_never_overrules_an_agents_undo_of_the_crashed_action(
    hub: Harness, mode: str, undo: str
) -> None:
    portal = setup(hub, mode)
    spam = send_spam(hub, portal)
    hub.deliver()
    with pytest.raises(inbox_crash.Crash):  # HubSpot acted; the worker died before recording
        inbox_crash.run_once_crashing(hub)
    hub.clock.advance(90)
    hub.emulator.agent_action(portal.portal_id, spam.thread_id, undo)  # "not spam", in HubSpot
    hub.deliver()
    hub.clock.advance(240)
    inbox_crash.restart(hub)
    hub.clock.advance(600)
    inbox_crash.restart(hub)  # the resume, retried after the agent's reaction was read
    verdict = verdict_of(hub, portal, spam)
    assert (verdict.action_state, verdict.feedback) == (ActionState.UNDONE, "not_spam")
    thread = thread_json(hub, portal.portal_id, spam.thread_id)
    assert (thread["status"], thread["archived"]) == ("OPEN", False)
    acted = calls(hub, "PATCH") if mode == "close" else calls(hub, "DELETE")
    assert len(acted) == 1  # the crashed worker's action, never repeated
    assert "winner@lotto-winner.biz" in hub.classifier.lists(portal.portal_id)[0]


def test_not_spam_clicked_while_the_archive_is_in_flight_leaves_the_thread_restored(
    hub: Harness,
) -> None:
    portal = setup(hub, "archive")
    spam = send_spam(hub, portal)
    hub.deliver()

    class ClickDuringArchive(inbox_crash.Interposed):
        """The agent's click lands between the worker's decision and HubSpot's archive."""

        def archive_thread(self, thread_id: str) -> Any:
            verdict = verdict_of(hub, portal, spam)
            hub.feedback.not_spam(portal.portal_id, verdict_id=verdict.id, actor="agent@shop")
            return self._inner.archive_thread(thread_id)

    processor = inbox_crash.processor(hub, ClickDuringArchive)
    Worker(hub.events, processor, rng=random.Random(1)).drain()
    verdict = verdict_of(hub, portal, spam)
    assert (verdict.action, verdict.action_state) == (Action.ARCHIVE, ActionState.UNDONE)
    assert verdict.feedback == "not_spam"
    assert thread_json(hub, portal.portal_id, spam.thread_id)["archived"] is False


def test_a_privacy_deletion_while_a_message_is_decided_leaves_no_verdict(
    hub_any: Harness,
) -> None:
    hub = hub_any
    portal = setup(hub, "archive")
    spam = send_spam(hub, portal)
    hub.deliver()

    class ErasedWhileFetching(inbox_crash.Interposed):
        """HubSpot's privacy deletion, its webhook and another worker's handling of it all
        happen while this worker fetches the message."""

        def get_message(self, thread_id: str, message_id: str) -> Any:
            message = self._inner.get_message(thread_id, message_id)
            hub.emulator.privacy_delete_thread(portal.portal_id, spam.thread_id)
            hub.deliver()
            hub.worker.drain()
            return message

    processor = inbox_crash.processor(hub, ErasedWhileFetching)
    with hub.engine.connect() as conn:
        new_message = conn.execute(
            sa.select(events.c.id).where(events.c.subscription_type == "conversation.newMessage")
        ).scalar_one()
    claimed = hub.events.claim(1, event_ids=[new_message])
    Worker(hub.events, processor, rng=random.Random(1)).handle(claimed[0])
    assert hub.verdicts.by_message(portal.portal_id, spam.message_id) is None
    assert hub.verdicts.for_thread(portal.portal_id, spam.thread_id) == []
    hub.clock.advance(86_400 + 1)
    hub.privacy.purge_expired_bodies()  # the erased-thread mark is forgotten after a day
    assert not hub.verdicts._erased(portal.portal_id, spam.thread_id)


def test_a_spammers_reply_reopening_the_closed_thread_is_no_agents_not_spam(
    hub: Harness,
) -> None:
    portal = setup(hub, "close")
    spam = send_spam(hub, portal)
    hub.run()
    assert verdict_of(hub, portal, spam).action is Action.CLOSE
    hub.clock.advance(3600)
    follow_up = hub.emulator.reply(portal.portal_id, spam.thread_id, SPAM)  # HubSpot reopens
    hub.run()
    first = verdict_of(hub, portal, spam)
    assert (first.feedback, first.action_state) == (None, ActionState.DONE)
    assert "winner@lotto-winner.biz" not in hub.classifier.lists(portal.portal_id)[0]
    second = hub.verdicts.by_message(portal.portal_id, follow_up.message_id)
    assert second is not None  # the reply is judged on its own, and closed again
    assert (second.is_spam, second.action, second.action_state) == (
        True,
        Action.CLOSE,
        ActionState.DONE,
    )
    # An agent's reopen after that is still their "not spam".
    hub.clock.advance(600)
    hub.emulator.agent_action(portal.portal_id, spam.thread_id, "reopen")
    hub.run()
    assert verdict_of(hub, portal, spam).feedback == "not_spam"
    assert "winner@lotto-winner.biz" in hub.classifier.lists(portal.portal_id)[0]


def test_an_undo_hubspot_answers_404_while_the_thread_stays_archived_is_not_recorded(
    hub: Harness,
) -> None:
    portal = setup(hub, "archive")
    spam = send_spam(hub, portal)
    hub.run()
    verdict = verdict_of(hub, portal, spam)
    hub.emulator.add_fault(
        "error",
        path_prefix=f"/conversations/v3/conversations/threads/{spam.thread_id}",
        method="PATCH",
        status=404,
        count=None,
    )
    with pytest.raises(NotFoundError):
        hub.feedback.not_spam(portal.portal_id, verdict_id=verdict.id, actor="agent@shop")
    kept = verdict_of(hub, portal, spam)
    assert (kept.action_state, kept.feedback) == (ActionState.DONE, None)  # still to review
    hub.emulator.clear_faults()
    [done] = hub.feedback.not_spam(portal.portal_id, verdict_id=verdict.id, actor="agent@shop")
    assert done.restored == "unarchived"
    assert thread_json(hub, portal.portal_id, spam.thread_id)["archived"] is False


def test_a_redelivered_task_takes_back_its_dead_workers_stale_claims(hub: Harness) -> None:
    portal = setup(hub, "archive")
    spam = send_spam(hub, portal)
    hub.deliver()
    with hub.engine.connect() as conn:
        ids = list(conn.execute(sa.select(events.c.id).order_by(events.c.id)).scalars())
    assert hub.events.claim(10, event_ids=ids)  # the worker that got the task, then died
    assert hub.worker.process_ids(ids, stale_after=60) == 0  # claimed moments ago: maybe alive
    assert hub.worker.still_claimed(ids)
    hub.clock.advance(61)
    assert hub.worker.process_ids(ids, stale_after=60) == len(ids)
    assert not hub.worker.still_claimed(ids)
    assert verdict_of(hub, portal, spam).action_state is ActionState.DONE


def test_an_uninstall_while_a_message_is_decided_leaves_no_verdict(hub: Harness) -> None:
    portal = setup(hub, "shadow")
    spam = send_spam(hub, portal)
    hub.deliver()
    classifier = hub.classifier

    class UninstalledWhileScoring:
        """The admin uninstalls hubguard while the worker scores the message."""

        def __getattr__(self, name: str) -> Any:
            return getattr(classifier, name)

        def classify(self, *args: Any, **kwargs: Any) -> Any:
            verdict = classifier.classify(*args, **kwargs)
            uninstall(hub.vault, hub.client, portal.portal_id, erasers=[hub.privacy.erase_portal])
            return verdict

    processor = inbox_crash.processor(hub, classifier=UninstalledWhileScoring())
    with hub.engine.connect() as conn:
        new_message = conn.execute(
            sa.select(events.c.id).where(events.c.subscription_type == "conversation.newMessage")
        ).scalar_one()
    [claimed] = hub.events.claim(1, event_ids=[new_message])
    Worker(hub.events, processor, rng=random.Random(1)).handle(claimed)
    assert hub.verdicts.by_message(portal.portal_id, spam.message_id) is None
