"""OAuth tokens as HubSpot runs them (reference §1.2-1.8): exchange, refresh, introspect, revoke.

Decisions where HubSpot is silent (documented in the README):
- codes live ``EmulatorOptions.code_ttl`` seconds (60 s) and work once;
- an unknown client or a wrong secret is 400 ``invalid_client`` (``BAD_CLIENT_ID`` /
  ``BAD_CLIENT_SECRET``);
- v1 token responses carry only the four documented fields; v3 and 2026-03 add ``hub_id``,
  ``scopes``, ``user_id`` and ``token_use``;
- revoke answers 200 with an empty body, also for unknown tokens (RFC 7009).
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import httpx

from hubguard.clock import Clock
from hubguard.emulator.authorize import consent
from hubguard.emulator.options import EmulatorOptions
from hubguard.emulator.routing import Call
from hubguard.emulator.state import AccessToken, App, Grant, World
from hubguard.emulator.wire import json_response, not_found, oauth_error

__all__ = ["OAuthService", "s256"]


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class OAuthService:
    """Consent, codes, tokens: everything behind ``/oauth/...``."""

    def __init__(self, world: World, clock: Clock, options: EmulatorOptions) -> None:
        self._world = world
        self._clock = clock
        self._options = options

    # consent -------------------------------------------------------------------------------

    def consent(
        self, authorize_url: str, portal_id: int, user_id: int | None, approve: bool
    ) -> str:
        """Approve or deny an authorize URL; see :func:`~hubguard.emulator.authorize.consent`."""
        return consent(
            self._world,
            self._clock.now(),
            self._options.code_ttl,
            authorize_url,
            portal_id,
            user_id,
            approve,
        )

    # token endpoint ------------------------------------------------------------------------

    def _client(self, call: Call, fields: dict[str, str]) -> App:
        cid = call.correlation_id
        app = self._world.app_by_client_id(fields.get("client_id", ""))
        if app is None:
            raise oauth_error(
                "invalid_client", "BAD_CLIENT_ID", "missing or unknown client id", cid
            )
        if fields.get("client_secret") != app.client_secret:
            raise oauth_error(
                "invalid_client", "BAD_CLIENT_SECRET", "missing or invalid client secret", cid
            )
        call.app_id = app.app_id
        return app

    def token(self, call: Call, version: str) -> httpx.Response:
        """``POST /oauth/{v1|v3|2026-03}/token``."""
        fields = call.form()
        if version == "v1":  # legacy clients send some fields as query parameters
            fields = {**{k: v[0] for k, v in call.query.items() if v}, **fields}
        cid = call.correlation_id
        grant_type = fields.get("grant_type")
        if not grant_type:
            raise oauth_error("invalid_request", "BAD_GRANT_TYPE", "missing grant_type", cid)
        app = self._client(call, fields)
        if grant_type == "authorization_code":
            grant, access = self._exchange_code(call, app, fields)
        elif grant_type == "refresh_token":
            grant, access = self._refresh(call, app, fields)
        else:
            raise oauth_error(
                "unsupported_grant_type",
                "BAD_GRANT_TYPE",
                f"unsupported grant_type {grant_type}",
                cid,
            )
        call.portal_id = grant.portal_id
        body: dict[str, Any] = {
            "token_type": "bearer",
            "refresh_token": grant.refresh_token,
            "access_token": access,
            "expires_in": self._options.access_token_ttl,
        }
        if version != "v1":
            body.update(
                hub_id=grant.portal_id,
                scopes=list(grant.scopes),
                user_id=grant.user_id,
                token_use="access_token",  # noqa: S106 - a field name, not a secret
            )
        return json_response(200, body)

    def _exchange_code(self, call: Call, app: App, fields: dict[str, str]) -> tuple[Grant, str]:
        cid = call.correlation_id
        code = self._world.codes.get(fields.get("code", ""))
        if code is None or code.app_id != app.app_id:
            raise oauth_error("invalid_grant", "BAD_AUTH_CODE", "missing or invalid auth code", cid)
        if code.used:
            raise oauth_error("invalid_grant", "BAD_AUTH_CODE", "auth code was already used", cid)
        if call.now >= code.expires_at:
            raise oauth_error("invalid_grant", "EXPIRED_AUTH_CODE", "auth code is expired", cid)
        if fields.get("redirect_uri") != code.redirect_uri:
            raise oauth_error(
                "invalid_grant",
                "BAD_REDIRECT_URI",
                "redirect_uri does not match the one the code was issued for",
                cid,
            )
        if code.code_challenge is not None:
            verifier = fields.get("code_verifier")
            if not verifier or s256(verifier) != code.code_challenge:
                raise oauth_error(
                    "invalid_grant", "BAD_CODE_VERIFIER", "missing or invalid code_verifier", cid
                )
        code.used = True
        grant = Grant(
            id=self._world.next_id("grant", 1),
            app_id=app.app_id,
            portal_id=code.portal_id,
            user_id=code.user_id,
            scopes=code.scopes,
            refresh_token=self._new_refresh_token(),
            created_at=call.now,
        )
        self._world.grants[grant.id] = grant
        assert grant.refresh_token is not None
        self._world.refresh_tokens[grant.refresh_token] = grant.id
        return grant, self._issue_access(grant, call.now)

    def _refresh(self, call: Call, app: App, fields: dict[str, str]) -> tuple[Grant, str]:
        token = fields.get("refresh_token", "")
        grant = self._live_refresh(token)
        if grant is None or grant.app_id != app.app_id:
            raise oauth_error(
                "invalid_grant",
                "BAD_REFRESH_TOKEN",
                "refresh token is invalid, expired or revoked",
                call.correlation_id,
            )
        if self._options.rotate_refresh_tokens:
            del self._world.refresh_tokens[token]
            grant.refresh_token = self._new_refresh_token()
            self._world.refresh_tokens[grant.refresh_token] = grant.id
        return grant, self._issue_access(grant, call.now)

    def _new_refresh_token(self) -> str:
        return "na1-" + self._world.uuid()

    def _issue_access(self, grant: Grant, now: float) -> str:
        raw = self._world.rng.randbytes(90)
        token = "C" + base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")
        self._world.access_tokens[token] = AccessToken(
            grant.id, now + self._options.access_token_ttl
        )
        return token

    def _live_refresh(self, token: str) -> Grant | None:
        grant_id = self._world.refresh_tokens.get(token)
        grant = self._world.grants.get(grant_id) if grant_id is not None else None
        if grant is None or grant.revoked or grant.refresh_token != token:
            return None
        return grant

    def live_access(self, token: str, now: float) -> tuple[AccessToken, Grant] | None:
        """The access token and its grant if alive (not expired, not revoked)."""
        access = self._world.access_tokens.get(token)
        if access is None or access.revoked:
            return None
        grant = self._world.grants[access.grant_id]
        if grant.revoked or now >= access.expires_at:
            return None
        return access, grant

    # introspection and revocation ------------------------------------------------------------

    def _token_owner(self, grant: Grant) -> dict[str, Any]:
        portal = self._world.portals[grant.portal_id]
        user = portal.users.get(grant.user_id)
        return {
            "hub_id": grant.portal_id,
            "hub_domain": portal.hub_domain,
            "user_id": grant.user_id,
            "user": user.email if user else None,
            "scopes": list(grant.scopes),
            "app_id": grant.app_id,
        }

    def _access_info(
        self, token: str, access: AccessToken, grant: Grant, now: float
    ) -> dict[str, Any]:
        app = self._world.apps[grant.app_id]
        expires_ms = int(access.expires_at * 1000)
        return {
            "token": token,
            **self._token_owner(grant),
            "client_id": app.client_id,
            "expires_in": max(0, int(access.expires_at - now)),
            "is_private_distribution": False,
            "signed_access_token": {
                "expiresAt": expires_ms,
                "hubId": grant.portal_id,
                "userId": grant.user_id,
                "appId": grant.app_id,
                "hublet": "na1",
                "installingUserId": grant.user_id,
                "isPrivateDistribution": False,
                "isServiceAccount": False,
                "isUserLevel": False,
                "scopes": "",
                "signature": "",
                "scopeToScopeGroupPks": "",
                "newSignature": "",
                "trialScopes": "",
                "trialScopeToScopeGroupPks": "",
            },
            "token_type": "access",
        }

    def introspect(self, call: Call) -> httpx.Response:
        """``POST /oauth/{v3|2026-03}/token/introspect``: unknown or dead tokens are inactive."""
        fields = call.form()
        app = self._client(call, fields)
        token = fields.get("token", "")
        live = self.live_access(token, call.now)
        if live is not None and live[1].app_id == app.app_id:
            access, grant = live
            call.portal_id = grant.portal_id
            body = self._access_info(token, access, grant, call.now)
            return json_response(200, {"active": True, **body, "token_use": "access_token"})
        grant_r = self._live_refresh(token)
        if grant_r is not None and grant_r.app_id == app.app_id:
            call.portal_id = grant_r.portal_id
            body = {
                "active": True,
                "token": token,
                **self._token_owner(grant_r),
                "client_id": app.client_id,
                "token_type": "refresh",
                "token_use": "refresh_token",
            }
            return json_response(200, body)
        return json_response(200, {"active": False})

    def revoke(self, call: Call) -> httpx.Response:
        """``POST /oauth/{v3|2026-03}/token/revoke``: kills a refresh or access token."""
        fields = call.form()
        app = self._client(call, fields)
        token = fields.get("token", "")
        grant = self._live_refresh(token)
        if grant is not None and grant.app_id == app.app_id:
            call.portal_id = grant.portal_id
            self._world.refresh_tokens.pop(token, None)
            grant.refresh_token = None
        access = self._world.access_tokens.get(token)
        if access is not None and self._world.grants[access.grant_id].app_id == app.app_id:
            access.revoked = True
        return httpx.Response(200)

    # v1 metadata -----------------------------------------------------------------------------

    def v1_access_token(self, call: Call) -> httpx.Response:
        """``GET /oauth/v1/access-tokens/{token}``."""
        token = call.params["token"]
        live = self.live_access(token, call.now)
        if live is None:
            raise not_found("access token not found or expired", call.correlation_id)
        access, grant = live
        call.portal_id, call.app_id = grant.portal_id, grant.app_id
        body = self._access_info(token, access, grant, call.now)
        body.pop("client_id")
        body.pop("is_private_distribution")
        return json_response(200, body)

    def v1_refresh_token(self, call: Call) -> httpx.Response:
        """``GET`` (info) and ``DELETE`` (204) ``/oauth/v1/refresh-tokens/{token}``."""
        token = call.params["token"]
        grant = self._live_refresh(token)
        if grant is None:
            raise not_found("refresh token not found", call.correlation_id)
        call.portal_id, call.app_id = grant.portal_id, grant.app_id
        if call.method == "DELETE":
            # HubSpot: deletes only the refresh token; access tokens live on, the app stays.
            self._world.refresh_tokens.pop(token, None)
            grant.refresh_token = None
            return httpx.Response(204)
        app = self._world.apps[grant.app_id]
        owner = self._token_owner(grant)
        owner.pop("app_id")
        body = {"token": token, **owner, "client_id": app.client_id, "token_type": "refresh"}
        return json_response(200, body)

    def revoke_grants(self, portal_id: int, app_id: int | None) -> int:
        """Uninstall: kill refresh and access tokens of every matching grant. Returns the count."""
        count = 0
        for grant in self._world.grants.values():
            if grant.portal_id == portal_id and (app_id is None or grant.app_id == app_id):
                if not grant.revoked:
                    count += 1
                grant.revoked = True
                if grant.refresh_token:
                    self._world.refresh_tokens.pop(grant.refresh_token, None)
                grant.refresh_token = None
        return count
