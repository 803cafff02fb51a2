"""The emulator served over real HTTP with an app whose webhooks reach hubguard on ``public``:
for tests where a browser or another OS process must reach both."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from hubguard.config import Secret, Settings
from hubguard.emulator import Emulator
from hubguard.hubspot.scopes import scopes_for
from hubguard.vault.crypto import new_master_key_line

SUBSCRIPTIONS = ("conversation.creation", "conversation.newMessage")


def live_settings(
    emulator: Emulator, emulator_url: str, public: str, data_dir: Path, **changes: Any
) -> Settings:
    """Register hubguard as an app of ``emulator`` (redirect and webhooks on ``public``) and
    return the settings a hubguard process needs to talk to it."""
    required, optional = scopes_for(["inbox_filter"])
    app = emulator.create_app(
        redirect_uris=[public + "/oauth/callback"],
        scopes=required,
        optional_scopes=optional,
        webhook_url=public + "/webhooks/hubspot",
        subscriptions=SUBSCRIPTIONS,
    )
    return Settings(
        client_id=app.client_id,
        client_secret=Secret(app.client_secret),
        public_url=public,
        data_dir=data_dir,
        master_keys=Secret(new_master_key_line()),
        hubspot_api_url=emulator_url,
        hubspot_app_url=emulator_url,
    ).replace(**changes)


# What a separate hubguard process (`hubguard worker`) needs to join the same deployment.
_SHARED = (
    "client_id",
    "client_secret",
    "public_url",
    "database_url",
    "master_keys",
    "hubspot_api_url",
    "hubspot_app_url",
    "broker_url",
    "redis_url",
    "data_dir",
    "log_level",
)


def worker_env(settings: Settings) -> dict[str, str]:
    """``settings`` as the HUBGUARD_* environment an operator would export for another process
    (any HUBGUARD_* of this process's own environment left out)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUBGUARD_")}
    for name in _SHARED:
        value = getattr(settings, name)
        if value is not None:
            env["HUBGUARD_" + name.upper()] = (
                value.reveal() if isinstance(value, Secret) else str(value)
            )
    return env
