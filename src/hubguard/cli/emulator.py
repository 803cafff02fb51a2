"""`hubguard emulator ...`: run the HubSpot emulator on its own port."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    group = typer.Typer(help="The bundled HubSpot emulator.", no_args_is_help=True)

    @group.command("serve")
    def serve(
        port: Annotated[int, typer.Option("--port", "-p", help="TCP port to listen on.")] = 8025,
        host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
        seed: Annotated[int, typer.Option(help="Seed for ids, tokens and retry jitter.")] = 0,
        access_token_ttl: Annotated[
            int, typer.Option(help="expires_in of issued access tokens.")
        ] = 1800,
        rotate_refresh_tokens: Annotated[
            bool, typer.Option(help="Issue a new refresh token on every refresh.")
        ] = False,
        retry_after: Annotated[
            bool, typer.Option(help="Send Retry-After on 429 (UNCONFIRMED for HubSpot).")
        ] = True,
        setup: Annotated[
            Path | None,
            typer.Option(
                exists=True,
                dir_okay=False,
                help='JSON file {"apps": [...], "portals": [...]}: bodies of POST '
                "/_emulator/apps and /_emulator/portals to apply at start.",
            ),
        ] = None,
    ) -> None:
        """Serve the emulator over HTTP (control endpoints under /_emulator/)."""
        import json

        from hubguard.emulator import Emulator
        from hubguard.emulator import serve as run

        emulator = Emulator(
            seed=seed,
            access_token_ttl=access_token_ttl,
            rotate_refresh_tokens=rotate_refresh_tokens,
            retry_after_header=retry_after,
        )
        if setup is not None:
            spec = json.loads(setup.read_text(encoding="utf-8"))
            for body in spec.get("apps", []):
                info = emulator.create_app(**body)
                typer.echo(json.dumps({"app": info.to_json()}))
            for body in spec.get("portals", []):
                typer.echo(json.dumps({"portal": emulator.create_portal(**body).to_json()}))
        typer.echo(f"HubSpot emulator on http://{host}:{port} (control API: /_emulator/)")
        run(emulator, host, port)

    app.add_typer(group, name="emulator")
