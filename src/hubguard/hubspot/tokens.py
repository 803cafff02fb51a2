"""Token lifecycle: a usable access token per portal, refreshed once, never lost.

:class:`TokenManager` is the only code that refreshes OAuth tokens.

* **Fast path**: an access token with more than ``leeway_seconds`` to live is returned from a
  short in-memory cache (access tokens only, for ``cache_seconds``; refresh tokens are never
  cached) or from the vault.
* **Slow path**: take ``vault.refresh_lock(portal)`` (single-flight across threads and
  processes), **re-read** the vault (someone else may have refreshed while we waited), refresh
  at HubSpot, then ``swap_tokens`` (compare-and-swap; on conflict the stored token wins).
* **Dead grant** (``invalid_grant`` / ``BAD_REFRESH_TOKEN``): re-read the vault first (a re-install
  or a rotated refresh token may have landed meanwhile); if the grant is still the one that
  failed, mark the portal ``needs_reauth`` and raise :class:`NeedsReauthError` with the
  re-consent URL. Later calls for that portal raise at once, without calling HubSpot.
* **Transient failure** (5xx, timeout, 429): count it in the vault, back off exponentially
  (in-process), keep using the current access token while it is still valid, never mark the
  portal dead or delete anything.
* **Service keys** are returned as they are.

Every refresh attempt is written to the audit log as ``token.refresh`` with its outcome.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass

from hubguard.clock import Clock, SystemClock
from hubguard.config import Secret
from hubguard.errors import (
    AuthenticationError,
    CredentialsErasedError,
    HubguardError,
    HubSpotError,
    HubSpotUnavailableError,
    InvalidGrantError,
    NeedsReauthError,
    OAuthError,
    RateLimitedError,
    UnknownPortalError,
)
from hubguard.hubspot.oauth import OAuthClient
from hubguard.models import (
    AuthType,
    Installation,
    InstallationStatus,
    StoredCredentials,
    TokenSet,
)
from hubguard.vault.protocol import TokenVault

__all__ = ["REFRESH_OPERATION", "TokenManager"]

log = logging.getLogger(__name__)

# A refresh that failed but may work later: backed off from, never a dead grant. (A 401
# without an RFC 6749 body, say for a rotated client secret, is one too: not a reason to call
# the token endpoint again on every request.)
_REFRESH_FAILURES = (HubSpotUnavailableError, RateLimitedError, OAuthError, AuthenticationError)

REFRESH_OPERATION = "token.refresh"
ReconsentUrl = str | Callable[[int], str] | None


@dataclass(frozen=True)
class _Cached:
    token: Secret
    expires_at: float
    cached_at: float


class TokenManager:
    """Refresh orchestration for every portal in one vault (thread-safe; one per process)."""

    def __init__(
        self,
        vault: TokenVault,
        oauth: OAuthClient,
        clock: Clock | None = None,
        leeway_seconds: float = 300,
        reconsent_url: ReconsentUrl = None,
        *,
        actor: str = "hubguard",
        cache_seconds: float = 30.0,
        idle_horizon_seconds: float = 600.0,
        backoff_base: float = 5.0,
        backoff_cap: float = 300.0,
        rng: random.Random | None = None,
    ) -> None:
        self._vault = vault
        self._oauth = oauth
        self._clock = clock or SystemClock()
        self._leeway = float(leeway_seconds)
        self._reconsent = reconsent_url
        self._actor = actor
        self._cache_seconds = cache_seconds
        self._idle_horizon = idle_horizon_seconds
        self._backoff_base = backoff_base
        self._backoff_cap = backoff_cap
        self._rng = rng or random.Random()
        self._lock = threading.Lock()
        self._cache: dict[int, _Cached] = {}
        self._retry_at: dict[int, float] = {}

    # -- public API ------------------------------------------------------------------------

    def access_token(
        self, portal_id: int, *, force: bool = False, rejected: Secret | None = None
    ) -> Secret:
        """A usable credential for ``portal_id``.

        ``force=True`` refreshes even a fresh-looking token, unless ``rejected`` (the token
        HubSpot refused) was already replaced by someone else, in which case that is returned.
        Raises :class:`NeedsReauthError` for a dead, unknown or uninstalled portal and
        :class:`HubSpotUnavailableError` when no valid token is left and HubSpot is down.
        """
        now = self._clock.now()
        if not force:
            cached = self._cached(portal_id, now)
            if cached is not None:
                return cached
        creds = self._read(portal_id)
        if creds.auth_type is AuthType.SERVICE_KEY:
            if creds.service_key is None:
                raise self.reauth_error(portal_id)
            return creds.service_key
        replaced = rejected is not None and creds.access_token != rejected
        if _valid_until(creds) > now + self._leeway and (not force or replaced):
            return self._remember(portal_id, creds.access_token, _valid_until(creds), now)
        if force and replaced and _valid_until(creds) > now:
            return self._remember(portal_id, creds.access_token, _valid_until(creds), now)
        with self._lock:
            retry_at = self._retry_at.get(portal_id, 0.0)
        if now < retry_at:
            if creds.access_token is not None and _valid_until(creds) > now and not force:
                return creds.access_token
            raise HubSpotUnavailableError(
                f"token refresh is backing off for {retry_at - now:.0f}s after failures",
                portal_id=portal_id,
            )
        if force:
            # With ``rejected`` the lock re-checks whether it was replaced; without, always refresh.
            valid_until = float("inf") if rejected is None else now + self._leeway
            return self._refresh(portal_id, valid_until, rejected, "401")
        return self._refresh(portal_id, now + self._leeway, None, "expiry")

    def invalidate(self, portal_id: int) -> None:
        """Forget what this process cached for ``portal_id`` (after uninstall or re-install)."""
        with self._lock:
            self._cache.pop(portal_id, None)
            self._retry_at.pop(portal_id, None)

    def refresh_due(self, now: float | None = None, *, within: float | None = None) -> list[int]:
        """Active OAuth portals whose access token expires within ``leeway + horizon``."""
        now = self._clock.now() if now is None else now
        horizon = self._leeway + (self._idle_horizon if within is None else within)
        return [
            inst.portal_id
            for inst in self._vault.list()
            if inst.auth_type is AuthType.OAUTH
            and inst.status is InstallationStatus.ACTIVE
            and (inst.access_expires_at or 0.0) - now <= horizon
        ]

    def refresh_idle(self, *, within: float | None = None) -> dict[int, str]:
        """Refresh every due portal, traffic or not; returns ``{portal_id: outcome}``.

        Meant for a background job running more often than ``idle_horizon_seconds``.
        """
        now = self._clock.now()
        horizon = self._leeway + (self._idle_horizon if within is None else within)
        outcomes: dict[int, str] = {}
        for portal_id in self.refresh_due(now, within=within):
            with self._lock:
                if now < self._retry_at.get(portal_id, 0.0):
                    outcomes[portal_id] = "backing_off"
                    continue
            try:
                self._refresh(portal_id, now + horizon, None, "idle")
                with self._lock:
                    failed = self._retry_at.get(portal_id, 0.0) > now  # set by _on_failure
                outcomes[portal_id] = "failed:transient" if failed else "ok"
            except NeedsReauthError:
                outcomes[portal_id] = "needs_reauth"
            except HubguardError as exc:
                outcomes[portal_id] = "failed:" + type(exc).__name__
        return outcomes

    # -- the slow path ---------------------------------------------------------------------

    def _refresh(
        self, portal_id: int, valid_until: float, rejected: Secret | None, trigger: str
    ) -> Secret:
        with self._vault.refresh_lock(portal_id):
            # Re-read: another process may have refreshed, or failed and set a backoff.
            inst, creds = self._read_installation(portal_id)
            now = self._clock.now()
            if creds.auth_type is AuthType.SERVICE_KEY and creds.service_key is not None:
                return creds.service_key
            if rejected is None and _valid_until(creds) > valid_until:
                return self._remember(portal_id, creds.access_token, _valid_until(creds), now)
            if (
                rejected is not None
                and creds.access_token != rejected
                and _valid_until(creds) > now
            ):
                return self._remember(portal_id, creds.access_token, _valid_until(creds), now)
            if creds.refresh_token is None:
                return self._dead(portal_id, "no_refresh_token", trigger, creds.version)
            shared_retry_at = self._shared_retry_at(inst)
            if now < shared_retry_at:
                return self._backing_off(portal_id, creds, shared_retry_at, rejected, now)
            try:
                tokens = self._oauth.refresh(creds.refresh_token)
            except InvalidGrantError:
                return self._on_invalid_grant(portal_id, creds, trigger)
            except _REFRESH_FAILURES as exc:
                return self._on_failure(portal_id, creds, exc, trigger, rejected)
            return self._store(portal_id, creds, tokens, trigger)

    def _store(
        self, portal_id: int, creds: StoredCredentials, tokens: TokenSet, trigger: str
    ) -> Secret:
        now = self._clock.now()
        if not self._vault.swap_tokens(portal_id, creds.version, tokens):
            # Someone wrote newer tokens between our read and our write (a re-install, or a
            # process without the lock): theirs win; ours stays valid until it expires.
            latest = self._read(portal_id)
            self._audit(portal_id, "conflict", trigger)
            if latest.access_token is not None and _valid_until(latest) > now:
                return self._remember(portal_id, latest.access_token, _valid_until(latest), now)
            return tokens.access_token
        with self._lock:
            self._retry_at.pop(portal_id, None)
        self._audit(portal_id, "ok", trigger, expires_at=tokens.expires_at)
        log.info("portal %s: access token refreshed (%s)", portal_id, trigger)
        return self._remember(portal_id, tokens.access_token, tokens.expires_at, now)

    def _on_invalid_grant(self, portal_id: int, used: StoredCredentials, trigger: str) -> Secret:
        latest = self._read(portal_id)
        now = self._clock.now()
        if latest.version != used.version or latest.refresh_token != used.refresh_token:
            if latest.access_token is not None and _valid_until(latest) > now + self._leeway:
                return self._remember(portal_id, latest.access_token, _valid_until(latest), now)
            if latest.refresh_token is not None and latest.refresh_token != used.refresh_token:
                # A rotated refresh token landed meanwhile: it deserves one try of its own.
                try:
                    tokens = self._oauth.refresh(latest.refresh_token)
                except InvalidGrantError:
                    return self._dead(portal_id, "invalid_grant", trigger, latest.version)
                except _REFRESH_FAILURES as exc:
                    return self._on_failure(portal_id, latest, exc, trigger, None)
                return self._store(portal_id, latest, tokens, trigger)
        return self._dead(portal_id, "invalid_grant", trigger, latest.version)

    def _dead(self, portal_id: int, code: str, trigger: str, version: int) -> Secret:
        """Mark the portal for re-consent, unless its credentials changed since ``version`` (a
        re-install landed meanwhile: its fresh grant is used instead)."""
        if not self._vault.set_status(
            portal_id, InstallationStatus.NEEDS_REAUTH, error=code, if_version=version
        ):
            latest = self._read(portal_id)
            now = self._clock.now()
            if latest.access_token is not None and _valid_until(latest) > now:
                return self._remember(portal_id, latest.access_token, _valid_until(latest), now)
        self.invalidate(portal_id)
        self._audit(portal_id, code, trigger)
        log.warning("portal %s: grant is dead (%s); re-consent needed", portal_id, code)
        raise self.reauth_error(portal_id)

    def _on_failure(
        self,
        portal_id: int,
        creds: StoredCredentials,
        exc: HubSpotError,
        trigger: str,
        rejected: Secret | None,
    ) -> Secret:
        code = exc.error if isinstance(exc, OAuthError) and exc.error else type(exc).__name__
        failures = self._vault.record_refresh_failure(portal_id, code)
        delay = min(self._backoff_cap, self._backoff_base * 2 ** max(0, failures - 1))
        now = self._clock.now()
        with self._lock:
            self._retry_at[portal_id] = now + self._rng.uniform(delay / 2, delay)
        self._audit(portal_id, "failed", trigger, error=code, failures=str(failures))
        log.warning("portal %s: token refresh failed (%s), attempt %d", portal_id, code, failures)
        token = creds.access_token
        # Still good for a while: keep working with it, unless HubSpot just refused it.
        if token is not None and _valid_until(creds) > now and token != rejected:
            return token
        raise exc

    def _shared_retry_at(self, inst: Installation) -> float:
        """When any process may call the token endpoint again after the portal's last failures.

        The failure count and its time live in the vault row, so every worker process backs
        off together (the lower edge of the jittered delay) instead of each hammering HubSpot
        on its own schedule during an outage."""
        if not inst.refresh_failures or inst.updated_at is None:
            return 0.0
        delay = min(self._backoff_cap, self._backoff_base * 2 ** (inst.refresh_failures - 1))
        return float(inst.updated_at + delay / 2)

    def _backing_off(
        self,
        portal_id: int,
        creds: StoredCredentials,
        retry_at: float,
        rejected: Secret | None,
        now: float,
    ) -> Secret:
        with self._lock:
            self._retry_at[portal_id] = max(self._retry_at.get(portal_id, 0.0), retry_at)
        token = creds.access_token
        if token is not None and _valid_until(creds) > now and token != rejected:
            return token
        raise HubSpotUnavailableError(
            f"token refresh is backing off for {retry_at - now:.0f}s after failures",
            portal_id=portal_id,
        )

    # -- helpers ---------------------------------------------------------------------------

    def _read(self, portal_id: int) -> StoredCredentials:
        """The portal's credentials, or NeedsReauthError when it cannot be used at all."""
        return self._read_installation(portal_id)[1]

    def _read_installation(self, portal_id: int) -> tuple[Installation, StoredCredentials]:
        """The portal's installation row and credentials (NeedsReauthError if unusable)."""
        inst = self._vault.get(portal_id)
        if inst is None or inst.status is not InstallationStatus.ACTIVE:
            self.invalidate(portal_id)
            raise self.reauth_error(portal_id)
        try:
            return inst, self._vault.credentials(portal_id)
        except (UnknownPortalError, CredentialsErasedError):
            raise self.reauth_error(portal_id) from None

    def reauth_error(self, portal_id: int) -> NeedsReauthError:
        """The error (with re-consent URL) for a portal that cannot be used."""
        url = self._reconsent(portal_id) if callable(self._reconsent) else self._reconsent
        return NeedsReauthError(portal_id, url)

    def _cached(self, portal_id: int, now: float) -> Secret | None:
        with self._lock:
            entry = self._cache.get(portal_id)
        if entry is None:
            return None
        if now - entry.cached_at > self._cache_seconds or entry.expires_at - now <= self._leeway:
            return None
        return entry.token

    def _remember(
        self, portal_id: int, token: Secret | None, expires_at: float, now: float
    ) -> Secret:
        if token is None:
            raise self.reauth_error(portal_id)
        with self._lock:
            self._cache[portal_id] = _Cached(token, expires_at, now)
        return token

    def _audit(self, portal_id: int, result: str, trigger: str, **detail: object) -> None:
        self._vault.audit(
            REFRESH_OPERATION,
            portal_id=portal_id,
            actor=self._actor,
            detail={"result": result, "trigger": trigger, **{k: str(v) for k, v in detail.items()}},
        )


def _valid_until(creds: StoredCredentials) -> float:
    return creds.expires_at if creds.access_token is not None and creds.expires_at else 0.0
