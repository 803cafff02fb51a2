"""Benchmark: the emulator's two ways in, side by side, on the same workload.

Run: ``.venv/bin/python benchmarks/emulator_transport.py [--requests N]``

Each way lists one page of threads N times with an OAuth token (auth, rate limit, scope check,
paging and JSON in every request): in process through ``Emulator.transport()`` and over real
loopback HTTP through ``running()`` (uvicorn). It prints requests per second for each and their
ratio, which says how much faster in-process tests are than served ones. The emulator clock
moves 10 s every 100 requests, so HubSpot's 110 / 10 s limit never throttles the measurement.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import httpx

from hubguard.clock import FakeClock, OffsetClock
from hubguard.emulator import Emulator, running

REDIRECT = "http://localhost:8000/oauth/callback"
THREADS = "/conversations/v3/conversations/threads?limit=20"


def token_source(emulator: Emulator, client: httpx.Client) -> Callable[[], str]:
    app = emulator.create_app(redirect_uris=[REDIRECT])
    portal = emulator.create_portal()
    for i in range(50):
        emulator.inbound(portal.portal_id, text=f"message {i}", sender=f"s{i}@example.org")

    def fresh() -> str:
        url = (
            f"https://app.hubspot.com/oauth/authorize?client_id={app.client_id}"
            f"&redirect_uri={REDIRECT}&scope=oauth%20conversations.read%20conversations.write"
        )
        code = parse_qs(urlsplit(emulator.consent(url, portal.portal_id)).query)["code"][0]
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": app.client_id,
            "client_secret": app.client_secret,
        }
        body = client.post("/oauth/2026-03/token", data=form).json()
        return str(body["access_token"])

    return fresh


def measure(emulator: Emulator, client: httpx.Client, n: int) -> float:
    fresh = token_source(emulator, client)
    token = fresh()
    start = time.perf_counter()
    for i in range(n):
        if i and i % 100 == 0:
            emulator.advance(10)  # a new rate-limit window (the token lives 1800 s)
        response = client.get(THREADS, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, response.text
    return n / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="at most 17,000")
    n = parser.parse_args().requests

    in_process = Emulator(FakeClock())
    with httpx.Client(transport=in_process.transport(), base_url="https://api.hubapi.com") as c:
        fast = measure(in_process, c, n)

    served = Emulator(OffsetClock())
    with running(served) as base, httpx.Client(base_url=base) as c:
        slow = measure(served, c, n)

    print(f"requests per run: {n}")
    print(f"in process (httpx.MockTransport): {fast:8.0f} req/s")
    print(f"served (uvicorn, loopback HTTP):  {slow:8.0f} req/s")
    print(f"ratio in-process / served: {fast / slow:.1f} x")


if __name__ == "__main__":
    main()
