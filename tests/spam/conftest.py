"""Fixtures of the spam area: the shipped model is loaded once per session (never retrained)."""

from __future__ import annotations

import pytest

from hubguard.spam import LinearModel, SpamFilter, load_model


@pytest.fixture(scope="session")
def shipped_model() -> LinearModel:
    return load_model()


@pytest.fixture
def spam_filter(shipped_model: LinearModel) -> SpamFilter:
    """A filter with in-memory portal state."""
    return SpamFilter(model=shipped_model)
