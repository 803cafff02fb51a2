"""The emulator: one framework-free core answering ``httpx.Request`` with ``httpx.Response``.

Two ways in: :meth:`Emulator.transport` (an ``httpx.MockTransport`` for in-process tests) and
:mod:`hubguard.emulator.server` (uvicorn, for SDKs, the demo and a browser). The Python methods
below mirror the ``/_emulator/`` control endpoints, so tests set up state without HTTP.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import httpx

from hubguard.clock import Clock, OffsetClock
from hubguard.emulator.authn import Authenticator
from hubguard.emulator.calllog import CallLog, safe_path, safe_query
from hubguard.emulator.control import ControlAPI
from hubguard.emulator.conversations import ConversationsAPI
from hubguard.emulator.faults import FAULT_KINDS, FaultBook
from hubguard.emulator.info import (
    AppInfo,
    CallRecord,
    DeliveryRecord,
    InboundResult,
    InboxInfo,
    PortalInfo,
    UserInfo,
)
from hubguard.emulator.oauth import AuthorizeError, OAuthService
from hubguard.emulator.oauth_http import OAuthHTTP
from hubguard.emulator.options import EmulatorOptions
from hubguard.emulator.ratelimit import (
    OAUTH_LIMIT,
    TIER_LIMITS,
    TIERS,
    Budget,
    RateLimiter,
    tier_limits,
)
from hubguard.emulator.routing import Call, Principal, Route
from hubguard.emulator.state import (
    CHANNEL_BY_KIND,
    CHANNEL_CHAT,
    CHANNEL_EMAIL,
    CHANNEL_FORM,
    DEFAULT_PORTAL_SCOPES,
    App,
    ChannelAccount,
    Inbox,
    Portal,
    ServiceKey,
    Subscription,
    User,
    World,
)
from hubguard.emulator.threads import ThreadBook, thread_json
from hubguard.emulator.webhook_settings import WebhookSettingsAPI
from hubguard.emulator.webhooks import WebhookDispatcher
from hubguard.emulator.wire import HubSpotReply, error_body, error_response
from hubguard.errors import EmulatorError

__all__ = ["Emulator"]

DEFAULT_SCOPES = ("oauth", "conversations.read", "conversations.write")
AGENT_ACTIONS = ("close", "reopen", "archive", "restore")


class Emulator:
    """A HubSpot emulator. Thread-safe: one lock guards all state; deliveries and latency
    faults run outside it."""

    def __init__(
        self,
        clock: Clock | None = None,
        *,
        seed: int = 0,
        delivery_client: httpx.Client | None = None,
        rotate_refresh_tokens: bool = False,
        access_token_ttl: int = 1800,
        code_ttl: int = 60,
        retry_after_header: bool = True,
        delivery_timeout: float = 5.0,
        tier_limits: Mapping[str, tuple[int, int]] | None = None,
    ) -> None:
        self.clock: Clock = clock or OffsetClock()
        self.options = EmulatorOptions(
            access_token_ttl=access_token_ttl,
            code_ttl=code_ttl,
            rotate_refresh_tokens=rotate_refresh_tokens,
            retry_after_header=retry_after_header,
            delivery_timeout=delivery_timeout,
            tier_limits=tier_limits,
        )
        self._lock = threading.RLock()
        self._world = World(seed)
        self._delivery_rng = random.Random(seed + 1)
        self._own_client = delivery_client is None
        self._delivery_client = delivery_client
        self._oauth = OAuthService(self._world, self.clock, self.options)
        self._auth = Authenticator(self._world, self._oauth)
        self._limits = RateLimiter(self.options.retry_after_header)
        self._faults = FaultBook()
        self._calls = CallLog()
        self._webhooks = WebhookDispatcher(self._world, self.options, self._delivery_rng)
        self._book = ThreadBook(self._world, self._emit)
        conversations = ConversationsAPI(self._world, self._book, self._portal_of)
        self._routes: list[Route] = [
            *OAuthHTTP(self, self._world, self._oauth).routes(),
            *conversations.routes(),
            *WebhookSettingsAPI(self._world, self._auth).routes(),
            *ControlAPI(self).routes(),
        ]

    # the two ways in ---------------------------------------------------------------------

    def transport(self) -> httpx.MockTransport:
        """An httpx transport that answers from this emulator, in process."""
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request as HubSpot would."""
        request.read()
        with self._lock:
            call = Call.of(request, self.clock.now(), self._world.correlation_id())
            latency = self._faults.take_latency(call.method, call.path)
        if latency > 0:
            self.clock.sleep(latency)
        with self._lock:
            call.now = self.clock.now()
            response = self._dispatch(call)
            response.headers.setdefault("x-hubspot-correlation-id", call.correlation_id)
            if not (call.method == "GET" and call.path.startswith("/_emulator/calls")):
                self._calls.add(
                    CallRecord(
                        time=call.now,
                        method=call.method,
                        path=safe_path(call.path),
                        query=safe_query(call.query),
                        status=response.status_code,
                        auth=call.auth_kind,
                        portal_id=call.portal_id,
                        app_id=call.app_id,
                    )
                )
        return response

    def _dispatch(self, call: Call) -> httpx.Response:
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
                    self._auth.require_scope(call, principal, route.scope)
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

    def _portal_of(self, call: Call) -> Portal:
        assert call.principal is not None
        return self._world.portals[call.principal.portal_id]

    def _emit(self, portal_id: int, event_type: str, thread_id: str, extra: dict[str, Any]) -> None:
        self._webhooks.emit(portal_id, event_type, thread_id, extra, self.clock.now())

    # setup (mirrored by POST /_emulator/apps, /portals, /portals/{id}/service-keys) --------

    def create_app(
        self,
        *,
        name: str = "hubguard",
        redirect_uris: Sequence[str] = ("http://localhost:8000/oauth/callback",),
        scopes: Sequence[str] = DEFAULT_SCOPES,
        optional_scopes: Sequence[str] = (),
        webhook_url: str | None = None,
        subscriptions: Iterable[str | Mapping[str, Any]] = (),
    ) -> AppInfo:
        """Register a public app; subscriptions created here are active at once."""
        with self._lock:
            app_id = self._world.next_id("app", 1_000_001)
            app = App(
                app_id=app_id,
                client_id=self._world.uuid(),
                client_secret=self._world.uuid(),
                developer_api_key=self._world.uuid(),
                redirect_uris=tuple(redirect_uris),
                scopes=tuple(scopes),
                optional_scopes=tuple(optional_scopes),
                name=name,
                webhook_url=webhook_url,
            )
            for sub in subscriptions:
                spec = {"eventType": sub} if isinstance(sub, str) else dict(sub)
                if not isinstance(spec.get("eventType"), str):
                    raise EmulatorError(
                        "each subscription needs an eventType", code="BAD_SUBSCRIPTION"
                    )
                app.subscriptions.append(
                    Subscription(
                        id=self._world.next_id("subscription", 5001),
                        event_type=spec["eventType"],
                        property_name=spec.get("propertyName"),
                        active=bool(spec.get("active", True)),
                        created_at=self.clock.now(),
                    )
                )
            self._world.apps[app_id] = app
            return self._app_info(app)

    @staticmethod
    def _app_info(app: App) -> AppInfo:
        return AppInfo(
            app_id=app.app_id,
            client_id=app.client_id,
            client_secret=app.client_secret,
            developer_api_key=app.developer_api_key,
            redirect_uris=app.redirect_uris,
            scopes=app.scopes,
            optional_scopes=app.optional_scopes,
            webhook_url=app.webhook_url,
            subscriptions=tuple(s.event_type for s in app.subscriptions),
        )

    def create_portal(
        self,
        *,
        tier: str = "professional",
        inboxes: Iterable[str | Mapping[str, str]] = ("Support",),
        users: Iterable[str | Mapping[str, str]] = ("admin@example.com",),
        scopes: Iterable[str] | None = None,
        api_limit_increase: bool = False,
        hub_domain: str | None = None,
    ) -> PortalInfo:
        """A HubSpot account with inboxes (each with email, chat and form accounts) and users."""
        if tier not in TIERS:
            raise EmulatorError(f"tier must be one of {', '.join(TIERS)}", code="BAD_TIER")
        with self._lock:
            now = self.clock.now()
            portal_id = self._world.next_id("portal", 40_000_001)
            domain = hub_domain or f"portal{portal_id}.example.com"
            portal = Portal(
                portal_id=portal_id,
                tier=tier,
                api_limit_increase=api_limit_increase,
                hub_domain=domain,
                scopes=frozenset(DEFAULT_PORTAL_SCOPES if scopes is None else scopes),
            )
            for raw in users:
                spec = {"email": raw} if isinstance(raw, str) else dict(raw)
                email = spec.get("email")
                if not email:
                    raise EmulatorError("each user needs an email", code="BAD_USER")
                user = User(
                    id=self._world.next_id("user", 9_000_001),
                    email=email,
                    first_name=spec.get("first_name", email.split("@")[0].capitalize()),
                    last_name=spec.get("last_name", ""),
                )
                portal.users[user.id] = user
            if not portal.users:
                raise EmulatorError("a portal needs at least one user", code="BAD_USER")
            for raw in inboxes:
                spec = {"name": raw} if isinstance(raw, str) else dict(raw)
                self._add_inbox(portal, spec, now)
            if not portal.inboxes:
                raise EmulatorError("a portal needs at least one inbox", code="BAD_INBOX")
            self._world.portals[portal_id] = portal
            return self._portal_info(portal)

    def _add_inbox(self, portal: Portal, spec: Mapping[str, str], now: float) -> None:
        name = spec.get("name") or "Inbox"
        inbox_id = str(self._world.next_id("inbox", 300_001))
        slug = "".join(c for c in name.lower() if c.isalnum()) or "inbox"
        email = spec.get("email") or f"{slug}@{portal.hub_domain}"
        inbox = Inbox(id=inbox_id, name=name, created_at=now, email_address=email)
        for channel_id, label in (
            (CHANNEL_EMAIL, email),
            (CHANNEL_CHAT, f"{name} chat"),
            (CHANNEL_FORM, f"{name} form"),
        ):
            account = ChannelAccount(
                id=str(self._world.next_id("channel-account", 800_001)),
                channel_id=channel_id,
                inbox_id=inbox_id,
                name=label,
                created_at=now,
                delivery_identifier=(
                    {"type": "HS_EMAIL_ADDRESS", "value": email}
                    if channel_id == CHANNEL_EMAIL
                    else None
                ),
            )
            inbox.accounts[channel_id] = account
        portal.inboxes[inbox_id] = inbox

    @staticmethod
    def _portal_info(portal: Portal) -> PortalInfo:
        return PortalInfo(
            portal_id=portal.portal_id,
            tier=portal.tier,
            hub_domain=portal.hub_domain,
            inboxes=tuple(
                InboxInfo(
                    id=i.id,
                    name=i.name,
                    email_address=i.email_address,
                    email_account_id=i.accounts[CHANNEL_EMAIL].id,
                    chat_account_id=i.accounts[CHANNEL_CHAT].id,
                    form_account_id=i.accounts[CHANNEL_FORM].id,
                )
                for i in portal.inboxes.values()
            ),
            users=tuple(UserInfo(u.id, u.email) for u in portal.users.values()),
            scopes=tuple(sorted(portal.scopes)),
        )

    def portal(self, portal_id: int) -> PortalInfo:
        with self._lock:
            return self._portal_info(self._portal(portal_id))

    def _portal(self, portal_id: int) -> Portal:
        portal = self._world.portals.get(portal_id)
        if portal is None:
            raise EmulatorError(f"no portal {portal_id}", code="UNKNOWN_PORTAL", status=404)
        return portal

    def create_service_key(self, portal_id: int, scopes: Sequence[str]) -> str:
        """A static bearer key for one portal with its own scopes (``pat-na1-<uuid>``)."""
        with self._lock:
            self._portal(portal_id)
            key = ServiceKey(
                key="pat-na1-" + self._world.uuid(),
                key_id=self._world.next_id("service-key", 1),
                portal_id=portal_id,
                scopes=tuple(scopes),
                created_at=self.clock.now(),
            )
            self._world.service_keys[key.key] = key
            return key.key

    # OAuth consent and grants ------------------------------------------------------------

    def consent(
        self, authorize_url: str, portal_id: int, user_id: int | None = None, approve: bool = True
    ) -> str:
        """What a user clicking Approve/Deny does: returns the redirect URL (code or error)."""
        with self._lock:
            try:
                return self._oauth.consent(authorize_url, portal_id, user_id, approve)
            except AuthorizeError as exc:
                raise EmulatorError(exc.message, code=exc.code) from None

    def revoke_grant(self, portal_id: int, app_id: int | None = None) -> int:
        """Uninstall: every grant of the app (or all apps) on the portal dies. Returns the count."""
        with self._lock:
            self._portal(portal_id)
            return self._oauth.revoke_grants(portal_id, app_id)

    # inbox activity ----------------------------------------------------------------------

    def inbound(
        self,
        portal_id: int,
        *,
        text: str,
        sender: str = "visitor@example.net",
        channel: str = "email",
        sender_name: str | None = None,
        subject: str | None = None,
        html: str | None = None,
        inbox_id: str | None = None,
    ) -> InboundResult:
        """A message arriving from outside; creates or continues a thread and fires webhooks."""
        if channel not in CHANNEL_BY_KIND:
            raise EmulatorError("channel must be email, chat or form", code="BAD_CHANNEL")
        if not text or "@" not in sender:
            raise EmulatorError(
                "an inbound message needs text and a sender email", code="BAD_MESSAGE"
            )
        with self._lock:
            portal = self._portal(portal_id)
            if inbox_id is not None and inbox_id not in portal.inboxes:
                raise EmulatorError(f"no inbox {inbox_id}", code="UNKNOWN_INBOX", status=404)
            return self._book.inbound(
                portal,
                channel=channel,
                sender_email=sender,
                text=text,
                now=self.clock.now(),
                sender_name=sender_name,
                subject=subject,
                html_body=html,
                inbox_id=inbox_id,
            )

    def agent_action(
        self, portal_id: int, thread_id: str, action: str, user_id: int | None = None
    ) -> dict[str, Any]:
        """An agent in HubSpot's UI closes, reopens, archives or restores a thread.

        Fires the same webhooks as HubSpot (``sourceId`` = ``userId:<id>``). Returns the thread.
        """
        if action not in AGENT_ACTIONS:
            raise EmulatorError(
                f"action must be one of {', '.join(AGENT_ACTIONS)}", code="BAD_ACTION"
            )
        with self._lock:
            portal = self._portal(portal_id)
            thread = portal.threads.get(thread_id)
            if thread is None:
                raise EmulatorError(f"no thread {thread_id}", code="UNKNOWN_THREAD", status=404)
            user = user_id if user_id is not None else next(iter(portal.users))
            source = f"userId:{user}"
            if action in ("close", "reopen"):
                if thread.archived:
                    raise EmulatorError(
                        "an archived thread's status cannot change", code="ARCHIVED"
                    )
                status = "CLOSED" if action == "close" else "OPEN"
                self._book.set_status(thread, status, self.clock.now(), source)
            elif action == "archive":
                self._book.archive(thread, source)
            else:
                self._book.restore(thread, source)
            return thread_json(thread)

    # faults, time, logs, deliveries ------------------------------------------------------

    def add_fault(
        self,
        kind: str,
        *,
        path_prefix: str = "/",
        method: str | None = None,
        status: int = 500,
        body: dict[str, Any] | None = None,
        seconds: float = 0.0,
        count: int | None = 1,
        portal_id: int | None = None,
        app_id: int | None = None,
    ) -> str:
        """Arm a fault; returns its id. Kinds: ``error`` (next ``count`` responses under
        ``path_prefix`` get ``status``/``body``), ``latency`` (``seconds`` on the clock),
        ``drop_deliveries``, ``delivery_timeout``; ``revoke_grant`` acts at once."""
        if kind not in FAULT_KINDS:
            raise EmulatorError(f"kind must be one of {', '.join(FAULT_KINDS)}", code="BAD_FAULT")
        if count is not None and count < 1:
            raise EmulatorError("count must be at least 1 (or null for ever)", code="BAD_FAULT")
        if kind == "error" and not 400 <= status <= 599:
            raise EmulatorError("status must be a 4xx or 5xx", code="BAD_FAULT")
        with self._lock:
            if kind == "revoke_grant":
                if portal_id is None:
                    raise EmulatorError("revoke_grant needs portal_id", code="BAD_FAULT")
                self.revoke_grant(portal_id, app_id)
                return "revoke_grant"
            fault = self._faults.add(
                kind,
                path_prefix=path_prefix,
                method=method,
                status=status,
                body=body,
                seconds=seconds,
                count=count,
            )
            return fault.id

    def faults(self) -> list[dict[str, Any]]:
        with self._lock:
            return [f.to_json() for f in self._faults.active()]

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def advance(self, seconds: float) -> float:
        """Move the emulator clock forward (FakeClock or OffsetClock). Returns the new time."""
        advance = getattr(self.clock, "advance", None)
        if advance is None:
            raise EmulatorError("this emulator's clock cannot be advanced", code="FIXED_CLOCK")
        if seconds < 0:
            raise EmulatorError("time only moves forward", code="BAD_CLOCK")
        advance(seconds)
        return self.clock.now()

    def calls(self, path_prefix: str | None = None) -> list[CallRecord]:
        """The call log, optionally only paths starting with ``path_prefix``."""
        with self._lock:
            return self._calls.select(path_prefix)

    def deliveries(self) -> list[DeliveryRecord]:
        """Every webhook delivery attempt so far."""
        with self._lock:
            return list(self._webhooks.log)

    @property
    def pending_events(self) -> int:
        with self._lock:
            return self._webhooks.pending

    def run_due_deliveries(self) -> int:
        """POST every due webhook batch now; returns the number of attempts made."""
        with self._lock:
            now = self.clock.now()
            batches = self._webhooks.take_due(now)
            planned = [(b, self._faults.take_delivery()) for b in batches]
        for batch, fault in planned:
            if fault is None:
                outcome, status = self._webhooks.send(self._client(), batch, now)
            else:
                outcome, status = fault, None
            with self._lock:
                self._webhooks.settle(batch, outcome, status, self.clock.now())
        return len(planned)

    def _client(self) -> httpx.Client:
        with self._lock:
            if self._delivery_client is None:
                self._delivery_client = httpx.Client(timeout=self.options.delivery_timeout)
            return self._delivery_client

    def close(self) -> None:
        """Close the delivery client if the emulator made it."""
        with self._lock:
            if self._own_client and self._delivery_client is not None:
                self._delivery_client.close()
                self._delivery_client = None
