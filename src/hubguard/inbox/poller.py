"""The poller: new messages found by listing, for portals webhooks cannot reach.

Service-key portals get no webhooks at all, and an OAuth portal misses deliveries while hubguard
is down for longer than HubSpot retries. Per inbox, the poller lists threads with
``latestMessageTimestampAfter=<cursor>`` sorted by ``latestMessageTimestamp``, lists each
thread's messages newer than the cursor, and hands incoming ones to the same
:meth:`Processor.decide` the webhook path uses (the verdict row dedups by message id, so a message
seen by both paths is decided once). A message whose processing hits a transient HubSpot error is
queued as a synthetic event, so the worker's retries (and crash resume) cover it too; the cursor
only moves past what was decided or durably queued.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hubguard.clock import Clock, SystemClock
from hubguard.errors import (
    ActionInProgressError,
    HubguardError,
    HubSpotError,
    HubSpotUnavailableError,
    RateLimitedError,
)
from hubguard.inbox.events import EventStore, NewEvent
from hubguard.inbox.gateway import GatewayFactory, InboxGateway, MessageView
from hubguard.inbox.processor import Outcome, Processor
from hubguard.inbox.sql import transaction, upsert
from hubguard.inbox.tables import poll_cursors
from hubguard.models import AuthType, Installation, InstallationStatus

__all__ = ["PollReport", "Poller", "poller_event"]

log = logging.getLogger(__name__)

POLLER_SUBSCRIPTION_ID = 0  # HubSpot's subscription ids are positive: no clash in the dedup key


def poller_event(portal_id: int, message: MessageView) -> NewEvent:
    """A synthetic ``conversation.newMessage`` for a polled message (stable key per message)."""
    digest = hashlib.sha256(message.id.encode()).digest()
    return NewEvent(
        portal_id=portal_id,
        subscription_id=POLLER_SUBSCRIPTION_ID,
        event_id=int.from_bytes(digest[:8], "big") >> 1,  # fits a signed BIGINT
        occurred_at=int((message.created_at or 0) * 1000),
        subscription_type="conversation.newMessage",
        object_id=message.thread_id,
        message_id=message.id,
        message_type=message.type,
        source="poller",
    )


@dataclass(frozen=True)
class PollReport:
    """What one poll of one portal found."""

    portal_id: int
    inboxes: int = 0
    threads: int = 0
    messages: int = 0
    decided: int = 0
    queued: int = 0


class Poller:
    """Polls inboxes by latestMessageTimestamp; cursors live in ``inbox_poll_cursors``."""

    def __init__(
        self,
        engine: Engine,
        *,
        gateways: GatewayFactory,
        processor: Processor,
        events: EventStore,
        installations: Callable[[], list[Installation]],
        clock: Clock | None = None,
        first_lookback_seconds: float = 86_400.0,
    ) -> None:
        self._engine = engine
        self._gateways = gateways
        self._processor = processor
        self._events = events
        self._installations = installations
        self._clock = clock or SystemClock()
        self._lookback = first_lookback_seconds

    def tick(self) -> list[PollReport]:
        """Poll every active service-key portal (the embedded worker runs this periodically)."""
        return self._poll_all(AuthType.SERVICE_KEY)

    def backfill(self) -> list[PollReport]:
        """Poll every active OAuth portal once (on start, to catch what arrived while down)."""
        return self._poll_all(AuthType.OAUTH)

    def _poll_all(self, auth_type: AuthType) -> list[PollReport]:
        reports = []
        for inst in self._installations():
            if inst.auth_type is not auth_type or inst.status is not InstallationStatus.ACTIVE:
                continue
            try:
                reports.append(self.poll_portal(inst.portal_id))
            except HubguardError as exc:  # one portal's trouble must not starve the others
                log.warning("poll of portal %s failed: %s", inst.portal_id, exc)
            except Exception:  # nor a bug its data trips: the others are still polled
                log.exception("poll of portal %s crashed", inst.portal_id)
        return reports

    def poll_portal(self, portal_id: int) -> PollReport:
        gateway = self._gateways(portal_id)
        inboxes = gateway.list_inbox_ids()
        threads = messages = decided = queued = 0
        for inbox_id in inboxes:
            cursor = self._cursor(portal_id, inbox_id)
            newest = cursor
            try:
                for thread in gateway.threads_since(inbox_id, cursor):
                    threads += 1
                    thread_newest = cursor
                    for message in gateway.messages(thread.id):
                        created_ms = int((message.created_at or 0) * 1000)
                        if created_ms <= cursor:
                            break  # newest first: the rest is older than the cursor
                        messages += 1
                        thread_newest = max(thread_newest, created_ms)
                        if message.type != "MESSAGE" or message.direction == "OUTGOING":
                            continue
                        outcome = self._handle(portal_id, gateway, message)
                        decided += outcome == "decided"
                        queued += outcome == "queued"
                    # Only a fully listed thread moves the cursor (a failure mid-list re-reads it).
                    newest = max(newest, thread_newest)
            except (HubSpotUnavailableError, RateLimitedError) as exc:
                # Listing failed part-way: keep what was decided, resume from there next tick.
                # One millisecond back: the thread it stopped at may share the newest complete
                # thread's timestamp, and HubSpot's filter is "after" (verdicts dedup re-reads).
                log.warning("poll of portal %s inbox %s stopped: %s", portal_id, inbox_id, exc)
                newest = max(cursor, newest - 1)
            self._save_cursor(portal_id, inbox_id, newest)
        return PollReport(portal_id, len(inboxes), threads, messages, decided, queued)

    def _handle(self, portal_id: int, gateway: InboxGateway, message: MessageView) -> str:
        """ "decided", "skipped" (already decided, not a message) or "queued" (retry later)."""
        try:
            result = self._processor.decide(portal_id, gateway, message)
        except (HubSpotError, ActionInProgressError) as exc:
            log.info("polled message queued for retry: %s", exc)
            self._events.add([poller_event(portal_id, message)])
            return "queued"
        return "decided" if result.outcome is Outcome.DONE else "skipped"

    def _cursor(self, portal_id: int, inbox_id: str) -> int:
        with transaction(self._engine) as conn:
            stored = conn.execute(
                sa.select(poll_cursors.c.cursor_ms).where(
                    poll_cursors.c.portal_id == portal_id, poll_cursors.c.inbox_id == inbox_id
                )
            ).scalar()
        # Never moved forward by the newest verdict: a poll cut short between a thread's
        # messages (newest first) has decided a newer one and not the older ones yet.
        return (
            int(stored) if stored is not None else int((self._clock.now() - self._lookback) * 1000)
        )

    def _save_cursor(self, portal_id: int, inbox_id: str, cursor_ms: int) -> None:
        with transaction(self._engine) as conn:
            upsert(
                conn,
                poll_cursors,
                {
                    "portal_id": portal_id,
                    "inbox_id": inbox_id,
                    "cursor_ms": cursor_ms,
                    "updated_at": self._clock.now(),
                },
                ("portal_id", "inbox_id"),
            )
