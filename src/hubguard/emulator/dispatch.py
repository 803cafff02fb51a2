"""Routing one request: error faults, route match, authentication, rate limit, scope, handler.

Handlers raise :class:`~hubguard.emulator.wire.HubSpotReply` to answer early; that is the only
exception caught here, so a bug in a handler surfaces instead of hiding behind a 500.
"""

from __future__ import annotations

from typing import Any

import httpx

from hubguard.emulator.authn import Authenticator
from hubguard.emulator.faults import FaultBook
from hubguard.emulator.options import EmulatorOptions
from hubguard.emulator.ratelimit import (
    OAUTH_LIMIT,
    TIER_LIMITS,
    Budget,
    RateLimiter,
    tier_limits,
)
from hubguard.emulator.routing import Call, Principal, Route
from hubguard.emulator.state import World
from hubguard.emulator.wire import HubSpotReply, error_body, error_response

__all__ = ["Dispatcher"]


class Dispatcher:
    """Turns a :class:`Call` into a response. Runs under the emulator's lock."""

    def __init__(
        self,
        world: World,
        options: EmulatorOptions,
        routes: list[Route],
        auth: Authenticator,
        faults: FaultBook,
    ) -> None:
        self._world = world
        self.options = options
        self._routes = routes
        self._auth = auth
        self._faults = faults
        self._limits = RateLimiter(options.retry_after_header)

    def dispatch(self, call: Call) -> httpx.Response:
        fault = self._faults.take_error(call.method, call.path)
        if fault is not None:
            return self._fault_response(call, fault.status, fault.body)
        matches = [(r, m) for r in self._routes if (m := r.pattern.match(call.path))]
        if not matches:
            body = error_body(f"no route for {call.path}", "OBJECT_NOT_FOUND", call.correlation_id)
            return error_response(404, body, call.correlation_id)
        found = next(((r, m) for r, m in matches if r.method == call.method), None)
        if found is None:
            body = error_body(
                f"{call.method} is not allowed on {call.path}",
                "VALIDATION_ERROR",
                call.correlation_id,
            )
            return error_response(405, body, call.correlation_id)
        route, match = found
        call.params = match.groupdict()
        limit_headers: dict[str, str] = {}
        try:
            if route.auth == "bearer":
                principal = self._auth.bearer(call)
                call.principal = principal
                limit_headers = self._limits.check(call, principal, self._budget(principal))
                if route.scope:
                    self._auth.require_scope(call, principal, route.scope, route.alt_scopes)
            elif route.auth == "hapikey":
                self._auth.developer_app(call)
            response = route.handler(call)
        except HubSpotReply as early:
            response = early.response
        for name, value in limit_headers.items():
            response.headers.setdefault(name, value)
        return response

    def _budget(self, principal: Principal) -> Budget:
        if principal.kind == "oauth":
            return Budget(OAUTH_LIMIT, None)
        portal = self._world.portals[principal.portal_id]
        table = self.options.tier_limits or TIER_LIMITS
        burst, daily = tier_limits(portal.tier, portal.api_limit_increase, table)
        return Budget(burst, daily)

    def _fault_response(
        self, call: Call, status: int, body: dict[str, Any] | None
    ) -> httpx.Response:
        cid = call.correlation_id
        if body is not None:
            return error_response(status, body, cid)
        if status == 429:
            payload: dict[str, Any] = {
                "status": "error",
                "message": "You have reached your ten_secondly_rolling limit.",
                "errorType": "RATE_LIMIT",
                "correlationId": cid,
                "policyName": "TEN_SECONDLY_ROLLING",
            }
            headers = {"Retry-After": "1"} if self.options.retry_after_header else {}
            return error_response(429, payload, cid, headers)
        categories = {401: "INVALID_AUTHENTICATION", 403: "MISSING_SCOPES", 404: "OBJECT_NOT_FOUND"}
        category = categories.get(status, "INTERNAL_ERROR" if status >= 500 else "VALIDATION_ERROR")
        return error_response(status, error_body(f"injected fault {status}", category, cid), cid)
