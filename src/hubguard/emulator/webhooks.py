"""Webhook delivery as HubSpot does it (reference §3): batched, signed, retried on a schedule.

Events wait in a queue with a due time on the emulator clock. :meth:`WebhookDispatcher.take_due`
groups due events per app and portal into POSTs of at most 100; :meth:`send` signs one batch
(v1 and v3 headers, all four) and POSTs it with a 5 s timeout; :meth:`settle` re-queues the
events of a failed attempt. Any non-2xx, timeout or connection error is a failure; a failed event
is retried up to 10 times with growing, randomised delays (seeded RNG) that add up to under 24 h.
Tests advance the clock instead of sleeping.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from typing import Any

import httpx

from hubguard.emulator.info import DeliveryRecord
from hubguard.emulator.options import EmulatorOptions
from hubguard.emulator.state import App, World
from hubguard.hubspot.signatures import signature_v1, signature_v3

__all__ = ["Batch", "WebhookDispatcher", "retry_delay"]

BATCH_SIZE = 100
# Base delays between attempts (seconds); with +-25 % jitter ten retries span about 11-20 h.
_RETRY_BASE = (60, 120, 300, 600, 1200, 2400, 3600, 7200, 14400, 28800)
USER_AGENT = "HubSpot Connect 2.0 (http://dev.hubspot.com/) - emulated"


def retry_delay(retry_number: int, rng: random.Random) -> float:
    """Seconds before retry ``retry_number`` (1-based), randomised by +-25 %."""
    base = _RETRY_BASE[min(retry_number, len(_RETRY_BASE)) - 1]
    return base * rng.uniform(0.75, 1.25)


@dataclass(slots=True)
class _Pending:
    event: dict[str, Any]
    app_id: int
    portal_id: int
    attempts: int
    due: float


@dataclass(frozen=True)
class Batch:
    """One POST worth of events for one app and portal."""

    app_id: int
    portal_id: int
    url: str
    secret: str
    items: tuple[_Pending, ...]

    def body(self) -> bytes:
        events = [{**p.event, "attemptNumber": p.attempts} for p in self.items]
        return json.dumps(events, separators=(",", ":")).encode()


class WebhookDispatcher:
    """The event queue and the delivery log of every app."""

    def __init__(self, world: World, options: EmulatorOptions, rng: random.Random) -> None:
        self._world = world
        self._options = options
        self._rng = rng
        self._queue: list[_Pending] = []
        self.log: list[DeliveryRecord] = []

    @property
    def pending(self) -> int:
        return len(self._queue)

    def next_due(self) -> float | None:
        return min((p.due for p in self._queue), default=None)

    def _subscribers(self, portal_id: int, event_type: str) -> list[tuple[App, int]]:
        installed = {
            g.app_id
            for g in self._world.grants.values()
            if g.portal_id == portal_id and not g.revoked
        }
        found = []
        for app in self._world.apps.values():
            if app.app_id not in installed or not app.webhook_url:
                continue
            for sub in app.subscriptions:
                if sub.active and sub.event_type == event_type:
                    found.append((app, sub.id))
                    break
        return found

    def emit(
        self, portal_id: int, event_type: str, object_id: str, extra: dict[str, Any], now: float
    ) -> int:
        """Queue an event for every installed app subscribed to it. Returns how many."""
        subscribers = self._subscribers(portal_id, event_type)
        for app, subscription_id in subscribers:
            event: dict[str, Any] = {
                "eventId": self._world.next_id("event", 100_000_001),
                "subscriptionId": subscription_id,
                "portalId": portal_id,
                "appId": app.app_id,
                "occurredAt": int(now * 1000),
                "subscriptionType": event_type,
                "objectId": int(object_id) if object_id.isdigit() else object_id,
                **extra,
            }
            self._queue.append(_Pending(event, app.app_id, portal_id, 0, now))
        return len(subscribers)

    def take_due(self, now: float) -> list[Batch]:
        """Remove due events from the queue, grouped into batches of at most 100."""
        due = sorted((p for p in self._queue if p.due <= now), key=lambda p: p.due)
        self._queue = [p for p in self._queue if p.due > now]
        groups: dict[tuple[int, int], list[_Pending]] = {}
        for item in due:
            groups.setdefault((item.app_id, item.portal_id), []).append(item)
        batches = []
        for (app_id, portal_id), items in groups.items():
            app = self._world.apps[app_id]
            if not app.webhook_url:
                continue
            for start in range(0, len(items), BATCH_SIZE):
                chunk = tuple(items[start : start + BATCH_SIZE])
                batches.append(Batch(app_id, portal_id, app.webhook_url, app.client_secret, chunk))
        return batches

    def send(self, client: httpx.Client, batch: Batch, now: float) -> tuple[str, int | None]:
        """POST one batch; returns (outcome, status). Runs outside the emulator lock."""
        body = batch.body()
        timestamp = int(now * 1000)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-HubSpot-Signature": signature_v1(batch.secret, body),
            "X-HubSpot-Signature-Version": "v1",
            "X-HubSpot-Signature-v3": signature_v3(
                batch.secret, "POST", batch.url, body, timestamp
            ),
            "X-HubSpot-Request-Timestamp": str(timestamp),
        }
        try:
            response = client.post(
                batch.url, content=body, headers=headers, timeout=self._options.delivery_timeout
            )
        except httpx.TimeoutException:
            return "timeout", None
        except httpx.TransportError:
            return "connection_error", None
        if 200 <= response.status_code < 300:
            return "delivered", response.status_code
        return f"http_{response.status_code}", response.status_code

    def settle(self, batch: Batch, outcome: str, status: int | None, now: float) -> None:
        """Log the attempt; re-queue its events on failure while retries remain."""
        self.log.append(
            DeliveryRecord(
                time=now,
                app_id=batch.app_id,
                portal_id=batch.portal_id,
                url=batch.url,
                event_ids=tuple(int(p.event["eventId"]) for p in batch.items),
                attempt_numbers=tuple(p.attempts for p in batch.items),
                outcome=outcome,
                status=status,
            )
        )
        if outcome in ("delivered", "dropped"):
            return
        for item in batch.items:
            item.attempts += 1
            if item.attempts <= self._options.max_delivery_retries:
                item.due = now + retry_delay(item.attempts, self._rng)
                self._queue.append(item)
