"""Dashboard sessions: who signed in with HubSpot, for which portal, until when.

Signing in is HubSpot's OAuth consent (the install flow): the callback learns the portal and the
user from the new token, and starts a session here. The browser holds a random 256-bit value
(HttpOnly cookie); the database keeps only its SHA-256, so a copy of the table opens nothing.
Sessions are server-side so signing out, or uninstalling, ends them at once for every web
process. A form's CSRF token is an HMAC of the session value: only the browser that holds the
cookie can compute it, and nothing more is stored.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from starlette.responses import Response

from hubguard.clock import Clock, SystemClock
from hubguard.config import Secret, Settings
from hubguard.db import metadata
from hubguard.web.install_state import token_hash

__all__ = [
    "SESSION_COOKIE",
    "SESSION_TTL_SECONDS",
    "DashboardSession",
    "DashboardSessionStore",
    "dashboard_sessions",
    "set_session_cookie",
]

SESSION_COOKIE = "hubguard_session"
SESSION_TTL_SECONDS = 8 * 3600  # a working day; then sign in with HubSpot again

dashboard_sessions = sa.Table(
    "dashboard_sessions",
    metadata,
    sa.Column("session_hash", sa.String(64), primary_key=True),
    sa.Column("portal_id", sa.BigInteger, nullable=False),
    sa.Column("user_email", sa.String(320), nullable=True),
    sa.Column("user_id", sa.BigInteger, nullable=True),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("expires_at", sa.Float, nullable=False),
    sa.Index("ix_dashboard_sessions_portal", "portal_id"),
)


@dataclass(frozen=True)
class DashboardSession:
    """A signed-in HubSpot user and the one portal they may see and act on."""

    portal_id: int
    user_email: str | None
    user_id: int | None
    expires_at: float
    csrf_token: str

    @property
    def actor(self) -> str:
        """How feedback and audit entries name this user."""
        return self.user_email or f"hubspot-user-{self.user_id}"

    def csrf_ok(self, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.csrf_token, str(token))


def _csrf_for(session_value: str) -> str:
    return hmac.new(session_value.encode(), b"hubguard-dashboard-csrf", "sha256").hexdigest()


class DashboardSessionStore:
    """Creates, reads and ends sessions in the database shared by every web process."""

    def __init__(self, engine: Engine, *, clock: Clock | None = None) -> None:
        self._engine = engine
        self._clock = clock or SystemClock()

    def start(self, portal_id: int, *, user_email: str | None, user_id: int | None) -> Secret:
        """A new session; returns the cookie value (shown to nobody but the browser)."""
        value = secrets.token_urlsafe(32)
        now = self._clock.now()
        with self._engine.begin() as conn:
            conn.execute(dashboard_sessions.delete().where(dashboard_sessions.c.expires_at <= now))
            conn.execute(
                dashboard_sessions.insert().values(
                    session_hash=token_hash(value),
                    portal_id=portal_id,
                    user_email=user_email,
                    user_id=user_id,
                    created_at=now,
                    expires_at=now + SESSION_TTL_SECONDS,
                )
            )
        return Secret(value)

    def get(self, value: str | None) -> DashboardSession | None:
        """The live session behind a cookie value, or None (missing, unknown or expired)."""
        if not value or len(value) > 128:
            return None
        with self._engine.connect() as conn:
            row = conn.execute(
                sa.select(dashboard_sessions).where(
                    dashboard_sessions.c.session_hash == token_hash(value)
                )
            ).first()
        if row is None or row.expires_at <= self._clock.now():
            return None
        return DashboardSession(
            portal_id=int(row.portal_id),
            user_email=row.user_email,
            user_id=int(row.user_id) if row.user_id is not None else None,
            expires_at=float(row.expires_at),
            csrf_token=_csrf_for(value),
        )

    def end_portal(self, portal_id: int) -> int:
        """End every session of a portal (an uninstall); returns how many there were."""
        with self._engine.begin() as conn:
            ended = conn.execute(
                dashboard_sessions.delete().where(dashboard_sessions.c.portal_id == portal_id)
            )
        return int(ended.rowcount or 0)

    def end(self, value: str | None) -> None:
        if value:
            with self._engine.begin() as conn:
                conn.execute(
                    dashboard_sessions.delete().where(
                        dashboard_sessions.c.session_hash == token_hash(value)
                    )
                )


def set_session_cookie(response: Response, value: str, settings: Settings) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        value,
        max_age=SESSION_TTL_SECONDS,
        path="/",
        httponly=True,
        secure=settings.public_url.startswith("https://"),
        # Lax: a link from HubSpot to the dashboard arrives signed in; a cross-site POST does not.
        samesite="lax",
    )
