"""A hubguard web app wired to the in-process emulator, on a FakeClock (web tests)."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from fastapi import FastAPI

from asgi_client import asgi_client
from hubguard.clock import FakeClock
from hubguard.config import Secret, Settings
from hubguard.emulator import AppInfo, Emulator, PortalInfo
from hubguard.hubspot.scopes import scopes_for
from hubguard.services import Services
from hubguard.vault.crypto import new_master_key_line
from hubguard.web.app import create_app

PUBLIC = "http://localhost:8000"
ADMIN_TOKEN = "adm-7Qf2-correct-horse-battery-staple-91"  # the `guarded` stack's admin token


@dataclass
class Stack:
    emulator: Emulator
    app: AppInfo
    portal: PortalInfo
    services: Services
    web: httpx.Client
    asgi: FastAPI  # the app `web` talks to; more clients (other addresses) may share it


def build_stack(clock: FakeClock, database_url: str, **settings_changes: object) -> Stack:
    emulator = Emulator(clock)
    required, optional = scopes_for(["inbox_filter"])
    app = emulator.create_app(
        redirect_uris=[PUBLIC + "/oauth/callback"], scopes=required, optional_scopes=optional
    )
    portal = emulator.create_portal(inboxes=["Support", "Sales"], users=["ann@example.com"])
    settings = Settings(
        client_id=app.client_id,
        client_secret=Secret(app.client_secret),
        public_url=PUBLIC,
        database_url=database_url,
        master_keys=Secret(new_master_key_line()),
        hubspot_api_url="https://api.hubapi.com",
        hubspot_app_url="https://app.hubspot.com",
    ).replace(**settings_changes)
    services = Services.build(settings, clock=clock, transport=emulator.transport())
    asgi = create_app(services)
    web = asgi_client(asgi, PUBLIC)
    return Stack(emulator, app, portal, services, web, asgi)
