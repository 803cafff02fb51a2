"""Secret-safe logging.

:class:`RedactingFilter` rewrites every record that passes through hubguard's handlers: values
registered with :func:`register_secret` and anything shaped like a HubSpot token are replaced by
a short fingerprint, so a log line can still say *which* credential was used without showing it.
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import re
import threading
from collections import OrderedDict

__all__ = ["RedactingFilter", "configure_logging", "fingerprint", "redact", "register_secret"]

# Secrets seen lately, least recently registered first. Bounded: every refresh registers a new
# access token, and an unbounded set made each redaction (and each audit write, which redacts
# under the audit lock) slower for as long as the process ran. A secret in use is registered
# again each time it is decrypted, so only retired ones (expired access tokens) fall out.
MAX_REGISTERED_SECRETS = 4096
_known: OrderedDict[str, None] = OrderedDict()
_known_longest_first: tuple[str, ...] = ()
_known_lock = threading.Lock()

# Shapes of HubSpot credentials: private-app / service keys, OAuth tokens in headers and bodies.
_PATTERNS = [
    re.compile(r"\bpat-(?:na|eu|ap)\d-[0-9a-fA-F-]{36}\b"),
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]{8,}"),
    # HubSpot's legacy v1 token metadata endpoints put the token in the URL path.
    re.compile(r"(/oauth/v1/(?:access|refresh)-tokens/)[^\s/?#\"']+"),
    re.compile(
        r"(?i)((?:access_token|refresh_token|client_secret|code_verifier|token|code)"
        r"[\"']?\s*[=:]\s*[\"']?)[^\s&\"',}]{6,}"
    ),
]


def fingerprint(secret: str) -> str:
    """A stable, non-reversible label for a secret: ``fp:`` + 8 hex digits of its SHA-256."""
    return "fp:" + hashlib.sha256(secret.encode()).hexdigest()[:8]


def register_secret(secret: str) -> None:
    """Remember a secret so that any log line containing it is redacted."""
    global _known_longest_first
    if len(secret) < 6:
        return
    with _known_lock:
        if secret in _known:
            _known.move_to_end(secret)  # still in use: last to be forgotten
            return
        _known[secret] = None
        longest_first = list(_known_longest_first)
        bisect.insort(longest_first, secret, key=_longest_first)
        while len(_known) > MAX_REGISTERED_SECRETS:
            forgotten, _ = _known.popitem(last=False)
            longest_first.remove(forgotten)
        _known_longest_first = tuple(longest_first)


def _longest_first(secret: str) -> int:
    return -len(secret)  # a secret inside a longer one is replaced after it


def registered_secrets() -> frozenset[str]:
    """Every secret registered and not yet forgotten (the test suite scans its logs for them)."""
    with _known_lock:
        return frozenset(_known)


def redact(text: str) -> str:
    for secret in _known_longest_first:  # a tuple swapped whole on change: no lock needed
        if secret in text:
            text = text.replace(secret, fingerprint(secret))
    for pattern in _PATTERNS:
        if pattern.groups:
            text = pattern.sub(lambda m: m.group(1) + "[redacted]", text)
        else:
            text = pattern.sub(lambda m: fingerprint(m.group(0)), text)
    return text


class RedactingFilter(logging.Filter):
    """Formats the message once, redacts it, and drops the args so nothing leaks later."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return True


def guard_logger(name: str) -> None:
    """Redact at the source: every record ``name`` emits is redacted before any handler sees it,
    whoever configured logging. httpx logs request URLs, and HubSpot's legacy v1 token
    endpoints put the token in the URL path."""
    logger = logging.getLogger(name)
    if not any(isinstance(f, RedactingFilter) for f in logger.filters):
        logger.addFilter(RedactingFilter())


def _quiet_transport_chatter(record: logging.LogRecord) -> bool:
    # httpx logs every request URL at INFO; hubguard logs what matters itself.
    return not (record.name.startswith(("httpx", "httpcore")) and record.levelno < logging.WARNING)


class _HubguardHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The one handler hubguard installs (recognised so it is never installed twice)."""


def configure_logging(level: str = "INFO") -> None:
    """Send logs to stderr through one redacting handler. Idempotent, and additive: handlers
    others installed (a test runner's, an application server's) stay as they are."""
    root = logging.getLogger()
    if not any(isinstance(h, _HubguardHandler) for h in root.handlers):
        handler = _HubguardHandler()
        handler.addFilter(_quiet_transport_chatter)
        handler.addFilter(RedactingFilter())
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    wanted = logging.getLevelName(level.upper())
    if isinstance(wanted, int) and (root.level == logging.NOTSET or wanted < root.level):
        root.setLevel(wanted)
