"""Every error hubguard raises derives from :class:`HubguardError`.

The tree, by meaning (not by call site)::

    HubguardError
    ├── ConfigError                  settings missing or invalid; says which variable to set
    ├── HubSpotError                 HubSpot answered with an error (status, category, correlation id)
    │   ├── AuthenticationError      401: token missing, unknown or expired
    │   ├── MissingScopesError       403 MISSING_SCOPES: carries the missing scopes
    │   ├── NotFoundError            404
    │   ├── RateLimitedError         429 after retries ran out: carries retry_after and policy
    │   ├── HubSpotUnavailableError  5xx, timeout or connection failure after retries ran out
    │   │   └── MalformedResponseError  a 2xx whose body is not the JSON HubSpot documents
    │   └── OAuthError               the token endpoint refused (RFC 6749 ``error`` code)
    │       └── InvalidGrantError    refresh token or code is dead: the portal needs re-consent
    ├── NeedsReauthError             a portal's grant is dead; carries the re-consent URL
    ├── InstallFlowError             state forged/expired/replayed, consent denied, bad callback
    ├── VaultError                   credentials at rest
    │   ├── UnknownKeyError          a row names a master key that is not configured
    │   ├── UnknownPortalError       no installation is stored for that portal
    │   └── DecryptionError          ciphertext tampered, moved to another row, or key erased
    │       └── CredentialsErasedError  the portal was uninstalled: its data key is gone
    ├── SignatureError               a webhook failed verification (never says which part matched)
    ├── TooManyAttemptsError         too many wrong admin tokens: refused unread (retry_after)
    ├── ClassifierError              a model file is missing, unknown or malformed
    ├── SpamStateError               the spam filter's portal state (lists, feedback) is unavailable
    ├── EmulatorError                the HubSpot emulator's control API refused a request
    └── InboxError                   the inbox pipeline could not do what was asked
        ├── InboxStorageError        the events/verdicts database failed (the event stays queued)
        ├── MalformedEventError      a verified webhook body is not HubSpot's event array
        ├── ActionInProgressError    another worker is carrying out this action right now
        ├── ThreadErasedError        the thread was erased (privacy deletion) while being decided
        └── UnknownVerdictError      no such verdict / thread for that portal

Foreign exceptions (httpx, SQLAlchemy, cryptography) are translated into this tree once, at
the boundary that calls them. No error message ever contains a secret.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "ActionInProgressError",
    "AuthenticationError",
    "ClassifierError",
    "ConfigError",
    "CredentialsErasedError",
    "DecryptionError",
    "EmulatorError",
    "HubSpotError",
    "HubSpotUnavailableError",
    "HubguardError",
    "InboxError",
    "InboxStorageError",
    "InstallFlowError",
    "InvalidGrantError",
    "MalformedEventError",
    "MissingScopesError",
    "NeedsReauthError",
    "NotFoundError",
    "OAuthError",
    "RateLimitedError",
    "ServiceKeyRejectedError",
    "SignatureError",
    "SpamStateError",
    "TooManyAttemptsError",
    "UnknownKeyError",
    "UnknownPortalError",
    "UnknownVerdictError",
    "VaultError",
]


class HubguardError(Exception):
    """Root of every error hubguard raises."""


class ConfigError(HubguardError):
    """A setting is missing or invalid. The message names the variable and how to fix it."""


class HubSpotError(HubguardError):
    """HubSpot answered with an error.

    ``category`` and ``correlation_id`` are HubSpot's own, so a support ticket can quote them.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        category: str | None = None,
        correlation_id: str | None = None,
        portal_id: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.category = category
        self.correlation_id = correlation_id
        self.portal_id = portal_id

    def __str__(self) -> str:
        parts = [self.message]
        if self.status is not None:
            parts.append(f"status={self.status}")
        if self.category:
            parts.append(f"category={self.category}")
        if self.correlation_id:
            parts.append(f"correlationId={self.correlation_id}")
        if self.portal_id is not None:
            parts.append(f"portal={self.portal_id}")
        return " ".join(parts)


class AuthenticationError(HubSpotError):
    """401: the credential is missing, unknown or expired."""


class MissingScopesError(HubSpotError):
    """403 MISSING_SCOPES. ``missing_scopes`` lists what to add to the app and re-consent."""

    def __init__(self, message: str, *, missing_scopes: Sequence[str] = (), **kw: object) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.missing_scopes = tuple(missing_scopes)


class NotFoundError(HubSpotError):
    """404: the object does not exist (or is archived and was not asked for)."""


class RateLimitedError(HubSpotError):
    """429 that outlived the retries. ``retry_after`` is in seconds."""

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        policy: str | None = None,
        **kw: object,
    ) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.retry_after = retry_after
        self.policy = policy


class HubSpotUnavailableError(HubSpotError):
    """5xx, a timeout or a connection failure that outlived the retries. Nothing was lost."""


class MalformedResponseError(HubSpotUnavailableError):
    """HubSpot answered 2xx with a body that is not what its API documents (a proxy's error
    page, a cut-off answer, an object without its id): nothing is read from it, and the call
    counts as failed (worth retrying later)."""


class OAuthError(HubSpotError):
    """The OAuth token endpoint refused. ``error`` is the RFC 6749 code."""

    def __init__(self, message: str, *, error: str | None = None, **kw: object) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.error = error


class InvalidGrantError(OAuthError):
    """``invalid_grant`` / ``BAD_REFRESH_TOKEN``: the grant is dead; the portal must re-consent."""


class NeedsReauthError(HubguardError):
    """A portal's grant is dead. ``reconsent_url`` is where an admin re-installs the app."""

    def __init__(self, portal_id: int, reconsent_url: str | None = None) -> None:
        message = f"portal {portal_id} needs re-authorisation"
        if reconsent_url:
            message += f": an admin must re-install at {reconsent_url}"
        super().__init__(message)
        self.portal_id = portal_id
        self.reconsent_url = reconsent_url


class ServiceKeyRejectedError(NeedsReauthError):
    """HubSpot answered 401 to a portal's service key: it was rotated or deleted in HubSpot."""

    def __init__(self, portal_id: int) -> None:
        super().__init__(portal_id)
        self.args = (
            f"portal {portal_id}: HubSpot rejected its service key (rotated or deleted?); "
            f"connect a new one: hubguard connect --portal {portal_id} < key-file",
        )


class InstallFlowError(HubguardError):
    """The OAuth install flow failed: state forged/expired/replayed, consent denied, bad code."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


class VaultError(HubguardError):
    """Credentials at rest could not be read or written."""


class UnknownKeyError(VaultError):
    """A stored secret names a master key id that is not in HUBGUARD_MASTER_KEYS."""


class DecryptionError(VaultError):
    """A ciphertext failed authentication: tampered, moved to another row, or its key erased."""


class UnknownPortalError(VaultError):
    """No installation is stored for that portal id."""


class CredentialsErasedError(DecryptionError):
    """The portal was uninstalled and its data key erased: its secrets are gone for good."""


class SignatureError(HubguardError):
    """A webhook request failed verification. ``reason`` is a short code, safe to log."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class TooManyAttemptsError(HubguardError):
    """Too many wrong secrets came from one client, or from all of them together, within a
    window: this attempt was refused without comparing it. ``retry_after`` is whole seconds until
    the window ends (an HTTP ``Retry-After``); the message says the same to a person."""

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ClassifierError(HubguardError):
    """A model is missing, names an unknown version, or is malformed."""


class InboxError(HubguardError):
    """The inbox pipeline could not do what was asked."""


class InboxStorageError(InboxError):
    """The inbox tables could not be read or written. A stored event stays queued for retry."""


class MalformedEventError(InboxError):
    """A correctly signed webhook body is not a JSON array of HubSpot events."""


class ActionInProgressError(InboxError):
    """Another worker recorded the intent to act on this message moments ago; try again later."""


class ThreadErasedError(InboxError):
    """HubSpot's privacy deletion erased the thread while one of its messages was being
    decided: the verdict just written was removed again, and nothing is to be done."""


class UnknownVerdictError(InboxError):
    """No verdict (or no acted-on thread) with that id exists for that portal."""


class EmulatorError(HubguardError):
    """The HubSpot emulator's control API (a test helper) was given bad input: unknown portal,
    app or thread, an invalid authorize URL, a bad fault. ``code`` is a short, loggable label."""

    def __init__(self, message: str, *, code: str = "BAD_REQUEST", status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


class SpamStateError(HubguardError):
    """The spam filter's per-portal state (lists, feedback, corrections) could not be used."""
