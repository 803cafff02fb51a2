"""The authorize step (reference §1.1): validating an authorize URL and the user's consent.

A URL that names an unknown client or an unregistered redirect URI cannot be redirected to, so it
raises :class:`AuthorizeError` (an HTML error page, or ``EmulatorError`` from the Python API).
Everything the user decides is answered by a redirect: ``code`` + ``state``, or ``error`` +
``error_description``. Codes live ``code_ttl`` seconds and work once.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from hubguard.emulator.state import App, AuthCode, World

__all__ = ["AuthorizeError", "AuthorizeRequest", "consent", "parse_authorize", "with_query"]


class AuthorizeError(Exception):
    """The authorize request is invalid and cannot be redirected (bad client or redirect URI)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class AuthorizeRequest:
    """A validated authorize URL."""

    app: App
    redirect_uri: str
    scopes: tuple[str, ...]
    optional_scopes: tuple[str, ...]
    state: str | None
    code_challenge: str | None
    pinned_portal: int | None


def _split_scopes(raw: str | None) -> tuple[str, ...]:
    return tuple(s for s in (raw or "").replace("+", " ").split(" ") if s)


def parse_authorize(world: World, url: str) -> AuthorizeRequest:
    """Validate an authorize URL (any host) the way HubSpot's authorize page does."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    pinned: int | None = None
    if segments == ["oauth", "authorize"]:
        pass
    elif len(segments) == 3 and segments[0] == "oauth" and segments[2] == "authorize":
        if not segments[1].isdigit():
            raise AuthorizeError("BAD_ACCOUNT_ID", "the account id in the path is not a number")
        pinned = int(segments[1])
    else:
        raise AuthorizeError("BAD_AUTHORIZE_URL", "not an /oauth/authorize URL")
    query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    app = world.app_by_client_id(query.get("client_id", ""))
    if app is None:
        raise AuthorizeError("BAD_CLIENT_ID", "unknown or missing client_id")
    redirect_uri = query.get("redirect_uri", "")
    if redirect_uri not in app.redirect_uris:
        raise AuthorizeError("BAD_REDIRECT_URI", "redirect_uri is not registered for this app")
    scopes = _split_scopes(query.get("scope"))
    missing = [s for s in app.scopes if s not in scopes]
    if missing:
        raise AuthorizeError(
            "SCOPE_MISMATCH",
            "the scope parameter must include every required scope of the app; missing: "
            + " ".join(missing),
        )
    unknown = [s for s in scopes if s not in app.scopes and s not in app.optional_scopes]
    if unknown:
        raise AuthorizeError(
            "SCOPE_MISMATCH", "scopes not configured on the app: " + " ".join(unknown)
        )
    challenge = query.get("code_challenge")
    method = query.get("code_challenge_method")
    if challenge is not None and method != "S256":
        raise AuthorizeError("BAD_CODE_CHALLENGE", "code_challenge_method must be S256")
    if method is not None and challenge is None:
        raise AuthorizeError("BAD_CODE_CHALLENGE", "code_challenge_method without code_challenge")
    # Tokens carry only scopes the app configured (reference §1.1, "Scopes behaviour"). The
    # reference does not say whether HubSpot refuses an optional_scope the app did not configure
    # or drops it; UNCONFIRMED (unverified): it is dropped silently, as optional scopes the
    # account lacks are (§1.1 table).
    optional = tuple(
        s for s in _split_scopes(query.get("optional_scope")) if s in app.optional_scopes
    )
    return AuthorizeRequest(
        app=app,
        redirect_uri=redirect_uri,
        scopes=scopes,
        optional_scopes=optional,
        state=query.get("state"),
        code_challenge=challenge,
        pinned_portal=pinned,
    )


def with_query(url: str, params: dict[str, str]) -> str:
    """``url`` with ``params`` appended to its query string."""
    parts = urlsplit(url)
    query = parts.query + ("&" if parts.query else "") + urlencode(params)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def consent(
    world: World,
    now: float,
    code_ttl: int,
    authorize_url: str,
    portal_id: int,
    user_id: int | None,
    approve: bool,
) -> str:
    """Approve or deny an authorize URL for a portal/user; returns the redirect URL.

    Raises :class:`AuthorizeError` when the request cannot be redirected at all.
    """
    req = parse_authorize(world, authorize_url)
    portal = world.portals.get(portal_id)
    if portal is None:
        raise AuthorizeError("BAD_PORTAL", f"no portal {portal_id}")
    if req.pinned_portal is not None and req.pinned_portal != portal_id:
        raise AuthorizeError("BAD_PORTAL", "this authorize URL is pinned to another account")
    if user_id is None:
        user_id = next(iter(portal.users))
    if user_id not in portal.users:
        raise AuthorizeError("BAD_USER", f"user {user_id} is not in portal {portal_id}")
    extra = {"state": req.state} if req.state is not None else {}
    if not approve:
        params = {"error": "access_denied", "error_description": "The user denied access"}
        return with_query(req.redirect_uri, {**params, **extra})
    lacking = [s for s in req.scopes if s not in portal.scopes]
    if lacking:
        params = {
            "error": "invalid_scope",
            "error_description": "This account lacks required scopes: " + " ".join(lacking),
        }
        return with_query(req.redirect_uri, {**params, **extra})
    granted = req.scopes + tuple(
        s for s in req.optional_scopes if s in portal.scopes and s not in req.scopes
    )
    code = world.uuid()
    world.codes[code] = AuthCode(
        code=code,
        app_id=req.app.app_id,
        portal_id=portal_id,
        user_id=user_id,
        redirect_uri=req.redirect_uri,
        scopes=granted,
        code_challenge=req.code_challenge,
        expires_at=now + code_ttl,
    )
    return with_query(req.redirect_uri, {"code": code, **extra})
