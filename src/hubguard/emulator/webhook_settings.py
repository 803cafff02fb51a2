"""HubSpot's webhook settings API for an app (reference §3.3, ``?hapikey=``).

Served under ``/webhooks/v3/{appId}`` and the date-versioned ``/webhooks/2026-03/{appId}``.
Settings hold the one target URL per app; subscriptions created here start paused
(``active: false``), as HubSpot's do.
"""

from __future__ import annotations

from typing import Any

import httpx

from hubguard.emulator.authn import Authenticator
from hubguard.emulator.routing import Call, Route
from hubguard.emulator.state import App, Subscription, World
from hubguard.emulator.wire import (
    batch_response,
    iso,
    json_response,
    not_found,
    validation_error,
)

__all__ = ["WebhookSettingsAPI"]

# reference §3.3: the date-versioned copy takes the same parameters and bodies
PREFIXES = ("/webhooks/v3/{appId}", "/webhooks/2026-03/{appId}")
MAX_BATCH = 100  # reference §5: batch endpoints take 100 records per request


class WebhookSettingsAPI:
    def __init__(self, world: World, auth: Authenticator) -> None:
        self._world = world
        self._auth = auth

    def routes(self) -> list[Route]:
        table = [
            ("GET", "/settings", self.get_settings),
            ("PUT", "/settings", self.put_settings),
            ("DELETE", "/settings", self.delete_settings),
            ("GET", "/subscriptions", self.list_subscriptions),
            ("POST", "/subscriptions", self.create_subscription),
            ("POST", "/subscriptions/batch/update", self.batch_update),
            ("GET", "/subscriptions/{subscriptionId}", self.get_subscription),
            ("PATCH", "/subscriptions/{subscriptionId}", self.patch_subscription),
            ("DELETE", "/subscriptions/{subscriptionId}", self.delete_subscription),
        ]
        return [
            Route.make(m, prefix + p, h, auth="hapikey") for prefix in PREFIXES for m, p, h in table
        ]

    def _app(self, call: Call) -> App:
        return self._world.apps[int(call.params["appId"])]

    @staticmethod
    def _settings_json(app: App) -> dict[str, Any]:
        # createdAt is required by both official SDKs' SettingsResponse models.
        created = app.webhook_settings_created_at or 0.0
        return {
            "targetUrl": app.webhook_url,
            "throttling": {"maxConcurrentRequests": app.max_concurrent_requests},
            "createdAt": iso(created),
            "updatedAt": iso(app.webhook_settings_updated_at or created),
        }

    def get_settings(self, call: Call) -> httpx.Response:
        app = self._app(call)
        if not app.webhook_url:
            raise not_found("no webhook settings for this app", call.correlation_id)
        return json_response(200, self._settings_json(app))

    def put_settings(self, call: Call) -> httpx.Response:
        app = self._app(call)
        body = call.json_object()
        url = body.get("targetUrl")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise validation_error(
                "targetUrl must be an http(s) URL", call.correlation_id, field="targetUrl"
            )
        throttling = body.get("throttling") or {}
        concurrency = (
            throttling.get("maxConcurrentRequests", 10) if isinstance(throttling, dict) else 10
        )
        if not isinstance(concurrency, int) or concurrency <= 5:
            raise validation_error(
                "maxConcurrentRequests must be a number greater than 5",
                call.correlation_id,
                field="throttling.maxConcurrentRequests",
            )
        app.webhook_url, app.max_concurrent_requests = url, concurrency
        if app.webhook_settings_created_at is None:
            app.webhook_settings_created_at = call.now
        app.webhook_settings_updated_at = call.now
        return json_response(200, self._settings_json(app))

    def delete_settings(self, call: Call) -> httpx.Response:
        app = self._app(call)
        app.webhook_url = None
        app.webhook_settings_created_at = app.webhook_settings_updated_at = None
        return httpx.Response(204)

    @staticmethod
    def _sub_json(sub: Subscription) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": sub.id,
            "eventType": sub.event_type,
            "active": sub.active,
            "createdAt": iso(sub.created_at),
        }
        if sub.property_name:
            body["propertyName"] = sub.property_name
        return body

    def list_subscriptions(self, call: Call) -> httpx.Response:
        subs = self._app(call).subscriptions
        return json_response(200, {"results": [self._sub_json(s) for s in subs]})

    def create_subscription(self, call: Call) -> httpx.Response:
        app = self._app(call)
        body = call.json_object()
        event_type = body.get("eventType")
        if not isinstance(event_type, str) or "." not in event_type:
            raise validation_error("eventType is required", call.correlation_id, field="eventType")
        if len(app.subscriptions) >= 1000:
            raise validation_error(
                "Couldn't create another subscription. You've reached the maximum number allowed "
                "per application (1000).",
                call.correlation_id,
            )
        sub = Subscription(
            id=self._world.next_id("subscription", 5001),
            event_type=event_type,
            property_name=body.get("propertyName"),
            active=bool(body.get("active", False)),
            created_at=call.now,
        )
        app.subscriptions.append(sub)
        return json_response(201, self._sub_json(sub))

    def _subscription(self, call: Call) -> Subscription:
        wanted = call.params["subscriptionId"]
        for sub in self._app(call).subscriptions:
            if str(sub.id) == wanted:
                return sub
        raise not_found(f"subscription {wanted} not found", call.correlation_id)

    def get_subscription(self, call: Call) -> httpx.Response:
        return json_response(200, self._sub_json(self._subscription(call)))

    def patch_subscription(self, call: Call) -> httpx.Response:
        sub = self._subscription(call)
        active = call.json_object().get("active")
        if not isinstance(active, bool):
            raise validation_error("active must be a boolean", call.correlation_id, field="active")
        sub.active = active
        return json_response(200, self._sub_json(sub))

    def delete_subscription(self, call: Call) -> httpx.Response:
        sub = self._subscription(call)
        self._app(call).subscriptions.remove(sub)
        return httpx.Response(204)

    def batch_update(self, call: Call) -> httpx.Response:
        """``{"inputs": [{"id", "active"}]}``: 200 when every id is found. Otherwise the found ones
        are still updated and the answer is 207 with ``numErrors`` and ``errors``: the batch shape
        of reference §4.1/§4.3 (actors batch read) with §5's ``StandardError``, which is what
        hubspot-api-client's ``update_batch`` reads for a 207. §3.3 says nothing more."""
        cid = call.correlation_id
        inputs = call.json_object().get("inputs")
        if not isinstance(inputs, list) or not all(
            isinstance(i, dict)
            and isinstance(i.get("id"), int)
            and not isinstance(i.get("id"), bool)
            and isinstance(i.get("active"), bool)
            for i in inputs
        ):
            raise validation_error(
                "inputs must be a list of {id: integer, active: boolean}", cid, field="inputs"
            )
        if len(inputs) > MAX_BATCH:
            raise validation_error(f"a batch takes at most {MAX_BATCH} inputs", cid, field="inputs")
        by_id = {sub.id: sub for sub in self._app(call).subscriptions}
        results: list[dict[str, Any]] = []
        missing: list[str] = []
        for item in inputs:
            sub = by_id.get(item["id"])
            if sub is None:
                missing.append(str(item["id"]))
                continue
            sub.active = item["active"]
            results.append(self._sub_json(sub))
        return batch_response(results, missing, call.now, "subscriptions", cid)
