"""Inbox pipeline efficiency: HubSpot calls per message, and a 5,000-message burst's drain time.

Run: ``.venv/bin/python benchmarks/pipeline_benchmark.py [--quick] [--burst N]``

Method. Everything runs in one process against the HubSpot emulator (in-process transport) with
the real receiver (signed deliveries through the FastAPI router), SQLite, the real spam filter,
the real HubSpot client (token manager, per-portal rate budget, retries) and the worker. The
emulator and hubguard share one FakeClock: waiting for the rate budget advances the clock instead
of sleeping, so the burst's *simulated* drain time is exactly the pacing hubguard imposed on
itself, measured on the same clock the emulator enforces HubSpot's 110 / 10 s rolling window
with. The limit allows C calls in (ceil(C / 110) - 1) * 10 s at best (110 at once, then 110 per
window); the ratio printed is simulated drain time / that minimum (target <= 1.15).

Calls per message: the design's minimum is one GET of the message per decided message plus one
call per action (comment, close or archive), plus, when the portal granted the optional CRM
scope, one "is the sender a known customer?" lookup per acted-on sender (never auto-act on
customers). Everything else (finding each inbox through the channel-account list, once per
portal) is overhead. Target: <= 1.1 x minimum. Every API call is counted (not the OAuth token
endpoints, which are not rate limited), and the burst's pacing covers all of them too.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "inbox")]

from inbox_harness import Harness, build  # noqa: E402

from hubguard.clock import FakeClock  # noqa: E402
from hubguard.inbox.verdicts import ActionState  # noqa: E402

DATA = ROOT.parent / "shared" / "datasets" / "inbox-examples.jsonl.gz"
LIMIT, WINDOW = 110, 10.0


def corpus() -> list[dict[str, str]]:
    if DATA.exists():
        with gzip.open(DATA, "rt", encoding="utf-8") as fh:
            return [json.loads(line) for line in fh]
    generated = ROOT / "src" / "hubguard" / "spam" / "data" / "generated.jsonl"
    return [json.loads(line) for line in generated.read_text().splitlines() if line.strip()]


def send(hub: Harness, portal_id: int, row: dict[str, str], inbox_id: str, n: int) -> None:
    channel = {"EMAIL": "email", "CHAT": "chat", "FORM": "form"}.get(
        row.get("channel", ""), "email"
    )
    sender = row.get("from_email") or f"sender{n}@example.net"
    if "@" not in sender:
        sender = f"sender{n}@example.net"
    # A distinct sender per message keeps every message in its own thread.
    local, _, domain = sender.partition("@")
    hub.emulator.inbound(
        portal_id,
        text=row.get("text") or "(empty)",
        subject=row.get("subject"),
        sender=f"{local}+{n}@{domain}",
        sender_name=row.get("from_name"),
        channel=channel,
        inbox_id=inbox_id,
    )


def api_calls(hub: Harness) -> list[tuple[str, int, float]]:
    """Every call against HubSpot's API (the OAuth token endpoints are not rate limited)."""
    return [
        (c.method, c.status, c.time)
        for c in hub.emulator.calls()
        if not c.path.startswith(("/oauth", "/_emulator"))
    ]


def calls_per_message(db_dir: Path, *, crm: bool) -> dict[str, float]:
    hub = build(f"sqlite:///{db_dir / f'calls-{crm}.db'}", clock=FakeClock())
    try:
        scopes = ["oauth", "conversations.read", "conversations.write"]
        if crm:
            scopes.append("crm.objects.contacts.read")
        portal = hub.install(inboxes=("Sales", "Support"), scopes=scopes)
        sales, support = portal.inboxes[0].id, portal.inboxes[1].id
        hub.policies.set(portal.portal_id, sales, "archive")
        hub.policies.set(portal.portal_id, support, "comment")
        rows = corpus()
        for n, row in enumerate(rows):
            send(hub, portal.portal_id, row, sales if n % 2 else support, n)
            hub.clock.advance(1)
        hub.run()
        verdicts = hub.verdicts.all_for_portal(portal.portal_id)
        acted = sum(1 for v in verdicts if v.action_state is ActionState.DONE)
        used = len(api_calls(hub))
        # With the CRM scope every acted-on message first asks whether its sender is a customer.
        minimum = len(verdicts) + acted * (2 if crm else 1)
        return {
            "messages": len(rows),
            "decided": len(verdicts),
            "acted": acted,
            "calls": used,
            "minimum": minimum,
            "ratio": used / minimum,
        }
    finally:
        hub.close()


def burst(db_dir: Path, size: int) -> dict[str, float]:
    hub = build(f"sqlite:///{db_dir / 'burst.db'}", clock=FakeClock())
    try:
        portal = hub.install()
        inbox = portal.inboxes[0].id
        hub.policies.set(portal.portal_id, inbox, "archive")
        rows = corpus()
        for n in range(size):
            send(hub, portal.portal_id, rows[n % len(rows)], inbox, n)
        wall = time.perf_counter()
        hub.deliver()  # every webhook in, stored durably (signed POSTs of up to 100 events)
        hub.worker.drain()
        while hub.events.counts().get("pending"):  # retries, if any, come due on the clock
            hub.clock.advance(1)
            hub.worker.drain()
        wall = time.perf_counter() - wall
        calls = api_calls(hub)
        first, last = min(t for *_, t in calls), max(t for *_, t in calls)
        elapsed = last - first
        allowed = (math.ceil(len(calls) / LIMIT) - 1) * WINDOW
        counts = hub.events.counts()
        decided = len(hub.verdicts.all_for_portal(portal.portal_id))
        return {
            "messages": size,
            "decided": decided,
            "lost": size - decided,
            "events": sum(counts.values()),
            "failed_or_pending": counts.get("failed", 0) + counts.get("pending", 0),
            "calls": len(calls),
            "http_429": sum(1 for _, status, _ in calls if status == 429),
            "simulated_drain_s": elapsed,
            "allowed_s": allowed,
            "ratio": elapsed / allowed if allowed else 1.0,
            "wall_s": wall,
        }
    finally:
        hub.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a 1,000-message burst")
    parser.add_argument("--burst", type=int, default=None, help="burst size (default 5000)")
    args = parser.parse_args()
    size = args.burst or (1000 if args.quick else 5000)
    with tempfile.TemporaryDirectory() as tmp:
        print("HubSpot calls per processed message (inbox-examples, archive + comment inboxes)")
        for crm in (False, True):
            c = calls_per_message(Path(tmp), crm=crm)
            label = "with the CRM scope (known-customer check)" if crm else "conversations only"
            print(f"  {label}:")
            print(
                f"    messages {c['messages']:.0f}, decided {c['decided']:.0f}, "
                f"acted {c['acted']:.0f}; calls {c['calls']:.0f} vs minimum {c['minimum']:.0f}: "
                f"ratio {c['ratio']:.3f}  (target <= 1.10)"
            )
        b = burst(Path(tmp), size)
        print(f"Burst of {size} inbound messages into one portal (110 requests / 10 s)")
        print(
            f"  decided {b['decided']:.0f}, lost {b['lost']:.0f}, events {b['events']:.0f}, "
            f"failed or pending {b['failed_or_pending']:.0f}, 429 responses {b['http_429']:.0f}"
        )
        print(
            f"  {b['calls']:.0f} calls drained in {b['simulated_drain_s']:.1f} s simulated vs "
            f"{b['allowed_s']:.1f} s the limit allows: ratio {b['ratio']:.3f}  (target <= 1.15)"
        )
        print(f"  (wall time for the whole burst on this machine: {b['wall_s']:.1f} s)")


if __name__ == "__main__":
    main()
