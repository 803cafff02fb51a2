"""Hostile or broken input always gets a verdict (API) or a per-line error (CLI), quickly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hubguard.cli import app
from hubguard.spam import MessageInput, SpamFilter
from hubguard.spam.ingest import parse_email

HTML_BOMB = "<div>" * 200_000 + "<a href='http://x.example'>" * 20_000 + "text"
CASES = {
    "empty": MessageInput(text=""),
    "whitespace": MessageInput(text=" \n\t ", subject="   "),
    "megabytes": MessageInput(text="lorem ipsum dolor sit amet " * 200_000, subject="x" * 100_000),
    "binary": MessageInput(text=bytes(range(256)).decode("latin-1") * 2000),
    "surrogates": MessageInput(text="broken \ud800 surrogate \udfff text", subject="\udcff"),
    "html_bomb": MessageInput(text="", html=HTML_BOMB),
    "unclosed_tags": MessageInput(text="", html="<a href=" + "x" * 500_000),
    "odd_channel": MessageInput(text="hi", channel="WHATSAPP", from_email="@@@"),
    "weird_sender": MessageInput(text="hi", from_email="a@b@c..d", from_name="\x00\x01"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_hostile_message_gets_a_verdict(spam_filter: SpamFilter, name: str) -> None:
    verdict = spam_filter.classify(CASES[name])
    assert 0.0 <= verdict.spam_probability <= 1.0
    assert all(isinstance(reason, str) and reason for reason in verdict.reasons)


def test_hostile_batch_keeps_order_and_length(spam_filter: SpamFilter) -> None:
    messages = list(CASES.values())
    verdicts = spam_filter.classify_batch(messages)
    assert len(verdicts) == len(messages)
    assert verdicts == [spam_filter.classify(m) for m in messages]


def test_malformed_mime_still_yields_text() -> None:
    raw = (
        b"From: =?utf-8?q?broken?= <a@b.example>\r\nSubject: =?x-unknown?B?!!!?=\r\n"
        b'Content-Type: multipart/mixed; boundary="zz"\r\n\r\n--zz\r\n'
        b"Content-Type: text/plain; charset=no-such-charset\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n!!!notbase64 hello\r\n--zz\r\n"
        b"Content-Type: application/octet-stream; name=x.bin\r\n\r\n\x00\x01\x02\xff\r\n"
        b"--zz"  # never closed
    )
    msg = parse_email(raw)
    assert msg.from_email == "a@b.example"
    assert isinstance(msg.text, str)


def test_cli_reports_bad_lines_and_loses_none(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "ok1", "text": "where is my order?"}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"id": "badtype", "text": 12}),
        "",
        json.dumps({"id": "ok2", "text": "", "html": HTML_BOMB[:50_000]}),
        json.dumps({"text": "no id here"}),
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n")
    eml = tmp_path / "bad.eml"
    eml.write_bytes(b"\xff\xfe\x00garbage without headers\x00" * 1000)
    result = CliRunner().invoke(app, ["classify", str(source), str(eml)])
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == [
        "ok1",
        f"{source}:2",
        f"{source}:3",
        "badtype",
        "ok2",
        f"{source}:7",
        str(eml),
    ]
    assert "error" in out[1]
    assert "error" in out[2]
    assert "error" in out[3]
    assert {"spam_probability", "is_spam", "category", "reasons", "model"} <= set(out[0])
    assert "spam_probability" in out[6]
