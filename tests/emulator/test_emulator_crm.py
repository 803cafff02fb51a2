"""CRM contacts: GET /crm/v3/objects/contacts/{id} by id and by e-mail, and the control upsert."""

from __future__ import annotations

import re

import httpx
import pytest
from emulator_helpers import Installed

from hubguard.clock import FakeClock
from hubguard.emulator import Emulator, PortalInfo
from hubguard.errors import EmulatorError

CONTACTS = "/crm/v3/objects/contacts"
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
READ = "crm.objects.contacts.read"
ALWAYS = {"hs_object_id", "createdate", "lastmodifieddate"}


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def reader(emulator: Emulator, portal: PortalInfo) -> dict[str, str]:
    """A service key of ``portal`` that may read contacts (and nothing else)."""
    return bearer(emulator.create_service_key(portal.portal_id, [READ]))


def test_a_visitor_who_writes_in_is_a_contact_readable_by_id(
    emulator: Emulator,
    client: httpx.Client,
    portal: PortalInfo,
    reader: dict[str, str],
    clock: FakeClock,
) -> None:
    sent = emulator.inbound(
        portal.portal_id, text="hi", sender="Eve@Example.org", sender_name="Eve Adams"
    )
    clock.advance(30)
    response = client.get(f"{CONTACTS}/{sent.contact_id}", headers=reader)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"id", "properties", "createdAt", "updatedAt", "archived"}
    assert body["id"] == sent.contact_id
    assert body["archived"] is False
    assert ISO.match(body["createdAt"])
    assert body["updatedAt"] == body["createdAt"]
    # Without ``properties``: HubSpot's default set, every value a string.
    assert body["properties"] == {
        "createdate": body["createdAt"],
        "email": "eve@example.org",
        "firstname": "Eve",
        "hs_object_id": sent.contact_id,
        "lastmodifieddate": body["updatedAt"],
        "lastname": "Adams",
    }
    # hubspot-sdk's model is generated from HubSpot's OpenAPI spec: validating checks the shape.
    from hubspot_sdk.types.crm import SimplePublicObjectWithAssociations

    parsed = SimplePublicObjectWithAssociations.model_validate(body)
    assert parsed.id == sent.contact_id
    assert parsed.created_at.tzinfo is not None


def test_lookup_by_email_is_case_insensitive_and_only_with_id_property(
    emulator: Emulator, client: httpx.Client, portal: PortalInfo, reader: dict[str, str]
) -> None:
    contact_id = emulator.upsert_contact(portal.portal_id, "Buyer@Customer.example")
    for address in ("buyer@customer.example", "BUYER@CUSTOMER.EXAMPLE"):
        found = client.get(f"{CONTACTS}/{address}", params={"idProperty": "email"}, headers=reader)
        assert found.status_code == 200
        assert found.json()["id"] == contact_id
        assert found.json()["properties"]["email"] == "buyer@customer.example"
    # without idProperty the segment is an id, and an address is no contact's id
    assert client.get(f"{CONTACTS}/buyer@customer.example", headers=reader).status_code == 404
    by_id = client.get(
        f"{CONTACTS}/{contact_id}", params={"idProperty": "hs_object_id"}, headers=reader
    )
    assert by_id.json()["id"] == contact_id
    bad = client.get(f"{CONTACTS}/{contact_id}", params={"idProperty": "phone"}, headers=reader)
    assert bad.status_code == 400
    assert bad.json()["category"] == "VALIDATION_ERROR"


def test_only_requested_properties_come_back(
    emulator: Emulator, client: httpx.Client, portal: PortalInfo, reader: dict[str, str]
) -> None:
    contact_id = emulator.upsert_contact(
        portal.portal_id,
        "ann@customer.example",
        firstname="Ann",
        lifecyclestage="customer",
        num_associated_deals=2,
    )
    comma = client.get(
        f"{CONTACTS}/{contact_id}",
        params={"properties": "lifecyclestage,num_associated_deals,no_such_property"},
        headers=reader,
    ).json()["properties"]
    assert set(comma) == ALWAYS | {"lifecyclestage", "num_associated_deals"}
    assert comma["lifecyclestage"] == "customer"
    assert comma["num_associated_deals"] == "2"  # numbers are strings on the wire
    assert comma["hs_object_id"] == contact_id
    repeated = client.get(
        f"{CONTACTS}/{contact_id}",
        params=[("properties", "lifecyclestage"), ("properties", "num_associated_deals")],
        headers=reader,
    ).json()["properties"]
    assert repeated == comma
    # a property of the contact schema that this contact has no value for is null, as HubSpot
    # sends it; firstname was not asked for
    unset = client.get(
        f"{CONTACTS}/{contact_id}", params={"properties": "phone"}, headers=reader
    ).json()["properties"]
    assert unset == {**{k: comma[k] for k in ALWAYS}, "phone": None}


def test_unknown_contact_is_hubspots_404(
    client: httpx.Client, portal: PortalInfo, reader: dict[str, str]
) -> None:
    for path, params in (
        (f"{CONTACTS}/999999", {}),
        (f"{CONTACTS}/nobody@nowhere.example", {"idProperty": "email"}),
    ):
        response = client.get(path, params=params, headers=reader)
        assert response.status_code == 404
        body = response.json()
        assert body["status"] == "error"
        assert body["category"] == "OBJECT_NOT_FOUND"
        assert body["message"]
        assert body["correlationId"] == response.headers["x-hubspot-correlation-id"]


def test_contacts_of_another_portal_are_not_found(
    emulator: Emulator, client: httpx.Client, reader: dict[str, str]
) -> None:
    other = emulator.create_portal()
    contact_id = emulator.upsert_contact(other.portal_id, "x@other.example")
    assert client.get(f"{CONTACTS}/{contact_id}", headers=reader).status_code == 404


def test_reading_contacts_needs_the_contacts_scope(
    emulator: Emulator, client: httpx.Client, portal: PortalInfo, installed: Installed
) -> None:
    contact_id = emulator.upsert_contact(portal.portal_id, "ann@customer.example")
    path = f"{CONTACTS}/{contact_id}"
    conversations_only = bearer(
        emulator.create_service_key(portal.portal_id, ["conversations.read"])
    )
    for denied in (client.get(path, headers=conversations_only), installed.client.get(path)):
        assert denied.status_code == 403
        body = denied.json()
        assert body["category"] == "MISSING_SCOPES"
        assert body["context"]["missingScopes"] == [READ]
        assert body["correlationId"] == denied.headers["x-hubspot-correlation-id"]
    # the write scope lets read too
    writer = bearer(emulator.create_service_key(portal.portal_id, ["crm.objects.contacts.write"]))
    assert client.get(path, headers=writer).status_code == 200


def test_contact_reads_are_logged_and_rate_limited_like_every_call(
    emulator: Emulator, client: httpx.Client, clock: FakeClock
) -> None:
    portal = emulator.create_portal(tier="starter")  # 100 per 10 s for a service key
    key = emulator.create_service_key(portal.portal_id, [READ, "conversations.read"])
    contact_id = emulator.upsert_contact(portal.portal_id, "ann@customer.example")
    path = f"{CONTACTS}/{contact_id}"
    first = client.get(path, params={"properties": "lifecyclestage"}, headers=bearer(key))
    assert first.headers["X-HubSpot-RateLimit-Remaining"] == "99"
    [logged] = emulator.calls("/crm")
    assert (logged.method, logged.path, logged.status) == ("GET", path, 200)
    assert (logged.auth, logged.portal_id) == ("service_key", portal.portal_id)
    assert logged.query == {"properties": "lifecyclestage"}
    assert key not in repr(logged)
    # one budget for the portal: conversations calls and contact reads draw on the same one
    for _ in range(98):
        client.get("/conversations/v3/conversations/inboxes", headers=bearer(key))
    assert client.get(path, headers=bearer(key)).status_code == 200
    limited = client.get(path, headers=bearer(key))
    assert limited.status_code == 429
    assert limited.json()["policyName"] == "TEN_SECONDLY_ROLLING"
    assert [c.status for c in emulator.calls("/crm")] == [200, 200, 429]
    clock.advance(10)
    assert client.get(path, headers=bearer(key)).status_code == 200


def test_upsert_contact_updates_and_clears(
    emulator: Emulator, client: httpx.Client, portal: PortalInfo, reader: dict[str, str]
) -> None:
    sent = emulator.inbound(portal.portal_id, text="hi", sender="lead@prospect.example")
    same = emulator.upsert_contact(
        portal.portal_id, "LEAD@prospect.example", lifecyclestage="lead", num_associated_deals=0
    )
    assert same == sent.contact_id  # the visitor's contact, found by address
    props = "lifecyclestage,num_associated_deals,firstname"
    read = client.get(f"{CONTACTS}/{same}", params={"properties": props}, headers=reader).json()
    assert read["properties"]["lifecyclestage"] == "lead"
    assert read["properties"]["num_associated_deals"] == "0"
    assert read["properties"]["firstname"] is None
    emulator.upsert_contact(portal.portal_id, "lead@prospect.example", lifecyclestage="")
    cleared = client.get(f"{CONTACTS}/{same}", params={"properties": props}, headers=reader)
    assert cleared.json()["properties"]["lifecyclestage"] is None
    assert cleared.json()["properties"]["num_associated_deals"] == "0"  # untouched


def test_control_endpoint_upserts_a_contact(
    emulator: Emulator, client: httpx.Client, portal: PortalInfo, reader: dict[str, str]
) -> None:
    url = f"/_emulator/portals/{portal.portal_id}/contacts"
    made = client.post(
        url,
        json={
            "email": "cfo@customer.example",
            "firstname": "Cleo",
            "lifecyclestage": "opportunity",
            "num_associated_deals": 3,
        },
    )
    assert made.status_code == 200
    contact_id = made.json()["contact_id"]
    again = client.post(url, json={"email": "CFO@customer.example", "num_associated_deals": 4})
    assert again.json() == {"contact_id": contact_id}
    props = client.get(
        f"{CONTACTS}/{contact_id}",
        params={"properties": "firstname,lifecyclestage,num_associated_deals"},
        headers=reader,
    ).json()["properties"]
    assert (props["firstname"], props["lifecyclestage"], props["num_associated_deals"]) == (
        "Cleo",
        "opportunity",
        "4",
    )
    # a chat from that address comes from that contact
    visitor = emulator.inbound(
        portal.portal_id, text="hi", sender="cfo@customer.example", channel="chat"
    )
    assert visitor.contact_id == contact_id


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({}, 400, "MISSING_FIELD"),
        ({"email": "not-an-address"}, 400, "BAD_CONTACT"),
        ({"email": "a@x.org", "lifecyclestage": "Customer"}, 400, "BAD_CONTACT"),
        ({"email": "a@x.org", "num_associated_deals": -1}, 400, "BAD_CONTACT"),
        ({"email": "a@x.org", "num_associated_deals": "2"}, 400, "BAD_FIELD"),
    ],
)
def test_control_endpoint_refuses_bad_contacts(
    client: httpx.Client, portal: PortalInfo, body: dict[str, object], status: int, code: str
) -> None:
    response = client.post(f"/_emulator/portals/{portal.portal_id}/contacts", json=body)
    assert response.status_code == status
    assert response.json()["code"] == code
    assert response.json()["category"] == "VALIDATION_ERROR"


def test_upsert_contact_on_an_unknown_portal(emulator: Emulator) -> None:
    with pytest.raises(EmulatorError) as refused:
        emulator.upsert_contact(1, "a@x.org")
    assert refused.value.status == 404
