"""Conversations v3 per reference §4: shapes, filters, paging, writes, actors, scopes."""

from __future__ import annotations

import re

import httpx
import pytest
from emulator_helpers import Installed

from hubguard.clock import FakeClock
from hubguard.emulator import Emulator

C = "/conversations/v3/conversations"
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")

# Required fields per [SPEC] schema (reference §4.2)
THREAD_REQUIRED = {
    "id",
    "createdAt",
    "status",
    "originalChannelId",
    "originalChannelAccountId",
    "inboxId",
    "associatedContactId",
    "archived",
    "spam",
}
THREAD_OPTIONAL = {
    "closedAt",
    "latestMessageTimestamp",
    "latestMessageSentTimestamp",
    "latestMessageReceivedTimestamp",
    "assignedTo",
    "threadAssociations",
}
MESSAGE_COMMON = {
    "id",
    "conversationsThreadId",
    "createdAt",
    "createdBy",
    "client",
    "senders",
    "recipients",
    "archived",
    "type",
}
MESSAGE_MESSAGE = MESSAGE_COMMON | {
    "text",
    "attachments",
    "truncationStatus",
    "status",
    "direction",
    "channelId",
    "channelAccountId",
}
INBOX_FIELDS = {"id", "name", "type", "createdAt", "updatedAt", "archived"}
ACCOUNT_FIELDS = {
    "id",
    "channelId",
    "inboxId",
    "name",
    "active",
    "authorized",
    "archived",
    "createdAt",
}


def check_thread(thread: dict[str, object]) -> None:
    assert set(thread) >= THREAD_REQUIRED
    assert set(thread) <= THREAD_REQUIRED | THREAD_OPTIONAL
    for key in (
        "id",
        "originalChannelId",
        "originalChannelAccountId",
        "inboxId",
        "associatedContactId",
    ):
        assert isinstance(thread[key], str)
    for key in (
        "createdAt",
        "closedAt",
        "latestMessageTimestamp",
        "latestMessageReceivedTimestamp",
    ):
        if key in thread:
            assert ISO.match(str(thread[key]))
    assert thread["status"] in ("OPEN", "CLOSED")
    assert thread["spam"] is False
    assert isinstance(thread["archived"], bool)


def test_thread_and_message_shapes_field_by_field(emulator: Emulator, installed: Installed) -> None:
    result = emulator.inbound(
        installed.portal.portal_id, text="Hello there", subject="Question", sender="eve@example.org"
    )
    thread = installed.client.get(f"{C}/threads/{result.thread_id}").json()
    check_thread(thread)
    assert thread["originalChannelId"] == "1002"
    assert thread["inboxId"] == installed.portal.inboxes[0].id
    message = installed.client.get(
        f"{C}/threads/{result.thread_id}/messages/{result.message_id}"
    ).json()
    assert set(message) >= MESSAGE_MESSAGE
    assert message["type"] == "MESSAGE"
    assert message["direction"] == "INCOMING"
    assert message["subject"] == "Question"
    assert message["richText"] == "<div>Hello there</div>"
    assert message["createdBy"] == "E-eve@example.org"
    assert message["senders"][0]["deliveryIdentifier"] == {
        "type": "HS_EMAIL_ADDRESS",
        "value": "eve@example.org",
    }
    assert message["status"] == {"statusType": "RECEIVED"}
    assert message["truncationStatus"] == "NOT_TRUNCATED"
    assert ISO.match(message["createdAt"])
    original = installed.client.get(
        f"{C}/threads/{result.thread_id}/messages/{result.message_id}/original-content"
    ).json()
    assert original == {"text": "Hello there", "richText": "<div>Hello there</div>"}


def test_inbound_continues_an_open_thread_of_the_same_sender(
    emulator: Emulator, installed: Installed
) -> None:
    pid = installed.portal.portal_id
    first = emulator.inbound(pid, text="one", sender="a@x.org")
    second = emulator.inbound(pid, text="two", sender="A@x.org")
    other = emulator.inbound(pid, text="three", sender="b@x.org")
    assert first.new_thread
    assert not second.new_thread
    assert second.thread_id == first.thread_id
    assert other.thread_id != first.thread_id
    emulator.agent_action(pid, first.thread_id, "close")
    assert emulator.inbound(pid, text="four", sender="a@x.org").new_thread
    other_inbox = installed.portal.inboxes[1].id
    assert emulator.inbound(pid, text="five", sender="b@x.org", inbox_id=other_inbox).new_thread


def test_chat_and_form_senders_are_visitors(emulator: Emulator, installed: Installed) -> None:
    pid = installed.portal.portal_id
    chat = emulator.inbound(pid, text="hi", sender="v@x.org", channel="chat", sender_name="Vic")
    form = emulator.inbound(pid, text="form", sender="w@x.org", channel="form")
    assert chat.actor_id == f"V-{chat.contact_id}"
    assert form.actor_id == f"V-{form.contact_id}"
    thread = installed.client.get(f"{C}/threads/{form.thread_id}").json()
    assert thread["originalChannelId"] == "1004"
    actor = installed.client.get(f"{C}/actors/{chat.actor_id}").json()
    assert actor == {"type": "VISITOR", "id": chat.actor_id, "name": "Vic", "email": "v@x.org"}


def test_thread_paging_follows_to_the_end(emulator: Emulator, installed: Installed) -> None:
    for i in range(7):
        emulator.inbound(installed.portal.portal_id, text=f"m{i}", sender=f"s{i}@x.org")
    seen: list[str] = []
    params: dict[str, str | int] = {"limit": 3}
    pages = 0
    while True:
        body = installed.client.get(f"{C}/threads", params=params).json()
        pages += 1
        assert "total" not in body
        seen += [t["id"] for t in body["results"]]
        if "paging" not in body:
            break
        nxt = body["paging"]["next"]
        assert isinstance(nxt["after"], str)
        assert f"after={nxt['after']}" in nxt["link"]
        params["after"] = nxt["after"]
    assert pages == 3
    assert seen == sorted(seen, key=int)
    assert len(set(seen)) == 7


@pytest.mark.parametrize("limit", ["0", "501", "x"])
def test_limit_bounds(installed: Installed, limit: str) -> None:
    response = installed.client.get(f"{C}/threads", params={"limit": limit})
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"


def test_limit_500_is_allowed(installed: Installed) -> None:
    assert installed.client.get(f"{C}/threads", params={"limit": 500}).status_code == 200


def test_thread_filters(emulator: Emulator, installed: Installed, clock: FakeClock) -> None:
    pid = installed.portal.portal_id
    sales = installed.portal.inboxes[1].id
    a = emulator.inbound(pid, text="a", sender="a@x.org")
    clock.advance(60)
    b = emulator.inbound(pid, text="b", sender="b@x.org", inbox_id=sales)
    emulator.agent_action(pid, a.thread_id, "close")

    def ids(**params: str) -> list[str]:
        response = installed.client.get(f"{C}/threads", params=params)
        assert response.status_code == 200, response.text
        return [t["id"] for t in response.json()["results"]]

    assert ids(threadStatus="OPEN") == [b.thread_id]
    assert ids(threadStatus="CLOSED") == [a.thread_id]
    assert ids(inboxId=sales) == [b.thread_id]
    assert ids(latestMessageTimestampAfter="2023-11-14T22:13:30.000Z") == [b.thread_id]
    assert ids(
        latestMessageTimestampAfter="2023-01-01T00:00:00Z", sort="latestMessageTimestamp"
    ) == [a.thread_id, b.thread_id]
    bad = installed.client.get(f"{C}/threads", params={"sort": "latestMessageTimestamp"})
    assert bad.status_code == 400
    assert installed.client.get(f"{C}/threads", params={"threadStatus": "SPAM"}).status_code == 400


def test_close_archive_restore_rules(emulator: Emulator, installed: Installed) -> None:
    tid = emulator.inbound(installed.portal.portal_id, text="x", sender="a@x.org").thread_id
    c = installed.client
    closed = c.patch(f"{C}/threads/{tid}", json={"status": "CLOSED"}).json()
    assert closed["status"] == "CLOSED"
    assert ISO.match(closed["closedAt"])
    reopened = c.patch(f"{C}/threads/{tid}", json={"status": "OPEN"}).json()
    assert reopened["status"] == "OPEN"
    assert "closedAt" not in reopened
    assert c.delete(f"{C}/threads/{tid}").status_code == 204
    assert c.get(f"{C}/threads/{tid}").status_code == 404
    assert tid not in [t["id"] for t in c.get(f"{C}/threads").json()["results"]]
    assert [
        t["id"] for t in c.get(f"{C}/threads", params={"archived": "true"}).json()["results"]
    ] == [tid]
    assert c.get(f"{C}/threads/{tid}", params={"archived": "true"}).json()["archived"] is True
    # status cannot change while archived; archived can only go to false
    blocked = c.patch(f"{C}/threads/{tid}?archived=true", json={"status": "CLOSED"})
    assert blocked.status_code == 400
    assert c.patch(f"{C}/threads/{tid}?archived=true", json={"archived": True}).status_code == 400
    assert c.patch(f"{C}/threads/{tid}", json={"archived": False}).status_code == 404
    restored = c.patch(f"{C}/threads/{tid}?archived=true", json={"archived": False})
    assert restored.status_code == 200
    assert restored.json()["archived"] is False
    assert c.get(f"{C}/threads/{tid}").status_code == 200


def test_status_change_adds_a_thread_status_change_message(
    emulator: Emulator, installed: Installed
) -> None:
    tid = emulator.inbound(installed.portal.portal_id, text="x", sender="a@x.org").thread_id
    installed.client.patch(f"{C}/threads/{tid}", json={"status": "CLOSED"})
    messages = installed.client.get(f"{C}/threads/{tid}/messages").json()["results"]
    assert [m["type"] for m in messages] == ["THREAD_STATUS_CHANGE", "MESSAGE"]  # newest first
    assert messages[0]["newStatus"] == "CLOSED"
    oldest_first = installed.client.get(
        f"{C}/threads/{tid}/messages", params={"sort": "createdAt"}
    ).json()
    assert [m["type"] for m in oldest_first["results"]] == ["MESSAGE", "THREAD_STATUS_CHANGE"]


def test_post_comment_and_message(emulator: Emulator, installed: Installed) -> None:
    portal = installed.portal
    tid = emulator.inbound(portal.portal_id, text="x", sender="a@x.org").thread_id
    comment = installed.client.post(
        f"{C}/threads/{tid}/messages",
        json={"type": "COMMENT", "text": "spam: 0.97", "attachments": []},
    )
    assert comment.status_code == 201
    body = comment.json()
    assert body["type"] == "COMMENT"
    assert body["createdBy"] == f"I-{installed.app.app_id}"
    assert body["client"] == {"clientType": "INTEGRATION", "integrationAppId": installed.app.app_id}
    egg = _reply_egg(installed)
    sent = installed.client.post(f"{C}/threads/{tid}/messages", json=egg)
    assert sent.status_code == 201, sent.text
    assert sent.json()["direction"] == "OUTGOING"
    assert "latestMessageSentTimestamp" in installed.client.get(f"{C}/threads/{tid}").json()
    for broken in (
        {**egg, "senderActorId": "A-1"},
        {**egg, "channelAccountId": "999"},
        {**egg, "recipients": [{}]},
        {**egg, "type": "WELCOME_MESSAGE"},
        {"type": "COMMENT"},
    ):
        response = installed.client.post(f"{C}/threads/{tid}/messages", json=broken)
        assert response.status_code == 400
        assert response.json()["category"] == "VALIDATION_ERROR"


def _reply_egg(installed: Installed, **changes: object) -> dict[str, object]:
    portal = installed.portal
    egg: dict[str, object] = {
        "type": "MESSAGE",
        "text": "Thanks!",
        "attachments": [],
        "senderActorId": f"A-{portal.users[0].id}",
        "channelId": "1002",
        "channelAccountId": portal.inboxes[0].email_account_id,
        "recipients": [{"deliveryIdentifiers": [{"type": "HS_EMAIL_ADDRESS", "value": "a@x.org"}]}],
    }
    egg.update(changes)
    return egg


def test_posted_message_recipients_take_the_response_shape(
    emulator: Emulator, installed: Installed
) -> None:
    # reference §4.2: a PublicRecipient has one required deliveryIdentifier; the egg's recipient
    # has a deliveryIdentifiers list
    from hubspot_sdk.types.conversations import PublicConversationsMessage

    tid = emulator.inbound(installed.portal.portal_id, text="x", sender="a@x.org").thread_id
    first = {"type": "HS_EMAIL_ADDRESS", "value": "a@x.org"}
    second = {"type": "HS_EMAIL_ADDRESS", "value": "b@x.org"}
    recipient = {"name": "Ann", "recipientField": "TO", "deliveryIdentifiers": [first, second]}
    sent = installed.client.post(
        f"{C}/threads/{tid}/messages", json=_reply_egg(installed, recipients=[recipient])
    )
    assert sent.status_code == 201, sent.text
    expected = [{"name": "Ann", "recipientField": "TO", "deliveryIdentifier": first}]
    assert sent.json()["recipients"] == expected
    PublicConversationsMessage.model_validate(sent.json())
    again = installed.client.get(f"{C}/threads/{tid}/messages/{sent.json()['id']}").json()
    assert again["recipients"] == expected


@pytest.mark.parametrize(
    ("egg", "field"),
    [
        ({"recipients": [{"deliveryIdentifiers": []}]}, "recipients"),
        ({"attachments": None}, "attachments"),
        ({"type": "COMMENT", "text": "note", "attachments": None}, "attachments"),
    ],
)
def test_message_eggs_missing_required_parts_are_refused(
    emulator: Emulator, installed: Installed, egg: dict[str, object], field: str
) -> None:
    # reference §4.2: MESSAGE and COMMENT require attachments[]; a recipient needs an identifier
    tid = emulator.inbound(installed.portal.portal_id, text="x", sender="a@x.org").thread_id
    body = {k: v for k, v in _reply_egg(installed, **egg).items() if v is not None}
    response = installed.client.post(f"{C}/threads/{tid}/messages", json=body)
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"
    assert response.json()["errors"][0]["in"] == field


def test_inboxes_channels_accounts(installed: Installed) -> None:
    c = installed.client
    inboxes = c.get(f"{C}/inboxes").json()
    assert inboxes["total"] == 2
    assert all(set(i) == INBOX_FIELDS for i in inboxes["results"])
    assert c.get(f"{C}/inboxes/{installed.portal.inboxes[0].id}").json()["name"] == "Support"
    channels = c.get(f"{C}/channels").json()
    assert channels["total"] == 3
    assert {ch["id"]: ch["name"] for ch in channels["results"]} == {
        "1000": "Chat",
        "1002": "Email",
        "1004": "Forms",
    }
    assert c.get(f"{C}/channels/1000").json() == {"id": "1000", "name": "Chat"}
    accounts = c.get(f"{C}/channel-accounts").json()
    assert accounts["total"] == 6
    assert all(set(a) >= ACCOUNT_FIELDS for a in accounts["results"])
    email_only = c.get(f"{C}/channel-accounts", params={"channelId": "1002"}).json()
    assert email_only["total"] == 2
    paged = c.get(f"{C}/channel-accounts", params={"limit": 4}).json()
    assert paged["total"] == 6
    assert len(paged["results"]) == 4
    assert "paging" in paged
    account_id = installed.portal.inboxes[0].chat_account_id
    assert c.get(f"{C}/channel-accounts/{account_id}").json()["channelId"] == "1000"
    assert c.get(f"{C}/channels/1234").status_code == 404


def test_actors(emulator: Emulator, installed: Installed) -> None:
    result = emulator.inbound(installed.portal.portal_id, text="x", sender="a@x.org")
    agent = f"A-{installed.portal.users[0].id}"
    c = installed.client
    assert c.get(f"{C}/actors/{agent}").json()["type"] == "AGENT"
    assert c.get(f"{C}/actors/{result.actor_id}").json() == {
        "type": "EMAIL",
        "id": "E-a@x.org",
        "email": "a@x.org",
    }
    assert c.get(f"{C}/actors/A-1").status_code == 404
    ok = c.post(f"{C}/actors/batch/read", json={"inputs": [agent, "S-hubspot"]})
    assert ok.status_code == 200
    assert ok.json()["status"] == "COMPLETE"
    assert [a["type"] for a in ok.json()["results"]] == ["AGENT", "SYSTEM"]
    partial = c.post(f"{C}/actors/batch/read", json={"inputs": [agent, "V-0"]})
    assert partial.status_code == 207
    assert partial.json()["numErrors"] == 1


def test_dated_prefix_serves_the_same(installed: Installed) -> None:
    body = installed.client.get("/conversations/conversations/2026-09/inboxes").json()
    assert body["total"] == 2


def test_scopes_are_enforced(
    emulator: Emulator, installed: Installed, client: httpx.Client
) -> None:
    pid = installed.portal.portal_id
    tid = emulator.inbound(pid, text="x", sender="a@x.org").thread_id
    read_only = emulator.create_service_key(pid, ["conversations.read"])
    headers = {"Authorization": f"Bearer {read_only}"}
    assert client.get(f"{C}/threads/{tid}", headers=headers).status_code == 200
    denied = client.patch(f"{C}/threads/{tid}", headers=headers, json={"status": "CLOSED"})
    assert denied.status_code == 403
    body = denied.json()
    assert body["category"] == "MISSING_SCOPES"
    assert body["context"]["missingScopes"] == ["conversations.write"]
    assert denied.headers["x-hubspot-correlation-id"] == body["correlationId"]
    nothing = emulator.create_service_key(pid, ["crm.objects.contacts.read"])
    for method, path in (("GET", f"{C}/threads"), ("POST", f"{C}/actors/batch/read")):
        response = client.request(
            method, path, headers={"Authorization": f"Bearer {nothing}"}, json={"inputs": []}
        )
        assert response.status_code == 403
        assert response.json()["context"]["missingScopes"] == ["conversations.read"]
    assert client.delete(f"{C}/threads/{tid}", headers=headers).status_code == 403


def test_portals_are_isolated(
    emulator: Emulator, installed: Installed, client: httpx.Client
) -> None:
    other = emulator.create_portal()
    tid = emulator.inbound(other.portal_id, text="x", sender="a@x.org").thread_id
    assert installed.client.get(f"{C}/threads/{tid}").status_code == 404


def test_spam_is_read_only(emulator: Emulator, installed: Installed) -> None:
    tid = emulator.inbound(installed.portal.portal_id, text="x", sender="a@x.org").thread_id
    response = installed.client.patch(f"{C}/threads/{tid}", json={"spam": True})
    assert response.status_code == 400
    assert response.json()["category"] == "VALIDATION_ERROR"
    assert installed.client.get(f"{C}/threads/{tid}").json()["spam"] is False


def test_concurrent_clients_are_safe(emulator: Emulator, installed: Installed) -> None:
    import threading

    pid = installed.portal.portal_id
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(20):
                emulator.inbound(pid, text=f"{n}-{i}", sender=f"w{n}@x.org")
                assert installed.client.get(f"{C}/threads", params={"limit": 5}).status_code == 200
        except BaseException as exc:  # collected and re-raised in the test thread
            errors.append(exc)

    workers = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    threads = installed.client.get(f"{C}/threads", params={"limit": 500}).json()["results"]
    assert len(threads) == 4  # one open thread per sender, continued 20 times
    ids = [
        m["id"]
        for t in threads
        for m in installed.client.get(
            f"{C}/threads/{t['id']}/messages", params={"limit": 500}
        ).json()["results"]
    ]
    assert len(ids) == len(set(ids)) == 80


@pytest.mark.parametrize("channel", ["email", "chat", "form"])
def test_messages_and_channel_accounts_validate_against_the_official_sdk_models(
    emulator: Emulator, installed: Installed, channel: str
) -> None:
    # hubspot-sdk's models are generated from HubSpot's own OpenAPI spec; validating (not just
    # constructing) them checks every required field, type and enum value of our payloads.
    from hubspot_sdk.types.conversations import PublicChannelAccount, PublicConversationsMessage

    result = emulator.inbound(
        installed.portal.portal_id,
        text="Is the kettle back in stock?",
        subject="Stock" if channel == "email" else None,
        html="<p>Is the kettle <b>back</b> in stock?</p>" if channel == "email" else None,
        sender="eve@example.org",
        sender_name="Eve",
        channel=channel,
    )
    listed = installed.client.get(f"{C}/threads/{result.thread_id}/messages").json()["results"]
    [raw] = [m for m in listed if m["id"] == result.message_id]
    message = PublicConversationsMessage.model_validate(raw)
    assert message.conversations_thread_id == result.thread_id
    assert message.direction == "INCOMING"
    assert message.senders[0].actor_id == raw["createdBy"]
    assert message.created_at.tzinfo is not None
    accounts = installed.client.get(f"{C}/channel-accounts").json()["results"]
    assert accounts
    for account in accounts:
        PublicChannelAccount.model_validate(account)
