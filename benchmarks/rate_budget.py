"""Benchmark: a burst of N calls for one portal against the emulator's 110 / 10 s limit.

Issue 3 acceptance: the burst completes with no 429 seen by the caller, in no more than 1.15 x
the time the limit allows. With a rolling window of L requests per W seconds the fastest legal
schedule sends requests 1..L at t=0, L+1..2L at t=W, ...; request N leaves at
floor((N - 1) / L) * W, which for N=1000, L=110, W=10 s is 90 s (= ceil((N - L) / L) * W).

The emulator is served over real HTTP on loopback with the real clock; hubguard's production
wiring (HubSpotClient -> RetryTransport -> InMemoryRateBudget) sends from several threads.

    .venv/bin/python benchmarks/rate_budget.py [--calls 1000] [--threads 8] [--in-process]

Takes ~95 s of wall time at the defaults.
"""

from __future__ import annotations

import argparse
import math
import tempfile
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx

from hubguard.clock import SystemClock
from hubguard.config import Secret, Settings
from hubguard.db import create_engine, migrate
from hubguard.emulator import Emulator, running
from hubguard.errors import HubguardError, RateLimitedError
from hubguard.hubspot.client import HubSpotClient
from hubguard.hubspot.conversations import Conversations
from hubguard.hubspot.oauth import OAuthClient, make_pkce
from hubguard.hubspot.scopes import scopes_for
from hubguard.portals import complete_install
from hubguard.vault.crypto import MasterKeyring, new_master_key_line
from hubguard.vault.store import SqlTokenVault

LIMIT, WINDOW = 110, 10.0


def install(
    emulator: Emulator, vault: SqlTokenVault, settings: Settings, http: httpx.Client
) -> int:
    portal = emulator.create_portal()
    oauth = OAuthClient(settings, http)
    verifier, challenge = make_pkce()
    required, optional = scopes_for(settings.features)
    url = oauth.authorize_url("s", challenge, scopes=required, optional_scopes=optional)
    code = parse_qs(urlsplit(emulator.consent(url, portal.portal_id)).query)["code"][0]
    complete_install(oauth, vault, code, verifier, clock=SystemClock(), actor="benchmark")
    return portal.portal_id


def burst(
    client: HubSpotClient, portal_id: int, inbox_id: str, calls: int, threads: int
) -> dict[str, int]:
    convo = Conversations(client.for_portal(portal_id))
    counts = {"ok": 0, "rate_limited": 0, "other_errors": 0}
    lock = threading.Lock()
    remaining = [calls]

    def worker() -> None:
        while True:
            with lock:
                if remaining[0] == 0:
                    return
                remaining[0] -= 1
            try:
                convo.get_inbox(inbox_id)
                outcome = "ok"
            except RateLimitedError:
                outcome = "rate_limited"
            except HubguardError:
                outcome = "other_errors"
            with lock:
                counts[outcome] += 1

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--in-process", action="store_true", help="MockTransport, no sockets")
    args = parser.parse_args()

    emulator = Emulator(seed=5)  # OffsetClock over the real clock
    app = emulator.create_app(
        redirect_uris=("http://localhost:8000/oauth/callback",),
        scopes=("oauth", "conversations.read", "conversations.write"),
        optional_scopes=("crm.objects.contacts.read",),
    )
    with tempfile.TemporaryDirectory() as tmp, running(emulator) as base_url:
        api_url = "https://api.hubapi.com" if args.in_process else base_url
        transport = emulator.transport() if args.in_process else httpx.HTTPTransport()
        settings = Settings(
            client_id=app.client_id,
            client_secret=Secret(app.client_secret),
            hubspot_api_url=api_url,
            data_dir=Path(tmp),
        )
        engine = create_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        migrate(engine)
        vault = SqlTokenVault(engine, MasterKeyring.parse(new_master_key_line()))
        with httpx.Client(transport=emulator.transport() if args.in_process else None) as http:
            portal_id = install(emulator, vault, settings, http)
        inbox_id = emulator.portal(portal_id).inboxes[0].id
        clock = SystemClock()
        with HubSpotClient(settings, vault, transport=transport, clock=clock) as client:
            started = clock.monotonic()
            counts = burst(client, portal_id, inbox_id, args.calls, args.threads)
            elapsed = clock.monotonic() - started
        engine.dispose()

    log = [c for c in emulator.calls("/conversations/")]
    refused = sum(1 for c in log if c.status == 429)
    allowed = math.floor((args.calls - 1) / LIMIT) * WINDOW
    print(
        f"calls requested            {args.calls} ({args.threads} threads, "
        f"{'in-process' if args.in_process else 'served over HTTP'})"
    )
    print(f"calls answered 200         {counts['ok']}")
    print(
        f"429 seen by the caller     {counts['rate_limited']}  (other errors: {counts['other_errors']})"
    )
    print(f"429 sent by the emulator   {refused}  (of {len(log)} requests on the wire)")
    print(f"elapsed                    {elapsed:.2f} s")
    print(f"time the limit allows      {allowed:.2f} s  (floor((N-1)/{LIMIT}) x {WINDOW:.0f} s)")
    ratio = elapsed / allowed if allowed else float("nan")
    print(f"ratio elapsed / allowed    {ratio:.3f}  (target <= 1.15)")
    emulator.close()


if __name__ == "__main__":
    main()
