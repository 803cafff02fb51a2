"""Portal state of the spam filter: allow/block lists, confirmed feedback, per-portal corrections.

Feedback rows keep the message's feature vector (hashed columns and values), never its text:
enough to retrain a portal's correction, nothing to leak or to expire.
"""

from __future__ import annotations

import sqlalchemy as sa

from hubguard.db import metadata

__all__ = ["spam_corrections", "spam_feedback", "spam_lists"]

spam_lists = sa.Table(
    "spam_lists",
    metadata,
    sa.Column("portal_id", sa.BigInteger, nullable=False),
    sa.Column("entry", sa.String(320), nullable=False),  # lower-case address or domain
    sa.Column("kind", sa.String(8), nullable=False),  # "allow" | "block"
    sa.Column("created_at", sa.Float, nullable=False),
    sa.PrimaryKeyConstraint("portal_id", "entry", name="pk_spam_lists"),
)

spam_feedback = sa.Table(
    "spam_feedback",
    metadata,
    sa.Column("portal_id", sa.BigInteger, nullable=False),
    sa.Column("key", sa.String(200), nullable=False),
    sa.Column("label", sa.String(8), nullable=False),  # "spam" | "ham"
    sa.Column("source", sa.String(40), nullable=False),
    sa.Column("model", sa.String(80), nullable=False),  # features are only valid for this model
    sa.Column("global_logit", sa.Float, nullable=False),
    sa.Column("features", sa.Text, nullable=False),  # JSON [[col, value], ...]
    sa.Column("created_at", sa.Float, nullable=False),
    sa.PrimaryKeyConstraint("portal_id", "key", name="pk_spam_feedback"),
)

spam_corrections = sa.Table(
    "spam_corrections",
    metadata,
    sa.Column("portal_id", sa.BigInteger, nullable=False),
    sa.Column("model", sa.String(80), nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("weights", sa.Text, nullable=False),  # JSON {"cols": [...], "values": [...]}
    sa.Column("n_examples", sa.Integer, nullable=False),
    sa.Column("updated_at", sa.Float, nullable=False),
    sa.PrimaryKeyConstraint("portal_id", name="pk_spam_corrections"),
)
