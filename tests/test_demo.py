"""`hubguard demo --exit --report FILE`, end to end: every replayed message is processed."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from hubguard.cli import app
from hubguard.demo.sample import load_sample


def test_demo_processes_every_message_and_reports(tmp_path: Path) -> None:
    report_path = tmp_path / "r.json"
    result = CliRunner().invoke(
        app,
        ["demo", "--exit", "--report", str(report_path), "--data-dir", str(tmp_path / "d")],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(report_path.read_text())
    sample = load_sample()
    assert report["messages_injected"] == len(sample) == 150
    assert report["messages_processed"] == report["messages_injected"]
    assert report["spam_caught"] + report["spam_missed"] == report["spam_total"]
    assert report["spam_total"] == sum(1 for m in sample if m.label == "spam")
    assert report["http_429_seen"] == 0
    assert set(report["actions"]) <= {"none", "comment", "close", "archive"}
    assert report["actions"].get("archive", 0) > 0  # Support archives
    assert report["actions"].get("comment", 0) > 0  # Sales comments
    assert report["latency_seconds"]["p99"] is not None
    # The demo's own key file is private.
    assert (tmp_path / "d" / "master.key").stat().st_mode & 0o077 == 0
