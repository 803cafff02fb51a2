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
import io
import json
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import IO, Any

from hubguard.spam.corpus import row_to_message
from hubguard.spam.types import MessageInput

__all__ = ["Item", "iter_items", "iter_jsonl", "parse_email", "stdin_text"]

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
    except (LookupError, UnicodeError):  # an unknown charset, or a codec that is no charset
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
    if not texts and not htmls and msg.get_content_maintype() == "multipart":
        # A multipart header without a usable boundary: the parser leaves the whole body as one
        # string, which is still what the reader sees (parts, boundaries and all).
        texts.append(_decode_part(msg))
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


_STRING_FIELDS = ("text", "subject", "html", "from", "from_email", "from_name", "channel")
_FLAG_FIELDS = ("known_contact", "open_ticket")


def _problem(row: dict[str, Any]) -> str | None:
    """Why a JSONL object cannot be scored as given, or None."""
    bad = [k for k in _STRING_FIELDS if row.get(k) is not None and not isinstance(row[k], str)]
    if bad:
        return f"field(s) {', '.join(bad)} must be strings"
    # bool("false") is True: a flag that is not a JSON boolean would be read the wrong way.
    flags = [k for k in _FLAG_FIELDS if row.get(k) is not None and not isinstance(row[k], bool)]
    if flags:
        return f"field(s) {', '.join(flags)} must be true or false"
    return None


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
        except (ValueError, RecursionError) as exc:  # also a number of over 4,300 digits
            yield Item(id=fallback, error=f"not valid JSON: {str(exc)[:120]}")
            continue
        if not isinstance(row, dict):
            yield Item(id=fallback, error="a line must be a JSON object")
            continue
        raw_id = row.get("id")
        if raw_id is not None and (isinstance(raw_id, bool) or not isinstance(raw_id, str | int)):
            yield Item(id=fallback, error="id must be a string or an integer")
            continue
        item_id = fallback if raw_id is None else str(raw_id)
        problem = _problem(row)
        if problem:
            yield Item(id=item_id, error=problem)
            continue
        label = row.get("label")
        yield Item(
            id=item_id,
            message=row_to_message(row),
            raw=row,
            label=str(label) if label is not None else None,
        )


def _bounded_lines(handle: IO[str]) -> Iterator[str]:
    """The handle's lines; one longer than MAX_LINE_CHARS comes as its first MAX_LINE_CHARS + 1
    characters (the rest is read and dropped), so memory stays bounded whatever the file holds."""
    while line := handle.readline(MAX_LINE_CHARS + 1):
        if len(line) > MAX_LINE_CHARS and not line.endswith("\n"):
            while (rest := handle.readline(MAX_LINE_CHARS)) and not rest.endswith("\n"):
                pass
        yield line


def stdin_text() -> IO[str]:
    """Standard input as UTF-8 text, whatever the locale: a leading byte-order mark is dropped
    and undecodable bytes become U+FFFD, as they do for files."""
    return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", errors="replace")


def _open_text(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8-sig", errors="replace")
    return path.open("r", encoding="utf-8-sig", errors="replace")


_QUOTED_FROM = re.compile(rb"^>+From ")


def _mbox_items(path: Path) -> Iterator[Item]:
    # Split on "From " lines ourselves: mailbox.mbox needs a lock file and seekable storage. A
    # "From " line starts a message only at the top or after a blank line (mboxrd), so a body
    # line that begins with "From " stays in its message; ">From " lines lose one ">".
    chunk: list[bytes] = []
    size = 0
    index = 0
    previous_blank = True
    with path.open("rb") as handle:
        for line in handle:
            if line.startswith(b"From ") and previous_blank:
                if index:
                    yield _eml_item(b"".join(chunk), f"{path}#{index}")
                index += 1
                chunk, size = [], 0
            else:
                if _QUOTED_FROM.match(line):
                    line = line[1:]
                if size <= MAX_FILE_BYTES:  # a giant message is read to its end, not kept
                    chunk.append(line)
                    size += len(line)
            previous_blank = not line.strip()
    if index:
        yield _eml_item(b"".join(chunk), f"{path}#{index}")


def _eml_item(data: bytes, item_id: str) -> Item:
    try:
        return Item(id=item_id, message=parse_email(data))
    except Exception as exc:  # the email package can fail in many ways; one line per message
        return Item(id=item_id, error=f"unreadable e-mail: {type(exc).__name__}")


def _path_items(path: Path) -> Iterator[Item]:
    if path.is_dir():
        try:
            children = sorted(p for p in path.rglob("*") if p.is_file())
        except OSError as exc:
            yield Item(id=str(path), error=f"unreadable directory: {_reason(exc)}")
            return
        for child in children:
            yield from _path_items(child)
        return
    if not path.exists():
        yield Item(id=str(path), error="no such file")
        return
    # One file that cannot be read (permissions, a corrupt or cut-off .gz) is one error line;
    # the lines it gave before failing stay, and the next file is read as usual.
    yield from _guarded(path, _file_items(path))


def _guarded(path: Path, items: Iterator[Item]) -> Iterator[Item]:
    """``items``, and one error item if reading ``path`` fails part-way."""
    try:
        yield from items
    except (OSError, EOFError, zlib.error) as exc:
        yield Item(id=str(path), error=f"unreadable file: {_reason(exc)}")


def _reason(exc: BaseException) -> str:
    detail = getattr(exc, "strerror", None) or str(exc)
    return f"{type(exc).__name__}: {detail}"[:160]


def _file_items(path: Path) -> Iterator[Item]:
    name = path.name.lower()
    if name.endswith((".jsonl", ".json", ".jsonl.gz", ".ndjson")):
        yield from iter_jsonl(path)
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


def iter_jsonl(path: Path) -> Iterator[Item]:
    """Items of one JSONL file (``.gz`` allowed) whatever its name, one per non-blank line."""
    yield from _guarded(path, _jsonl_file(path))


def _jsonl_file(path: Path) -> Iterator[Item]:
    with _open_text(path) as handle:
        yield from _jsonl_items(_bounded_lines(handle), str(path))


def iter_items(paths: Iterable[str], stdin: IO[str] | None = None) -> Iterator[Item]:
    """Items from each path in order; "-" reads JSONL from ``stdin`` (see :func:`stdin_text`)."""
    for raw in paths:
        if raw == "-":
            if stdin is not None:
                yield from _jsonl_items(_bounded_lines(stdin), "stdin")
            continue
        if not raw:  # Path("") is ".": an empty argument would read the working directory
            yield Item(id="", error="empty path")
            continue
        yield from _path_items(Path(raw))
