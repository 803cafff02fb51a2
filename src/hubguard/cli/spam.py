"""`hubguard classify | learn | train | eval`: the spam classifier on the command line."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from hubguard.spam import MessageInput, SpamFilter

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
    # ASCII escapes: an id or text holding a lone surrogate still makes a valid line.
    sys.stdout.write(json.dumps(line) + "\n")


def classify(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help=".eml, mbox, JSONL files or directories; - = stdin"),
    ] = None,
    portal: Annotated[
        int | None,
        typer.Option(
            "--portal", min=1, max=2**63 - 1, help="apply this portal's lists and learning"
        ),
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option("--threshold", min=0.0, max=1.0, help="override the shipped threshold"),
    ] = None,
) -> None:
    """Score messages; one JSONL line per input message, in input order."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from hubguard.spam.ingest import Item, iter_items, stdin_text

    if threshold is not None and math.isnan(threshold):  # NaN passes any range check
        raise typer.BadParameter("must be a number from 0 to 1", param_hint="--threshold")
    spam_filter = _filter(portal is not None)
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.completed} messages scored"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
        # rich would otherwise send what is printed to stdout while the bar shows (the
        # verdicts) to its own console, on stderr.
        redirect_stdout=False,
        redirect_stderr=False,
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
        for item in iter_items(paths or ["-"], stdin_text()):
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
    file: Annotated[
        Path,
        typer.Argument(
            exists=True,
            dir_okay=False,
            allow_dash=True,
            help='JSONL with a "label": "spam" | "ham" per line; - = stdin',
        ),
    ],
    portal: Annotated[
        int, typer.Option("--portal", min=1, max=2**63 - 1, help="the portal to teach")
    ],
) -> None:
    """Teach one portal from labelled JSONL (what the dashboard's feedback buttons do).

    A line's ``id`` is its key: learning a file again, or a later line with the same id,
    replaces that label. A line without an id is keyed by its content."""
    from hubguard.spam.ingest import iter_items, stdin_text

    spam_filter = _filter(True)
    labelled: list[tuple[MessageInput, str, str | None]] = []
    errors = 0
    for item in iter_items([str(file)], stdin_text()):
        if item.message is None or item.label not in ("spam", "ham"):
            errors += 1
            _emit({"id": item.id, "error": item.error or 'needs "label": "spam" or "ham"'})
            continue
        has_id = item.raw is not None and item.raw.get("id") is not None
        labelled.append((item.message, item.label, item.id if has_id else None))
    stored = spam_filter.learn_many(portal, labelled, source="cli")
    repeated = len(labelled) - stored["spam"] - stored["ham"]
    note = f"; {repeated} repeated line(s): the last label of each kept" if repeated else ""
    typer.echo(
        f"portal {portal}: learned {stored['spam']} spam, {stored['ham']} ham; "
        f"{errors} line(s) skipped{note}",
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
    data: Annotated[
        Path,
        typer.Option("--data", exists=True, dir_okay=False, help="labelled JSONL (.gz allowed)"),
    ],
    report: Annotated[
        Path,
        typer.Option("--report", file_okay=False, help="directory for metrics.json + PNGs"),
    ],
    split: Annotated[
        str | None, typer.Option("--split", help="only rows with this split, e.g. dev")
    ] = None,
    model_dir: Annotated[
        Path | None, typer.Option("--model", help="model directory to evaluate")
    ] = None,
) -> None:
    """Metrics (JSON) and pictures: ROC, score histograms per class, calibration."""
    from hubguard.spam import SpamFilter, load_model
    from hubguard.spam.corpus import labelled
    from hubguard.spam.evaluation import write_report
    from hubguard.spam.ingest import iter_jsonl

    rows = []
    for item in iter_jsonl(data):
        # Metrics over a file with a bad line would be metrics over less than asked for.
        if item.raw is None or item.message is None:
            raise typer.BadParameter(f"{item.id}: {item.error}", param_hint="--data")
        if item.label not in ("spam", "ham"):
            raise typer.BadParameter(
                f'{item.id}: needs "label": "spam" or "ham"', param_hint="--data"
            )
        if split is None or item.raw.get("split") == split:
            source = str(item.raw.get("source", ""))
            rows.append(
                labelled({**item.raw, "id": item.id}, clean=source.startswith("spamassassin"))
            )
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
