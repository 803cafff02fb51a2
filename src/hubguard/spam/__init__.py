"""The spam classifier: a shipped linear model that explains itself and learns per portal.

Usage::

    from hubguard.spam import SpamFilter, MessageInput
    spam_filter = SpamFilter(engine)          # engine: hubguard.db engine, schema migrated
    verdict = spam_filter.classify(MessageInput(text="...", subject="..."), portal_id=123)
"""

from __future__ import annotations

from hubguard.spam.filter import SpamFilter
from hubguard.spam.model import LinearModel, load_model
from hubguard.spam.types import CATEGORIES, MessageInput, Verdict

__all__ = ["CATEGORIES", "LinearModel", "MessageInput", "SpamFilter", "Verdict", "load_model"]
