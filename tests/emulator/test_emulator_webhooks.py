"""Webhook deliveries: batching, signatures, events fired, retries on the clock, delivery faults."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from emulator_helpers import API, REDIRECT, Installed, install

from hubguard.clock import FakeClock
from hubguard.emulator import Emulator
from hubguard.errors import EmulatorError
from hubguard.hubspot.signatures import signature_v1, signature_v3

HOOK = "https://hubguard.example/webhooks/hubspot"
EVENTS = [
    "conversation.creation",
    "conversation.newMessage",
    "conversation.propertyChange",
    "conversation.deletion",
]


class Receiver:
    """A webhook receiver behind an httpx transport: records requests, answers from a script."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.statuses: list[int] = []
        self.raise_timeout = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        if self.raise_timeout:
            self.raise_timeout -= 1
            raise httpx.ReadTimeout("slow receiver", request=request)
        return httpx.Response(self.statuses.pop(0) if self.statuses else 204)

    def events(self, index: int = -1) -> list[dict[str, Any]]:
        return list(json.loads(self.requests[index].content))


@pytest.fixture
def receiver() -> Receiver:
    return Receiver()


@pytest.fixture
def hooked(clock: FakeClock, receiver: Receiver) -> Iterator[tuple[Emulator, Installed]]:
    delivery = httpx.Client(transport=httpx.MockTransport(receiver))
    emulator = Emulator(clock, delivery_client=delivery)
    app = emulator.create_app(redirect_uris=[REDIRECT], webhook_url=HOOK, subscriptions=EVENTS)
    portal = emulator.create_portal()
    with httpx.Client(transport=emulator.transport(), base_url=API) as client:
        inst = install(emulator, client, app, portal)
        yield emulator, inst
        inst.client.close()
    delivery.close()


def test_inbound_fires_creation_then_new_message(
    hooked: tuple[Emulator, Installed], receiver: Receiver
) -> None:
    emulator, inst = hooked
    result = emulator.inbound(inst.portal.portal_id, text="hi", sender="a@x.org")
    assert emulator.run_due_deliveries() == 1
    events = receiver.events()
    assert [e["subscriptionType"] for e in events] == [
        "conversation.creation",
        "conversation.newMessage",
    ]
    message_event = events[1]
    assert message_event["objectId"] == int(result.thread_id)
    assert message_event["messageId"] == result.message_id
    assert message_event["messageType"] == "MESSAGE"
    assert message_event["changeFlag"] == "NEW_MESSAGE"
    for event in events:
        assert event["portalId"] == inst.portal.portal_id
        assert event["appId"] == inst.app.app_id
        assert event["attemptNumber"] == 0
        assert event["occurredAt"] == 1_700_000_000_000
        assert isinstance(event["subscriptionId"], int)
    emulator.inbound(inst.portal.portal_id, text="again", sender="a@x.org")
    emulator.run_due_deliveries()
    assert [e["subscriptionType"] for e in receiver.events()] == ["conversation.newMessage"]


def test_deliveries_carry_all_four_signature_headers(
    hooked: tuple[Emulator, Installed], receiver: Receiver
) -> None:
    emulator, inst = hooked
    emulator.inbound(inst.portal.portal_id, text="hi", sender="a@x.org")
    emulator.run_due_deliveries()
    request = receiver.requests[0]
    secret = inst.app.client_secret
    assert request.headers["X-HubSpot-Signature-Version"] == "v1"
    assert request.headers["X-HubSpot-Signature"] == signature_v1(secret, request.content)
    timestamp = int(request.headers["X-HubSpot-Request-Timestamp"])
    assert timestamp == 1_700_000_000_000
    expected_v3 = signature_v3(secret, "POST", HOOK, request.content, timestamp)
    assert request.headers["X-HubSpot-Signature-v3"] == expected_v3
    assert request.headers["Content-Type"] == "application/json"
    assert request.extensions["timeout"]["read"] == 5.0  # HubSpot gives receivers 5 s


def test_hubspot_sdk_accepts_the_emulators_signatures(
    hubspot_sdk: Any, clock: FakeClock, receiver: Receiver
) -> None:
    from hubspot.utils.signature import Signature

    clock.advance(time.time() - clock.now())  # the SDK checks v3 timestamps against real time
    delivery = httpx.Client(transport=httpx.MockTransport(receiver))
    emulator = Emulator(clock, delivery_client=delivery)
    app = emulator.create_app(redirect_uris=[REDIRECT], webhook_url=HOOK, subscriptions=EVENTS)
    portal = emulator.create_portal()
    with httpx.Client(transport=emulator.transport(), base_url=API) as client:
        install(emulator, client, app, portal).client.close()
    emulator.inbound(portal.portal_id, text="hi", sender="a@x.org")
    emulator.run_due_deliveries()
    request = receiver.requests[0]
    body = request.content.decode()
    assert Signature.is_valid(
        signature=request.headers["X-HubSpot-Signature"],
        client_secret=app.client_secret,
        request_body=body,
        signature_version="v1",
    )
    assert Signature.is_valid(
        signature=request.headers["X-HubSpot-Signature-v3"],
        client_secret=app.client_secret,
        request_body=body,
        http_uri=HOOK,
        signature_version="v3",
        timestamp=request.headers["X-HubSpot-Request-Timestamp"],
    )
    assert not Signature.is_valid(
        signature=request.headers["X-HubSpot-Signature-v3"],
        client_secret=app.client_secret,
        request_body=body + " ",
        http_uri=HOOK,
        signature_version="v3",
        timestamp=request.headers["X-HubSpot-Request-Timestamp"],
    )
    delivery.close()


def test_batches_hold_at_most_100_events(
    hooked: tuple[Emulator, Installed], receiver: Receiver
) -> None:
    emulator, inst = hooked
    for i in range(120):
        emulator.inbound(inst.portal.portal_id, text="x", sender=f"s{i}@x.org")  # 2 events each
    assert emulator.run_due_deliveries() == 3
    assert [len(receiver.events(i)) for i in range(3)] == [100, 100, 40]


def test_agent_and_api_actions_fire_property_change_and_deletion(
    hooked: tuple[Emulator, Installed], receiver: Receiver
) -> None:
    emulator, inst = hooked
    pid = inst.portal.portal_id
    tid = emulator.inbound(pid, text="x", sender="a@x.org").thread_id
    emulator.run_due_deliveries()
    c = "/conversations/v3/conversations/threads/"
    inst.client.patch(c + tid, json={"status": "CLOSED"})
    emulator.agent_action(pid, tid, "reopen", user_id=inst.portal.users[0].id)
    inst.client.delete(c + tid)
    emulator.agent_action(pid, tid, "restore")
    emulator.run_due_deliveries()
    events = receiver.events()
    summary = [
        (e["subscriptionType"], e.get("propertyName"), e.get("propertyValue")) for e in events
    ]
    assert summary == [
        ("conversation.propertyChange", "status", "CLOSED"),
        ("conversation.propertyChange", "status", "OPEN"),
        ("conversation.deletion", None, None),
        ("conversation.propertyChange", "isArchived", "false"),
    ]
    assert events[0]["sourceId"] == f"app:{inst.app.app_id}"
    assert events[1]["sourceId"] == f"userId:{inst.portal.users[0].id}"


def test_privacy_deletion_removes_the_thread_and_fires_its_event(
    hooked: tuple[Emulator, Installed], receiver: Receiver
) -> None:
    emulator, inst = hooked
    base = f"/webhooks/v3/{inst.app.app_id}/subscriptions"
    key = {"hapikey": inst.app.developer_api_key}
    with httpx.Client(transport=emulator.transport(), base_url=API) as c:
        sub = c.post(base, params=key, json={"eventType": "conversation.privacyDeletion"}).json()
        c.patch(f"{base}/{sub['id']}", params=key, json={"active": True})
    pid = inst.portal.portal_id
    tid = emulator.inbound(pid, text="x", sender="a@x.org").thread_id
    emulator.run_due_deliveries()
    emulator.privacy_delete_thread(pid, tid)
    emulator.run_due_deliveries()
    (event,) = receiver.events(1)
    assert (event["subscriptionType"], str(event["objectId"])) == (
        "conversation.privacyDeletion",
        tid,
    )
    c = "/conversations/v3/conversations/threads/"
    assert inst.client.get(c + tid).status_code == 404
    assert inst.client.get(c + tid + "/messages").status_code == 404
    with pytest.raises(EmulatorError):
        emulator.privacy_delete_thread(pid, tid)


def test_posting_a_comment_fires_new_message(
    hooked: tuple[Emulator, Installed], receiver: Receiver
) -> None:
    emulator, inst = hooked
    tid = emulator.inbound(inst.portal.portal_id, text="x", sender="a@x.org").thread_id
    emulator.run_due_deliveries()
    inst.client.post(
        f"/conversations/v3/conversations/threads/{tid}/messages",
        json={"type": "COMMENT", "text": "note", "attachments": []},
    )
    emulator.run_due_deliveries()
    assert receiver.events()[0]["messageType"] == "COMMENT"


def test_only_installed_subscribed_apps_receive(clock: FakeClock, receiver: Receiver) -> None:
    delivery = httpx.Client(transport=httpx.MockTransport(receiver))
    emulator = Emulator(clock, delivery_client=delivery)
    emulator.create_app(
        redirect_uris=[REDIRECT], webhook_url=HOOK, subscriptions=EVENTS
    )  # not installed
    app = emulator.create_app(
        redirect_uris=[REDIRECT], webhook_url=HOOK, subscriptions=["conversation.deletion"]
    )
    portal = emulator.create_portal()
    with httpx.Client(transport=emulator.transport(), base_url=API) as client:
        install(emulator, client, app, portal).client.close()
    emulator.inbound(portal.portal_id, text="x", sender="a@x.org")
    assert emulator.pending_events == 0
    assert emulator.run_due_deliveries() == 0
    delivery.close()


def test_failed_deliveries_are_retried_on_the_clock(
    hooked: tuple[Emulator, Installed], receiver: Receiver, clock: FakeClock
) -> None:
    emulator, inst = hooked
    receiver.statuses = [500, 404]
    receiver.raise_timeout = 0
    emulator.inbound(inst.portal.portal_id, text="x", sender="a@x.org")
    assert emulator.run_due_deliveries() == 1
    assert emulator.run_due_deliveries() == 0  # nothing due until the clock moves
    clock.advance(44)  # first retry waits 60 s +-25 %
    assert emulator.run_due_deliveries() == 0
    clock.advance(32)
    assert emulator.run_due_deliveries() == 1
    assert {e["attemptNumber"] for e in receiver.events()} == {1}
    clock.advance(151)
    assert emulator.run_due_deliveries() == 1
    assert {e["attemptNumber"] for e in receiver.events()} == {2}
    outcomes = [d.outcome for d in emulator.deliveries()]
    assert outcomes == ["http_500", "http_404", "delivered"]
    assert emulator.pending_events == 0


def test_retries_stop_after_ten_within_24_hours(
    hooked: tuple[Emulator, Installed], receiver: Receiver, clock: FakeClock
) -> None:
    emulator, inst = hooked
    receiver.statuses = [503] * 50
    start = clock.now()
    emulator.inbound(inst.portal.portal_id, text="x", sender="a@x.org")
    while clock.now() - start < 86_400:
        emulator.run_due_deliveries()
        clock.advance(30)
    assert emulator.pending_events == 0
    # each event: the first try plus ten retries, attemptNumber 0..10, all within 24 h
    per_event: dict[int, list[int]] = {}
    for delivery in emulator.deliveries():
        for event_id, number in zip(delivery.event_ids, delivery.attempt_numbers, strict=True):
            per_event.setdefault(event_id, []).append(number)
    assert len(per_event) == 2
    assert all(numbers == list(range(11)) for numbers in per_event.values())
    assert emulator.deliveries()[-1].time - start < 86_400


def test_retry_jitter_is_seeded(clock: FakeClock) -> None:
    def schedule(seed: int) -> list[float]:
        receiver = Receiver()
        receiver.statuses = [500] * 20
        delivery = httpx.Client(transport=httpx.MockTransport(receiver))
        local = FakeClock()
        emulator = Emulator(local, seed=seed, delivery_client=delivery)
        app = emulator.create_app(redirect_uris=[REDIRECT], webhook_url=HOOK, subscriptions=EVENTS)
        portal = emulator.create_portal()
        with httpx.Client(transport=emulator.transport(), base_url=API) as client:
            install(emulator, client, app, portal).client.close()
        emulator.inbound(portal.portal_id, text="x", sender="a@x.org")
        for _ in range(2000):
            emulator.run_due_deliveries()
            local.advance(60)
        delivery.close()
        return [d.time for d in emulator.deliveries()]

    assert schedule(1) == schedule(1)
    assert schedule(1) != schedule(2)


def test_timeouts_and_connection_errors_are_failures(
    hooked: tuple[Emulator, Installed], receiver: Receiver, clock: FakeClock
) -> None:
    emulator, inst = hooked
    receiver.raise_timeout = 1
    emulator.inbound(inst.portal.portal_id, text="x", sender="a@x.org")
    emulator.run_due_deliveries()
    clock.advance(100)
    emulator.run_due_deliveries()
    assert [d.outcome for d in emulator.deliveries()] == ["timeout", "delivered"]


def test_connection_error(clock: FakeClock) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    delivery = httpx.Client(transport=httpx.MockTransport(refuse))
    emulator = Emulator(clock, delivery_client=delivery)
    app = emulator.create_app(redirect_uris=[REDIRECT], webhook_url=HOOK, subscriptions=EVENTS)
    portal = emulator.create_portal()
    with httpx.Client(transport=emulator.transport(), base_url=API) as client:
        install(emulator, client, app, portal).client.close()
    emulator.inbound(portal.portal_id, text="x", sender="a@x.org")
    emulator.run_due_deliveries()
    assert emulator.deliveries()[0].outcome == "connection_error"
    assert emulator.pending_events == 2
    delivery.close()


def test_delivery_faults(
    hooked: tuple[Emulator, Installed], receiver: Receiver, clock: FakeClock
) -> None:
    emulator, inst = hooked
    emulator.add_fault("drop_deliveries")
    emulator.inbound(inst.portal.portal_id, text="x", sender="a@x.org")
    emulator.run_due_deliveries()
    assert receiver.requests == []
    assert emulator.pending_events == 0  # dropped events are lost, as when HubSpot loses them
    emulator.add_fault("delivery_timeout")
    emulator.inbound(inst.portal.portal_id, text="y", sender="a@x.org")
    emulator.run_due_deliveries()
    assert receiver.requests == []
    assert emulator.pending_events == 1
    clock.advance(100)
    emulator.run_due_deliveries()
    assert receiver.events()[0]["attemptNumber"] == 1
    assert [d.outcome for d in emulator.deliveries()] == ["dropped", "timeout", "delivered"]


def test_webhook_settings_api(hooked: tuple[Emulator, Installed], receiver: Receiver) -> None:
    emulator, inst = hooked
    base = f"/webhooks/v3/{inst.app.app_id}"
    key = {"hapikey": inst.app.developer_api_key}
    with httpx.Client(transport=emulator.transport(), base_url=API) as c:
        assert c.get(f"{base}/settings").status_code == 401
        assert c.get(f"{base}/settings", params={"hapikey": "wrong"}).status_code == 401
        assert c.get(f"{base}/settings", params=key).json()["targetUrl"] == HOOK
        new_url = "https://other.example/hook"
        put = c.put(
            f"{base}/settings",
            params=key,
            json={"targetUrl": new_url, "throttling": {"maxConcurrentRequests": 10}},
        )
        assert put.status_code == 200
        bad = c.put(
            f"{base}/settings",
            params=key,
            json={"targetUrl": new_url, "throttling": {"maxConcurrentRequests": 5}},
        )
        assert bad.status_code == 400
        created = c.post(
            f"{base}/subscriptions", params=key, json={"eventType": "conversation.privacyDeletion"}
        )
        assert created.status_code == 201
        assert created.json()["active"] is False  # HubSpot creates subscriptions paused
        sub_id = created.json()["id"]
        assert c.patch(f"{base}/subscriptions/{sub_id}", params=key, json={"active": True}).json()[
            "active"
        ]
        assert len(c.get(f"{base}/subscriptions", params=key).json()["results"]) == 5
        assert c.delete(f"{base}/subscriptions/{sub_id}", params=key).status_code == 204
    emulator.inbound(inst.portal.portal_id, text="x", sender="a@x.org")
    emulator.run_due_deliveries()
    assert str(receiver.requests[-1].url) == "https://other.example/hook"
    assert (
        "hapikey"
        not in json.dumps([c.query for c in emulator.calls("/webhooks")]).replace("[redacted]", "")
        or True
    )
    assert all(c.query.get("hapikey") in (None, "[redacted]") for c in emulator.calls("/webhooks"))


def test_an_asgi_app_can_receive_deliveries(clock: FakeClock) -> None:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from asgi_client import asgi_client

    bodies: list[bytes] = []

    async def webhook(request: Request) -> Response:
        bodies.append(await request.body())
        return Response(status_code=204)

    web = Starlette(routes=[Route("/webhooks/hubspot", webhook, methods=["POST"])])
    with asgi_client(web, "https://hubguard.example") as test_client:
        emulator = Emulator(clock, delivery_client=test_client)
        app = emulator.create_app(redirect_uris=[REDIRECT], webhook_url=HOOK, subscriptions=EVENTS)
        portal = emulator.create_portal()
        with httpx.Client(transport=emulator.transport(), base_url=API) as client:
            install(emulator, client, app, portal).client.close()
        emulator.inbound(portal.portal_id, text="x", sender="a@x.org")
        assert emulator.run_due_deliveries() == 1
    assert len(json.loads(bodies[0])) == 2
    assert emulator.deliveries()[0].outcome == "delivered"


def test_control_endpoints_for_faults_clock_and_deliveries(
    hooked: tuple[Emulator, Installed], receiver: Receiver, clock: FakeClock
) -> None:
    emulator, inst = hooked
    with httpx.Client(transport=emulator.transport(), base_url=API) as http:
        fault = http.post("/_emulator/faults", json={"kind": "delivery_timeout", "count": 1})
        assert fault.status_code == 201
        assert http.get("/_emulator/faults").json()["results"][0]["kind"] == "delivery_timeout"
        inbound = http.post(
            f"/_emulator/portals/{inst.portal.portal_id}/inbound",
            json={"from": "a@x.org", "text": "x", "channel": "chat"},
        )
        assert inbound.json()["new_thread"] is True
        assert http.post("/_emulator/deliveries/run").json() == {"attempts": 1}
        assert http.post("/_emulator/clock", json={"seconds": 100}).json()["now"] == clock.now()
        assert http.post("/_emulator/deliveries/run").json() == {"attempts": 1}
        log = http.get("/_emulator/deliveries").json()
        assert log["pending"] == 0
        assert [d["outcome"] for d in log["results"]] == ["timeout", "delivered"]
        action = http.post(
            f"/_emulator/portals/{inst.portal.portal_id}/threads/{inbound.json()['thread_id']}/agent-action",
            json={"action": "close"},
        )
        assert action.json()["status"] == "CLOSED"
        thread_id = inbound.json()["thread_id"]
        before = emulator.pending_events
        reply = http.post(
            f"/_emulator/portals/{inst.portal.portal_id}/threads/{thread_id}/reply",
            json={"text": "still there?"},
        )
        assert (reply.status_code, reply.json()["thread_id"]) == (201, thread_id)
        assert emulator.pending_events == before + 2  # newMessage, and the reopen
        assert http.delete("/_emulator/faults").status_code == 204
        revoked = http.post(f"/_emulator/portals/{inst.portal.portal_id}/revoke")
        assert revoked.json() == {"revoked": 1}
    assert len(receiver.requests) == 1
