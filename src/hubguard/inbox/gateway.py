"""What the pipeline needs from HubSpot, as a Protocol, and the views it works with.

The processor, poller and feedback code talk to a :class:`InboxGateway` for one portal. The
production implementation (``hubguard.inbox.hubspot_gateway``) sits on the conversations helpers
of :mod:`hubguard.hubspot.conversations`; tests may pass anything that keeps this contract. The
views hold only the fields the pipeline uses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

__all__ = [
    "ChannelAccountView",
    "GatewayFactory",
    "InboxGateway",
    "MessageView",
    "ThreadView",
]


@dataclass(frozen=True)
class MessageView:
    """One conversations message (any type; the processor acts only on incoming MESSAGEs)."""

    id: str
    thread_id: str
    type: str  # MESSAGE, COMMENT, WELCOME_MESSAGE, ...
    direction: str | None  # INCOMING / OUTGOING for MESSAGE
    text: str
    rich_text: str | None
    subject: str | None
    sender_email: str | None
    sender_name: str | None
    sender_actor: str | None
    channel_id: str | None
    channel_account_id: str | None
    created_at: float | None  # epoch seconds


@dataclass(frozen=True)
class ThreadView:
    id: str
    inbox_id: str | None
    status: str  # OPEN / CLOSED
    archived: bool
    associated_contact_id: str | None
    latest_message_at: float | None = None  # epoch seconds


@dataclass(frozen=True)
class ChannelAccountView:
    id: str
    channel_id: str
    inbox_id: str | None


class InboxGateway(Protocol):
    """The conversations operations of one portal. Errors are hubguard.errors HubSpotErrors."""

    # True when the portal lets hubguard read CRM contacts (then known customers are spared).
    checks_contacts: bool

    def get_message(self, thread_id: str, message_id: str) -> MessageView: ...

    def get_thread(self, thread_id: str, *, archived: bool = False) -> ThreadView: ...

    def list_channel_accounts(self) -> list[ChannelAccountView]: ...

    def list_inbox_ids(self) -> list[str]: ...

    def threads_since(self, inbox_id: str, after_ms: int) -> Iterator[ThreadView]:
        """Threads whose latest message is after ``after_ms``, by latestMessageTimestamp."""
        ...

    def messages(self, thread_id: str) -> Iterator[MessageView]:
        """The thread's messages, newest first."""
        ...

    def post_comment(self, thread_id: str, text: str, rich_text: str | None = None) -> str:
        """Post an internal comment; returns its message id."""
        ...

    def close_thread(self, thread_id: str) -> None: ...

    def reopen_thread(self, thread_id: str) -> None: ...

    def archive_thread(self, thread_id: str) -> None: ...

    def restore_thread(self, thread_id: str) -> None: ...

    def is_known_customer(self, *, email: str | None, actor_id: str | None) -> bool | None:
        """Is the sender a CRM contact the business deals with (a customer lifecycle stage, or
        an associated deal)? None: cannot tell (no scope).

        Looked up by the visitor actor's contact id (``V-<id>``) or by e-mail address, so the
        thread never has to be fetched for it.
        """
        ...


GatewayFactory = Callable[[int], InboxGateway]
