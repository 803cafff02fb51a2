from __future__ import annotations

import hubguard.errors as errors


def test_every_error_derives_from_the_root() -> None:
    for name in errors.__all__:
        assert issubclass(getattr(errors, name), errors.HubguardError)


def test_hubspot_errors_carry_context_in_their_message() -> None:
    err = errors.MissingScopesError(
        "app lacks scopes",
        missing_scopes=["conversations.write"],
        status=403,
        category="MISSING_SCOPES",
        correlation_id="c-1",
        portal_id=42,
    )
    assert err.missing_scopes == ("conversations.write",)
    assert (
        str(err)
        == "app lacks scopes status=403 category=MISSING_SCOPES correlationId=c-1 portal=42"
    )
    limited = errors.RateLimitedError("slow down", retry_after=1.5, policy="TEN_SECONDLY_ROLLING")
    assert (limited.retry_after, limited.policy) == (1.5, "TEN_SECONDLY_ROLLING")
    assert isinstance(errors.InvalidGrantError("dead", error="invalid_grant"), errors.OAuthError)
    assert "re-install at https://x/oauth/install" in str(
        errors.NeedsReauthError(7, "https://x/oauth/install")
    )
    assert errors.InstallFlowError("no", code="state_expired").code == "state_expired"
    assert errors.SignatureError("bad", reason="stale").reason == "stale"
