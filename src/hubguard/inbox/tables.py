"""The inbox pipeline's tables, on the shared :data:`hubguard.db.metadata`.

- ``inbox_events``: the durable webhook log. HubSpot's composite key (portalId, subscriptionId,
  eventId, occurredAt) is unique, because ``eventId`` alone is not; the status column makes the
  table the queue's source of truth (a lost dispatch is re-found by the sweeper).
- ``inbox_verdicts``: one row per (portal, message). It doubles as the idempotency key: the row is
  written with the intended action *before* HubSpot is touched, so a replay or a restart after a
  crash resumes that intent instead of acting a second time.
- ``inbox_policies``: mode, threshold and per-category modes per (portal, inbox). No row means
  ``shadow``.
- ``inbox_poll_cursors``: the poller's ``latestMessageTimestamp`` high-water mark per inbox.

Message bodies are the only content kept, and only until ``body_expires_at`` (retention).
"""

from __future__ import annotations

import sqlalchemy as sa

from hubguard.db import metadata

__all__ = ["events", "policies", "poll_cursors", "verdicts"]

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
_Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

events = sa.Table(
    "inbox_events",
    metadata,
    sa.Column("id", _Id, primary_key=True, autoincrement=True),
    sa.Column("portal_id", sa.BigInteger, nullable=False),
    sa.Column("subscription_id", sa.BigInteger, nullable=False),
    sa.Column("event_id", sa.BigInteger, nullable=False),
    sa.Column("occurred_at", sa.BigInteger, nullable=False),  # epoch ms, as HubSpot sends it
    sa.Column("subscription_type", sa.String(64), nullable=False),
    sa.Column("object_id", sa.String(64), nullable=True),  # conversations: the thread id
    sa.Column("message_id", sa.String(64), nullable=True),
    sa.Column("message_type", sa.String(32), nullable=True),
    sa.Column("property_name", sa.String(64), nullable=True),
    sa.Column("property_value", sa.String(255), nullable=True),
    sa.Column("source", sa.String(16), nullable=False),  # webhook | poller
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("next_attempt_at", sa.Float, nullable=False),
    sa.Column("claimed_at", sa.Float, nullable=True),
    sa.Column("claim_token", sa.String(32), nullable=True),
    sa.Column("last_error", sa.String(300), nullable=True),
    sa.Column("received_at", sa.Float, nullable=False),
    sa.Column("finished_at", sa.Float, nullable=True),
    sa.UniqueConstraint(
        "portal_id",
        "subscription_id",
        "event_id",
        "occurred_at",
        name="uq_inbox_events_hubspot_key",
    ),
    sa.Index("ix_inbox_events_status_next", "status", "next_attempt_at"),
    sa.Index("ix_inbox_events_portal_object", "portal_id", "object_id"),
)

verdicts = sa.Table(
    "inbox_verdicts",
    metadata,
    sa.Column("id", _Id, primary_key=True, autoincrement=True),
    sa.Column("portal_id", sa.BigInteger, nullable=False),
    sa.Column("thread_id", sa.String(64), nullable=False),
    sa.Column("message_id", sa.String(64), nullable=False),
    sa.Column("inbox_id", sa.String(64), nullable=True),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("sender", sa.String(320), nullable=True),
    sa.Column("sender_name", sa.String(255), nullable=True),
    # The Conversations actor ("V-123" for a chat visitor): what "trust this sender" can
    # remember when a chat message has no e-mail address.
    sa.Column("sender_actor", sa.String(64), nullable=True),
    sa.Column("subject", sa.String(998), nullable=True),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("is_spam", sa.Boolean, nullable=False),
    sa.Column("category", sa.String(32), nullable=True),
    sa.Column("reasons", sa.JSON, nullable=False),
    sa.Column("model", sa.String(64), nullable=False),
    sa.Column("threshold", sa.Float, nullable=False),
    sa.Column("mode", sa.String(16), nullable=False),
    sa.Column("action", sa.String(16), nullable=False),  # none | comment | close | archive
    # none | intended | done | failed | undone: "intended" is written before HubSpot is called.
    sa.Column("action_state", sa.String(16), nullable=False),
    sa.Column("action_note", sa.String(64), nullable=True),  # why no action, or the comment id
    sa.Column("received_at", sa.Float, nullable=True),  # message createdAt (latency measure)
    sa.Column("decided_at", sa.Float, nullable=False),
    sa.Column("acted_at", sa.Float, nullable=True),
    sa.Column("feedback", sa.String(16), nullable=True),  # not_spam | spam
    sa.Column("feedback_by", sa.String(128), nullable=True),
    sa.Column("feedback_at", sa.Float, nullable=True),
    sa.Column("body", sa.Text, nullable=True),  # JSON of text/html; erased at body_expires_at
    sa.Column("body_expires_at", sa.Float, nullable=True),
    sa.UniqueConstraint("portal_id", "message_id", name="uq_inbox_verdicts_message"),
    sa.Index("ix_inbox_verdicts_thread", "portal_id", "thread_id"),
    sa.Index("ix_inbox_verdicts_portal_inbox", "portal_id", "inbox_id", "id"),
    sa.Index("ix_inbox_verdicts_body_expiry", "body_expires_at"),
    # the review digest: a portal's archived threads (ReviewReminder, dashboard, review CLI)
    sa.Index("ix_inbox_verdicts_portal_action", "portal_id", "action", "action_state"),
    # the dashboard's score histogram: counted from the index alone
    sa.Index("ix_inbox_verdicts_portal_decided", "portal_id", "decided_at", "score", "feedback"),
)

policies = sa.Table(
    "inbox_policies",
    metadata,
    sa.Column("portal_id", sa.BigInteger, nullable=False),
    sa.Column("inbox_id", sa.String(64), nullable=False),
    sa.Column("mode", sa.String(16), nullable=False),
    sa.Column("threshold", sa.Float, nullable=True),  # None: the model's shipped threshold
    sa.Column("updated_at", sa.Float, nullable=False),
    sa.Column("updated_by", sa.String(128), nullable=True),
    # JSON {category: mode} overriding ``mode`` per spam sub-category; None: no overrides.
    sa.Column("category_modes", sa.Text, nullable=True),
    sa.PrimaryKeyConstraint("portal_id", "inbox_id", name="pk_inbox_policies"),
)

# Threads HubSpot's privacy deletion erased lately: a worker deciding one of their messages at
# that moment removes the verdict it writes (a day covers any decision in flight).
erased_threads = sa.Table(
    "inbox_erased_threads",
    metadata,
    sa.Column("portal_id", sa.BigInteger, nullable=False),
    sa.Column("thread_hash", sa.String(64), nullable=False),  # SHA-256: no thread id kept
    sa.Column("erased_at", sa.Float, nullable=False),
    sa.PrimaryKeyConstraint("portal_id", "thread_hash", name="pk_inbox_erased_threads"),
)

poll_cursors = sa.Table(
    "inbox_poll_cursors",
    metadata,
    sa.Column("portal_id", sa.BigInteger, nullable=False),
    sa.Column("inbox_id", sa.String(64), nullable=False),
    sa.Column("cursor_ms", sa.BigInteger, nullable=False),
    sa.Column("updated_at", sa.Float, nullable=False),
    sa.PrimaryKeyConstraint("portal_id", "inbox_id", name="pk_inbox_poll_cursors"),
)
