"""JSON routes for scripts: verdicts, undo / mark spam, policies, allow and block lists, the shadow
report, and the review digest (archived threads HubSpot deletes soon).

Every route needs ``Authorization: Bearer <admin token>`` (``HUBGUARD_ADMIN_TOKEN``): the API is
for scripts across portals, while people sign in to the dashboard with HubSpot. Without a
configured token the API answers 503 and says what to set. Tokens are compared in constant time,
and too many wrong ones from an address answer 429 for a while (:mod:`hubguard.web.throttle`).
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy.engine import Engine

from hubguard.clock import Clock, SystemClock
from hubguard.config import Secret
from hubguard.errors import ConfigError, HubguardError, TooManyAttemptsError
from hubguard.inbox.feedback import Feedback, FeedbackResult
from hubguard.inbox.policies import Policy, PolicyStore, audit_change
from hubguard.inbox.ports import InstallationsAndAudit
from hubguard.inbox.report import shadow_report
from hubguard.inbox.review import HUBSPOT_ARCHIVE_DAYS, review_digest
from hubguard.inbox.sender_lists import SenderLists
from hubguard.inbox.verdicts import VerdictStore
from hubguard.web.failures import correction_failure
from hubguard.web.params import ID_DIGITS, BeforeId, InboxId, PortalId, ThreadId, VerdictId
from hubguard.web.throttle import SecretThrottle, client_address

__all__ = ["api_router"]

log = logging.getLogger(__name__)


class FeedbackBody(BaseModel):
    actor: str = Field(default="admin", max_length=128)


class ListEntryBody(BaseModel):
    entry: str = Field(max_length=320)
    actor: str = Field(default="admin", max_length=128)


class PolicyBody(BaseModel):
    mode: str
    threshold: float | None = None
    category_modes: dict[str, str] | None = None  # e.g. {"phishing": "archive"}
    actor: str = Field(default="admin", max_length=128)


def _policy_json(policy: Policy) -> dict[str, Any]:
    return {
        "inbox_id": policy.inbox_id,
        "mode": policy.mode.value,
        "threshold": policy.threshold,
        "category_modes": policy.category_mode_names(),
    }


def _feedback_json(result: FeedbackResult) -> dict[str, Any]:
    return {
        "verdict_id": result.verdict_id,
        "feedback": result.feedback,
        "restored": result.restored,
        "trusted_sender": result.trusted_sender,
        "learned": result.learned,
        "already": result.already,
    }


def api_router(
    *,
    engine: Engine,
    verdicts: VerdictStore,
    policies: PolicyStore,
    feedback: Feedback,
    admin_token: Secret | None,
    audit: InstallationsAndAudit | None = None,
    clock: Clock | None = None,
    lists: SenderLists | None = None,
    throttle: SecretThrottle | None = None,
    prefix: str = "/api",
) -> APIRouter:
    """The dashboard API, bound to its dependencies. ``audit`` (the vault) records policy changes;
    ``throttle`` counts wrong admin tokens (share the dashboard's, so both count together)."""
    clock = clock or SystemClock()
    throttle = throttle or SecretThrottle(clock=clock)

    def require_admin(
        request: Request, authorization: Annotated[str | None, Header()] = None
    ) -> None:
        if admin_token is None or not admin_token.reveal():
            raise HTTPException(
                503, "the admin API is off: set HUBGUARD_ADMIN_TOKEN to a long random value"
            )
        scheme, _, token = (authorization or "").partition(" ")
        guess = token.strip() if scheme.lower() == "bearer" else ""  # no guess at the token
        try:
            right = throttle.attempt(client_address(request), guess, admin_token)
        except TooManyAttemptsError as exc:
            raise HTTPException(429, str(exc), {"Retry-After": str(exc.retry_after)}) from None
        if not right:
            raise HTTPException(401, "missing or wrong admin token", {"WWW-Authenticate": "Bearer"})

    router = APIRouter(prefix=prefix, dependencies=[Depends(require_admin)])

    @router.get("/portals/{portal_id}/verdicts")
    def list_verdicts(
        portal_id: PortalId,
        inbox_id: Annotated[str | None, Query(pattern=ID_DIGITS)] = None,
        spam_only: bool = False,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        before_id: BeforeId = None,
    ) -> dict[str, Any]:
        rows = verdicts.recent(
            portal_id, inbox_id=inbox_id, spam_only=spam_only, limit=limit + 1, before_id=before_id
        )
        # One row more than asked for says whether there is a next page at all.
        rows, more = rows[:limit], len(rows) > limit
        return {
            "results": [v.as_json() for v in rows],
            "next_before_id": rows[-1].id if more else None,
        }

    @router.get("/portals/{portal_id}/verdicts/{verdict_id}")
    def get_verdict(portal_id: PortalId, verdict_id: VerdictId) -> dict[str, Any]:
        verdict = verdicts.get(portal_id, verdict_id)
        if verdict is None:
            raise HTTPException(404, "no such verdict")
        return verdict.as_json()

    def _run(call: Any) -> dict[str, Any]:
        try:
            results = call()
        except HubguardError as exc:
            raise HTTPException(*correction_failure(exc)) from None
        if isinstance(results, FeedbackResult):
            results = [results]
        return {"results": [_feedback_json(r) for r in results]}

    @router.post("/portals/{portal_id}/verdicts/{verdict_id}/not-spam")
    def not_spam(
        portal_id: PortalId, verdict_id: VerdictId, body: FeedbackBody | None = None
    ) -> Any:
        actor = (body or FeedbackBody()).actor
        return _run(lambda: feedback.not_spam(portal_id, verdict_id=verdict_id, actor=actor))

    @router.post("/portals/{portal_id}/threads/{thread_id}/not-spam")
    def thread_not_spam(
        portal_id: PortalId, thread_id: ThreadId, body: FeedbackBody | None = None
    ) -> Any:
        actor = (body or FeedbackBody()).actor
        return _run(lambda: feedback.not_spam(portal_id, thread_id=thread_id, actor=actor))

    @router.post("/portals/{portal_id}/verdicts/{verdict_id}/spam")
    def mark_spam(
        portal_id: PortalId, verdict_id: VerdictId, body: FeedbackBody | None = None
    ) -> Any:
        actor = (body or FeedbackBody()).actor
        return _run(lambda: feedback.mark_spam(portal_id, verdict_id, actor=actor))

    @router.get("/portals/{portal_id}/policies")
    def get_policies(portal_id: PortalId) -> dict[str, Any]:
        return {
            "default": {"mode": "shadow", "threshold": None, "category_modes": {}},
            "results": [_policy_json(p) for p in policies.for_portal(portal_id)],
        }

    @router.put("/portals/{portal_id}/policies/{inbox_id}")
    def set_policy(portal_id: PortalId, inbox_id: InboxId, body: PolicyBody) -> dict[str, Any]:
        try:
            policy = policies.set(
                portal_id,
                inbox_id,
                body.mode,
                body.threshold,
                category_modes=body.category_modes,
                actor=body.actor,
            )
        except ConfigError as exc:
            raise HTTPException(422, str(exc)) from None
        if audit is not None:
            audit_change(audit, policy, body.actor)
        return _policy_json(policy)

    @router.get("/portals/{portal_id}/shadow-report")
    def get_shadow_report(portal_id: PortalId) -> dict[str, Any]:
        return {"inboxes": [r.as_json() for r in shadow_report(engine, policies, portal_id)]}

    @router.get("/portals/{portal_id}/review")
    def get_review(
        portal_id: PortalId,
        within_days: Annotated[float, Query(gt=0, le=HUBSPOT_ARCHIVE_DAYS)] = 7.0,
    ) -> dict[str, Any]:
        return review_digest(verdicts, portal_id, clock.now(), within_days).as_json()

    if lists is not None:

        @router.get("/portals/{portal_id}/lists")
        def get_lists(portal_id: PortalId) -> dict[str, Any]:
            return lists.show(portal_id)

        @router.put("/portals/{portal_id}/lists/{kind}")
        def put_list_entry(portal_id: PortalId, kind: str, body: ListEntryBody) -> dict[str, Any]:
            try:
                entry = lists.put(portal_id, body.entry, kind, body.actor)
            except ConfigError as exc:
                raise HTTPException(422, str(exc)) from None
            return {"entry": entry, "list": kind}

        @router.delete("/portals/{portal_id}/lists")
        def delete_list_entry(
            portal_id: PortalId,
            entry: Annotated[str, Query(max_length=320)],
            actor: Annotated[str, Query(max_length=128)] = "admin",
        ) -> dict[str, Any]:
            try:
                removed = lists.remove(portal_id, entry, actor)
            except ConfigError as exc:
                raise HTTPException(422, str(exc)) from None
            if not removed:
                raise HTTPException(404, "that entry is on neither list")
            return {"entry": entry, "removed": True}

    return router
