"""A whole inbox pipeline on the HubSpot emulator, for end-to-end tests and benchmarks.

Real parts everywhere except where noted: the emulator (in-process transport, FakeClock), the
real OAuth install, SqlTokenVault on the given database, HubSpotClient + TokenManager, the
FastAPI receiver fed by the emulator's signed deliveries (TestClient as its delivery client).
"""

from __future__ import annotations

import base64
import json
import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from fastapi import FastAPI
from sqlalchemy.engine import Engine

from asgi_client import asgi_client
from hubguard.clock import FakeClock
from hubguard.config import Secret, Settings
from hubguard.db import create_engine, migrate
from hubguard.emulator import Emulator, InboundResult, PortalInfo
from hubguard.hubspot.client import HubSpotClient
from hubguard.hubspot.oauth import OAuthClient, make_pkce
from hubguard.hubspot.scopes import scopes_for
from hubguard.hubspot.signatures import signature_v3
from hubguard.inbox.events import EventStore
from hubguard.inbox.feedback import Feedback
from hubguard.inbox.pipeline import InboxPipeline
from hubguard.inbox.policies import PolicyStore
from hubguard.inbox.poller import Poller
from hubguard.inbox.ports import Classifier
from hubguard.inbox.privacy import Privacy
from hubguard.inbox.processor import Processor
from hubguard.inbox.sender_lists import SenderLists
from hubguard.inbox.verdicts import VerdictStore
from hubguard.inbox.worker import NullDispatcher, RetryPolicy, Worker
from hubguard.portals import complete_install
from hubguard.vault.crypto import MasterKeyring
from hubguard.vault.store import SqlTokenVault
from hubguard.web.api import api_router
from hubguard.web.webhooks import webhook_router

PUBLIC = "https://hg.example.com"
ADMIN_TOKEN = "admin-" + "x" * 32
SUBSCRIPTIONS = (
    "conversation.creation",
    "conversation.newMessage",
    "conversation.propertyChange",
    "conversation.deletion",
    "conversation.privacyDeletion",
)


def make_classifier(engine: Engine, clock: FakeClock) -> Classifier:
    """The real spam filter with the shipped model."""
    from hubguard.spam import SpamFilter

    return SpamFilter(engine, clock=clock)


@dataclass
class Harness:
    clock: FakeClock
    engine: Engine
    emulator: Emulator
    settings: Settings
    vault: SqlTokenVault
    client: HubSpotClient
    classifier: Classifier
    pipeline: InboxPipeline
    events: EventStore
    verdicts: VerdictStore
    policies: PolicyStore
    feedback: Feedback
    privacy: Privacy
    processor: Processor
    worker: Worker
    poller: Poller
    app: FastAPI
    http: httpx.Client
    portals: list[PortalInfo] = field(default_factory=list)
    service_keys: dict[int, str] = field(default_factory=dict)  # portal id -> its key

    # -- setup -------------------------------------------------------------------------------

    def install(self, **portal_kw: Any) -> PortalInfo:
        """A fresh emulated portal, installed through the real OAuth flow."""
        portal = self.emulator.create_portal(**portal_kw)
        self.consent(portal)
        self.portals.append(portal)
        return portal

    def consent(self, portal: PortalInfo) -> None:
        """Install (or re-install) hubguard on an existing emulated portal."""
        with httpx.Client(transport=self.emulator.transport()) as http:
            oauth = OAuthClient(self.settings, http, self.clock)
            verifier, challenge = make_pkce()
            required, optional = scopes_for(self.settings.features)
            url = oauth.authorize_url("st", challenge, scopes=required, optional_scopes=optional)
            redirect = self.emulator.consent(url, portal.portal_id)
            code = parse_qs(urlsplit(redirect).query)["code"][0]
            complete_install(oauth, self.vault, code, verifier, clock=self.clock, actor="test")

    def install_service_key(self, **portal_kw: Any) -> PortalInfo:
        portal = self.emulator.create_portal(**portal_kw)
        key = self.emulator.create_service_key(
            portal.portal_id, ["conversations.read", "conversations.write"]
        )
        self.vault.save_service_key(
            portal.portal_id, Secret(key), ["conversations.read", "conversations.write"]
        )
        self.portals.append(portal)
        self.service_keys[portal.portal_id] = key
        return portal

    # -- driving -----------------------------------------------------------------------------

    def inbound(self, portal: PortalInfo, text: str, **kw: Any) -> InboundResult:
        return self.emulator.inbound(portal.portal_id, text=text, **kw)

    def deliver(self) -> int:
        """Let the emulator POST every due webhook batch to the receiver."""
        return self.emulator.run_due_deliveries()

    def run(self) -> int:
        """Deliver webhooks, then drain the queue."""
        self.deliver()
        return self.worker.drain()

    def post_events(self, events: list[dict[str, Any]], *, at: float | None = None) -> int:
        """POST a batch to the receiver signed as HubSpot would; returns the status code."""
        body = json.dumps(events).encode()
        ts = int((self.clock.now() if at is None else at) * 1000)
        secret = self.settings.client_secret
        assert secret is not None
        sig = signature_v3(secret.reveal(), "POST", PUBLIC + "/webhooks/hubspot", body, ts)
        headers = {
            "content-type": "application/json",
            "x-hubspot-signature-v3": sig,
            "x-hubspot-request-timestamp": str(ts),
        }
        return self.http.post("/webhooks/hubspot", content=body, headers=headers).status_code

    def api_calls(self, prefix: str = "/conversations") -> int:
        return len(self.emulator.calls(prefix))

    def close(self) -> None:
        self.http.close()
        self.client.close()
        self.emulator.close()
        self.engine.dispose()


def new_master_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def build(
    database_url: str,
    *,
    clock: FakeClock | None = None,
    classifier: Classifier | None = None,
    retention_days: int = 30,
    retry: RetryPolicy | None = None,
    wrap: Callable[[httpx.BaseTransport], httpx.BaseTransport] | None = None,
    threads: int = 1,
) -> Harness:
    clock = clock or FakeClock()
    engine = create_engine(database_url)
    migrate(engine)
    # The receiver is built once the app's secret exists; routes are looked up per request.
    app = FastAPI()
    http = asgi_client(app, PUBLIC)
    emulator = Emulator(clock, seed=7, delivery_client=http)
    app_info = emulator.create_app(
        redirect_uris=(PUBLIC + "/oauth/callback",),
        scopes=("oauth", "conversations.read", "conversations.write"),
        optional_scopes=("crm.objects.contacts.read",),
        webhook_url=PUBLIC + "/webhooks/hubspot",
        subscriptions=SUBSCRIPTIONS,
    )
    settings = Settings(
        client_id=app_info.client_id,
        client_secret=Secret(app_info.client_secret),
        public_url=PUBLIC,
        retention_days=retention_days,
    )
    vault = SqlTokenVault(engine, MasterKeyring.parse(new_master_key()), clock=clock)
    client = HubSpotClient(
        settings,
        vault,
        transport=wrap(emulator.transport()) if wrap else emulator.transport(),
        clock=clock,
        rng=random.Random(3),
    )
    classifier = classifier or make_classifier(engine, clock)
    pipeline = InboxPipeline.build(
        engine=engine,
        settings=settings,
        vault=vault,
        client=client,
        classifier=classifier,
        clock=clock,
        retry=retry,
        rng=random.Random(5),
        threads=threads,
        poll_seconds=0.05,
    )
    assert pipeline.verifier is not None
    app.include_router(webhook_router(pipeline.verifier, pipeline.events, NullDispatcher()))
    app.include_router(
        api_router(
            engine=engine,
            verdicts=pipeline.verdicts,
            policies=pipeline.policies,
            feedback=pipeline.feedback,
            admin_token=Secret(ADMIN_TOKEN),
            audit=vault,
            clock=clock,
            lists=SenderLists(classifier, vault),
        )
    )
    return Harness(
        clock,
        engine,
        emulator,
        settings,
        vault,
        client,
        classifier,
        pipeline,
        pipeline.events,
        pipeline.verdicts,
        pipeline.policies,
        pipeline.feedback,
        pipeline.privacy,
        pipeline.processor,
        pipeline.worker,
        pipeline.poller,
        app,
        http,
    )
