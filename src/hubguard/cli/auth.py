"""`hubguard` commands for the auth layer: master keys, audit."""

from __future__ import annotations

import typer

keys_app = typer.Typer(help="Master keys that encrypt every secret at rest.", no_args_is_help=True)


@keys_app.command("new")
def keys_new() -> None:
    """Print a new master key, ready to put first in HUBGUARD_MASTER_KEYS."""
    from hubguard.vault.crypto import new_master_key_line

    typer.echo(new_master_key_line())


@keys_app.command("rotate")
def keys_rotate() -> None:
    """Re-wrap every portal's data key, and the audit log's key, under the newest (first) key
    in HUBGUARD_MASTER_KEYS.

    Put the new key first and keep the old ones after it, on every process, then run this.
    It works online, one portal per short transaction. Afterwards the old keys may be removed.
    """
    from hubguard.config import Settings
    from hubguard.errors import ConfigError, VaultError
    from hubguard.vault.store import SqlTokenVault

    try:
        vault = SqlTokenVault.from_settings(Settings.load(), actor="cli")
        try:
            count = vault.rotate_master_key()
        finally:
            vault.engine.dispose()
    except (ConfigError, VaultError) as exc:
        typer.echo(f"hubguard keys rotate: {exc}", err=True)
        raise typer.Exit(1) from None
    newest = vault.keyring.newest.key_id
    typer.echo(f"re-wrapped {count} data key(s) under master key {newest}")
    if len(vault.keyring.key_ids) > 1:
        typer.echo(
            f"every data key and the audit key are now wrapped by {newest}; the older keys "
            f"({', '.join(vault.keyring.key_ids[1:])}) can be removed from HUBGUARD_MASTER_KEYS"
        )


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    app.add_typer(keys_app, name="keys")
