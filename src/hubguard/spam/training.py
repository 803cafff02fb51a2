"""``hubguard train``: fit the global model with scikit-learn, export it to plain arrays.

Reproducible: fixed seeds, deterministic solvers, data read in file order. Only ``train`` rows
are used (never a ``dev`` row). Probabilities are Platt-calibrated on out-of-fold decision values
and the shipped threshold is the lowest one whose out-of-fold false-positive rate stays under
the targets on both the old corpus and modern inbox traffic.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from hubguard.spam.corpus import LabelledMessage, load_training_sets
from hubguard.spam.features import DENSE_NAMES, DENSE_OFFSET, HASH_DIM, N_FEATURES, featurize
from hubguard.spam.model import CATEGORY_DIM, LINEAR_V3, LinearModel, category_columns, to_sparse
from hubguard.spam.text import html_to_text
from hubguard.spam.types import CATEGORIES

__all__ = ["TrainConfig", "design_matrix", "train_model"]

SEED = 20261128
MODERN_SOURCES = ("inbox-examples", "generated")
HARD_HAM = "spamassassin/hard-ham-1"
# Engineered columns the global model never weights (per-portal corrections still may).
GLOBAL_MODEL_IGNORES = ("bias_ones", "had_html", "html_only")


@dataclass(frozen=True)
class TrainConfig:
    """Knobs of one training run (the defaults build the shipped model)."""

    # Weaker regularisation and heavier modern rows (measured, second pass): better ranking of
    # modern traffic (inbox dev AUC 0.958 -> 0.968) at unchanged old-corpus AUC.
    c: float = 1000.0  # inverse L2 strength of the logistic regression
    modern_weight: float = 30.0  # inbox-examples rows count this many times
    generated_weight: float = 10.0
    # Legitimate bulk mail (the corpus's hard ham: newsletters, receipts, vendor notices) is
    # rare (198 of 4,738 corpus rows) and is what a filter must not lose. Chosen by 5-fold CV
    # on train rows only, over 1/2/4/8/16: out-of-fold corpus recall at 0.5 % FPR 0.912 ->
    # 0.924 and at 1 % 0.941 -> 0.950, modern recall at the threshold 0.936 -> 0.944.
    hard_ham_weight: float = 8.0
    # Out-of-fold FPR allowed at the threshold (SpamAssassin ham). Out-of-fold FPR runs below
    # the newer dev split's (its hard-ham newsletters look like today's outreach): 0.2 % gave
    # 0.6 % on dev, 0.15 % gives 0.4 % (dev informed this one knob; see the model card).
    max_corpus_fpr: float = 0.0015
    max_modern_fpr: float = 0.03  # ... and on modern ham
    folds: int = 5
    augment: bool = True  # add short / lower-cased / sender-less copies (see augment())
    exclude_sources: tuple[str, ...] = ()  # e.g. ("spamassassin/hard-ham-1",) for adaptation


def design_matrix(messages: Sequence[LabelledMessage]) -> Any:
    """The scipy CSR matrix the global model is trained on (sender and bias columns off)."""
    from scipy.sparse import csr_matrix  # type: ignore[import-untyped]

    batch = to_sparse([featurize(m.message) for m in messages])
    # Sender tokens and the constant column are for per-portal corrections only: a global weight
    # on a 2002 sender domain would be an artefact, and the intercept is fitted separately.
    # "Has HTML" is a corpus artefact too: old spam is HTML, old ham and all modern rows are plain,
    # but HubSpot sends rich text with nearly every e-mail, so the global model must not read it.
    dropped = [DENSE_OFFSET + DENSE_NAMES.index(n) for n in GLOBAL_MODEL_IGNORES]
    keep = (batch.cols < HASH_DIM) | ((batch.cols >= DENSE_OFFSET) & ~np.isin(batch.cols, dropped))
    return csr_matrix(
        (batch.values[keep], (batch.rows[keep], batch.cols[keep])),
        shape=(batch.n_rows, N_FEATURES),
    )


_PUNCT = re.compile(r"([^\w\s])")


def augment(rows: Sequence[LabelledMessage], seed: int = SEED) -> list[LabelledMessage]:
    """Robustness copies of training rows: chat/form messages are short, lower-cased, and
    often have no subject or sender. Half the rows get one such variant (same label)."""
    rng = random.Random(seed)
    out: list[LabelledMessage] = []
    for row in rows:
        if rng.random() >= 0.5:
            continue
        msg = row.message
        kind = rng.choice(("first20", "lower", "bare"))
        if kind == "first20":
            text = " ".join((msg.text or html_to_text(msg.html or "")).split()[:20])
            new = dataclasses.replace(msg, text=text, html=None)
        elif kind == "lower":
            text = _PUNCT.sub(r" \1 ", (msg.text or "").lower())
            new = dataclasses.replace(msg, text=text, subject=(msg.subject or "").lower() or None)
        else:
            new = dataclasses.replace(msg, subject=None, from_email=None, from_name=None)
        out.append(dataclasses.replace(row, id=f"{row.id}+{kind}", message=new))
    return out


def _group(row_id: str) -> str:
    return row_id.split("+", 1)[0]


def _sample_weights(
    rows: Sequence[LabelledMessage], config: TrainConfig
) -> npt.NDArray[np.float64]:
    weights = {
        "inbox-examples": config.modern_weight,
        "generated": config.generated_weight,
        HARD_HAM: config.hard_ham_weight,
    }
    return np.array([weights.get(r.source, 1.0) for r in rows])


def _threshold(
    probs: npt.NDArray[np.float64], rows: Sequence[LabelledMessage], config: TrainConfig
) -> float:
    y = np.array([r.label == "spam" for r in rows])
    modern = np.array([r.source in MODERN_SOURCES for r in rows])
    limits = ((~modern, config.max_corpus_fpr), (modern, config.max_modern_fpr))
    threshold = 0.5
    for mask, max_fpr in limits:
        ham = np.sort(probs[mask & ~y])[::-1]
        if len(ham):
            allowed = int(np.floor(max_fpr * len(ham)))
            threshold = max(threshold, float(ham[allowed]) + 1e-6)
    return round(min(threshold, 0.99), 4)


def train_model(
    rows: Sequence[LabelledMessage] | None = None,
    config: TrainConfig | None = None,
    *,
    log: Callable[[str], None] = lambda _msg: None,
    datasets_dir: Path | None = None,
) -> LinearModel:
    """Fit the global model on the ``train`` rows; return it (not yet saved)."""
    import scipy.sparse  # type: ignore[import-untyped]  # noqa: F401 (load BLAS before limiting it)
    import sklearn.linear_model  # noqa: F401
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    # One BLAS thread: a multi-threaded sum changes the last bits of the calibration, and with
    # them which out-of-fold score sets the threshold (0.9646 on 2 threads, 0.9683 on 1, seen):
    # the same data must give the same model on any machine.
    with threadpool_limits(limits=1):
        return _train_model(rows, config, log=log, datasets_dir=datasets_dir)


def _train_model(
    rows: Sequence[LabelledMessage] | None,
    config: TrainConfig | None,
    *,
    log: Callable[[str], None],
    datasets_dir: Path | None,
) -> LinearModel:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedGroupKFold

    config = config or TrainConfig()
    data = list(rows) if rows is not None else load_training_sets(datasets_dir)
    train = [r for r in data if r.split == "train" and r.source not in config.exclude_sources]
    train += augment(train) if config.augment else []
    log(f"featurising {len(train)} training rows")
    x = design_matrix(train)
    y = np.array([r.label == "spam" for r in train], dtype=np.int64)
    w = _sample_weights(train, config)

    def fit(xs: Any, ys: Any, ws: Any) -> Any:
        clf = LogisticRegression(C=config.c, solver="liblinear", max_iter=2000, random_state=SEED)
        return clf.fit(xs, ys, sample_weight=ws)

    folds = min(config.folds, int(min(y.sum(), len(y) - y.sum())))
    oof = np.zeros(len(train))
    if folds >= 2:
        log(f"{folds}-fold out-of-fold scores for calibration")
        # Grouped so a message and its augmented copies never sit on both sides of a fold.
        splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=SEED)
        groups = [_group(r.id) for r in train]
        for fit_idx, held_idx in splitter.split(np.zeros(len(y)), y, groups):
            oof[held_idx] = fit(x[fit_idx], y[fit_idx], w[fit_idx]).decision_function(x[held_idx])
    log("fitting the final model")
    final = fit(x, y, w)
    if folds < 2:
        oof = final.decision_function(x)
    platt = LogisticRegression(C=1e4, solver="lbfgs").fit(oof.reshape(-1, 1), y)
    a, b = float(platt.coef_[0, 0]), float(platt.intercept_[0])
    probs = 1.0 / (1.0 + np.exp(-(a * oof + b)))
    threshold = _threshold(probs, train, config)

    cat_w, cat_b = _train_categories(train, x, log)
    return LinearModel(
        name=LINEAR_V3,
        weights=final.coef_[0].astype(np.float32),
        bias=float(final.intercept_[0]),
        platt_a=a,
        platt_b=b,
        threshold=threshold,
        category_weights=cat_w,
        category_bias=cat_b,
        meta={
            "trained_at": dt.date.today().isoformat(),
            "train_rows": len(train),
            "seed": SEED,
            "config": {k: v for k, v in config.__dict__.items()},
        },
    )


def _train_categories(
    train: Sequence[LabelledMessage], x: Any, log: Callable[[str], None]
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    log("fitting the spam sub-category model")
    spam_idx = [i for i, r in enumerate(train) if r.label == "spam" and r.category in CATEGORIES]
    n_cols = CATEGORY_DIM + len(DENSE_NAMES)
    cat_w = np.zeros((len(CATEGORIES), n_cols), dtype=np.float32)
    cat_b = np.zeros(len(CATEGORIES), dtype=np.float32)
    labels = np.array([CATEGORIES.index(str(train[i].category)) for i in spam_idx])
    if len(set(labels.tolist())) < 2:
        return cat_w, cat_b
    coo = x[spam_idx].tocoo()
    folded = csr_matrix(
        (coo.data, (coo.row, category_columns(coo.col.astype(np.int64)))),
        shape=(len(spam_idx), n_cols),
    )
    # Old-corpus spam is plentiful and all "other_spam": balance so modern categories register.
    clf = LogisticRegression(C=4.0, max_iter=3000, class_weight="balanced", random_state=SEED)
    clf.fit(folded, labels)
    for row, klass in enumerate(clf.classes_):
        cat_w[klass] = (
            clf.coef_[row] if len(clf.classes_) > 2 else (clf.coef_[0] * (1 if row else -1))
        )
        cat_b[klass] = clf.intercept_[row] if len(clf.classes_) > 2 else 0.0
    return cat_w, cat_b


def dev_metrics(model: LinearModel, rows: Sequence[LabelledMessage]) -> dict[str, Any]:
    """Metrics of ``model`` on each data set's ``dev`` rows, overall and per channel."""
    from hubguard.spam.evaluation import metrics

    dev = [r for r in rows if r.split == "dev"]
    probs = model.calibrate(model.logits(to_sparse([featurize(r.message) for r in dev])))
    out: dict[str, Any] = {}
    groups: dict[str, list[int]] = {}
    for i, r in enumerate(dev):
        base = "spamassassin" if r.source.startswith("spamassassin") else r.source
        groups.setdefault(base, []).append(i)
        groups.setdefault(f"{base}/{r.message.channel}", []).append(i)
    for name, idx in sorted(groups.items()):
        y = [int(dev[i].label == "spam") for i in idx]
        out[name] = metrics(y, probs[idx].tolist(), model.threshold)
    return out


def model_card(model: LinearModel, dev: dict[str, Any]) -> str:
    """The MODEL_CARD.md written next to the weights."""
    lines = [
        f"# {model.name}",
        "",
        f"Trained {model.meta.get('trained_at')} by `hubguard train` (seed {SEED}) on "
        f"{model.meta.get('train_rows')} `train` rows; no `dev` row was used.",
        "",
        "## Sources",
        "- `shared/datasets/spamassassin.jsonl.gz` (SpamAssassin public corpus, 1997-2003; list "
        "tags, footers, signatures, artefact words and dates stripped)",
        "- `shared/datasets/inbox-examples.jsonl.gz` (hand-written modern inbox traffic)",
        "- `hubguard/spam/data/generated.jsonl` (hubguard's own templates: "
        "`tools/spam_generate_examples.py`)",
        "",
        "## Model",
        "Logistic regression over hashed words of body and subject (CRC-32, 2^18 columns) "
        f"plus {len(DENSE_NAMES)} engineered features; Platt calibration on 5-fold out-of-fold "
        f"scores; shipped threshold {model.threshold} (out-of-fold FPR <= "
        f"{model.meta.get('config', {}).get('max_corpus_fpr')} on the corpus, <= "
        f"{model.meta.get('config', {}).get('max_modern_fpr')} on modern ham). A second "
        "multinomial model picks the spam sub-category. Row weights: inbox examples "
        f"{model.meta.get('config', {}).get('modern_weight')}, generated "
        f"{model.meta.get('config', {}).get('generated_weight')}, the corpus's hard ham "
        f"{model.meta.get('config', {}).get('hard_ham_weight')} (chosen by 5-fold CV on "
        "train rows), other corpus rows 1.",
        "",
        f"Columns the global model never weights: {', '.join(GLOBAL_MODEL_IGNORES)} (old-corpus "
        "spam is HTML and its ham plain, while HubSpot sends rich text with nearly every e-mail). "
        "v3 reads the HTML's visible text when the plain part is a placeholder (under "
        "400 characters, and the HTML's text more than twice as long plus 200), which is how "
        "spam hides from text filters; out-of-fold, recall on the inbox-examples train rows "
        "rose from 0.65 to 0.68 and corpus recall at 0.5 % FPR from 0.924 to 0.927, and the "
        "threshold fell from 0.9683 to 0.9518 (fewer corpus ham high out-of-fold).",
        "",
        "Looking at the dev split informed these choices: the corpus FPR bound of the threshold "
        "(0.2 % out-of-fold gave 0.6 % on dev), and the v2 phrase additions (GEO / UGC / "
        "virtual-assistant pitches, task and crypto scams, customs fees, extortion, obfuscated "
        "pharma: categories the issue names, added after reading which dev spam v1 missed), "
        "and the well-known-sender cue plus the look-alike check on the registered name only "
        "(after a genuine Microsoft sign-in notice in dev was flagged when cut to 20 words), "
        "and v3's placeholder rule (seen on a dev spam whose plain part only said to turn HTML "
        "on; chosen on the out-of-fold figures above). The "
        "generated examples were written without reading dev texts. The dev figures below are "
        "therefore somewhat optimistic.",
        "",
        "## Dev-split metrics (at the shipped threshold)",
        "",
        "| set | n spam / ham | AUC | recall@0.1% FPR | recall@0.5% FPR | recall@1% FPR | recall "
        "| FPR |",
        "|---|---|---|---|---|---|---|---|",
    ]

    def fmt(v: Any) -> str:
        return "-" if v is None else f"{v:.3f}"

    for name, m in dev.items():
        lines.append(
            f"| {name} | {m['n_spam']} / {m['n_ham']} | {fmt(m['auc'])} | "
            f"{fmt(m['recall_at_0.1%_fpr'])} | {fmt(m['recall_at_0.5%_fpr'])} | "
            f"{fmt(m['recall_at_1%_fpr'])} | "
            f"{fmt(m['recall'])} | {fmt(m['fpr'])} |"
        )
    lines += ["", f"Loader: `{model.name}` (model.json + weights.npz, no pickle).", ""]
    return "\n".join(lines)


def build(
    out_dir: Path, *, datasets_dir: Path | None = None, log: Callable[[str], None] = print
) -> LinearModel:
    """Train, measure on dev, and write the model directory with its card."""
    from hubguard.spam.model import save_model

    rows = load_training_sets(datasets_dir)
    model = train_model(rows, log=log)
    dev = dev_metrics(model, rows)
    model = LinearModel(**{**model.__dict__, "meta": {**model.meta, "dev_metrics": dev}})
    save_model(model, out_dir, model_card(model, dev))
    log(f"wrote {out_dir}")
    return model
