"""Webhook endpoint throughput: hubguard's receiver vs a bare FastAPI endpoint answering 204.

Run: ``.venv/bin/python benchmarks/webhook_throughput.py [--seconds 4] [--clients 4] [--batch 10]``

Method. Each endpoint runs in its own uvicorn process on loopback (one worker, the same settings);
the load generator is this process: ``--clients`` threads, each with a keep-alive httpx client,
POSTing signed batches of ``--batch`` new events (unique ids, current timestamp) for
``--seconds`` (default 10 clients: HubSpot's concurrency limit per installed portal). The bare endpoint returns 204 without looking at the request; the receiver
verifies the v3 signature over the raw body, parses, and stores the batch durably in SQLite (one
transaction, INSERT .. ON CONFLICT DO NOTHING) before its 204. The two are measured alternately,
twice each, and the best round of each is compared. Target: receiver >= 50 % of bare.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import socket
import tempfile
import threading
import time
from pathlib import Path

import httpx

from hubguard.serving import free_port

SECRET = "bench-secret-0123456789"
PUBLIC = "http://127.0.0.1"


def _serve(kind: str, port: int, db: str, synchronous: str) -> None:
    import uvicorn
    from fastapi import FastAPI
    from starlette.responses import Response

    from hubguard.config import Secret, Settings
    from hubguard.db import create_engine, migrate
    from hubguard.inbox.events import EventStore
    from hubguard.inbox.verifier import WebhookVerifier
    from hubguard.inbox.worker import NullDispatcher
    from hubguard.web.webhooks import webhook_router

    app = FastAPI()
    if kind == "bare":

        @app.post("/webhooks/hubspot")
        async def bare() -> Response:
            return Response(status_code=204)

    else:
        engine = create_engine(f"sqlite:///{db}")
        if synchronous != "normal":
            import sqlalchemy as sa

            @sa.event.listens_for(engine, "connect")
            def _sync(dbapi_conn: object, _record: object) -> None:
                dbapi_conn.execute(f"PRAGMA synchronous={synchronous.upper()}")  # type: ignore[attr-defined]

        migrate(engine)
        settings = Settings(client_secret=Secret(SECRET), public_url=f"{PUBLIC}:{port}")
        app.include_router(
            webhook_router(
                WebhookVerifier.from_settings(settings), EventStore(engine), NullDispatcher()
            )
        )
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _wait(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"server on {port} did not start")


def _load(port: int, seconds: float, clients: int, batch: int, offset: int) -> float:
    from hubguard.hubspot.signatures import signature_v3

    url = f"{PUBLIC}:{port}/webhooks/hubspot"
    counts = [0] * clients
    stop = time.monotonic() + seconds

    def run(n: int) -> None:
        seq = 0
        with httpx.Client() as http:
            while time.monotonic() < stop:
                seq += 1
                base = (offset + n) * 10_000_000 + seq * batch
                events = [
                    {
                        "eventId": base + i,
                        "subscriptionId": 1,
                        "portalId": 42,
                        "occurredAt": 1_700_000_000_000 + base + i,
                        "subscriptionType": "conversation.newMessage",
                        "objectId": 1000 + i,
                        "messageId": f"m{base + i}",
                        "messageType": "MESSAGE",
                        "attemptNumber": 0,
                    }
                    for i in range(batch)
                ]
                body = json.dumps(events).encode()
                ts = int(time.time() * 1000)
                headers = {
                    "content-type": "application/json",
                    "x-hubspot-signature-v3": signature_v3(SECRET, "POST", url, body, ts),
                    "x-hubspot-request-timestamp": str(ts),
                }
                if http.post(url, content=body, headers=headers).status_code == 204:
                    counts[n] += 1

    threads = [threading.Thread(target=run, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.monotonic() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument(
        "--sqlite-synchronous",
        choices=("full", "normal"),
        default="normal",
        help="SQLite durability: normal (hubguard's default, WAL-recommended) or full",
    )
    args = parser.parse_args()
    ctx = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory() as tmp:
        ports = {"bare": free_port(), "receiver": free_port()}
        procs = [
            ctx.Process(
                target=_serve,
                args=(k, p, str(Path(tmp) / "events.db"), args.sqlite_synchronous),
                daemon=True,
            )
            for k, p in ports.items()
        ]
        for proc in procs:
            proc.start()
        try:
            for port in ports.values():
                _wait(port)
            best = {"bare": 0.0, "receiver": 0.0}
            for round_no in range(2):
                for kind, port in ports.items():
                    rate = _load(port, args.seconds, args.clients, args.batch, round_no * 100)
                    best[kind] = max(best[kind], rate)
                    print(f"  round {round_no + 1} {kind:8s} {rate:8.1f} requests/s")
        finally:
            for proc in procs:
                proc.terminate()
                proc.join(5)
    ratio = best["receiver"] / best["bare"]
    print(
        f"Webhook endpoint, batches of {args.batch} events, {args.clients} keep-alive clients "
        f"(HubSpot's per-portal concurrency), SQLite synchronous={args.sqlite_synchronous}:"
    )
    print(f"  bare FastAPI 204 endpoint: {best['bare']:.1f} requests/s")
    print(
        f"  hubguard receiver (verify v3 + parse + durable SQLite write): "
        f"{best['receiver']:.1f} requests/s = {best['receiver'] * args.batch:.0f} events/s"
    )
    print(f"  ratio receiver / bare: {ratio:.2f}  (target >= 0.50)")


if __name__ == "__main__":
    main()
