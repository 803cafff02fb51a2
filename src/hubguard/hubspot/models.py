"""Typed Conversations values parsed from HubSpot's JSON (hubspot-api.md §4.2).

Only the fields hubguard uses are kept; unknown fields are dropped, so a HubSpot addition never
changes what flows through the code. IDs stay strings (HubSpot sends strings); timestamps become
timezone-aware ``datetime`` in UTC.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from hubguard.errors import MalformedResponseError

__all__ = [
    "Actor",
    "Inbox",
    "Message",
    "OriginalContent",
    "Participant",
    "Thread",
    "parse_time",
]


def parse_time(value: object) -> datetime | None:
    """HubSpot's ISO-8601 (``2019-11-18T18:47:59.865Z``) or epoch ms, as an aware UTC datetime."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value / 1000, tz=UTC)
    if isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def _s(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None or isinstance(value, dict | list):
        return None
    return str(value)


def _req(data: Mapping[str, Any], key: str) -> str:
    value = _s(data, key)
    if value is None:
        raise MalformedResponseError(f"HubSpot object lacks {key!r}")
    return value


@dataclass(frozen=True)
class Inbox:
    id: str
    name: str
    type: str | None = None
    archived: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Inbox:
        return cls(
            id=_req(data, "id"),
            name=_s(data, "name") or "",
            type=_s(data, "type"),
            archived=bool(data.get("archived", False)),
            created_at=parse_time(data.get("createdAt")),
            updated_at=parse_time(data.get("updatedAt")),
        )


@dataclass(frozen=True)
class Thread:
    """A conversation thread. ``spam`` is HubSpot's read-only flag; ``status`` OPEN or CLOSED."""

    id: str
    status: str
    inbox_id: str | None
    archived: bool
    spam: bool
    created_at: datetime | None = None
    closed_at: datetime | None = None
    latest_message_at: datetime | None = None
    latest_message_received_at: datetime | None = None
    latest_message_sent_at: datetime | None = None
    original_channel_id: str | None = None
    original_channel_account_id: str | None = None
    associated_contact_id: str | None = None
    assigned_to: str | None = None
    associated_ticket_id: str | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Thread:
        assoc = data.get("threadAssociations")
        ticket = _s(assoc, "associatedTicketId") if isinstance(assoc, dict) else None
        return cls(
            id=_req(data, "id"),
            status=_s(data, "status") or "OPEN",
            inbox_id=_s(data, "inboxId"),
            archived=bool(data.get("archived", False)),
            spam=bool(data.get("spam", False)),
            created_at=parse_time(data.get("createdAt")),
            closed_at=parse_time(data.get("closedAt")),
            latest_message_at=parse_time(data.get("latestMessageTimestamp")),
            latest_message_received_at=parse_time(data.get("latestMessageReceivedTimestamp")),
            latest_message_sent_at=parse_time(data.get("latestMessageSentTimestamp")),
            original_channel_id=_s(data, "originalChannelId"),
            original_channel_account_id=_s(data, "originalChannelAccountId"),
            associated_contact_id=_s(data, "associatedContactId"),
            assigned_to=_s(data, "assignedTo"),
            associated_ticket_id=ticket,
        )


@dataclass(frozen=True)
class Participant:
    """A sender or recipient: actor id, display name and delivery address (email, phone, ...)."""

    actor_id: str | None = None
    name: str | None = None
    address: str | None = None
    address_type: str | None = None
    field: str | None = None  # senderField / recipientField (TO, CC, BCC)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Participant:
        delivery = data.get("deliveryIdentifier")
        return cls(
            actor_id=_s(data, "actorId"),
            name=_s(data, "name"),
            address=_s(delivery, "value") if isinstance(delivery, dict) else None,
            address_type=_s(delivery, "type") if isinstance(delivery, dict) else None,
            field=_s(data, "senderField") or _s(data, "recipientField"),
        )


def _participants(value: object) -> tuple[Participant, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(Participant.from_json(v) for v in value if isinstance(v, dict))


@dataclass(frozen=True)
class Message:
    """Any message on a thread; ``type`` is MESSAGE, COMMENT, WELCOME_MESSAGE, ASSIGNMENT, ..."""

    id: str
    thread_id: str
    type: str
    created_at: datetime | None = None
    created_by: str | None = None
    text: str | None = None
    rich_text: str | None = None
    subject: str | None = None
    direction: str | None = None  # INCOMING / OUTGOING (MESSAGE only)
    channel_id: str | None = None
    channel_account_id: str | None = None
    senders: tuple[Participant, ...] = ()
    recipients: tuple[Participant, ...] = ()
    truncation_status: str | None = None
    client_type: str | None = None
    archived: bool = False
    attachment_count: int = 0
    new_status: str | None = None  # THREAD_STATUS_CHANGE only

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Message:
        client = data.get("client")
        attachments = data.get("attachments")
        return cls(
            id=_req(data, "id"),
            thread_id=_s(data, "conversationsThreadId") or "",
            type=_req(data, "type"),  # never guessed: a reply taken for a MESSAGE gets scored
            created_at=parse_time(data.get("createdAt")),
            created_by=_s(data, "createdBy"),
            text=_s(data, "text"),
            rich_text=_s(data, "richText"),
            subject=_s(data, "subject"),
            direction=_s(data, "direction"),
            channel_id=_s(data, "channelId"),
            channel_account_id=_s(data, "channelAccountId"),
            senders=_participants(data.get("senders")),
            recipients=_participants(data.get("recipients")),
            truncation_status=_s(data, "truncationStatus"),
            client_type=_s(client, "clientType") if isinstance(client, dict) else None,
            archived=bool(data.get("archived", False)),
            attachment_count=len(attachments) if isinstance(attachments, list) else 0,
            new_status=_s(data, "newStatus"),
        )


@dataclass(frozen=True)
class OriginalContent:
    """The untruncated body of a message."""

    text: str
    rich_text: str | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> OriginalContent:
        return cls(text=_s(data, "text") or "", rich_text=_s(data, "richText"))


@dataclass(frozen=True)
class Actor:
    """Who an actor id (``A-123``, ``V-1401``, ``E-x@y``, ``S-hubspot``...) is."""

    id: str
    type: str | None = None
    name: str | None = None
    email: str | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Actor:
        return cls(
            id=_req(data, "id"),
            type=_s(data, "type"),
            name=_s(data, "name"),
            email=_s(data, "email"),
        )
