"""HubSpot webhook request signatures, versions 1, 2 and 3 (reference §3.1).

These are pure functions over the exact bytes HubSpot sent: the verifier in the inbox pipeline and
the emulator's delivery signer both use them, so the two can never drift apart.

- v1: ``sha256_hex(client_secret + body)``
- v2: ``sha256_hex(client_secret + method + uri + body)``
- v3: ``base64(hmac_sha256(client_secret, method + uri + body + timestamp_ms))``, where ``uri`` is
  first passed through :func:`normalise_uri` (HubSpot's decoding table, nothing else).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

__all__ = ["normalise_uri", "signature_v1", "signature_v2", "signature_v3"]

# HubSpot's v3 table: exactly these escapes are decoded; every other %XX stays as sent.
_V3_DECODE = {
    "%3A": ":",
    "%2F": "/",
    "%3F": "?",
    "%40": "@",
    "%21": "!",
    "%24": "$",
    "%27": "'",
    "%28": "(",
    "%29": ")",
    "%2A": "*",
    "%2C": ",",
    "%3B": ";",
}
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")


def normalise_uri(uri: str) -> str:
    """Decode only the escapes in HubSpot's v3 table (case-insensitive hex), in one pass."""

    def _decode(match: re.Match[str]) -> str:
        escape = match.group(0)
        return _V3_DECODE.get(escape.upper(), escape)

    return _ESCAPE.sub(_decode, uri)


def _text(body: bytes | str) -> bytes:
    return body.encode("utf-8") if isinstance(body, str) else body


def signature_v1(secret: str, body: bytes | str) -> str:
    """``X-HubSpot-Signature`` for version v1: lowercase hex SHA-256 of secret + body."""
    return hashlib.sha256(secret.encode("utf-8") + _text(body)).hexdigest()


def signature_v2(secret: str, method: str, uri: str, body: bytes | str) -> str:
    """``X-HubSpot-Signature`` for version v2: hex SHA-256 of secret + method + URI + body."""
    source = (secret + method.upper() + uri).encode("utf-8") + _text(body)
    return hashlib.sha256(source).hexdigest()


def signature_v3(secret: str, method: str, uri: str, body: bytes | str, timestamp_ms: int) -> str:
    """``X-HubSpot-Signature-v3``: base64 HMAC-SHA256 keyed by the secret.

    The URI is normalised with :func:`normalise_uri` first, as HubSpot's docs require.
    """
    source = (
        (method.upper() + normalise_uri(uri)).encode("utf-8")
        + _text(body)
        + str(int(timestamp_ms)).encode("ascii")
    )
    digest = hmac.new(secret.encode("utf-8"), source, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")
