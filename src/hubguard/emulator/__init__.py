"""A HubSpot emulator: OAuth, service keys, conversations, CRM contacts, webhooks, rate limits and
faults.

In process::

    emulator = Emulator(FakeClock())
    client = httpx.Client(transport=emulator.transport(), base_url="https://api.hubapi.com")

Over real HTTP (SDKs, the demo, a browser)::

    with running(emulator) as base_url: ...

Production code never imports this package; tests, ``hubguard demo`` and
``hubguard emulator serve`` do.
"""

from __future__ import annotations

from hubguard.emulator.core import Emulator
from hubguard.emulator.info import (
    AppInfo,
    CallRecord,
    DeliveryRecord,
    InboundResult,
    InboxInfo,
    PortalInfo,
    UserInfo,
)
from hubguard.emulator.server import running, serve

__all__ = [
    "AppInfo",
    "CallRecord",
    "DeliveryRecord",
    "Emulator",
    "InboundResult",
    "InboxInfo",
    "PortalInfo",
    "UserInfo",
    "running",
    "serve",
]
