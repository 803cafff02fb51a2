"""HubSpot's webhook settings API for an app (``/webhooks/v3/{appId}/...``, ``?hapikey=``).

Settings hold the one target URL per app; subscriptions created here start paused
(``active: false``), as HubSpot's do.
"""

from __future__ import annotations

from typing import Any

import httpx

from hubguard.emulator.authn import Authenticator
from hubguard.emulator.routing import Call, Route
from hubguard.emulator.state import App, Subscription, World
from hubguard.emulator.wire import iso, json_response, not_found, validation_error

__all__ = ["WebhookSettingsAPI"]

BASE = "/webhooks/v3/{appId}"


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
            ("PATCH", "/subscriptions/{subscriptionId}", self.patch_subscription),
            ("DELETE", "/subscriptions/{subscriptionId}", self.delete_subscription),
        ]
        return [Route.make(m, BASE + p, h, auth="hapikey") for m, p, h in table]

    def _app(self, call: Call) -> App:
        return self._world.apps[int(call.params["appId"])]

    @staticmethod
    def _settings_json(app: App) -> dict[str, Any]:
        return {
            "targetUrl": app.webhook_url,
            "throttling": {"maxConcurrentRequests": app.max_concurrent_requests},
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
        return json_response(200, self._settings_json(app))

    def delete_settings(self, call: Call) -> httpx.Response:
        self._app(call).webhook_url = None
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
