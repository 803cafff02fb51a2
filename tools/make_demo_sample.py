"""Build the labelled sample that `hubguard demo` replays (src/hubguard/demo/sample.jsonl.gz).

Deterministic: every dev-split row of inbox-examples (modern shared-inbox traffic, 100 rows) and
a seeded draw of 50 dev-split rows from the SpamAssassin corpus. Only dev rows: the shipped model
never trained on them, so the demo's figures are honest. Run from the project root:

    python tools/make_demo_sample.py ../shared/datasets
"""

from __future__ import annotations

import gzip
import json
import random
import sys
from pathlib import Path

FIELDS = (
    "id",
    "label",
    "channel",
    "subject",
    "from_email",
    "from_name",
    "text",
    "html",
    "category",
)
OUT = Path(__file__).resolve().parents[1] / "src/hubguard/demo/sample.jsonl.gz"


def rows(path: Path) -> list[dict[str, object]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def main(datasets: Path) -> None:
    modern = [r for r in rows(datasets / "inbox-examples.jsonl.gz") if r["split"] == "dev"]
    classic = [r for r in rows(datasets / "spamassassin.jsonl.gz") if r["split"] == "dev"]
    rng = random.Random(20261128)
    ham = sorted((r for r in classic if r["label"] == "ham"), key=lambda r: str(r["id"]))
    spam = sorted((r for r in classic if r["label"] == "spam"), key=lambda r: str(r["id"]))
    picked = modern + rng.sample(ham, 35) + rng.sample(spam, 15)
    rng.shuffle(picked)
    lines = []
    for row in picked:
        item = {k: row.get(k) for k in FIELDS}
        text = str(item["text"] or "")
        item["text"] = text[:6000]
        if item["html"]:
            item["html"] = str(item["html"])[:12000]
        lines.append(json.dumps(item, ensure_ascii=False, sort_keys=True))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 keeps the gzip bytes identical from run to run.
    with OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(("\n".join(lines) + "\n").encode("utf-8"))
    print(f"wrote {len(lines)} messages to {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/datasets"))
