"""The shadow report: what each inbox's policy did, or would have done, and how often it was wrong.

Per inbox: messages decided, how many scored as spam ("flagged"), how many of those a non-shadow
policy would act on (allow-listed senders and known contacts are never acted on), what was
actually done, and the agents' feedback. The estimated false-positive rate is the share of
*reviewed* flagged messages that agents marked "not spam", with a 95 % Wilson upper bound so a
handful of reviews is not over-trusted; ``None`` until something was reviewed.

The score histogram shows where a portal's messages score, and where agents disagreed with the
filter, so an admin can see what a different threshold would catch or spare.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hubguard.inbox.policies import PolicyStore
from hubguard.inbox.sql import transaction
from hubguard.inbox.tables import verdicts
from hubguard.inbox.verdicts import ALLOW_LISTED, KNOWN_CONTACT

__all__ = ["InboxReport", "ScoreBucket", "score_histogram", "shadow_report", "wilson_upper"]

_NEVER_ACTED = (ALLOW_LISTED, KNOWN_CONTACT)


def wilson_upper(failures: int, trials: int, z: float = 1.96) -> float | None:
    """Upper bound of the 95 % Wilson score interval for failures / trials."""
    if trials <= 0:
        return None
    p = failures / trials
    denom = 1 + z * z / trials
    centre = p + z * z / (2 * trials)
    margin = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials))
    return min(1.0, (centre + margin) / denom)


@dataclass
class InboxReport:
    """One inbox's numbers."""

    inbox_id: str | None
    mode: str
    threshold: float | None
    messages: int = 0
    flagged: int = 0
    would_act: int = 0
    acted: int = 0
    undone: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
    reviewed: int = 0
    false_positives: int = 0
    confirmed_spam: int = 0
    missed_spam: int = 0
    estimated_false_positive_rate: float | None = None
    false_positive_rate_upper_95: float | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def shadow_report(engine: Engine, policies: PolicyStore, portal_id: int) -> list[InboxReport]:
    """One :class:`InboxReport` per inbox that has verdicts or a policy, by inbox id."""
    v = verdicts.c
    query = (
        sa.select(
            v.inbox_id,
            v.is_spam,
            v.category,
            v.feedback,
            v.action_state,
            v.action_note,
            sa.func.count(),
        )
        .where(v.portal_id == portal_id)
        .group_by(v.inbox_id, v.is_spam, v.category, v.feedback, v.action_state, v.action_note)
    )
    with transaction(engine) as conn:
        groups = conn.execute(query).all()
    reports: dict[str | None, InboxReport] = {}
    for policy in policies.for_portal(portal_id):
        reports[policy.inbox_id] = InboxReport(policy.inbox_id, policy.mode.value, policy.threshold)
    for inbox_id, is_spam, category, feedback, state, note, count in groups:
        report = reports.get(inbox_id)
        if report is None:
            found = policies.get(portal_id, inbox_id) if inbox_id else None
            report = InboxReport(
                inbox_id,
                found.mode.value if found else "shadow",
                found.threshold if found else None,
            )
            reports[inbox_id] = report
        report.messages += count
        if is_spam:
            report.flagged += count
            key = category or "other_spam"
            report.by_category[key] = report.by_category.get(key, 0) + count
            if note not in _NEVER_ACTED:
                report.would_act += count
            if state in ("done", "undone"):
                report.acted += count
            if state == "undone":
                report.undone += count
            if feedback in ("not_spam", "spam"):
                report.reviewed += count
            if feedback == "not_spam":
                report.false_positives += count
            elif feedback == "spam":
                report.confirmed_spam += count
        elif feedback == "spam":
            report.missed_spam += count
    for report in reports.values():
        if report.reviewed:
            report.estimated_false_positive_rate = report.false_positives / report.reviewed
            report.false_positive_rate_upper_95 = wilson_upper(
                report.false_positives, report.reviewed
            )
    return sorted(reports.values(), key=lambda r: r.inbox_id or "")


@dataclass(frozen=True)
class ScoreBucket:
    """Verdicts whose score is in [low, high) ([low, 1] for the last), and agents' marks on them."""

    low: float
    high: float
    messages: int
    marked_not_spam: int
    marked_spam: int


def score_histogram(
    engine: Engine, portal_id: int, since: float, buckets: int = 10
) -> list[ScoreBucket]:
    """The portal's verdicts decided since ``since``, by score, in ``buckets`` equal bands.

    Counted in the database (from ``ix_inbox_verdicts_portal_decided``), every verdict of the
    period, however many: a band is the number of boundaries ``k`` the score reaches
    (``score * buckets >= k``), which is ``min(int(score * buckets), buckets - 1)`` in any SQL
    dialect."""
    v = verdicts.c
    band = sum(
        (sa.case((v.score * buckets >= k, 1), else_=0) for k in range(1, buckets)),
        sa.literal(0),
    ).label("band")
    query = (
        sa.select(band, v.feedback, sa.func.count())
        .where(v.portal_id == portal_id, v.decided_at >= since)
        .group_by(band, v.feedback)
    )
    with transaction(engine) as conn:
        rows = conn.execute(query).all()
    counts = [[0, 0, 0] for _ in range(buckets)]
    for index, feedback, count in rows:
        counts[index][0] += count
        counts[index][1] += count if feedback == "not_spam" else 0
        counts[index][2] += count if feedback == "spam" else 0
    return [ScoreBucket(i / buckets, (i + 1) / buckets, *band) for i, band in enumerate(counts)]
