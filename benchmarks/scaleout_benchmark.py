"""Scale-out throughput: the embedded worker against Celery workers, side by side in one run.

Run: ``.venv/bin/python benchmarks/scaleout_benchmark.py [--portals 16] [--per-portal 25]
[--latency 0.05] [--workers 2] [--concurrency 4]``

Method. Both modes run the same story on the real services: PostgreSQL (a fresh database per
mode), the HubSpot emulator served over HTTP with every Conversations API call delayed by
``--latency`` seconds (HubSpot answers in tens to hundreds of milliseconds; the emulator
answers in microseconds, which would hide what scale-out is for), P portals installed through
the OAuth flow with their inbox in ``archive`` mode, and P x N messages (half spam) arriving at
once as signed webhooks to a live ``hubguard`` web process. The clock runs from the deliveries
until every message has a finished verdict.

- embedded x1 / x4: one process, ``create_app`` with its embedded worker of 1 or 4 threads
  (``HUBGUARD_WORKER_THREADS``; 4 is the default).
- scale-out: the same web process publishing to RabbitMQ, Redis holding the rate budget, and
  ``--workers`` ``hubguard worker --concurrency C`` OS processes taking the tasks.

Printed: messages per second per mode and their ratio. The machine is shared and has 2 cores:
the ratio, measured in one run, is the figure to read.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests")]

import httpx  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from hubguard.clock import SystemClock  # noqa: E402
from hubguard.config import Secret  # noqa: E402
from hubguard.emulator import Emulator  # noqa: E402
from hubguard.emulator.server import running  # noqa: E402
from hubguard.services import Services  # noqa: E402
from hubguard.serving import background_server, free_port  # noqa: E402
from hubguard.web.app import create_app  # noqa: E402
from live_stack import live_settings, worker_env  # noqa: E402

POSTGRES = os.environ.get(
    "HUBGUARD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1/postgres"
)
RABBITMQ = os.environ.get("HUBGUARD_TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672//")
REDIS = os.environ.get("HUBGUARD_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
SPAM = (
    "Dear friend, you have WON $5,000,000 in our international lottery! Claim your prize now: "
    "send your bank details to claims@lotto-winner.biz. Click http://bit.ly/claim-now today!"
)
HAM = "Hi, my order {n} arrived damaged. Could you send a replacement? Thanks, Maria"


def fresh_database() -> str:
    name = "hubguard_bench_" + secrets.token_hex(4)
    admin = sa.create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return POSTGRES.rsplit("/", 1)[0] + "/" + name


def drop_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin = sa.create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(
            sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
            {"n": name},
        )
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def run_mode(mode: str, args: argparse.Namespace) -> float:
    """Seconds from the deliveries until every message is decided and acted on."""
    database = fresh_database()
    emulator = Emulator(SystemClock())
    workers: list[subprocess.Popen[bytes]] = []
    try:
        with running(emulator) as emulator_url, tempfile.TemporaryDirectory() as data:
            port = free_port()
            changes: dict[str, object] = {"database_url": database, "log_level": "WARNING"}
            if mode.startswith("embedded"):
                changes["worker_threads"] = int(mode.rsplit("x", 1)[1])
            if mode == "scale-out":
                changes |= {"broker_url": Secret(RABBITMQ), "redis_url": Secret(REDIS)}
            settings = live_settings(
                emulator, emulator_url, f"http://127.0.0.1:{port}", Path(data), **changes
            )
            services = Services.build(settings, actor="web", sole_worker=False)
            if services.celery is not None:
                services.celery.control.purge()
            portals = [emulator.create_portal() for _ in range(args.portals)]
            with background_server(create_app(services), port=port):
                with httpx.Client(base_url=settings.public_url) as web:
                    for portal in portals:
                        authorize = web.get("/oauth/install").headers["location"]
                        assert (
                            web.get(emulator.consent(authorize, portal.portal_id)).status_code
                            == 200
                        )
                        services.pipeline.policies.set(
                            portal.portal_id, portal.inboxes[0].id, "archive"
                        )
                if mode == "scale-out":
                    hubguard = Path(sys.executable).with_name("hubguard")
                    for _ in range(args.workers):
                        workers.append(
                            subprocess.Popen(
                                [str(hubguard), "worker", "--concurrency", str(args.concurrency)],
                                env=worker_env(settings),
                                stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL,
                            )
                        )
                    assert services.celery is not None
                    while len(services.celery.control.ping(timeout=1.0)) < args.workers:
                        time.sleep(0.2)
                emulator.add_fault(
                    "latency", path_prefix="/conversations", seconds=args.latency, count=None
                )
                total = args.portals * args.per_portal
                for n in range(args.per_portal):
                    for portal in portals:
                        spam = n % 2 == 0
                        emulator.inbound(
                            portal.portal_id,
                            text=SPAM if spam else HAM.format(n=n),
                            subject="Claim now!!!" if spam else f"Order {n}",
                            sender=f"s{n}@lotto-winner.biz" if spam else f"maria{n}@acme.example",
                        )
                started = time.monotonic()
                emulator.run_due_deliveries()
                while True:
                    counts = services.pipeline.events.counts()
                    decided = sum(
                        len(services.pipeline.verdicts.all_for_portal(p.portal_id)) for p in portals
                    )
                    busy = counts.get("pending", 0) + counts.get("processing", 0)
                    if decided >= total and busy == 0:
                        break
                    if time.monotonic() - started > 900:
                        raise RuntimeError(f"{mode}: not drained after 900 s ({decided}/{total})")
                    time.sleep(0.2)
                elapsed = time.monotonic() - started
            services.close()
        return elapsed
    finally:
        for proc in workers:
            proc.terminate()
            proc.wait(timeout=60)
        emulator.close()
        drop_database(database)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--portals", type=int, default=16)
    parser.add_argument("--per-portal", type=int, default=25)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    total = args.portals * args.per_portal
    print("# hubguard scale-out benchmark")
    print(
        f"{total} messages over {args.portals} portals; every Conversations call delayed "
        f"{args.latency * 1000:.0f} ms; scale-out: {args.workers} worker processes x "
        f"{args.concurrency} threads (RabbitMQ, Redis, PostgreSQL)"
    )
    results = {}
    for mode in ("embedded x1", "embedded x4", "scale-out"):
        seconds = run_mode(mode, args)
        results[mode] = total / seconds
        print(f"{mode:12} {seconds:8.1f} s  {results[mode]:7.1f} msg/s")
    base = results["embedded x1"]
    print(
        f"embedded 4 threads / 1 thread: {results['embedded x4'] / base:.2f}x; "
        f"scale-out / embedded 1 thread: {results['scale-out'] / base:.2f}x"
    )


if __name__ == "__main__":
    main()
