"""`hubguard` commands to run the app and administer portals: serve, audit, connect, uninstall."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import typer


def _when(epoch: float | None) -> str:
    if epoch is None:
        return "-"
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M:%SZ")


def _services(actor: str, *, sole_worker: bool = True):  # type: ignore[no-untyped-def]
    from hubguard.config import Settings
    from hubguard.errors import ConfigError
    from hubguard.logs import configure_logging
    from hubguard.services import Services

    try:
        settings = Settings.load()
        configure_logging(settings.log_level)
        return Services.build(settings, actor=actor, sole_worker=sole_worker)
    except ConfigError as exc:
        typer.echo(f"hubguard: {exc}", err=True)
        raise typer.Exit(2) from None


def serve(
    host: str = typer.Option("127.0.0.1", help="interface to listen on"),
    port: int = typer.Option(8000, help="port to listen on"),
) -> None:
    """Serve the web app (install flow, dashboard, webhooks, API) with the embedded worker
    (without it when a broker is set: then `hubguard worker` processes do the work)."""
    import uvicorn

    from hubguard.web.app import create_app

    # Not the sole worker: `hubguard worker` processes may run beside it on the same events.
    services = _services("web", sole_worker=False)
    try:
        uvicorn.run(create_app(services), host=host, port=port, log_config=None)
    finally:
        services.close()


def audit(
    as_json: bool = typer.Option(False, "--json", help="machine-readable output"),
    check: bool = typer.Option(False, "--check", help="one live call per portal"),
    anchor: Path | None = typer.Option(
        None,
        "--anchor",
        help="also verify the audit log's hash chain against the head kept in this file "
        "(outside the database), then advance the file to the current head",
    ),
) -> None:
    """Installations, token health, and granted vs needed scopes. Exit 1 if any is unhealthy."""
    from rich.console import Console
    from rich.table import Table

    from hubguard.audit import audit_installations, verify_log_with_anchor

    services = _services("cli")
    try:
        report = audit_installations(services.vault, services.hubspot, check=check)
        chain = verify_log_with_anchor(services.vault, anchor) if anchor else None
    finally:
        services.close()
    if as_json:
        data: dict[str, object] = {"portals": [p.to_json() for p in report]}
        if chain is not None:
            data["audit_log"] = chain.to_json()
        json.dump(data, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        table = Table(title=f"hubguard audit: {len(report)} installation(s)")
        for column in (
            "portal",
            "auth",
            "status",
            "token expires",
            "last refresh",
            "failures",
            "unused scopes",
            "missing scopes",
            "check",
            "re-consent",
        ):
            table.add_column(column, overflow="fold")  # cron and pipes: wrap, never cut ids
        for p in report:
            table.add_row(
                str(p.portal_id),
                p.auth_type,
                p.status,
                _when(p.access_expires_at),
                _when(p.last_refresh_at),
                str(p.refresh_failures),
                " ".join(p.scopes.unused) or "-",
                " ".join(p.scopes.missing) or "-",
                p.check or "-",
                p.reconsent_url or "-",
            )
        Console().print(table)
        if chain is not None:
            typer.echo(chain.summary())
    if not all(p.healthy for p in report) or (chain is not None and not chain.ok):
        raise typer.Exit(1)


def connect(
    portal: int = typer.Option(..., min=1, max=2**63 - 1, help="the HubSpot portal (account) id"),
    scopes: str = typer.Option("", help="space-separated scopes the key was given"),
) -> None:
    """Connect one portal with a service key, read from standard input (never an argument)."""
    from hubguard.config import Secret
    from hubguard.errors import HubguardError
    from hubguard.portals import connect_service_key

    key = sys.stdin.readline().strip()
    if not key:
        typer.echo("hubguard connect: pipe the service key on standard input", err=True)
        raise typer.Exit(2)
    services = _services("cli")
    try:
        connect_service_key(
            services.vault, services.hubspot, portal, Secret(key), scopes.split() or None
        )
    except HubguardError as exc:
        typer.echo(f"hubguard connect: {exc}", err=True)
        raise typer.Exit(1) from None
    finally:
        services.close()
    typer.echo(f"portal {portal} connected with a service key")


def uninstall(
    portal: int = typer.Option(..., min=1, max=2**63 - 1, help="the HubSpot portal (account) id"),
) -> None:
    """Revoke the grant at HubSpot and erase everything hubguard keeps about the portal."""
    from hubguard.errors import HubguardError
    from hubguard.models import AuthType

    services = _services("cli")
    try:
        found = services.vault.get(portal)
        revoked = services.uninstall(portal)
    except HubguardError as exc:
        typer.echo(f"hubguard uninstall: {exc}", err=True)
        raise typer.Exit(1) from None
    finally:
        services.close()
    if found is not None and found.auth_type is AuthType.SERVICE_KEY:
        # No API revokes a service key: it stays valid at HubSpot until someone deletes it there.
        outcome = (
            "service key erased here; delete it in HubSpot too (Settings > Integrations > "
            "Service Keys), where it stays valid"
        )
    else:
        outcome = "grant revoked at HubSpot" if revoked else "HubSpot did not confirm the revoke"
    typer.echo(f"portal {portal} uninstalled; {outcome}")


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    app.command()(serve)
    app.command()(audit)
    app.command()(connect)
    app.command()(uninstall)
