"""The training code path on a handful of rows (the shipped model is never retrained here)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from hubguard.spam import MessageInput, SpamFilter, load_model
from hubguard.spam.corpus import LabelledMessage, clean_corpus_row
from hubguard.spam.model import save_model
from hubguard.spam.training import TrainConfig, augment, train_model

FIXTURE = Path(__file__).parent / "fixtures" / "helpdesk_ham.jsonl"


def _row(i: int, label: str, text: str, split: str = "train") -> LabelledMessage:
    category = "cold_outreach" if label == "spam" and i % 2 else "phishing"
    return LabelledMessage(
        id=f"t{i}",
        source="generated",
        label=label,
        split=split,
        message=MessageInput(text=text),
        category=category if label == "spam" else None,
    )


def _rows() -> list[LabelledMessage]:
    spam = [
        "guest post backlinks offer",
        "verify your account now",
        "seo services cheap",
        "your mailbox is full verify",
        "backlinks and guest posts",
        "password expires verify",
    ]
    ham = [
        "where is my order",
        "return my kettle please",
        "invoice for order 12",
        "tracking not updated",
        "order arrived broken",
        "can I change my address",
    ]
    rows = [_row(i, "spam", t) for i, t in enumerate(spam)]
    rows += [_row(100 + i, "ham", t) for i, t in enumerate(ham)]
    rows.append(_row(999, "spam", "dev rows are never used", split="dev"))
    return rows


def test_tiny_training_run_is_reproducible_and_round_trips(tmp_path: Path) -> None:
    config = TrainConfig(folds=2)
    first = train_model(_rows(), config)
    second = train_model(_rows(), config)
    assert np.array_equal(first.weights, second.weights)
    assert first.meta["train_rows"] > 12  # augmented copies added, the dev row left out
    save_model(first, tmp_path, "# card\n")
    loaded = load_model(tmp_path)
    assert np.array_equal(loaded.weights, first.weights)
    tiny = SpamFilter(model=loaded)
    spam = tiny.classify(MessageInput(text="cheap guest post backlinks"))
    ham = tiny.classify(MessageInput(text="my order arrived broken"))
    assert spam.spam_probability > ham.spam_probability


def test_augment_is_deterministic_and_labelled() -> None:
    rows = _rows()
    assert augment(rows) == augment(rows)
    assert all(
        a.label == rows[[r.id for r in rows].index(a.id.split("+")[0])].label for a in augment(rows)
    )


def test_corpus_cleaning_removes_list_artefacts() -> None:
    row = {
        "subject": "Re: [ILUG] Fwd: cheap hosting",
        "text": "Real content here about hosting.\n\nMore real content that matters here.\n"
        "_______________________________________________\nILUG mailing list\n"
        "http://www.linux.ie/mailman/listinfo/ilug\n",
        "html": None,
    }
    cleaned = clean_corpus_row(row)
    assert cleaned["subject"] == "Re: Fwd: cheap hosting"
    assert "mailing list" not in cleaned["text"]
    assert "Real content" in cleaned["text"]
    assert "spamassassin" not in clean_corpus_row({"text": "SpamAssassin rocks"})["text"].lower()


def test_helpdesk_fixture_is_never_flagged(spam_filter: SpamFilter) -> None:
    rows = [json.loads(line) for line in FIXTURE.read_text().splitlines() if line.strip()]
    assert len(rows) >= 20
    messages = [
        MessageInput(text=r["text"], subject=r.get("subject"), channel=r["channel"]) for r in rows
    ]
    flagged = [
        r["id"]
        for r, v in zip(rows, spam_filter.classify_batch(messages), strict=True)
        if v.is_spam
    ]
    assert flagged == []
