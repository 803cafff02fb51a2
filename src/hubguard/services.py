"""The composition root: every long-lived part, built once from Settings.

``hubguard serve``, ``hubguard worker``, the CLI commands and ``hubguard demo`` all start here,
so a part is constructed in exactly one place. Tests build the same object with a FakeClock and
the emulator's transport, through the same parameters production uses.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx

from hubguard.clock import Clock, SystemClock
from hubguard.config import Secret, Settings
from hubguard.hubspot.client import HubSpotClient
from hubguard.hubspot.ratelimit import RateBudget
from hubguard.hubspot.scopes import scopes_for
from hubguard.inbox.pipeline import InboxPipeline
from hubguard.inbox.worker import Dispatcher
from hubguard.portals import uninstall
from hubguard.spam import SpamFilter
from hubguard.vault.store import SqlTokenVault
from hubguard.web.install_state import InstallStateStore
from hubguard.web.sessions import DashboardSessionStore
from hubguard.web.throttle import FailureCounter, SecretThrottle

if TYPE_CHECKING:
    import redis
    from celery import Celery

    from hubguard.inbox.celery_queue import CeleryDispatcher

__all__ = ["Services", "redis_client"]

BROKER_GRACE_SECONDS = 5.0  # a published event no task took within this is swept from the table

log = logging.getLogger(__name__)


@dataclass
class Services:
    """Long-lived parts of one hubguard process. Close it when done."""

    settings: Settings
    clock: Clock
    vault: SqlTokenVault
    hubspot: HubSpotClient
    install_states: InstallStateStore
    dashboard_sessions: DashboardSessionStore
    # Wrong admin tokens, counted per address for the API and the dashboard together: in Redis
    # when redis_url is set (every web process shares the limits), else in this process.
    admin_throttle: SecretThrottle
    spam: SpamFilter
    pipeline: InboxPipeline
    # Scale-out, when a broker is configured: the Celery app (its worker runs the tasks) and the
    # publisher the receiver hands stored events to. None: the embedded worker does the work.
    celery: Celery | None = None
    publisher: CeleryDispatcher | None = None

    @property
    def dispatcher(self) -> Dispatcher:
        """Where the webhook receiver announces stored events: the broker, or this process's
        embedded worker."""
        return self.publisher if self.publisher is not None else self.pipeline.embedded

    @classmethod
    def build(
        cls,
        settings: Settings,
        *,
        clock: Clock | None = None,
        transport: httpx.BaseTransport | None = None,
        actor: str = "hubguard",
        sole_worker: bool = True,
    ) -> Services:
        """Open the database (migrating it), the vault and the HubSpot client.

        ``sole_worker=False`` when other processes may work on the same events (``hubguard
        worker``, several ``serve``s): unfinished intents then belong to their worker for a
        lease instead of being resumed at once. Refuses to start without a master key
        (ConfigError says how to make one).
        """
        clock = clock or SystemClock()
        scopes_for(settings.features)  # an unknown feature stops start-up, not the first install
        vault = SqlTokenVault.from_settings(settings, clock=clock, actor=actor)
        engine = vault.engine
        hubspot = HubSpotClient(
            settings,
            vault,
            transport=transport,
            clock=clock,
            actor=actor,
            rate_budget=_shared_rate_budget(settings, clock),
        )
        spam = SpamFilter(engine, clock=clock)
        pipeline = InboxPipeline.build(
            engine=engine,
            settings=settings,
            vault=vault,
            client=hubspot,
            classifier=spam,
            clock=clock,
            # Refresh idle grants before they could go stale, with or without traffic; finish
            # scrubbing an erasure that readers held up.
            maintenance=(hubspot.tokens.refresh_idle, vault.finish_erasure),
            sole_worker=sole_worker and settings.broker_url is None,
            # With a broker, tasks take fresh events; the table sweep takes what they missed.
            overdue_seconds=0.0 if settings.broker_url is None else BROKER_GRACE_SECONDS,
            # With a broker the Celery worker's threads take the tasks, and the sweep gets as
            # many threads, claiming a couple of events each: while the broker loses messages
            # the sweep carries all the work, which one thread claiming 50 at a time did
            # serially (30 messages: 26.8 s against 3.4 s through the broker).
            threads=settings.worker_threads,
        )
        celery = publisher = None
        if settings.broker_url is not None:
            from hubguard.inbox.celery_queue import CeleryDispatcher, celery_app

            celery = celery_app(settings.broker_url, pipeline.worker)
            publisher = CeleryDispatcher(celery)  # its thread starts on the first publish
        return cls(
            settings=settings,
            clock=clock,
            vault=vault,
            hubspot=hubspot,
            install_states=InstallStateStore(engine, clock=clock),
            dashboard_sessions=DashboardSessionStore(engine, clock=clock),
            admin_throttle=SecretThrottle(_shared_failure_counter(settings), clock=clock),
            spam=spam,
            pipeline=pipeline,
            celery=celery,
            publisher=publisher,
        )

    def uninstall(self, portal_id: int, *, actor: str = "cli") -> bool:
        """Revoke the portal's grant at HubSpot and erase everything kept about it: secrets,
        inbox data and learning (privacy), and dashboard sessions, so those signed in lose
        access at once and a reinstall does not revive them. True if HubSpot agreed."""
        return uninstall(
            self.vault,
            self.hubspot,
            portal_id,
            erasers=[self.pipeline.privacy.erase_portal, self.dashboard_sessions.end_portal],
            actor=actor,
        )

    def close(self) -> None:
        if self.publisher is not None:
            self.publisher.close()
        self.pipeline.stop()
        self.hubspot.close()
        self.vault.engine.dispose()


def _shared_failure_counter(settings: Settings) -> FailureCounter | None:
    """Wrong admin tokens counted in Redis, when ``redis_url`` is set, so every web process
    shares the limits (else each process counts its own)."""
    if settings.redis_url is None:
        return None
    from hubguard.web.throttle_redis import RedisFailureCounter

    return RedisFailureCounter(redis_client(settings.redis_url))


def _shared_rate_budget(settings: Settings, clock: Clock) -> RateBudget | None:
    """The Redis budget every process shares, when ``redis_url`` is set (else per process)."""
    if settings.redis_url is None:
        return None
    from hubguard.hubspot.ratelimit_redis import RedisRateBudget

    return RedisRateBudget(redis_client(settings.redis_url), clock)


REDIS_TIMEOUT_SECONDS = 0.5


def redis_client(url: Secret) -> redis.Redis:
    """A Redis client that gives up fast: the rate budget and the throttle fall back to this
    process's memory when Redis fails, and redis-py's defaults (no socket timeout, ten retries
    with backoff) would first wait seconds per call on a Redis that accepts connections and
    never answers (measured: 6.3 s with a 0.2 s timeout and the default retries)."""
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return redis.Redis.from_url(
        url.reveal(),
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        retry=Retry(NoBackoff(), 0),
    )
