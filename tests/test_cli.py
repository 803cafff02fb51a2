from __future__ import annotations

from typer.testing import CliRunner

from hubguard.cli import app


def test_help_lists_the_command_line() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "hubguard" in result.output.lower() or "Usage" in result.output


def test_version() -> None:
    from hubguard import __version__

    result = CliRunner().invoke(app, ["version"])
    assert result.exit_code == 0
    assert result.output.strip() == __version__


def test_keys_new_prints_a_32_byte_key_with_an_id() -> None:
    import base64

    result = CliRunner().invoke(app, ["keys", "new"])
    assert result.exit_code == 0
    key_id, material = result.output.strip().split(":")
    assert key_id.startswith("k")
    assert len(base64.urlsafe_b64decode(material)) == 32
