"""Webhook request verification (HubSpot signature v3, and v1/v2 only when allowed).

Runs over the raw body bytes before anything parses them. v3: HMAC-SHA256 of method + URI +
body + timestamp with the app secret, base64; the URI is the *public* URL HubSpot called (behind a
reverse proxy the Host header is not it), normalised with HubSpot's decoding table; the timestamp
must be within five minutes of now in either direction. Every configured secret is tried (the
current one and those still valid during a rotation), each compared in constant time. Failures
raise :class:`~hubguard.errors.SignatureError` with a short ``reason`` that never says which part
matched.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping, Sequence

from hubguard.clock import Clock, SystemClock
from hubguard.config import Secret, Settings
from hubguard.errors import ConfigError, SignatureError
from hubguard.hubspot.signatures import signature_v1, signature_v2, signature_v3

__all__ = ["MAX_SKEW_MS", "WebhookVerifier"]

MAX_SKEW_MS = 300_000


def _equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


class WebhookVerifier:
    """Checks that a request really comes from HubSpot for this app, and is fresh."""

    def __init__(
        self,
        secrets: Sequence[Secret],
        *,
        public_url: str,
        clock: Clock | None = None,
        accept_legacy: bool = False,
        max_skew_ms: int = MAX_SKEW_MS,
    ) -> None:
        if not secrets:
            raise ConfigError("webhooks need the app's client secret: set HUBGUARD_CLIENT_SECRET")
        self._secrets = tuple(secrets)
        self._public_url = public_url
        self._clock = clock or SystemClock()
        self._accept_legacy = accept_legacy
        self._max_skew_ms = max_skew_ms

    @classmethod
    def from_settings(cls, settings: Settings, *, clock: Clock | None = None) -> WebhookVerifier:
        """Secrets, public webhook URL and legacy switch from :class:`Settings`."""
        secrets = [s for s in (settings.client_secret, *settings.previous_client_secrets) if s]
        return cls(
            secrets,
            public_url=settings.webhook_url,
            clock=clock,
            accept_legacy=settings.accept_legacy_signatures,
        )

    def uri(self, query: str = "") -> str:
        """The URI HubSpot signed: the public webhook URL plus the query string as sent."""
        return self._public_url + ("?" + query if query else "")

    def verify(
        self, method: str, body: bytes, headers: Mapping[str, str], *, query: str = ""
    ) -> str:
        """Raise SignatureError unless the request is authentic; returns the version used."""
        uri = self.uri(query)
        v3 = headers.get("x-hubspot-signature-v3")
        if v3 is not None:
            timestamp = self._timestamp(headers.get("x-hubspot-request-timestamp"))
            for secret in self._secrets:
                expected = signature_v3(secret.reveal(), method, uri, body, timestamp)
                if _equal(expected, v3.strip()):
                    return "v3"
            raise SignatureError("webhook signature does not match", reason="bad_signature")
        legacy = headers.get("x-hubspot-signature")
        if legacy is None:
            raise SignatureError("webhook request is not signed", reason="unsigned")
        if not self._accept_legacy:
            raise SignatureError(
                "webhook signed only with v1/v2; set HUBGUARD_ACCEPT_LEGACY_SIGNATURES=true "
                "to accept it",
                reason="legacy_refused",
            )
        version = (headers.get("x-hubspot-signature-version") or "v1").strip().lower()
        for secret in self._secrets:
            if version == "v2":
                expected = signature_v2(secret.reveal(), method, uri, body)
            elif version == "v1":
                expected = signature_v1(secret.reveal(), body)
            else:
                raise SignatureError("unknown signature version", reason="bad_version")
            if _equal(expected, legacy.strip().lower()):
                return version
        raise SignatureError("webhook signature does not match", reason="bad_signature")

    def _timestamp(self, raw: str | None) -> int:
        digits = (raw or "").strip()
        # ASCII only and bounded: "²" is a str.isdigit() digit that int() refuses, and int() of
        # thousands of digits raises too (epoch milliseconds have 13).
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 16:
            raise SignatureError("missing or malformed request timestamp", reason="bad_timestamp")
        timestamp = int(digits)
        now_ms = int(self._clock.now() * 1000)
        if abs(now_ms - timestamp) > self._max_skew_ms:
            raise SignatureError("webhook request is stale or from the future", reason="stale")
        return timestamp
