"""``/metrics``: the numbers an operator alerts on, in Prometheus's text format.

Read from the database at each scrape, so every web process reports the same (the events table
and the vault are shared): the queue by status and how long its oldest event has waited (the
signal to add workers), and installations by status (a grant that died needs an admin). Only
aggregates: no portal id, user or secret appears, so the endpoint is as open as ``/healthz``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from fastapi import APIRouter
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.responses import Response

from hubguard.clock import Clock
from hubguard.inbox.events import EventStatus, EventStore
from hubguard.models import AuthType, InstallationStatus
from hubguard.vault.protocol import TokenVault

__all__ = ["metrics_router"]


class _HubguardCollector(Collector):
    def __init__(self, events: EventStore, vault: TokenVault, clock: Clock) -> None:
        self._events = events
        self._vault = vault
        self._clock = clock

    def collect(self) -> Iterator[GaugeMetricFamily]:
        counts = self._events.counts()
        queue = GaugeMetricFamily(
            "hubguard_events", "Stored webhook and poller events by status", labels=["status"]
        )
        for event_status in EventStatus:
            queue.add_metric([event_status.value], counts.get(event_status.value, 0))
        yield queue

        oldest = self._events.oldest_pending()
        lag = GaugeMetricFamily(
            "hubguard_oldest_pending_event_age_seconds",
            "How long the oldest event still waiting has waited (0 when none waits)",
        )
        lag.add_metric([], 0.0 if oldest is None else max(0.0, self._clock.now() - oldest))
        yield lag

        installs = self._vault.list()
        by_kind = Counter((str(i.status), str(i.auth_type)) for i in installs)
        portals = GaugeMetricFamily(
            "hubguard_installations",
            "Installed portals by status and auth type",
            labels=["status", "auth_type"],
        )
        for status in InstallationStatus:
            for auth in AuthType:
                portals.add_metric([status.value, auth.value], by_kind[(status.value, auth.value)])
        yield portals

        failing = GaugeMetricFamily(
            "hubguard_portals_with_refresh_failures",
            "Active portals whose last token refresh attempts failed (transient so far)",
        )
        failing.add_metric(
            [],
            sum(
                1
                for i in installs
                if i.status is InstallationStatus.ACTIVE and i.refresh_failures > 0
            ),
        )
        yield failing


def metrics_router(events: EventStore, vault: TokenVault, clock: Clock) -> APIRouter:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_HubguardCollector(events, vault, clock))
    router = APIRouter()

    @router.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return router
