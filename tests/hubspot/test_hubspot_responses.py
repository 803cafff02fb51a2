"""Error mapping: HubSpot's exact bodies (reference §1.8, §5) -> the hubguard error tree."""

from __future__ import annotations

import httpx
import pytest

from hubguard import errors
from hubguard.hubspot.responses import error_from_response, parse_retry_after

EXPIRED = {
    "status": "error",
    "message": "The OAuth token used to make this call expired 0 second(s) ago.",
    "correlationId": "019cd9fe-d093-7d4f-99bc-45975fdcf7c6",
    "category": "EXPIRED_AUTHENTICATION",
    "context": {"expire time": ["2026-03-10T23:04:41.164Z"]},
}
RATE_LIMIT = {
    "status": "error",
    "message": "You have reached your ten secondly limit.",
    "errorType": "RATE_LIMIT",
    "correlationId": "c033cdaa-2c40-4a64-ae48-b4cec88dad24",
    "policyName": "TEN_SECONDLY_ROLLING",
}
BAD_REFRESH = {
    "error": "invalid_grant",
    "error_description": "refresh token is invalid, expired or revoked",
    "status": "BAD_REFRESH_TOKEN",
    "message": "refresh token is invalid, expired or revoked",
}


def _resp(status: int, body: object = None, **headers: str) -> httpx.Response:
    if body is None:
        return httpx.Response(status, headers=headers)
    return httpx.Response(status, json=body, headers=headers)


def test_expired_token_is_an_authentication_error_with_context() -> None:
    err = error_from_response(_resp(401, EXPIRED), portal_id=62515)
    assert type(err) is errors.AuthenticationError
    assert (err.status, err.category, err.portal_id) == (401, "EXPIRED_AUTHENTICATION", 62515)
    assert err.correlation_id == "019cd9fe-d093-7d4f-99bc-45975fdcf7c6"
    assert "expired 0 second(s) ago" in str(err)


def test_missing_scopes_carry_the_scopes_from_context() -> None:
    body = {
        "status": "error",
        "message": "This app hasn't been granted all required scopes to make this call.",
        "correlationId": "c-9",
        "category": "MISSING_SCOPES",
        "context": {"missingScopes": ["conversations.write", "conversations.read"]},
    }
    err = error_from_response(_resp(403, body))
    assert isinstance(err, errors.MissingScopesError)
    assert err.missing_scopes == ("conversations.write", "conversations.read")


def test_other_403_is_a_plain_hubspot_error() -> None:
    err = error_from_response(_resp(403, {"message": "no", "category": "FORBIDDEN"}))
    assert type(err) is errors.HubSpotError


def test_404_and_correlation_id_from_header() -> None:
    err = error_from_response(
        _resp(404, {"message": "gone"}, **{"x-hubspot-correlation-id": "h-1"})
    )
    assert isinstance(err, errors.NotFoundError)
    assert err.correlation_id == "h-1"


def test_429_carries_policy_and_retry_after() -> None:
    err = error_from_response(_resp(429, RATE_LIMIT, **{"Retry-After": "3"}))
    assert isinstance(err, errors.RateLimitedError)
    assert (err.retry_after, err.policy, err.category) == (
        3.0,
        "TEN_SECONDLY_ROLLING",
        "RATE_LIMIT",
    )


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_is_unavailable_even_with_html(status: int) -> None:
    err = error_from_response(httpx.Response(status, text="<html>bad gateway</html>"))
    assert isinstance(err, errors.HubSpotUnavailableError)
    assert err.status == status


def test_token_endpoint_dead_grant_both_forms() -> None:
    err = error_from_response(_resp(400, BAD_REFRESH), oauth=True)
    assert isinstance(err, errors.InvalidGrantError)
    assert err.error == "invalid_grant"
    legacy = {
        "status": "BAD_REFRESH_TOKEN",
        "message": "missing or invalid refresh token",
        "correlationId": "x",
    }
    err = error_from_response(_resp(400, legacy), oauth=True)
    assert isinstance(err, errors.InvalidGrantError)
    assert err.category == "BAD_REFRESH_TOKEN"


def test_token_endpoint_other_errors_are_oauth_errors() -> None:
    err = error_from_response(
        _resp(400, {"error": "invalid_client", "error_description": "bad client"}), oauth=True
    )
    assert type(err) is errors.OAuthError
    assert err.error == "invalid_client"
    assert isinstance(error_from_response(_resp(503), oauth=True), errors.HubSpotUnavailableError)


def test_messages_never_carry_tokens_and_are_bounded() -> None:
    body = {"message": "bad token pat-na1-12345678-1234-1234-1234-123456789012 " + "x" * 500}
    err = error_from_response(_resp(400, body))
    assert "pat-na1-12345678" not in str(err)
    assert len(err.message) <= 300


def test_retry_after_forms() -> None:
    assert parse_retry_after({"retry-after": "2.5"}) == 2.5
    assert parse_retry_after({}) is None
    assert parse_retry_after({"retry-after": "soon"}) is None
    date = "Sun, 06 Nov 1994 08:49:47 GMT"
    assert parse_retry_after({"retry-after": date}, now=784111787.0 - 10) == 10.0
