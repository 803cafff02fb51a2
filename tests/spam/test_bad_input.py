"""Hostile or broken input always gets a verdict (API) or a per-line error (CLI), quickly."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from hubguard.cli import app
from hubguard.spam import MessageInput, SpamFilter, ingest
from hubguard.spam.ingest import iter_items, parse_email

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


def _classify(*args: str, stdin: bytes | None = None) -> list[dict[str, object]]:
    result = CliRunner().invoke(app, ["classify", *args], input=stdin)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_lines_that_once_stopped_the_run_are_one_error_each(tmp_path: Path) -> None:
    # Each of these used to end the run with a traceback, losing every line of its batch.
    lines = [
        json.dumps({"id": "first", "text": "where is my order?"}),
        '{"id": "huge-number", "text": "x", "n": ' + "1" * 5000 + "}",
        json.dumps({"id": "name", "text": "hi", "from": "a@b.example", "from_name": 123}),
        json.dumps({"id": "flag", "text": "hi", "known_contact": "false"}),
        json.dumps({"id": "x\ud800y", "text": "a lone surrogate in the id"}),
        json.dumps({"id": None, "text": "a null id"}),
        json.dumps({"id": [1, 2], "text": "a list id"}),
        json.dumps({"id": 7, "text": "a number id"}),
        json.dumps({"id": "last", "text": "thanks!"}),
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    out = _classify(str(source))
    assert [o["id"] for o in out] == [
        "first",
        f"{source}:2",
        "name",
        "flag",
        "x\ud800y",
        f"{source}:6",
        f"{source}:7",
        "7",
        "last",
    ]
    errors = {o["id"]: o.get("error") for o in out}
    assert "not valid JSON" in str(errors[f"{source}:2"])
    assert errors["name"] == "field(s) from_name must be strings"
    assert errors["flag"] == "field(s) known_contact must be true or false"
    assert errors[f"{source}:7"] == "id must be a string or an integer"
    assert [o["id"] for o in out if "spam_probability" in o] == [
        "first",
        "x\ud800y",
        f"{source}:6",
        "7",
        "last",
    ]


def test_a_byte_order_mark_and_bad_utf8_on_stdin_are_read_as_in_a_file(tmp_path: Path) -> None:
    raw = (
        b'\xef\xbb\xbf{"id":"bom","text":"hello"}\r\n'
        b'{"id":"crlf","text":"second"}\r\n'
        b'{"id":"bad\xff","text":"inv\xc3\x28alid"}\r\n'
    )
    from_stdin = _classify("-", stdin=raw)
    (tmp_path / "in.jsonl").write_bytes(raw)
    from_file = _classify(str(tmp_path / "in.jsonl"))
    assert [o["id"] for o in from_stdin] == ["bom", "crlf", "bad\ufffd"]
    assert all("spam_probability" in o for o in from_stdin)
    assert from_stdin == from_file


def test_unreadable_files_are_one_error_each_and_the_rest_is_kept(tmp_path: Path) -> None:
    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "a.eml").write_bytes(b"Subject: hi\r\n\r\nwhere is my order?\r\n")
    (folder / "b.jsonl.gz").write_bytes(b"garbage, not gzip")
    lines = "".join(
        json.dumps({"id": f"g{i}", "text": f"order {i * 7919}"}) + "\n" for i in range(400)
    )
    whole = gzip.compress(lines.encode())
    (folder / "c.jsonl.gz").write_bytes(whole[: len(whole) // 2])  # cut off mid-stream
    (folder / "d.eml").write_bytes(b"Subject: bye\r\n\r\nthanks\r\n")
    out = _classify(str(folder), "")
    ids = [o["id"] for o in out]
    assert ids[0] == str(folder / "a.eml")
    assert ids[1] == str(folder / "b.jsonl.gz")
    assert "unreadable file: BadGzipFile" in str(out[1]["error"])
    assert ids[-3] == str(folder / "c.jsonl.gz")  # the lines read before the cut stay
    assert "unreadable file" in str(out[-3]["error"])
    assert ids[2:-3] == [f"g{i}" for i in range(len(ids) - 5)]
    assert 0 < len(ids) - 5 < 400
    assert ids[-2] == str(folder / "d.eml")
    assert out[-1] == {"id": "", "error": "empty path"}  # not the current directory


def test_a_charset_that_is_a_codec_but_no_charset_still_gives_the_text() -> None:
    raw = b"Subject: x\nContent-Type: text/plain; charset=idna\n\nhello \xff world\n"
    assert parse_email(raw).text == "hello \ufffd world\n"


def test_a_multipart_without_boundary_is_read_as_its_text() -> None:
    raw = (
        b"From: x@spam.example\nSubject: Cheap meds\nMIME-Version: 1.0\n"
        b"Content-Type: multipart/mixed\n\n--abc\nContent-Type: text/plain\n\n"
        b"Buy cheap viagra now, click http://pills.example best price!!!\n--abc--\n"
    )
    assert "Buy cheap viagra now" in (parse_email(raw).text or "")


def test_mbox_splits_only_at_envelope_lines(tmp_path: Path) -> None:
    mbox = tmp_path / "box.mbox"
    mbox.write_bytes(
        b"From a@b Mon Jan  1 00:00:00 2024\nSubject: one\n\nHello,\n"
        b"From here on, I will write differently.\n>From the quoted line.\n\n"
        b"From c@d Mon Jan  1 00:00:00 2024\nSubject: two\n\nsecond\n\n"
        b"From e@f Mon Jan  1 00:00:00 2024\n"  # an envelope with nothing after it
    )
    items = list(iter_items([str(mbox)]))
    assert [item.id for item in items] == [f"{mbox}#1", f"{mbox}#2", f"{mbox}#3"]
    first, second, empty = (item.message or MessageInput(text="?") for item in items)
    assert "From here on, I will write differently.\nFrom the quoted line." in first.text
    assert (second.subject, second.text.strip()) == ("two", "second")
    assert (empty.subject, empty.text) == (None, "")


def test_the_progress_bar_leaves_every_verdict_on_stdout(tmp_path: Path) -> None:
    # With stderr on a terminal, rich's bar used to send stdout (the verdicts) to stderr.
    source = tmp_path / "many.jsonl"
    source.write_text(
        "".join(json.dumps({"id": f"m{i}", "text": "hi"}) + "\n" for i in range(1200))
    )
    script = (
        "import sys; from rich.console import Console; import rich.console as rc; "
        "rc.Console.is_terminal = property(lambda self: True); "
        "from hubguard.cli import main; sys.argv = ['hubguard', 'classify', sys.argv[1]]; main()"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(source)], capture_output=True, text=True, check=True
    )
    assert [json.loads(line)["id"] for line in done.stdout.splitlines()] == [
        f"m{i}" for i in range(1200)
    ]
    assert '"id"' not in done.stderr


def test_learn_reads_ids_as_keys_and_fits_once(tmp_path: Path) -> None:
    env = {"HUBGUARD_DATABASE_URL": f"sqlite:///{tmp_path / 'h.db'}"}
    day = tmp_path / "day.jsonl"
    rows = [
        {"text": "we offer seo services for your site", "label": "spam"},
        {"text": "invoice 1234 attached, thanks", "label": "ham"},
        {"id": "f1", "text": "guest post offer", "label": "spam"},
        {"id": "f1", "text": "guest post offer", "label": "ham"},  # the agent changed its mind
    ]
    day.write_text("".join(json.dumps(r) + "\n" for r in rows))
    first = CliRunner().invoke(app, ["learn", "--portal", "9", str(day)], env=env)
    assert first.exit_code == 0, first.output
    assert "learned 1 spam, 2 ham; 0 line(s) skipped; 1 repeated line(s)" in first.stderr
    # The next day's file of the same name holds other messages: nothing learned before is lost.
    day.write_text(
        json.dumps({"text": "please call me back about my order", "label": "ham"}) + "\n"
    )
    assert CliRunner().invoke(app, ["learn", "--portal", "9", str(day)], env=env).exit_code == 0
    engine = sa.create_engine(env["HUBGUARD_DATABASE_URL"])
    with engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT label FROM spam_feedback WHERE portal_id = 9"))
        assert sorted(row.label for row in stored) == ["ham", "ham", "ham", "spam"]
    engine.dispose()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["classify", "--portal", "99999999999999999999999", "x"], "--portal"),
        (["classify", "--portal", "0", "x"], "--portal"),
        (["classify", "--threshold", "nan", "x"], "--threshold"),
        (["classify", "--threshold", "2", "x"], "--threshold"),
        (["learn", "--portal", "7", "/no/such/file.jsonl"], "does not exist"),
    ],
)
def test_bad_arguments_are_refused_with_exit_2(args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": "a", "text": "hi"}\n', '--data: a: needs "label": "spam" or "ham"'),
        ('{"id": "a", "text": "hi", "label": "junk"}\n', 'needs "label": "spam" or "ham"'),
        ('{"id": "a", "text": "hi", "label": "ham"}\n{oops\n', "in.jsonl:2: not valid JSON"),
        ("[1]\n", "a line must be a JSON object"),
    ],
)
def test_eval_refuses_a_file_it_cannot_score_whole(
    tmp_path: Path, content: str, message: str
) -> None:
    data = tmp_path / "in.jsonl"
    data.write_text(content)
    result = CliRunner().invoke(app, ["eval", "--data", str(data), "--report", str(tmp_path / "r")])
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.replace("│", " ").split())


def test_an_over_long_line_is_dropped_unread_and_the_next_one_scored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest, "MAX_LINE_CHARS", 1000)
    source = tmp_path / "in.jsonl"
    long_line = json.dumps({"id": "long", "text": "x" * 5000})
    source.write_text(long_line + "\n" + json.dumps({"id": "next", "text": "hi"}) + "\n")
    with source.open() as handle:
        pieces = list(ingest._bounded_lines(handle))
    assert [len(p) for p in pieces] == [1001, len(pieces[1])]  # never the whole long line
    items = list(iter_items([str(source)]))
    assert [(i.id, i.error) for i in items] == [
        (f"{source}:1", "line longer than 1000 characters"),
        ("next", None),
    ]
