"""`hubguard policy` and `hubguard review`: the admin API's policies and review digest, offline."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hubguard.cli import app as cli
from hubguard.clock import FakeClock
from hubguard.db import create_engine, migrate
from hubguard.inbox.verdicts import Action, ActionState, VerdictRecord, VerdictStore
from hubguard.vault.crypto import new_master_key_line

DAY = 86_400.0


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"HUBGUARD_DATA_DIR": str(tmp_path), "HUBGUARD_MASTER_KEYS": new_master_key_line()}


def test_policy_lists_sets_and_refuses_bad_input(env: dict[str, str], tmp_path: Path) -> None:
    runner = CliRunner()
    listed = runner.invoke(cli, ["policy", "--portal", "5"], env=env)
    assert listed.exit_code == 0, listed.output
    assert listed.output.strip() == "inboxes without a policy: shadow at the model's threshold"

    set_args = ["policy", "--portal", "5", "--inbox", "9", "--mode", "archive"]
    done = runner.invoke(cli, [*set_args, "--category", "newsletter=shadow"], env=env)
    assert done.exit_code == 0, done.output
    assert "inbox 9: archive, threshold model newsletter=shadow" in done.output

    for bad, says in (
        (["--category", "bulk=shadow"], "valid categories"),
        (["--category", "newsletter"], "CATEGORY=MODE"),
        (["--threshold", "1.5"], "between 0 and 1"),
    ):
        refused = runner.invoke(cli, [*set_args, *bad], env=env)
        assert refused.exit_code == 2
        assert says in refused.output
    half = runner.invoke(cli, ["policy", "--portal", "5", "--inbox", "9"], env=env)
    assert half.exit_code == 2
    # Nothing refused was written: the policy is still the one set above.
    again = runner.invoke(cli, ["policy", "--portal", "5"], env=env)
    assert "inbox 9: archive, threshold model newsletter=shadow" in again.output

    audited = runner.invoke(cli, ["audit", "--json", "--anchor", str(tmp_path / "a")], env=env)
    assert json.loads(audited.stdout)["audit_log"]["entries"] == 1  # the one change, by "cli"


def test_review_lists_archived_threads_due_and_exits_1(env: dict[str, str], tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'hubguard.db'}")
    migrate(engine)
    store = VerdictStore(engine, clock=FakeClock(time.time() - 25 * DAY))
    stored, _ = store.record(
        VerdictRecord(
            portal_id=5,
            thread_id="t1",
            message_id="m1",
            inbox_id="9",
            channel="EMAIL",
            sender="winner@lotto-winner.biz",
            sender_name=None,
            sender_actor=None,
            subject="Claim your prize",
            score=0.99,
            is_spam=True,
            category="phishing",
            reasons=("phrases typical of prize scams",),
            model="hubguard-linear.v3",
            threshold=0.97,
            mode="archive",
            action=Action.ARCHIVE,
            action_state=ActionState.INTENDED,
        )
    )
    store.set_action_state(stored.id, ActionState.DONE)  # archived 25 days ago
    engine.dispose()

    runner = CliRunner()
    due = runner.invoke(cli, ["review", "--portal", "5"], env=env)
    assert due.exit_code == 1
    assert "1 archived thread(s) will be deleted by HubSpot within 7 days" in due.output
    assert f"verdict {stored.id}: deleted" in due.output
    assert "phishing 0.99, from winner@lotto-winner.biz: Claim your prize" in due.output
    as_json = runner.invoke(cli, ["review", "--portal", "5", "--json"], env=env)
    [item] = json.loads(as_json.stdout)["due"]
    assert item["days_left"] == pytest.approx(5.0, abs=0.01)
    assert runner.invoke(cli, ["review", "--portal", "6"], env=env).exit_code == 0
    assert (
        runner.invoke(cli, ["review", "--portal", "5", "--within-days", "4"], env=env).exit_code
        == 0
    )


def test_keys_rotate_rewraps_the_audit_key_so_the_old_master_key_can_go(tmp_path: Path) -> None:
    old, new = new_master_key_line(), new_master_key_line()
    data = {"HUBGUARD_DATA_DIR": str(tmp_path)}
    runner = CliRunner()
    changed = ["policy", "--portal", "5", "--inbox", "9", "--mode", "comment"]
    assert runner.invoke(cli, changed, env={**data, "HUBGUARD_MASTER_KEYS": old}).exit_code == 0

    both = {**data, "HUBGUARD_MASTER_KEYS": f"{new},{old}"}
    rotated = runner.invoke(cli, ["keys", "rotate"], env=both)
    assert rotated.exit_code == 0, rotated.output
    new_id = new.split(":", 1)[0]
    assert f"re-wrapped 0 data key(s) under master key {new_id}" in rotated.output
    assert "the audit key are now wrapped by" in rotated.output

    def check(keys: str) -> dict[str, object]:
        anchor = tmp_path / "anchor.json"
        anchor.unlink(missing_ok=True)
        result = runner.invoke(
            cli,
            ["audit", "--json", "--anchor", str(anchor)],
            env={**data, "HUBGUARD_MASTER_KEYS": keys},
        )
        log: dict[str, object] = json.loads(result.stdout)["audit_log"]
        return log

    after = check(new)  # the old master key retired: the log still verifies
    assert after["ok"] is True
    assert after["entries"] == 3  # the policy change, the audit key's re-wrap, the rotation
    only_old = check(old)  # only the retired key: the seals cannot be checked
    assert only_old["ok"] is False
    assert "HUBGUARD_MASTER_KEYS" in str(only_old["problem"])


def test_lists_adds_removes_refuses_and_audits(env: dict[str, str], tmp_path: Path) -> None:
    runner = CliRunner()
    empty = runner.invoke(cli, ["lists", "--portal", "5"], env=env)
    assert empty.output.splitlines() == ["allow: (empty)", "block: (empty)"]
    args = ["lists", "--portal", "5", "--allow", "Ann@Shop.Example", "--block", "@spam.example"]
    done = runner.invoke(cli, args, env=env)
    assert done.exit_code == 0, done.output
    assert done.output.splitlines() == ["allow: ann@shop.example", "block: spam.example"]
    for bad in ("not an address", "shop", "a@b@c.example", "x" * 300 + ".example"):
        refused = runner.invoke(cli, ["lists", "--portal", "5", "--block", bad], env=env)
        assert refused.exit_code == 2
        assert "is not an e-mail address or a domain" in refused.output
    gone = runner.invoke(cli, ["lists", "--portal", "5", "--remove", "spam.example"], env=env)
    assert gone.output.splitlines() == ["allow: ann@shop.example", "block: (empty)"]
    audited = runner.invoke(cli, ["audit", "--json", "--anchor", str(tmp_path / "a")], env=env)
    assert json.loads(audited.stdout)["audit_log"]["entries"] == 3  # two additions, one removal
    engine = create_engine(f"sqlite:///{tmp_path / 'hubguard.db'}")
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("select detail from vault_audit_log").all()
    engine.dispose()
    assert "ann@" not in repr(rows)  # the audit log names the domain, never the person
