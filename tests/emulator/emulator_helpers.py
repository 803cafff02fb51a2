"""Helpers for the emulator tests: authorize URLs and a full OAuth install."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from hubguard.emulator import AppInfo, Emulator, PortalInfo

API = "https://api.hubapi.com"
REDIRECT = "http://localhost:8000/oauth/callback"
SCOPES = ("oauth", "conversations.read", "conversations.write")


def authorize_url(app: AppInfo, scopes: tuple[str, ...] = SCOPES, **extra: str) -> str:
    query = {"client_id": app.client_id, "redirect_uri": REDIRECT, "scope": " ".join(scopes)}
    query.update(extra)
    return "https://app.hubspot.com/oauth/authorize?" + urlencode(query)


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


@dataclass
class Installed:
    """An app installed on a portal: its tokens and a client that sends the access token."""

    app: AppInfo
    portal: PortalInfo
    access_token: str
    refresh_token: str
    client: httpx.Client

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}


def install(
    emulator: Emulator, client: httpx.Client, app: AppInfo, portal: PortalInfo
) -> Installed:
    redirect = emulator.consent(authorize_url(app), portal.portal_id)
    code = query_of(redirect)["code"]
    response = client.post(
        "/oauth/2026-03/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": app.client_id,
            "client_secret": app.client_secret,
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    authed = httpx.Client(
        transport=emulator.transport(),
        base_url=API,
        headers={"Authorization": f"Bearer {body['access_token']}"},
    )
    return Installed(app, portal, body["access_token"], body["refresh_token"], authed)


@contextmanager
def official_hubspot_sdk() -> Iterator[ModuleType]:
    """Import HubSpot's ``hubspot`` SDK even though ``tests/hubspot`` (a test package of the same
    name) may shadow it: while inside, ``hubspot`` is the SDK; afterwards the shadow is restored."""
    tests_dir = Path(__file__).resolve().parents[1]
    saved_path = sys.path[:]
    saved = {k: v for k, v in sys.modules.items() if k == "hubspot" or k.startswith("hubspot.")}
    for name in saved:
        del sys.modules[name]
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != tests_dir]
    try:
        yield importlib.import_module("hubspot")
    finally:
        for name in [k for k in sys.modules if k == "hubspot" or k.startswith("hubspot.")]:
            del sys.modules[name]
        sys.modules.update(saved)
        sys.path[:] = saved_path
