"""`hubguard audit`: installations, token health, over-broad and missing scopes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner
from web_stack import PUBLIC, Stack

from hubguard.audit import audit_installations
from hubguard.cli import app as cli
from hubguard.clock import SystemClock
from hubguard.config import Secret
from hubguard.emulator import Emulator
from hubguard.emulator.server import running
from hubguard.errors import MissingScopesError
from hubguard.portals import connect_service_key, uninstall
from hubguard.vault.crypto import new_master_key_line


def _install(stack: Stack) -> None:
    response = stack.web.get("/oauth/install")
    redirect = stack.emulator.consent(response.headers["location"], stack.portal.portal_id)
    assert stack.web.get(redirect.removeprefix(PUBLIC)).status_code == 200


def test_oauth_install_is_least_privilege_and_healthy(stack: Stack) -> None:
    _install(stack)
    (report,) = audit_installations(stack.services.vault, stack.services.hubspot, check=True)
    assert report.auth_type == "oauth"
    assert report.status == "active"
    assert report.scopes.unused == ()
    assert report.scopes.missing == ()
    assert report.check == "ok"
    assert report.healthy
    assert report.reconsent_url is None


def test_too_much_and_too_little(stack: Stack) -> None:
    broad_portal = stack.emulator.create_portal()
    broad_key = stack.emulator.create_service_key(
        broad_portal.portal_id,
        ["conversations.read", "conversations.write", "crm.objects.deals.write"],
    )
    connect_service_key(
        stack.services.vault,
        stack.services.hubspot,
        broad_portal.portal_id,
        Secret(broad_key),
        ["conversations.read", "conversations.write", "crm.objects.deals.write"],
    )
    narrow_portal = stack.emulator.create_portal()
    narrow_key = stack.emulator.create_service_key(narrow_portal.portal_id, ["conversations.read"])
    connect_service_key(
        stack.services.vault,
        stack.services.hubspot,
        narrow_portal.portal_id,
        Secret(narrow_key),
        ["conversations.read"],
    )
    reports = {
        r.portal_id: r
        for r in audit_installations(stack.services.vault, stack.services.hubspot, check=True)
    }
    broad = reports[broad_portal.portal_id]
    assert broad.scopes.unused == ("crm.objects.deals.write",)
    assert broad.scopes.missing == ()
    assert broad.healthy  # over-broad is a finding to fix, not an outage
    narrow = reports[narrow_portal.portal_id]
    assert narrow.scopes.missing == ("conversations.write",)
    assert not narrow.healthy


def test_runtime_missing_scopes_are_reported(stack: Stack) -> None:
    portal = stack.emulator.create_portal()
    key = stack.emulator.create_service_key(portal.portal_id, ["conversations.read"])
    # The key claims both scopes; HubSpot knows better and says so with a 403.
    connect_service_key(
        stack.services.vault,
        stack.services.hubspot,
        portal.portal_id,
        Secret(key),
        ["conversations.read", "conversations.write"],
    )
    client = stack.services.hubspot.for_portal(portal.portal_id)
    thread = stack.emulator.inbound(portal.portal_id, text="hello", subject="hi")
    with pytest.raises(MissingScopesError):
        client.request(
            "POST",
            f"/conversations/v3/conversations/threads/{thread.thread_id}/messages",
            json={"type": "COMMENT", "text": "note", "attachments": []},
        )
    (report,) = [
        r
        for r in audit_installations(stack.services.vault, stack.services.hubspot)
        if r.portal_id == portal.portal_id
    ]
    assert report.scopes.missing == ("conversations.write",)


def test_revoked_grant_shows_needs_reauth_with_a_reconsent_link(stack: Stack) -> None:
    _install(stack)
    stack.emulator.revoke_grant(stack.portal.portal_id)
    stack.emulator.advance(1801)
    (report,) = audit_installations(stack.services.vault, stack.services.hubspot, check=True)
    assert report.status == "needs_reauth"
    assert report.reconsent_url == f"{PUBLIC}/oauth/install?portal={stack.portal.portal_id}"
    assert not report.healthy


def test_uninstall_revokes_and_erases(stack: Stack) -> None:
    _install(stack)
    assert uninstall(stack.services.vault, stack.services.hubspot, stack.portal.portal_id)
    inst = stack.services.vault.get(stack.portal.portal_id)
    assert inst is not None
    assert inst.status == "uninstalled"
    revokes = [c for c in stack.emulator.calls("/oauth/2026-03/token/revoke")]
    assert len(revokes) == 1
    # Still listed, and no alarm: a cron check must not fail for good after an uninstall.
    [listed] = audit_installations(stack.services.vault, stack.services.hubspot)
    assert (listed.status, listed.healthy) == ("uninstalled", True)


def test_audit_cli_json_against_the_served_emulator(tmp_path: Path) -> None:
    emulator = Emulator(SystemClock())
    try:
        portal = emulator.create_portal()
        key = emulator.create_service_key(portal.portal_id, ["conversations.read"])
        with running(emulator) as base:
            env = {
                "HUBGUARD_DATA_DIR": str(tmp_path),
                "HUBGUARD_MASTER_KEYS": new_master_key_line(),
                "HUBGUARD_HUBSPOT_API_URL": base,
                "HUBGUARD_HUBSPOT_APP_URL": base,
            }
            runner = CliRunner()
            connected = runner.invoke(
                cli,
                ["connect", "--portal", str(portal.portal_id), "--scopes", "conversations.read"],
                input=key + "\n",
                env=env,
            )
            assert connected.exit_code == 0, connected.output
            assert key not in connected.output
            anchor = tmp_path / "anchor.json"
            args = ["audit", "--json", "--check", "--anchor", str(anchor)]
            result = runner.invoke(cli, args, env=env)
            gone = runner.invoke(cli, ["uninstall", "--portal", str(portal.portal_id)], env=env)
            again = runner.invoke(cli, ["uninstall", "--portal", str(portal.portal_id)], env=env)
        assert result.exit_code == 1  # conversations.write is missing: not healthy
        data = json.loads(result.stdout)
        assert data["audit_log"]["ok"] is True
        assert data["audit_log"]["head_seq"] == json.loads(anchor.read_text())["seq"] > 0
        (entry,) = data["portals"]
        assert entry["auth_type"] == "service_key"
        assert entry["scopes"]["missing"] == ["conversations.write"]
        assert entry["check"] == "ok"
        assert key not in result.output
        assert gone.exit_code == 0, gone.output
        assert f"portal {portal.portal_id} uninstalled; service key erased here" in gone.output
        assert "delete it in HubSpot too" in gone.output
        assert again.exit_code == 0  # idempotent: erasing again finds nothing left
        never = runner.invoke(cli, ["uninstall", "--portal", "999"], env=env)
        assert never.exit_code == 1
        assert "hubguard uninstall: portal 999 is not installed" in never.output
    finally:
        emulator.close()


def test_serve_refuses_to_start_without_a_master_key(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["audit"], env={"HUBGUARD_DATA_DIR": str(tmp_path)})
    assert result.exit_code == 2
    assert "hubguard keys new" in result.output
