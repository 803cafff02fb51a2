"""Metrics the issue asks for, and the pictures of ``hubguard eval``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["metrics", "recall_at_fpr", "write_report"]

Array = npt.NDArray[np.float64]


def recall_at_fpr(y: Array, scores: Array, max_fpr: float) -> float:
    """Highest spam recall reachable with a false-positive rate of at most ``max_fpr``."""
    ham = np.sort(scores[y == 0])[::-1]
    spam = scores[y == 1]
    if len(spam) == 0 or len(ham) == 0:
        return float("nan")
    allowed = int(np.floor(max_fpr * len(ham)))  # ham allowed above the threshold
    cut = ham[allowed] if allowed < len(ham) else -np.inf
    return float(np.mean(spam > cut))


def metrics(y_true: Sequence[int], scores: Sequence[float], threshold: float) -> dict[str, Any]:
    """AUC, recall at 0.1 % / 0.5 % / 1 % FPR, and recall / FPR / flagged ham at ``threshold``."""
    from sklearn.metrics import roc_auc_score

    y = np.asarray(y_true, dtype=np.float64)
    s = np.asarray(scores, dtype=np.float64)
    n_spam, n_ham = int(y.sum()), int((1 - y).sum())
    out: dict[str, Any] = {"n_spam": n_spam, "n_ham": n_ham}
    out["auc"] = float(roc_auc_score(y, s)) if n_spam and n_ham else None
    for label, fpr in (("0.1%", 0.001), ("0.5%", 0.005), ("1%", 0.01)):
        out[f"recall_at_{label}_fpr"] = recall_at_fpr(y, s, fpr) if n_spam and n_ham else None
    flagged = s >= threshold
    out["threshold"] = threshold
    out["recall"] = float(flagged[y == 1].mean()) if n_spam else None
    out["fpr"] = float(flagged[y == 0].mean()) if n_ham else None
    out["ham_flagged"] = int(flagged[y == 0].sum())
    out["spam_missed"] = int((~flagged[y == 1]).sum())
    return out


def write_report(
    directory: Path,
    groups: dict[str, tuple[Sequence[int], Sequence[float]]],
    threshold: float,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """metrics.json plus roc.png, histograms.png and calibration.png for each named group."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.calibration import calibration_curve
    from sklearn.metrics import roc_curve

    directory.mkdir(parents=True, exist_ok=True)
    result = {name: metrics(y, s, threshold) for name, (y, s) in groups.items()}
    result.update(extra or {})
    (directory / "metrics.json").write_text(json.dumps(result, indent=2) + "\n")

    fig, ax = plt.subplots(figsize=(6, 5))
    for name, (y, s) in groups.items():
        if 0 < sum(y) < len(y):
            fpr, tpr, _ = roc_curve(y, s)
            ax.plot(fpr, tpr, label=f"{name} (AUC {result[name]['auc']:.3f})")
    ax.set_xscale("symlog", linthresh=0.01)
    ax.set(xlabel="false-positive rate (log above 1%)", ylabel="spam recall", title="ROC")
    ax.legend(loc="lower right")
    fig.savefig(directory / "roc.png", dpi=110, bbox_inches="tight")
    plt.close(fig)

    fig, axes = plt.subplots(len(groups), 1, figsize=(7, 2.6 * len(groups)), squeeze=False)
    for ax, (name, (y, s)) in zip(axes[:, 0], groups.items(), strict=True):
        ys, ss = np.asarray(y), np.asarray(s)
        bins = np.linspace(0, 1, 41)
        ax.hist(ss[ys == 0], bins=bins, alpha=0.6, label="ham", color="tab:green", log=True)
        ax.hist(ss[ys == 1], bins=bins, alpha=0.6, label="spam", color="tab:red", log=True)
        ax.axvline(threshold, color="black", linestyle="--", label=f"threshold {threshold:.2f}")
        ax.set(title=f"{name}: spam probability by class", xlabel="spam probability")
        ax.legend()
    fig.tight_layout()
    fig.savefig(directory / "histograms.png", dpi=110)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(5.5, 5))
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", label="perfect")
    for name, (y, s) in groups.items():
        if 0 < sum(y) < len(y):
            frac, mean = calibration_curve(y, s, n_bins=10, strategy="quantile")
            ax.plot(mean, frac, marker="o", label=name)
    ax.set(
        xlabel="predicted spam probability", ylabel="observed share of spam", title="Calibration"
    )
    ax.legend()
    fig.savefig(directory / "calibration.png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return result
