"""Train a candidate global model and print the issue's quality targets, pass or fail (about 10-20 s).

For trying a change to the features, data or training knobs before rebuilding the shipped
model; benchmarks/spam_benchmark.py is the full side-by-side run (baselines, speed, SpamAssassin).

    .venv/bin/python tools/spam_targets.py [--set c=300 --set modern_weight=50 ...] [--save DIR]
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import dataclasses
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from hubguard.spam.corpus import load_training_sets
from hubguard.spam.evaluation import metrics
from hubguard.spam.features import featurize
from hubguard.spam.model import LinearModel, save_model, to_sparse
from hubguard.spam.training import TrainConfig, train_model
from spam_benchmark import variant  # type: ignore[import-not-found]

VARIANTS = ("first 20 words", "lowercased, punctuation spaced", "no subject, no sender")


def _scores(model: LinearModel, messages: list) -> np.ndarray:  # type: ignore[type-arg]
    return model.calibrate(model.logits(to_sparse([featurize(m) for m in messages])))


def _parse(pairs: list[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    fields = {f.name: f for f in dataclasses.fields(TrainConfig)}
    for pair in pairs:
        key, _, raw = pair.partition("=")
        if key not in fields:
            raise SystemExit(f"unknown TrainConfig field {key!r}: {', '.join(fields)}")
        current = getattr(TrainConfig(), key)
        out[key] = (
            raw.lower() in ("1", "true", "yes")
            if isinstance(current, bool)
            else tuple(filter(None, raw.split(",")))
            if isinstance(current, tuple)
            else type(current)(raw)
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE")
    parser.add_argument("--save", type=Path, help="also write the model directory here")
    parser.add_argument(
        "--show-misses", action="store_true", help="list the inbox dev rows decided wrongly"
    )
    args = parser.parse_args()
    config = TrainConfig(**_parse(args.set))  # type: ignore[arg-type]
    rows = load_training_sets()
    model = train_model(rows, config, log=lambda m: print(f"  {m}", file=sys.stderr))
    if args.save:
        save_model(model, args.save, f"# candidate {model.name}\n")
    dev = [r for r in rows if r.split == "dev"]
    sets = {
        "spamassassin": [r for r in dev if r.source.startswith("spamassassin")],
        "inbox-examples": [r for r in dev if r.source == "inbox-examples"],
    }
    print(f"threshold {model.threshold}  config {config}")
    ok_all = True

    def check(label: str, ok: bool) -> str:
        nonlocal ok_all
        ok_all &= ok
        return f"{label} {'ok' if ok else 'MISS'}"

    for name, set_rows in sets.items():
        y = [int(r.label == "spam") for r in set_rows]
        m = metrics(y, _scores(model, [r.message for r in set_rows]).tolist(), model.threshold)
        line = (
            f"{name:15} AUC {m['auc']:.4f}  R@0.1% {m['recall_at_0.1%_fpr']:.3f}  "
            f"R@0.5% {m['recall_at_0.5%_fpr']:.3f}  R@1% {m['recall_at_1%_fpr']:.3f}  "
            f"recall {m['recall']:.3f}  FPR {m['fpr']:.4f} ({m['ham_flagged']} ham)  "
        )
        if name == "spamassassin":
            line += check("R@0.5%>=0.95", m["recall_at_0.5%_fpr"] >= 0.95) + "  "
            line += check("FPR<=0.5%", m["fpr"] <= 0.005)
        else:
            line += check("recall>=0.90", m["recall"] >= 0.9) + "  "
            line += check("ham<=2", m["ham_flagged"] <= 2)
        print(line)
        for kind in VARIANTS:
            s = _scores(model, [variant(r.message, kind) for r in set_rows])
            v = metrics(y, s.tolist(), model.threshold)
            print(
                f"  {kind:32} FPR {v['fpr']:.4f} ({v['ham_flagged']} ham)  "
                f"recall {v['recall']:.3f}  " + check("FPR<=1%", v["fpr"] <= 0.01)
            )
        missed = [
            r
            for r, p in zip(set_rows, _scores(model, [r.message for r in set_rows]), strict=True)
            if (p >= model.threshold) != (r.label == "spam")
        ]
        if name == "inbox-examples" and args.show_misses:
            for r in missed:
                subject = re.sub(r"\s+", " ", r.message.subject or r.message.text or "")[:70]
                print(
                    f"    wrong: {r.label:4} {r.category or '-':15} {r.message.channel:5} {subject}"
                )
    print("ALL TARGETS MET" if ok_all else "targets missed")


if __name__ == "__main__":
    main()
