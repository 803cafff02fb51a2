"""The review digest: archived threads HubSpot will soon delete for good, that nobody reviewed.

HubSpot deletes an archived thread permanently 30 days after it was archived. Archiving is how
the filter takes spam out of an inbox, so a real message it archived by mistake, and nobody
looked at, is lost on day 30. The digest lists, per portal, the threads hubguard archived whose
window closes within a few days and that carry no agent feedback yet, soonest first, with the
verdict's reasons and the route that restores the thread; and it counts the windows that
already closed unreviewed. :class:`ReviewReminder` logs a warning a day per portal while
anything is due (a maintenance task of the embedded worker).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from hubguard.clock import Clock
from hubguard.inbox.verdicts import StoredVerdict, VerdictStore
from hubguard.models import Installation, InstallationStatus

__all__ = ["HUBSPOT_ARCHIVE_DAYS", "ReviewDigest", "ReviewItem", "ReviewReminder", "review_digest"]

log = logging.getLogger(__name__)

DAY = 86_400.0
HUBSPOT_ARCHIVE_DAYS = 30  # "Archived threads are permanently deleted after 30 days"
DEFAULT_WITHIN_DAYS = 7.0
CHECK_EVERY = 3_600.0  # a thread enters the 7-day window at most an hour before it is seen


@dataclass(frozen=True)
class ReviewItem:
    """One archived, unreviewed thread and when HubSpot deletes it."""

    verdict: StoredVerdict
    deleted_at: float
    days_left: float

    def as_json(self) -> dict[str, Any]:
        v = self.verdict
        return {
            "verdict": v.as_json(),
            "deleted_at": self.deleted_at,
            "days_left": round(self.days_left, 2),
            "restore": f"/api/portals/{v.portal_id}/verdicts/{v.id}/not-spam",
        }


@dataclass(frozen=True)
class ReviewDigest:
    """A portal's archived threads due for review, and the ones whose window already closed."""

    portal_id: int
    within_days: float
    items: tuple[ReviewItem, ...]
    lapsed: int  # archived, never reviewed, already deleted by HubSpot

    def summary(self) -> str:
        due = (
            f"{len(self.items)} archived thread(s) will be deleted by HubSpot within "
            f"{self.within_days:g} days without review"
        )
        lapsed = f"; {self.lapsed} were deleted unreviewed before" if self.lapsed else ""
        return f"portal {self.portal_id}: {due}{lapsed}"

    def as_json(self) -> dict[str, Any]:
        return {
            "portal_id": self.portal_id,
            "within_days": self.within_days,
            "due": [item.as_json() for item in self.items],
            "lapsed": self.lapsed,
        }


def review_digest(
    verdicts: VerdictStore, portal_id: int, now: float, within_days: float = DEFAULT_WITHIN_DAYS
) -> ReviewDigest:
    """The digest of ``portal_id`` at ``now``: due within ``within_days``, soonest first."""
    items: list[ReviewItem] = []
    lapsed = 0
    for verdict in verdicts.archived_unreviewed(portal_id):
        assert verdict.acted_at is not None  # set whenever an action is done
        deleted_at = verdict.acted_at + HUBSPOT_ARCHIVE_DAYS * DAY
        days_left = (deleted_at - now) / DAY
        if days_left <= 0:
            lapsed += 1
        elif days_left <= within_days:
            items.append(ReviewItem(verdict, deleted_at, days_left))
    items.sort(key=lambda item: item.deleted_at)
    return ReviewDigest(portal_id, within_days, tuple(items), lapsed)


class ReviewReminder:
    """Logs each active portal's digest summary once a day while something is due.

    The worker calls :meth:`tick` every maintenance round (about a minute); each portal's
    archive is queried at most once per :data:`CHECK_EVERY`, not every round."""

    def __init__(
        self,
        verdicts: VerdictStore,
        installations: Callable[[], Iterable[Installation]],
        clock: Clock,
        *,
        within_days: float = DEFAULT_WITHIN_DAYS,
    ) -> None:
        self._verdicts = verdicts
        self._installations = installations
        self._clock = clock
        self._within = within_days
        self._last: dict[int, float] = {}  # portal -> when it was last reminded
        self._checked: dict[int, float] = {}  # portal -> when its archive was last queried
        self._lock = threading.Lock()

    def tick(self) -> int:
        """Remind where due; returns how many portals were reminded."""
        now = self._clock.now()
        reminded = 0
        for inst in self._installations():
            if inst.status is not InstallationStatus.ACTIVE:
                continue
            with self._lock:
                last = self._last.get(inst.portal_id)
                checked = self._checked.get(inst.portal_id)
                if (last is not None and now - last < DAY) or (
                    checked is not None and now - checked < CHECK_EVERY
                ):
                    continue
                self._checked[inst.portal_id] = now
            digest = review_digest(self._verdicts, inst.portal_id, now, self._within)
            if not digest.items:
                continue
            log.warning(
                "%s; review them: GET /api/portals/%s/review",
                digest.summary(),
                inst.portal_id,
            )
            with self._lock:
                self._last[inst.portal_id] = now
            reminded += 1
        return reminded
