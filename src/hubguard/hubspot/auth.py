"""``httpx.Auth`` for HubSpot: OAuth per portal (one retry after a 401) and service keys.

Both send ``Authorization: Bearer <credential>``; neither ever puts a credential in a URL.
Proactive refresh (before expiry) lives in the token source, not here: a 401 is only the last
line of defence (HubSpot: "401s are not a valid indicator that a new token must be retrieved"),
so it forces exactly one refresh and one retry, never a loop.
"""

from __future__ import annotations

import hmac
from collections.abc import Generator
from typing import Protocol

import httpx

from hubguard.config import Secret
from hubguard.logs import register_secret

__all__ = ["OAuthPortalAuth", "ServiceKeyAuth", "TokenSource"]


class TokenSource(Protocol):
    """Gives a usable access token for a portal (:class:`~hubguard.hubspot.tokens.TokenManager`)."""

    def access_token(
        self, portal_id: int, *, force: bool = False, rejected: Secret | None = None
    ) -> Secret:
        """A fresh token; ``force`` refreshes unless ``rejected`` was already replaced."""
        ...


def _bearer(request: httpx.Request, token: Secret) -> None:
    request.headers["Authorization"] = f"Bearer {token.reveal()}"


class OAuthPortalAuth(httpx.Auth):
    """Bearer token of one portal from ``token_source``; on a 401, one refresh and one retry."""

    def __init__(self, token_source: TokenSource, portal_id: int) -> None:
        self._source = token_source
        self.portal_id = portal_id

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = self._source.access_token(self.portal_id)
        _bearer(request, token)
        response = yield request
        if response.status_code != 401:
            return
        # Tell the source which token failed: if another thread already replaced it, the new
        # one is used without a second refresh (a burst of 401s costs one token-endpoint call).
        fresh = self._source.access_token(self.portal_id, force=True, rejected=token)
        # The 401 is left open: httpx reads it once this flow yields the retry, and a closed
        # one raised StreamClosed over real HTTP (an in-process transport never showed it).
        _bearer(request, fresh)
        yield request

    def __repr__(self) -> str:
        return f"OAuthPortalAuth(portal_id={self.portal_id})"


class ServiceKeyAuth(httpx.Auth):
    """A HubSpot service key (or legacy private-app token) as a Bearer credential."""

    def __init__(self, key: Secret) -> None:
        register_secret(key.reveal())
        self._key = key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        _bearer(request, self._key)
        yield request

    def sends(self, key: Secret | None) -> bool:
        """Whether this is the key ``key`` (compared in constant time)."""
        return key is not None and hmac.compare_digest(
            self._key.reveal().encode(), key.reveal().encode()
        )

    def __repr__(self) -> str:
        return "ServiceKeyAuth(key=Secret('**********'))"
