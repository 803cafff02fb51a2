"""The production :class:`InboxGateway`: HubSpot's Conversations API through the hubguard client.

Built on :class:`hubguard.hubspot.conversations.Conversations` (rate budget, token refresh,
retries and error mapping all happen below). Two reads that module lacks are done here on the
same :class:`PortalClient`: the channel-account list (to find a message's inbox without fetching
its thread) and the sender's CRM contact, looked up by visitor id or e-mail address so the thread
is never fetched for it (only when the portal granted the optional
``crm.objects.contacts.read`` scope).

Known customers are never acted on, only tagged. A contact is one when its lifecycle stage is in
:data:`CUSTOMER_STAGES` or it has at least one deal: a contact with a deal is someone the
business deals with even when nobody moved its lifecycle stage on, while a bot's form fill
creates a contact but never a deal. Both come in the same single read (``num_associated_deals`` is
HubSpot's calculated contact property). Tickets are deliberately not a sign: in help-desk
inboxes HubSpot opens a ticket for every new conversation, spam included, so "has a ticket"
would spare the spammers.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from urllib.parse import quote

from hubguard.errors import MissingScopesError, NotFoundError
from hubguard.hubspot.client import HubSpotClient
from hubguard.hubspot.conversations import BASE, Conversations
from hubguard.hubspot.models import Message, Thread
from hubguard.inbox.gateway import (
    ChannelAccountView,
    GatewayFactory,
    MessageView,
    ThreadView,
)

__all__ = [
    "CONTACTS_SCOPE",
    "CUSTOMER_STAGES",
    "HubSpotInboxGateway",
    "gateway_factory",
    "is_customer_record",
]

CONTACTS_SCOPE = "crm.objects.contacts.read"
# Lifecycle stages of people a business already deals with: never auto-act on their mail.
CUSTOMER_STAGES = frozenset({"customer", "evangelist", "opportunity", "salesqualifiedlead"})
# What the one contact read asks for (comma-separated, as HubSpot's docs write it).
_CUSTOMER_PROPERTIES = "lifecyclestage,num_associated_deals"


def _deal_count(value: object) -> float:
    """``num_associated_deals`` as a number: HubSpot sends a numeric string, or null for a contact
    never associated with a deal. Anything unreadable counts as no deal."""
    if not isinstance(value, str):
        return 0.0
    try:
        count = float(value.strip())
    except ValueError:
        return 0.0
    return count if math.isfinite(count) else 0.0


def is_customer_record(properties: Mapping[str, object]) -> bool:
    """Does a CRM contact's ``properties`` make it a known customer?

    Yes for a customer lifecycle stage, or for at least one associated deal (someone the business
    deals with, whatever their stage). Tickets are no sign: help-desk inboxes open one for every
    new conversation, spam included.
    """
    stage = properties.get("lifecyclestage")
    if isinstance(stage, str) and stage.strip().lower() in CUSTOMER_STAGES:
        return True
    return _deal_count(properties.get("num_associated_deals")) >= 1


def _epoch(moment: datetime | None) -> float | None:
    return moment.timestamp() if moment is not None else None


def message_view(message: Message) -> MessageView:
    """The pipeline's view of a parsed HubSpot message."""
    sender = message.senders[0] if message.senders else None
    email = None
    if sender is not None and sender.address and "@" in sender.address:
        email = sender.address.lower()
    elif sender is not None and sender.actor_id and sender.actor_id.startswith("E-"):
        email = sender.actor_id[2:].lower()
    return MessageView(
        id=message.id,
        thread_id=message.thread_id,
        type=message.type,
        direction=message.direction,
        text=message.text or "",
        rich_text=message.rich_text,
        subject=message.subject,
        sender_email=email,
        sender_name=sender.name if sender is not None else None,
        sender_actor=sender.actor_id if sender is not None else None,
        channel_id=message.channel_id,
        channel_account_id=message.channel_account_id,
        created_at=_epoch(message.created_at),
    )


def thread_view(thread: Thread) -> ThreadView:
    return ThreadView(
        id=thread.id,
        inbox_id=thread.inbox_id,
        status=thread.status,
        archived=thread.archived,
        associated_contact_id=thread.associated_contact_id,
        latest_message_at=_epoch(thread.latest_message_at),
    )


class HubSpotInboxGateway:
    """One portal's conversations, as the pipeline needs them."""

    def __init__(self, conversations: Conversations, *, scopes: Sequence[str] = ()) -> None:
        self._c = conversations
        self.checks_contacts = CONTACTS_SCOPE in scopes

    def get_message(self, thread_id: str, message_id: str) -> MessageView:
        return message_view(self._c.get_message(thread_id, message_id))

    def get_thread(self, thread_id: str, *, archived: bool = False) -> ThreadView:
        return thread_view(self._c.get_thread(thread_id, archived=archived))

    def list_channel_accounts(self) -> list[ChannelAccountView]:
        accounts = []
        for item in self._c.portal.paginate(f"{BASE}/channel-accounts", {"limit": 100}):
            if item.get("id") is None:
                continue
            inbox = item.get("inboxId")
            accounts.append(
                ChannelAccountView(
                    id=str(item["id"]),
                    channel_id=str(item.get("channelId", "")),
                    inbox_id=str(inbox) if inbox is not None else None,
                )
            )
        return accounts

    def list_inbox_ids(self) -> list[str]:
        return [inbox.id for inbox in self._c.list_inboxes()]

    def threads_since(self, inbox_id: str, after_ms: int) -> Iterator[ThreadView]:
        after = datetime.fromtimestamp(after_ms / 1000, tz=UTC)
        for thread in self._c.list_threads(inbox_id=inbox_id, latest_after=after, limit=500):
            yield thread_view(thread)

    def messages(self, thread_id: str) -> Iterator[MessageView]:
        for message in self._c.list_messages(thread_id, newest_first=True):
            yield message_view(message)

    def post_comment(self, thread_id: str, text: str, rich_text: str | None = None) -> str:
        return self._c.post_comment(thread_id, text, rich_text).id

    def close_thread(self, thread_id: str) -> None:
        self._c.close_thread(thread_id)

    def reopen_thread(self, thread_id: str) -> None:
        self._c.reopen_thread(thread_id)

    def archive_thread(self, thread_id: str) -> None:
        self._c.archive_thread(thread_id)

    def restore_thread(self, thread_id: str) -> None:
        self._c.restore_thread(thread_id)

    def is_known_customer(self, *, email: str | None, actor_id: str | None) -> bool | None:
        if not self.checks_contacts:
            return None
        if actor_id and actor_id.startswith("V-") and actor_id[2:].isdigit():
            path, params = f"/crm/v3/objects/contacts/{actor_id[2:]}", {}
        elif email:
            path = f"/crm/v3/objects/contacts/{quote(email, safe='')}"
            params = {"idProperty": "email"}
        else:
            return None
        try:
            # One read for both signs: the stage and the deal count are properties of the contact.
            body = self._c.portal.request(
                "GET", path, params={**params, "properties": _CUSTOMER_PROPERTIES}
            )
        except NotFoundError:
            return False
        except MissingScopesError:
            return None
        props = body.get("properties")
        return isinstance(props, dict) and is_customer_record(props)


def gateway_factory(client: HubSpotClient) -> GatewayFactory:
    """``portal_id -> HubSpotInboxGateway`` over one shared :class:`HubSpotClient`."""

    def make(portal_id: int) -> HubSpotInboxGateway:
        installation = client.vault.get(portal_id)
        scopes = installation.scopes_granted if installation is not None else ()
        return HubSpotInboxGateway(Conversations(client.for_portal(portal_id)), scopes=scopes)

    return make
