"""`hubguard` commands for the auth layer: master keys, audit."""

from __future__ import annotations

import typer

keys_app = typer.Typer(help="Master keys that encrypt every secret at rest.", no_args_is_help=True)


@keys_app.command("new")
def keys_new() -> None:
    """Print a new master key, ready to put first in HUBGUARD_MASTER_KEYS."""
    import base64
    import secrets

    key_id = "k" + secrets.token_hex(4)
    material = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    typer.echo(f"{key_id}:{material}")


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    app.add_typer(keys_app, name="keys")
