"""`hubguard classify | learn | eval` end to end, with a real database for portal state."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from hubguard.cli import app

EML = (
    b"From: Julia Kramer <julia@example.org>\r\nSubject: Order 1234\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\nHi, where is my order 1234? Thanks, Julia\r\n"
)
SPAM_EML = (
    b"From: Security <alert@m365-verify-login.xyz>\r\nSubject: Action required\r\n"
    b"Content-Type: text/html\r\n\r\n<p>Your mailbox is full. Verify your account within 24 hours"
    b' <a href="http://m365-verify-login.xyz/a">https://outlook.office.com</a></p>\r\n'
)


def _lines(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_classify_eml_mbox_directory_and_stdin(tmp_path: Path) -> None:
    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "a.eml").write_bytes(EML)
    (folder / "b.eml").write_bytes(SPAM_EML)
    mbox = tmp_path / "box.mbox"
    mbox.write_bytes(b"From x@y Mon Jan  1 00:00:00 2024\n" + EML + b"\nFrom z@y Mon\n" + SPAM_EML)
    stdin = json.dumps({"id": "s1", "text": "hello", "channel": "chat"}) + "\n"
    result = CliRunner().invoke(app, ["classify", str(folder), str(mbox), "-"], input=stdin)
    assert result.exit_code == 0, result.output
    out = _lines(result.stdout)
    assert [o["id"] for o in out] == [
        str(folder / "a.eml"),
        str(folder / "b.eml"),
        f"{mbox}#1",
        f"{mbox}#2",
        "s1",
    ]
    assert [o["is_spam"] for o in out[:4]] == [False, True, False, True]
    assert out[1]["category"] == "phishing"


def test_learn_then_classify_with_portal(tmp_path: Path) -> None:
    env = {"HUBGUARD_DATABASE_URL": f"sqlite:///{tmp_path / 'h.db'}"}
    lines = [
        {
            "id": f"p{n}",
            "label": "spam",
            "from": f"sales@bagmaker{n}.de",
            "text": f"We are a small roastery, batch {n}: would you stock our beans? Samples?",
        }
        for n in range(4)
    ]
    feedback = tmp_path / "fb.jsonl"
    feedback.write_text("\n".join(json.dumps(x) for x in lines) + "\n{broken\n")
    runner = CliRunner()
    learned = runner.invoke(app, ["learn", "--portal", "5", str(feedback)], env=env)
    assert learned.exit_code == 0, learned.output
    assert "learned 4 spam, 0 ham; 1 line(s) skipped" in learned.stderr
    # A probe the global model does not already saturate near 1.0 (so the shift is visible).
    probe = json.dumps({"id": "q", "text": "We are a small roastery: would you stock our beans?"})
    mine = _lines(
        runner.invoke(app, ["classify", "--portal", "5", "-"], input=probe, env=env).stdout
    )
    other = _lines(
        runner.invoke(app, ["classify", "--portal", "6", "-"], input=probe, env=env).stdout
    )
    assert mine[0]["spam_probability"] > other[0]["spam_probability"]  # type: ignore[operator]


def test_eval_writes_metrics_and_pictures(tmp_path: Path) -> None:
    rows = [
        {"id": "1", "label": "ham", "text": "Where is my order 5512? It was due on Monday."},
        {"id": "2", "label": "spam", "text": "Guest post with do-follow backlinks, DA 50, $80."},
        {
            "id": "3",
            "label": "ham",
            "text": "Can I return the kettle? It leaks.",
            "channel": "CHAT",
        },
        {
            "id": "4",
            "label": "spam",
            "text": "Verify your account within 24 hours http://a.xyz",
            "channel": "CHAT",
        },
    ]
    data = tmp_path / "d.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in rows))
    report = tmp_path / "report"
    result = CliRunner().invoke(app, ["eval", "--data", str(data), "--report", str(report)])
    assert result.exit_code == 0, result.output
    metrics = json.loads((report / "metrics.json").read_text())
    assert metrics["all"]["auc"] == 1.0
    assert set(metrics) >= {"all", "channel/EMAIL", "channel/CHAT", "model"}
    for picture in ("roc.png", "histograms.png", "calibration.png"):
        assert (report / picture).read_bytes()[:4] == b"\x89PNG"
