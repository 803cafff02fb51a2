"""The spam filter's portal state in the shared database (SQLite or PostgreSQL, SQLAlchemy Core).

SQLAlchemy errors are translated here, once, into :class:`~hubguard.errors.SpamStateError`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from hubguard.errors import SpamStateError
from hubguard.spam.correction import Correction, Example
from hubguard.spam.tables import spam_corrections, spam_feedback, spam_lists
from hubguard.vault.locks import advisory_key

__all__ = ["PortalStore"]


_EMPTY_WEIGHTS = json.dumps({"cols": [], "values": []})
LEARNING_LOCKS = "hubguard.spam.learning"  # advisory-lock namespace, apart from the vault's


def _features_json(example: Example) -> str:
    """How a learned example's feature vector is stored: ``[[col, ...], [value, ...]]``."""
    return json.dumps([list(example.cols), [round(v, 6) for v in example.values]])


def _example(row: Any) -> Example:
    """A stored feedback row (label, global_logit, features) as an :class:`Example`."""
    cols, values = json.loads(row.features)
    return Example(tuple(cols), tuple(values), row.global_logit, row.label == "spam")


class PortalStore:
    """Lists, feedback examples and corrections, one portal at a time (never across portals)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._local_lock = threading.Lock()  # SQLite: one learner per process at a time

    @contextmanager
    def transaction(self, *, engine: Engine | None = None) -> Iterator[Connection]:
        """One transaction; database failures become :class:`SpamStateError`."""
        try:
            with (engine or self._engine).begin() as conn:
                yield conn
        except sa.exc.SQLAlchemyError as exc:
            raise SpamStateError(f"spam filter state unavailable: {type(exc).__name__}") from None

    @contextmanager
    def learning(self, portal_id: int) -> Iterator[Connection]:
        """A transaction that is the portal's only learner until it ends: store or drop
        examples, re-fit, save. Two at once would each fit without the other's example and
        the later save would win (a label's effect lost), or both would create the first
        correction row. PostgreSQL: a transaction-scoped advisory lock per portal; SQLite: an
        immediate (write-locked) transaction."""
        if self._engine.dialect.name == "postgresql":
            with self.transaction() as conn:
                conn.execute(
                    sa.select(
                        sa.func.pg_advisory_xact_lock(advisory_key(portal_id, LEARNING_LOCKS))
                    )
                )
                yield conn
            return
        immediate = self._engine.execution_options(sqlite_begin="BEGIN IMMEDIATE")
        with self._local_lock, self.transaction(engine=immediate) as conn:
            yield conn

    def erase_portal(self, portal_id: int) -> int:
        """Delete every list entry and learned example of one portal, and empty its correction;
        returns how many learned examples there were. The correction row stays, emptied, with
        its revision moved on: a process holding the old correction in its cache sees a new
        revision (a deleted row would restart at 1 and look unchanged)."""
        with self.learning(portal_id) as conn:
            conn.execute(spam_lists.delete().where(spam_lists.c.portal_id == portal_id))
            conn.execute(
                spam_corrections.update()
                .where(spam_corrections.c.portal_id == portal_id)
                .values(
                    revision=spam_corrections.c.revision + 1,
                    weights=_EMPTY_WEIGHTS,
                    n_examples=0,
                )
            )
            examples = spam_feedback.delete().where(spam_feedback.c.portal_id == portal_id)
            return int(conn.execute(examples).rowcount)

    # -- lists ------------------------------------------------------------------------------
    def set_entry(self, portal_id: int, entry: str, kind: str, now: float) -> None:
        with self.transaction() as conn:
            conn.execute(
                spam_lists.delete().where(
                    (spam_lists.c.portal_id == portal_id) & (spam_lists.c.entry == entry)
                )
            )
            conn.execute(
                spam_lists.insert().values(
                    portal_id=portal_id, entry=entry, kind=kind, created_at=now
                )
            )

    def remove_entry(self, portal_id: int, entry: str) -> bool:
        with self.transaction() as conn:
            result = conn.execute(
                spam_lists.delete().where(
                    (spam_lists.c.portal_id == portal_id) & (spam_lists.c.entry == entry)
                )
            )
            return bool(result.rowcount)

    def entries(self, portal_id: int) -> dict[str, str]:
        """entry -> "allow" | "block"."""
        with self.transaction() as conn:
            rows = conn.execute(
                sa.select(spam_lists.c.entry, spam_lists.c.kind).where(
                    spam_lists.c.portal_id == portal_id
                )
            )
            return {row.entry: row.kind for row in rows}

    # -- feedback and corrections -------------------------------------------------------------
    def add_example(
        self,
        conn: Connection,
        portal_id: int,
        key: str,
        label: str,
        source: str,
        model: str,
        example: Example,
        now: float,
    ) -> None:
        conn.execute(
            spam_feedback.delete().where(
                (spam_feedback.c.portal_id == portal_id) & (spam_feedback.c.key == key)
            )
        )
        conn.execute(
            spam_feedback.insert().values(
                portal_id=portal_id,
                key=key,
                label=label,
                source=source,
                model=model,
                global_logit=example.global_logit,
                features=_features_json(example),
                created_at=now,
            )
        )

    def delete_example(self, conn: Connection, portal_id: int, key: str) -> bool:
        result = conn.execute(
            spam_feedback.delete().where(
                (spam_feedback.c.portal_id == portal_id) & (spam_feedback.c.key == key)
            )
        )
        return bool(result.rowcount)

    def examples(self, conn: Connection, portal_id: int, model: str) -> list[Example]:
        rows = conn.execute(
            sa.select(spam_feedback.c.label, spam_feedback.c.global_logit, spam_feedback.c.features)
            .where((spam_feedback.c.portal_id == portal_id) & (spam_feedback.c.model == model))
            .order_by(spam_feedback.c.created_at, spam_feedback.c.key)
        )
        return [_example(row) for row in rows]

    def foreign_examples(
        self, conn: Connection, portal_id: int, model: str
    ) -> list[tuple[str, str, Example]]:
        """(key, model, example) of the portal's examples stored for another model."""
        rows = conn.execute(
            sa.select(
                spam_feedback.c.key,
                spam_feedback.c.model,
                spam_feedback.c.label,
                spam_feedback.c.global_logit,
                spam_feedback.c.features,
            ).where((spam_feedback.c.portal_id == portal_id) & (spam_feedback.c.model != model))
        )
        return [(str(row.key), str(row.model), _example(row)) for row in rows]

    def retag_example(
        self, conn: Connection, portal_id: int, key: str, model: str, example: Example
    ) -> None:
        """Store ``example`` (translated) as the vector ``model`` reads for that key."""
        conn.execute(
            spam_feedback.update()
            .where((spam_feedback.c.portal_id == portal_id) & (spam_feedback.c.key == key))
            .values(
                model=model,
                global_logit=example.global_logit,
                features=_features_json(example),
            )
        )

    def save_correction(
        self,
        conn: Connection,
        portal_id: int,
        model: str,
        correction: Correction,
        n_examples: int,
        now: float,
    ) -> None:
        current = conn.execute(
            sa.select(spam_corrections.c.revision).where(spam_corrections.c.portal_id == portal_id)
        ).scalar()
        payload = json.dumps(
            {
                "cols": correction.cols.tolist(),
                "values": [round(float(v), 6) for v in correction.values],
            }
        )
        values: dict[str, Any] = {
            "model": model,
            "revision": (current or 0) + 1,
            "weights": payload,
            "n_examples": n_examples,
            "updated_at": now,
        }
        if current is None:
            conn.execute(spam_corrections.insert().values(portal_id=portal_id, **values))
        else:
            conn.execute(
                spam_corrections.update()
                .where(spam_corrections.c.portal_id == portal_id)
                .values(**values)
            )

    def revision(self, portal_id: int) -> int:
        with self.transaction() as conn:
            value = conn.execute(
                sa.select(spam_corrections.c.revision).where(
                    spam_corrections.c.portal_id == portal_id
                )
            ).scalar()
            return int(value or 0)

    def correction(self, portal_id: int, model: str) -> tuple[int, Correction | None]:
        """(revision, correction); None when what is stored was fitted for another model."""
        with self.transaction() as conn:
            row = conn.execute(
                sa.select(spam_corrections).where(spam_corrections.c.portal_id == portal_id)
            ).first()
        if row is None:
            return 0, Correction.empty()
        if row.model != model:
            return int(row.revision), None
        data = json.loads(row.weights)
        return int(row.revision), Correction(
            np.asarray(data["cols"], dtype=np.int64), np.asarray(data["values"], dtype=np.float64)
        )
