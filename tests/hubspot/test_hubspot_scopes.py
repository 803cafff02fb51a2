"""Scopes per feature and the least-privilege audit."""

from __future__ import annotations

import pytest

from hubguard.errors import ConfigError
from hubguard.hubspot.scopes import audit_scopes, scopes_for


def test_inbox_filter_scopes() -> None:
    required, optional = scopes_for(["inbox_filter"])
    assert required == ("conversations.read", "conversations.write", "oauth")
    assert optional == ("crm.objects.contacts.read",)


def test_unknown_feature_lists_valid_ones() -> None:
    with pytest.raises(ConfigError, match="valid: inbox_filter"):
        scopes_for(["inbox_filter", "teleport"])


def test_over_broad_grant() -> None:
    audit = audit_scopes(
        ["oauth", "conversations.read", "conversations.write", "crm.objects.deals.write"],
        ["inbox_filter"],
    )
    assert audit.unused == ("crm.objects.deals.write",)
    assert audit.missing == ()
    assert audit.optional_missing == ("crm.objects.contacts.read",)
    assert not audit.ok


def test_too_little_and_observed_missing() -> None:
    audit = audit_scopes(["conversations.read"], ["inbox_filter"])
    assert audit.missing == ("conversations.write",)
    assert audit.needed == ("conversations.read", "conversations.write")
    exact = audit_scopes(
        ["conversations.read", "conversations.write", "crm.objects.contacts.read"],
        ["inbox_filter"],
        observed_missing=["conversations.read"],
    )
    assert exact.unused == ()
    assert exact.missing == ("conversations.read",)


def test_exact_grant_is_ok() -> None:
    audit = audit_scopes(
        ["oauth", "conversations.read", "conversations.write", "crm.objects.contacts.read"],
        ["inbox_filter"],
    )
    assert audit.ok
