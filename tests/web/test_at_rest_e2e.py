"""No token the emulator ever issued is stored in plaintext, after a real install, refreshes
and a service-key connection, on SQLite and on PostgreSQL."""

from __future__ import annotations

from web_stack import PUBLIC, build_stack

from at_rest import assert_nowhere_at_rest
from hubguard.clock import FakeClock
from hubguard.config import Secret
from hubguard.portals import connect_service_key


def test_no_issued_secret_at_rest(database_url: str, clock: FakeClock) -> None:
    stack = build_stack(clock, database_url)
    try:
        start = stack.web.get("/oauth/install")
        redirect = stack.emulator.consent(start.headers["location"], stack.portal.portal_id)
        assert stack.web.get(redirect.removeprefix(PUBLIC)).status_code == 200
        client = stack.services.hubspot.for_portal(stack.portal.portal_id)
        for _ in range(3):  # three refreshes: three more access tokens
            clock.advance(1800)
            client.request("GET", "/conversations/v3/conversations/inboxes")
        other = stack.emulator.create_portal()
        key = stack.emulator.create_service_key(
            other.portal_id, ["conversations.read", "conversations.write"]
        )
        connect_service_key(
            stack.services.vault, stack.services.hubspot, other.portal_id, Secret(key)
        )
        issued = stack.emulator.issued_secrets()
        assert len(issued) >= 7  # client secret, code, 4 access tokens, refresh token, key
        token_calls = [
            c for c in stack.emulator.calls("/oauth/2026-03/token") if c.path.endswith("/token")
        ]
        assert len(token_calls) == 4  # the code exchange and three refreshes
        assert_nowhere_at_rest(stack.services.vault.engine, database_url, issued)
    finally:
        stack.web.close()
        stack.services.close()
        stack.emulator.close()
