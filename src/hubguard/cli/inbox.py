"""`hubguard` commands for the inbox pipeline: the demo, a stand-alone worker, inbox policies
and the review digest (what the admin API offers, for admins without a dashboard)."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import typer


def demo(
    report: Path | None = typer.Option(None, "--report", help="write the JSON report here"),
    exit_after: bool = typer.Option(False, "--exit", help="exit after the summary"),
    limit: int | None = typer.Option(None, min=1, help="replay only the first N sample messages"),
    port: int = typer.Option(0, help="hubguard's port (0: any free port)"),
    emulator_port: int = typer.Option(0, help="the emulator's port (0: any free port)"),
    data_dir: Path | None = typer.Option(
        None,
        help="where the demo keeps its key and database [default: $HUBGUARD_DATA_DIR/demo]",
    ),
    timeout: float = typer.Option(600.0, help="give up waiting after this many seconds"),
) -> None:
    """Emulator + hubguard + a real OAuth install + a replayed, labelled inbox; then a summary."""
    from hubguard.demo.console import run_demo
    from hubguard.demo.run import DemoOptions

    if data_dir is None:
        from hubguard.config import Settings

        # Only the data directory is taken: the demo brings its own HubSpot and settings.
        data_dir = Settings.load().data_dir / "demo"
    options = DemoOptions(
        data_dir=data_dir.expanduser(),
        limit=limit,
        port=port,
        emulator_port=emulator_port,
        timeout_seconds=timeout,
    )
    ok = run_demo(options, report_path=report, exit_after=exit_after)
    if not ok:
        raise typer.Exit(1)


def worker(
    concurrency: int = typer.Option(
        4, min=1, max=64, help="with a broker: tasks run at once in this process (threads)"
    ),
) -> None:
    """Process stored webhook events (and poll, refresh, purge) without serving HTTP.

    With HUBGUARD_BROKER_URL set it also takes the receiver's tasks from the broker; run as
    many as needed. Every worker sweeps the events table too, so nothing waits on a lost
    message."""
    import os
    import signal
    import socket
    import threading

    from hubguard.cli.admin import _services

    services = _services("worker", sole_worker=False)
    services.pipeline.start()  # the sweep of the events table, retries and maintenance
    try:
        if services.celery is not None:
            # Celery's worker blocks here and shuts down warmly on SIGTERM / Ctrl-C.
            celery_worker = services.celery.Worker(
                # Unique per process: two workers on one host must not share a node name (the
                # broker refuses the second's control queue).
                hostname=f"hubguard-{os.getpid()}@{socket.gethostname()}",
                pool="threads",
                concurrency=concurrency,
                without_gossip=True,
                without_mingle=True,
                loglevel=services.settings.log_level,
            )
            celery_worker.start()
            if celery_worker.exitcode:
                # Celery stopped on an unrecoverable error: say so, so a supervisor restarts
                # the worker (its own CLI exits with this code too).
                raise typer.Exit(celery_worker.exitcode)
            return
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        while not stop.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        services.close()


def policy(
    portal: int = typer.Option(..., min=1, max=2**63 - 1, help="the HubSpot portal (account) id"),
    inbox: str | None = typer.Option(None, help="the inbox to set (omit to list the portal's)"),
    mode: str | None = typer.Option(None, help="shadow, comment, close or archive"),
    threshold: float | None = typer.Option(None, help="spam threshold (default: the model's)"),
    category: list[str] = typer.Option(
        [], "--category", help="CATEGORY=MODE, overriding the mode for one spam category"
    ),
) -> None:
    """List a portal's inbox policies, or set one inbox's (recorded in the audit log)."""
    import re

    from hubguard.cli.admin import _services
    from hubguard.errors import ConfigError
    from hubguard.inbox.policies import audit_change
    from hubguard.web.params import ID_DIGITS

    if (inbox is None) != (mode is None):
        typer.echo("hubguard policy: give --inbox and --mode together to set a policy", err=True)
        raise typer.Exit(2)
    overrides: dict[str, str] = {}
    for item in category:
        name, sep, value = item.partition("=")
        if not sep:
            typer.echo(f"hubguard policy: --category wants CATEGORY=MODE, got {item!r}", err=True)
            raise typer.Exit(2)
        overrides[name.strip()] = value.strip()
    services = _services("cli")
    try:
        store = services.pipeline.policies
        if inbox is not None and mode is not None:
            if not re.fullmatch(ID_DIGITS, inbox):  # as the API and dashboard require
                typer.echo("hubguard policy: --inbox is HubSpot's inbox id, a number", err=True)
                raise typer.Exit(2)
            try:
                changed = store.set(
                    portal, inbox, mode, threshold, category_modes=overrides, actor="cli"
                )
            except ConfigError as exc:
                typer.echo(f"hubguard policy: {exc}", err=True)
                raise typer.Exit(2) from None
            audit_change(services.vault, changed, "cli")
        rows = store.for_portal(portal)
    finally:
        services.close()
    typer.echo("inboxes without a policy: shadow at the model's threshold")
    for p in rows:
        extra = " ".join(f"{c}={m}" for c, m in p.category_mode_names().items())
        cut = "model" if p.threshold is None else f"{p.threshold:g}"
        typer.echo(f"inbox {p.inbox_id}: {p.mode.value}, threshold {cut} {extra}".rstrip())


def lists(
    portal: int = typer.Option(..., min=1, max=2**63 - 1, help="the HubSpot portal (account) id"),
    allow: list[str] = typer.Option([], "--allow", help="never flag this address or domain"),
    block: list[str] = typer.Option([], "--block", help="always flag this address or domain"),
    remove: list[str] = typer.Option([], "--remove", help="take an entry off both lists"),
) -> None:
    """Show a portal's allow and block lists, after any changes given (each audited)."""
    from hubguard.cli.admin import _services
    from hubguard.errors import ConfigError
    from hubguard.inbox.sender_lists import ListKind, SenderLists

    services = _services("cli")
    try:
        editor = SenderLists(services.spam, services.vault)
        try:
            for kind, entries in ((ListKind.ALLOW, allow), (ListKind.BLOCK, block)):
                for entry in entries:
                    editor.put(portal, entry, kind, "cli")
            for entry in remove:
                if not editor.remove(portal, entry, "cli"):
                    typer.echo(f"hubguard lists: {entry!r} was on neither list", err=True)
        except ConfigError as exc:
            typer.echo(f"hubguard lists: {exc}", err=True)
            raise typer.Exit(2) from None
        shown = editor.show(portal)
    finally:
        services.close()
    for name, entries in shown.items():
        typer.echo(f"{name}: " + (", ".join(entries) or "(empty)"))


def review(
    portal: int = typer.Option(..., min=1, max=2**63 - 1, help="the HubSpot portal (account) id"),
    within_days: float = typer.Option(7.0, min=0.01, max=30.0, help="look this far ahead"),
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
) -> None:
    """Archived threads nobody reviewed that HubSpot deletes for good soon. Exit 1 if any."""
    from hubguard.cli.admin import _services
    from hubguard.inbox.review import review_digest

    services = _services("cli")
    try:
        digest = review_digest(
            services.pipeline.verdicts, portal, services.clock.now(), within_days
        )
    finally:
        services.close()
    if as_json:
        json.dump(digest.as_json(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        typer.echo(digest.summary())
        for item in digest.items:
            v = item.verdict
            when = datetime.fromtimestamp(item.deleted_at, UTC).strftime("%Y-%m-%d")
            typer.echo(
                f"  verdict {v.id}: deleted {when} ({item.days_left:.1f} days), "
                f"{v.category or 'spam'} {v.score:.2f}, from {v.sender or v.sender_actor or '?'}: "
                f"{(v.subject or '')[:60]}"
            )
        if digest.items:
            typer.echo(f"restore one: POST /api/portals/{portal}/verdicts/<verdict>/not-spam")
    if digest.items:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    app.command()(demo)
    app.command()(worker)
    app.command()(policy)
    app.command()(lists)
    app.command()(review)
