"""Workers: take stored events, process them, retry what HubSpot could not do yet.

The events table is the queue's source of truth. A :class:`Dispatcher` only says "these ids are
ready": the embedded one wakes a thread in this process; a Celery dispatcher (scale-out) would
send the ids to a task that calls :meth:`Worker.process_ids`. Either way a lost wake-up costs
nothing: workers also poll for due rows, and :meth:`EventStore.sweep` hands back rows whose
worker died mid-event, whose verdict row then resumes (never repeats) the action.

Failure handling per event: HubSpot 429 / 5xx / timeouts and database hiccups are retried with
exponential backoff and full jitter (``Retry-After`` wins when HubSpot gives one) up to
``max_attempts``, then dead-lettered (``failed``, kept with its error). A portal that needs
re-consent (or lacks a scope) parks its events until re-install (:meth:`EventStore.unpark`).
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from hubguard.clock import Clock, SystemClock
from hubguard.errors import (
    ActionInProgressError,
    AuthenticationError,
    HubguardError,
    HubSpotUnavailableError,
    InboxStorageError,
    MissingScopesError,
    NeedsReauthError,
    RateLimitedError,
)
from hubguard.inbox.events import EventStatus, EventStore, InboxEvent
from hubguard.inbox.processor import Outcome, Processor

__all__ = ["Dispatcher", "EmbeddedWorker", "NullDispatcher", "RetryPolicy", "Worker"]

log = logging.getLogger(__name__)

_TRANSIENT = (
    HubSpotUnavailableError,
    RateLimitedError,
    InboxStorageError,
    AuthenticationError,
    ActionInProgressError,
)


class Dispatcher(Protocol):
    """Tells workers that events are ready. Must be cheap and must never lose the event."""

    def dispatch(self, event_ids: Sequence[int]) -> None: ...


class NullDispatcher:
    """For processes that only receive (workers elsewhere poll the table)."""

    def dispatch(self, event_ids: Sequence[int]) -> None:
        return None


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter, bounded; ``Retry-After`` overrides."""

    base_seconds: float = 2.0
    cap_seconds: float = 900.0
    max_attempts: int = 8

    def delay(self, attempts: int, rng: random.Random, retry_after: float | None = None) -> float:
        if retry_after is not None:
            return min(self.cap_seconds, float(retry_after))
        ceiling = min(self.cap_seconds, self.base_seconds * 2.0 ** max(0, attempts - 1))
        return ceiling / 2 + rng.uniform(0, ceiling / 2)


class Worker:
    """Claims and processes events. Stateless apart from its collaborators: run many at once."""

    def __init__(
        self,
        events: EventStore,
        processor: Processor,
        *,
        retry: RetryPolicy | None = None,
        rng: random.Random | None = None,
        batch_size: int = 50,
    ) -> None:
        self._events = events
        self._processor = processor
        self._retry = retry or RetryPolicy()
        self._rng = rng or random.Random()  # jitter, not security
        self._batch_size = batch_size

    def run_once(self, *, limit: int | None = None, overdue_seconds: float = 0.0) -> int:
        """Claim one batch of due events (at most ``limit``) and process it; returns how many
        were handled."""
        claimed = self._events.claim(limit or self._batch_size, overdue_seconds=overdue_seconds)
        for event in claimed:
            self.handle(event)
        return len(claimed)

    def drain(self, max_batches: int = 10_000) -> int:
        """Process until nothing is due now (tests, the demo, a one-shot CLI run)."""
        total = 0
        for _ in range(max_batches):
            handled = self.run_once()
            if handled == 0:
                break
            total += handled
        return total

    def process_ids(self, event_ids: Sequence[int], *, stale_after: float | None = None) -> int:
        """Process exactly these events if they are still pending (the Celery task body). With
        ``stale_after`` (a redelivered task: its first worker died), events that worker claimed
        that long ago are taken back first."""
        if stale_after is not None:
            self._events.sweep(stale_after, event_ids=event_ids)
        claimed = self._events.claim(len(event_ids), event_ids=event_ids)
        for event in claimed:
            self.handle(event)
        return len(claimed)

    def still_claimed(self, event_ids: Sequence[int]) -> bool:
        """Whether a worker holds any of these events now."""
        return self._events.still_claimed(event_ids)

    def handle(self, event: InboxEvent) -> EventStatus:
        """Process one claimed event and record how it ended."""
        try:
            result = self._processor.process(event)
        except (NeedsReauthError, MissingScopesError) as exc:
            self._events.park(event.id, f"{type(exc).__name__}: {exc}")
            return EventStatus.PARKED
        except _TRANSIENT as exc:
            return self._retry_or_fail(event, exc)
        except HubguardError as exc:
            log.warning("event %s failed: %s", event.id, exc)
            self._events.failed(event.id, f"{type(exc).__name__}: {exc}")
            return EventStatus.FAILED
        except Exception as exc:
            # A bug must not kill the worker thread: the event is dead-lettered with its error.
            log.exception("event %s crashed the processor", event.id)
            self._events.failed(event.id, f"unexpected {type(exc).__name__}")
            return EventStatus.FAILED
        if result.outcome is Outcome.SKIPPED:
            self._events.skipped(event.id, result.reason)
            return EventStatus.SKIPPED
        self._events.done(event.id)
        return EventStatus.DONE

    def _retry_or_fail(self, event: InboxEvent, exc: HubguardError) -> EventStatus:
        error = f"{type(exc).__name__}: {exc}"
        if event.attempts >= self._retry.max_attempts:
            log.warning(
                "event %s dead-lettered after %d attempts: %s", event.id, event.attempts, exc
            )
            self._events.failed(event.id, error)
            return EventStatus.FAILED
        retry_after = exc.retry_after if isinstance(exc, RateLimitedError) else None
        delay = self._retry.delay(event.attempts, self._rng, retry_after)
        self._events.retry(event.id, delay=delay, error=error)
        return EventStatus.PENDING


CLAIM_PER_THREAD = 2


class EmbeddedWorker:
    """A worker thread in this process (``hubguard serve``, the demo) and its dispatcher.

    On start it sweeps rows a previous process left ``processing`` (crash recovery), then loops:
    process due events; when idle, wait for :meth:`dispatch` or ``poll_seconds``; every
    ``maintenance_seconds`` run the maintenance jobs (sweep, body retention purge, poller).
    """

    def __init__(
        self,
        worker: Worker,
        events: EventStore,
        *,
        clock: Clock | None = None,
        poll_seconds: float = 1.0,
        lease_seconds: float = 300.0,
        maintenance_seconds: float = 60.0,
        maintenance: Sequence[Callable[[], object]] = (),
        sole_worker: bool = True,
        maintenance_lease: Callable[[], bool] | None = None,
        overdue_seconds: float = 0.0,
        threads: int = 1,
        name: str = "hubguard-worker",
    ) -> None:
        self._worker = worker
        self._events = events
        self._clock = clock or SystemClock()
        self._poll = poll_seconds
        self._lease = lease_seconds
        self._maintenance_every = maintenance_seconds
        self._maintenance = list(maintenance)
        self._sole = sole_worker
        # With other workers on the database: run the jobs only while holding this lease.
        self._maintenance_lease = maintenance_lease
        # Beside a broker, the table is the sweep for what the broker's tasks missed: take only
        # events that have been due this long, and leave fresh ones to the tasks.
        self._overdue = overdue_seconds
        self._name = name
        # Several threads overlap HubSpot's latency; each then claims a couple of events at a
        # time, so one thread does not sit on a whole batch while the others idle.
        self._threads_wanted = max(1, threads)
        self._claim = None if threads <= 1 else CLAIM_PER_THREAD
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._last_maintenance = float("-inf")

    def dispatch(self, event_ids: Sequence[int]) -> None:
        if event_ids:
            self._wake.set()

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        # The only worker on this database: whatever is "processing" was left by a dead process.
        self._events.sweep(0.0 if self._sole else self._lease)
        self._threads = [
            threading.Thread(
                target=self._loop, args=(i == 0,), name=f"{self._name}-{i}", daemon=True
            )
            for i in range(self._threads_wanted)
        ]
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Finish the events in hand, then stop."""
        self._stop.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(timeout)
        self._threads = []

    @property
    def running(self) -> bool:
        return any(thread.is_alive() for thread in self._threads)

    def _loop(self, maintains: bool) -> None:
        while not self._stop.is_set():
            try:
                if maintains:  # one thread runs the periodic jobs
                    self._maybe_maintain()
                handled = self._worker.run_once(limit=self._claim, overdue_seconds=self._overdue)
            except HubguardError as exc:  # e.g. the database is briefly locked or down
                log.warning("worker loop: %s", exc)
                handled = 0
            except Exception:
                # The thread is the only worker of `serve`: it must outlive a bug, loudly.
                log.exception("worker loop failed; carrying on")
                handled = 0
            if handled == 0 and not self._stop.is_set():
                # Idle: a dispatch wakes us at once; the timeout picks up retries coming due.
                self._wake.wait(self._poll)
                self._wake.clear()

    def _maybe_maintain(self) -> None:
        now = self._clock.monotonic()
        if now - self._last_maintenance < self._maintenance_every:
            return
        self._last_maintenance = now
        self._events.sweep(self._lease)
        if self._maintenance_lease is not None and not self._maintenance_lease():
            return  # another worker process runs this round's jobs
        for job in self._maintenance:
            try:
                job()
            except HubguardError as exc:
                log.warning("maintenance job failed: %s", exc)
            except Exception:
                log.exception("maintenance job crashed; the worker carries on")
