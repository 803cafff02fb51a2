"""The composition root: every long-lived part, built once from Settings.

``hubguard serve``, ``hubguard worker``, the CLI commands and ``hubguard demo`` all start here,
so a part is constructed in exactly one place. Tests build the same object with a FakeClock and
the emulator's transport, through the same parameters production uses.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import httpx

from hubguard.clock import Clock, SystemClock
from hubguard.config import Settings
from hubguard.hubspot.client import HubSpotClient
from hubguard.inbox.pipeline import InboxPipeline
from hubguard.spam import SpamFilter
from hubguard.vault.store import SqlTokenVault
from hubguard.web.install_state import InstallStateStore
from hubguard.web.sessions import DashboardSessionStore

__all__ = ["Services"]

log = logging.getLogger(__name__)


@dataclass
class Services:
    """Long-lived parts of one hubguard process. Close it when done."""

    settings: Settings
    clock: Clock
    vault: SqlTokenVault
    hubspot: HubSpotClient
    install_states: InstallStateStore
    dashboard_sessions: DashboardSessionStore
    spam: SpamFilter
    pipeline: InboxPipeline

    @classmethod
    def build(
        cls,
        settings: Settings,
        *,
        clock: Clock | None = None,
        transport: httpx.BaseTransport | None = None,
        actor: str = "hubguard",
    ) -> Services:
        """Open the database (migrating it), the vault and the HubSpot client.

        Refuses to start without a master key (ConfigError says how to make one).
        """
        clock = clock or SystemClock()
        vault = SqlTokenVault.from_settings(settings, clock=clock, actor=actor)
        engine = vault.engine
        hubspot = HubSpotClient(settings, vault, transport=transport, clock=clock, actor=actor)
        spam = SpamFilter(engine, clock=clock)
        pipeline = InboxPipeline.build(
            engine=engine,
            settings=settings,
            vault=vault,
            client=hubspot,
            classifier=spam,
            clock=clock,
            # Refresh idle grants before they could go stale, with or without traffic.
            maintenance=(hubspot.tokens.refresh_idle,),
        )
        return cls(
            settings=settings,
            clock=clock,
            vault=vault,
            hubspot=hubspot,
            install_states=InstallStateStore(engine, clock=clock),
            dashboard_sessions=DashboardSessionStore(engine, clock=clock),
            spam=spam,
            pipeline=pipeline,
        )

    def close(self) -> None:
        self.pipeline.stop()
        self.hubspot.close()
        self.vault.engine.dispose()
