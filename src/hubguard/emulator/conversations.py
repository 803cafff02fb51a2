"""Conversations v3 (reference §4): inboxes, channels, channel accounts, threads, messages, actors.

Served under ``/conversations/v3/conversations`` and the date-versioned
``/conversations/conversations/2026-09``. GETs and ``actors/batch/read`` need
``conversations.read``; writes need ``conversations.write``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import httpx

from hubguard.emulator.actors import ActorsAPI
from hubguard.emulator.routing import Call, Route
from hubguard.emulator.state import CHANNELS, Portal, Thread, World
from hubguard.emulator.threads import ThreadBook, message_json, thread_json
from hubguard.emulator.wire import (
    iso,
    json_response,
    not_found,
    parse_iso,
    validation_error,
)

__all__ = ["ConversationsAPI"]

PREFIXES = ("/conversations/v3/conversations", "/conversations/conversations/2026-09")
MAX_LIMIT = 500
DEFAULT_LIMIT = 20  # HubSpot's default page size is not documented: UNCONFIRMED
READ, WRITE = "conversations.read", "conversations.write"
_AGENT = re.compile(r"^A-(\d+)$")


def _page(
    call: Call,
    items: Sequence[Any],
    total: bool = False,
    render: Callable[[Any], Any] = lambda item: item,
) -> httpx.Response:
    """One page of ``items`` per ``limit``/``after``, each passed through ``render``;
    ``paging`` is absent on the last page."""
    raw_limit = call.q("limit")
    try:
        limit = DEFAULT_LIMIT if raw_limit is None else int(raw_limit)
    except ValueError:
        raise validation_error(
            "limit must be an integer", call.correlation_id, field="limit"
        ) from None
    if not 1 <= limit <= MAX_LIMIT:
        raise validation_error(
            f"limit must be between 1 and {MAX_LIMIT}", call.correlation_id, field="limit"
        )
    after = call.q("after")
    start = 0
    if after:
        if not after.isdigit():
            raise validation_error(
                "after is not a valid cursor", call.correlation_id, field="after"
            )
        start = int(after)
    chunk = items[start : start + limit]
    body: dict[str, Any] = {}
    if total:
        body["total"] = len(items)
    body["results"] = [render(item) for item in chunk]
    if start + limit < len(items):
        cursor = str(start + limit)
        link = str(call.request.url.copy_set_param("after", cursor))
        body["paging"] = {"next": {"after": cursor, "link": link}}
    return json_response(200, body)


class ConversationsAPI:
    """The HTTP handlers. ``portal_of(call)`` gives the caller's portal (auth already done)."""

    def __init__(self, world: World, book: ThreadBook, portal_of: Callable[[Call], Portal]) -> None:
        self._world = world
        self._book = book
        self._portal_of = portal_of
        self._actors = ActorsAPI(world, portal_of)

    def routes(self) -> list[Route]:
        table: list[tuple[str, str, Callable[[Call], httpx.Response], str]] = [
            ("GET", "/inboxes", self.list_inboxes, READ),
            ("GET", "/inboxes/{inboxId}", self.get_inbox, READ),
            ("GET", "/channels", self.list_channels, READ),
            ("GET", "/channels/{channelId}", self.get_channel, READ),
            ("GET", "/channel-accounts", self.list_accounts, READ),
            ("GET", "/channel-accounts/{accountId}", self.get_account, READ),
            ("GET", "/threads", self.list_threads, READ),
            ("GET", "/threads/{threadId}", self.get_thread, READ),
            ("PATCH", "/threads/{threadId}", self.patch_thread, WRITE),
            ("DELETE", "/threads/{threadId}", self.delete_thread, WRITE),
            ("GET", "/threads/{threadId}/messages", self.list_messages, READ),
            ("POST", "/threads/{threadId}/messages", self.post_message, WRITE),
            ("GET", "/threads/{threadId}/messages/{messageId}", self.get_message, READ),
            (
                "GET",
                "/threads/{threadId}/messages/{messageId}/original-content",
                self.original_content,
                READ,
            ),
            ("POST", "/actors/batch/read", self._actors.batch_read, READ),
            ("GET", "/actors/{actorId}", self._actors.get, READ),
        ]
        return [
            Route.make(method, prefix + path, handler, scope=scope)
            for prefix in PREFIXES
            for method, path, handler, scope in table
        ]

    # inboxes, channels, accounts ---------------------------------------------------------

    @staticmethod
    def _inbox_json(inbox: Any) -> dict[str, Any]:
        return {
            "id": inbox.id,
            "name": inbox.name,
            "type": inbox.type,
            "createdAt": iso(inbox.created_at),
            "updatedAt": iso(inbox.created_at),
            "archived": False,
        }

    def list_inboxes(self, call: Call) -> httpx.Response:
        portal = self._portal_of(call)
        return _page(call, [self._inbox_json(i) for i in portal.inboxes.values()], total=True)

    def get_inbox(self, call: Call) -> httpx.Response:
        inbox = self._portal_of(call).inboxes.get(call.params["inboxId"])
        if inbox is None:
            raise not_found(f"inbox {call.params['inboxId']} not found", call.correlation_id)
        return json_response(200, self._inbox_json(inbox))

    def list_channels(self, call: Call) -> httpx.Response:
        items = [{"id": cid, "name": name} for cid, name in CHANNELS.items()]
        return _page(call, items, total=True)

    def get_channel(self, call: Call) -> httpx.Response:
        cid = call.params["channelId"]
        if cid not in CHANNELS:
            raise not_found(f"channel {cid} not found", call.correlation_id)
        return json_response(200, {"id": cid, "name": CHANNELS[cid]})

    @staticmethod
    def _account_json(account: Any) -> dict[str, Any]:
        body = {
            "id": account.id,
            "channelId": account.channel_id,
            "inboxId": account.inbox_id,
            "name": account.name,
            "active": True,
            "authorized": True,
            "archived": False,
            "createdAt": iso(account.created_at),
        }
        if account.delivery_identifier:
            body["deliveryIdentifier"] = account.delivery_identifier
        return body

    def _accounts(self, portal: Portal) -> list[Any]:
        return [a for inbox in portal.inboxes.values() for a in inbox.accounts.values()]

    def list_accounts(self, call: Call) -> httpx.Response:
        channel_ids, inbox_ids = set(call.q_all("channelId")), set(call.q_all("inboxId"))
        accounts = [
            self._account_json(a)
            for a in self._accounts(self._portal_of(call))
            if (not channel_ids or a.channel_id in channel_ids)
            and (not inbox_ids or a.inbox_id in inbox_ids)
        ]
        return _page(call, accounts, total=True)

    def get_account(self, call: Call) -> httpx.Response:
        wanted = call.params["accountId"]
        for account in self._accounts(self._portal_of(call)):
            if account.id == wanted:
                return json_response(200, self._account_json(account))
        raise not_found(f"channel account {wanted} not found", call.correlation_id)

    # threads -----------------------------------------------------------------------------

    def _thread(self, call: Call, *, archived_ok: bool | None = None) -> Thread:
        thread = self._portal_of(call).threads.get(call.params["threadId"])
        show_archived = call.q_bool("archived") if archived_ok is None else archived_ok
        if thread is None or (thread.archived and not show_archived):
            raise not_found(f"thread {call.params['threadId']} not found", call.correlation_id)
        return thread

    def list_threads(self, call: Call) -> httpx.Response:
        cid = call.correlation_id
        threads = list(self._portal_of(call).threads.values())
        archived = call.q_bool("archived")
        threads = [t for t in threads if t.archived == archived]
        status = call.q("threadStatus")
        if status is not None:
            if status not in ("OPEN", "CLOSED"):
                raise validation_error(
                    "threadStatus must be OPEN or CLOSED", cid, field="threadStatus"
                )
            threads = [t for t in threads if t.status == status]
        inbox_ids = call.q_all("inboxId")
        contact = call.q("associatedContactId")
        if contact is not None:
            if inbox_ids:
                raise validation_error(
                    "associatedContactId cannot be used with inboxId", cid, field="inboxId"
                )
            if status is None:
                raise validation_error(
                    "associatedContactId requires threadStatus", cid, field="threadStatus"
                )
            threads = [t for t in threads if t.contact_id == contact]
        if len(inbox_ids) > 1:
            raise validation_error("inboxId can be given only once", cid, field="inboxId")
        if inbox_ids:
            threads = [t for t in threads if t.inbox_id == inbox_ids[0]]
        after_raw = call.q("latestMessageTimestampAfter")
        if after_raw is not None:
            after_ts = parse_iso(after_raw)
            if after_ts is None:
                raise validation_error(
                    "latestMessageTimestampAfter must be an ISO-8601 date-time",
                    cid,
                    field="latestMessageTimestampAfter",
                )
            threads = [t for t in threads if (t.latest_message or t.created_at) > after_ts]
        sort = call.q("sort") or "id"
        descending = sort.startswith("-")
        key_name = sort.lstrip("-")
        if key_name not in ("id", "latestMessageTimestamp"):
            raise validation_error("sort must be id or latestMessageTimestamp", cid, field="sort")
        if descending and contact is None:
            raise validation_error("a descending sort needs associatedContactId", cid, field="sort")
        if key_name == "latestMessageTimestamp":
            if after_raw is None:
                raise validation_error(
                    "sort=latestMessageTimestamp requires latestMessageTimestampAfter",
                    cid,
                    field="sort",
                )
            threads.sort(
                key=lambda t: (t.latest_message or t.created_at, int(t.id)), reverse=descending
            )
        else:
            threads.sort(key=lambda t: int(t.id), reverse=descending)
        return _page(call, threads, render=thread_json)

    def get_thread(self, call: Call) -> httpx.Response:
        return json_response(200, thread_json(self._thread(call)))

    def _source(self, call: Call) -> str:
        principal = call.principal
        assert principal is not None
        return f"app:{principal.app_id}" if principal.app_id is not None else "serviceKey"

    def patch_thread(self, call: Call) -> httpx.Response:
        cid = call.correlation_id
        thread = self._thread(call)
        body = call.json_object()
        unknown = set(body) - {"status", "archived"}
        if unknown:
            raise validation_error(f"unknown properties: {', '.join(sorted(unknown))}", cid)
        if "archived" in body:
            if body["archived"] is not False:
                raise validation_error("archived can only be set to false", cid, field="archived")
            self._book.restore(thread, self._source(call))
        if "status" in body:
            status = body["status"]
            if status not in ("OPEN", "CLOSED"):
                raise validation_error("status must be OPEN or CLOSED", cid, field="status")
            if thread.archived:
                raise validation_error(
                    "A thread's status property can not be updated if the thread is archived.",
                    cid,
                    field="status",
                )
            self._book.set_status(thread, status, call.now, self._source(call))
        return json_response(200, thread_json(thread))

    def delete_thread(self, call: Call) -> httpx.Response:
        thread = self._thread(call, archived_ok=True)
        self._book.archive(thread, self._source(call))
        return httpx.Response(204)

    # messages ----------------------------------------------------------------------------

    def list_messages(self, call: Call) -> httpx.Response:
        thread = self._thread(call)
        sort = call.q("sort") or "-createdAt"
        if sort not in ("createdAt", "-createdAt"):
            raise validation_error("sort must be createdAt or -createdAt", call.correlation_id)
        # ties on createdAt keep insertion order, reversed for the newest-first default
        order = sorted(enumerate(thread.messages), key=lambda im: (im[1].created_at, im[0]))
        if sort.startswith("-"):
            order.reverse()
        messages = [m for _, m in order]
        return _page(call, messages, render=message_json)

    def _message(self, call: Call) -> Any:
        thread = self._thread(call, archived_ok=True)
        for message in thread.messages:
            if message.id == call.params["messageId"]:
                return message
        raise not_found(f"message {call.params['messageId']} not found", call.correlation_id)

    def get_message(self, call: Call) -> httpx.Response:
        return json_response(200, message_json(self._message(call)))

    def original_content(self, call: Call) -> httpx.Response:
        message = self._message(call)
        body = message.body
        return json_response(
            200, {"text": body.get("text", ""), "richText": body.get("richText", "")}
        )

    def post_message(self, call: Call) -> httpx.Response:
        cid = call.correlation_id
        portal = self._portal_of(call)
        thread = self._thread(call, archived_ok=False)
        egg = call.json_object()
        kind = egg.get("type")
        text = egg.get("text")
        if kind not in ("MESSAGE", "COMMENT"):
            raise validation_error("type must be MESSAGE or COMMENT", cid, field="type")
        if not isinstance(text, str) or not text:
            raise validation_error("text is required", cid, field="text")
        attachments = egg.get("attachments")
        if not isinstance(attachments, list):  # required for MESSAGE and COMMENT (§4.2, Send)
            raise validation_error(
                "attachments is required and must be a list", cid, field="attachments"
            )
        principal = call.principal
        assert principal is not None
        client: dict[str, Any] = {"clientType": "INTEGRATION"}
        if principal.app_id is not None:
            client["integrationAppId"] = principal.app_id
        rich = egg.get("richText")
        body: dict[str, Any] = {
            "client": client,
            "text": text,
            "richText": rich if isinstance(rich, str) else text,
            "attachments": attachments,
        }
        if kind == "COMMENT":
            created_by = principal.actor_id
            body.update(senders=[{"actorId": created_by}], recipients=[])
        else:
            created_by = self._check_message_egg(call, portal, egg)
            body.update(
                senders=[{"actorId": created_by}],
                recipients=[_recipient_json(r) for r in egg["recipients"]],
                truncationStatus="NOT_TRUNCATED",
                status={"statusType": "SENT"},
                direction="OUTGOING",
                channelId=str(egg["channelId"]),
                channelAccountId=str(egg["channelAccountId"]),
            )
            if isinstance(egg.get("subject"), str):
                body["subject"] = egg["subject"]
        message = self._book.add_message(thread, kind, created_by, body, call.now)
        if kind == "MESSAGE":
            thread.latest_sent = call.now
        self._book.posted(thread, message)
        return json_response(201, message_json(message))

    def _check_message_egg(self, call: Call, portal: Portal, egg: dict[str, Any]) -> str:
        cid = call.correlation_id
        sender = egg.get("senderActorId")
        match = _AGENT.match(sender) if isinstance(sender, str) else None
        if match is None or int(match.group(1)) not in portal.users:
            raise validation_error(
                "senderActorId must be the A- actor id of a user in this account",
                cid,
                field="senderActorId",
            )
        channel_id, account_id = str(egg.get("channelId", "")), str(egg.get("channelAccountId", ""))
        if not any(
            a.id == account_id and a.channel_id == channel_id for a in self._accounts(portal)
        ):
            raise validation_error(
                "channelId and channelAccountId must name a channel account of this account",
                cid,
                field="channelAccountId",
            )
        recipients = egg.get("recipients")
        if not isinstance(recipients, list) or not all(
            isinstance(r, dict)
            and isinstance(r.get("deliveryIdentifiers"), list)
            and r["deliveryIdentifiers"]
            and all(isinstance(d, dict) for d in r["deliveryIdentifiers"])
            for r in recipients
        ):
            raise validation_error(
                "recipients must be a list of objects with a non-empty deliveryIdentifiers list",
                cid,
                field="recipients",
            )
        return str(sender)


def _recipient_json(recipient: dict[str, Any]) -> dict[str, Any]:
    """A sent recipient as HubSpot echoes it: a ``PublicRecipient`` with one required
    ``deliveryIdentifier`` (the first of the egg's ``deliveryIdentifiers``), reference §4.2."""
    fields = ("actorId", "name", "recipientField")
    out: dict[str, Any] = {k: recipient[k] for k in fields if k in recipient}
    out["deliveryIdentifier"] = recipient["deliveryIdentifiers"][0]
    return out
