"""Frozen values the emulator's Python API returns (the control endpoints return the same as JSON)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = [
    "AppInfo",
    "CallRecord",
    "DeliveryRecord",
    "InboundResult",
    "InboxInfo",
    "PortalInfo",
    "UserInfo",
]


@dataclass(frozen=True)
class AppInfo:
    """A registered public app. Secrets are left out of ``repr``."""

    app_id: int
    client_id: str
    client_secret: str = field(repr=False)
    developer_api_key: str = field(repr=False)
    redirect_uris: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    optional_scopes: tuple[str, ...] = ()
    webhook_url: str | None = None
    subscriptions: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class UserInfo:
    id: int
    email: str


@dataclass(frozen=True)
class InboxInfo:
    """An inbox and its channel accounts (one each for email, chat and form)."""

    id: str
    name: str
    email_address: str
    email_account_id: str
    chat_account_id: str
    form_account_id: str


@dataclass(frozen=True)
class PortalInfo:
    portal_id: int
    tier: str
    hub_domain: str
    inboxes: tuple[InboxInfo, ...]
    users: tuple[UserInfo, ...]
    scopes: tuple[str, ...]

    @property
    def inbox_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.inboxes)

    @property
    def user_ids(self) -> tuple[int, ...]:
        return tuple(u.id for u in self.users)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["inbox_ids"] = list(self.inbox_ids)
        data["user_ids"] = list(self.user_ids)
        return data


@dataclass(frozen=True)
class InboundResult:
    """What an inbound message did: which thread and message, and whether the thread is new."""

    thread_id: str
    message_id: str
    actor_id: str
    contact_id: str
    new_thread: bool

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CallRecord:
    """One request as the emulator saw it. Never contains a token, code or secret."""

    time: float
    method: str
    path: str
    query: dict[str, str]
    status: int
    auth: str  # "oauth" | "service_key" | "developer_key" | "client_credentials" | "none"
    portal_id: int | None
    app_id: int | None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class DeliveryRecord:
    """One webhook POST attempt (or a dropped/timed-out one)."""

    time: float
    app_id: int
    portal_id: int
    url: str
    event_ids: tuple[int, ...]
    attempt_numbers: tuple[int, ...]
    outcome: str  # "delivered" | "http_<status>" | "timeout" | "connection_error" | "dropped"
    status: int | None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
