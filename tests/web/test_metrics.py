"""/metrics in Prometheus's text format: the queue, its lag, installations; aggregates only."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families
from web_stack import Stack

from hubguard.clock import FakeClock
from hubguard.inbox.events import NewEvent


def _samples(stack: Stack) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = stack.web.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }


def test_metrics_show_the_queue_its_lag_and_installations(stack: Stack, clock: FakeClock) -> None:
    before = _samples(stack)
    assert before[("hubguard_events", (("status", "pending"),))] == 0
    assert before[("hubguard_oldest_pending_event_age_seconds", ())] == 0
    active_oauth = ("hubguard_installations", (("auth_type", "oauth"), ("status", "active")))
    assert before[active_oauth] == 0

    authorize = stack.web.get("/oauth/install").headers["location"]
    redirect = stack.emulator.consent(authorize, stack.portal.portal_id)
    assert stack.web.get(redirect.removeprefix("http://localhost:8000")).status_code == 200
    event = NewEvent(
        portal_id=stack.portal.portal_id,
        subscription_id=1,
        event_id=1,
        occurred_at=int(clock.now() * 1000),
        subscription_type="conversation.newMessage",
        object_id="t1",
        message_id="m1",
        message_type="MESSAGE",
    )
    stack.services.pipeline.events.add([event])  # no worker runs here: it waits
    clock.advance(42)

    after = _samples(stack)
    assert after[("hubguard_events", (("status", "pending"),))] == 1
    assert after[("hubguard_oldest_pending_event_age_seconds", ())] == 42
    assert after[active_oauth] == 1
    assert after[("hubguard_portals_with_refresh_failures", ())] == 0
    text = stack.web.get("/metrics").text
    assert str(stack.portal.portal_id) not in text  # aggregates only: no portal, user or secret
    assert "ann@example.com" not in text
