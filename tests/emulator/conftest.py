"""Fixtures for the emulator tests: an emulator on a FakeClock, an installed app, a client."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from emulator_helpers import API, REDIRECT, SCOPES, Installed, install, official_hubspot_sdk

from hubguard.clock import FakeClock
from hubguard.emulator import AppInfo, Emulator, PortalInfo


@pytest.fixture
def emulator(clock: FakeClock) -> Iterator[Emulator]:
    emu = Emulator(clock)
    yield emu
    emu.close()


@pytest.fixture
def client(emulator: Emulator) -> Iterator[httpx.Client]:
    with httpx.Client(transport=emulator.transport(), base_url=API) as c:
        yield c


@pytest.fixture
def app(emulator: Emulator) -> AppInfo:
    return emulator.create_app(redirect_uris=[REDIRECT], scopes=SCOPES)


@pytest.fixture
def portal(emulator: Emulator) -> PortalInfo:
    return emulator.create_portal(
        tier="professional",
        inboxes=["Support", "Sales"],
        users=["ann@example.com", "bob@example.com"],
    )


@pytest.fixture
def installed(
    emulator: Emulator, client: httpx.Client, app: AppInfo, portal: PortalInfo
) -> Iterator[Installed]:
    inst = install(emulator, client, app, portal)
    yield inst
    inst.client.close()


@pytest.fixture
def hubspot_sdk() -> Iterator[object]:
    """HubSpot's official ``hubspot`` package (hubspot-api-client), unshadowed."""
    with official_hubspot_sdk() as module:
        yield module
