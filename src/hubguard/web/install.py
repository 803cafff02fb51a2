"""The OAuth install flow: ``/oauth/install`` and ``/oauth/callback``.

install: make a single-use state bound to this browser (HttpOnly cookie) and a PKCE pair, then
redirect to HubSpot's authorize page asking only for the scopes the enabled features need.
callback: check the state, exchange the code on the configured token endpoint, introspect the
token to learn the portal, the consenting user and the scopes really granted, and store the
installation. Every failure gets a page that says what happened, and stores nothing. Consent is
also how an admin signs in to the dashboard: a successful callback starts the user's session,
and when the portal's grant is alive and already holds those scopes nothing else changes
(:func:`hubguard.portals.complete_install`): the callback goes straight to the dashboard.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import RedirectResponse, Response

from hubguard.clock import Clock
from hubguard.config import Settings
from hubguard.errors import (
    HubSpotError,
    HubSpotUnavailableError,
    InstallFlowError,
    OAuthError,
)
from hubguard.hubspot.oauth import OAuthClient
from hubguard.hubspot.scopes import scopes_for
from hubguard.portals import Consent, complete_install
from hubguard.vault.protocol import TokenVault
from hubguard.web.install_state import STATE_TTL_SECONDS, InstallStateStore
from hubguard.web.pages import page
from hubguard.web.params import MAX_ID
from hubguard.web.sessions import DashboardSessionStore, set_session_cookie

__all__ = ["COOKIE_NAME", "InstallFlow", "install_router"]

log = logging.getLogger(__name__)

COOKIE_NAME = "hubguard_install"


@dataclass(frozen=True)
class InstallFlow:
    """What the install routes need, injected (the composition root builds it)."""

    settings: Settings
    oauth: OAuthClient
    vault: TokenVault
    states: InstallStateStore
    clock: Clock
    # Called with the portal id after a (re-)install is stored (parked events resume).
    on_installed: Callable[[int], object] | None = None
    # The consenting user is signed in to the dashboard (None: no dashboard).
    sessions: DashboardSessionStore | None = None


def install_router(flow: InstallFlow) -> APIRouter:
    router = APIRouter()
    secure_cookie = flow.settings.public_url.startswith("https://")

    @router.get("/oauth/install", include_in_schema=False)
    def install(portal: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None) -> Response:
        if not (flow.settings.client_id and flow.settings.client_secret):
            return page(
                "No HubSpot app is configured",
                "hubguard cannot be installed through HubSpot here: set HUBGUARD_CLIENT_ID and "
                "HUBGUARD_CLIENT_SECRET from your HubSpot app's Auth tab. A portal connected with "
                "a service key needs no install (hubguard connect).",
                status_code=503,
            )
        required, optional = scopes_for(flow.settings.features)
        start = flow.states.start(account_id=portal)
        url = flow.oauth.authorize_url(
            start.state,
            start.code_challenge,
            scopes=required,
            optional_scopes=optional,
            account_id=portal,
        )
        response = RedirectResponse(url, status_code=302)
        response.set_cookie(
            COOKIE_NAME,
            start.browser_nonce.reveal(),
            max_age=STATE_TTL_SECONDS,
            path="/oauth",
            httponly=True,
            secure=secure_cookie,
            samesite="lax",  # the callback is a top-level GET navigation from HubSpot
        )
        return response

    @router.get("/oauth/callback", include_in_schema=False)
    def callback(request: Request) -> Response:
        params = request.query_params
        cookie = request.cookies.get(COOKIE_NAME)
        try:
            consumed = flow.states.consume(params.get("state"), cookie)
        except InstallFlowError as exc:
            log.warning("install callback refused: %s", exc.code)
            return _fail("The install could not be completed", str(exc), flow.settings)
        if params.get("error"):
            description = params.get("error_description") or params["error"]
            log.info("install consent not given: %s", params["error"])
            return _fail(
                "hubguard was not installed",
                f"HubSpot says: {description}. Nothing was stored.",
                flow.settings,
                status_code=403,
            )
        code = params.get("code")
        if not code:
            return _fail(
                "The install could not be completed", "HubSpot sent no code.", flow.settings
            )
        try:
            consent = complete_install(
                flow.oauth,
                flow.vault,
                code,
                consumed.code_verifier,
                clock=flow.clock,
                expected_portal=consumed.account_id,
            )
        except InstallFlowError as exc:
            status = 400 if exc.code == "wrong_portal" else 502
            title = "Wrong HubSpot account" if exc.code == "wrong_portal" else "HubSpot refused"
            return _fail(title, str(exc), flow.settings, status_code=status)
        except OAuthError as exc:
            log.warning("code exchange refused: %s", exc.error or exc.category)
            return _fail(
                "HubSpot refused the authorization",
                "The authorization code expired or was already used. Nothing was stored.",
                flow.settings,
            )
        except HubSpotUnavailableError:
            return _fail(
                "HubSpot is not answering",
                "The install could not be finished because HubSpot is unavailable. "
                "Nothing was stored; please try again in a few minutes.",
                flow.settings,
                status_code=503,
            )
        except HubSpotError as exc:
            log.warning("install failed at HubSpot: %s", exc.category)
            return _fail("HubSpot refused the install", exc.message, flow.settings, status_code=502)
        installation = consent.installation
        portal_id = installation.portal_id
        if not consent.stored and flow.sessions is not None:
            # A sign-in: the portal's grant is alive and unchanged, so straight to the dashboard.
            to_dashboard = RedirectResponse("/dashboard", status_code=303)
            _start_session(flow.sessions, to_dashboard, consent, flow.settings)
            to_dashboard.delete_cookie(COOKIE_NAME, path="/oauth")
            return to_dashboard
        if flow.on_installed is not None:
            flow.on_installed(portal_id)
        required, _ = scopes_for(flow.settings.features)
        missing = sorted(set(required) - set(installation.scopes_granted))
        lines = [
            f"hubguard is connected to HubSpot portal {portal_id}"
            + (f" ({installation.hub_domain})." if installation.hub_domain else "."),
            "Granted scopes: " + (", ".join(installation.scopes_granted) or "none") + ".",
            "New inboxes start in shadow mode: verdicts are recorded, nothing is changed.",
        ]
        if missing:
            lines.append("Missing required scopes: " + ", ".join(missing) + ".")
        if flow.sessions is None:
            response = page("hubguard is installed", *lines)
        else:
            response = page(
                "hubguard is installed", *lines, link=("/dashboard", "Open the dashboard")
            )
            _start_session(flow.sessions, response, consent, flow.settings)
        response.delete_cookie(COOKIE_NAME, path="/oauth")
        return response

    return router


def _start_session(
    sessions: DashboardSessionStore, response: Response, consent: Consent, settings: Settings
) -> None:
    """Sign the consenting user in to the dashboard of the consent's portal."""
    value = sessions.start(
        consent.installation.portal_id, user_email=consent.user, user_id=consent.user_id
    )
    set_session_cookie(response, value.reveal(), settings)


def _fail(title: str, message: str, settings: Settings, *, status_code: int = 400) -> Response:
    response = page(
        title,
        message,
        status_code=status_code,
        link=(settings.reconsent_url(), "Start the install again"),
    )
    response.delete_cookie(COOKIE_NAME, path="/oauth")
    return response
