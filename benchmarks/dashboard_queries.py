"""Benchmark: the dashboard's two portal-wide queries on a big portal, in PostgreSQL.

Fills a scratch database with N verdicts of one portal (a year of traffic, 30 days of it in the
histogram's window, 1 % marked "not spam"), then times the shadow report (every verdict of the
portal, grouped) and the score histogram (the last 30 days, banded in the database from
``ix_inbox_verdicts_portal_decided``), each the best of 3 after VACUUM ANALYZE.

    .venv/bin/python benchmarks/dashboard_queries.py [--verdicts 1000000]
        [--url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

The scratch database ``hubguard_dashboard_bench`` is dropped and created on the given server.
Takes about a minute per million verdicts (mostly the inserts).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

import sqlalchemy as sa

from hubguard.db import create_engine, migrate
from hubguard.inbox.policies import PolicyStore
from hubguard.inbox.report import score_histogram, shadow_report
from hubguard.inbox.tables import verdicts

SCRATCH = "hubguard_dashboard_bench"
DAY = 86_400.0


def fill(url: str, n: int, now: float) -> sa.Engine:
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {SCRATCH}")
        conn.exec_driver_sql(f"CREATE DATABASE {SCRATCH}")
    admin.dispose()
    engine = create_engine(url.rsplit("/", 1)[0] + "/" + SCRATCH)
    migrate(engine)
    rng = random.Random(20261129)
    rows = []
    for i in range(n):
        score = rng.random()
        spam = score >= 0.95
        rows.append(
            {
                "portal_id": 1,
                "thread_id": f"t{i}",
                "message_id": f"m{i}",
                "inbox_id": f"inbox-{i % 3}",
                "channel": "EMAIL",
                "score": score,
                "is_spam": spam,
                "category": "other_spam" if spam else None,
                "reasons": ["a reason"],
                "model": "bench",
                "threshold": 0.95,
                "mode": "shadow",
                "action": "none",
                "action_state": "none",
                "decided_at": now - rng.random() * 365 * DAY,
                "feedback": "not_spam" if rng.random() < 0.01 else None,
            }
        )
        if len(rows) == 20_000 or i == n - 1:
            with engine.begin() as conn:
                conn.execute(verdicts.insert(), rows)
            rows = []
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE inbox_verdicts")
    return engine


def best_of_3(fn: Callable[[], object]) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--verdicts", type=int, default=1_000_000)
    parser.add_argument("--url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    now = time.time()
    start = time.perf_counter()
    engine = fill(args.url, args.verdicts, now)
    print(f"{args.verdicts} verdicts of one portal written in {time.perf_counter() - start:.0f} s")
    policies = PolicyStore(engine)
    in_window = sum(b.messages for b in score_histogram(engine, 1, now - 30 * DAY))
    report_ms = best_of_3(lambda: shadow_report(engine, policies, 1))
    histogram_ms = best_of_3(lambda: score_histogram(engine, 1, now - 30 * DAY))
    print(f"shadow report (all {args.verdicts} verdicts grouped): {report_ms:.0f} ms")
    print(f"score histogram ({in_window} verdicts of the last 30 days): {histogram_ms:.0f} ms")
    engine.dispose()


if __name__ == "__main__":
    main()
