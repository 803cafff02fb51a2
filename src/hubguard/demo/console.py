"""The demo on a terminal: live progress while the inbox is replayed, then a summary."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from hubguard.demo.run import POLICIES, DemoOptions, DemoRun, write_report
from hubguard.demo.sample import load_sample

__all__ = ["run_demo"]


def run_demo(options: DemoOptions, *, report_path: Path | None, exit_after: bool) -> bool:
    """Run the demo; True when every injected message was processed."""
    console = Console(stderr=True)
    messages = load_sample(options.limit)
    with DemoRun(options) as run:
        console.print(
            f"[bold]hubguard demo[/]: HubSpot emulator at {run.emulator_url}, "
            f"hubguard at {run.public_url}"
        )
        run.install()
        console.print(f"installed on portal {run.portal.portal_id} through the OAuth flow")
        inboxes = run.set_policies()
        console.print(
            "policies: " + ", ".join(f"{name} -> {mode}" for name, mode in POLICIES.items())
        )
        started = run.clock.monotonic()
        run.inject(messages, inboxes)
        total = len(run.injected)
        waiter = threading.Event()
        with Progress(
            TextColumn("[bold]processing"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[tally]}"),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            task = progress.add_task("replay", total=total, tally="")
            while True:
                done = run.processed()
                progress.update(task, completed=done, tally=_tally(run))
                if done >= total or run.clock.monotonic() - started > options.timeout_seconds:
                    break
                waiter.wait(0.25)
        report = run.report(run.clock.monotonic() - started)
        _summary(console, report)
        if report_path is not None:
            write_report(report, report_path)
            console.print(f"report written to {report_path}")
        if not exit_after:
            console.print(
                f"\nStill serving. hubguard: {run.public_url}  HubSpot emulator: "
                f"{run.emulator_url}\nDashboard: {run.public_url}/dashboard (sign in with "
                "HubSpot: the emulator's consent page, Approve)\n"
                f"Admin API token (this run only): {run.admin_token}\n"
                f"Try: curl -H 'Authorization: Bearer <token>' "
                f"{run.public_url}/api/portals/{run.portal.portal_id}/verdicts?spam_only=true\n"
                "Press Ctrl-C to stop."
            )
            with contextlib.suppress(KeyboardInterrupt):
                threading.Event().wait()
    return bool(report["messages_processed"] == report["messages_injected"])


def _tally(run: DemoRun) -> str:
    _, flagged, acted = run.services.pipeline.verdicts.tally(run.portal.portal_id)
    return f"flagged {flagged}  acted {acted}"


def _summary(console: Console, report: dict[str, Any]) -> None:
    table = Table(title="hubguard demo: summary", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    latency = report["latency_seconds"]
    rows = [
        (
            "messages injected / processed",
            f"{report['messages_injected']} / {report['messages_processed']}",
        ),
        (
            "spam caught / missed",
            f"{report['spam_caught']} / {report['spam_missed']} (of {report['spam_total']})",
        ),
        ("legitimate messages flagged", f"{report['ham_flagged']} (of {report['ham_total']})"),
        ("real messages wrongly acted on", str(report["real_messages_wrongly_acted_on"])),
        ("actions", ", ".join(f"{k} {v}" for k, v in report["actions"].items())),
        ("HubSpot API calls per message", str(report["hubspot_api_calls_per_message"])),
        ("429s seen", str(report["http_429_seen"])),
        ("latency arrival -> action p50 / p99", f"{latency['p50']} s / {latency['p99']} s"),
        ("elapsed", f"{report['elapsed_seconds']} s"),
    ]
    for what, value in rows:
        table.add_row(what, value)
    console.print(table)
