"""The dashboard: sign in with HubSpot, see verdicts and why, undo or correct in one click.

Signing in is HubSpot's own consent screen: ``/dashboard/signin`` sends the browser through the
install flow, whose callback starts a session for the portal and user HubSpot names (see
:mod:`hubguard.web.sessions`). A session sees and acts on its own portal only. Pages are
rendered on the server (Jinja2, autoescaped) with no script; every change is a POST form that
carries the session's CSRF token, and is audited under the signed-in user's name.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy.engine import Engine
from starlette.responses import HTMLResponse, RedirectResponse, Response

from hubguard.audit import audit_portal
from hubguard.clock import Clock
from hubguard.config import Settings
from hubguard.errors import HubSpotError, UnknownVerdictError
from hubguard.inbox.feedback import Feedback, FeedbackResult
from hubguard.inbox.policies import PolicyStore
from hubguard.inbox.report import shadow_report
from hubguard.inbox.review import review_digest
from hubguard.inbox.verdicts import VerdictStore
from hubguard.models import InstallationStatus
from hubguard.vault.protocol import TokenVault
from hubguard.web.pages import PAGE_HEADERS, page
from hubguard.web.sessions import SESSION_COOKIE, DashboardSession, DashboardSessionStore

__all__ = ["Dashboard", "dashboard_router"]

log = logging.getLogger(__name__)

PAGE_SIZE = 50

_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(default=True),
    undefined=StrictUndefined,
)

# What a form POST did, named by a fixed code in the redirect (no text from the request is ever
# reflected into the page).
NOTICES = {
    "restored": "Marked not spam: the thread is back in the inbox in HubSpot, the sender is "
    "trusted for this portal and the filter learned from it.",
    "not_spam": "Marked not spam: the sender is trusted for this portal and the filter learned "
    "from it.",
    "spam": "Marked spam: the filter learned from it.",
    "already": "That verdict already had this correction; nothing changed.",
}


@dataclass(frozen=True)
class Dashboard:
    """What the dashboard routes need, injected (the composition root builds it)."""

    settings: Settings
    engine: Engine
    vault: TokenVault
    sessions: DashboardSessionStore
    verdicts: VerdictStore
    policies: PolicyStore
    feedback: Feedback
    clock: Clock


def _notice_code(result: FeedbackResult) -> str:
    if result.already:
        return "already"
    if result.feedback == "spam":
        return "spam"
    return "restored" if result.restored else "not_spam"


def dashboard_router(dash: Dashboard) -> APIRouter:
    router = APIRouter(prefix="/dashboard", include_in_schema=False)

    def signed_out(message: str, *, status_code: int = 200) -> Response:
        response = page(
            "Sign in to hubguard",
            message,
            status_code=status_code,
            link=("/dashboard/signin", "Sign in with HubSpot"),
        )
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    def current(request: Request) -> DashboardSession | None:
        return dash.sessions.get(request.cookies.get(SESSION_COOKIE))

    @router.get("/signin")
    def signin() -> Response:
        # HubSpot's consent screen names the portal and the user; the callback signs them in.
        return RedirectResponse("/oauth/install", status_code=303)

    @router.post("/signout")
    def signout(request: Request, csrf: Annotated[str, Form(max_length=128)] = "") -> Response:
        session = current(request)
        if session is not None and session.csrf_ok(csrf):
            dash.sessions.end(request.cookies.get(SESSION_COOKIE))
        return signed_out("You are signed out.")

    @router.get("")
    def home(
        request: Request,
        spam_only: bool = False,
        before_id: int | None = None,
        notice: Annotated[str | None, Query(max_length=32)] = None,
    ) -> Response:
        session = current(request)
        if session is None:
            return signed_out(
                "See every verdict hubguard made in your HubSpot inbox, why, and undo any in "
                "one click. Sign in with the HubSpot account that installed hubguard."
            )
        inst = dash.vault.get(session.portal_id)
        if inst is None or inst.status is InstallationStatus.UNINSTALLED:
            dash.sessions.end(request.cookies.get(SESSION_COOKIE))
            return signed_out(f"hubguard is not installed in portal {session.portal_id}.")
        now = dash.clock.now()
        rows = dash.verdicts.recent(
            session.portal_id, spam_only=spam_only, limit=PAGE_SIZE, before_id=before_id
        )
        audit = audit_portal(dash.vault, dash.settings, inst)
        html = _templates.get_template("dashboard.html").render(
            session=session,
            portal=audit,
            minutes_left=max(0, int(((inst.access_expires_at or now) - now) // 60)),
            notice=NOTICES.get(notice or ""),
            problem=None,
            review=review_digest(dash.verdicts, session.portal_id, now),
            inboxes=shadow_report(dash.engine, dash.policies, session.portal_id),
            verdicts=[
                {
                    **v.as_json(),
                    "when": time.strftime(
                        "%Y-%m-%d %H:%M", time.gmtime(v.received_at or v.decided_at)
                    ),
                }
                for v in rows
            ],
            spam_only=spam_only,
            next_before_id=rows[-1].id if len(rows) == PAGE_SIZE else None,
        )
        return HTMLResponse(html, headers=PAGE_HEADERS)

    def correct(request: Request, verdict_id: int, csrf: str, label: str) -> Response:
        session = current(request)
        if session is None:
            return signed_out("Your session ended; sign in again.", status_code=401)
        if not session.csrf_ok(csrf):
            # Not a form of ours (or a stale tab): nothing changes.
            log.warning("dashboard form refused: bad CSRF token (portal %s)", session.portal_id)
            return page(
                "Not changed",
                "This form was not sent from your hubguard dashboard, so nothing was changed.",
                status_code=403,
                link=("/dashboard", "Back to the dashboard"),
            )
        try:
            if label == "not_spam":
                [first] = dash.feedback.not_spam(
                    session.portal_id, verdict_id=verdict_id, actor=session.actor
                )
            else:
                first = dash.feedback.mark_spam(session.portal_id, verdict_id, actor=session.actor)
        except UnknownVerdictError:
            return page(
                "No such verdict",
                "This portal has no such verdict; nothing was changed.",
                status_code=404,
                link=("/dashboard", "Back to the dashboard"),
            )
        except HubSpotError as exc:
            return page(
                "HubSpot refused",
                f"HubSpot did not accept the change ({exc.category}); nothing was recorded. "
                "Try again in a minute.",
                status_code=502,
                link=("/dashboard", "Back to the dashboard"),
            )
        return RedirectResponse(
            f"/dashboard?notice={_notice_code(first)}#verdict-{verdict_id}", status_code=303
        )

    @router.post("/verdicts/{verdict_id}/not-spam")
    def not_spam(
        request: Request, verdict_id: int, csrf: Annotated[str, Form(max_length=128)] = ""
    ) -> Response:
        return correct(request, verdict_id, csrf, "not_spam")

    @router.post("/verdicts/{verdict_id}/spam")
    def spam(
        request: Request, verdict_id: int, csrf: Annotated[str, Form(max_length=128)] = ""
    ) -> Response:
        return correct(request, verdict_id, csrf, "spam")

    return router
