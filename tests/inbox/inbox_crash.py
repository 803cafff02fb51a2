"""Crash injection for the pipeline tests: HubSpot acts, then the worker process dies."""

from __future__ import annotations

import random
from typing import Any

from inbox_harness import Harness

from hubguard.inbox.gateway import InboxGateway
from hubguard.inbox.hubspot_gateway import gateway_factory
from hubguard.inbox.processor import Processor
from hubguard.inbox.worker import EmbeddedWorker, Worker


class crash_after_action:  # noqa: N801 - a namespace for the helpers below
    class Crash(BaseException):
        """Not an Exception: nothing in the worker may catch it, like a killed process."""

    class _Dying:
        def __init__(self, inner: InboxGateway) -> None:
            self._inner = inner
            self.checks_contacts = inner.checks_contacts

        def __getattr__(self, name: str) -> Any:
            attr = getattr(self._inner, name)
            if name in ("post_comment", "close_thread", "archive_thread"):

                def act(*args: Any, **kw: Any) -> Any:
                    attr(*args, **kw)
                    raise crash_after_action.Crash(name)

                return act
            return attr

    @staticmethod
    def _processor(hub: Harness, dying: bool) -> Processor:
        real = gateway_factory(hub.client)

        def factory(portal_id: int) -> Any:
            gw = real(portal_id)
            return crash_after_action._Dying(gw) if dying else gw

        return Processor(
            gateways=factory,
            classifier=hub.classifier,
            verdicts=hub.verdicts,
            policies=hub.policies,
            vault=hub.vault,
            feedback=hub.feedback,
            privacy=hub.privacy,
            clock=hub.clock,
        )

    @staticmethod
    def run_once_crashing(hub: Harness) -> int:
        worker = Worker(hub.events, crash_after_action._processor(hub, True), rng=random.Random(1))
        return worker.run_once()

    @staticmethod
    def restart(hub: Harness) -> int:
        """A new process: the embedded worker sweeps on start; then drain synchronously."""
        worker = Worker(hub.events, crash_after_action._processor(hub, False), rng=random.Random(2))
        embedded = EmbeddedWorker(worker, hub.events, clock=hub.clock)
        hub.events.sweep(0.0)  # what EmbeddedWorker.start() does first (no thread in tests)
        del embedded
        return worker.drain()
