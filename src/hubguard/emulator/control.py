"""The ``/_emulator/`` control endpoints: JSON in, JSON out, calling the same Python methods.

Bad input gets ``{"status": "error", "message", "category": "VALIDATION_ERROR", "code"}`` with
400 (or 404 for an unknown portal/thread). The shapes are documented in the README.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx

from hubguard.emulator.routing import Call, Route
from hubguard.emulator.wire import HubSpotReply, error_body, error_response, json_response
from hubguard.errors import EmulatorError

if TYPE_CHECKING:
    from hubguard.emulator.core import Emulator

__all__ = ["ControlAPI"]

P = "/_emulator"


def _refuse(call: Call, exc: EmulatorError) -> HubSpotReply:
    body = error_body(str(exc), "VALIDATION_ERROR", call.correlation_id)
    body["code"] = exc.code
    return HubSpotReply(error_response(exc.status, body, call.correlation_id))


def _field(
    body: dict[str, Any], name: str, kind: type | tuple[type, ...], default: Any = ...
) -> Any:
    if name not in body or body[name] is None:
        if default is ...:
            raise EmulatorError(f"{name} is required", code="MISSING_FIELD")
        return default
    value = body[name]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        raise EmulatorError(f"{name} has the wrong type", code="BAD_FIELD")
    return value


def _str_list(body: dict[str, Any], name: str, default: Any = ...) -> Any:
    value = _field(body, name, list, default)
    if value is not default and not all(isinstance(v, str | dict) for v in value):
        raise EmulatorError(f"{name} must be a list", code="BAD_FIELD")
    return value


class ControlAPI:
    """Routes under ``/_emulator``; each one is a thin JSON wrapper over an Emulator method."""

    def __init__(self, emulator: Emulator) -> None:
        self._emu = emulator

    def routes(self) -> list[Route]:
        table = [
            ("POST", "/apps", self.apps),
            ("POST", "/portals", self.portals),
            ("GET", "/portals/{portalId}", self.get_portal),
            ("POST", "/portals/{portalId}/service-keys", self.service_keys),
            ("POST", "/portals/{portalId}/inbound", self.inbound),
            ("POST", "/portals/{portalId}/contacts", self.contacts),
            ("POST", "/portals/{portalId}/threads/{threadId}/agent-action", self.agent_action),
            ("POST", "/portals/{portalId}/threads/{threadId}/reply", self.reply),
            ("POST", "/portals/{portalId}/revoke", self.revoke),
            ("POST", "/consent", self.consent),
            ("POST", "/faults", self.add_fault),
            ("GET", "/faults", self.list_faults),
            ("DELETE", "/faults", self.clear_faults),
            ("GET", "/clock", self.get_clock),
            ("POST", "/clock", self.advance),
            ("GET", "/calls", self.calls),
            ("GET", "/deliveries", self.deliveries),
            ("POST", "/deliveries/run", self.run_deliveries),
        ]
        return [Route.make(m, P + p, self._guard(h), auth="none") for m, p, h in table]

    @staticmethod
    def _guard(handler: Any) -> Any:
        def guarded(call: Call) -> httpx.Response:
            try:
                response: httpx.Response = handler(call)
            except EmulatorError as exc:
                raise _refuse(call, exc) from None
            return response

        return guarded

    @staticmethod
    def _portal_id(call: Call) -> int:
        raw = call.params["portalId"]
        if not raw.isdigit():
            raise EmulatorError("portalId must be a number", code="UNKNOWN_PORTAL", status=404)
        call.portal_id = int(raw)
        return int(raw)

    def apps(self, call: Call) -> httpx.Response:
        body = call.json_object()
        info = self._emu.create_app(
            name=_field(body, "name", str, "hubguard"),
            redirect_uris=_str_list(
                body, "redirect_uris", ["http://localhost:8000/oauth/callback"]
            ),
            scopes=_str_list(
                body, "scopes", ["oauth", "conversations.read", "conversations.write"]
            ),
            optional_scopes=_str_list(body, "optional_scopes", []),
            webhook_url=_field(body, "webhook_url", str, None),
            subscriptions=_str_list(body, "subscriptions", []),
        )
        call.app_id = info.app_id
        return json_response(201, info.to_json())

    def portals(self, call: Call) -> httpx.Response:
        body = call.json_object()
        info = self._emu.create_portal(
            tier=_field(body, "tier", str, "professional"),
            inboxes=_str_list(body, "inboxes", ["Support"]),
            users=_str_list(body, "users", ["admin@example.com"]),
            scopes=_str_list(body, "scopes", None),
            api_limit_increase=_field(body, "api_limit_increase", bool, False),
            hub_domain=_field(body, "hub_domain", str, None),
        )
        call.portal_id = info.portal_id
        return json_response(201, info.to_json())

    def get_portal(self, call: Call) -> httpx.Response:
        return json_response(200, self._emu.portal(self._portal_id(call)).to_json())

    def service_keys(self, call: Call) -> httpx.Response:
        portal_id = self._portal_id(call)
        scopes = _str_list(call.json_object(), "scopes")
        key = self._emu.create_service_key(portal_id, scopes)
        return json_response(201, {"portal_id": portal_id, "key": key, "scopes": scopes})

    def inbound(self, call: Call) -> httpx.Response:
        portal_id = self._portal_id(call)
        body = call.json_object()
        result = self._emu.inbound(
            portal_id,
            text=_field(body, "text", str),
            sender=_field(body, "from", str),
            channel=_field(body, "channel", str, "email"),
            sender_name=_field(body, "name", str, None),
            subject=_field(body, "subject", str, None),
            html=_field(body, "html", str, None),
            inbox_id=_field(body, "inbox_id", str, None),
        )
        return json_response(201, result.to_json())

    def contacts(self, call: Call) -> httpx.Response:
        portal_id = self._portal_id(call)
        body = call.json_object()
        contact_id = self._emu.upsert_contact(
            portal_id,
            _field(body, "email", str),
            firstname=_field(body, "firstname", str, None),
            lifecyclestage=_field(body, "lifecyclestage", str, None),
            num_associated_deals=_field(body, "num_associated_deals", int, None),
        )
        return json_response(200, {"contact_id": contact_id})

    def agent_action(self, call: Call) -> httpx.Response:
        portal_id = self._portal_id(call)
        body = call.json_object()
        thread = self._emu.agent_action(
            portal_id,
            call.params["threadId"],
            _field(body, "action", str),
            _field(body, "user_id", int, None),
        )
        return json_response(200, thread)

    def reply(self, call: Call) -> httpx.Response:
        portal_id = self._portal_id(call)
        body = call.json_object()
        result = self._emu.reply(portal_id, call.params["threadId"], _field(body, "text", str))
        return json_response(201, result.to_json())

    def revoke(self, call: Call) -> httpx.Response:
        portal_id = self._portal_id(call)
        body = call.json_object() if call.request.content.strip() else {}
        count = self._emu.revoke_grant(portal_id, _field(body, "app_id", int, None))
        return json_response(200, {"revoked": count})

    def consent(self, call: Call) -> httpx.Response:
        body = call.json_object()
        url = self._emu.consent(
            _field(body, "authorize_url", str),
            _field(body, "portal_id", int),
            _field(body, "user_id", int, None),
            _field(body, "approve", bool, True),
        )
        return json_response(200, {"redirect_url": url})

    def add_fault(self, call: Call) -> httpx.Response:
        body = call.json_object()
        fault_id = self._emu.add_fault(
            _field(body, "kind", str),
            path_prefix=_field(body, "path_prefix", str, "/"),
            method=_field(body, "method", str, None),
            status=_field(body, "status", int, 500),
            body=_field(body, "body", dict, None),
            seconds=float(_field(body, "seconds", (int, float), 0.0)),
            count=_field(body, "count", int, 1) if body.get("count", 1) is not None else None,
            portal_id=_field(body, "portal_id", int, None),
            app_id=_field(body, "app_id", int, None),
        )
        return json_response(201, {"id": fault_id})

    def list_faults(self, call: Call) -> httpx.Response:
        return json_response(200, {"results": self._emu.faults()})

    def clear_faults(self, call: Call) -> httpx.Response:
        self._emu.clear_faults()
        return httpx.Response(204)

    def get_clock(self, call: Call) -> httpx.Response:
        return json_response(200, {"now": self._emu.clock.now()})

    def advance(self, call: Call) -> httpx.Response:
        seconds = _field(call.json_object(), "seconds", (int, float))
        return json_response(200, {"now": self._emu.advance(float(seconds))})

    def calls(self, call: Call) -> httpx.Response:
        records = self._emu.calls(call.q("path"))
        return json_response(200, {"results": [r.to_json() for r in records]})

    def deliveries(self, call: Call) -> httpx.Response:
        records = self._emu.deliveries()
        return json_response(
            200,
            {"pending": self._emu.pending_events, "results": [r.to_json() for r in records]},
        )

    def run_deliveries(self, call: Call) -> httpx.Response:
        return json_response(200, {"attempts": self._emu.run_due_deliveries()})
