"""The embedded worker thread, HubSpot timeouts, and the never-act rules (allow list, contacts)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import httpx
import sqlalchemy as sa
from inbox_harness import Harness, build
from test_pipeline_e2e import calls, send_spam, setup, verdict_of

from hubguard.clock import FakeClock, SystemClock
from hubguard.inbox.gateway import ChannelAccountView, MessageView, ThreadView
from hubguard.inbox.report import shadow_report
from hubguard.inbox.tables import events
from hubguard.inbox.verdicts import Action, ActionState
from hubguard.inbox.worker import RetryPolicy


class Flaky(httpx.BaseTransport):
    """Times out the first ``n`` message reads, like a HubSpot that stopped answering."""

    def __init__(self, inner: httpx.BaseTransport, n: int) -> None:
        self.inner, self.left = inner, n

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if "/messages/" in request.url.path and request.method == "GET" and self.left > 0:
            self.left -= 1
            raise httpx.ReadTimeout("no answer", request=request)
        return self.inner.handle_request(request)


def test_hubspot_timeouts_are_retried_until_the_message_is_processed(
    sqlite_url: str, clock: FakeClock
) -> None:
    flaky: list[Flaky] = []

    def wrap(inner: httpx.BaseTransport) -> httpx.BaseTransport:
        flaky.append(Flaky(inner, n=8))
        return flaky[0]

    hub = build(
        sqlite_url, clock=clock, retry=RetryPolicy(base_seconds=1, max_attempts=10), wrap=wrap
    )
    try:
        portal = setup(hub, "archive")
        spam = send_spam(hub, portal)
        hub.run()
        for _ in range(12):
            clock.advance(60)
            hub.worker.drain()
        assert flaky[0].left == 0
        with hub.engine.connect() as conn:
            attempts = conn.execute(
                sa.select(events.c.attempts).where(events.c.message_id == spam.message_id)
            ).scalar()
        assert attempts is not None
        assert attempts >= 2  # the worker itself retried after the client's retries ran out
        assert verdict_of(hub, portal, spam).action_state is ActionState.DONE
        assert len(calls(hub, "DELETE")) == 1
    finally:
        hub.close()


def test_embedded_worker_processes_dispatched_events_in_its_thread(
    sqlite_url: str,
) -> None:
    hub = build(sqlite_url, clock=FakeClock(SystemClock().now()))
    try:
        portal = setup(hub, "archive")
        done = threading.Event()
        original = hub.worker.handle

        def handle(event: Any) -> Any:
            status = original(event)
            if event.message_id:
                done.set()
            return status

        hub.worker.handle = handle  # type: ignore[method-assign]
        hub.pipeline.embedded._poll = 30.0  # only a dispatch can wake it in time
        hub.pipeline.start(backfill=False)
        try:
            spam = send_spam(hub, portal)
            hub.deliver()
            hub.pipeline.embedded.dispatch([1])
            assert done.wait(10), "the worker thread never processed the event"
        finally:
            hub.pipeline.stop()
        assert not hub.pipeline.embedded.running
        assert verdict_of(hub, portal, spam).action is Action.ARCHIVE
    finally:
        hub.close()


class StubGateway:
    """A portal whose one thread belongs to a known customer (CRM scope granted)."""

    checks_contacts = True

    def __init__(self) -> None:
        self.actions: list[str] = []
        self.comments: list[str] = []

    def get_message(self, thread_id: str, message_id: str) -> MessageView:
        return MessageView(
            message_id,
            thread_id,
            "MESSAGE",
            "INCOMING",
            "WIN $5,000,000 now! Send your bank password to claim http://bit.ly/x",
            None,
            "URGENT prize",
            "buyer@customer.example",
            "Buyer",
            "E-buyer@customer.example",
            "1002",
            "acc-1",
            1.0,
        )

    def get_thread(self, thread_id: str, *, archived: bool = False) -> ThreadView:
        return ThreadView(thread_id, "inbox-1", "OPEN", False, "contact-9")

    def list_channel_accounts(self) -> list[ChannelAccountView]:
        return [ChannelAccountView("acc-1", "1002", "inbox-1")]

    def list_inbox_ids(self) -> list[str]:
        return ["inbox-1"]

    def threads_since(self, inbox_id: str, after_ms: int) -> Iterator[ThreadView]:
        return iter(())

    def messages(self, thread_id: str) -> Iterator[MessageView]:
        return iter(())

    def post_comment(self, thread_id: str, text: str, rich_text: str | None = None) -> str:
        self.actions.append("comment")
        self.comments.append(text)
        return "c1"

    def close_thread(self, thread_id: str) -> None:
        self.actions.append("close")

    def reopen_thread(self, thread_id: str) -> None:
        self.actions.append("reopen")

    def archive_thread(self, thread_id: str) -> None:
        self.actions.append("archive")

    def restore_thread(self, thread_id: str) -> None:
        self.actions.append("restore")

    def is_known_customer(self, *, email: str | None, actor_id: str | None) -> bool | None:
        return email == "buyer@customer.example"


def test_known_customers_are_only_tagged_and_allow_listed_senders_left_alone(
    hub: Harness,
) -> None:
    portal = hub.install()
    stub = StubGateway()
    hub.policies.set(portal.portal_id, "inbox-1", "archive")
    result = hub.processor.decide(portal.portal_id, stub, stub.get_message("t1", "m1"))
    v = hub.verdicts.get(portal.portal_id, result.verdict_id or 0)
    assert v is not None
    # Archive is the inbox's mode, but a customer's thread only gets the agents' note.
    assert (v.is_spam, v.action, v.action_state, v.action_note) == (
        True,
        Action.COMMENT,
        ActionState.DONE,
        "known_contact",
    )
    assert stub.actions == ["comment"]
    assert "known customer" in stub.comments[0]
    [report] = [r for r in shadow_report(hub.engine, hub.policies, portal.portal_id)]
    assert (report.flagged, report.would_act, report.acted) == (1, 0, 1)

    stub.checks_contacts = False
    hub.classifier.allow(portal.portal_id, "customer.example")
    msg = stub.get_message("t2", "m2")
    result = hub.processor.decide(portal.portal_id, stub, msg)
    v = hub.verdicts.get(portal.portal_id, result.verdict_id or 0)
    assert v is not None
    assert v.action is Action.NONE
    assert stub.actions == ["comment"]  # nothing more: the allow-listed sender is left alone


def test_embedded_worker_start_recovers_events_a_dead_process_left_processing(
    sqlite_url: str,
) -> None:
    hub = build(sqlite_url, clock=FakeClock(SystemClock().now()))
    try:
        portal = setup(hub, "archive")
        spam = send_spam(hub, portal)
        hub.deliver()
        assert hub.events.claim(100)  # the previous process claimed them, then died
        done = threading.Event()
        original = hub.worker.handle

        def handle(event: Any) -> Any:
            status = original(event)
            if event.message_id == spam.message_id:
                done.set()
            return status

        hub.worker.handle = handle  # type: ignore[method-assign]
        hub.pipeline.start(backfill=False)
        try:
            assert done.wait(10), "the claimed event was never recovered"
        finally:
            hub.pipeline.stop()
        assert verdict_of(hub, portal, spam).action_state is ActionState.DONE
    finally:
        hub.close()


def test_four_worker_threads_act_once_on_each_message(sqlite_url: str) -> None:
    """The embedded worker's threads claim events side by side; every message still gets one
    verdict and one action, as with one thread."""
    import time

    from inbox_harness import build
    from test_pipeline_e2e import send_ham, send_spam, verdict_of

    hub = build(sqlite_url, threads=4)
    try:
        portal = hub.install()
        hub.policies.set(portal.portal_id, portal.inboxes[0].id, "comment")
        sent = [
            send_spam(hub, portal, sender=f"w{i}@lotto-winner.biz")
            if i % 2
            else send_ham(hub, portal, sender=f"maria{i}@acme.example")
            for i in range(24)
        ]
        hub.pipeline.embedded.start()
        assert len([t for t in hub.pipeline.embedded._threads if t.is_alive()]) == 4
        hub.deliver()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            counts = hub.events.counts()
            if counts.get("pending", 0) + counts.get("processing", 0) == 0:
                break
            time.sleep(0.05)
        hub.pipeline.embedded.stop()
        assert set(hub.events.counts()) <= {"done", "skipped"}
        verdicts = [verdict_of(hub, portal, s) for s in sent]
        assert [v.is_spam for v in verdicts] == [bool(i % 2) for i in range(24)]
        comments = [
            c
            for c in hub.emulator.calls("/conversations")
            if c.method == "POST" and c.path.endswith("/messages") and c.status < 400
        ]
        assert len(comments) == 12  # one per spam thread: no thread commented twice
    finally:
        hub.close()


def test_a_message_without_its_direction_is_never_judged(hub: Harness) -> None:
    import dataclasses

    portal = hub.install()
    stub = StubGateway()
    hub.policies.set(portal.portal_id, "inbox-1", "archive")
    message = dataclasses.replace(stub.get_message("t1", "m1"), direction=None)
    result = hub.processor.decide(portal.portal_id, stub, message)
    assert result.verdict_id is None
    assert stub.actions == []
