"""The end-to-end path on SQLite and on the real PostgreSQL server."""

from __future__ import annotations

import inbox_crash
import pytest
from inbox_harness import Harness
from test_pipeline_e2e import calls, send_ham, send_spam, setup, verdict_of

from hubguard.inbox.verdicts import Action, ActionState


def test_webhook_to_action_exactly_once_on_every_backend(hub_any: Harness) -> None:
    hub = hub_any
    portal = setup(hub, "comment")
    spam, ham = send_spam(hub, portal), send_ham(hub, portal)
    hub.deliver()
    with pytest.raises(inbox_crash.Crash):
        inbox_crash.run_once_crashing(hub)
    inbox_crash.restart(hub)
    hub.run()
    assert verdict_of(hub, portal, spam).action_state is ActionState.DONE
    assert verdict_of(hub, portal, ham).action is Action.NONE
    assert len(calls(hub, "POST", "/messages")) == 1
    [v] = hub.feedback.not_spam(portal.portal_id, thread_id=spam.thread_id, actor="agent")
    assert v.learned
    [backfill] = hub.pipeline.poller.backfill()  # webhooks missed nothing: nothing to decide
    assert (backfill.portal_id, backfill.decided, backfill.queued) == (portal.portal_id, 0, 0)
