"""Helpers to connect hubguard to the HubSpot emulator through the real OAuth flow."""

from __future__ import annotations

import random
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import httpx
from hubspot_helpers import LEAK_CANARIES

from hubguard.clock import Clock
from hubguard.config import Secret, Settings
from hubguard.emulator import AppInfo, Emulator
from hubguard.hubspot.client import HubSpotClient
from hubguard.hubspot.oauth import OAuthClient, make_pkce
from hubguard.hubspot.ratelimit import RateBudget
from hubguard.hubspot.scopes import scopes_for
from hubguard.portals import complete_install
from hubguard.vault.protocol import TokenVault

API = "https://api.hubapi.com"


@dataclass(frozen=True)
class Connected:
    portal_id: int
    app: AppInfo
    settings: Settings


def app_settings(emulator: Emulator, *, api_url: str = API, **app_kw: object) -> Settings:
    public = "https://hg.example.com"
    app = emulator.create_app(
        redirect_uris=(public + "/oauth/callback",),
        scopes=("oauth", "conversations.read", "conversations.write"),
        optional_scopes=("crm.objects.contacts.read",),
        **app_kw,  # type: ignore[arg-type]
    )
    LEAK_CANARIES.add(app.client_secret)
    return Settings(
        client_id=app.client_id,
        client_secret=Secret(app.client_secret),
        public_url=public,
        hubspot_api_url=api_url,
        hubspot_app_url="https://app.hubspot.com",
    )


def oauth_install(
    emulator: Emulator,
    vault: TokenVault,
    settings: Settings,
    clock: Clock,
    *,
    http: httpx.Client | None = None,
    scopes: tuple[str, ...] | None = None,
) -> int:
    """Consent on a fresh emulated portal, exchange the code, introspect, store. Returns the id."""
    portal = emulator.create_portal()
    http = http or httpx.Client(transport=emulator.transport())
    oauth = OAuthClient(settings, http, clock)
    verifier, challenge = make_pkce()
    required, optional = scopes_for(settings.features)
    url = oauth.authorize_url("st", challenge, scopes=scopes or required, optional_scopes=optional)
    redirect = emulator.consent(url, portal.portal_id)
    code = parse_qs(urlsplit(redirect).query)["code"][0]
    complete_install(
        oauth, vault, code, verifier, clock=clock, expected_portal=portal.portal_id, actor="test"
    )
    return portal.portal_id


def hub_client(
    settings: Settings,
    vault: TokenVault,
    clock: Clock,
    transport: httpx.BaseTransport,
    *,
    rate_budget: RateBudget | None = None,
) -> HubSpotClient:
    return HubSpotClient(
        settings,
        vault,
        transport=transport,
        clock=clock,
        rng=random.Random(11),
        rate_budget=rate_budget,
    )
