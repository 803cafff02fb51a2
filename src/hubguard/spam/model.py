"""The shipped linear model: plain arrays, scored with numpy, loaded by versioned name.

A model is a directory holding ``model.json`` (metadata; its ``"loader"`` names how to read it),
``weights.npz`` (numpy arrays, read with ``allow_pickle=False``) and ``MODEL_CARD.md``. Unknown
loader names raise :class:`ClassifierError` listing the known ones, so an old process never
misreads a newer model.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from hubguard.errors import ClassifierError
from hubguard.spam.features import (
    DENSE_NAMES,
    DENSE_OFFSET,
    HASH_DIM,
    N_FEATURES,
    SENDER_DIM,
    Features,
)
from hubguard.spam.types import CATEGORIES

__all__ = [
    "CATEGORY_DIM",
    "DEFAULT_MODEL_DIR",
    "LOADERS",
    "LinearModel",
    "Sparse",
    "load_model",
    "save_model",
    "to_sparse",
    "to_sparse_with_tokens",
]

DEFAULT_MODEL_DIR = Path(__file__).parent / "models" / "hubguard-linear.v3"
# Retired names (see LOADERS): v1 was built for the first featurizer; v2 read a placeholder
# plain part ("your mail program does not show HTML") instead of the HTML beside it.
LINEAR_V1 = "hubguard-linear.v1"
LINEAR_V2 = "hubguard-linear.v2"
LINEAR_V3 = "hubguard-linear.v3"
CATEGORY_DIM = 1 << 14  # the category model folds token hashes into a smaller space

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Sparse:
    """A batch of feature vectors as flat arrays: row ids, column ids, values (CSR-like)."""

    rows: IntArray
    cols: IntArray
    values: FloatArray
    n_rows: int


def to_sparse_with_tokens(features: Sequence[Features]) -> tuple[Sparse, IntArray]:
    """:func:`to_sparse`, plus for each entry the position in its message's ``tokens`` of the
    first token behind the column (-1 for engineered features), to name words in reasons.

    Per message: the distinct hashed columns in ascending order, text columns valued
    1/sqrt(their number) (binary presence, L2-normalised over the text tokens so long mails do
    not dominate) and sender columns 1.0; then the non-zero engineered features in
    ``DENSE_NAMES`` order. Done for the whole batch at once in numpy."""
    n_rows = len(features)
    lengths = np.fromiter((len(f.token_indices) for f in features), np.int64, n_rows)
    flat = np.fromiter(
        chain.from_iterable(f.token_indices for f in features), np.int64, int(lengths.sum())
    )
    row_of = np.repeat(np.arange(n_rows, dtype=np.int64), lengths)
    # One sort for everything: (row, column) keys; return_index picks the first occurrence
    # (a stable sort), i.e. the first token that hashed to that column.
    keys, first = np.unique(row_of * N_FEATURES + flat, return_index=True)
    tok_rows = keys // N_FEATURES
    tok_cols = keys - tok_rows * N_FEATURES
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    tok_pos = first - starts[tok_rows]
    is_text = tok_cols < HASH_DIM
    n_text = np.bincount(tok_rows[is_text], minlength=n_rows).astype(np.float64)
    with np.errstate(divide="ignore"):
        scale = 1.0 / np.sqrt(n_text)
    tok_values = np.where(is_text, scale[tok_rows], 1.0)

    dense = np.array([f.dense for f in features], dtype=np.float64).reshape(
        n_rows, len(DENSE_NAMES)
    )
    dense_rows, dense_j = np.nonzero(dense)
    dense_values = dense[dense_rows, dense_j]
    # Engineered columns come after every hashed column, so a message's entries are its token
    # entries followed by its dense ones: merge the two row-sorted lists by row.
    n_tok, n_dense = len(tok_rows), len(dense_rows)
    tok_at = np.arange(n_tok) + np.searchsorted(dense_rows, tok_rows, side="left")
    dense_at = np.arange(n_dense) + np.searchsorted(tok_rows, dense_rows, side="right")
    total = n_tok + n_dense
    rows = np.empty(total, np.int64)
    cols = np.empty(total, np.int64)
    values = np.empty(total, np.float32)
    positions = np.empty(total, np.int64)
    rows[tok_at], rows[dense_at] = tok_rows, dense_rows
    cols[tok_at], cols[dense_at] = tok_cols, DENSE_OFFSET + dense_j
    values[tok_at], values[dense_at] = tok_values, dense_values
    positions[tok_at], positions[dense_at] = tok_pos, -1
    return Sparse(rows=rows, cols=cols, values=values, n_rows=n_rows), positions


def to_sparse(features: Sequence[Features]) -> Sparse:
    """Stack featurised messages into one :class:`Sparse` batch over ``N_FEATURES`` columns."""
    return to_sparse_with_tokens(features)[0]


def category_columns(cols: IntArray) -> IntArray:
    """Map full feature columns into the category model's folded space."""
    dense = cols >= DENSE_OFFSET
    folded = np.where(dense, CATEGORY_DIM + (cols - DENSE_OFFSET), cols & (CATEGORY_DIM - 1))
    return folded.astype(np.int64)


@dataclass(frozen=True)
class LinearModel:
    """Weights over ``N_FEATURES`` columns, Platt calibration, threshold, category weights."""

    name: str
    weights: FloatArray  # (N_FEATURES,)
    bias: float
    platt_a: float  # p = sigmoid(a * logit + b)
    platt_b: float
    threshold: float
    category_weights: FloatArray  # (len(categories), CATEGORY_DIM + len(DENSE_NAMES))
    category_bias: FloatArray  # (len(categories),)
    categories: tuple[str, ...] = CATEGORIES
    meta: dict[str, Any] = field(default_factory=dict)

    def logit(self, cols: IntArray, values: FloatArray) -> float:
        """Raw decision value of one feature vector (its columns and their values)."""
        return float((self.weights[cols] * values).sum() + self.bias)

    def logits(self, batch: Sparse) -> npt.NDArray[np.float64]:
        """Raw decision values, one per row."""
        contrib = self.weights[batch.cols] * batch.values
        sums = np.bincount(batch.rows, weights=contrib, minlength=batch.n_rows)
        return np.asarray(sums + self.bias, dtype=np.float64)

    def calibrate(self, logits: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Calibrated spam probability from decision values."""
        z = np.clip(self.platt_a * logits + self.platt_b, -40.0, 40.0)
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)

    def category_scores(self, batch: Sparse) -> npt.NDArray[np.float64]:
        """(rows, categories) scores of the spam sub-category model."""
        cols = category_columns(batch.cols)
        out = np.zeros((batch.n_rows, len(self.categories)))
        for k in range(len(self.categories)):
            contrib = self.category_weights[k][cols] * batch.values
            out[:, k] = np.bincount(batch.rows, weights=contrib, minlength=batch.n_rows)
        return out + self.category_bias


def save_model(model: LinearModel, directory: Path, card: str) -> None:
    """Write ``model.json``, ``weights.npz`` and ``MODEL_CARD.md`` (no pickle anywhere)."""
    directory.mkdir(parents=True, exist_ok=True)
    meta = {
        **model.meta,
        "name": model.name,
        "loader": model.name,
        "bias": model.bias,
        "platt_a": model.platt_a,
        "platt_b": model.platt_b,
        "threshold": model.threshold,
        "categories": list(model.categories),
        "hash_dim": HASH_DIM,
        "sender_dim": SENDER_DIM,
        "category_dim": CATEGORY_DIM,
        "dense_names": list(DENSE_NAMES),
    }
    (directory / "model.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n")
    np.savez_compressed(
        directory / "weights.npz",
        weights=model.weights.astype(np.float32),
        category_weights=model.category_weights.astype(np.float32),
        category_bias=model.category_bias.astype(np.float32),
    )
    (directory / "MODEL_CARD.md").write_text(card)


def _load_linear(directory: Path, meta: dict[str, Any]) -> LinearModel:
    expected = {"hash_dim": HASH_DIM, "sender_dim": SENDER_DIM, "category_dim": CATEGORY_DIM}
    for key, value in expected.items():
        if meta.get(key) != value:
            raise ClassifierError(f"{directory}: {key}={meta.get(key)} but this code uses {value}")
    if list(meta.get("dense_names", [])) != list(DENSE_NAMES):
        raise ClassifierError(f"{directory}: engineered features differ from this code's")
    try:
        with np.load(directory / "weights.npz", allow_pickle=False) as arrays:
            weights = arrays["weights"].astype(np.float32)
            cat_w = arrays["category_weights"].astype(np.float32)
            cat_b = arrays["category_bias"].astype(np.float32)
    except (OSError, KeyError, ValueError) as exc:
        raise ClassifierError(f"{directory}/weights.npz is unreadable: {exc}") from None
    categories = tuple(meta["categories"])
    if weights.shape != (N_FEATURES,) or cat_w.shape != (
        len(categories),
        CATEGORY_DIM + len(DENSE_NAMES),
    ):
        raise ClassifierError(f"{directory}/weights.npz has arrays of the wrong shape")
    return LinearModel(
        name=str(meta["name"]),
        weights=weights,
        bias=float(meta["bias"]),
        platt_a=float(meta["platt_a"]),
        platt_b=float(meta["platt_b"]),
        threshold=float(meta["threshold"]),
        category_weights=cat_w,
        category_bias=cat_b,
        categories=categories,
        meta=meta,
    )


def _retired(directory: Path, meta: dict[str, Any]) -> LinearModel:
    # Same file format, but its columns mean what an older featurizer computed (v2 added cues
    # to v1's; v3 reads the HTML behind a placeholder plain part): scoring it here would be wrong.
    raise ClassifierError(
        f"{directory}: {meta.get('loader')} models were built for an older featurizer; "
        f"rebuild with `hubguard train` (this code loads {LINEAR_V3})"
    )


LOADERS: dict[str, Callable[[Path, dict[str, Any]], LinearModel]] = {
    LINEAR_V1: _retired,
    LINEAR_V2: _retired,
    LINEAR_V3: _load_linear,
}


def load_model(directory: Path | None = None) -> LinearModel:
    """Load the model in ``directory`` (default: the one shipped in the package)."""
    directory = directory or DEFAULT_MODEL_DIR
    try:
        meta = json.loads((directory / "model.json").read_text())
    except FileNotFoundError:
        raise ClassifierError(
            f"no model at {directory}: run `hubguard train` to build one"
        ) from None
    except (OSError, json.JSONDecodeError) as exc:
        raise ClassifierError(f"{directory}/model.json is unreadable: {exc}") from None
    loader_name = meta.get("loader") if isinstance(meta, dict) else None
    loader = LOADERS.get(str(loader_name))
    if loader is None:
        raise ClassifierError(
            f"{directory}: unknown model loader {loader_name!r}; "
            f"known loaders: {', '.join(sorted(LOADERS))}"
        )
    return loader(directory, meta)
