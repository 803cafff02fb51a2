"""The durable event log: HubSpot's webhook events (and the poller's findings) as a work queue.

Receipt is one ``INSERT .. ON CONFLICT DO NOTHING`` on HubSpot's composite key, so a redelivery is
a no-op. Workers *claim* rows (``pending`` -> ``processing`` with a claim token, in one UPDATE whose
WHERE re-checks the status, so two workers never own one row) and finish them as ``done``,
``skipped``, ``failed`` (dead letter), back to ``pending`` with a later ``next_attempt_at``
(retry), or ``parked`` (the portal needs re-authorisation; nothing is lost, it resumes on
re-install). A row left ``processing`` by a crashed worker is handed back by :meth:`sweep`.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hubguard.clock import Clock, SystemClock
from hubguard.errors import InboxStorageError
from hubguard.inbox.sql import insert_ignore, transaction
from hubguard.inbox.tables import events

__all__ = ["EventStatus", "EventStore", "InboxEvent", "NewEvent"]

_KEY = ("portal_id", "subscription_id", "event_id", "occurred_at")


class EventStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    DONE = "done"
    SKIPPED = "skipped"
    FAILED = "failed"  # dead letter: retries ran out or the event can never succeed
    PARKED = "parked"  # the portal needs re-consent; resumes on re-install


@dataclass(frozen=True)
class NewEvent:
    """One event as received (webhook) or synthesised (poller), before it is stored."""

    portal_id: int
    subscription_id: int
    event_id: int
    occurred_at: int  # epoch ms
    subscription_type: str
    object_id: str | None = None
    message_id: str | None = None
    message_type: str | None = None
    property_name: str | None = None
    property_value: str | None = None
    source: str = "webhook"


@dataclass(frozen=True)
class InboxEvent:
    """A stored event, as a worker sees it."""

    id: int
    portal_id: int
    subscription_type: str
    occurred_at: int
    object_id: str | None
    message_id: str | None
    message_type: str | None
    property_name: str | None
    property_value: str | None
    source: str
    status: EventStatus
    attempts: int
    received_at: float
    last_error: str | None = None


@dataclass
class _Pending:
    """One caller's batch waiting for a group commit."""

    rows: list[dict[str, Any]]
    ids: list[int] = field(default_factory=list)
    error: InboxStorageError | None = None
    finished: bool = False


def _event(row: Any) -> InboxEvent:
    return InboxEvent(
        id=row.id,
        portal_id=row.portal_id,
        subscription_type=row.subscription_type,
        occurred_at=row.occurred_at,
        object_id=row.object_id,
        message_id=row.message_id,
        message_type=row.message_type,
        property_name=row.property_name,
        property_value=row.property_value,
        source=row.source,
        status=EventStatus(row.status),
        attempts=row.attempts,
        received_at=row.received_at,
        last_error=row.last_error,
    )


class EventStore:
    """The events table as a queue. Thread-safe (every call is its own short transaction)."""

    def __init__(self, engine: Engine, *, clock: Clock | None = None) -> None:
        self._engine = engine
        self._clock = clock or SystemClock()
        self._group = threading.Condition()
        self._queue: list[_Pending] = []
        self._writing = False

    def add(self, new: Sequence[NewEvent]) -> list[int]:
        """Store a batch durably; returns the ids of the events that were new.

        Concurrent callers share commits (group commit): whoever finds no write in progress
        writes every batch queued so far in ONE transaction and ONE insert, so a disk flush is
        paid per group, not per webhook request. Each caller returns only once its own batch is
        committed (or raises what the commit raised).
        """
        return self.add_many([new])[0]

    def add_many(self, batches: Sequence[Sequence[NewEvent]]) -> list[list[int]]:
        """:meth:`add` for several batches at once (one commit); the new ids of each batch."""
        entries = [_Pending(self._rows(new)) for new in batches]
        with self._group:
            self._queue.extend(entries)
            while not all(e.finished for e in entries):
                if self._writing:
                    self._group.wait()
                    continue
                group, self._queue = self._queue, []
                self._writing = True
                self._group.release()
                try:
                    self._write(group)
                finally:
                    self._group.acquire()
                    self._writing = False
                    self._group.notify_all()
        for entry in entries:
            if entry.error is not None:
                raise entry.error
        return [entry.ids for entry in entries]

    def _write(self, batch: list[_Pending]) -> None:
        # One INSERT for the whole group; the rows really inserted come back with their key, so
        # each caller learns which of ITS events were new (keys are unique within a caller's
        # batch; when two callers send the same event, the first in the group owns it).
        owner: dict[tuple[Any, ...], _Pending] = {}
        rows = []
        for entry in batch:
            for row in entry.rows:
                key = tuple(row[k] for k in _KEY)
                if key not in owner:
                    owner[key] = entry
                    rows.append(row)
        try:
            with transaction(self._engine) as conn:
                inserted = insert_ignore(
                    conn, events, rows, _KEY, returning=[events.c.id, *(events.c[k] for k in _KEY)]
                )
        except Exception as exc:  # every waiter must wake up, whatever went wrong
            error = (
                exc
                if isinstance(exc, InboxStorageError)
                else InboxStorageError(f"inbox storage failed: {type(exc).__name__}")
            )
            for e in batch:
                e.error, e.finished = error, True
            return
        for row in inserted:
            owner[tuple(row[1:])].ids.append(int(row[0]))
        for entry in batch:
            entry.ids.sort()
            entry.finished = True

    def _rows(self, new: Sequence[NewEvent]) -> list[dict[str, Any]]:
        now = self._clock.now()
        rows: list[dict[str, Any]] = []
        seen: set[tuple[int, int, int, int]] = set()
        for e in new:
            key = (e.portal_id, e.subscription_id, e.event_id, e.occurred_at)
            if key in seen:  # a duplicate inside one batch would abort a multi-row insert
                continue
            seen.add(key)
            rows.append(
                {
                    "portal_id": e.portal_id,
                    "subscription_id": e.subscription_id,
                    "event_id": e.event_id,
                    "occurred_at": e.occurred_at,
                    "subscription_type": e.subscription_type[:64],
                    "object_id": e.object_id,
                    "message_id": e.message_id,
                    "message_type": e.message_type,
                    "property_name": e.property_name,
                    "property_value": (e.property_value or "")[:255] or None,
                    "source": e.source,
                    "status": EventStatus.PENDING.value,
                    "attempts": 0,
                    "next_attempt_at": now,
                    "received_at": now,
                }
            )
        return rows

    def claim(
        self,
        limit: int = 50,
        *,
        event_ids: Sequence[int] | None = None,
        overdue_seconds: float = 0.0,
    ) -> list[InboxEvent]:
        """Take up to ``limit`` due pending events (or exactly ``event_ids``) for processing;
        with ``overdue_seconds``, only events due at least that long (what a broker's task
        should have taken already)."""
        now = self._clock.now()
        token = secrets.token_hex(8)
        is_due = events.c.next_attempt_at <= now - overdue_seconds
        if event_ids is not None:
            # A task names events the web process stored a moment ago, stamped with *its*
            # clock: a worker on a machine a few milliseconds behind would find none of them due
            # and leave all the work to the sweep. A first attempt is always due; a retry waits
            # for its backoff.
            is_due = sa.or_(events.c.attempts == 0, is_due)
        due = sa.select(events.c.id).where(events.c.status == EventStatus.PENDING.value, is_due)
        if event_ids is not None:
            due = due.where(events.c.id.in_(list(event_ids)))
        due = due.order_by(events.c.next_attempt_at, events.c.id).limit(limit)
        with transaction(self._engine, write=True) as conn:
            ids = list(conn.execute(due).scalars())
            if not ids:
                return []
            # The status re-check makes the claim exclusive even if two workers picked the same ids.
            conn.execute(
                events.update()
                .where(events.c.id.in_(ids), events.c.status == EventStatus.PENDING.value)
                .values(
                    status=EventStatus.PROCESSING.value,
                    claim_token=token,
                    claimed_at=now,
                    attempts=events.c.attempts + 1,
                )
            )
            rows = conn.execute(
                sa.select(events)
                .where(events.c.claim_token == token)
                .order_by(events.c.occurred_at, events.c.id)
            ).all()
        return [_event(r) for r in rows]

    def _finish(self, event_id: int, status: EventStatus, error: str | None = None) -> None:
        values: dict[str, Any] = {"status": status.value, "claim_token": None}
        if status in (EventStatus.DONE, EventStatus.SKIPPED, EventStatus.FAILED):
            values["finished_at"] = self._clock.now()
        if error is not None:
            values["last_error"] = error[:300]
        with transaction(self._engine) as conn:
            conn.execute(events.update().where(events.c.id == event_id).values(**values))

    def done(self, event_id: int) -> None:
        self._finish(event_id, EventStatus.DONE)

    def skipped(self, event_id: int, reason: str) -> None:
        self._finish(event_id, EventStatus.SKIPPED, reason)

    def failed(self, event_id: int, error: str) -> None:
        """Dead-letter the event: it is kept, with its error, for an operator to retry."""
        self._finish(event_id, EventStatus.FAILED, error)

    def park(self, event_id: int, error: str) -> None:
        """The portal needs re-authorisation: keep the event until :meth:`unpark`."""
        self._finish(event_id, EventStatus.PARKED, error)

    def retry(self, event_id: int, *, delay: float, error: str) -> None:
        """Hand the event back to the queue, due after ``delay`` seconds."""
        with transaction(self._engine) as conn:
            conn.execute(
                events.update()
                .where(events.c.id == event_id)
                .values(
                    status=EventStatus.PENDING.value,
                    claim_token=None,
                    next_attempt_at=self._clock.now() + max(0.0, delay),
                    last_error=error[:300],
                )
            )

    def unpark(self, portal_id: int) -> int:
        """Re-queue a portal's parked events (after re-install); returns how many."""
        return self._requeue(
            sa.and_(events.c.portal_id == portal_id, events.c.status == EventStatus.PARKED.value)
        )

    def parked_portals(self) -> list[int]:
        """Portals that have parked events (waiting for a re-install or a new service key)."""
        query = (
            sa.select(events.c.portal_id)
            .where(events.c.status == EventStatus.PARKED.value)
            .distinct()
            .order_by(events.c.portal_id)
        )
        with transaction(self._engine) as conn:
            return [int(p) for p in conn.execute(query).scalars()]

    def requeue_failed(self, portal_id: int | None = None) -> int:
        """Give dead-lettered events another go (an operator's decision)."""
        cond = events.c.status == EventStatus.FAILED.value
        if portal_id is not None:
            cond = sa.and_(cond, events.c.portal_id == portal_id)
        return self._requeue(cond, reset_attempts=True)

    def sweep(self, lease_seconds: float, *, event_ids: Sequence[int] | None = None) -> int:
        """Re-queue events claimed longer than ``lease_seconds`` ago (their worker died); only
        ``event_ids``, if given."""
        cutoff = self._clock.now() - lease_seconds
        cond = sa.and_(
            events.c.status == EventStatus.PROCESSING.value, events.c.claimed_at <= cutoff
        )
        if event_ids is not None:
            cond = sa.and_(cond, events.c.id.in_(list(event_ids)))
        return self._requeue(cond)

    def still_claimed(self, event_ids: Sequence[int]) -> bool:
        """Whether any of these events is claimed by a worker now (processing)."""
        with transaction(self._engine) as conn:
            found = conn.execute(
                sa.select(events.c.id).where(
                    events.c.id.in_(list(event_ids)),
                    events.c.status == EventStatus.PROCESSING.value,
                )
            ).first()
        return found is not None

    def _requeue(self, cond: Any, *, reset_attempts: bool = False) -> int:
        values: dict[str, Any] = {
            "status": EventStatus.PENDING.value,
            "claim_token": None,
            "next_attempt_at": self._clock.now(),
        }
        if reset_attempts:
            values["attempts"] = 0
        with transaction(self._engine) as conn:
            return int(conn.execute(events.update().where(cond).values(**values)).rowcount)

    def get(self, event_id: int) -> InboxEvent | None:
        with transaction(self._engine) as conn:
            row = conn.execute(sa.select(events).where(events.c.id == event_id)).first()
        return _event(row) if row is not None else None

    def agent_undo_waiting(self, portal_id: int, thread_id: str, since_ms: int) -> bool:
        """Whether a reopen or unarchive of the thread since ``since_ms`` is stored and not yet
        handled: an agent may have undone an action a crashed worker had already carried out."""
        reopened = sa.and_(
            events.c.property_name == "status", sa.func.upper(events.c.property_value) == "OPEN"
        )
        unarchived = sa.and_(
            events.c.property_name == "isArchived",
            sa.func.lower(events.c.property_value) == "false",
        )
        query = sa.select(events.c.id).where(
            events.c.portal_id == portal_id,
            events.c.object_id == thread_id,
            events.c.subscription_type == "conversation.propertyChange",
            events.c.status.in_([EventStatus.PENDING.value, EventStatus.PROCESSING.value]),
            events.c.occurred_at >= since_ms,
            sa.or_(reopened, unarchived),
        )
        with transaction(self._engine) as conn:
            return conn.execute(query.limit(1)).first() is not None

    def counts(self, portal_id: int | None = None) -> dict[str, int]:
        """Events per status (for health checks, the demo and tests)."""
        query = sa.select(events.c.status, sa.func.count()).group_by(events.c.status)
        if portal_id is not None:
            query = query.where(events.c.portal_id == portal_id)
        with transaction(self._engine) as conn:
            return {str(s): int(n) for s, n in conn.execute(query).all()}

    def oldest_pending(self) -> float | None:
        """When the oldest event still waiting was received (None when nothing waits)."""
        return self._min_pending(events.c.received_at)

    def next_due(self) -> float | None:
        """When the earliest pending event becomes due (None when the queue is empty)."""
        return self._min_pending(events.c.next_attempt_at)

    def _min_pending(self, column: sa.Column[float]) -> float | None:
        query = sa.select(sa.func.min(column)).where(events.c.status == EventStatus.PENDING.value)
        with transaction(self._engine) as conn:
            value = conn.execute(query).scalar()
        return float(value) if value is not None else None

    def prune(self, older_than: float) -> int:
        """Delete finished events (done/skipped) finished before ``older_than`` (epoch s)."""
        with transaction(self._engine) as conn:
            result = conn.execute(
                events.delete().where(
                    events.c.status.in_([EventStatus.DONE.value, EventStatus.SKIPPED.value]),
                    events.c.finished_at < older_than,
                )
            )
        return int(result.rowcount)
