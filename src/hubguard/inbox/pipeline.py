"""The inbox pipeline assembled: every part wired once, for ``serve``, ``worker`` and the demo.

The composition root builds one :class:`InboxPipeline` from the shared pieces (engine, settings,
vault, HubSpot client, spam filter, clock), then mounts the web routers on it::

    pipeline = InboxPipeline.build(engine=..., settings=..., vault=..., client=..., classifier=...)
    app.include_router(webhook_router(pipeline.verifier, pipeline.events, pipeline.embedded))
    app.include_router(api_router(engine=..., verdicts=pipeline.verdicts, ...))
    pipeline.start()   # embedded worker thread; pipeline.stop() on shutdown

A scale-out worker process uses the same object with ``sole_worker=False`` and either
``pipeline.start()`` (a polling worker thread) or, from a Celery task, ``pipeline.worker.process_ids``.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from hubguard.clock import Clock, SystemClock
from hubguard.config import Settings
from hubguard.errors import HubguardError
from hubguard.hubspot.client import HubSpotClient
from hubguard.inbox.events import EventStore
from hubguard.inbox.feedback import Feedback
from hubguard.inbox.gateway import GatewayFactory
from hubguard.inbox.hubspot_gateway import gateway_factory
from hubguard.inbox.lease import MaintenanceLease
from hubguard.inbox.policies import PolicyStore
from hubguard.inbox.poller import Poller
from hubguard.inbox.ports import Classifier
from hubguard.inbox.privacy import Privacy
from hubguard.inbox.processor import Processor
from hubguard.inbox.review import ReviewReminder
from hubguard.inbox.verdicts import VerdictStore
from hubguard.inbox.verifier import WebhookVerifier
from hubguard.inbox.worker import EmbeddedWorker, RetryPolicy, Worker
from hubguard.models import Installation, InstallationStatus
from hubguard.vault.protocol import TokenVault

__all__ = ["InboxPipeline", "resume_reactivated"]


def resume_reactivated(
    events: EventStore, installations: Callable[[], Sequence[Installation]]
) -> int:
    """Unpark the events of every portal that is active again, however that happened.

    The install route's :meth:`InboxPipeline.resume` is only the fast path: a service key
    connected from the CLI, or a re-install served by another process, never reaches this
    process, so a maintenance tick checks instead. Returns how many events were re-queued.
    """
    parked = events.parked_portals()
    if not parked:
        return 0
    active = {i.portal_id for i in installations() if i.status is InstallationStatus.ACTIVE}
    return sum(events.unpark(portal_id) for portal_id in parked if portal_id in active)


log = logging.getLogger(__name__)

DAY = 86_400.0
# Scale-out: an unfinished intent younger than this belongs to the worker that recorded it.
INTENT_LEASE_SECONDS = 120.0


@dataclass
class InboxPipeline:
    """Every part of the inbox pipeline, wired."""

    events: EventStore
    verdicts: VerdictStore
    policies: PolicyStore
    feedback: Feedback
    privacy: Privacy
    processor: Processor
    worker: Worker
    poller: Poller
    embedded: EmbeddedWorker
    verifier: WebhookVerifier | None
    _backfill: threading.Thread | None = field(default=None, init=False, repr=False)

    @classmethod
    def build(
        cls,
        *,
        engine: Engine,
        settings: Settings,
        vault: TokenVault,
        client: HubSpotClient,
        classifier: Classifier,
        clock: Clock | None = None,
        gateways: GatewayFactory | None = None,
        retry: RetryPolicy | None = None,
        rng: random.Random | None = None,
        poll_seconds: float = 1.0,
        maintenance_seconds: float = 60.0,
        sole_worker: bool = True,
        overdue_seconds: float = 0.0,
        threads: int = 1,
        actor: str = "worker",
        maintenance: Sequence[Callable[[], object]] = (),
    ) -> InboxPipeline:
        """Wire the pipeline. ``vault`` is the SqlTokenVault (installations + audit log)."""
        tokens = vault
        clock = clock or SystemClock()
        gateways = gateways or gateway_factory(client)
        events = EventStore(engine, clock=clock)
        verdicts = VerdictStore(engine, clock=clock, retention_days=settings.retention_days)
        policies = PolicyStore(engine, clock=clock)
        feedback = Feedback(verdicts, classifier, gateways, tokens)
        privacy = Privacy(engine, verdicts, classifier, tokens)
        processor = Processor(
            gateways=gateways,
            classifier=classifier,
            verdicts=verdicts,
            policies=policies,
            vault=tokens,
            feedback=feedback,
            privacy=privacy,
            clock=clock,
            actor=actor,
            # Resuming an unfinished intent at once is safe only when nothing else can be
            # acting: one process with one worker thread.
            intent_lease_seconds=0.0 if sole_worker and threads == 1 else INTENT_LEASE_SECONDS,
            dashboard_url=settings.public_url.rstrip("/") + "/dashboard",
            agent_undo_waiting=events.agent_undo_waiting,
        )
        worker = Worker(events, processor, retry=retry, rng=rng)
        poller = Poller(
            engine,
            gateways=gateways,
            processor=processor,
            events=events,
            installations=tokens.list,
            clock=clock,
        )
        embedded = EmbeddedWorker(
            worker,
            events,
            clock=clock,
            poll_seconds=poll_seconds,
            maintenance_seconds=maintenance_seconds,
            # Service-key portals are polled, bodies purged, finished events pruned after 7 days,
            # and archived threads HubSpot will soon delete unreviewed are brought up.
            maintenance=(
                lambda: resume_reactivated(events, tokens.list),
                poller.tick,
                privacy.purge_expired_bodies,
                ReviewReminder(verdicts, tokens.list, clock).tick,
                lambda: events.prune(clock.now() - 7 * DAY),
                *maintenance,
            ),
            sole_worker=sole_worker,
            maintenance_lease=None if sole_worker else MaintenanceLease(engine, clock).acquire,
            overdue_seconds=overdue_seconds,
            threads=threads,
        )
        verifier = None
        if settings.client_secret:
            verifier = WebhookVerifier.from_settings(settings, clock=clock)
        return cls(
            events,
            verdicts,
            policies,
            feedback,
            privacy,
            processor,
            worker,
            poller,
            embedded,
            verifier,
        )

    def start(self, *, backfill: bool = True) -> None:
        """Start the embedded worker, and backfill OAuth portals (webhooks missed while down)
        beside it: with HubSpot slow or down the backfill retries for a while per portal, and
        start-up, with it the webhook endpoint and health probes, must not wait for that."""
        self.embedded.start()
        if backfill:
            self._backfill = threading.Thread(
                target=self._run_backfill, name="hubguard-backfill", daemon=True
            )
            self._backfill.start()

    def _run_backfill(self) -> None:
        try:
            self.poller.backfill()
        except HubguardError as exc:
            log.warning("backfill stopped: %s", exc)
        except Exception:
            log.exception("backfill crashed; webhooks and the worker carry on")

    def resume(self, portal_id: int) -> int:
        """A portal was (re-)installed: its parked events are due again; wake the worker."""
        resumed = self.events.unpark(portal_id)
        self.embedded.dispatch([0])
        return resumed

    def stop(self, timeout: float = 10.0) -> None:
        self.embedded.stop(timeout)
        if self._backfill is not None:
            self._backfill.join(timeout)
            self._backfill = None
