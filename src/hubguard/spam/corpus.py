"""Labelled data: the shared data sets, hubguard's generated examples, and corpus cleaning.

SpamAssassin's 1997-2003 mail carries artefacts a HubSpot inbox never shows (mailing-list subject
tags, list footers, signatures, the words "razor" and "spamassassin" in ham). A model that learns
them would look excellent on that corpus and fail on real inboxes, so :func:`clean_corpus_row`
strips them from every SpamAssassin row, spam and ham alike, before training or evaluation.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hubguard.errors import ClassifierError
from hubguard.spam.types import MessageInput

__all__ = [
    "CATEGORY_MAP",
    "GENERATED",
    "LabelledMessage",
    "clean_corpus_row",
    "default_datasets_dir",
    "load_jsonl",
    "load_training_sets",
    "row_to_message",
]

GENERATED = Path(__file__).parent / "data" / "generated.jsonl"

# inbox-examples' fine categories -> the Verdict's categories.
CATEGORY_MAP = {
    "phishing": "phishing",
    "invoice_or_payment_scam": "phishing",
    "fake_legal_or_copyright": "phishing",
    "cold_outreach_seo": "cold_outreach",
    "cold_outreach_agency": "cold_outreach",
    "cold_outreach_lead_gen": "cold_outreach",
    "influencer_spam": "cold_outreach",
    "bot_form_fill": "bot_form_fill",
    "newsletter": "newsletter",
    "auto_reply": "auto_reply",
}

_SUBJECT_TAG = re.compile(r"^((?:re|fw|fwd)\s*:\s*)*\[[^\]]{1,40}\]\s*", re.IGNORECASE)
_INNER_TAG = re.compile(
    r"\[(?:ilug|satalk|sadev|spambayes|razor-users|exmh|zzzz)[^\]]{0,30}\]"
    # The recipient's own SpamAssassin rewrote some subjects ("(SPAM? 08.00) ..."): a verdict
    # of another filter, not something a HubSpot inbox shows.
    r"|\(\s*spam\?\s*[\d.]+\s*\)",
    re.I,
)
_FOOTER_START = re.compile(r"^(?:_{10,}|-{2} ?$|={10,}|-{10,}|Yahoo! Groups Sponsor)", re.MULTILINE)
_ARTEFACT_WORDS = re.compile(
    r"\b(?:spamassassin|razor|ilug|linux\.ie|sourceforge|exmh|zzzz|spambayes|satalk|"
    r"lists?\.\S+|mailman|listinfo|irish linux users' group)\b",
    re.IGNORECASE,
)
_DATES = re.compile(
    r"\b(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s+)?\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|"
    r"aug|sep|oct|nov|dec)[a-z]*\s+(?:19|20)\d\d\b|\b(?:199\d|200[0-3])\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class LabelledMessage:
    """A message with its label and where it came from."""

    id: str
    source: str
    label: str  # "spam" | "ham"
    split: str  # "train" | "dev"
    message: MessageInput
    category: str | None  # one of CATEGORIES for spam, else None


def default_datasets_dir() -> Path:
    """``../shared/datasets`` next to the checkout (where the project keeps them)."""
    return Path(__file__).resolve().parents[4] / "shared" / "datasets"


def load_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of a (possibly gzipped) JSONL file."""
    if not path.exists():
        raise ClassifierError(f"data file {path} does not exist")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _strip_footer(text: str) -> str:
    # A footer starts at a separator line in the last part of a message; keep the body above it.
    match = None
    for match in _FOOTER_START.finditer(text):
        if match.start() > len(text) * 0.25:
            break
    else:
        match = None
    return text[: match.start()] if match else text


def clean_corpus_row(row: dict[str, Any]) -> dict[str, Any]:
    """A SpamAssassin row without list tags, footers, signatures, artefact words and dates."""
    out = dict(row)
    subject = _SUBJECT_TAG.sub(lambda m: m.group(1) or "", row.get("subject") or "")
    out["subject"] = _INNER_TAG.sub("", subject).strip()
    for field in ("text", "html"):
        value = row.get(field)
        if value:
            value = _strip_footer(value) if field == "text" else value
            value = _ARTEFACT_WORDS.sub(" ", value)
            out[field] = _DATES.sub(" ", value)
    return out


def row_to_message(row: dict[str, Any]) -> MessageInput:
    """A data-set row (or a ``classify`` JSONL line) as classifier input."""
    sender = row.get("from_email") or row.get("from")
    return MessageInput(
        text=str(row.get("text") or ""),
        subject=row.get("subject"),
        html=row.get("html"),
        from_email=sender,
        from_name=row.get("from_name"),
        channel=str(row.get("channel") or "EMAIL").upper(),
        known_contact=bool(row.get("known_contact", False)),
        open_ticket=bool(row.get("open_ticket", False)),
    )


def _category(row: dict[str, Any]) -> str | None:
    if row.get("label") != "spam":
        return None
    raw = row.get("category")
    if raw in (None, "", "spam"):
        return "other_spam"
    return CATEGORY_MAP.get(str(raw), str(raw) if raw in CATEGORY_MAP.values() else "other_spam")


def labelled(row: dict[str, Any], *, clean: bool) -> LabelledMessage:
    """One data-set row as a :class:`LabelledMessage` (SpamAssassin rows cleaned)."""
    if clean:
        row = clean_corpus_row(row)
    return LabelledMessage(
        id=str(row["id"]),
        source=str(row.get("source", "")),
        label=str(row["label"]),
        split=str(row.get("split", "train")),
        message=row_to_message(row),
        category=_category(row),
    )


def load_training_sets(datasets_dir: Path | None = None) -> list[LabelledMessage]:
    """Every labelled row: SpamAssassin (cleaned), inbox-examples, and generated (all train)."""
    base = datasets_dir or default_datasets_dir()
    rows = [labelled(r, clean=True) for r in load_jsonl(base / "spamassassin.jsonl.gz")]
    rows += [labelled(r, clean=False) for r in load_jsonl(base / "inbox-examples.jsonl.gz")]
    rows += [labelled(r, clean=False) for r in load_jsonl(GENERATED)]
    return rows
