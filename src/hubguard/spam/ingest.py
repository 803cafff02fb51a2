"""Reading messages for the command line: JSONL, .eml, mbox and directories of them.

Every input item yields exactly one :class:`Item`, either a message or an error, so the output
has one line per input line and nothing is lost, whatever the input holds.
"""

from __future__ import annotations

import contextlib
import email
import email.header
import email.policy
import email.utils
import gzip
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import IO, Any

from hubguard.spam.corpus import row_to_message
from hubguard.spam.types import MessageInput

__all__ = ["Item", "iter_items", "parse_email"]

MAX_LINE_CHARS = 20_000_000  # a JSONL line above this is refused, not parsed
MAX_FILE_BYTES = 50_000_000
MAX_PART_BYTES = 2_000_000


@dataclass(frozen=True)
class Item:
    """One input message or the reason it could not be read."""

    id: str
    message: MessageInput | None = None
    label: str | None = None
    error: str | None = None
    raw: dict[str, Any] | None = None


def _decode_part(part: Message) -> str:
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # malformed transfer encodings: fall back to the raw payload
        payload = None
    if not isinstance(payload, bytes):
        raw = part.get_payload()
        return raw if isinstance(raw, str) else ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload[:MAX_PART_BYTES].decode(charset, errors="replace")
    except LookupError:  # an unknown charset name
        return payload[:MAX_PART_BYTES].decode("utf-8", errors="replace")


def _header(msg: Message, name: str) -> str | None:
    try:
        value = msg.get(name)
    except Exception:  # broken encoded-words
        return None
    return None if value is None else str(value)[:2000]


def parse_email(data: bytes) -> MessageInput:
    """A MessageInput from raw RFC 822 bytes (lenient: broken MIME still yields the text)."""
    msg = email.message_from_bytes(data[:MAX_FILE_BYTES], policy=email.policy.compat32)
    texts: list[str] = []
    htmls: list[str] = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        if part.get_filename() or ctype not in ("text/plain", "text/html"):
            continue  # attachments and binary parts are not what HubSpot shows as text
        (htmls if ctype == "text/html" else texts).append(_decode_part(part))
    sender = _header(msg, "From") or ""
    name, address = email.utils.parseaddr(sender)
    subject = _header(msg, "Subject")
    if subject:
        # An undecodable encoded-word is kept as it came.
        with contextlib.suppress(Exception):
            subject = str(email.header.make_header(email.header.decode_header(subject)))
    return MessageInput(
        text="\n".join(texts),
        subject=subject,
        html="\n".join(htmls) or None,
        from_email=address or None,
        from_name=name or None,
    )


def _jsonl_items(lines: Iterable[str], origin: str) -> Iterator[Item]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        fallback = f"{origin}:{number}"
        if len(line) > MAX_LINE_CHARS:
            yield Item(id=fallback, error=f"line longer than {MAX_LINE_CHARS} characters")
            continue
        try:
            row = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
            yield Item(id=fallback, error=f"not valid JSON: {str(exc)[:120]}")
            continue
        if not isinstance(row, dict):
            yield Item(id=fallback, error="a line must be a JSON object")
            continue
        item_id = str(row.get("id", fallback))
        bad = [
            k
            for k in ("text", "subject", "html", "from", "from_email", "channel")
            if row.get(k) is not None and not isinstance(row.get(k), str)
        ]
        if bad:
            yield Item(id=item_id, error=f"field(s) {', '.join(bad)} must be strings")
            continue
        label = row.get("label")
        yield Item(
            id=item_id,
            message=row_to_message(row),
            raw=row,
            label=str(label) if label is not None else None,
        )


def _open_text(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", errors="replace")
    return path.open("r", encoding="utf-8", errors="replace")


def _mbox_items(path: Path) -> Iterator[Item]:
    # Split on "From " lines ourselves: mailbox.mbox needs a lock file and seekable storage.
    chunk: list[bytes] = []
    index = 0
    with path.open("rb") as handle:
        for line in handle:
            if line.startswith(b"From ") and chunk:
                index += 1
                yield _eml_item(b"".join(chunk), f"{path}#{index}")
                chunk = []
            if not (line.startswith(b"From ") and not chunk):
                chunk.append(line)
    if chunk:
        index += 1
        yield _eml_item(b"".join(chunk), f"{path}#{index}")


def _eml_item(data: bytes, item_id: str) -> Item:
    try:
        return Item(id=item_id, message=parse_email(data))
    except Exception as exc:  # the email package can fail in many ways; one line per message
        return Item(id=item_id, error=f"unreadable e-mail: {type(exc).__name__}")


def _path_items(path: Path) -> Iterator[Item]:
    name = path.name.lower()
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            yield from _path_items(child)
        return
    if not path.exists():
        yield Item(id=str(path), error="no such file")
        return
    if name.endswith((".jsonl", ".json", ".jsonl.gz", ".ndjson")):
        with _open_text(path) as handle:
            yield from _jsonl_items(handle, str(path))
        return
    with path.open("rb") as handle:
        head = handle.read(5)
    if name.endswith(".mbox") or head == b"From ":
        yield from _mbox_items(path)
        return
    if path.stat().st_size > MAX_FILE_BYTES:
        yield Item(id=str(path), error=f"file larger than {MAX_FILE_BYTES} bytes")
        return
    yield _eml_item(path.read_bytes(), str(path))


def iter_items(paths: Iterable[str], stdin: IO[str] | None = None) -> Iterator[Item]:
    """Items from each path in order; "-" reads JSONL from ``stdin``."""
    for raw in paths:
        if raw == "-":
            if stdin is not None:
                yield from _jsonl_items(stdin, "stdin")
            continue
        yield from _path_items(Path(raw))
