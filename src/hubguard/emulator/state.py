"""The emulator's world: apps, portals, grants, tokens, inboxes, threads and messages.

Plain mutable records owned by one :class:`World`; only the emulator mutates them, under its
lock. Values handed out to callers are the frozen ``*Info`` dataclasses in ``hubguard.emulator.info``.
Every identifier comes from the seeded RNG or a counter, so a run is reproducible from its seed.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field

__all__ = [
    "AccessToken",
    "App",
    "AuthCode",
    "ChannelAccount",
    "Contact",
    "Grant",
    "Inbox",
    "Message",
    "Portal",
    "ServiceKey",
    "Subscription",
    "Thread",
    "User",
    "World",
]

# What a portal can grant when the test does not say otherwise.
DEFAULT_PORTAL_SCOPES = (
    "oauth",
    "conversations.read",
    "conversations.write",
    "crm.objects.contacts.read",
    "crm.objects.contacts.write",
    "tickets",
    "openid",
)

# Channel ids (reference §4.1: 1000 chat, 1002 email). FORM is the emulator's choice: UNCONFIRMED.
CHANNEL_CHAT = "1000"
CHANNEL_EMAIL = "1002"
CHANNEL_FORM = "1004"
CHANNELS = {CHANNEL_CHAT: "Chat", CHANNEL_EMAIL: "Email", CHANNEL_FORM: "Forms"}
CHANNEL_BY_KIND = {"chat": CHANNEL_CHAT, "email": CHANNEL_EMAIL, "form": CHANNEL_FORM}


@dataclass(slots=True)
class Subscription:
    id: int
    event_type: str
    property_name: str | None = None
    active: bool = True
    created_at: float = 0.0


@dataclass(slots=True)
class App:
    app_id: int
    client_id: str
    client_secret: str = field(repr=False)
    developer_api_key: str = field(repr=False)
    redirect_uris: tuple[str, ...]
    scopes: tuple[str, ...]
    optional_scopes: tuple[str, ...]
    name: str
    webhook_url: str | None = None
    max_concurrent_requests: int = 10
    subscriptions: list[Subscription] = field(default_factory=list)
    # When the webhook settings were first made and last changed (the settings API shows both).
    webhook_settings_created_at: float | None = None
    webhook_settings_updated_at: float | None = None


@dataclass(slots=True)
class User:
    id: int
    email: str
    first_name: str
    last_name: str

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(slots=True)
class ChannelAccount:
    id: str
    channel_id: str
    inbox_id: str
    name: str
    created_at: float
    delivery_identifier: dict[str, str] | None = None


@dataclass(slots=True)
class Inbox:
    id: str
    name: str
    created_at: float
    email_address: str
    accounts: dict[str, ChannelAccount] = field(default_factory=dict)  # by channel id
    type: str = "INBOX"


@dataclass(slots=True)
class Message:
    id: str
    thread_id: str
    type: str
    created_at: float
    created_by: str
    body: dict[str, object]  # the type-specific fields, already in wire shape
    archived: bool = False


@dataclass(slots=True)
class Thread:
    id: str
    portal_id: int
    inbox_id: str
    channel_id: str
    channel_account_id: str
    contact_id: str
    sender_key: str  # who started it: "email:<address>" / "chat:<address>" ...
    created_at: float
    status: str = "OPEN"
    closed_at: float | None = None
    archived: bool = False
    spam: bool = False
    assigned_to: str | None = None
    latest_message: float | None = None
    latest_sent: float | None = None
    latest_received: float | None = None
    messages: list[Message] = field(default_factory=list)


@dataclass(slots=True)
class Contact:
    """A CRM contact: made when a visitor first writes in, or through the control API.

    ``properties`` holds only the values that are set, by HubSpot's internal property names and
    as strings (HubSpot sends numbers as strings too); ``email`` is always among them.
    """

    id: str
    created_at: float
    updated_at: float
    properties: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """How conversations show the visitor: the contact's name, else the address's local part."""
        full = " ".join(
            v for v in (self.properties.get("firstname"), self.properties.get("lastname")) if v
        )
        return full or self.properties.get("email", "").split("@")[0]


@dataclass(slots=True)
class Portal:
    portal_id: int
    tier: str
    api_limit_increase: bool
    hub_domain: str
    scopes: frozenset[str]
    users: dict[int, User] = field(default_factory=dict)
    inboxes: dict[str, Inbox] = field(default_factory=dict)
    threads: dict[str, Thread] = field(default_factory=dict)
    contacts: dict[str, Contact] = field(default_factory=dict)  # by lower-cased email


@dataclass(slots=True)
class Grant:
    """One consent of one user of one portal to one app; owns a refresh token."""

    id: int
    app_id: int
    portal_id: int
    user_id: int
    scopes: tuple[str, ...]
    refresh_token: str | None = field(repr=False)
    created_at: float
    revoked: bool = False


@dataclass(slots=True)
class AccessToken:
    grant_id: int
    expires_at: float
    revoked: bool = False


@dataclass(slots=True)
class AuthCode:
    code: str = field(repr=False)
    app_id: int
    portal_id: int
    user_id: int
    redirect_uri: str
    scopes: tuple[str, ...]
    code_challenge: str | None
    expires_at: float
    used: bool = False


@dataclass(slots=True)
class ServiceKey:
    key: str = field(repr=False)
    key_id: int
    portal_id: int
    scopes: tuple[str, ...]
    created_at: float
    revoked: bool = False


class World:
    """All emulator state plus the seeded id generators."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.apps: dict[int, App] = {}
        self.portals: dict[int, Portal] = {}
        self.grants: dict[int, Grant] = {}
        self.access_tokens: dict[str, AccessToken] = {}
        self.refresh_tokens: dict[str, int] = {}  # token -> grant id
        self.codes: dict[str, AuthCode] = {}
        self.service_keys: dict[str, ServiceKey] = {}
        self._counters: dict[str, int] = {}

    def next_id(self, kind: str, start: int) -> int:
        """The next integer id of a kind: start, start+1, ..."""
        value = self._counters.get(kind, start)
        self._counters[kind] = value + 1
        return value

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def hex(self, nbytes: int) -> str:
        return self.rng.randbytes(nbytes).hex()

    def correlation_id(self) -> str:
        return self.uuid()

    def app_by_client_id(self, client_id: str) -> App | None:
        return next((a for a in self.apps.values() if a.client_id == client_id), None)
