"""Knobs of the emulator's behaviour, fixed at construction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["EmulatorOptions"]


@dataclass(frozen=True)
class EmulatorOptions:
    """How the emulator behaves where HubSpot leaves room (each default is HubSpot's, or a guess
    documented in the README).

    - ``access_token_ttl``: ``expires_in`` of issued access tokens (HubSpot: 1800 s).
    - ``code_ttl``: lifetime of an authorization code (HubSpot: "a short window"; we pick 60 s).
    - ``rotate_refresh_tokens``: issue a new refresh token on each refresh and kill the old one.
    - ``retry_after_header``: send ``Retry-After`` on 429 (UNCONFIRMED for HubSpot).
    - ``delivery_timeout``: seconds a webhook receiver gets before the attempt counts as failed.
    - ``max_delivery_retries``: retries after the first attempt (HubSpot: 10 over 24 h).
    - ``tier_limits``: service-key limits per tier, ``{tier: (per 10 s, per day)}``; None means
      HubSpot's table (``ratelimit.TIER_LIMITS``). Tests shrink the daily limit with it.
    """

    access_token_ttl: int = 1800
    code_ttl: int = 60
    rotate_refresh_tokens: bool = False
    retry_after_header: bool = True
    delivery_timeout: float = 5.0
    max_delivery_retries: int = 10
    tier_limits: Mapping[str, tuple[int, int]] | None = None
