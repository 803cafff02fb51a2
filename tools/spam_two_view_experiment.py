"""Reproduce the two-view experiment of 2026-11-29 (not shipped): does blending the shipped
model's word-presence view with a TF-IDF view of the same hashed words lift recall at low
false-positive rates, and what does it cost short chat messages? (about 2 minutes)

The presence view is the shipped recipe (``design_matrix``, C=1000, the shipped row weights and
augmentation). The TF-IDF view is the same word tokens and CRC-32 columns, valued
``(1 + log count) * idf`` and L2-normalised (IDF from the original train rows), fitted alone
with C=100. The blend is ``share * presence + (1 - share) * tfidf * (spread ratio)``: choices are
made on 5-fold out-of-fold scores of train rows, and dev is only reported. ``--gate LO HI``
fades the TF-IDF view out for messages with fewer than HI distinct words (gone below LO).

    .venv/bin/python tools/spam_two_view_experiment.py [--share 0.4] [--gate 8 30]

Prints, per candidate: out-of-fold corpus recall at 0.5 % FPR and inbox-examples recall at the
threshold (the training rule's), then the dev figures and the highest score any message of the
help-desk fixture (tests/spam/fixtures/helpdesk_ham.jsonl, which must never be flagged) gets.
``--email-only`` reads chat and form messages through the presence view alone (the variant that
was built as ``hubguard-linear.v4`` and measured with benchmarks/spam_benchmark.py; see the
closing note of 2026-11-29 for why it was not shipped).
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import json
import zlib
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from hubguard.spam.corpus import LabelledMessage, load_training_sets
from hubguard.spam.features import HASH_DIM, _words
from hubguard.spam.text import prepare
from hubguard.spam.training import (
    SEED,
    TrainConfig,
    _group,
    _sample_weights,
    augment,
    design_matrix,
)
from hubguard.spam.types import MessageInput

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "spam" / "fixtures" / "helpdesk_ham.jsonl"
Scores = npt.NDArray[np.float64]


def word_counts(msg: MessageInput) -> Counter[int]:
    """The presence view's word columns of ``msg``, with how often each occurs."""
    prep = prepare(msg.text, msg.subject, msg.html)
    words = _words(prep.body)[:600] + [f"s:{w}" for w in _words(prep.subject)[:40]]
    return Counter(zlib.crc32(w.encode("utf-8", "surrogatepass")) & (HASH_DIM - 1) for w in words)


def tfidf_view(counts: Sequence[Counter[int]], idf: Scores | None = None) -> tuple[Any, Scores]:
    from scipy.sparse import csr_matrix  # type: ignore[import-untyped]
    from sklearn.preprocessing import normalize  # type: ignore[import-untyped]

    rows = [r for r, c in enumerate(counts) for _ in c]
    cols = [col for c in counts for col in c]
    tf = [1.0 + np.log(n) for c in counts for n in c.values()]
    x = csr_matrix((tf, (rows, cols)), shape=(len(counts), HASH_DIM))
    if idf is None:
        df = np.bincount(cols, minlength=HASH_DIM)
        idf = np.log((1.0 + len(counts)) / (1.0 + df)) + 1.0
    return normalize(x.multiply(idf).tocsr()), idf


def recall_at(y: npt.NDArray[np.bool_], s: Scores, fpr: float) -> float:
    ham = np.sort(s[~y])[::-1]
    return float((s[y] > ham[int(np.floor(fpr * len(ham)))]).mean())


def main() -> None:
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
    from sklearn.model_selection import StratifiedGroupKFold  # type: ignore[import-untyped]

    parser = argparse.ArgumentParser()
    parser.add_argument("--share", type=float, default=0.4, help="the presence view's share")
    parser.add_argument("--gate", type=float, nargs=2, metavar=("LO", "HI"))
    parser.add_argument(
        "--email-only", action="store_true", help="chat and form messages: presence view only"
    )
    args = parser.parse_args()
    config = TrainConfig()
    rows = load_training_sets()
    train: list[LabelledMessage] = [r for r in rows if r.split == "train"]
    train += augment(train)
    dev = [r for r in rows if r.split == "dev"]
    fixture = [json.loads(line) for line in FIXTURE.read_text().splitlines() if line.strip()]
    fixture_msgs = [
        MessageInput(text=r["text"], subject=r.get("subject"), channel=r["channel"])
        for r in fixture
    ]
    fixture_rows = [
        LabelledMessage(r["id"], "helpdesk-fixture", "ham", "dev", m, None)
        for r, m in zip(fixture, fixture_msgs, strict=True)
    ]

    y = np.array([r.label == "spam" for r in train])
    w = _sample_weights(train, config)
    original = np.array(["+" not in r.id for r in train])
    sets = {"train": train, "dev": dev, "fixture": fixture_rows}
    counts = {k: [word_counts(r.message) for r in v] for k, v in sets.items()}
    n_words = {k: np.array([len(c) for c in v], dtype=float) for k, v in counts.items()}
    is_email = {
        k: np.array([(r.message.channel or "EMAIL").upper() == "EMAIL" for r in v])
        for k, v in sets.items()
    }
    presence = {k: design_matrix(v) for k, v in sets.items()}
    _, idf = tfidf_view([c for c, keep in zip(counts["train"], original, strict=True) if keep])
    tfidf = {k: tfidf_view(v, idf)[0] for k, v in counts.items()}

    def scores(views: dict[str, Any], c: float) -> dict[str, Scores]:
        def fit(xs: Any, ys: Any, ws: Any) -> Any:
            return LogisticRegression(
                C=c, solver="liblinear", max_iter=2000, random_state=SEED
            ).fit(xs, ys, sample_weight=ws)

        oof = np.zeros(len(train))
        splitter = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=SEED)
        groups = [_group(r.id) for r in train]
        for a, b in splitter.split(np.zeros(len(y)), y, groups):
            oof[b] = fit(views["train"][a], y[a], w[a]).decision_function(views["train"][b])
        final = fit(views["train"], y, w)
        return {"oof": oof, **{k: final.decision_function(views[k]) for k in ("dev", "fixture")}}

    one = scores(presence, config.c)
    two = scores(tfidf, 100.0)
    ratio = one["oof"].std() / two["oof"].std()
    corpus = np.array([r.source.startswith("spamassassin") for r in train]) & original
    inbox = np.array([r.source == "inbox-examples" for r in train]) & original
    modern = np.array([r.source in ("inbox-examples", "generated") for r in train])
    yd = np.array([r.label == "spam" for r in dev])
    dev_corpus = np.array([r.source.startswith("spamassassin") for r in dev])
    dev_inbox = ~dev_corpus

    candidates = [("presence view alone (shipped)", 1.0, None), ("blend", args.share, None)]
    if args.gate:
        candidates.append(("blend, gated by length", args.share, tuple(args.gate)))
    if args.email_only:
        candidates.append(("blend, e-mail only", args.share, "email"))
    for name, share, gate in candidates:
        blended = {}
        for part, words, email in zip(
            ("oof", "dev", "fixture"), n_words.values(), is_email.values(), strict=True
        ):
            fade = np.ones(len(words))
            if gate == "email":
                fade = email.astype(float)
            elif gate is not None:
                fade = np.clip((words - gate[0]) / (gate[1] - gate[0]), 0.0, 1.0)
            mine = 1 - (1 - share) * fade
            blended[part] = mine * one[part] + (1 - mine) * two[part] * ratio
        platt = LogisticRegression(C=1e4).fit(blended["oof"].reshape(-1, 1), y)
        a, b = float(platt.coef_[0, 0]), float(platt.intercept_[0])
        prob = {k: 1 / (1 + np.exp(-(a * v + b))) for k, v in blended.items()}
        threshold = 0.5
        for mask, allowed in ((~modern, config.max_corpus_fpr), (modern, config.max_modern_fpr)):
            ham = np.sort(prob["oof"][mask & ~y])[::-1]
            threshold = max(threshold, float(ham[int(np.floor(allowed * len(ham)))]) + 1e-6)
        threshold = min(threshold, 0.99)
        print(
            f"{name}: threshold {threshold:.4f}; out-of-fold corpus R@0.5% "
            f"{recall_at(y[corpus], blended['oof'][corpus], 0.005):.3f}, inbox recall "
            f"{(prob['oof'][inbox & y] >= threshold).mean():.3f}; dev corpus R@0.5% "
            f"{recall_at(yd[dev_corpus], blended['dev'][dev_corpus], 0.005):.3f} R@1% "
            f"{recall_at(yd[dev_corpus], blended['dev'][dev_corpus], 0.01):.3f}, dev inbox "
            f"recall {(prob['dev'][dev_inbox & yd] >= threshold).mean():.2f} with "
            f"{int((prob['dev'][dev_inbox & ~yd] >= threshold).sum())} ham flagged; help-desk "
            f"fixture's highest score {prob['fixture'].max():.3f}"
        )


if __name__ == "__main__":
    main()
