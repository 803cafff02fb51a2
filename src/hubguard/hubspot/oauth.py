"""HubSpot's OAuth endpoints: authorize URL, code exchange, refresh, introspect, revoke.

The dated family (``/oauth/2026-03/token``, ``/token/introspect``, ``/token/revoke``; ``v3`` has
the same shape) sends every credential in the form body. The legacy ``v1`` family (sunset
2027-02-16) is used only when ``Settings.oauth_api_version == "v1"``: it puts tokens in the URL
path, so those calls register the token with :func:`hubguard.logs.register_secret` first and
never mention the URL in an error.

This module is protocol logic only: it neither stores tokens nor decides when to refresh
(that is :mod:`hubguard.hubspot.tokens`).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import httpx

from hubguard.clock import Clock, SystemClock
from hubguard.config import Secret, Settings
from hubguard.errors import (
    ConfigError,
    HubSpotError,
    HubSpotUnavailableError,
    InvalidGrantError,
    NotFoundError,
    OAuthError,
)
from hubguard.hubspot.responses import error_from_response, response_json
from hubguard.logs import fingerprint, guard_logger, register_secret
from hubguard.models import TokenSet

__all__ = ["OAuthClient", "TokenInfo", "make_pkce"]

_FORM = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}


def make_pkce() -> tuple[str, str]:
    """A PKCE pair ``(code_verifier, code_challenge)`` for S256 (RFC 7636).

    The verifier is a secret: keep it server-side with the state, never in a URL or log.
    """
    verifier = secrets.token_urlsafe(64)  # 86 characters from the unreserved set
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return verifier, challenge


@dataclass(frozen=True)
class TokenInfo:
    """What introspection says about an access token. No token inside."""

    active: bool
    hub_id: int | None = None
    user: str | None = None
    user_id: int | None = None
    scopes: tuple[str, ...] = ()
    app_id: int | None = None
    client_id: str | None = None
    expires_in: int | None = None
    token_use: str | None = None
    hub_domain: str | None = None


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _scopes(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(value.split())
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return ()


def _reveal(value: Secret | str) -> str:
    return value.reveal() if isinstance(value, Secret) else value


class OAuthClient:
    """One HubSpot OAuth app: builds authorize URLs and calls the token endpoints.

    ``http`` carries the base URL-less requests to ``Settings.hubspot_api_url``; give it a
    :class:`~hubguard.hubspot.transport.RetryTransport` so connection failures are retried.
    """

    make_pkce = staticmethod(make_pkce)

    def __init__(self, settings: Settings, http: httpx.Client, clock: Clock | None = None) -> None:
        guard_logger("httpx")  # v1 metadata and revoke calls carry the token in the URL path
        self._settings = settings
        self._http = http
        self._clock = clock or SystemClock()
        self._version = settings.oauth_api_version
        self._api = settings.hubspot_api_url.rstrip("/")

    # -- authorize -------------------------------------------------------------------------

    def authorize_url(
        self,
        state: str,
        code_challenge: str,
        *,
        scopes: Sequence[str],
        optional_scopes: Sequence[str] = (),
        account_id: int | None = None,
    ) -> str:
        """The URL an admin opens to consent (``scope`` + ``optional_scope``, state, PKCE S256)."""
        base = self._settings.hubspot_app_url.rstrip("/")
        path = f"/oauth/{account_id}/authorize" if account_id is not None else "/oauth/authorize"
        params: dict[str, str] = {
            "client_id": self._client_id(),
            "scope": " ".join(scopes),
            "redirect_uri": self._settings.redirect_uri,
            "state": state,
            "code_challenge": code_challenge,
            "code_challenge_method": "S256",
        }
        if optional_scopes:
            # HubSpot's parameter is singular although guides say "optional_scopes".
            params["optional_scope"] = " ".join(optional_scopes)
        return f"{base}{path}?{urlencode(params, safe='', quote_via=quote)}"

    # -- token endpoint --------------------------------------------------------------------

    def exchange_code(self, code: Secret | str, code_verifier: Secret | str) -> TokenSet:
        """Trade an authorization code (single use) for tokens."""
        form = {
            "grant_type": "authorization_code",
            "code": _reveal(code),
            "redirect_uri": self._settings.redirect_uri,
            "code_verifier": _reveal(code_verifier),
        }
        return self._token_set(self._token_call(form), previous_refresh=None)

    def refresh(self, refresh_token: Secret) -> TokenSet:
        """A new access token. Keeps whatever refresh token comes back (rotation-safe)."""
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token.reveal()}
        return self._token_set(self._token_call(form), previous_refresh=refresh_token)

    def introspect(self, token: Secret) -> TokenInfo:
        """Who and what an access token is for (portal, user, granted scopes, lifetime)."""
        if self._version == "v1":
            register_secret(token.reveal())
            try:
                body = self._call("GET", f"/oauth/v1/access-tokens/{token.reveal()}")
            except NotFoundError:
                return TokenInfo(active=False)
            body.setdefault("active", True)
            body.setdefault("token_use", "access_token")
        else:
            body = self._call(
                "POST",
                f"/oauth/{self._version}/token/introspect",
                form={"token": token.reveal(), "token_type_hint": "access_token"},
            )
        return TokenInfo(
            active=bool(body.get("active", False)),
            hub_id=_int(body.get("hub_id")),
            user=body.get("user") if isinstance(body.get("user"), str) else None,
            user_id=_int(body.get("user_id")),
            scopes=_scopes(body.get("scopes")),
            app_id=_int(body.get("app_id")),
            client_id=str(body["client_id"]) if body.get("client_id") is not None else None,
            expires_in=_int(body.get("expires_in")),
            token_use=body.get("token_use") if isinstance(body.get("token_use"), str) else None,
            hub_domain=body.get("hub_domain") if isinstance(body.get("hub_domain"), str) else None,
        )

    def revoke(self, refresh_token: Secret) -> None:
        """Revoke the grant. A token HubSpot no longer knows counts as revoked."""
        try:
            if self._version == "v1":
                register_secret(refresh_token.reveal())
                self._call("DELETE", f"/oauth/v1/refresh-tokens/{refresh_token.reveal()}")
            else:
                self._call(
                    "POST",
                    f"/oauth/{self._version}/token/revoke",
                    form={"token": refresh_token.reveal(), "token_type_hint": "refresh_token"},
                )
        except (InvalidGrantError, NotFoundError):
            return

    # -- plumbing --------------------------------------------------------------------------

    def _client_id(self) -> str:
        if not self._settings.client_id:
            raise ConfigError("HUBGUARD_CLIENT_ID is not set: copy it from the app's Auth tab")
        return self._settings.client_id

    def _credentials(self) -> dict[str, str]:
        secret = self._settings.client_secret
        if secret is None or not secret:
            raise ConfigError("HUBGUARD_CLIENT_SECRET is not set: copy it from the app's Auth tab")
        return {"client_id": self._client_id(), "client_secret": secret.reveal()}

    def _token_call(self, form: dict[str, str]) -> dict[str, Any]:
        version = "v1" if self._version == "v1" else self._version
        return self._call("POST", f"/oauth/{version}/token", form=form)

    def _call(
        self, method: str, path: str, *, form: dict[str, str] | None = None
    ) -> dict[str, Any]:
        data = None
        if form is not None:
            data = {**self._credentials(), **form}
        try:
            response = self._http.request(
                method,
                self._api + path,
                data=data,
                headers=_FORM if form is not None else {"Accept": "application/json"},
            )
        except httpx.HTTPError as exc:
            # Never include the URL: for v1 it carries a token.
            raise HubSpotUnavailableError(
                f"HubSpot OAuth endpoint unreachable ({type(exc).__name__})"
            ) from None
        if not 200 <= response.status_code < 300:  # a 3xx is no success: redirects are not followed
            raise self._without_client_secret(
                error_from_response(response, oauth=True, now=self._clock.now())
            )
        return response_json(response)

    def _without_client_secret(self, error: HubSpotError) -> HubSpotError:
        """The error with the app's client secret fingerprinted out of its message: a token
        endpoint may echo the form it was sent. (Not registered for all logs: it is one app's
        secret, compared here only.)"""
        secret = self._settings.client_secret
        if secret is not None and secret.reveal() and secret.reveal() in error.message:
            error.message = error.message.replace(secret.reveal(), fingerprint(secret.reveal()))
            error.args = (error.message,)
        return error

    def _token_set(self, body: dict[str, Any], *, previous_refresh: Secret | None) -> TokenSet:
        access = body.get("access_token")
        expires_in = _int(body.get("expires_in"))
        if not isinstance(access, str) or not access or expires_in is None:
            raise OAuthError(
                "HubSpot's token endpoint answered without access_token/expires_in",
                error="invalid_response",
            )
        register_secret(access)
        refresh_raw = body.get("refresh_token")
        refresh = Secret(refresh_raw) if isinstance(refresh_raw, str) and refresh_raw else None
        if refresh is not None:
            register_secret(refresh.reveal())
        return TokenSet(
            access_token=Secret(access),
            refresh_token=refresh or previous_refresh,
            expires_at=self._clock.now() + expires_in,
            scopes=_scopes(body.get("scopes", body.get("scope"))),
            token_type=str(body.get("token_type", "bearer")),
        )
