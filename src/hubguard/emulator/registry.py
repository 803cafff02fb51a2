"""Building apps and portals: the records behind ``create_app`` / ``create_portal``."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from hubguard.emulator.info import AppInfo, InboxInfo, PortalInfo, UserInfo
from hubguard.emulator.ratelimit import TIERS
from hubguard.emulator.state import (
    CHANNEL_CHAT,
    CHANNEL_EMAIL,
    CHANNEL_FORM,
    DEFAULT_PORTAL_SCOPES,
    App,
    ChannelAccount,
    Inbox,
    Portal,
    Subscription,
    User,
    World,
)
from hubguard.errors import EmulatorError

__all__ = ["app_info", "build_app", "build_portal", "portal_info"]


def build_app(
    world: World,
    now: float,
    *,
    name: str,
    redirect_uris: Sequence[str],
    scopes: Sequence[str],
    optional_scopes: Sequence[str],
    webhook_url: str | None,
    subscriptions: Iterable[str | Mapping[str, Any]],
) -> App:
    """Register an app in ``world``; its subscriptions are active at once."""
    for uri in redirect_uris:
        problem = _redirect_uri_problem(uri)
        if problem:
            raise EmulatorError(
                f"redirect URI {uri} {problem}; HubSpot takes https://<domain>/... "
                "or http://localhost[:port]/...",
                code="BAD_REDIRECT_URI",
            )
    app_id = world.next_id("app", 1_000_001)
    app = App(
        app_id=app_id,
        client_id=world.uuid(),
        client_secret=world.uuid(),
        developer_api_key=world.uuid(),
        redirect_uris=tuple(redirect_uris),
        scopes=tuple(scopes),
        optional_scopes=tuple(optional_scopes),
        name=name,
        webhook_url=webhook_url,
        webhook_settings_created_at=now if webhook_url else None,
        webhook_settings_updated_at=now if webhook_url else None,
    )
    for sub in subscriptions:
        spec = {"eventType": sub} if isinstance(sub, str) else dict(sub)
        if not isinstance(spec.get("eventType"), str):
            raise EmulatorError("each subscription needs an eventType", code="BAD_SUBSCRIPTION")
        app.subscriptions.append(
            Subscription(
                id=world.next_id("subscription", 5001),
                event_type=spec["eventType"],
                property_name=spec.get("propertyName"),
                active=bool(spec.get("active", True)),
                created_at=now,
            )
        )
    world.apps[app_id] = app
    return app


def _redirect_uri_problem(uri: str) -> str | None:
    """What HubSpot would object to in a redirect URL (reference §1.1): it must be https, except
    http on localhost, and its host must be a domain, not an IP address."""
    try:
        parts = urlsplit(uri)
        host = parts.hostname or ""
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return "is not a URL"
    if not host:
        return "has no host"
    if _is_ip(host):
        return "names an IP address, not a domain"
    if parts.scheme == "https" or (parts.scheme == "http" and host == "localhost"):
        return None
    return "must use https (http is allowed only for localhost)"


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def app_info(app: App) -> AppInfo:
    return AppInfo(
        app_id=app.app_id,
        client_id=app.client_id,
        client_secret=app.client_secret,
        developer_api_key=app.developer_api_key,
        redirect_uris=app.redirect_uris,
        scopes=app.scopes,
        optional_scopes=app.optional_scopes,
        webhook_url=app.webhook_url,
        subscriptions=tuple(s.event_type for s in app.subscriptions),
    )


def build_portal(
    world: World,
    now: float,
    *,
    tier: str,
    inboxes: Iterable[str | Mapping[str, str]],
    users: Iterable[str | Mapping[str, str]],
    scopes: Iterable[str] | None,
    api_limit_increase: bool,
    hub_domain: str | None,
) -> Portal:
    """A portal with its users and inboxes, stored in ``world`` only when valid."""
    if tier not in TIERS:
        raise EmulatorError(f"tier must be one of {', '.join(TIERS)}", code="BAD_TIER")
    portal_id = world.next_id("portal", 40_000_001)
    portal = Portal(
        portal_id=portal_id,
        tier=tier,
        api_limit_increase=api_limit_increase,
        hub_domain=hub_domain or f"portal{portal_id}.example.com",
        scopes=frozenset(DEFAULT_PORTAL_SCOPES if scopes is None else scopes),
    )
    for raw in users:
        spec = {"email": raw} if isinstance(raw, str) else dict(raw)
        email = spec.get("email")
        if not email:
            raise EmulatorError("each user needs an email", code="BAD_USER")
        user = User(
            id=world.next_id("user", 9_000_001),
            email=email,
            first_name=spec.get("first_name", email.split("@")[0].capitalize()),
            last_name=spec.get("last_name", ""),
        )
        portal.users[user.id] = user
    if not portal.users:
        raise EmulatorError("a portal needs at least one user", code="BAD_USER")
    for raw in inboxes:
        _add_inbox(world, portal, {"name": raw} if isinstance(raw, str) else dict(raw), now)
    if not portal.inboxes:
        raise EmulatorError("a portal needs at least one inbox", code="BAD_INBOX")
    world.portals[portal_id] = portal
    return portal


def _add_inbox(world: World, portal: Portal, spec: Mapping[str, str], now: float) -> None:
    name = spec.get("name") or "Inbox"
    inbox_id = str(world.next_id("inbox", 300_001))
    slug = "".join(c for c in name.lower() if c.isalnum()) or "inbox"
    email = spec.get("email") or f"{slug}@{portal.hub_domain}"
    inbox = Inbox(id=inbox_id, name=name, created_at=now, email_address=email)
    for channel_id, label in (
        (CHANNEL_EMAIL, email),
        (CHANNEL_CHAT, f"{name} chat"),
        (CHANNEL_FORM, f"{name} form"),
    ):
        account = ChannelAccount(
            id=str(world.next_id("channel-account", 800_001)),
            channel_id=channel_id,
            inbox_id=inbox_id,
            name=label,
            created_at=now,
            delivery_identifier=(
                {"type": "HS_EMAIL_ADDRESS", "value": email}
                if channel_id == CHANNEL_EMAIL
                else None
            ),
        )
        inbox.accounts[channel_id] = account
    portal.inboxes[inbox_id] = inbox


def portal_info(portal: Portal) -> PortalInfo:
    return PortalInfo(
        portal_id=portal.portal_id,
        tier=portal.tier,
        hub_domain=portal.hub_domain,
        inboxes=tuple(
            InboxInfo(
                id=i.id,
                name=i.name,
                email_address=i.email_address,
                email_account_id=i.accounts[CHANNEL_EMAIL].id,
                chat_account_id=i.accounts[CHANNEL_CHAT].id,
                form_account_id=i.accounts[CHANNEL_FORM].id,
            )
            for i in portal.inboxes.values()
        ),
        users=tuple(UserInfo(u.id, u.email) for u in portal.users.values()),
        scopes=tuple(sorted(portal.scopes)),
    )
