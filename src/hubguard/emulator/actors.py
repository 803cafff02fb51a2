"""Conversations actors (reference §4.3): ``A-`` agents, ``V-`` visitors, ``E-`` email senders,
``I-`` integrations and ``S-hubspot``; single reads and batch reads (207 when some are missing)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from hubguard.emulator.routing import Call
from hubguard.emulator.state import Portal, World
from hubguard.emulator.wire import (
    batch_response,
    json_response,
    not_found,
    validation_error,
)

__all__ = ["ActorsAPI"]


class ActorsAPI:
    def __init__(self, world: World, portal_of: Callable[[Call], Portal]) -> None:
        self._world = world
        self._portal_of = portal_of

    def _actor(self, portal: Portal, actor_id: str) -> dict[str, Any] | None:
        kind, _, ident = actor_id.partition("-")
        if kind == "A" and ident.isdigit() and int(ident) in portal.users:
            user = portal.users[int(ident)]
            return {"type": "AGENT", "id": actor_id, "name": user.name, "email": user.email}
        if kind == "V":
            for email, contact in portal.contacts.items():
                if contact.id == ident:
                    return {"type": "VISITOR", "id": actor_id, "name": contact.name, "email": email}
        if kind == "E" and ident.lower() in portal.contacts:
            return {"type": "EMAIL", "id": actor_id, "email": ident}
        if kind == "I" and ident.isdigit() and int(ident) in self._world.apps:
            return {
                "type": "INTEGRATION",
                "id": actor_id,
                "name": self._world.apps[int(ident)].name,
            }
        if actor_id == "S-hubspot":
            return {"type": "SYSTEM", "id": actor_id}
        return None

    def get(self, call: Call) -> httpx.Response:
        actor = self._actor(self._portal_of(call), call.params["actorId"])
        if actor is None:
            raise not_found(f"actor {call.params['actorId']} not found", call.correlation_id)
        return json_response(200, actor)

    def batch_read(self, call: Call) -> httpx.Response:
        body = call.json_object()
        inputs = body.get("inputs")
        if not isinstance(inputs, list) or not all(isinstance(i, str) for i in inputs):
            raise validation_error(
                "inputs must be a list of actor ids", call.correlation_id, field="inputs"
            )
        portal = self._portal_of(call)
        results, missing = [], []
        for actor_id in inputs:
            actor = self._actor(portal, actor_id)
            if actor is None:
                missing.append(actor_id)
            else:
                results.append(actor)
        return batch_response(results, missing, call.now, "actors", call.correlation_id)
