"""Who is calling: bearer access tokens and service keys, scopes, developer API keys.

Error bodies follow reference §1.8: 401 ``INVALID_AUTHENTICATION`` (with the
``x-hubspot-auth-failure`` header), 401 ``EXPIRED_AUTHENTICATION`` ("expired N second(s) ago",
``context["expire time"]``) and 403 ``MISSING_SCOPES`` (``context.missingScopes``).
"""

from __future__ import annotations

from hubguard.emulator.oauth import OAuthService
from hubguard.emulator.routing import Call, Principal
from hubguard.emulator.state import App, World
from hubguard.emulator.wire import HubSpotReply, error_body, error_response, iso

__all__ = ["Authenticator"]

_NOT_FOUND_MESSAGE = (
    "Authentication credentials not found. This API supports OAuth 2.0 authentication and you "
    "can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"
)
_SCOPES_MESSAGE = (
    "This app hasn't been granted all required scopes to make this call. Read more about "
    "required scopes here: https://developers.hubspot.com/scopes"
)


class Authenticator:
    """Turns an ``Authorization: Bearer`` header into a :class:`Principal`, or HubSpot's 401."""

    def __init__(self, world: World, oauth: OAuthService) -> None:
        self._world = world
        self._oauth = oauth

    def _invalid(self, call: Call, message: str = _NOT_FOUND_MESSAGE) -> HubSpotReply:
        body = error_body(message, "INVALID_AUTHENTICATION", call.correlation_id)
        headers = {"x-hubspot-auth-failure": "401 Unauthorized"}
        return HubSpotReply(error_response(401, body, call.correlation_id, headers))

    def bearer(self, call: Call) -> Principal:
        header = call.request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise self._invalid(call)
        key = self._world.service_keys.get(token)
        if key is not None:
            if key.revoked:
                raise self._invalid(call)
            call.auth_kind, call.portal_id = "service_key", key.portal_id
            return Principal("service_key", key.portal_id, frozenset(key.scopes), key_id=key.key_id)
        access = self._world.access_tokens.get(token)
        if access is None or access.revoked:
            raise self._invalid(call)
        grant = self._world.grants[access.grant_id]
        call.auth_kind, call.portal_id, call.app_id = "oauth", grant.portal_id, grant.app_id
        if grant.revoked:
            raise self._invalid(call)
        if call.now >= access.expires_at:
            ago = int(call.now - access.expires_at)
            body = error_body(
                f"The OAuth token used to make this call expired {ago} second(s) ago.",
                "EXPIRED_AUTHENTICATION",
                call.correlation_id,
                context={"expire time": [iso(access.expires_at)]},
            )
            raise HubSpotReply(error_response(401, body, call.correlation_id))
        return Principal(
            "oauth",
            grant.portal_id,
            frozenset(grant.scopes),
            app_id=grant.app_id,
            user_id=grant.user_id,
        )

    @staticmethod
    def require_scope(
        call: Call, principal: Principal, scope: str, alternatives: tuple[str, ...] = ()
    ) -> None:
        """Pass when the bearer holds ``scope`` or one of ``alternatives``; else the 403, which
        names ``scope`` only (the least privilege that would do)."""
        if scope in principal.scopes or not principal.scopes.isdisjoint(alternatives):
            return
        body = error_body(
            _SCOPES_MESSAGE,
            "MISSING_SCOPES",
            call.correlation_id,
            context={"missingScopes": [scope], "requiredGranularScopes": [scope]},
            errors=[
                {
                    "message": "One or more of the following scopes are required.",
                    "context": {"requiredGranularScopes": [scope]},
                }
            ],
            links={"scopes": "https://developers.hubspot.com/scopes"},
        )
        raise HubSpotReply(error_response(403, body, call.correlation_id))

    def developer_app(self, call: Call) -> App:
        """The app whose developer API key is in ``?hapikey=`` and whose id is in the path."""
        key = call.q("hapikey")
        app = (
            self._world.apps.get(int(call.params["appId"]))
            if call.params["appId"].isdigit()
            else None
        )
        if key is None or app is None or key != app.developer_api_key:
            raise self._invalid(call, "The API key provided is invalid.")
        call.auth_kind, call.app_id = "developer_key", app.app_id
        return app
