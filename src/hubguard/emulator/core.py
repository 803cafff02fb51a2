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
from hubguard.emulator.authorize import AuthorizeError
from hubguard.emulator.calllog import CallLog, safe_path, safe_query
from hubguard.emulator.control import ControlAPI
from hubguard.emulator.conversations import ConversationsAPI
from hubguard.emulator.crm import ContactsAPI, upsert_contact
from hubguard.emulator.dispatch import Dispatcher
from hubguard.emulator.faults import FAULT_KINDS, FaultBook
from hubguard.emulator.info import (
    AppInfo,
    CallRecord,
    DeliveryRecord,
    InboundResult,
    PortalInfo,
)
from hubguard.emulator.oauth import OAuthService
from hubguard.emulator.oauth_http import OAuthHTTP
from hubguard.emulator.options import EmulatorOptions
from hubguard.emulator.registry import app_info, build_app, build_portal, portal_info
from hubguard.emulator.routing import Call, Route
from hubguard.emulator.state import (
    CHANNEL_BY_KIND,
    Portal,
    ServiceKey,
    World,
)
from hubguard.emulator.threads import ThreadBook, thread_json
from hubguard.emulator.webhook_settings import WebhookSettingsAPI
from hubguard.emulator.webhooks import WebhookDispatcher
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
        self._faults = FaultBook()
        self._calls = CallLog()
        self._webhooks = WebhookDispatcher(self._world, self.options, self._delivery_rng)
        self._book = ThreadBook(self._world, self._emit)
        conversations = ConversationsAPI(self._world, self._book, self._portal_of)
        routes: list[Route] = [
            *OAuthHTTP(self, self._world, self._oauth).routes(),
            *conversations.routes(),
            *ContactsAPI(self._portal_of).routes(),
            *WebhookSettingsAPI(self._world, self._auth).routes(),
            *ControlAPI(self).routes(),
        ]
        self._dispatcher = Dispatcher(self._world, self.options, routes, self._auth, self._faults)

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
            response = self._dispatcher.dispatch(call)
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
            app = build_app(
                self._world,
                self.clock.now(),
                name=name,
                redirect_uris=redirect_uris,
                scopes=scopes,
                optional_scopes=optional_scopes,
                webhook_url=webhook_url,
                subscriptions=subscriptions,
            )
            return app_info(app)

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
        with self._lock:
            portal = build_portal(
                self._world,
                self.clock.now(),
                tier=tier,
                inboxes=inboxes,
                users=users,
                scopes=scopes,
                api_limit_increase=api_limit_increase,
                hub_domain=hub_domain,
            )
            return portal_info(portal)

    def portal(self, portal_id: int) -> PortalInfo:
        with self._lock:
            return portal_info(self._portal(portal_id))

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

    def revoke_service_key(self, key: str) -> None:
        """What deleting (or rotating away) a service key in HubSpot's settings does."""
        with self._lock:
            found = self._world.service_keys.get(key)
            if found is None:
                raise EmulatorError("no such service key", code="UNKNOWN_KEY", status=404)
            found.revoked = True

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

    def reply(self, portal_id: int, thread_id: str, text: str) -> InboundResult:
        """The thread's sender writes again in that thread; a closed thread reopens (see
        ``ThreadBook.reply``)."""
        if not text:
            raise EmulatorError("a reply needs text", code="BAD_MESSAGE")
        with self._lock:
            portal = self._portal(portal_id)
            thread = portal.threads.get(thread_id)
            if thread is None or thread.archived:
                raise EmulatorError(
                    f"no open thread {thread_id}", code="UNKNOWN_THREAD", status=404
                )
            return self._book.reply(portal, thread, text, self.clock.now())

    def upsert_contact(
        self,
        portal_id: int,
        email: str,
        *,
        firstname: str | None = None,
        lifecyclestage: str | None = None,
        num_associated_deals: int | None = None,
    ) -> str:
        """Create or update the CRM contact of ``email`` (what the portal's users do in HubSpot's
        CRM); returns its id. None leaves a property as it is, ``""`` clears it.

        ``num_associated_deals`` stands in for associating deals: HubSpot calculates that
        property from the contact's deals."""
        with self._lock:
            contact = upsert_contact(
                self._world,
                self._portal(portal_id),
                email,
                self.clock.now(),
                firstname=firstname,
                lifecyclestage=lifecyclestage,
                num_associated_deals=num_associated_deals,
            )
            return contact.id

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

    def privacy_delete_thread(self, portal_id: int, thread_id: str) -> None:
        """A GDPR deletion request removes a thread permanently and fires
        ``conversation.privacyDeletion`` (reference §3.2)."""
        with self._lock:
            portal = self._portal(portal_id)
            thread = portal.threads.get(thread_id)
            if thread is None:
                raise EmulatorError(f"no thread {thread_id}", code="UNKNOWN_THREAD", status=404)
            self._book.privacy_delete(portal, thread)

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

    def issued_secrets(self) -> list[str]:
        """Every credential the emulator ever handed out (client secrets, codes, access and
        refresh tokens, service keys), for tests that prove none is stored in plaintext."""
        with self._lock:
            world = self._world
            return [
                *(app.client_secret for app in world.apps.values()),
                *world.codes,
                *world.access_tokens,
                *world.refresh_tokens,
                *world.service_keys,
            ]

    def close(self) -> None:
        """Close the delivery client if the emulator made it."""
        with self._lock:
            if self._own_client and self._delivery_client is not None:
                self._delivery_client.close()
                self._delivery_client = None
