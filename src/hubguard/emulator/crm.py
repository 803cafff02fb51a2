"""CRM contacts: ``GET /crm/v3/objects/contacts/{contactId}`` and the records behind it.

A portal's contacts are made when a visitor first writes in (``ThreadBook.inbound``) or by the
control API (``Emulator.upsert_contact``), keyed by lower-cased e-mail as HubSpot keys them.

The read answers HubSpot's CRM object shape, ``{id, properties, createdAt, updatedAt,
archived}``, with every property value a string:

- ``idProperty=email`` makes the path segment an e-mail address (matched case-insensitively);
  other unique properties are not modelled (400 ``VALIDATION_ERROR``).
- ``properties`` is a comma-separated list, and may be repeated (``hubspot-api-client`` repeats
  it). Requested names outside :data:`CONTACT_PROPERTIES` are ignored, as HubSpot ignores
  properties the object type lacks; a known property the contact has no value for comes back
  ``null``, as HubSpot sends it. ``hs_object_id``, ``createdate`` and ``lastmodifieddate`` are
  always there. Without ``properties`` the answer has HubSpot's default set
  (:data:`DEFAULT_PROPERTIES`).
- ``propertiesWithHistory`` and ``associations`` are accepted and not answered; the emulator
  archives no contact, so ``archived=true`` finds none.
- Unknown contact: 404 ``OBJECT_NOT_FOUND``. Scope: ``crm.objects.contacts.read``, or
  ``crm.objects.contacts.write`` (which HubSpot lets read too); the 403 names the read scope, the
  least one that would do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import httpx

from hubguard.emulator.routing import Call, Route
from hubguard.emulator.state import Contact, Portal, World
from hubguard.emulator.wire import iso, json_response, not_found, validation_error
from hubguard.errors import EmulatorError

__all__ = [
    "CONTACT_PROPERTIES",
    "DEFAULT_PROPERTIES",
    "LIFECYCLE_STAGES",
    "ContactsAPI",
    "contact_json",
    "ensure_contact",
    "upsert_contact",
]

READ, WRITE = "crm.objects.contacts.read", "crm.objects.contacts.write"
# HubSpot's default lifecycle stages, by internal value (custom stages are not modelled).
LIFECYCLE_STAGES = (
    "subscriber",
    "lead",
    "marketingqualifiedlead",
    "salesqualifiedlead",
    "opportunity",
    "customer",
    "evangelist",
    "other",
)
# The properties always in a contact read, whatever was asked for.
ALWAYS = ("createdate", "hs_object_id", "lastmodifieddate")
# What a read without ``properties`` returns.
DEFAULT_PROPERTIES = (*ALWAYS, "email", "firstname", "lastname")
# The slice of HubSpot's contact schema the emulator knows. ``num_associated_deals`` is
# calculated by HubSpot from the contact's deal associations; here it is set by the control API.
CONTACT_PROPERTIES = frozenset(
    {*DEFAULT_PROPERTIES, "lifecyclestage", "num_associated_deals", "phone", "company"}
)


def _stored(contact: Contact, name: str) -> str | None:
    if name == "hs_object_id":
        return contact.id
    if name == "createdate":
        return iso(contact.created_at)
    if name == "lastmodifieddate":
        return iso(contact.updated_at)
    return contact.properties.get(name)


def contact_json(contact: Contact, requested: Sequence[str] | None = None) -> dict[str, Any]:
    """The CRM object as HubSpot sends it; ``requested`` None means the default properties."""
    names = DEFAULT_PROPERTIES if requested is None else (*ALWAYS, *requested)
    wanted = sorted({n for n in names if n in CONTACT_PROPERTIES})
    return {
        "id": contact.id,
        "properties": {name: _stored(contact, name) for name in wanted},
        "createdAt": iso(contact.created_at),
        "updatedAt": iso(contact.updated_at),
        "archived": False,
    }


def ensure_contact(
    world: World, portal: Portal, email: str, name: str | None, now: float
) -> Contact:
    """The contact for an e-mail address, made on first sight (what a visitor writing in does).

    A display name given then becomes ``firstname`` (and ``lastname`` after its first space).
    """
    key = email.lower()
    contact = portal.contacts.get(key)
    if contact is None:
        properties = {"email": key}
        first, _, last = (name or "").strip().partition(" ")
        if first:
            properties["firstname"] = first
        if last.strip():
            properties["lastname"] = last.strip()
        contact = Contact(str(world.next_id("contact", 1001)), now, now, properties)
        portal.contacts[key] = contact
    return contact


def upsert_contact(
    world: World,
    portal: Portal,
    email: str,
    now: float,
    *,
    firstname: str | None = None,
    lifecyclestage: str | None = None,
    num_associated_deals: int | None = None,
) -> Contact:
    """Create or update a contact. None leaves a property as it is; ``""`` clears it."""
    if "@" not in email:
        raise EmulatorError("email must be an e-mail address", code="BAD_CONTACT")
    if lifecyclestage and lifecyclestage not in LIFECYCLE_STAGES:
        raise EmulatorError(
            f"lifecyclestage must be one of {', '.join(LIFECYCLE_STAGES)} (or empty to clear)",
            code="BAD_CONTACT",
        )
    if num_associated_deals is not None and num_associated_deals < 0:
        raise EmulatorError("num_associated_deals must be 0 or more", code="BAD_CONTACT")
    contact = ensure_contact(world, portal, email, None, now)
    changes = {
        "firstname": firstname,
        "lifecyclestage": lifecyclestage,
        "num_associated_deals": (
            str(num_associated_deals) if num_associated_deals is not None else None
        ),
    }
    for name, value in changes.items():
        if value == "":
            contact.properties.pop(name, None)
        elif value is not None:
            contact.properties[name] = value
    contact.updated_at = now
    return contact


class ContactsAPI:
    """The HTTP handler. ``portal_of(call)`` gives the caller's portal (auth already done)."""

    def __init__(self, portal_of: Callable[[Call], Portal]) -> None:
        self._portal_of = portal_of

    def routes(self) -> list[Route]:
        return [
            Route.make(
                "GET",
                "/crm/v3/objects/contacts/{contactId}",
                self.get,
                scope=READ,
                alt_scopes=(WRITE,),
            )
        ]

    def get(self, call: Call) -> httpx.Response:
        ident = call.params["contactId"]
        contact = self._find(call, ident)
        if contact is None or call.q_bool("archived"):
            raise not_found(f"contact {ident} not found", call.correlation_id)
        requested = [p.strip() for v in call.q_all("properties") for p in v.split(",")]
        requested = [p for p in requested if p]
        return json_response(200, contact_json(contact, requested or None))

    def _find(self, call: Call, ident: str) -> Contact | None:
        portal = self._portal_of(call)
        id_property = call.q("idProperty")
        if id_property == "email":
            return portal.contacts.get(ident.lower())
        if id_property not in (None, "hs_object_id"):
            raise validation_error(
                "idProperty must be email or hs_object_id", call.correlation_id, field="idProperty"
            )
        return next((c for c in portal.contacts.values() if c.id == ident), None)
