"""Settings: read once, frozen, secrets hidden.

Sources, later ones winning: the defaults below, an optional TOML file (``HUBGUARD_CONFIG`` or
``Settings.load(config_file=...)``; keys are the field names, at top level or under
``[hubguard]``), then ``HUBGUARD_<FIELD NAME IN CAPITALS>`` environment variables. Nothing else
in hubguard reads the environment.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from hubguard.errors import ConfigError

__all__ = ["OAUTH_API_VERSIONS", "Secret", "Settings"]

OAUTH_API_VERSIONS = ("2026-03", "v3", "v1")
ENV_PREFIX = "HUBGUARD_"
MAX_REFRESH_LEEWAY_SECONDS = 900
MIN_ADMIN_TOKEN_CHARS = 24  # about 140 bits from secrets.token_urlsafe; no throttle needed to hold


class Secret:
    """A string that never shows itself: ``repr``, ``str`` and f-strings print asterisks.

    Call :meth:`reveal` at the one place the value is really needed (an HTTP body, a key).
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __bool__(self) -> bool:
        return bool(self._value)

    def __reduce__(self) -> Any:  # keep secrets out of pickles, too
        raise TypeError("Secret values cannot be pickled")


def _to_bool(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected true/false, got {raw!r}")


def _to_tuple(raw: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in raw.split(",") if part.strip())


def _to_secret_tuple(raw: str) -> tuple[Secret, ...]:
    return tuple(Secret(part) for part in _to_tuple(raw))


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
DATABASE_SCHEMES = ("sqlite", "postgresql", "postgres", "postgresql+psycopg")
REDIS_SCHEMES = ("redis", "rediss", "unix")
BROKER_SCHEMES = ("amqp", "amqps", "pyamqp", "redis", "rediss")


def _scheme(url: str) -> str:
    return url.split("://", 1)[0].lower() if "://" in url else ""


def _redirect_uri_problem(uri: str) -> str | None:
    """Why HubSpot would refuse ``uri`` as an app's redirect URI, or None (hubspot-api.md §1.1:
    https, or http on localhost; a domain, not an IP address). Caught at start-up, not at the
    first install, where HubSpot's consent page would only show an error."""
    parts = urlsplit(uri)
    host = parts.hostname or ""
    if not host:
        return "no host name: HubSpot redirects installs and sends webhooks there"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return "HubSpot refuses an IP address in a redirect URI; use a domain name"
    if parts.scheme == "https" or (parts.scheme == "http" and host == "localhost"):
        return None
    return "HubSpot requires https (plain http only for localhost)"


def _default_data_dir() -> Path:
    return Path.home() / ".hubguard"


@dataclass(frozen=True)
class Settings:
    """Every knob hubguard has. Field ``x`` is read from ``HUBGUARD_X``."""

    # The OAuth app (HubSpot developer portal -> app -> Auth).
    client_id: str | None = None
    client_secret: Secret | None = None
    # Older client secrets still accepted on webhooks while a rotation settles.
    previous_client_secrets: tuple[Secret, ...] = ()
    # Where HubSpot reaches this app (redirect URI and webhook URI are built from it).
    public_url: str = "http://localhost:8000"
    data_dir: Path = field(default_factory=_default_data_dir)
    # Empty means SQLite in data_dir. May carry a password: kept out of repr.
    database_url: str = field(default="", repr=False)
    # Comma-separated, newest first: "[keyid:]<32 bytes, URL-safe base64>".
    master_keys: Secret | None = None
    hubspot_api_url: str = "https://api.hubapi.com"
    hubspot_app_url: str = "https://app.hubspot.com"
    # Which OAuth token endpoints to use; "v1" is the legacy family (sunset 2027-02-16).
    oauth_api_version: str = "2026-03"
    # Features the app is installed for; they decide the scopes asked for (hubspot.scopes).
    features: tuple[str, ...] = ("inbox_filter",)
    # A service key connects one portal without OAuth.
    service_key: Secret | None = None
    service_key_portal_id: int | None = None
    # Webhooks signed only with v1/v2 are refused unless this is set.
    accept_legacy_signatures: bool = False
    # Refresh access tokens this many seconds before they expire.
    refresh_leeway_seconds: int = 300
    # Message bodies are kept this long; verdicts, scores and reasons stay.
    retention_days: int = 30
    log_level: str = "INFO"
    # Bearer token for the JSON admin API (scripts; people use the dashboard's HubSpot sign-in).
    admin_token: Secret | None = None
    # Scale-out (both optional): a Celery broker (amqp://... or redis://...) that hands stored
    # events to `hubguard worker` processes, and a Redis that holds each portal's rate budget so
    # every process together stays under HubSpot's limit. URLs may carry passwords: secrets.
    broker_url: Secret | None = None
    redis_url: Secret | None = None
    # Threads of the embedded worker (`serve`, `hubguard worker` without a broker): each waits
    # on HubSpot in parallel with the others.
    worker_threads: int = 4

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'hubguard.db'}"

    @property
    def redirect_uri(self) -> str:
        return self.public_url.rstrip("/") + "/oauth/callback"

    @property
    def webhook_url(self) -> str:
        return self.public_url.rstrip("/") + "/webhooks/hubspot"

    def reconsent_url(self, portal_id: int | None = None) -> str:
        """Where an admin (re-)installs the app; pinned to ``portal_id`` when given."""
        url = self.public_url.rstrip("/") + "/oauth/install"
        return f"{url}?portal={portal_id}" if portal_id is not None else url

    def __post_init__(self) -> None:
        if self.oauth_api_version not in OAUTH_API_VERSIONS:
            raise ConfigError(
                f"HUBGUARD_OAUTH_API_VERSION={self.oauth_api_version!r} is not one of "
                f"{', '.join(OAUTH_API_VERSIONS)}"
            )
        if self.refresh_leeway_seconds < 0 or self.retention_days < 0:
            raise ConfigError(
                "HUBGUARD_REFRESH_LEEWAY_SECONDS and HUBGUARD_RETENTION_DAYS must be >= 0"
            )
        if self.refresh_leeway_seconds > MAX_REFRESH_LEEWAY_SECONDS:
            # HubSpot's access tokens live 1,800 s: a leeway near that makes every fresh token
            # look due, and every API call a refresh.
            raise ConfigError(
                f"HUBGUARD_REFRESH_LEEWAY_SECONDS must be at most {MAX_REFRESH_LEEWAY_SECONDS} "
                "(half an access token's 30 minutes)"
            )
        if not 1 <= self.worker_threads <= 32:
            raise ConfigError(f"HUBGUARD_WORKER_THREADS must be 1 to 32, got {self.worker_threads}")
        if self.admin_token is not None and len(self.admin_token.reveal()) < MIN_ADMIN_TOKEN_CHARS:
            # Guesses are throttled (web.throttle), but a short token can still be found by a
            # patient guesser, and each lockout it trips also locks out the operator.
            raise ConfigError(
                f"HUBGUARD_ADMIN_TOKEN must be at least {MIN_ADMIN_TOKEN_CHARS} characters; make "
                "one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )
        if self.log_level.upper() not in LOG_LEVELS:
            raise ConfigError(
                f"HUBGUARD_LOG_LEVEL={self.log_level[:20]!r} is not one of {', '.join(LOG_LEVELS)}"
            )
        for variable, value, schemes in (
            ("HUBGUARD_DATABASE_URL", self.database_url, DATABASE_SCHEMES),
            ("HUBGUARD_REDIS_URL", self.redis_url, REDIS_SCHEMES),
            ("HUBGUARD_BROKER_URL", self.broker_url, BROKER_SCHEMES),
        ):
            raw = value.reveal() if isinstance(value, Secret) else value
            if raw and _scheme(raw) not in schemes:
                # The URL itself is not repeated: it may hold a password.
                raise ConfigError(
                    f"{variable} must start with one of {', '.join(s + '://' for s in schemes)}"
                )
        problem = _redirect_uri_problem(self.redirect_uri) if self.client_id else None
        if problem:
            raise ConfigError(f"HUBGUARD_PUBLIC_URL={self.public_url!r}: {problem}")
        if (self.service_key is None) != (self.service_key_portal_id is None):
            raise ConfigError(
                "HUBGUARD_SERVICE_KEY and HUBGUARD_SERVICE_KEY_PORTAL_ID go together: set both"
            )

    @classmethod
    def load(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        config_file: str | Path | None = None,
        **overrides: Any,
    ) -> Settings:
        """Read settings once: defaults < TOML file < environment < ``overrides``."""
        env = dict(os.environ if environ is None else environ)
        raw: dict[str, Any] = {}
        path = config_file or env.get(ENV_PREFIX + "CONFIG")
        if path:
            raw.update(_read_toml(Path(path)))
        for f in dataclasses.fields(cls):
            key = ENV_PREFIX + f.name.upper()
            if key in env:
                raw[f.name] = env[key]
        values = {name: _convert(name, value) for name, value in raw.items()}
        values.update(overrides)
        return cls(**values)

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


_CONVERTERS: dict[str, Callable[[str], Any]] = {
    "client_secret": Secret,
    "master_keys": Secret,
    "service_key": Secret,
    "admin_token": Secret,
    "broker_url": Secret,
    "redis_url": Secret,
    "previous_client_secrets": _to_secret_tuple,
    "features": _to_tuple,
    "data_dir": lambda raw: Path(raw).expanduser(),
    "accept_legacy_signatures": _to_bool,
    "refresh_leeway_seconds": int,
    "retention_days": int,
    "worker_threads": int,
    "service_key_portal_id": int,
}


def _convert(name: str, value: Any) -> Any:
    if name not in {f.name for f in dataclasses.fields(Settings)}:
        raise ConfigError(f"unknown setting {name!r}")
    if isinstance(value, list):
        value = ",".join(str(v) for v in value)
    if not isinstance(value, str):
        value = str(value).lower() if isinstance(value, bool) else str(value)
    converter = _CONVERTERS.get(name, str)
    try:
        return converter(value)
    except ValueError as exc:
        raise ConfigError(f"{ENV_PREFIX}{name.upper()}: {exc}") from None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"config file {path} is not UTF-8 text") from None
    except OSError as exc:  # a directory, no permission
        raise ConfigError(f"config file {path} cannot be read: {exc.strerror}") from None
    table = data.get("hubguard", data)
    if not isinstance(table, dict):
        raise ConfigError(f"config file {path}: [hubguard] must be a table")
    return dict(table)
