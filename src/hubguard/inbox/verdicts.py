"""Stored verdicts: what hubguard decided about each message, what it did, and what agents said.

One row per (portal, message), written with the *intended* action before HubSpot is called
(``action_state = intended``), then marked ``done`` or ``failed``. That row is the idempotency key
of the whole pipeline: a replayed event finds it and never classifies or acts a second time; a
worker that died between intent and completion resumes the intent (see ``processor``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hubguard.clock import Clock, SystemClock
from hubguard.errors import ThreadErasedError
from hubguard.inbox.sql import insert_ignore, transaction, upsert
from hubguard.inbox.tables import erased_threads, verdicts

__all__ = [
    "ALLOW_LISTED",
    "KNOWN_CONTACT",
    "Action",
    "ActionState",
    "StoredVerdict",
    "VerdictFacts",
    "VerdictRecord",
    "VerdictStore",
]


class Action(StrEnum):
    NONE = "none"
    COMMENT = "comment"
    CLOSE = "close"
    ARCHIVE = "archive"


# Action notes of verdicts a policy never archives or closes (the shadow report counts them apart).
ALLOW_LISTED = "allow_listed"  # the sender is on the portal's allow list: nothing done
KNOWN_CONTACT = "known_contact"  # a known customer: tagged with a comment, never closed/archived


class ActionState(StrEnum):
    NONE = "none"  # nothing to do (ham, shadow, allow-listed, known contact)
    INTENDED = "intended"  # recorded before calling HubSpot; resumed after a crash
    DONE = "done"
    FAILED = "failed"
    UNDONE = "undone"  # restored after "not spam" feedback


ERASED_MARK_SECONDS = 86_400.0  # how long an erased thread is remembered (see record)


def _thread_hash(thread_id: str) -> str:
    # What an erased thread is remembered by: no row names the thread after its erasure.
    return hashlib.sha256(thread_id.encode()).hexdigest()


@dataclass(frozen=True)
class VerdictFacts:
    """What a verdict says, as decided and as stored."""

    portal_id: int
    thread_id: str
    message_id: str
    inbox_id: str | None
    channel: str
    sender: str | None
    sender_name: str | None
    sender_actor: str | None
    subject: str | None
    score: float
    is_spam: bool
    category: str | None
    reasons: tuple[str, ...]
    model: str
    threshold: float
    mode: str
    action: Action
    action_state: ActionState


@dataclass(frozen=True)
class VerdictRecord(VerdictFacts):
    """A new verdict, as the processor decides it."""

    action_note: str | None = None
    received_at: float | None = None
    text: str | None = None  # kept until the retention deadline, for undo/learn
    html: str | None = None


@dataclass(frozen=True)
class StoredVerdict(VerdictFacts):
    """A verdict as stored (without the body)."""

    id: int
    action_note: str | None
    received_at: float | None
    decided_at: float
    acted_at: float | None
    feedback: str | None
    feedback_by: str | None
    feedback_at: float | None
    has_body: bool

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready dict for the API."""
        return {
            "id": self.id,
            "portal_id": self.portal_id,
            "thread_id": self.thread_id,
            "message_id": self.message_id,
            "inbox_id": self.inbox_id,
            "channel": self.channel,
            "sender": self.sender,
            "sender_name": self.sender_name,
            "sender_actor": self.sender_actor,
            "subject": self.subject,
            "score": round(self.score, 4),
            "is_spam": self.is_spam,
            "category": self.category,
            "reasons": list(self.reasons),
            "model": self.model,
            "threshold": self.threshold,
            "mode": self.mode,
            "action": self.action.value,
            "action_state": self.action_state.value,
            "action_note": self.action_note,
            "decided_at": self.decided_at,
            "acted_at": self.acted_at,
            "feedback": self.feedback,
            "feedback_by": self.feedback_by,
            "feedback_at": self.feedback_at,
        }


_COLUMNS = [c for c in verdicts.c if c.name != "body"]


def _stored(row: Any) -> StoredVerdict:
    reasons = row.reasons if isinstance(row.reasons, list) else json.loads(row.reasons or "[]")
    return StoredVerdict(
        id=row.id,
        portal_id=row.portal_id,
        thread_id=row.thread_id,
        message_id=row.message_id,
        inbox_id=row.inbox_id,
        channel=row.channel,
        sender=row.sender,
        sender_name=row.sender_name,
        sender_actor=row.sender_actor,
        subject=row.subject,
        score=row.score,
        is_spam=bool(row.is_spam),
        category=row.category,
        reasons=tuple(str(r) for r in reasons),
        model=row.model,
        threshold=row.threshold,
        mode=row.mode,
        action=Action(row.action),
        action_state=ActionState(row.action_state),
        action_note=row.action_note,
        received_at=row.received_at,
        decided_at=row.decided_at,
        acted_at=row.acted_at,
        feedback=row.feedback,
        feedback_by=row.feedback_by,
        feedback_at=row.feedback_at,
        has_body=row.body_expires_at is not None,
    )


class VerdictStore:
    """Verdict rows. Message bodies expire ``retention_days`` after the decision."""

    def __init__(
        self, engine: Engine, *, clock: Clock | None = None, retention_days: int = 30
    ) -> None:
        self._engine = engine
        self._clock = clock or SystemClock()
        self._retention = retention_days * 86_400.0

    def record(self, new: VerdictRecord) -> tuple[StoredVerdict, bool]:
        """Insert unless the message already has a verdict; returns (verdict, inserted)."""
        now = self._clock.now()
        keep_body = self._retention > 0 and (new.text or new.html)
        row = {
            "portal_id": new.portal_id,
            "thread_id": new.thread_id,
            "message_id": new.message_id,
            "inbox_id": new.inbox_id,
            "channel": new.channel,
            "sender": new.sender,
            "sender_name": new.sender_name,
            "sender_actor": (new.sender_actor or None) and new.sender_actor[:64],
            "subject": (new.subject or None) and new.subject[:998],
            "score": float(new.score),
            "is_spam": new.is_spam,
            "category": new.category,
            "reasons": list(new.reasons),
            "model": new.model,
            "threshold": float(new.threshold),
            "mode": new.mode,
            "action": new.action.value,
            "action_state": new.action_state.value,
            "action_note": new.action_note,
            "received_at": new.received_at,
            "decided_at": now,
            "body": json.dumps({"text": new.text, "html": new.html}) if keep_body else None,
            "body_expires_at": now + self._retention if keep_body else None,
        }
        with transaction(self._engine) as conn:
            inserted = insert_ignore(
                conn, verdicts, [row], ("portal_id", "message_id"), returning=verdicts.c.id
            )
            found = conn.execute(
                sa.select(*_COLUMNS).where(
                    verdicts.c.portal_id == new.portal_id,
                    verdicts.c.message_id == new.message_id,
                )
            ).one()
        # Checked after the insert is committed, as delete_thread marks the thread before it
        # deletes: whichever runs second sees the other's committed write, so no verdict
        # written during an erasure survives it.
        if inserted and self._erased(new.portal_id, new.thread_id):
            self.delete_verdict(found.id)
            raise ThreadErasedError(f"thread of verdict {found.id} was erased meanwhile")
        return _stored(found), bool(inserted)

    def _erased(self, portal_id: int, thread_id: str) -> bool:
        with transaction(self._engine) as conn:
            return (
                conn.execute(
                    sa.select(erased_threads.c.erased_at).where(
                        erased_threads.c.portal_id == portal_id,
                        erased_threads.c.thread_hash == _thread_hash(thread_id),
                    )
                ).first()
                is not None
            )

    def by_message(self, portal_id: int, message_id: str) -> StoredVerdict | None:
        return self._one(
            sa.and_(verdicts.c.portal_id == portal_id, verdicts.c.message_id == message_id)
        )

    def get(self, portal_id: int, verdict_id: int) -> StoredVerdict | None:
        return self._one(sa.and_(verdicts.c.portal_id == portal_id, verdicts.c.id == verdict_id))

    def _one(self, cond: Any) -> StoredVerdict | None:
        with transaction(self._engine) as conn:
            row = conn.execute(sa.select(*_COLUMNS).where(cond)).first()
        return _stored(row) if row is not None else None

    def for_thread(self, portal_id: int, thread_id: str) -> list[StoredVerdict]:
        """The thread's verdicts, oldest first."""
        with transaction(self._engine) as conn:
            rows = conn.execute(
                sa.select(*_COLUMNS)
                .where(verdicts.c.portal_id == portal_id, verdicts.c.thread_id == thread_id)
                .order_by(verdicts.c.id)
            ).all()
        return [_stored(r) for r in rows]

    def recent(
        self,
        portal_id: int,
        *,
        inbox_id: str | None = None,
        spam_only: bool = False,
        limit: int = 100,
        before_id: int | None = None,
    ) -> list[StoredVerdict]:
        """Newest first, paged by ``before_id``."""
        query = sa.select(*_COLUMNS).where(verdicts.c.portal_id == portal_id)
        if inbox_id is not None:
            query = query.where(verdicts.c.inbox_id == inbox_id)
        if spam_only:
            query = query.where(verdicts.c.is_spam.is_(True))
        if before_id is not None:
            query = query.where(verdicts.c.id < before_id)
        query = query.order_by(verdicts.c.id.desc()).limit(max(1, min(limit, 1000)))
        with transaction(self._engine) as conn:
            return [_stored(r) for r in conn.execute(query).all()]

    def tally(self, portal_id: int) -> tuple[int, int, int]:
        """(decided, flagged as spam, acted on) for one portal, in one cheap query."""
        v = verdicts.c
        acted = v.action.in_([Action.COMMENT.value, Action.CLOSE.value, Action.ARCHIVE.value])
        query = sa.select(
            sa.func.count(),
            sa.func.count().filter(v.is_spam.is_(True)),
            sa.func.count().filter(acted),
        ).where(v.portal_id == portal_id)
        with transaction(self._engine) as conn:
            decided, flagged, acted_on = conn.execute(query).one()
        return int(decided), int(flagged), int(acted_on)

    def all_for_portal(self, portal_id: int) -> list[StoredVerdict]:
        with transaction(self._engine) as conn:
            rows = conn.execute(sa.select(*_COLUMNS).where(verdicts.c.portal_id == portal_id)).all()
        return [_stored(r) for r in rows]

    def archived_unreviewed(self, portal_id: int) -> list[StoredVerdict]:
        """Threads the filter archived that no agent has marked either way, oldest first."""
        query = (
            sa.select(*_COLUMNS)
            .where(
                verdicts.c.portal_id == portal_id,
                verdicts.c.action == Action.ARCHIVE.value,
                verdicts.c.action_state == ActionState.DONE.value,
                verdicts.c.feedback.is_(None),
            )
            .order_by(verdicts.c.acted_at)
        )
        with transaction(self._engine) as conn:
            return [_stored(r) for r in conn.execute(query).all()]

    def body(self, verdict_id: int) -> tuple[str | None, str | None]:
        """(text, html) if the body is still kept, else (None, None)."""
        with transaction(self._engine) as conn:
            raw = conn.execute(
                sa.select(verdicts.c.body).where(verdicts.c.id == verdict_id)
            ).scalar()
        if not raw:
            return None, None
        data = json.loads(raw)
        return data.get("text"), data.get("html")

    def set_action_state(
        self,
        verdict_id: int,
        state: ActionState,
        note: str | None = None,
        *,
        only_from: ActionState | None = None,
    ) -> bool:
        """Set the action's state (DONE stamps ``acted_at``); with ``only_from``, only while the
        verdict is still in that state. Whether it was set."""
        values: dict[str, Any] = {"action_state": state.value}
        if state is ActionState.DONE:
            values["acted_at"] = self._clock.now()
        if note is not None:
            values["action_note"] = note[:64]
        cond = verdicts.c.id == verdict_id
        if only_from is not None:
            cond = sa.and_(cond, verdicts.c.action_state == only_from.value)
        with transaction(self._engine) as conn:
            result = conn.execute(verdicts.update().where(cond).values(**values))
        return bool(result.rowcount)

    def finish_action(self, verdict_id: int, note: str | None = None) -> bool:
        """Mark an intended action done; False if the verdict is no longer INTENDED (an agent's
        "Not spam" undid it while the action was in flight, or another worker finished it)."""
        return self.set_action_state(
            verdict_id, ActionState.DONE, note, only_from=ActionState.INTENDED
        )

    def set_feedback(self, verdict_id: int, feedback: str, actor: str) -> None:
        with transaction(self._engine) as conn:
            conn.execute(
                verdicts.update()
                .where(verdicts.c.id == verdict_id)
                .values(feedback=feedback, feedback_by=actor[:128], feedback_at=self._clock.now())
            )

    def purge_bodies(self) -> int:
        """Erase every body past its retention deadline; returns how many."""
        now = self._clock.now()
        with transaction(self._engine) as conn:
            result = conn.execute(
                verdicts.update()
                .where(verdicts.c.body_expires_at <= now)
                .values(body=None, body_expires_at=None)
            )
        return int(result.rowcount)

    def delete_thread(self, portal_id: int, thread_id: str) -> list[str]:
        """Delete a thread's verdicts; returns the message ids they were about. The thread is
        marked erased first (committed), so a verdict being written meanwhile removes itself."""
        with transaction(self._engine, write=True) as conn:
            upsert(
                conn,
                erased_threads,
                {
                    "portal_id": portal_id,
                    "thread_hash": _thread_hash(thread_id),
                    "erased_at": self._clock.now(),
                },
                ("portal_id", "thread_hash"),
            )
        cond = sa.and_(verdicts.c.portal_id == portal_id, verdicts.c.thread_id == thread_id)
        return self._delete(cond)

    def forget_erasures(self) -> int:
        """Drop erased-thread marks older than a day (no decision takes that long)."""
        older_than = self._clock.now() - ERASED_MARK_SECONDS
        with transaction(self._engine, write=True) as conn:
            result = conn.execute(
                erased_threads.delete().where(erased_threads.c.erased_at < older_than)
            )
        return int(result.rowcount)

    def delete_verdict(self, verdict_id: int) -> None:
        self._delete(verdicts.c.id == verdict_id)

    def delete_portal(self, portal_id: int) -> list[str]:
        return self._delete(verdicts.c.portal_id == portal_id)

    def _delete(self, cond: Any) -> list[str]:
        with transaction(self._engine, write=True) as conn:
            ids: Sequence[str] = (
                conn.execute(sa.select(verdicts.c.message_id).where(cond)).scalars().all()
            )
            conn.execute(verdicts.delete().where(cond))
        return list(ids)
