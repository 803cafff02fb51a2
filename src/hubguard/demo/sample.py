"""The labelled sample the demo replays (built by tools/make_demo_sample.py, dev rows only)."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from importlib import resources

__all__ = ["SampleMessage", "load_sample"]


@dataclass(frozen=True)
class SampleMessage:
    id: str
    label: str  # "spam" | "ham"
    channel: str  # EMAIL | CHAT | FORM
    text: str
    subject: str | None
    from_email: str | None
    from_name: str | None
    html: str | None
    category: str | None

    @property
    def sender(self) -> str:
        """An address for the emulator; chat visitors without one get a stable placeholder."""
        if self.from_email and "@" in self.from_email:
            return self.from_email
        slug = "".join(c for c in (self.from_name or "visitor").lower() if c.isalnum()) or "visitor"
        return f"{slug}.{self.id.replace('/', '-')}@visitors.example"


def load_sample(limit: int | None = None) -> list[SampleMessage]:
    path = resources.files("hubguard.demo").joinpath("sample.jsonl.gz")
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    messages = [
        SampleMessage(
            id=str(r["id"]),
            label=str(r["label"]),
            channel=str(r.get("channel") or "EMAIL"),
            text=str(r.get("text") or "") or "(empty)",
            subject=r.get("subject"),
            from_email=r.get("from_email"),
            from_name=r.get("from_name"),
            html=r.get("html"),
            category=r.get("category"),
        )
        for r in rows
    ]
    return messages[:limit] if limit is not None else messages
