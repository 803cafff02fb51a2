"""Why a correction ("not spam", "spam") could not be carried out, as an HTTP status and a
sentence for a person: one mapping for the JSON API and the dashboard alike. Nothing was
recorded in any of these cases (feedback is stored only after HubSpot accepted the restore)."""

from __future__ import annotations

from hubguard.errors import (
    ActionInProgressError,
    HubguardError,
    HubSpotError,
    NeedsReauthError,
    UnknownVerdictError,
)

__all__ = ["correction_failure"]


def correction_failure(exc: HubguardError) -> tuple[int, str]:
    """``(status, message)`` for a failed correction; the message never holds a secret."""
    if isinstance(exc, UnknownVerdictError):
        return 404, str(exc)
    if isinstance(exc, ActionInProgressError):
        return 409, "hubguard is acting on this thread right now; try again in a minute"
    if isinstance(exc, NeedsReauthError):
        return 409, f"HubSpot access for this portal has ended: {exc}"
    if isinstance(exc, HubSpotError):
        return 502, f"HubSpot refused ({exc.category}); try again in a minute"
    return 503, f"could not be completed ({type(exc).__name__}); try again in a minute"
