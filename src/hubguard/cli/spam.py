"""`hubguard classify | learn | train | eval`: the spam classifier on the command line."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from hubguard.spam import SpamFilter

CHUNK = 256  # messages scored per batch
PROGRESS_AFTER = 2 * CHUNK  # inputs shorter than this finish before a bar would help


def _filter(with_database: bool) -> SpamFilter:
    from hubguard.config import Settings
    from hubguard.db import create_engine, migrate
    from hubguard.spam import SpamFilter

    if not with_database:
        return SpamFilter()
    engine = create_engine(Settings.load().effective_database_url)
    migrate(engine)
    return SpamFilter(engine)


def _emit(line: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")


def classify(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help=".eml, mbox, JSONL files or directories; - = stdin"),
    ] = None,
    portal: Annotated[
        int | None, typer.Option("--portal", help="apply this portal's lists and learning")
    ] = None,
    threshold: Annotated[
        float | None, typer.Option("--threshold", help="override the shipped threshold")
    ] = None,
) -> None:
    """Score messages; one JSONL line per input message, in input order."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from hubguard.spam.ingest import Item, iter_items

    spam_filter = _filter(portal is not None)
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.completed} messages scored"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = progress.add_task("classify", total=None)
    done = 0

    def flush(chunk: list[Item]) -> None:
        messages = [item.message for item in chunk if item.message is not None]
        verdicts = iter(spam_filter.classify_batch(messages, portal_id=portal, threshold=threshold))
        for item in chunk:
            if item.message is None:
                _emit({"id": item.id, "error": item.error})
                continue
            v = next(verdicts)
            _emit(
                {
                    "id": item.id,
                    "spam_probability": v.spam_probability,
                    "is_spam": v.is_spam,
                    "category": v.category,
                    "reasons": list(v.reasons),
                    "model": v.model,
                }
            )

    chunk: list[Item] = []
    try:
        for item in iter_items(paths or ["-"], sys.stdin):
            chunk.append(item)
            if len(chunk) >= CHUNK:
                flush(chunk)
                done += len(chunk)
                chunk = []
                if done >= PROGRESS_AFTER and not progress.live.is_started:
                    progress.start()
                progress.update(task, completed=done)
        flush(chunk)
    finally:
        progress.stop()


def learn(
    file: Annotated[Path, typer.Argument(help='JSONL with a "label": "spam" | "ham" per line')],
    portal: Annotated[int, typer.Option("--portal", help="the portal to teach")],
) -> None:
    """Teach one portal from labelled JSONL (what the dashboard's feedback buttons do)."""
    from hubguard.spam.ingest import iter_items

    spam_filter = _filter(True)
    counts = {"spam": 0, "ham": 0, "errors": 0}
    for item in iter_items([str(file)], sys.stdin):
        if item.message is None or item.label not in ("spam", "ham"):
            counts["errors"] += 1
            _emit({"id": item.id, "error": item.error or 'needs "label": "spam" or "ham"'})
            continue
        spam_filter.learn(portal, item.message, item.label, source="cli", key=item.id)
        counts[item.label] += 1
    typer.echo(
        f"portal {portal}: learned {counts['spam']} spam, {counts['ham']} ham; "
        f"{counts['errors']} line(s) skipped",
        err=True,
    )


def train(
    out: Annotated[
        Path | None, typer.Option("--out", help="model directory (default: the shipped one)")
    ] = None,
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="the shared/datasets directory")
    ] = None,
) -> None:
    """Rebuild the global model reproducibly and write its model card."""
    from hubguard.spam.model import DEFAULT_MODEL_DIR
    from hubguard.spam.training import build

    build(out or DEFAULT_MODEL_DIR, datasets_dir=data_dir, log=lambda m: typer.echo(m, err=True))


def evaluate(
    data: Annotated[Path, typer.Option("--data", help="labelled JSONL (.gz allowed)")],
    report: Annotated[Path, typer.Option("--report", help="directory for metrics.json + PNGs")],
    split: Annotated[
        str | None, typer.Option("--split", help="only rows with this split, e.g. dev")
    ] = None,
    model_dir: Annotated[
        Path | None, typer.Option("--model", help="model directory to evaluate")
    ] = None,
) -> None:
    """Metrics (JSON) and pictures: ROC, score histograms per class, calibration."""
    from hubguard.spam import SpamFilter, load_model
    from hubguard.spam.corpus import labelled, load_jsonl
    from hubguard.spam.evaluation import write_report

    rows = [
        labelled(r, clean=str(r.get("source", "")).startswith("spamassassin"))
        for r in load_jsonl(data)
        if split is None or r.get("split") == split
    ]
    if not rows:
        raise typer.BadParameter("no labelled rows to evaluate", param_hint="--data")
    spam_filter = SpamFilter(model=load_model(model_dir) if model_dir else None)
    verdicts = spam_filter.classify_batch([r.message for r in rows])
    groups: dict[str, tuple[Sequence[int], Sequence[float]]] = {}
    for row, verdict in zip(rows, verdicts, strict=True):
        for name in ("all", f"channel/{row.message.channel}"):
            ys, ss = groups.setdefault(name, ([], []))
            ys.append(int(row.label == "spam"))  # type: ignore[attr-defined]
            ss.append(verdict.spam_probability)  # type: ignore[attr-defined]
    result = write_report(
        report,
        groups,
        spam_filter.model.threshold,
        extra={"model": spam_filter.model.name, "data": str(data), "split": split},
    )
    typer.echo(json.dumps(result["all"], indent=2))
    typer.echo(f"report written to {report}", err=True)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    app.command()(classify)
    app.command()(learn)
    app.command()(train)
    app.command(name="eval")(evaluate)
