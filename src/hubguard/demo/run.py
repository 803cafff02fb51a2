"""The demo: the HubSpot emulator, hubguard, a real OAuth install and a replayed inbox.

Everything runs in this process on loopback: the emulator and hubguard each on their own
uvicorn server, talking HTTP to each other exactly as HubSpot and hubguard would (signed
webhooks in, API calls out). Nothing here takes a shortcut the product would not: the install
goes through ``/oauth/install`` and the consent step, policies are set through the admin API,
messages arrive as inbound mail in the emulator and reach hubguard only as webhooks.
"""

from __future__ import annotations

import json
import secrets
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from hubguard.clock import SystemClock
from hubguard.config import Secret, Settings
from hubguard.demo.sample import SampleMessage
from hubguard.emulator import Emulator, PortalInfo
from hubguard.emulator.server import running
from hubguard.hubspot.scopes import scopes_for
from hubguard.services import Services
from hubguard.serving import background_server, free_port
from hubguard.vault.crypto import ensure_local_key_file
from hubguard.web.app import create_app

__all__ = ["POLICIES", "SUBSCRIPTIONS", "DemoOptions", "DemoRun", "write_report"]

SUBSCRIPTIONS = (
    "conversation.creation",
    "conversation.newMessage",
    "conversation.propertyChange",
    "conversation.deletion",
    "conversation.privacyDeletion",
)
POLICIES = {"Support": "archive", "Sales": "comment"}
CHANNELS = {"EMAIL": "email", "CHAT": "chat", "FORM": "form"}


@dataclass(frozen=True)
class DemoOptions:
    data_dir: Path
    limit: int | None = None
    port: int = 0
    emulator_port: int = 0
    timeout_seconds: float = 600.0


@dataclass
class Injected:
    message: SampleMessage
    inbox: str
    thread_id: str
    message_id: str
    arrived_at: float


@dataclass
class DemoRun:
    """One demo: start everything, install, replay, measure. Use as a context manager."""

    options: DemoOptions
    injected: list[Injected] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.clock = SystemClock()
        self.emulator = Emulator(self.clock)
        self._stack: list[Any] = []

    # -- lifecycle -------------------------------------------------------------------------

    def __enter__(self) -> DemoRun:
        data = self.options.data_dir
        data.mkdir(parents=True, exist_ok=True)
        database = data / "demo.db"
        for stale in data.glob("demo.db*"):  # every demo starts from an empty inbox
            stale.unlink()
        master_keys = ensure_local_key_file(data / "master.key")
        self._emulator_cm = running(self.emulator, self.options.emulator_port)
        self.emulator_url = self._emulator_cm.__enter__()
        # The app's URL must be known before the app exists (HubSpot stores it), so pick the
        # port first; 0 means "any free port", resolved by binding once.
        port = self.options.port or free_port()
        self.public_url = f"http://localhost:{port}"
        required, optional = scopes_for(["inbox_filter"])
        self.app = self.emulator.create_app(
            name="hubguard demo",
            redirect_uris=[self.public_url + "/oauth/callback"],
            scopes=required,
            optional_scopes=optional,
            webhook_url=self.public_url + "/webhooks/hubspot",
            subscriptions=SUBSCRIPTIONS,
        )
        self.portal: PortalInfo = self.emulator.create_portal(
            inboxes=list(POLICIES),
            users=["admin@mokaandmill.example"],
            hub_domain="mokaandmill.example",
        )
        self.admin_token = secrets.token_urlsafe(32)
        settings = Settings(
            client_id=self.app.client_id,
            client_secret=Secret(self.app.client_secret),
            public_url=self.public_url,
            data_dir=data,
            database_url=f"sqlite:///{database}",
            master_keys=master_keys,
            hubspot_api_url=self.emulator_url,
            hubspot_app_url=self.emulator_url,
            admin_token=Secret(self.admin_token),
        )
        self.services = Services.build(settings, clock=self.clock, actor="demo")
        self._server_cm = background_server(create_app(self.services), port=port)
        self._server_cm.__enter__()
        self.http = httpx.Client(base_url=self.public_url, timeout=30)
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.close()
        self._server_cm.__exit__(None, None, None)
        self.services.close()
        self._emulator_cm.__exit__(None, None, None)
        self.emulator.close()

    # -- the story -------------------------------------------------------------------------

    def install(self) -> None:
        """An admin opens /oauth/install, consents in 'HubSpot', lands back on hubguard."""
        start = self.http.get("/oauth/install")
        if start.status_code != 302:
            raise RuntimeError(f"/oauth/install answered {start.status_code}")
        authorize = start.headers["location"]
        with httpx.Client(base_url=self.emulator_url, timeout=30) as hubspot:
            consent = hubspot.post(
                "/_emulator/consent",
                json={"authorize_url": authorize, "portal_id": self.portal.portal_id},
            )
            consent.raise_for_status()
            redirect = consent.json()["redirect_url"]
        done = self.http.get(redirect.removeprefix(self.public_url))
        if done.status_code != 200:
            raise RuntimeError(f"install failed: {done.status_code} {done.text[:200]}")

    def set_policies(self) -> dict[str, str]:
        """Support archives spam, Sales gets an internal comment (through the admin API)."""
        headers = {"Authorization": f"Bearer {self.admin_token}"}
        inboxes = dict(zip(POLICIES, self.portal.inbox_ids, strict=True))
        for name, inbox_id in inboxes.items():
            response = self.http.put(
                f"/api/portals/{self.portal.portal_id}/policies/{inbox_id}",
                json={"mode": POLICIES[name], "actor": "demo"},
                headers=headers,
            )
            response.raise_for_status()
        return inboxes

    def inject(self, messages: list[SampleMessage], inboxes: dict[str, str]) -> None:
        names = list(inboxes)
        for i, msg in enumerate(messages):
            name = names[i % len(names)]
            result = self.emulator.inbound(
                self.portal.portal_id,
                text=msg.text,
                sender=msg.sender,
                sender_name=msg.from_name,
                subject=msg.subject,
                html=msg.html,
                channel=CHANNELS.get(msg.channel, "email"),
                inbox_id=inboxes[name],
            )
            self.injected.append(
                Injected(msg, name, result.thread_id, result.message_id, self.clock.now())
            )

    def processed(self) -> int:
        """How many injected messages have a verdict (the demo portal receives nothing else).
        One count query: the progress bar asks four times a second, beside the worker."""
        return self.services.pipeline.verdicts.tally(self.portal.portal_id)[0]

    # -- the numbers -----------------------------------------------------------------------

    def report(self, elapsed: float) -> dict[str, Any]:
        verdicts = self.services.pipeline.verdicts
        pid = self.portal.portal_id
        rows = [(item, verdicts.by_message(pid, item.message_id)) for item in self.injected]
        done = [(i, v) for i, v in rows if v is not None]
        spam = [(i, v) for i, v in done if i.message.label == "spam"]
        ham = [(i, v) for i, v in done if i.message.label == "ham"]
        acted = {"comment", "close", "archive"}
        actions = Counter(v.action.value for _, v in done)
        latencies = sorted(
            (v.acted_at or v.decided_at) - i.arrived_at for i, v in done if v is not None
        )
        api_calls = [c for c in self.emulator.calls("/conversations/")]
        token_calls = self.emulator.calls("/oauth/")
        by_inbox: dict[str, dict[str, int]] = {}
        for item, v in done:
            stats = by_inbox.setdefault(
                item.inbox, {"messages": 0, "flagged": 0, "spam": 0, "ham_flagged": 0}
            )
            stats["messages"] += 1
            stats["spam"] += item.message.label == "spam"
            stats["flagged"] += v.is_spam
            stats["ham_flagged"] += item.message.label == "ham" and v.is_spam
        return {
            "portal_id": pid,
            "policies": {name: POLICIES[name] for name in by_inbox},
            "messages_injected": len(self.injected),
            "messages_processed": len(done),
            "spam_total": sum(1 for i in self.injected if i.message.label == "spam"),
            "spam_caught": sum(1 for _, v in spam if v.is_spam),
            "spam_missed": sum(1 for _, v in spam if not v.is_spam),
            "ham_total": sum(1 for i in self.injected if i.message.label == "ham"),
            "ham_flagged": sum(1 for _, v in ham if v.is_spam),
            "real_messages_wrongly_acted_on": sum(1 for _, v in ham if v.action.value in acted),
            "actions": dict(sorted(actions.items())),
            "by_inbox": by_inbox,
            "hubspot_api_calls": len(api_calls),
            "hubspot_api_calls_per_message": round(len(api_calls) / max(1, len(done)), 3),
            "token_endpoint_calls": len(token_calls),
            "http_429_seen": sum(1 for c in api_calls if c.status == 429),
            "latency_seconds": {
                "p50": _percentile(latencies, 50),
                "p99": _percentile(latencies, 99),
                "max": round(latencies[-1], 3) if latencies else None,
            },
            "elapsed_seconds": round(elapsed, 2),
            "model": done[0][1].model if done else None,
        }


def _percentile(values: list[float], pct: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 3)
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(pct) - 1], 3)


def write_report(report: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")
