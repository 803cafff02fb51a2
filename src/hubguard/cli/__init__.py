"""The ``hubguard`` command line. Each area registers its own commands from its own module.

Commands import their heavy dependencies inside the command body, so ``hubguard --help`` and
every command start fast.
"""

from __future__ import annotations

import typer

from hubguard.cli import admin, auth, emulator, inbox, spam
from hubguard.errors import HubguardError

__all__ = ["app", "main"]

app = typer.Typer(
    name="hubguard",
    help="Spam filtering for HubSpot shared inboxes, on a secure HubSpot auth layer.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.command()
def version() -> None:
    """Print hubguard's version."""
    from hubguard import __version__

    typer.echo(__version__)


for area in (admin, emulator, auth, spam, inbox):
    area.register(app)


def main() -> None:
    try:
        app()
    except HubguardError as exc:
        # Ours say what is wrong and never hold a secret: a line, not a traceback.
        typer.echo(f"hubguard: {exc}", err=True)
        raise SystemExit(1) from None
