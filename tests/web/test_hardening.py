"""Hostile requests found by a review of the web surface: each gets a clear 4xx, never a 500,
changes nothing, and costs the server little."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from web_stack import ADMIN_TOKEN, PUBLIC, Stack

from asgi_client import asgi_client
from hubguard.web.body_limit import MAX_REQUEST_BYTES, BodySizeLimit
from hubguard.web.sessions import SESSION_COOKIE

TOKEN = ADMIN_TOKEN
AUTH = {"Authorization": f"Bearer {TOKEN}"}
HUGE = str(10**30)  # beyond a signed 64-bit id: once an OverflowError / DataError, a 500


def install(stack: Stack, web: Any) -> None:
    response = web.get("/oauth/install")
    redirect = stack.emulator.consent(response.headers["location"], stack.portal.portal_id)
    assert web.get(redirect.removeprefix(PUBLIC)).status_code == 200


def test_uninstall_ends_every_session_and_a_reinstall_revives_none(guarded: Stack) -> None:
    install(guarded, guarded.web)  # the installing admin is signed in
    old_cookie = guarded.web.cookies[SESSION_COOKIE]
    guarded.services.uninstall(guarded.portal.portal_id, actor="test")
    with asgi_client(guarded.asgi, PUBLIC, client=("10.0.0.9", 1)) as colleague:
        install(guarded, colleague)  # someone installs hubguard again
    with asgi_client(guarded.asgi, PUBLIC, client=("10.0.0.7", 1)) as stale:
        page = stale.get("/dashboard", headers={"cookie": f"{SESSION_COOKIE}={old_cookie}"})
    assert "Sign in with HubSpot" in page.text
    assert "signed in as" not in page.text


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"/oauth/install?portal={HUGE}"),
        ("GET", "/oauth/install?portal=-5"),
        ("GET", f"/api/portals/{HUGE}/verdicts"),
        ("GET", f"/api/portals/1/verdicts?before_id={HUGE}"),
        ("GET", f"/api/portals/1/verdicts/{HUGE}"),
        ("POST", f"/api/portals/1/verdicts/{HUGE}/not-spam"),
        ("POST", "/api/portals/1/threads/not-a-thread/not-spam"),
        ("PUT", "/api/portals/1/policies/" + "1" * 65),
        ("DELETE", f"/api/portals/{HUGE}/lists?entry=a.example"),
        ("GET", f"/dashboard?before_id={HUGE}"),
    ],
)
def test_ids_out_of_range_are_422_not_500(guarded: Stack, method: str, path: str) -> None:
    response = guarded.web.request(method, path, headers=AUTH, json={"mode": "shadow"})
    assert response.status_code == 422, response.text


def test_token_sign_in_with_an_odd_portal_number_is_a_page_not_a_500(guarded: Stack) -> None:
    install(guarded, guarded.web)
    for portal in ("²", "99999999999999999999"):
        form = {"token": TOKEN, "portal": portal}
        response = guarded.web.post("/dashboard/signin/token", data=form)
        assert response.status_code == 404
        assert "is not installed in portal" in response.text


def test_an_oversized_body_is_refused_before_the_token_is_even_checked(guarded: Stack) -> None:
    big = b'{"mode": "archive", "actor": "' + b"a" * MAX_REQUEST_BYTES + b'"}'
    for headers in ({}, AUTH):  # no token, and the right one: the size decides first
        response = guarded.web.put(
            "/api/portals/1/policies/1",
            content=big,
            headers={**headers, "content-type": "application/json"},
        )
        assert response.status_code == 413
        assert response.json() == {"detail": f"request body larger than {MAX_REQUEST_BYTES} bytes"}
    assert guarded.web.get("/api/portals/1/policies", headers=AUTH).json()["results"] == []
    # A body within the cap still reaches the route.
    fine = guarded.web.put("/api/portals/1/policies/1", json={"mode": "comment"}, headers=AUTH)
    assert fine.status_code == 200, fine.text


def _run(app: BodySizeLimit, chunks: list[bytes]) -> tuple[list[dict[str, Any]], list[bytes]]:
    """Drive the middleware with a chunked body (no content-length); return what it sent and
    the body the inner app read."""
    sent: list[dict[str, Any]] = []
    messages = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
        for i, c in enumerate(chunks)
    ]

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "path": "/api/x", "headers": [], "method": "POST"}
    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    return sent, seen


seen: list[bytes] = []


async def _inner(scope: Any, receive: Any, send: Any) -> None:
    message = await receive()
    seen.append(message["body"])
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def test_a_chunked_body_is_counted_as_it_arrives() -> None:
    limited = BodySizeLimit(_inner, limit=10)  # type: ignore[arg-type]
    seen.clear()
    sent, read = _run(limited, [b"12345", b"67890", b"X"])
    assert sent[0]["status"] == 413
    assert read == []  # the app never saw a byte of it
    sent, read = _run(limited, [b"12345", b"67890"])
    assert sent[0]["status"] == 200
    assert read == [b"1234567890"]
