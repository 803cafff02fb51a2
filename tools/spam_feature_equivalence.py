"""Check that the spam featurizer and verdicts are unchanged against a reference git revision.

The shipped model reads the sparse vectors ``to_sparse(featurize(m))``; a speed-up of the
featurizer must not change a single column or value, or the model silently degrades. This runs
the reference revision's code and the working tree's code on the same messages (every row of
``load_training_sets()`` plus the benchmark's three robustness variants of the dev rows) and
compares, message by message: the sparse vector (same columns, values equal as float32), the
Features (tokens, phrases found, links, sender) and the verdicts (probability, is_spam,
category, reasons).

    .venv/bin/python tools/spam_feature_equivalence.py [--against REV] [--limit N]

Each side runs in its own interpreter (the reference from ``git archive REV src``), on one
snapshot of the rows, so a concurrent edit of the training data cannot make the sides differ.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import dataclasses
import json
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
VARIANTS = ("first 20 words", "lowercased, punctuation spaced", "no subject, no sender")
BATCH = 500


def _snapshot(path: Path, limit: int | None) -> int:
    """Write every message to check (rows + variants of the dev rows) as JSON lines."""
    from hubguard.spam.corpus import load_training_sets

    rows = load_training_sets()
    if limit:
        rows = rows[:: max(1, len(rows) // limit)]
    with path.open("w") as out:
        for r in rows:
            record = {"id": r.id, "split": r.split, "message": dataclasses.asdict(r.message)}
            out.write(json.dumps(record) + "\n")
    return len(rows)


def _capture(snapshot: Path, out_prefix: Path) -> None:
    """Run in a child interpreter: featurize and classify every message with *this* code."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from hubguard.spam import MessageInput, SpamFilter, load_model
    from hubguard.spam.features import featurize
    from hubguard.spam.model import to_sparse
    from spam_benchmark import variant  # type: ignore[import-not-found]

    messages: list[MessageInput] = []
    keys: list[str] = []
    for line in snapshot.read_text().splitlines():
        record = json.loads(line)
        msg = MessageInput(**record["message"])
        messages.append(msg)
        keys.append(record["id"])
        if record["split"] == "dev":
            for kind in VARIANTS:
                messages.append(variant(msg, kind))
                keys.append(f"{record['id']} [{kind}]")

    feats = [featurize(m) for m in messages]
    sparse = to_sparse(feats)
    details = [
        {
            "token_indices": list(f.token_indices),
            "tokens": list(f.tokens),
            "dense": [float(np.float32(v)) for v in f.dense],
            "found_phrases": {k: list(v) for k, v in sorted(f.found_phrases.items())},
            "prepared": repr(f.prepared),
            "sender": [f.sender_address, f.sender_domain],
        }
        for f in feats
    ]
    # Both sides score with the working tree's shipped model: only the code differs.
    spam_filter = SpamFilter(model=load_model(ROOT / "src/hubguard/spam/models/hubguard-linear.v3"))
    verdicts = []
    for i in range(0, len(messages), BATCH):
        for v in spam_filter.classify_batch(messages[i : i + BATCH]):
            verdicts.append([v.spam_probability, v.is_spam, v.category, list(v.reasons)])
    # Single-message path too: classify() must agree with classify_batch().
    singles = [
        [v.spam_probability, v.is_spam, v.category, list(v.reasons)]
        for v in (spam_filter.classify(m) for m in messages[::25])
    ]
    np.savez(
        out_prefix.with_suffix(".npz"),
        rows=sparse.rows,
        cols=sparse.cols,
        values=sparse.values,
    )
    out_prefix.with_suffix(".json").write_text(
        json.dumps({"keys": keys, "details": details, "verdicts": verdicts, "singles": singles})
    )


def _run_side(src: Path, snapshot: Path, out_prefix: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(src)}
    start = time.perf_counter()
    subprocess.run(  # noqa: S603 (this script, by our own interpreter)
        [sys.executable, __file__, "--capture", str(snapshot), str(out_prefix)],
        check=True,
        env=env,
        cwd=ROOT,
    )
    return time.perf_counter() - start


def _rows_of(prefix: Path) -> tuple[dict[str, Any], list[tuple[np.ndarray, np.ndarray]]]:
    info = json.loads(prefix.with_suffix(".json").read_text())
    with np.load(prefix.with_suffix(".npz"), allow_pickle=False) as arrays:
        rows, cols, values = arrays["rows"], arrays["cols"], arrays["values"]
    n = len(info["keys"])
    bounds = np.searchsorted(rows, np.arange(n + 1))
    per_row = [
        (cols[bounds[i] : bounds[i + 1]], values[bounds[i] : bounds[i + 1]]) for i in range(n)
    ]
    return info, per_row


def _compare(ref_prefix: Path, new_prefix: Path) -> int:
    ref, ref_rows = _rows_of(ref_prefix)
    new, new_rows = _rows_of(new_prefix)
    if ref["keys"] != new["keys"]:
        print("FAIL: the two sides saw different messages")
        return 1
    problems: dict[str, list[str]] = {}
    for i, key in enumerate(ref["keys"]):
        (rc, rv), (nc, nv) = ref_rows[i], new_rows[i]
        if not (np.array_equal(rc, nc) and np.array_equal(rv.astype(np.float32), nv)):
            problems.setdefault("sparse vector", []).append(key)
        for field, value in ref["details"][i].items():
            if new["details"][i][field] != value:
                problems.setdefault(f"features.{field}", []).append(key)
        if ref["verdicts"][i] != new["verdicts"][i]:
            problems.setdefault("verdict", []).append(key)
    if ref["singles"] != new["singles"]:
        problems.setdefault("single-message verdicts", []).append("(some)")
    print(f"compared {len(ref['keys'])} messages (rows and dev variants)")
    for what, keys in problems.items():
        print(f"FAIL {what}: {len(keys)} message(s), e.g. {keys[:5]}")
    if not problems:
        print("OK: identical sparse vectors, features and verdicts")
    return 1 if problems else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default="HEAD", help="reference git revision (HEAD)")
    parser.add_argument("--limit", type=int, help="check about this many rows only")
    parser.add_argument("--keep", type=Path, help="keep the captures in this directory")
    parser.add_argument("--capture", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.capture:
        _capture(*args.capture)
        return
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(args.keep or tmp_name)
        tmp.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(  # noqa: S603
            ["git", "archive", args.against, "src"],  # noqa: S607 (the developer's git)
            cwd=ROOT,
            check=True,
            capture_output=True,
        ).stdout
        reference = tmp / "reference"
        reference.mkdir(exist_ok=True)
        archive_path = tmp / "reference.tar"
        archive_path.write_bytes(archive)
        with tarfile.open(archive_path) as tar:
            tar.extractall(reference, filter="data")
        snapshot = tmp / "messages.jsonl"
        n = _snapshot(snapshot, args.limit)
        print(f"{n} rows; reference = {args.against}")
        t_ref = _run_side(reference / "src", snapshot, tmp / "reference_out")
        t_new = _run_side(ROOT / "src", snapshot, tmp / "working_tree_out")
        print(f"capture time: reference {t_ref:.1f} s, working tree {t_new:.1f} s")
        sys.exit(_compare(tmp / "reference_out", tmp / "working_tree_out"))


if __name__ == "__main__":
    main()
