"""`hubguard` commands for the inbox pipeline: the demo and a stand-alone worker."""

from __future__ import annotations

from pathlib import Path

import typer


def demo(
    report: Path | None = typer.Option(None, "--report", help="write the JSON report here"),
    exit_after: bool = typer.Option(False, "--exit", help="exit after the summary"),
    limit: int | None = typer.Option(None, help="replay only the first N sample messages"),
    port: int = typer.Option(0, help="hubguard's port (0: any free port)"),
    emulator_port: int = typer.Option(0, help="the emulator's port (0: any free port)"),
    data_dir: Path = typer.Option(
        Path.home() / ".hubguard" / "demo", help="where the demo keeps its key and database"
    ),
    timeout: float = typer.Option(600.0, help="give up waiting after this many seconds"),
) -> None:
    """Emulator + hubguard + a real OAuth install + a replayed, labelled inbox; then a summary."""
    from hubguard.demo.console import run_demo
    from hubguard.demo.run import DemoOptions

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


def worker() -> None:
    """Process stored webhook events (and poll, refresh, purge) without serving HTTP."""
    import signal
    import threading

    from hubguard.cli.admin import _services

    services = _services("worker")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    services.pipeline.start()
    try:
        while not stop.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        services.close()


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    app.command()(demo)
    app.command()(worker)
