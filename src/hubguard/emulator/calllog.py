"""The call log: every request the emulator answered, with secrets taken out."""

from __future__ import annotations

import re

from hubguard.emulator.info import CallRecord

__all__ = ["CallLog", "safe_path", "safe_query"]

SECRET_PARAMS = frozenset(
    {"code", "client_secret", "refresh_token", "access_token", "token", "code_verifier", "hapikey"}
)
_TOKEN_PATH = re.compile(r"^(/oauth/v1/(?:access|refresh)-tokens/)[^/]+")
REDACTED = "[redacted]"


def safe_query(query: dict[str, list[str]]) -> dict[str, str]:
    """The query with secret-bearing parameters replaced by a marker."""
    return {k: (REDACTED if k in SECRET_PARAMS else ",".join(v)) for k, v in query.items()}


def safe_path(path: str) -> str:
    """The path with a token in it (v1 token metadata endpoints) replaced by a marker."""
    return _TOKEN_PATH.sub(r"\1" + REDACTED, path)


class CallLog:
    """An append-only list of :class:`CallRecord`."""

    def __init__(self) -> None:
        self._records: list[CallRecord] = []

    def add(self, record: CallRecord) -> None:
        self._records.append(record)

    def select(self, path_prefix: str | None = None) -> list[CallRecord]:
        return [r for r in self._records if path_prefix is None or r.path.startswith(path_prefix)]
