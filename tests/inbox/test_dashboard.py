"""The dashboard end to end: sign in with HubSpot (the real consent flow on the emulator), see
verdicts with their reasons, undo an archive in one click, and everything a stranger's request
must not be able to do."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import httpx
import pytest
from inbox_harness import ADMIN_TOKEN, PUBLIC, Harness
from test_pipeline_e2e import send_ham, send_spam, verdict_of

from hubguard.config import Secret
from hubguard.emulator import PortalInfo
from hubguard.errors import HubSpotError
from hubguard.hubspot.oauth import OAuthClient
from hubguard.inbox.sender_lists import SenderLists
from hubguard.inbox.verdicts import ActionState
from hubguard.models import InstallationStatus
from hubguard.portals import uninstall
from hubguard.web.dashboard import Dashboard, dashboard_router
from hubguard.web.install import InstallFlow, install_router
from hubguard.web.install_state import InstallStateStore
from hubguard.web.sessions import SESSION_COOKIE, SESSION_TTL_SECONDS, DashboardSessionStore

CSRF = re.compile(r'name="csrf" value="([0-9a-f]{64})"')


@pytest.fixture
def dash(hub: Harness) -> Harness:
    """The harness's app with the install flow and the dashboard, as create_app wires them."""
    sessions = DashboardSessionStore(hub.engine, clock=hub.clock)
    oauth = OAuthClient(hub.settings, httpx.Client(transport=hub.emulator.transport()), hub.clock)
    hub.app.include_router(
        install_router(
            InstallFlow(
                settings=hub.settings,
                oauth=oauth,
                vault=hub.vault,
                states=InstallStateStore(hub.engine, clock=hub.clock),
                clock=hub.clock,
                sessions=sessions,
            )
        )
    )
    hub.app.include_router(
        dashboard_router(
            Dashboard(
                settings=hub.settings,
                engine=hub.engine,
                vault=hub.vault,
                sessions=sessions,
                verdicts=hub.verdicts,
                policies=hub.policies,
                feedback=hub.feedback,
                clock=hub.clock,
                hubspot=hub.client,
                lists=SenderLists(hub.classifier, hub.vault),
                admin_token=Secret(ADMIN_TOKEN),
            )
        )
    )
    return hub


def sign_in(
    hub: Harness, portal: PortalInfo, client: httpx.Client | None = None, user_id: int | None = None
) -> str:
    """Click "Sign in with HubSpot", approve on HubSpot's page; returns the dashboard's HTML.

    The first consent installs hubguard (a page with "Open the dashboard"); later ones, while
    the grant is alive, only sign in (straight to the dashboard)."""
    web = client or hub.http
    start = web.get("/dashboard/signin")
    assert (start.status_code, start.headers["location"]) == (303, "/oauth/install")
    authorize = web.get("/oauth/install").headers["location"]
    redirect = hub.emulator.consent(authorize, portal.portal_id, user_id=user_id)
    callback = web.get(redirect.removeprefix(PUBLIC))
    if callback.status_code == 303:
        assert callback.headers["location"] == "/dashboard"
    else:
        assert callback.status_code == 200, callback.text
        assert 'href="/dashboard"' in callback.text
    cookie = callback.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookie if c.startswith(SESSION_COOKIE + "="))
    assert "HttpOnly" in session_cookie
    assert "Secure" in session_cookie
    assert "samesite=lax" in session_cookie.lower()
    page = web.get("/dashboard")
    assert page.status_code == 200
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    return page.text


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match is not None, "the page has no form"
    return match.group(1)


def thread_archived(hub: Harness, portal: PortalInfo, thread_id: str) -> bool:
    api = hub.client.for_portal(portal.portal_id)
    try:
        api.request("GET", f"/conversations/v3/conversations/threads/{thread_id}")
    except HubSpotError:
        thread = api.request(
            "GET", f"/conversations/v3/conversations/threads/{thread_id}?archived=true"
        )
        return bool(thread["archived"])
    return False


def test_signed_out_visitors_see_only_the_sign_in_page(dash: Harness) -> None:
    root = dash.http.get("/dashboard")
    assert root.status_code == 200
    assert "Sign in with HubSpot" in root.text
    assert "/dashboard/signin" in root.text
    forged = dash.http.get("/dashboard", headers={"cookie": f"{SESSION_COOKIE}={'x' * 43}"})
    assert "Sign in with HubSpot" in forged.text
    post = dash.http.post("/dashboard/verdicts/1/not-spam", data={"csrf": "0" * 64})
    assert post.status_code == 401


def test_admin_signs_in_sees_why_and_undoes_an_archive_in_one_click(dash: Harness) -> None:
    portal = dash.emulator.create_portal(users=["ana@shop.example"])
    html = sign_in(dash, portal)
    assert "signed in as ana@shop.example" in html
    assert "No verdicts yet." in html
    assert dash.vault.get(portal.portal_id) is not None  # signing in installed it
    dash.portals.append(portal)
    dash.policies.set(portal.portal_id, portal.inboxes[0].id, "archive")
    spam, ham = send_spam(dash, portal), send_ham(dash, portal)
    dash.run()
    verdict = verdict_of(dash, portal, spam)
    assert verdict.action_state is ActionState.DONE
    assert thread_archived(dash, portal, spam.thread_id)

    html = dash.http.get("/dashboard").text
    assert f'id="verdict-{verdict.id}"' in html
    assert f'id="verdict-{verdict_of(dash, portal, ham).id}"' in html
    assert verdict.reasons[0].split(":")[0] in html  # the reasons, as the comment says them
    assert "Archived, not reviewed (1 due" not in html  # 30 days left: not due this week
    assert "access token valid for" in html
    assert "No scope beyond what hubguard needs." in html
    assert "Scores, last 30 days (2 messages)" in html

    # A form without the page's token (another site, a stale tab) changes nothing.
    refused = dash.http.post(f"/dashboard/verdicts/{verdict.id}/not-spam", data={"csrf": "0" * 64})
    assert refused.status_code == 403
    assert thread_archived(dash, portal, spam.thread_id)
    assert verdict_of(dash, portal, spam).feedback is None

    done = dash.http.post(
        f"/dashboard/verdicts/{verdict.id}/not-spam", data={"csrf": csrf_of(html)}
    )
    assert done.status_code == 303
    assert urlsplit(done.headers["location"]).query == "notice=restored"
    assert not thread_archived(dash, portal, spam.thread_id)
    after = verdict_of(dash, portal, spam)
    assert (after.feedback, after.feedback_by) == ("not_spam", "ana@shop.example")
    assert after.action_state is ActionState.UNDONE
    shown = dash.http.get(done.headers["location"]).text
    assert "the thread is back in the inbox in HubSpot" in shown
    assert "marked not spam by ana@shop.example" in shown
    audit = [e for e in dash.vault.audit_log(portal.portal_id) if e.actor == "ana@shop.example"]
    assert audit, "the correction is audited under the signed-in user"

    # The missed one: mark the ham verdict as spam; the same click twice changes nothing more.
    ham_v = verdict_of(dash, portal, ham)
    token = csrf_of(shown)
    first = dash.http.post(f"/dashboard/verdicts/{ham_v.id}/spam", data={"csrf": token})
    assert urlsplit(first.headers["location"]).query == "notice=spam"
    again = dash.http.post(f"/dashboard/verdicts/{ham_v.id}/spam", data={"csrf": token})
    assert urlsplit(again.headers["location"]).query == "notice=already"
    assert verdict_of(dash, portal, ham).feedback == "spam"


def test_a_session_sees_and_changes_only_its_own_portal(dash: Harness) -> None:
    mine = dash.emulator.create_portal(users=["ana@shop.example"])
    theirs = dash.install(users=["bo@other.example"])
    dash.policies.set(theirs.portal_id, theirs.inboxes[0].id, "archive")
    sent = send_spam(dash, theirs)
    dash.run()
    other = verdict_of(dash, theirs, sent)
    html = sign_in(dash, mine)
    assert f'id="verdict-{other.id}"' not in html
    attempt = dash.http.post(
        f"/dashboard/verdicts/{other.id}/not-spam", data={"csrf": csrf_of(html)}
    )
    assert attempt.status_code == 404
    assert thread_archived(dash, theirs, sent.thread_id)
    assert verdict_of(dash, theirs, sent).feedback is None


def test_sessions_end_on_sign_out_expiry_and_uninstall(dash: Harness) -> None:
    portal = dash.emulator.create_portal(users=["ana@shop.example"])
    html = sign_in(dash, portal)
    cookie = dash.http.cookies[SESSION_COOKIE]
    out = dash.http.post("/dashboard/signout", data={"csrf": csrf_of(html)})
    assert "You are signed out." in out.text
    replay = dash.http.get("/dashboard", headers={"cookie": f"{SESSION_COOKIE}={cookie}"})
    assert "Sign in with HubSpot" in replay.text  # the old cookie opens nothing

    sign_in(dash, portal)
    dash.clock.advance(SESSION_TTL_SECONDS - 60)
    assert "signed in as" in dash.http.get("/dashboard").text
    dash.clock.advance(120)
    assert "Sign in with HubSpot" in dash.http.get("/dashboard").text

    sign_in(dash, portal)
    uninstall(dash.vault, dash.client, portal.portal_id, actor="test")
    assert dash.vault.get(portal.portal_id).status is InstallationStatus.UNINSTALLED  # type: ignore[union-attr]
    gone = dash.http.get("/dashboard").text
    assert f"hubguard is not installed in portal {portal.portal_id}" in gone


def test_signing_in_again_keeps_the_portals_grant_and_installing_user(dash: Harness) -> None:
    portal = dash.emulator.create_portal(users=["ana@shop.example", "ben@shop.example"])
    ana, ben = portal.user_ids
    sign_in(dash, portal, user_id=ana)  # installs
    installed = dash.vault.get(portal.portal_id)
    tokens = dash.vault.credentials(portal.portal_id)
    assert installed is not None

    html = sign_in(dash, portal, user_id=ben)  # a colleague signs in
    assert "signed in as ben@shop.example" in html
    after = dash.vault.get(portal.portal_id)
    assert after == installed  # same installing user, scopes, expiry: nothing rewritten
    assert dash.vault.credentials(portal.portal_id) == tokens  # the stored grant was kept
    operations = [e.operation for e in dash.vault.audit_log(portal.portal_id)]
    assert operations.count("install") == 1
    assert operations[-1] == "signin"
    # The sign-in's own refresh token was revoked at HubSpot; the stored grant still refreshes.
    assert len(dash.emulator.calls("/oauth/2026-03/token/revoke")) == 1
    dash.clock.advance(31 * 60)  # past the access token's 30 minutes
    assert "Support" in dash.http.get("/dashboard").text  # inboxes listed with a fresh token
    refreshed = dash.vault.get(portal.portal_id)
    assert refreshed is not None
    assert refreshed.status is InstallationStatus.ACTIVE
    assert refreshed.last_refresh_at != installed.last_refresh_at

    # A grant that died is replaced by the next consent: that one is a re-authorisation.
    dash.vault.set_status(portal.portal_id, InstallationStatus.NEEDS_REAUTH, error="invalid_grant")
    sign_in(dash, portal, user_id=ben)
    renewed = dash.vault.get(portal.portal_id)
    assert renewed is not None
    assert (renewed.status, renewed.user) == (InstallationStatus.ACTIVE, "ben@shop.example")
    assert [e.operation for e in dash.vault.audit_log(portal.portal_id)].count("install") == 2


def test_the_database_keeps_no_usable_session_value(dash: Harness) -> None:
    import sqlalchemy as sa

    from hubguard.web.sessions import dashboard_sessions

    portal = dash.emulator.create_portal(users=["ana@shop.example"])
    sign_in(dash, portal)
    cookie = dash.http.cookies[SESSION_COOKIE]
    with dash.engine.connect() as conn:
        stored = conn.execute(sa.select(dashboard_sessions)).all()
    assert len(stored) == 1
    assert cookie not in repr(stored)


def test_an_admin_sets_an_inbox_policy_before_its_first_message(dash: Harness) -> None:
    portal = dash.emulator.create_portal(inboxes=["Support", "Careers"], users=["ana@shop.example"])
    html = sign_in(dash, portal)
    support, careers = (i.id for i in portal.inboxes)
    # Both inboxes are listed by name from HubSpot, in shadow mode, before any message.
    assert "Support" in html
    assert "Careers" in html
    assert f'action="/dashboard/inboxes/{careers}/policy"' in html
    dash.policies.set(portal.portal_id, support, "comment", category_modes={"phishing": "archive"})
    token = csrf_of(html)
    url = f"/dashboard/inboxes/{support}/policy"

    refused = [
        dash.http.post(url, data={"csrf": "0" * 64, "mode": "archive"}).status_code,
        dash.http.post(url, data={"csrf": token, "mode": "delete"}).status_code,
        dash.http.post(
            "/dashboard/inboxes/abc/policy", data={"csrf": token, "mode": "archive"}
        ).status_code,
    ]
    assert refused == [403, 422, 404]
    assert dash.policies.get(portal.portal_id, support).mode.value == "comment"  # unchanged

    saved = dash.http.post(url, data={"csrf": token, "mode": "archive"})
    assert urlsplit(saved.headers["location"]).query == "notice=policy"
    policy = dash.policies.get(portal.portal_id, support)
    assert (policy.mode.value, policy.updated_by) == ("archive", "ana@shop.example")
    assert policy.category_mode_names() == {"phishing": "archive"}  # kept as it was
    audit = [e for e in dash.vault.audit_log(portal.portal_id) if e.operation == "inbox.policy"]
    assert [(e.actor, e.detail["mode"]) for e in audit] == [("ana@shop.example", "archive")]
    assert "Policy saved." in dash.http.get(saved.headers["location"]).text

    dash.portals.append(portal)
    sent = send_spam(dash, portal)
    dash.run()
    assert verdict_of(dash, portal, sent).action_state is ActionState.DONE
    assert thread_archived(dash, portal, sent.thread_id)


def test_the_page_still_works_when_hubspot_cannot_list_inboxes(dash: Harness) -> None:
    portal = dash.emulator.create_portal(users=["ana@shop.example"])
    sign_in(dash, portal)
    dash.emulator.revoke_grant(portal.portal_id)  # the admin uninstalled hubguard in HubSpot
    dash.clock.advance(3_600)  # the access token expired: the refresh finds the grant dead
    html = dash.http.get("/dashboard").text
    assert "HubSpot did not list the portal&#39;s inboxes" in html
    assert "Re-authorise in HubSpot" in html


def test_a_correction_hubspot_cannot_carry_out_says_why_and_records_nothing(
    dash: Harness,
) -> None:
    portal = dash.emulator.create_portal(users=["ana@shop.example"])
    html = sign_in(dash, portal)
    dash.portals.append(portal)
    dash.policies.set(portal.portal_id, portal.inboxes[0].id, "archive")
    sent = send_spam(dash, portal)
    dash.run()
    verdict = verdict_of(dash, portal, sent)
    dash.emulator.revoke_grant(portal.portal_id)  # uninstalled in HubSpot, not yet seen here
    dash.clock.advance(3_600)  # the access token expired: restoring needs a refresh, which fails
    url = f"/dashboard/verdicts/{verdict.id}/not-spam"
    refused = dash.http.post(url, data={"csrf": csrf_of(html)})
    assert refused.status_code == 409
    assert "HubSpot access for this portal has ended" in refused.text
    assert verdict_of(dash, portal, sent).feedback is None  # nothing recorded
    api = dash.http.post(
        f"/api/portals/{portal.portal_id}/verdicts/{verdict.id}/not-spam",
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
    )
    assert api.status_code == 409  # the API says the same

    uninstall(dash.vault, dash.client, portal.portal_id, actor="test")
    gone = dash.http.post(url, data={"csrf": csrf_of(html)})
    assert gone.status_code == 401
    assert f"hubguard is not installed in portal {portal.portal_id}" in gone.text


def test_an_admin_blocks_a_domain_and_its_next_message_is_archived(dash: Harness) -> None:
    portal = dash.emulator.create_portal(users=["ana@shop.example"])
    html = sign_in(dash, portal)
    dash.portals.append(portal)
    dash.policies.set(portal.portal_id, portal.inboxes[0].id, "archive")
    token = csrf_of(html)
    assert "Both lists are empty." in html
    bad = dash.http.post(
        "/dashboard/lists", data={"csrf": token, "entry": "no way", "kind": "block"}
    )
    assert bad.status_code == 422
    assert "is not an e-mail address or a domain" in bad.text
    wrong_list = dash.http.post(
        "/dashboard/lists", data={"csrf": token, "entry": "x.example", "kind": "grey"}
    )
    assert wrong_list.status_code == 422
    forged = dash.http.post(
        "/dashboard/lists", data={"csrf": "0" * 64, "entry": "pushy.example", "kind": "block"}
    )
    assert forged.status_code == 403
    assert dash.classifier.lists(portal.portal_id) == ((), ())  # nothing refused was written

    added = dash.http.post(
        "/dashboard/lists", data={"csrf": token, "entry": "Pushy.Example", "kind": "block"}
    )
    assert urlsplit(added.headers["location"]).query == "notice=listed"
    page = dash.http.get(added.headers["location"]).text
    assert "<td>block</td><td>pushy.example</td>" in page
    # An ordinary, harmless message from that domain: the block list decides.
    sent = dash.inbound(
        portal, "Hi, are you open on Saturday?", subject="Opening hours", sender="jo@pushy.example"
    )
    dash.run()
    verdict = verdict_of(dash, portal, sent)
    assert (verdict.is_spam, verdict.action_state) == (True, ActionState.DONE)
    assert any("block list" in r for r in verdict.reasons)
    audit = [e for e in dash.vault.audit_log(portal.portal_id) if e.operation == "spam.list"]
    assert [(e.actor, e.detail["change"], e.detail["entry"]) for e in audit] == [
        ("ana@shop.example", "block", "pushy.example")
    ]

    removed = dash.http.post(
        "/dashboard/lists/remove", data={"csrf": token, "entry": "pushy.example"}
    )
    assert urlsplit(removed.headers["location"]).query == "notice=unlisted"
    assert dash.classifier.lists(portal.portal_id) == ((), ())
    again = dash.http.post(
        "/dashboard/lists/remove", data={"csrf": token, "entry": "pushy.example"}
    )
    assert again.status_code == 404


def test_the_api_edits_lists_too(dash: Harness) -> None:
    auth = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    base = "/api/portals/77/lists"
    assert dash.http.put(f"{base}/allow", json={"entry": "x y"}, headers=auth).status_code == 422
    assert (
        dash.http.put(f"{base}/grey", json={"entry": "a.example"}, headers=auth).status_code == 422
    )
    ok = dash.http.put(
        f"{base}/allow", json={"entry": "Ann@A.Example", "actor": "ops"}, headers=auth
    )
    assert ok.json() == {"entry": "ann@a.example", "list": "allow"}
    assert dash.http.get(base, headers=auth).json() == {"allow": ["ann@a.example"], "block": []}
    assert dash.http.get(base).status_code == 401
    gone = dash.http.delete(base, params={"entry": "ann@a.example"}, headers=auth)
    assert gone.json() == {"entry": "ann@a.example", "removed": True}
    assert (
        dash.http.delete(base, params={"entry": "ann@a.example"}, headers=auth).status_code == 404
    )


def test_an_operator_signs_in_to_a_service_key_portal_with_the_admin_token(dash: Harness) -> None:
    portal = dash.install_service_key(users=["ops@shop.example"])
    dash.policies.set(portal.portal_id, portal.inboxes[0].id, "archive")
    sent = send_spam(dash, portal)
    dash.poller.tick()  # service-key portals have no webhooks: the poller finds the message
    dash.worker.drain()
    verdict = verdict_of(dash, portal, sent)
    assert verdict.action_state is ActionState.DONE

    signin = dash.http.get("/dashboard").text
    assert 'action="/dashboard/signin/token"' in signin
    form = {"token": ADMIN_TOKEN, "portal": str(portal.portal_id)}
    wrong = dash.http.post("/dashboard/signin/token", data={**form, "token": "guess"})
    assert wrong.status_code == 401
    assert SESSION_COOKIE not in dash.http.cookies
    unknown = dash.http.post("/dashboard/signin/token", data={**form, "portal": "12"})
    assert unknown.status_code == 404
    ok = dash.http.post("/dashboard/signin/token", data=form)
    assert (ok.status_code, ok.headers["location"]) == (303, "/dashboard")
    html = dash.http.get("/dashboard").text
    assert "signed in as admin-token" in html
    assert "service_key" in html
    undo = dash.http.post(
        f"/dashboard/verdicts/{verdict.id}/not-spam", data={"csrf": csrf_of(html)}
    )
    assert urlsplit(undo.headers["location"]).query == "notice=restored"
    assert verdict_of(dash, portal, sent).feedback_by == "admin-token"


def test_a_sender_not_spam_trusted_can_be_untrusted_whatever_their_address(
    dash: Harness,
) -> None:
    portal = dash.emulator.create_portal(users=["ana@shop.example"])
    html = sign_in(dash, portal)
    dash.policies.set(portal.portal_id, portal.inboxes[0].id, "archive")
    spam = send_spam(dash, portal, sender="josé@evil-phish.example")
    dash.run()
    verdict = verdict_of(dash, portal, spam)
    html = dash.http.get("/dashboard").text
    dash.http.post(f"/dashboard/verdicts/{verdict.id}/not-spam", data={"csrf": csrf_of(html)})
    assert "josé@evil-phish.example" in dash.classifier.lists(portal.portal_id)[0]
    removed = dash.http.post(
        "/dashboard/lists/remove",
        data={"csrf": csrf_of(html), "entry": "josé@evil-phish.example"},
    )
    assert removed.status_code == 303, removed.text
    assert dash.classifier.lists(portal.portal_id)[0] == ()


def test_only_a_real_sign_out_forgets_the_session_cookie(dash: Harness) -> None:
    portal = dash.emulator.create_portal(users=["ana@shop.example"])
    html = sign_in(dash, portal)
    # Another site's form: sent without the (SameSite=Lax) cookie, answered without touching it.
    cookies = dash.http.cookies
    dash.http.cookies = httpx.Cookies()
    forged = dash.http.post("/dashboard/lists/remove", data={"entry": "x.example"})
    dash.http.cookies = cookies
    assert forged.status_code == 401
    assert "set-cookie" not in forged.headers
    # A stale tab's sign-out (an old page's token) is refused: the session stays.
    stale = dash.http.post("/dashboard/signout", data={"csrf": "0" * 64})
    assert stale.status_code == 403
    assert "set-cookie" not in stale.headers
    assert "signed in as" in dash.http.get("/dashboard").text
    out = dash.http.post("/dashboard/signout", data={"csrf": csrf_of(html)})
    assert "You are signed out." in out.text
    assert SESSION_COOKIE not in dash.http.cookies


def test_older_appears_only_when_there_is_an_older_page(dash: Harness) -> None:
    from hubguard.web.dashboard import PAGE_SIZE

    portal = dash.emulator.create_portal(users=["ana@shop.example"])
    sign_in(dash, portal)
    for n in range(PAGE_SIZE):
        send_ham(dash, portal, sender=f"customer{n}@shop.example")
    dash.run()
    assert "Older" not in dash.http.get("/dashboard").text  # exactly one page
    send_ham(dash, portal, sender="one.more@shop.example")
    dash.run()
    assert "Older" in dash.http.get("/dashboard").text


def test_not_spam_on_a_thread_hubspot_deleted_says_it_could_not_be_restored(
    dash: Harness,
) -> None:
    portal = dash.emulator.create_portal(users=["ana@shop.example"])
    sign_in(dash, portal)
    dash.policies.set(portal.portal_id, portal.inboxes[0].id, "archive")
    spam = send_spam(dash, portal)
    dash.run()
    verdict = verdict_of(dash, portal, spam)
    html = dash.http.get("/dashboard").text
    dash.emulator.privacy_delete_thread(portal.portal_id, spam.thread_id)  # gone for good
    done = dash.http.post(
        f"/dashboard/verdicts/{verdict.id}/not-spam", data={"csrf": csrf_of(html)}
    )
    assert urlsplit(done.headers["location"]).query == "notice=gone"
    assert "could not be restored" in dash.http.get(done.headers["location"]).text


def test_a_correction_returns_to_the_page_and_filter_it_was_made_on(dash: Harness) -> None:
    portal = dash.emulator.create_portal(users=["ana@shop.example"])
    sign_in(dash, portal)
    spam = send_spam(dash, portal)
    send_ham(dash, portal)
    dash.run()
    verdict = verdict_of(dash, portal, spam)
    page = dash.http.get(f"/dashboard?spam_only=1&before_id={verdict.id + 1}").text
    assert f'name="before_id" value="{verdict.id + 1}"' in page
    done = dash.http.post(
        f"/dashboard/verdicts/{verdict.id}/spam",
        data={"csrf": csrf_of(page), "spam_only": "1", "before_id": str(verdict.id + 1)},
    )
    assert done.headers["location"] == (
        f"/dashboard?notice=spam&spam_only=1&before_id={verdict.id + 1}#verdict-{verdict.id}"
    )
