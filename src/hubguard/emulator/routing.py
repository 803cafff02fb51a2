"""One request inside the emulator: parsed query and body, route parameters, who is calling."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import httpx

from hubguard.emulator.wire import validation_error

__all__ = ["Call", "Principal", "Route"]


@dataclass(frozen=True)
class Principal:
    """Who a bearer credential belongs to."""

    kind: str  # "oauth" | "service_key"
    portal_id: int
    scopes: frozenset[str]
    app_id: int | None = None
    user_id: int | None = None
    key_id: int | None = None

    @property
    def rate_key(self) -> str:
        if self.kind == "oauth":
            return f"app:{self.app_id}:portal:{self.portal_id}"
        return f"key:{self.key_id}"

    @property
    def actor_id(self) -> str:
        """The actor that writes made with this credential appear as."""
        return f"I-{self.app_id}" if self.app_id is not None else "S-hubspot"


@dataclass
class Call:
    """A request being handled. ``params`` holds the route's named groups."""

    request: httpx.Request
    method: str
    path: str
    query: dict[str, list[str]]
    now: float
    correlation_id: str
    params: dict[str, str] = field(default_factory=dict)
    principal: Principal | None = None
    auth_kind: str = "none"
    app_id: int | None = None
    portal_id: int | None = None

    @classmethod
    def of(cls, request: httpx.Request, now: float, correlation_id: str) -> Call:
        query = parse_qs(request.url.query.decode("latin-1"), keep_blank_values=True)
        return cls(request, request.method.upper(), request.url.path, query, now, correlation_id)

    def q(self, name: str) -> str | None:
        """The first value of a query parameter (``name`` or ``name[]``)."""
        values = self.q_all(name)
        return values[0] if values else None

    def q_all(self, name: str) -> list[str]:
        return self.query.get(name, []) + self.query.get(name + "[]", [])

    def q_bool(self, name: str) -> bool:
        value = self.q(name)
        if value is None:
            return False
        if value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise validation_error(f"{name} must be true or false", self.correlation_id, field=name)

    def body_text(self) -> str:
        try:
            return self.request.content.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise validation_error("the body is not UTF-8", self.correlation_id) from exc

    def json(self) -> Any:
        """The JSON body; a malformed one is HubSpot's 400 VALIDATION_ERROR."""
        text = self.body_text()
        if not text.strip():
            raise validation_error("the request body is empty", self.correlation_id)
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise validation_error(
                f"Invalid input JSON on line {exc.lineno}, column {exc.colno}: {exc.msg}",
                self.correlation_id,
            ) from exc

    def json_object(self) -> dict[str, Any]:
        body = self.json()
        if not isinstance(body, dict):
            raise validation_error("the request body must be a JSON object", self.correlation_id)
        return body

    def form(self) -> dict[str, str]:
        """A form body (what OAuth endpoints take). JSON objects are accepted too, because
        ``hubspot-sdk`` 0.1.0a9 sends its OAuth bodies as JSON."""
        ctype = self.request.headers.get("content-type", "").lower()
        text = self.body_text()
        if "json" in ctype:
            try:
                data = json.loads(text) if text.strip() else {}
            except json.JSONDecodeError as exc:
                raise validation_error("malformed JSON body", self.correlation_id) from exc
            if not isinstance(data, dict):
                raise validation_error("the body must be an object", self.correlation_id)
            return {str(k): str(v) for k, v in data.items() if v is not None}
        parsed = parse_qs(text, keep_blank_values=True)
        return {k: v[0] for k, v in parsed.items()}


Handler = Callable[[Call], httpx.Response]


@dataclass(frozen=True)
class Route:
    """``method`` + a path regex with named groups, the handler, and what it needs.

    ``auth`` is "bearer" (OAuth token or service key), "hapikey" (developer key) or "none";
    ``scope`` is the scope a bearer must hold, the one a 403 names; ``alt_scopes`` would do
    instead (a write scope that also lets read).
    """

    method: str
    pattern: re.Pattern[str]
    handler: Handler
    auth: str = "bearer"
    scope: str | None = None
    alt_scopes: tuple[str, ...] = ()

    @classmethod
    def make(
        cls,
        method: str,
        path: str,
        handler: Handler,
        *,
        auth: str = "bearer",
        scope: str | None = None,
        alt_scopes: tuple[str, ...] = (),
    ) -> Route:
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", path)
        return cls(method, re.compile(f"^{regex}$"), handler, auth, scope, alt_scopes)
