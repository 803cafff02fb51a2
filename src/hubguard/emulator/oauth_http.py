"""The ``/oauth/...`` routes: the authorize page, its form, token endpoints and token metadata."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from hubguard.emulator.authorize import AuthorizeError, parse_authorize
from hubguard.emulator.oauth import OAuthService
from hubguard.emulator.pages import CONSENT_ACTION, consent_page, error_page
from hubguard.emulator.routing import Call, Handler, Route
from hubguard.emulator.state import World
from hubguard.emulator.wire import HubSpotReply
from hubguard.errors import EmulatorError

if TYPE_CHECKING:
    from hubguard.emulator.core import Emulator

__all__ = ["OAuthHTTP"]

VERSIONS = ("v1", "v3", "2026-03")


class OAuthHTTP:
    """HTTP adapters over :class:`OAuthService`; none of these routes need a bearer token."""

    def __init__(self, emulator: Emulator, world: World, oauth: OAuthService) -> None:
        self._emulator = emulator
        self._world = world
        self._oauth = oauth

    def routes(self) -> list[Route]:
        routes = [
            Route.make("GET", "/oauth/authorize", self.authorize_page, auth="none"),
            Route.make("GET", "/oauth/{accountId}/authorize", self.authorize_page, auth="none"),
            Route.make("POST", CONSENT_ACTION, self.decision, auth="none"),
            Route.make(
                "GET", "/oauth/v1/access-tokens/{token}", self._oauth.v1_access_token, auth="none"
            ),
            Route.make(
                "GET", "/oauth/v1/refresh-tokens/{token}", self._oauth.v1_refresh_token, auth="none"
            ),
            Route.make(
                "DELETE",
                "/oauth/v1/refresh-tokens/{token}",
                self._oauth.v1_refresh_token,
                auth="none",
            ),
        ]
        for version in VERSIONS:
            routes.append(
                Route.make(
                    "POST", f"/oauth/{version}/token", self._token_handler(version), auth="none"
                )
            )
        for version in ("v3", "2026-03"):
            routes += [
                Route.make(
                    "POST",
                    f"/oauth/{version}/token/introspect",
                    self._oauth.introspect,
                    auth="none",
                ),
                Route.make(
                    "POST", f"/oauth/{version}/token/revoke", self._oauth.revoke, auth="none"
                ),
            ]
        return routes

    def _token_handler(self, version: str) -> Handler:
        def handler(call: Call) -> httpx.Response:
            return self._oauth.token(call, version)

        return handler

    def authorize_page(self, call: Call) -> httpx.Response:
        url = str(call.request.url)
        try:
            request = parse_authorize(self._world, url)
        except AuthorizeError as exc:
            raise error_page_reply(
                400, error_page(exc.code, exc.message), call.correlation_id
            ) from None
        call.app_id = request.app.app_id
        portals = list(self._world.portals.values())
        return httpx.Response(
            200,
            text=consent_page(url, request, portals),
            headers={"content-type": "text/html; charset=utf-8"},
        )

    def decision(self, call: Call) -> httpx.Response:
        """The consent form's POST: redirect (302) to the app with a code or an error."""
        form = call.form()
        portal_raw, _, user_raw = form.get("account", "").partition(":")
        if not portal_raw.isdigit() or not user_raw.isdigit():
            raise error_page_reply(
                400, error_page("BAD_ACCOUNT", "pick an account"), call.correlation_id
            )
        try:
            location = self._emulator.consent(
                form.get("authorize_url", ""),
                int(portal_raw),
                int(user_raw),
                approve=form.get("decision") == "approve",
            )
        except EmulatorError as exc:
            raise error_page_reply(
                400, error_page(exc.code, str(exc)), call.correlation_id
            ) from None
        return httpx.Response(302, headers={"location": location})


def error_page_reply(status: int, body: str, correlation_id: str) -> HubSpotReply:
    """An HTML error page (the authorize page cannot redirect to an unverified URI)."""
    headers = {
        "content-type": "text/html; charset=utf-8",
        "x-hubspot-correlation-id": correlation_id,
    }
    return HubSpotReply(httpx.Response(status, text=body, headers=headers))
