"""Scale-out mode end to end, on the real services: PostgreSQL for everything stored, RabbitMQ
as the Celery broker, Redis for the shared rate budget, and ``hubguard worker`` as a separate
OS process. The web process only receives and publishes; the worker process decides and acts.
"""

from __future__ import annotations

import logging
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis

from hubguard.clock import SystemClock
from hubguard.config import Secret, Settings
from hubguard.emulator import Emulator
from hubguard.emulator.server import running
from hubguard.inbox.celery_queue import CeleryDispatcher, celery_app
from hubguard.inbox.verdicts import ActionState
from hubguard.services import Services
from hubguard.serving import background_server, free_port
from hubguard.web.app import create_app
from live_stack import live_settings, worker_env

SPAM = (
    "Dear friend, you have WON $5,000,000 in our international lottery! Claim your prize now: "
    "send your bank account details and password to claims@lotto-winner.biz within 24 hours. "
    "Click http://bit.ly/claim-now to verify your account immediately. Act now, limited time!"
)


def _wait_until_ready(web: Services, workers: list[subprocess.Popen[bytes]]) -> None:
    """Until every worker process answers a broker ping (each Celery consumer is up)."""
    assert web.celery is not None
    deadline = time.monotonic() + 60
    while len(web.celery.control.ping(timeout=0.5)) < len(workers):
        assert all(w.poll() is None for w in workers), "a worker process died while starting"
        assert time.monotonic() < deadline, "not every worker answered a ping"


@pytest.fixture
def stack(
    postgres_url: str, rabbitmq_url: str, redis_url: str, tmp_path: Path
) -> Iterator[tuple[Settings, Emulator, Services]]:
    emulator = Emulator(SystemClock())
    with running(emulator) as emulator_url:
        port = free_port()
        public = f"http://localhost:{port}"
        settings = live_settings(
            emulator,
            emulator_url,
            public,
            tmp_path,
            database_url=postgres_url,
            broker_url=Secret(rabbitmq_url),
            redis_url=Secret(redis_url),
        )
        services = Services.build(settings, actor="web", sole_worker=False)
        assert services.celery is not None
        services.celery.control.purge()  # nothing left over from an earlier run
        try:
            with background_server(create_app(services), port=port):
                yield settings, emulator, services
        finally:
            services.close()
            emulator.close()


def _install(settings: Settings, emulator: Emulator, portal_id: int) -> None:
    with httpx.Client(base_url=settings.public_url) as web:
        authorize = web.get("/oauth/install").headers["location"]
        redirect = emulator.consent(authorize, portal_id)
        assert web.get(redirect).status_code == 200


def test_a_separate_worker_process_takes_the_events_from_the_broker(
    stack: tuple[Settings, Emulator, Services],
) -> None:
    settings, emulator, web = stack
    assert not web.pipeline.embedded.running  # with a broker, the web process only serves
    portal = emulator.create_portal()
    _install(settings, emulator, portal.portal_id)
    web.pipeline.policies.set(portal.portal_id, portal.inboxes[0].id, "archive")
    assert settings.redis_url is not None
    budget = redis.Redis.from_url(settings.redis_url.reveal())
    budget.delete(f"hubguard:rate:{{{portal.portal_id}}}:window")

    hubguard = Path(sys.executable).with_name("hubguard")
    # Two workers on one host, as an operator runs them: each needs its own broker identity.
    workers = [
        subprocess.Popen(
            [str(hubguard), "worker", "--concurrency", "2"],
            env=worker_env(settings),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for _ in range(2)
    ]
    try:
        _wait_until_ready(web, workers)
        sent = emulator.inbound(
            portal.portal_id, text=SPAM, subject="URGENT: claim now", sender="w@lotto-winner.biz"
        )
        assert emulator.run_due_deliveries() >= 1  # signed webhooks POSTed to the web process
        verdict = None
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            verdict = web.pipeline.verdicts.by_message(portal.portal_id, sent.message_id)
            if verdict is not None and verdict.action_state is ActionState.DONE:
                break
            assert all(w.poll() is None for w in workers), "a worker process died"
            time.sleep(0.2)
        assert verdict is not None, "no worker decided the message"
        assert (verdict.is_spam, verdict.action.value) == (True, "archive")
        actors = {
            e.actor for e in web.vault.audit_log(portal.portal_id) if e.operation == "inbox.archive"
        }
        assert actors == {"worker"}  # decided and acted on in a worker process, once
        # Both processes paced their HubSpot calls through the one budget in Redis.
        assert budget.zcard(f"hubguard:rate:{{{portal.portal_id}}}:window") >= 2
    finally:
        outputs = []
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            try:
                outputs.append(worker.communicate(timeout=60)[0].decode(errors="replace"))
            except subprocess.TimeoutExpired:
                worker.kill()
                outputs.append(worker.communicate()[0].decode(errors="replace"))
    output = "\n".join(outputs)
    assert [w.returncode for w in workers] == [0, 0], output  # SIGTERM: a warm shutdown
    # The broker's task took the event (fresh events are left to tasks; the table sweep only
    # takes what no task took within 5 s): Celery logs the task's count of events processed.
    assert re.search(
        r"hubguard\.process_events\[[0-9a-f-]+\] succeeded in [0-9.e-]+s: [1-9]", output
    ), output
    assert settings.client_secret is not None
    assert settings.client_secret.reveal() not in output  # nor any other secret in its log


def test_a_broker_outage_neither_delays_nor_fails_the_webhook(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The receiver tells the workers before it answers HubSpot, whose delivery timeout is a
    few seconds. A broker that accepts the connection and then says nothing must not hold that
    answer up, and the failed publish only leaves the (stored) events to the workers' sweep."""
    import socket
    import threading

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    accepted: list[socket.socket] = []
    threading.Thread(target=lambda: accepted.append(silent.accept()[0]), daemon=True).start()
    app = celery_app(
        Secret(f"amqp://guest:guest@127.0.0.1:{silent.getsockname()[1]}//"),
        None,  # type: ignore[arg-type]  # this app only publishes: no task runs here
    )
    dispatcher = CeleryDispatcher(app, publish_timeout=1.0)
    try:
        with caplog.at_level(logging.WARNING, logger="hubguard.inbox.celery_queue"):
            started = time.monotonic()
            dispatcher.dispatch([41, 42])
            assert time.monotonic() - started < 0.5  # handed off, not waited for
            dispatcher.close()  # the publish gives up on its own timeout
        assert time.monotonic() - started < 30
        assert "stored events stay pending for the workers' sweep" in caplog.text
    finally:
        silent.close()
        for conn in accepted:
            conn.close()


def test_a_failing_broker_pauses_publishing_and_a_backlog_is_bounded() -> None:
    """After a failed publish the receiver stops publishing for a while (the sweep takes the
    stored events), and never queues more than a bound of publishes for a broker that hangs."""
    from types import SimpleNamespace

    from hubguard.clock import FakeClock
    from hubguard.inbox.celery_queue import TASK_NAME

    calls: list[list[int]] = []
    broker_up = False

    def apply_async(*, args: list[list[int]], **_: object) -> None:
        calls.append(args[0])
        if not broker_up:
            raise ConnectionError("broker down")

    clock = FakeClock()
    app = SimpleNamespace(tasks={TASK_NAME: SimpleNamespace(apply_async=apply_async)})
    dispatcher = CeleryDispatcher(app, pause_seconds=30, clock=clock)  # type: ignore[arg-type]

    def published_after(ids: list[int]) -> None:
        dispatcher.dispatch(ids)
        dispatcher._publisher.submit(lambda: None).result()  # wait for the publishing thread

    published_after([1])
    assert calls == [[1]]  # tried once, failed
    published_after([2, 3, 4, 5, 6])
    assert calls == [[1]]  # paused: nothing more sent to a broker that just failed
    clock.advance(31)
    broker_up = True
    published_after([7])
    assert calls == [[1], [7]]
    dispatcher.close()
    bounded = CeleryDispatcher(app, max_waiting=0, clock=clock)  # type: ignore[arg-type]
    bounded.dispatch([8])
    bounded.close()
    assert calls == [[1], [7]]  # over the bound: left to the sweep
