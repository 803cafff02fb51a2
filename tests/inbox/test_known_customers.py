"""Known customers through the real gateway and the emulator's CRM: stage or deals spare a sender."""

from __future__ import annotations

import pytest
from inbox_harness import Harness
from test_pipeline_e2e import SPAM, SPAM_SUBJECT, calls, send_spam, setup, verdict_of

from hubguard.emulator import InboundResult, PortalInfo
from hubguard.inbox.hubspot_gateway import is_customer_record
from hubguard.inbox.verdicts import Action, ActionState

THREADS = "/conversations/v3/conversations/threads"
CRM_PROPERTIES = "lifecyclestage,num_associated_deals"


def send_chat_spam(hub: Harness, portal: PortalInfo, sender: str) -> InboundResult:
    """Spam through the chat widget: the sender is a ``V-<contactId>`` visitor, not an address."""
    return hub.inbound(portal, SPAM, subject=SPAM_SUBJECT, sender=sender, channel="chat")


def test_spam_from_a_customer_or_a_deal_holder_is_only_tagged(hub: Harness) -> None:
    portal = setup(hub, "archive")
    pid = portal.portal_id
    hub.emulator.upsert_contact(pid, "buyer@customer.example", lifecyclestage="customer")
    hub.emulator.upsert_contact(
        pid, "partner@dealer.example", lifecyclestage="lead", num_associated_deals=2
    )
    hub.emulator.upsert_contact(
        pid, "lead@prospect.example", lifecyclestage="lead", num_associated_deals=0
    )
    customer = send_spam(hub, portal, sender="buyer@customer.example")
    deal_holder = send_chat_spam(hub, portal, sender="partner@dealer.example")
    lead = send_spam(hub, portal, sender="lead@prospect.example")
    hub.run()

    for spared in (customer, deal_holder):
        v = verdict_of(hub, portal, spared)
        assert (v.is_spam, v.action, v.action_state, v.action_note) == (
            True,
            Action.COMMENT,
            ActionState.DONE,
            "known_contact",
        )
        assert calls(hub, "POST", f"{spared.thread_id}/messages")  # the agents' note
        thread = hub.client.for_portal(pid).request("GET", f"{THREADS}/{spared.thread_id}")
        assert (thread["status"], thread["archived"]) == ("OPEN", False)  # never closed/archived
    v = verdict_of(hub, portal, lead)
    assert (v.is_spam, v.action, v.action_state) == (True, Action.ARCHIVE, ActionState.DONE)
    assert v.action_note != "known_contact"
    assert calls(hub, "DELETE") == [f"{THREADS}/{lead.thread_id}"]
    assert calls(hub, "PATCH") == []

    # One CRM read per sender, both signs in it: by address for e-mail, by visitor id for chat.
    reads = hub.emulator.calls("/crm")
    assert [(c.method, c.status) for c in reads] == [("GET", 200)] * 3
    assert all(c.query["properties"] == CRM_PROPERTIES for c in reads)
    by_path = {c.path: c.query for c in reads}
    assert by_path["/crm/v3/objects/contacts/buyer@customer.example"]["idProperty"] == "email"
    assert "idProperty" not in by_path[f"/crm/v3/objects/contacts/{deal_holder.contact_id}"]
    assert "/crm/v3/objects/contacts/lead@prospect.example" in by_path


def test_without_the_contacts_scope_nobody_is_spared_and_the_crm_is_not_asked(
    hub: Harness,
) -> None:
    portal = hub.install_service_key()  # conversations scopes only
    hub.policies.set(portal.portal_id, portal.inboxes[0].id, "archive")
    hub.emulator.upsert_contact(
        portal.portal_id, "buyer@customer.example", lifecyclestage="customer"
    )
    spam = send_spam(hub, portal, sender="buyer@customer.example")
    hub.poller.tick()  # service-key portals have no webhooks: the poller finds the message
    hub.worker.drain()
    v = verdict_of(hub, portal, spam)
    assert (v.action, v.action_state) == (Action.ARCHIVE, ActionState.DONE)
    assert hub.emulator.calls("/crm") == []


@pytest.mark.parametrize(
    ("properties", "known"),
    [
        ({"lifecyclestage": "customer"}, True),
        ({"lifecyclestage": "Evangelist"}, True),
        ({"lifecyclestage": "lead", "num_associated_deals": "2"}, True),
        ({"lifecyclestage": None, "num_associated_deals": "1"}, True),
        ({"lifecyclestage": "lead", "num_associated_deals": "0"}, False),
        ({"lifecyclestage": "lead"}, False),
        ({"lifecyclestage": "subscriber", "num_associated_deals": None}, False),
        ({"num_associated_deals": ""}, False),
        ({"num_associated_deals": "many"}, False),
        ({"num_associated_deals": "nan"}, False),
        ({"num_associated_deals": "inf"}, False),
        ({"num_associated_deals": 3}, False),  # HubSpot sends strings; anything else is garbage
        ({}, False),
    ],
)
def test_what_makes_a_contact_a_known_customer(properties: dict[str, object], known: bool) -> None:
    assert is_customer_record(properties) is known
