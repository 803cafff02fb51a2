"""Scale-out dispatch: stored webhook events handed to worker processes through Celery.

The events table stays the source of truth. The receiver stores a batch, then publishes its
event ids (JSON, never pickle) to the broker; any ``hubguard worker`` process takes the task and
runs :meth:`Worker.process_ids`, which claims each event atomically, so a task delivered twice
does nothing the second time. A publish that fails, or a message the broker loses, leaves the
events ``pending``: every worker process also runs the pipeline's polling loop, which picks
them up within a second (the sweeper). Tasks are acknowledged after they ran (``acks_late``),
so a worker killed mid-task has its message redelivered, and the redelivered task takes that
worker's claims back once they are a minute old.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from celery import Celery

from hubguard.clock import Clock, SystemClock
from hubguard.config import Secret
from hubguard.inbox.worker import Worker

__all__ = ["DEFAULT_QUEUE", "CeleryDispatcher", "celery_app"]

log = logging.getLogger(__name__)

DEFAULT_QUEUE = "hubguard.events"
TASK_NAME = "hubguard.process_events"
EVENTS_PER_TASK = 4
REDELIVERED_STALE_SECONDS = 60.0  # a claim this old on a redelivered task's event is a dead one


def celery_app(broker_url: Secret, worker: Worker, *, queue: str = DEFAULT_QUEUE) -> Celery:
    """The Celery app with hubguard's one task, which ``worker`` (the pipeline's) runs."""
    app = Celery("hubguard", broker=broker_url.reveal(), set_as_current=False)
    app.conf.update(
        task_serializer="json",
        accept_content=["json"],  # a message with any other content type is refused
        task_ignore_result=True,
        task_default_queue=queue,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,  # a busy worker does not hoard messages
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,  # hubguard's secret-safe logging stays in charge
    )

    @app.task(name=TASK_NAME, shared=False, bind=True)  # type: ignore[untyped-decorator]
    def process_events(task: Any, event_ids: list[int]) -> int:
        ids = [int(i) for i in event_ids]
        if not (task.request.delivery_info or {}).get("redelivered"):
            return worker.process_ids(ids)
        # Redelivered: the worker that had it died mid-task, holding its events. Take back
        # those it claimed a while ago; one it claimed moments ago may still be alive (a lost
        # broker connection), so try again once that claim is stale too. The verdict row and
        # the intent lease keep an action from running twice either way.
        handled = worker.process_ids(ids, stale_after=REDELIVERED_STALE_SECONDS)
        if worker.still_claimed(ids):
            raise task.retry(countdown=REDELIVERED_STALE_SECONDS, max_retries=5)
        return handled

    return app


class CeleryDispatcher:
    """Publishes stored event ids to the broker (the receiver's side).

    :meth:`dispatch` only hands the ids to a publishing thread and returns: the receiver calls it
    before answering HubSpot, and a broker that is slow or down must hold up neither that answer
    (HubSpot's delivery timeout is a few seconds) nor the receiver's event loop."""

    def __init__(
        self,
        app: Celery,
        *,
        publish_timeout: float = 2.0,
        pause_seconds: float = 30.0,
        max_waiting: int = 1_000,
        clock: Clock | None = None,
    ) -> None:
        self._task: Any = app.tasks[TASK_NAME]
        self._timeout = publish_timeout
        self._pause = pause_seconds
        self._max_waiting = max_waiting
        self._clock = clock or SystemClock()
        self._publisher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hubguard-publish")
        self._lock = threading.Lock()
        self._waiting = 0  # publishes submitted and not yet done
        self._paused_until = 0.0  # monotonic; after a failed publish the sweep takes over

    def dispatch(self, event_ids: Sequence[int]) -> None:
        # Small tasks, so one webhook batch (up to 100 events) spreads over every worker thread.
        ids = list(event_ids)
        for start in range(0, len(ids), EVENTS_PER_TASK):
            with self._lock:
                # While the broker fails, or a backlog waits on a broker that hangs, publishing
                # more only grows memory and delays shutdown: the events are stored and the
                # workers' sweep takes them.
                if self._clock.monotonic() < self._paused_until or (
                    self._waiting >= self._max_waiting
                ):
                    return
                self._waiting += 1
            self._publisher.submit(self._publish, ids[start : start + EVENTS_PER_TASK])

    def close(self) -> None:
        """Finish the publish in hand (it gives up after its timeout), drop the rest (stored,
        so the sweep takes them), then stop."""
        self._publisher.shutdown(wait=True, cancel_futures=True)

    def _publish(self, event_ids: list[int]) -> None:
        try:
            if self._clock.monotonic() < self._paused_until:
                return  # queued before the broker failed: the sweep takes these too
            self._task.apply_async(
                args=[event_ids],
                retry=True,
                retry_policy={"max_retries": 1, "interval_start": 0.2, "interval_step": 0.5},
                timeout=self._timeout,
            )
        except Exception as exc:  # the broker is down: the events wait for the sweep
            with self._lock:
                first = self._clock.monotonic() >= self._paused_until
                self._paused_until = self._clock.monotonic() + self._pause
            if first:
                log.warning(
                    "broker unreachable (%s): publishing paused for %.0f s; stored events stay "
                    "pending for the workers' sweep",
                    type(exc).__name__,
                    self._pause,
                )
        finally:
            with self._lock:
                self._waiting -= 1
