"""The HubSpot API client: one per process, one :class:`PortalClient` per portal.

Every call goes: vault -> token (refreshed ahead of expiry, one retry after a 401) -> per-portal
rate budget -> retries with backoff -> error mapping (:mod:`hubguard.hubspot.responses`).

Credential-use audit: writing one hash-chained row per API call would drown the log (a burst
of 1,000 calls = 1,000 rows) and serialise every call on a database write. Instead each portal
gets one ``api.use`` row per ``audit_interval_seconds`` (300 s by default) saying how many
calls were made with which credential type, plus one ``api.denied`` row for *every* 401/403
that survived the refresh-and-retry, and the token manager's ``token.refresh`` rows. That
answers "which credential was used, when, by what" and keeps every anomaly.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from hubguard.clock import Clock, SystemClock
from hubguard.config import Secret, Settings
from hubguard.errors import (
    AuthenticationError,
    HubSpotError,
    HubSpotUnavailableError,
    MalformedResponseError,
    MissingScopesError,
    NeedsReauthError,
    ServiceKeyRejectedError,
    VaultError,
)
from hubguard.hubspot.auth import OAuthPortalAuth, ServiceKeyAuth
from hubguard.hubspot.oauth import OAuthClient
from hubguard.hubspot.ratelimit import InMemoryRateBudget, RateBudget
from hubguard.hubspot.responses import error_from_response, success_json
from hubguard.hubspot.scopes import MissingScopesRecorder
from hubguard.hubspot.tokens import TokenManager
from hubguard.hubspot.transport import (
    IDEMPOTENT_EXTENSION,
    PORTAL_EXTENSION,
    RetryPolicy,
    RetryTransport,
    path_template,
)
from hubguard.models import AuthType, InstallationStatus
from hubguard.vault.protocol import TokenVault

__all__ = ["CheckResult", "HubSpotClient", "PortalClient", "path_template"]

Params = Mapping[str, str | int | float | bool | Sequence[str]]
MissingScopesHook = Callable[[int, Sequence[str], str], None]
_USER_AGENT = "hubguard/0.1 (+https://github.com/hubguard)"
MAX_PAGES = 1_000  # 100 per page: 100,000 items, far beyond any inbox's listing


@dataclass(frozen=True)
class CheckResult:
    """Outcome of :meth:`HubSpotClient.check`; ``detail`` is a short code, never a secret."""

    portal_id: int
    ok: bool
    detail: str
    reconsent_url: str | None = None


@dataclass
class _Usage:
    calls: int = 0
    last_written: float = float("-inf")


class _UsageAudit:
    """Sampled credential-use audit (see the module docstring)."""

    def __init__(self, vault: TokenVault, clock: Clock, interval: float, actor: str) -> None:
        self._vault = vault
        self._clock = clock
        self._interval = interval
        self._actor = actor
        self._lock = threading.Lock()
        self._usage: dict[int, _Usage] = {}

    def used(self, portal_id: int, auth_type: AuthType, operation: str) -> None:
        now = self._clock.now()
        with self._lock:
            usage = self._usage.setdefault(portal_id, _Usage())
            usage.calls += 1
            if now - usage.last_written < self._interval:
                return
            calls, usage.calls, usage.last_written = usage.calls, 0, now
        self._vault.audit(
            "api.use",
            portal_id=portal_id,
            actor=self._actor,
            detail={"auth": auth_type.value, "calls": str(calls), "last": operation},
        )

    def denied(
        self, portal_id: int, auth_type: AuthType, operation: str, err: HubSpotError
    ) -> None:
        self._vault.audit(
            "api.denied",
            portal_id=portal_id,
            actor=self._actor,
            detail={
                "auth": auth_type.value,
                "call": operation,
                "status": str(err.status),
                "category": err.category or "",
            },
        )


class HubSpotClient:
    """Entry point for talking to HubSpot on behalf of installed portals.

    ``transport`` is the seam for tests and the emulator (``Emulator(...).transport()``);
    ``rate_budget`` may be shared (e.g. a Redis budget) by several processes.
    """

    def __init__(
        self,
        settings: Settings,
        vault: TokenVault,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Clock | None = None,
        rate_budget: RateBudget | None = None,
        rng: random.Random | None = None,
        retry_policy: RetryPolicy | None = None,
        token_manager: TokenManager | None = None,
        on_missing_scopes: MissingScopesHook | None = None,
        audit_interval_seconds: float = 300.0,
        actor: str = "hubguard",
        timeout_seconds: float = 30.0,
    ) -> None:
        self.settings = settings
        self.vault = vault
        self.clock = clock or SystemClock()
        rng = rng or random.Random()
        inner = transport or httpx.HTTPTransport()
        self.rate_budget = rate_budget or InMemoryRateBudget(self.clock)
        api = RetryTransport(
            inner, rate_budget=self.rate_budget, clock=self.clock, rng=rng, policy=retry_policy
        )
        headers = {"Accept": "application/json", "User-Agent": _USER_AGENT}
        self._http = httpx.Client(
            base_url=settings.hubspot_api_url.rstrip("/"),
            transport=api,
            timeout=timeout_seconds,
            headers=headers,
        )
        # The token endpoints are not paced by the portal budget; the inner transport is shared.
        oauth_transport = RetryTransport(
            inner, clock=self.clock, rng=rng, policy=retry_policy, close_inner=False
        )
        self._oauth_http = httpx.Client(
            transport=oauth_transport, timeout=timeout_seconds, headers=headers
        )
        self.oauth = OAuthClient(settings, self._oauth_http, self.clock)
        self.tokens = token_manager or TokenManager(
            vault,
            self.oauth,
            self.clock,
            settings.refresh_leeway_seconds,
            reconsent_url=settings.reconsent_url,
            actor=actor,
        )
        self._missing_scopes = on_missing_scopes or MissingScopesRecorder(vault, actor)
        self._usage = _UsageAudit(vault, self.clock, audit_interval_seconds, actor)

    def for_portal(self, portal_id: int) -> PortalClient:
        """A client acting as ``portal_id``, with the credential its installation uses."""
        inst = self.vault.get(portal_id)
        if inst is None or inst.status is not InstallationStatus.ACTIVE:
            raise self.tokens.reauth_error(portal_id)
        auth: httpx.Auth
        if inst.auth_type is AuthType.SERVICE_KEY:
            auth = ServiceKeyAuth(self.tokens.access_token(portal_id))
        else:
            auth = OAuthPortalAuth(self.tokens, portal_id)
        return PortalClient(self, portal_id, inst.auth_type, auth)

    def with_service_key(self, portal_id: int, key: Secret) -> PortalClient:
        """A client for ``portal_id`` sending ``key``, stored or not (to prove a key before it
        replaces what is stored: a 401 then marks nothing)."""
        return PortalClient(self, portal_id, AuthType.SERVICE_KEY, ServiceKeyAuth(key))

    def check(self, portal_id: int) -> CheckResult:
        """One cheap live call as ``portal_id`` to prove its credentials work (``audit --check``).

        Never raises for HubSpot or credential problems: the outcome is in the result.
        """
        try:
            self.for_portal(portal_id).request(
                "GET", "/conversations/v3/conversations/inboxes", params={"limit": 1}
            )
        except NeedsReauthError as exc:
            return CheckResult(portal_id, False, "needs_reauth", exc.reconsent_url)
        except HubSpotError as exc:
            return CheckResult(portal_id, False, exc.category or type(exc).__name__, None)
        return CheckResult(portal_id, True, "ok", None)

    def _key_still_stored(self, portal: PortalClient) -> bool:
        """Whether the service key a request was sent with is the one stored now."""
        if not isinstance(portal.auth, ServiceKeyAuth):
            return True
        try:
            stored = self.vault.credentials(portal.portal_id).service_key
        except VaultError:
            return False  # none stored (a key being proven), or erased: nothing to mark
        return portal.auth.sends(stored)

    def close(self) -> None:
        self._http.close()
        self._oauth_http.close()

    def __enter__(self) -> HubSpotClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- used by PortalClient ---------------------------------------------------------------

    def _send(
        self,
        portal: PortalClient,
        method: str,
        path: str,
        params: Params | None,
        json: object,
        idempotent: bool | None,
    ) -> dict[str, Any]:
        extensions: dict[str, Any] = {PORTAL_EXTENSION: portal.portal_id}
        if idempotent is not None:
            extensions[IDEMPOTENT_EXTENSION] = idempotent
        operation = f"{method.upper()} {path_template(path)}"
        try:
            response = self._http.request(
                method.upper(),
                path,
                params=params,
                json=json,
                auth=portal.auth,
                extensions=extensions,
            )
        except (HubSpotError, NeedsReauthError):
            raise
        except httpx.HTTPError as exc:
            raise HubSpotUnavailableError(
                f"HubSpot call failed ({type(exc).__name__})", portal_id=portal.portal_id
            ) from None
        if not 200 <= response.status_code < 300:  # a 3xx is no success: redirects are not followed
            err = error_from_response(response, portal_id=portal.portal_id, now=self.clock.now())
            if isinstance(err, MissingScopesError):
                self._missing_scopes(portal.portal_id, err.missing_scopes, operation)
            if isinstance(err, AuthenticationError) or err.status == 403:
                self._usage.denied(portal.portal_id, portal.auth_type, operation, err)
            if (
                isinstance(err, AuthenticationError)
                and portal.auth_type is AuthType.SERVICE_KEY
                and self._key_still_stored(portal)
            ):
                # A static key has no refresh: a 401 means it was rotated or deleted in HubSpot.
                # Mark the portal so every worker stops calling with it (and parks its events)
                # until an admin connects a new key, instead of retrying into 401s forever.
                # (Unless an admin already connected a new one: then the next call uses it.)
                self.vault.set_status(
                    portal.portal_id, InstallationStatus.NEEDS_REAUTH, error="service_key_rejected"
                )
                raise ServiceKeyRejectedError(portal.portal_id) from None
            raise err
        self._usage.used(portal.portal_id, portal.auth_type, operation)
        return success_json(response)


class PortalClient:
    """HubSpot as one portal sees it. Cheap to create; thread-safe."""

    def __init__(
        self, owner: HubSpotClient, portal_id: int, auth_type: AuthType, auth: httpx.Auth
    ) -> None:
        self._owner = owner
        self.portal_id = portal_id
        self.auth_type = auth_type
        self.auth = auth

    @property
    def clock(self) -> Clock:
        """The clock the client runs on (for callers that need "now")."""
        return self._owner.clock

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        json: object = None,
        idempotent: bool | None = None,
    ) -> dict[str, Any]:
        """Call ``path`` (relative to the API base URL); the JSON object answered, ``{}`` if empty.

        ``idempotent`` overrides the method's default retry rule (see :mod:`.transport`).
        Raises the :mod:`hubguard.errors` subclass that matches HubSpot's answer.
        """
        return self._owner._send(self, method, path, params, json, idempotent)

    def paginate(self, path: str, params: Params | None = None) -> Iterator[dict[str, Any]]:
        """Every item of a v3 collection: follows ``paging.next.after`` until it is absent.

        A cursor that comes back, or more than ``MAX_PAGES`` pages, raises
        :class:`MalformedResponseError`: a listing that loops is not complete, and stopping
        quietly would pass a partial list off as the whole one."""
        query: dict[str, Any] = dict(params or {})
        seen: set[str] = set()
        while True:
            if len(seen) >= MAX_PAGES:
                raise MalformedResponseError(
                    f"HubSpot listing of {path} ran past {MAX_PAGES} pages"
                )
            page = self.request("GET", path, params=query)
            results = page.get("results")
            if isinstance(results, list):
                yield from (item for item in results if isinstance(item, dict))
            paging = page.get("paging")
            after = None
            if isinstance(paging, dict) and isinstance(paging.get("next"), dict):
                after = paging["next"].get("after")
            if after is None:
                return
            if str(after) in seen:
                raise MalformedResponseError(f"HubSpot listing of {path} repeated a cursor")
            seen.add(str(after))
            query["after"] = str(after)

    def __repr__(self) -> str:
        return f"PortalClient(portal_id={self.portal_id}, auth={self.auth_type.value})"
