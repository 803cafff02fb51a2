"""The receiver: verify over raw bytes and the public URI, refuse anything doubtful, store once."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from asgi_client import asgi_client
from hubguard.clock import FakeClock
from hubguard.config import Secret, Settings
from hubguard.db import create_engine, migrate
from hubguard.errors import ConfigError, SignatureError
from hubguard.hubspot.signatures import signature_v1, signature_v2, signature_v3
from hubguard.inbox.events import EventStore
from hubguard.inbox.verifier import WebhookVerifier
from hubguard.web.webhooks import webhook_router

SECRET = "current-secret-0000"
OLD = "previous-secret-1111"
PUBLIC = "https://hooks.example.com/base"
URL = PUBLIC + "/webhooks/hubspot"
EVENT = {
    "eventId": 100,
    "subscriptionId": 7,
    "portalId": 42,
    "occurredAt": 1_700_000_000_000,
    "subscriptionType": "conversation.newMessage",
    "attemptNumber": 0,
    "objectId": 123,
    "messageId": "m-1",
    "messageType": "MESSAGE",
    "changeFlag": "NEW_MESSAGE",
}


class Recorder:
    def __init__(self) -> None:
        self.dispatched: list[int] = []

    def dispatch(self, event_ids: Sequence[int]) -> None:
        self.dispatched.extend(event_ids)


Parts = tuple[httpx.Client, EventStore, Recorder]


@pytest.fixture
def parts(sqlite_url: str, clock: FakeClock) -> Iterator[Parts]:
    engine = create_engine(sqlite_url)
    migrate(engine)
    settings = Settings(
        client_secret=Secret(SECRET), previous_client_secrets=(Secret(OLD),), public_url=PUBLIC
    )
    store = EventStore(engine, clock=clock)
    recorder = Recorder()
    app = FastAPI()
    app.include_router(
        webhook_router(WebhookVerifier.from_settings(settings, clock=clock), store, recorder)
    )
    # The app is reached on an internal address; HubSpot signed the public one.
    http = asgi_client(app, "http://10.0.0.5:8000")
    try:
        yield http, store, recorder
    finally:
        http.close()
        engine.dispose()


def signed(body: bytes, ts_ms: int, *, secret: str = SECRET, uri: str = URL) -> dict[str, str]:
    return {
        "x-hubspot-signature-v3": signature_v3(secret, "POST", uri, body, ts_ms),
        "x-hubspot-request-timestamp": str(ts_ms),
        "content-type": "application/json",
    }


def now_ms(clock: FakeClock) -> int:
    return int(clock.now() * 1000)


def test_signed_batch_is_stored_once_and_dispatched(parts: Parts, clock: FakeClock) -> None:
    http, store, recorder = parts
    body = json.dumps([EVENT, {**EVENT, "eventId": 101}]).encode()
    r = http.post("/webhooks/hubspot", content=body, headers=signed(body, now_ms(clock)))
    assert r.status_code == 204
    assert len(recorder.dispatched) == 2
    # HubSpot redelivers the same batch: accepted, nothing new stored or dispatched.
    r = http.post("/webhooks/hubspot", content=body, headers=signed(body, now_ms(clock)))
    assert r.status_code == 204
    assert len(recorder.dispatched) == 2
    assert store.counts() == {"pending": 2}


def test_event_id_alone_is_not_the_key(parts: Parts, clock: FakeClock) -> None:
    http, store, _ = parts
    body = json.dumps([EVENT, {**EVENT, "occurredAt": EVENT["occurredAt"] + 1}]).encode()
    assert (
        http.post(
            "/webhooks/hubspot", content=body, headers=signed(body, now_ms(clock))
        ).status_code
        == 204
    )
    assert store.counts() == {"pending": 2}


def test_previous_secret_is_accepted_during_rotation(parts: Parts, clock: FakeClock) -> None:
    http, store, _ = parts
    body = json.dumps([EVENT]).encode()
    r = http.post(
        "/webhooks/hubspot", content=body, headers=signed(body, now_ms(clock), secret=OLD)
    )
    assert r.status_code == 204
    assert store.counts() == {"pending": 1}


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (
            lambda b, h, t: (
                b,
                {**h, "x-hubspot-signature-v3": signature_v3("wrong", "POST", URL, b, t)},
            ),
            "bad_signature",
        ),
        (lambda b, h, t: (b + b" ", h), "bad_signature"),  # body changed after signing
        (
            lambda b, h, t: (b, signed(b, t, uri="http://10.0.0.5:8000/webhooks/hubspot")),
            "bad_signature",
        ),
        (lambda b, h, t: (b, signed(b, t - 300_001)), "stale"),
        (lambda b, h, t: (b, signed(b, t + 300_001)), "stale"),  # from the future
        (lambda b, h, t: (b, {**h, "x-hubspot-request-timestamp": "soon"}), "bad_timestamp"),
        # "²" (isdigit() but not int()) and 5,000 digits once made a 500, not a 401.
        (lambda b, h, t: (b, {**h, "x-hubspot-request-timestamp": b"\xb2"}), "bad_timestamp"),
        (lambda b, h, t: (b, {**h, "x-hubspot-request-timestamp": "9" * 5000}), "bad_timestamp"),
        (lambda b, h, t: (b, {"content-type": "application/json"}), "unsigned"),
        (
            lambda b, h, t: (
                b,
                {
                    "x-hubspot-signature": signature_v1(SECRET, b),
                    "x-hubspot-signature-version": "v1",
                },
            ),
            "legacy_refused",
        ),
    ],
)
def test_doubtful_requests_get_401_and_store_nothing(
    parts: Parts, clock: FakeClock, mutate: Any, reason: str
) -> None:
    http, store, recorder = parts
    body = json.dumps([EVENT]).encode()
    ts = now_ms(clock)
    body2, headers = mutate(body, signed(body, ts), ts)
    r = http.post("/webhooks/hubspot", content=body2, headers=headers)
    assert r.status_code == 401
    assert r.json() == {"error": reason}
    assert store.counts() == {}
    assert recorder.dispatched == []


def test_timestamp_just_inside_the_window_is_accepted(parts: Parts, clock: FakeClock) -> None:
    http, _, _ = parts
    body = json.dumps([EVENT]).encode()
    for ts in (now_ms(clock) - 299_000, now_ms(clock) + 299_000):
        assert (
            http.post("/webhooks/hubspot", content=body, headers=signed(body, ts)).status_code
            == 204
        )


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b'{"portalId": 1}',
        b"[1, 2]",
        json.dumps([{**EVENT, "portalId": "42"}]).encode(),
        json.dumps([{k: v for k, v in EVENT.items() if k != "subscriptionType"}]).encode(),
        b"\xff\xfe",
    ],
)
def test_signed_but_malformed_bodies_get_400_and_store_nothing(
    parts: Parts, clock: FakeClock, body: bytes
) -> None:
    http, store, _ = parts
    r = http.post("/webhooks/hubspot", content=body, headers=signed(body, now_ms(clock)))
    assert r.status_code == 400
    assert store.counts() == {}


def test_oversized_body_is_refused_before_verification(parts: Parts, clock: FakeClock) -> None:
    http, store, _ = parts
    body = b"[" + b" " * 2_100_000 + b"]"
    r = http.post("/webhooks/hubspot", content=body, headers=signed(body, now_ms(clock)))
    assert r.status_code == 413
    assert store.counts() == {}


# -- the verifier on its own: the reference's test vectors --------------------------------------


class At:
    def __init__(self, ms: int) -> None:
        self._now = ms / 1000

    def now(self) -> float:
        return self._now

    def monotonic(self) -> float:
        return self._now

    def sleep(self, seconds: float) -> None:
        self._now += seconds


def test_reference_v3_vectors() -> None:
    sdk = WebhookVerifier(
        [Secret("yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy")],
        public_url="https://www.example.com/webhook_uri",
        clock=At(1693657560000),
    )
    headers = {
        "x-hubspot-signature-v3": "K36dawei4A+QBNolUOqo7s91KQDWQ5MXZ/QufNYuk/Y=",
        "x-hubspot-request-timestamp": "1693657560000",
    }
    assert sdk.verify("POST", b"{'example_field':'example_value'}", headers) == "v3"
    abbot = WebhookVerifier(
        [Secret("abbababa-beef-aaaa-bbbb-abbaabbaabba")],
        public_url="https://abbot-haacked-dev.ngrok.io/hubspot/webhook",
        clock=At(1670383777720 + 1000),
    )
    body = (
        b'[{"eventId":3814323381,"subscriptionId":1870311,"portalId":22761544,"appId":1098266,'
        b'"occurredAt":1670383777358,"subscriptionType":"conversation.newMessage","attemptNumber":0,'
        b'"objectId":3624100517,"messageId":"e835c5f42631462ea4447601c8e1e394","messageType":"MESSAGE",'
        b'"changeFlag":"NEW_MESSAGE"}]'
    )
    headers = {
        "x-hubspot-signature-v3": "qXo1PASfXKd8KLy3T8tuwuZ2nmvAanXW+UjN3w+b4cg=",
        "x-hubspot-request-timestamp": "1670383777720",
    }
    assert abbot.verify("POST", body, headers) == "v3"
    with pytest.raises(SignatureError):  # the vector is strict about the trailing slash
        WebhookVerifier(
            [Secret("abbababa-beef-aaaa-bbbb-abbaabbaabba")],
            public_url="https://abbot-haacked-dev.ngrok.io/hubspot/webhook/",
            clock=At(1670383777720),
        ).verify("POST", body, headers)


def test_reference_v1_and_v2_vectors_only_when_legacy_is_enabled() -> None:
    secret = [Secret("yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy")]
    v1_body = (
        b'[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,'
        b'"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,'
        b'"changeSource":"CRM","changeFlag":"NEW","appId":54321}]'
    )
    v1 = {
        "x-hubspot-signature": "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de",
        "x-hubspot-signature-version": "v1",
    }
    legacy = WebhookVerifier(
        secret, public_url="https://www.example.com/webhook_uri", accept_legacy=True
    )
    assert legacy.verify("POST", v1_body, v1) == "v1"
    v2 = {
        "x-hubspot-signature": "9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900",
        "x-hubspot-signature-version": "v2",
    }
    assert legacy.verify("POST", b'{"example_field":"example_value"}', v2) == "v2"
    strict = WebhookVerifier(secret, public_url="https://www.example.com/webhook_uri")
    with pytest.raises(SignatureError) as err:
        strict.verify("POST", v1_body, v1)
    assert err.value.reason == "legacy_refused"


def test_query_string_is_signed_with_hubspots_decoding_rule() -> None:
    clock = At(1_700_000_000_000)
    verifier = WebhookVerifier([Secret(SECRET)], public_url=URL, clock=clock)
    query = "app=a%3Ab&x=%2Fy%20z"
    # HubSpot signs the decoded form of the table's escapes; %20 is not in the table.
    sig = signature_v3(SECRET, "POST", URL + "?app=a:b&x=/y%20z", b"[]", 1_700_000_000_000)
    headers = {"x-hubspot-signature-v3": sig, "x-hubspot-request-timestamp": "1700000000000"}
    assert verifier.verify("POST", b"[]", headers, query=query) == "v3"


def test_a_verifier_without_secret_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="HUBGUARD_CLIENT_SECRET"):
        WebhookVerifier.from_settings(Settings())


def test_v2_signature_over_public_uri(parts: Parts, clock: FakeClock) -> None:
    """Sanity: a v2-only request is refused by default even when correct."""
    http, store, _ = parts
    body = json.dumps([EVENT]).encode()
    headers = {
        "x-hubspot-signature": signature_v2(SECRET, "POST", URL, body),
        "x-hubspot-signature-version": "v2",
    }
    assert http.post("/webhooks/hubspot", content=body, headers=headers).status_code == 401
    assert store.counts() == {}


def test_concurrent_deliveries_share_commits_and_all_get_their_204(
    sqlite_url: str, clock: FakeClock
) -> None:
    import asyncio

    engine = create_engine(sqlite_url)
    migrate(engine)
    store = EventStore(engine, clock=clock)
    recorder = Recorder()
    settings = Settings(client_secret=Secret(SECRET), public_url=PUBLIC)
    app = FastAPI()
    app.include_router(
        webhook_router(WebhookVerifier.from_settings(settings, clock=clock), store, recorder)
    )

    async def deliver_all() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://10.0.0.5") as http:

            async def one(n: int) -> int:
                # Every delivery repeats the previous one's last event: overlaps are deduped.
                body = json.dumps([{**EVENT, "eventId": n}, {**EVENT, "eventId": n + 1}]).encode()
                r = await http.post(
                    "/webhooks/hubspot", content=body, headers=signed(body, now_ms(clock))
                )
                return r.status_code

            return list(await asyncio.gather(*(one(n) for n in range(30))))

    try:
        assert asyncio.run(deliver_all()) == [204] * 30
        assert store.counts() == {"pending": 31}
        assert sorted(recorder.dispatched) == sorted(set(recorder.dispatched))
        assert len(recorder.dispatched) == 31
    finally:
        engine.dispose()


def test_oversized_chunked_body_is_cut_off(sqlite_url: str, clock: FakeClock) -> None:
    import asyncio
    from collections.abc import AsyncIterator

    engine = create_engine(sqlite_url)
    migrate(engine)
    store = EventStore(engine, clock=clock)
    settings = Settings(client_secret=Secret(SECRET), public_url=PUBLIC)
    app = FastAPI()
    app.include_router(
        webhook_router(
            WebhookVerifier.from_settings(settings, clock=clock),
            store,
            Recorder(),
            max_body_bytes=1000,
        )
    )

    async def send() -> int:
        async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: transfer-encoding chunked
            for _ in range(50):
                yield b" " * 100

        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://10.0.0.5") as http:
            r = await http.post("/webhooks/hubspot", content=chunks())
            return r.status_code

    try:
        assert asyncio.run(send()) == 413
        assert store.counts() == {}
    finally:
        engine.dispose()
