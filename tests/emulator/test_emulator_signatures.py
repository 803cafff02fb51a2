"""Webhook signatures: every published vector (reference §3.1) and HubSpot's own SDK helper."""

from __future__ import annotations

from typing import Any

import pytest

from hubguard.hubspot.signatures import normalise_uri, signature_v1, signature_v2, signature_v3

SECRET = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy"
V1_BODY = (
    '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,'
    '"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,'
    '"changeSource":"CRM","changeFlag":"NEW","appId":54321}]'
)
ABBOT_BODY = (
    '[{"eventId":3814323381,"subscriptionId":1870311,"portalId":22761544,"appId":1098266,'
    '"occurredAt":1670383777358,"subscriptionType":"conversation.newMessage","attemptNumber":0,'
    '"objectId":3624100517,"messageId":"e835c5f42631462ea4447601c8e1e394",'
    '"messageType":"MESSAGE","changeFlag":"NEW_MESSAGE"}]'
)


def test_v1_vector() -> None:
    expected = "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de"
    assert signature_v1(SECRET, V1_BODY.encode()) == expected
    assert signature_v1(SECRET, V1_BODY) == expected


@pytest.mark.parametrize(
    ("method", "body", "expected"),
    [
        ("GET", "", "eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e"),
        (
            "POST",
            '{"example_field":"example_value"}',
            "9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900",
        ),
    ],
)
def test_v2_vectors(method: str, body: str, expected: str) -> None:
    uri = "https://www.example.com/webhook_uri"
    assert signature_v2(SECRET, method, uri, body.encode()) == expected


def test_v3_vector_from_the_python_sdk() -> None:
    body = "{'example_field':'example_value'}"
    signature = signature_v3(
        SECRET, "POST", "https://www.example.com/webhook_uri", body, 1693657560000
    )
    assert signature == "K36dawei4A+QBNolUOqo7s91KQDWQ5MXZ/QufNYuk/Y="


def test_v3_vector_with_a_conversation_payload() -> None:
    signature = signature_v3(
        "abbababa-beef-aaaa-bbbb-abbaabbaabba",
        "POST",
        "https://abbot-haacked-dev.ngrok.io/hubspot/webhook",
        ABBOT_BODY.encode(),
        1670383777720,
    )
    assert signature == "qXo1PASfXKd8KLy3T8tuwuZ2nmvAanXW+UjN3w+b4cg="
    # a trailing slash changes the signature (the URI is signed exactly)
    other = signature_v3(
        "abbababa-beef-aaaa-bbbb-abbaabbaabba",
        "POST",
        "https://abbot-haacked-dev.ngrok.io/hubspot/webhook/",
        ABBOT_BODY.encode(),
        1670383777720,
    )
    assert other != signature


def test_normalise_uri_decodes_only_hubspots_table() -> None:
    assert normalise_uri("https://x.io/a%3Ab%2Fc%3Fd%40e%21f%24g%27h%28i%29j%2Ak%2Cl%3Bm") == (
        "https://x.io/a:b/c?d@e!f$g'h(i)j*k,l;m"
    )
    assert normalise_uri("https://x.io/a%3ab") == "https://x.io/a:b"  # lowercase hex too
    assert normalise_uri("https://x.io/a%20b%25c%2Bd") == "https://x.io/a%20b%25c%2Bd"
    assert normalise_uri("https://x.io/%253A") == "https://x.io/%253A"  # one pass only


def test_v3_signs_the_normalised_uri() -> None:
    a = signature_v3(SECRET, "POST", "https://x.io/hook?x=a%3Ab", b"[]", 1)
    b = signature_v3(SECRET, "POST", "https://x.io/hook?x=a:b", b"[]", 1)
    assert a == b


def test_hubspot_sdk_agrees_on_v1_and_v2(hubspot_sdk: Any) -> None:
    from hubspot.utils.signature import Signature

    assert Signature.is_valid(
        signature_v1(SECRET, V1_BODY), SECRET, V1_BODY, signature_version="v1"
    )
    uri = "https://www.example.com/webhook_uri"
    assert Signature.is_valid(
        signature_v2(SECRET, "POST", uri, V1_BODY), SECRET, V1_BODY, http_uri=uri
    )
    assert not Signature.is_valid(
        signature_v1(SECRET + "x", V1_BODY), SECRET, V1_BODY, signature_version="v1"
    )
