"""Typed helpers for HubSpot's Conversations v3 API on a :class:`PortalClient`.

Paths, parameters and bodies follow hubspot-api.md §4.1. Spam handling uses only what the API
allows: comment, close, archive (soft delete, restorable for 30 days) and restore; the thread's
``spam`` flag is read-only.

Comments and idempotency: HubSpot has no idempotency key for ``POST .../messages``. A comment is
therefore sent with the transport's "unsent only" retry rule, and after an ambiguous failure
(5xx, read timeout) :meth:`Conversations.post_comment` first looks for its own comment (same
text, created since the first attempt) before sending again, so a retry never doubles a note.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from hubguard.errors import HubSpotUnavailableError
from hubguard.hubspot.client import Params, PortalClient
from hubguard.hubspot.models import Actor, Inbox, Message, OriginalContent, Thread

__all__ = ["BASE", "Conversations"]

BASE = "/conversations/v3/conversations"
_PAGE = 100
_SKEW_SECONDS = 120.0


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


class Conversations:
    """Inboxes, threads, messages and actors of one portal."""

    def __init__(self, portal: PortalClient, *, ambiguous_retries: int = 2) -> None:
        self.portal = portal
        self._ambiguous_retries = ambiguous_retries

    # -- inboxes ---------------------------------------------------------------------------

    def list_inboxes(self, *, archived: bool = False) -> list[Inbox]:
        params: Params = {"limit": _PAGE, "archived": archived}
        return [Inbox.from_json(i) for i in self.portal.paginate(f"{BASE}/inboxes", params)]

    def get_inbox(self, inbox_id: str) -> Inbox:
        return Inbox.from_json(self.portal.request("GET", f"{BASE}/inboxes/{inbox_id}"))

    # -- threads ---------------------------------------------------------------------------

    def list_threads(
        self,
        inbox_id: str | None = None,
        status: str | None = None,
        archived: bool = False,
        latest_after: datetime | None = None,
        sort: str | None = None,
        limit: int = _PAGE,
    ) -> Iterator[Thread]:
        """Threads, oldest id first (or by ``latestMessageTimestamp`` when ``latest_after``).

        ``status`` is OPEN or CLOSED (sent as ``threadStatus``); ``latest_after`` is the
        poller's cursor and switches the default sort to ``latestMessageTimestamp``.
        """
        params: dict[str, Any] = {"limit": limit, "archived": archived}
        if inbox_id is not None:
            params["inboxId"] = inbox_id
        if status is not None:
            params["threadStatus"] = status
        if latest_after is not None:
            params["latestMessageTimestampAfter"] = _iso(latest_after)
            params["sort"] = sort or "latestMessageTimestamp"
        elif sort is not None:
            params["sort"] = sort
        for item in self.portal.paginate(f"{BASE}/threads", params):
            yield Thread.from_json(item)

    def get_thread(self, thread_id: str, *, archived: bool = False) -> Thread:
        params: Params = {"archived": True} if archived else {}
        return Thread.from_json(
            self.portal.request("GET", f"{BASE}/threads/{thread_id}", params=params)
        )

    def close_thread(self, thread_id: str) -> Thread:
        """Set status CLOSED (absolute, so safe to retry)."""
        return self._set_status(thread_id, "CLOSED")

    def reopen_thread(self, thread_id: str) -> Thread:
        return self._set_status(thread_id, "OPEN")

    def _set_status(self, thread_id: str, status: str) -> Thread:
        body = self.portal.request(
            "PATCH", f"{BASE}/threads/{thread_id}", json={"status": status}, idempotent=True
        )
        return Thread.from_json(body)

    def archive_thread(self, thread_id: str) -> None:
        """Move to trash (HubSpot deletes it for good after 30 days unless restored)."""
        self.portal.request("DELETE", f"{BASE}/threads/{thread_id}")

    def restore_thread(self, thread_id: str) -> Thread:
        body = self.portal.request(
            "PATCH",
            f"{BASE}/threads/{thread_id}",
            params={"archived": True},
            json={"archived": False},
            idempotent=True,
        )
        return Thread.from_json(body)

    # -- messages --------------------------------------------------------------------------

    def list_messages(self, thread_id: str, *, newest_first: bool = False) -> list[Message]:
        params: Params = {"limit": _PAGE, "sort": "-createdAt" if newest_first else "createdAt"}
        path = f"{BASE}/threads/{thread_id}/messages"
        return [Message.from_json(m) for m in self.portal.paginate(path, params)]

    def get_message(self, thread_id: str, message_id: str) -> Message:
        path = f"{BASE}/threads/{thread_id}/messages/{message_id}"
        return Message.from_json(self.portal.request("GET", path))

    def get_original_content(self, thread_id: str, message_id: str) -> OriginalContent:
        path = f"{BASE}/threads/{thread_id}/messages/{message_id}/original-content"
        return OriginalContent.from_json(self.portal.request("GET", path))

    def post_comment(self, thread_id: str, text: str, rich_text: str | None = None) -> Message:
        """An internal note on the thread, posted at most once (see the module docstring)."""
        body: dict[str, Any] = {"type": "COMMENT", "text": text, "attachments": []}
        if rich_text is not None:
            body["richText"] = rich_text
        path = f"{BASE}/threads/{thread_id}/messages"
        # HubSpot's clock and ours differ a little: look a bit further back than our start.
        started = datetime.fromtimestamp(self.portal.clock.now() - _SKEW_SECONDS, tz=UTC)
        attempts = 0
        while True:
            attempts += 1
            try:
                return Message.from_json(self.portal.request("POST", path, json=body))
            except HubSpotUnavailableError:
                # Ambiguous: HubSpot may have stored it. Look before sending again.
                existing = self._find_comment(thread_id, text, started)
                if existing is not None:
                    return existing
                if attempts > self._ambiguous_retries:
                    raise

    def _find_comment(self, thread_id: str, text: str, since: datetime) -> Message | None:
        path = f"{BASE}/threads/{thread_id}/messages"
        for item in self.portal.paginate(path, {"limit": 20, "sort": "-createdAt"}):
            message = Message.from_json(item)
            if message.created_at is not None and message.created_at < since:
                return None  # newest first: everything further is older
            if message.type == "COMMENT" and message.text == text:
                return message
        return None

    # -- actors ----------------------------------------------------------------------------

    def get_actor(self, actor_id: str) -> Actor:
        return Actor.from_json(self.portal.request("GET", f"{BASE}/actors/{actor_id}"))

    def batch_read_actors(self, actor_ids: Iterable[str]) -> list[Actor]:
        ids: Sequence[str] = list(dict.fromkeys(actor_ids))
        if not ids:
            return []
        body = self.portal.request(
            "POST", f"{BASE}/actors/batch/read", json={"inputs": list(ids)}, idempotent=True
        )
        results = body.get("results")
        if not isinstance(results, list):
            return []
        return [Actor.from_json(r) for r in results if isinstance(r, dict)]
