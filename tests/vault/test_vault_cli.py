"""`hubguard keys rotate` against a configured database."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner
from vault_helpers import KEY_A, KEY_B, installation, tokens

from hubguard.cli import app
from hubguard.config import Secret, Settings
from hubguard.vault.store import SqlTokenVault


def test_keys_rotate_rewraps_under_the_new_first_key(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    old = SqlTokenVault.from_settings(
        Settings.load({}, database_url=url, master_keys=Secret(KEY_A))
    )
    old.save_oauth_installation(installation(1, 0.0), tokens("cli", 100.0))
    old.engine.dispose()

    env = {"HUBGUARD_DATABASE_URL": url, "HUBGUARD_MASTER_KEYS": f"{KEY_B},{KEY_A}"}
    result = CliRunner().invoke(app, ["keys", "rotate"], env=env)
    assert result.exit_code == 0, result.output
    assert "re-wrapped 1 data key(s) under master key kb" in result.output
    assert "(ka) can be removed" in result.output

    new = SqlTokenVault.from_settings(
        Settings.load({}, database_url=url, master_keys=Secret(KEY_B))
    )
    try:
        assert new.credentials(1).access_token is not None
        assert new.audit_log()[-1].actor == "cli"
    finally:
        new.engine.dispose()


def test_keys_rotate_without_keys_says_how_to_make_one(tmp_path: Path) -> None:
    env = {"HUBGUARD_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "HUBGUARD_MASTER_KEYS": ""}
    result = CliRunner().invoke(app, ["keys", "rotate"], env=env)
    assert result.exit_code == 1
    assert "hubguard keys new" in result.output
    assert not (tmp_path / "x.db").exists()  # refused before touching the database


def test_keys_rotate_names_a_missing_old_key(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    old = SqlTokenVault.from_settings(
        Settings.load({}, database_url=url, master_keys=Secret(KEY_A))
    )
    old.save_oauth_installation(installation(1, 0.0), tokens("cli", 100.0))
    old.engine.dispose()
    env = {"HUBGUARD_DATABASE_URL": url, "HUBGUARD_MASTER_KEYS": KEY_B}
    result = CliRunner().invoke(app, ["keys", "rotate"], env=env)
    assert result.exit_code == 1
    assert "'ka' is not configured" in result.output
