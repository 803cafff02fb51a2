"""HubSpot's webhook body (a JSON array of events) -> :class:`NewEvent` values.

Called only after the signature was verified. Strict about what the pipeline relies on (the four
key fields are integers, ``subscriptionType`` a string) and lenient about everything else, since
HubSpot adds fields over time.
"""

from __future__ import annotations

import json
from typing import Any

from hubguard.errors import MalformedEventError
from hubguard.inbox.events import NewEvent

__all__ = ["MAX_EVENTS", "parse_events"]

MAX_EVENTS = 1000  # HubSpot sends at most 100; anything far bigger is not HubSpot


def _int(event: dict[str, Any], name: str) -> int:
    value = event.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise MalformedEventError(f"event field {name!r} must be an integer")
    if not 0 <= value < 2**63:  # the events table's BIGINT: beyond it the batch never stores
        raise MalformedEventError(f"event field {name!r} is out of range")
    return value


def _opt_str(event: dict[str, Any], name: str) -> str | None:
    value = event.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise MalformedEventError(f"event field {name!r} must be a string or a number")
    return str(value)


def parse_events(body: bytes) -> list[NewEvent]:
    """Parse a verified body; raises MalformedEventError for anything not HubSpot-shaped."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # undecodable, not JSON, nested beyond reason
        raise MalformedEventError("webhook body is not JSON") from None
    if not isinstance(data, list) or len(data) > MAX_EVENTS:
        raise MalformedEventError("webhook body must be a JSON array of events")
    parsed = []
    for item in data:
        if not isinstance(item, dict):
            raise MalformedEventError("every webhook event must be a JSON object")
        kind = item.get("subscriptionType")
        if not isinstance(kind, str) or not kind:
            raise MalformedEventError("event field 'subscriptionType' must be a string")
        parsed.append(
            NewEvent(
                portal_id=_int(item, "portalId"),
                subscription_id=_int(item, "subscriptionId"),
                event_id=_int(item, "eventId"),
                occurred_at=_int(item, "occurredAt"),
                subscription_type=kind,
                object_id=_opt_str(item, "objectId"),
                message_id=_opt_str(item, "messageId"),
                message_type=_opt_str(item, "messageType"),
                property_name=_opt_str(item, "propertyName"),
                property_value=_opt_str(item, "propertyValue"),
            )
        )
    return parsed
