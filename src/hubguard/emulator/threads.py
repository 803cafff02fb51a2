"""The inbox domain: threads and messages, their wire shapes, and what changes them.

Inbound messages (an email, chat or form submission arriving from outside) and agent actions in
HubSpot's own UI are driven from here; both fire the webhook events HubSpot fires, through the
``emit`` callback the emulator passes in.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from hubguard.emulator.crm import ensure_contact
from hubguard.emulator.info import InboundResult
from hubguard.emulator.state import (
    CHANNEL_BY_KIND,
    CHANNEL_CHAT,
    CHANNEL_EMAIL,
    Message,
    Portal,
    Thread,
    World,
)
from hubguard.emulator.wire import iso

__all__ = ["Emit", "ThreadBook", "message_json", "thread_json"]

# emit(portal_id, subscription_type, thread_id, extra event fields)
Emit = Callable[[int, str, str, dict[str, Any]], None]


def thread_json(thread: Thread) -> dict[str, Any]:
    """``PublicThread`` (reference §4.2): string ids, ISO timestamps, ``spam`` always present."""
    body: dict[str, Any] = {
        "id": thread.id,
        "createdAt": iso(thread.created_at),
        "status": thread.status,
        "originalChannelId": thread.channel_id,
        "originalChannelAccountId": thread.channel_account_id,
        "inboxId": thread.inbox_id,
        "associatedContactId": thread.contact_id,
        "archived": thread.archived,
        "spam": thread.spam,
    }
    optional = {
        "closedAt": thread.closed_at,
        "latestMessageTimestamp": thread.latest_message,
        "latestMessageSentTimestamp": thread.latest_sent,
        "latestMessageReceivedTimestamp": thread.latest_received,
    }
    body.update({k: iso(v) for k, v in optional.items() if v is not None})
    if thread.assigned_to:
        body["assignedTo"] = thread.assigned_to
    return body


def message_json(message: Message) -> dict[str, Any]:
    """``PublicMessage``: the common fields plus the type's own (stored already in wire shape)."""
    return {
        "id": message.id,
        "conversationsThreadId": message.thread_id,
        "createdAt": iso(message.created_at),
        "updatedAt": iso(message.created_at),
        "createdBy": message.created_by,
        "archived": message.archived,
        "type": message.type,
        **message.body,
    }


class ThreadBook:
    """Creates threads and messages and applies status/archive changes, firing events."""

    def __init__(self, world: World, emit: Emit) -> None:
        self._world = world
        self._emit = emit

    def inbound(
        self,
        portal: Portal,
        *,
        channel: str,
        sender_email: str,
        text: str,
        now: float,
        sender_name: str | None = None,
        subject: str | None = None,
        html_body: str | None = None,
        inbox_id: str | None = None,
    ) -> InboundResult:
        """A message from outside. Continues the sender's open thread in that inbox, if any."""
        inbox = portal.inboxes[inbox_id] if inbox_id else next(iter(portal.inboxes.values()))
        channel_id = CHANNEL_BY_KIND[channel]
        account = inbox.accounts[channel_id]
        contact = ensure_contact(self._world, portal, sender_email, sender_name, now)
        contact_id, name = contact.id, contact.name
        actor = f"E-{sender_email}" if channel_id == CHANNEL_EMAIL else f"V-{contact_id}"
        sender_key = sender_email.lower()
        thread = next(
            (
                t
                for t in portal.threads.values()
                if t.inbox_id == inbox.id
                and t.sender_key == sender_key
                and t.status == "OPEN"
                and not t.archived
            ),
            None,
        )
        new_thread = thread is None
        if thread is None:
            thread = Thread(
                id=str(self._world.next_id("thread", 7_000_000_001)),
                portal_id=portal.portal_id,
                inbox_id=inbox.id,
                channel_id=channel_id,
                channel_account_id=account.id,
                contact_id=contact_id,
                sender_key=sender_key,
                created_at=now,
            )
            portal.threads[thread.id] = thread
        message = self._receive(
            portal, thread, sender_email, name, actor, text, now, subject, html_body
        )
        if new_thread:
            self._emit(portal.portal_id, "conversation.creation", thread.id, {"changeFlag": "NEW"})
        self._emit_new_message(thread, message)
        return InboundResult(thread.id, message.id, actor, contact_id, new_thread)

    def reply(self, portal: Portal, thread: Thread, text: str, now: float) -> InboundResult:
        """The thread's sender writes again in that very thread (a reply to hubguard's or an
        agent's message). A CLOSED thread is reopened by it, with the same propertyChange an
        agent's reopen fires. UNCONFIRMED: HubSpot's help says a reply reopens a closed
        conversation; the reference does not say what the event carries."""
        contact = ensure_contact(self._world, portal, thread.sender_key, None, now)
        actor = (
            f"E-{thread.sender_key}" if thread.channel_id == CHANNEL_EMAIL else f"V-{contact.id}"
        )
        message = self._receive(
            portal, thread, thread.sender_key, contact.name, actor, text, now, None, None
        )
        self._emit_new_message(thread, message)
        if thread.status == "CLOSED":
            self.set_status(thread, "OPEN", now, source="system")
        return InboundResult(thread.id, message.id, actor, contact.id, False)

    def _receive(
        self,
        portal: Portal,
        thread: Thread,
        sender_email: str,
        name: str | None,
        actor: str,
        text: str,
        now: float,
        subject: str | None,
        html_body: str | None,
    ) -> Message:
        """An incoming message added to ``thread`` (no events: the caller fires them)."""
        inbox = portal.inboxes[thread.inbox_id]
        channel_id = thread.channel_id
        account = inbox.accounts[channel_id]
        if channel_id == CHANNEL_CHAT:
            identifier = {"type": "CHANNEL_SPECIFIC_OPAQUE_ID", "value": self._world.hex(16)}
            recipients: list[dict[str, Any]] = []
        else:
            identifier = {"type": "HS_EMAIL_ADDRESS", "value": sender_email}
            recipients = [
                {
                    "recipientField": "TO",
                    "deliveryIdentifier": {
                        "type": "HS_EMAIL_ADDRESS",
                        "value": inbox.email_address,
                    },
                }
            ]
        body: dict[str, Any] = {
            "client": {"clientType": "SYSTEM"},
            "senders": [{"actorId": actor, "name": name, "deliveryIdentifier": identifier}],
            "recipients": recipients,
            "text": text,
            "richText": html_body if html_body is not None else f"<div>{html.escape(text)}</div>",
            "attachments": [],
            "truncationStatus": "NOT_TRUNCATED",
            "status": {"statusType": "RECEIVED"},
            "direction": "INCOMING",
            "channelId": channel_id,
            "channelAccountId": account.id,
        }
        if subject is not None:
            body["subject"] = subject
        message = self.add_message(thread, "MESSAGE", actor, body, now)
        thread.latest_received = now
        return message

    def add_message(
        self, thread: Thread, kind: str, created_by: str, body: dict[str, Any], now: float
    ) -> Message:
        message = Message(
            id=self._world.hex(16),
            thread_id=thread.id,
            type=kind,
            created_at=now,
            created_by=created_by,
            body=body,
        )
        thread.messages.append(message)
        if kind in ("MESSAGE", "COMMENT", "WELCOME_MESSAGE"):
            thread.latest_message = now
        return message

    def _emit_new_message(self, thread: Thread, message: Message) -> None:
        extra = {"messageId": message.id, "messageType": message.type, "changeFlag": "NEW_MESSAGE"}
        self._emit(thread.portal_id, "conversation.newMessage", thread.id, extra)

    def posted(self, thread: Thread, message: Message) -> None:
        """A message posted through the API: HubSpot notifies subscribers of it too."""
        self._emit_new_message(thread, message)

    def set_status(self, thread: Thread, status: str, now: float, source: str) -> None:
        """OPEN/CLOSED, with a THREAD_STATUS_CHANGE message and a propertyChange event."""
        if thread.status == status:
            return
        thread.status = status
        thread.closed_at = now if status == "CLOSED" else None
        self.add_message(
            thread,
            "THREAD_STATUS_CHANGE",
            "S-hubspot",
            {
                "newStatus": status,
                "client": {"clientType": "SYSTEM"},
                "senders": [],
                "recipients": [],
            },
            now,
        )
        extra = {"propertyName": "status", "propertyValue": status, "sourceId": source}
        self._emit(thread.portal_id, "conversation.propertyChange", thread.id, extra)

    def archive(self, thread: Thread, source: str) -> None:
        if thread.archived:
            return
        thread.archived = True
        self._emit(thread.portal_id, "conversation.deletion", thread.id, {"sourceId": source})

    def privacy_delete(self, portal: Portal, thread: Thread) -> None:
        """GDPR deletion: the thread and its messages are gone for good (404 from now on)."""
        del portal.threads[thread.id]
        self._emit(thread.portal_id, "conversation.privacyDeletion", thread.id, {})

    def restore(self, thread: Thread, source: str) -> None:
        if not thread.archived:
            return
        thread.archived = False
        extra = {"propertyName": "isArchived", "propertyValue": "false", "sourceId": source}
        self._emit(thread.portal_id, "conversation.propertyChange", thread.id, extra)
