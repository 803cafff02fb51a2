"""The dashboard: sign in with HubSpot, see verdicts and why, undo or correct in one click.

Signing in is HubSpot's own consent screen: ``/dashboard/signin`` sends the browser through the
install flow, whose callback starts a session for the portal and user HubSpot names (see
:mod:`hubguard.web.sessions`). A session sees and acts on its own portal only. Pages are
rendered on the server (Jinja2, autoescaped) with no script; every change is a POST form that
carries the session's CSRF token, and is audited under the signed-in user's name.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy.engine import Engine
from starlette.responses import HTMLResponse, RedirectResponse, Response

from hubguard.audit import audit_portal
from hubguard.clock import Clock
from hubguard.config import Secret, Settings
from hubguard.errors import ConfigError, HubguardError, TooManyAttemptsError
from hubguard.hubspot.client import HubSpotClient
from hubguard.hubspot.conversations import Conversations
from hubguard.inbox.feedback import GONE, SPAM, Feedback, FeedbackResult
from hubguard.inbox.policies import Mode, PolicyStore, audit_change
from hubguard.inbox.report import InboxReport, score_histogram, shadow_report
from hubguard.inbox.review import DAY, review_digest
from hubguard.inbox.sender_lists import ListKind, SenderLists
from hubguard.inbox.verdicts import VerdictStore
from hubguard.models import Installation, InstallationStatus
from hubguard.vault.protocol import TokenVault
from hubguard.web.failures import correction_failure
from hubguard.web.pages import PAGE_HEADERS, page
from hubguard.web.params import ID_DIGITS, MAX_ID, BeforeId, VerdictId
from hubguard.web.sessions import (
    SESSION_COOKIE,
    DashboardSession,
    DashboardSessionStore,
    set_session_cookie,
)
from hubguard.web.throttle import SecretThrottle, client_address

__all__ = ["Dashboard", "dashboard_router"]

log = logging.getLogger(__name__)

PAGE_SIZE = 50
ADMIN_SIGN_IN_NAME = "admin-token"  # how a token sign-in is named in feedback and the audit log
HISTOGRAM_DAYS = 30

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
    "gone": "Marked not spam: the sender is trusted for this portal and the filter learned "
    "from it. HubSpot no longer has the thread (deleted for good), so it could not be "
    "restored.",
    "spam": "Marked spam: the filter learned from it.",
    "already": "That verdict already had this correction; nothing changed.",
    "policy": "Policy saved. It applies to the next message of that inbox.",
    "listed": "List entry saved. It applies to the next message from that sender.",
    "unlisted": "List entry removed.",
}
_INBOX_ID = re.compile(ID_DIGITS)


@dataclass(frozen=True)
class PageView:
    """Which page of verdicts a form was sent from (the redirect goes back there)."""

    spam_only: bool = False
    before_id: int | None = None


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
    # Lists the portal's inboxes (with names) so each can get a policy before its first
    # message; None shows only the inboxes hubguard has seen.
    hubspot: HubSpotClient | None = None
    lists: SenderLists | None = None  # None: the page shows no list section
    # Lets an operator sign in without HubSpot (a service-key portal has no OAuth app).
    admin_token: Secret | None = None
    # Counts wrong admin tokens; share the API's, so guesses on both count together. None: the
    # dashboard counts its own.
    throttle: SecretThrottle | None = None


def _notice_code(result: FeedbackResult) -> str:
    if result.already:
        return "already"
    if result.feedback == SPAM:
        return "spam"
    if result.restored == GONE:
        return "gone"
    return "restored" if result.restored else "not_spam"


def dashboard_router(dash: Dashboard) -> APIRouter:
    router = APIRouter(prefix="/dashboard", include_in_schema=False)
    throttle = dash.throttle or SecretThrottle(clock=dash.clock)

    def signed_out(
        message: str, status_code: int = 200, *, forget_cookie: bool = False
    ) -> Response:
        """The sign-in page. The browser's cookie is deleted only where a session was really
        ended here: a cross-site POST (sent without the SameSite=Lax cookie) would otherwise
        sign anyone out, and a stale tab's refused sign-out would drop a live session's
        cookie."""
        html = _templates.get_template("signin.html").render(
            message=message,
            oauth=bool(dash.settings.client_id and dash.settings.client_secret),
            token_form=_token_configured(dash),
        )
        response = HTMLResponse(html, status_code=status_code, headers=PAGE_HEADERS)
        if forget_cookie:
            response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    def current(request: Request) -> DashboardSession | None:
        return dash.sessions.get(request.cookies.get(SESSION_COOKIE))

    @router.get("/signin")
    def signin() -> Response:
        # HubSpot's consent screen names the portal and the user; the callback signs them in.
        return RedirectResponse("/oauth/install", status_code=303)

    @router.post("/signin/token")
    def signin_with_token(
        request: Request,
        token: Annotated[str, Form(max_length=512)] = "",
        portal: Annotated[str, Form(max_length=20)] = "",
    ) -> Response:
        if not _token_configured(dash):
            return signed_out("Signing in with the admin token is off.", 404)
        assert dash.admin_token is not None
        try:
            right = throttle.attempt(client_address(request), token, dash.admin_token)
        except TooManyAttemptsError as exc:
            refused = signed_out(f"{exc}.", 429)
            refused.headers["Retry-After"] = str(exc.retry_after)
            return refused
        if not right:
            log.warning("dashboard sign-in refused: wrong admin token")
            return signed_out("That is not the admin token.", 401)
        # isascii: "²" passes isdigit() but not int(); 18 digits stay inside a BigInteger.
        portal_id = (
            int(portal) if portal.isascii() and portal.isdigit() and len(portal) <= 18 else None
        )
        if portal_id is None or _installed(dash, portal_id) is None:
            return signed_out(f"hubguard is not installed in portal {portal[:20]}.", 404)
        value = dash.sessions.start(portal_id, user_email=ADMIN_SIGN_IN_NAME, user_id=None)
        response = RedirectResponse("/dashboard", status_code=303)
        set_session_cookie(response, value.reveal(), dash.settings)
        return response

    @router.post("/signout")
    def signout(request: Request, csrf: Annotated[str, Form(max_length=128)] = "") -> Response:
        session = current(request)
        if session is None:
            return signed_out("You are signed out.")
        if not session.csrf_ok(csrf):  # a stale tab or another site: the session stays
            return _back("Not signed out", "This form was not sent from your dashboard.", 403)
        dash.sessions.end(request.cookies.get(SESSION_COOKIE))
        return signed_out("You are signed out.", forget_cookie=True)

    @router.get("")
    def home(
        request: Request,
        spam_only: bool = False,
        before_id: BeforeId = None,
        notice: Annotated[str | None, Query(max_length=32)] = None,
    ) -> Response:
        session = current(request)
        if session is None:
            return signed_out(
                "See every verdict hubguard made in your HubSpot inbox, why, and undo any in "
                "one click. Sign in with a HubSpot account that may install apps in the portal."
            )
        inst = _installed(dash, session.portal_id)
        if inst is None:
            dash.sessions.end(request.cookies.get(SESSION_COOKIE))
            return signed_out(
                f"hubguard is not installed in portal {session.portal_id}.", forget_cookie=True
            )
        now = dash.clock.now()
        rows = dash.verdicts.recent(
            session.portal_id, spam_only=spam_only, limit=PAGE_SIZE + 1, before_id=before_id
        )
        # One row more than a page says whether "Older" leads anywhere.
        rows, more = rows[:PAGE_SIZE], len(rows) > PAGE_SIZE
        inboxes, problem = _inboxes(dash, session.portal_id)
        inst = dash.vault.get(session.portal_id) or inst  # listing may have found the grant dead
        audit = audit_portal(dash.vault, dash.settings, inst)
        html = _templates.get_template("dashboard.html").render(
            session=session,
            portal=audit,
            minutes_left=max(0, int(((inst.access_expires_at or now) - now) // 60)),
            notice=NOTICES.get(notice or ""),
            problem=problem,
            modes=[m.value for m in Mode],
            review=review_digest(dash.verdicts, session.portal_id, now),
            histogram=_histogram(dash, session.portal_id, now),
            lists=dash.lists.show(session.portal_id) if dash.lists is not None else None,
            list_kinds=[k.value for k in ListKind],
            inboxes=inboxes,
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
            before_id=before_id,
            next_before_id=rows[-1].id if more else None,
        )
        return HTMLResponse(html, headers=PAGE_HEADERS)

    def form_session(request: Request, csrf: str) -> DashboardSession | Response:
        """The session behind a dashboard form, or the page that refuses it."""
        session = current(request)
        if session is None:
            return signed_out("Your session ended; sign in again.", status_code=401)
        if not session.csrf_ok(csrf):
            # Not a form of ours (or a stale tab): nothing changes.
            log.warning("dashboard form refused: bad CSRF token (portal %s)", session.portal_id)
            return _back("Not changed", "This form was not sent from your hubguard dashboard.", 403)
        if not _installed(dash, session.portal_id):
            dash.sessions.end(request.cookies.get(SESSION_COOKIE))
            return signed_out(
                f"hubguard is not installed in portal {session.portal_id}.",
                401,
                forget_cookie=True,
            )
        return session

    def correct(
        request: Request, verdict_id: VerdictId, csrf: str, label: str, view: PageView
    ) -> Response:
        session = form_session(request, csrf)
        if isinstance(session, Response):
            return session
        try:
            if label == "not_spam":
                [first] = dash.feedback.not_spam(
                    session.portal_id, verdict_id=verdict_id, actor=session.actor
                )
            else:
                first = dash.feedback.mark_spam(session.portal_id, verdict_id, actor=session.actor)
        except HubguardError as exc:
            status, message = correction_failure(exc)
            return _back("Not changed", message[:1].upper() + message[1:] + ".", status)
        # Back to the page and filter the agent was on, at the row they corrected.
        query = f"notice={_notice_code(first)}"
        if view.spam_only:
            query += "&spam_only=1"
        if view.before_id is not None:
            query += f"&before_id={view.before_id}"
        return RedirectResponse(f"/dashboard?{query}#verdict-{verdict_id}", status_code=303)

    @router.post("/verdicts/{verdict_id}/not-spam")
    def not_spam(
        request: Request,
        verdict_id: VerdictId,
        csrf: Annotated[str, Form(max_length=128)] = "",
        spam_only: Annotated[bool, Form()] = False,
        before_id: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
    ) -> Response:
        return correct(request, verdict_id, csrf, "not_spam", PageView(spam_only, before_id))

    @router.post("/verdicts/{verdict_id}/spam")
    def spam(
        request: Request,
        verdict_id: VerdictId,
        csrf: Annotated[str, Form(max_length=128)] = "",
        spam_only: Annotated[bool, Form()] = False,
        before_id: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
    ) -> Response:
        return correct(request, verdict_id, csrf, "spam", PageView(spam_only, before_id))

    @router.post("/inboxes/{inbox_id}/policy")
    def set_policy(
        request: Request,
        inbox_id: str,
        csrf: Annotated[str, Form(max_length=128)] = "",
        mode: Annotated[str, Form(max_length=16)] = "",
    ) -> Response:
        session = form_session(request, csrf)
        if isinstance(session, Response):
            return session
        if not _INBOX_ID.fullmatch(inbox_id):
            return _back("No such inbox", "HubSpot inbox ids are numbers.", 404)
        current_policy = dash.policies.get(session.portal_id, inbox_id)
        try:  # the mode changes; the threshold and per-category modes stay as they were
            policy = dash.policies.set(
                session.portal_id,
                inbox_id,
                mode,
                current_policy.threshold,
                category_modes=current_policy.category_modes,
                actor=session.actor,
            )
        except ConfigError as exc:
            return _back("Not changed", str(exc).rstrip(".") + ".", 422)
        audit_change(dash.vault, policy, session.actor)
        return RedirectResponse("/dashboard?notice=policy#inboxes", status_code=303)

    def change_lists(
        request: Request,
        csrf: str,
        change: Callable[[SenderLists, DashboardSession], bool],
        notice: str,
    ) -> Response:
        session = form_session(request, csrf)
        if isinstance(session, Response):
            return session
        if dash.lists is None:
            return _back("Not available", "Lists are not editable here.", 404)
        try:
            changed = change(dash.lists, session)
        except ConfigError as exc:
            return _back("Not changed", str(exc).rstrip(".") + ".", 422)
        if not changed:
            return _back("Not changed", "That entry is on neither list.", 404)
        return RedirectResponse(f"/dashboard?notice={notice}#lists", status_code=303)

    @router.post("/lists")
    def put_list_entry(
        request: Request,
        csrf: Annotated[str, Form(max_length=128)] = "",
        entry: Annotated[str, Form(max_length=320)] = "",
        kind: Annotated[str, Form(max_length=16)] = "",
    ) -> Response:
        return change_lists(
            request,
            csrf,
            lambda lists, session: bool(lists.put(session.portal_id, entry, kind, session.actor)),
            "listed",
        )

    @router.post("/lists/remove")
    def remove_list_entry(
        request: Request,
        csrf: Annotated[str, Form(max_length=128)] = "",
        entry: Annotated[str, Form(max_length=320)] = "",
    ) -> Response:
        return change_lists(
            request,
            csrf,
            lambda lists, session: lists.remove(session.portal_id, entry, session.actor),
            "unlisted",
        )

    return router


def _histogram(dash: Dashboard, portal_id: int, now: float) -> dict[str, object]:
    """The last 30 days' scores as bars (widths in % of the fullest band)."""
    bands = score_histogram(dash.engine, portal_id, now - HISTOGRAM_DAYS * DAY)
    fullest = max((b.messages for b in bands), default=0) or 1
    return {
        "days": HISTOGRAM_DAYS,
        "total": sum(b.messages for b in bands),
        "bands": [{**asdict(b), "width": round(100 * b.messages / fullest)} for b in bands],
    }


def _token_configured(dash: Dashboard) -> bool:
    return dash.admin_token is not None and bool(dash.admin_token.reveal())


def _installed(dash: Dashboard, portal_id: int) -> Installation | None:
    """The portal's installation, unless it was uninstalled (then its sessions end)."""
    inst = dash.vault.get(portal_id)
    return None if inst is None or inst.status is InstallationStatus.UNINSTALLED else inst


def _back(title: str, message: str, status_code: int) -> Response:
    """A refusal page: what happened, that nothing changed, and the way back."""
    return page(
        title,
        f"{message} Nothing was changed.",
        status_code=status_code,
        link=("/dashboard", "Back to the dashboard"),
    )


def _inboxes(dash: Dashboard, portal_id: int) -> tuple[list[dict[str, object]], str | None]:
    """Every inbox with its numbers and name: the ones HubSpot lists and the ones with
    verdicts or a policy (an inbox deleted in HubSpot keeps its history here)."""
    reports = {r.inbox_id: r for r in shadow_report(dash.engine, dash.policies, portal_id)}
    names: dict[str, str] = {}
    problem = None
    if dash.hubspot is not None:
        try:
            listed = Conversations(dash.hubspot.for_portal(portal_id)).list_inboxes()
        except HubguardError as exc:  # HubSpot down, grant dead: the page still shows the rest
            problem = f"HubSpot did not list the portal's inboxes ({exc}). Showing those seen."
            listed = []
        for inbox in listed:
            names[inbox.id] = inbox.name
            reports.setdefault(inbox.id, InboxReport(inbox.id, Mode.SHADOW.value, None))
    rows = []
    for inbox_id, report in sorted(reports.items(), key=lambda kv: kv[0] or ""):
        policy = dash.policies.get(portal_id, inbox_id) if inbox_id else None
        rows.append(
            {
                **report.as_json(),
                "name": names.get(inbox_id or ""),
                "category_modes": policy.category_mode_names() if policy else {},
            }
        )
    return rows, problem
