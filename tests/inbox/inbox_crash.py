"""Crash injection for the pipeline tests: HubSpot carries out the action, then the worker dies."""

from __future__ import annotations

import random
from typing import Any

from inbox_harness import Harness

from hubguard.inbox.gateway import InboxGateway
from hubguard.inbox.hubspot_gateway import gateway_factory
from hubguard.inbox.processor import Processor
from hubguard.inbox.worker import Worker

ACTIONS = ("post_comment", "close_thread", "archive_thread")


class Crash(BaseException):
    """Not an Exception: nothing in the worker may catch it, like a killed process."""


class _Dying:
    """A gateway whose actions reach HubSpot and then kill the process."""

    def __init__(self, inner: InboxGateway) -> None:
        self._inner = inner
        self.checks_contacts = inner.checks_contacts

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if name not in ACTIONS:
            return attr

        def act(*args: Any, **kw: Any) -> Any:
            attr(*args, **kw)
            raise Crash(name)

        return act


class Interposed:
    """A gateway that passes everything to the real one: subclass it and define the methods
    where something should happen in between (an agent's click, a privacy deletion)."""

    def __init__(self, inner: InboxGateway) -> None:
        self._inner = inner
        self.checks_contacts = inner.checks_contacts

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def processor(
    hub: Harness, wrap: Any = None, *, lease: float = 0.0, classifier: Any = None
) -> Processor:
    """A Processor wired like the pipeline's, its gateways wrapped by ``wrap`` (a class taking
    the real gateway) if given, and ``classifier`` instead of the harness's if given."""
    real = gateway_factory(hub.client)

    def factory(portal_id: int) -> Any:
        return wrap(real(portal_id)) if wrap is not None else real(portal_id)

    return Processor(
        gateways=factory,
        classifier=classifier or hub.classifier,
        verdicts=hub.verdicts,
        policies=hub.policies,
        vault=hub.vault,
        feedback=hub.feedback,
        privacy=hub.privacy,
        clock=hub.clock,
        intent_lease_seconds=lease,
        agent_undo_waiting=hub.events.agent_undo_waiting,  # as the pipeline wires it
    )


def _processor(hub: Harness, *, dying: bool, lease: float = 0.0) -> Processor:
    return processor(hub, _Dying if dying else None, lease=lease)


def run_once_crashing(hub: Harness) -> int:
    """One worker pass whose first action kills it (raises Crash)."""
    return Worker(hub.events, _processor(hub, dying=True), rng=random.Random(1)).run_once()


def restart(hub: Harness, *, lease: float = 0.0) -> int:
    """A new process: the sweep EmbeddedWorker.start() does first, then drain."""
    hub.events.sweep(0.0)
    worker = Worker(hub.events, _processor(hub, dying=False, lease=lease), rng=random.Random(2))
    return worker.drain()
