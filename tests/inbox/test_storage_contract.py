"""The inbox tables behave the same on SQLite and PostgreSQL (the `engine` fixture runs both)."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from hubguard.clock import FakeClock
from hubguard.errors import ConfigError
from hubguard.inbox.events import EventStatus, EventStore, NewEvent
from hubguard.inbox.policies import Mode, PolicyStore
from hubguard.inbox.verdicts import Action, ActionState, VerdictRecord, VerdictStore


def new_event(n: int, portal: int = 1, occurred: int = 1000) -> NewEvent:
    return NewEvent(
        portal_id=portal,
        subscription_id=10,
        event_id=n,
        occurred_at=occurred,
        subscription_type="conversation.newMessage",
        object_id=f"t{n}",
        message_id=f"m{n}",
        message_type="MESSAGE",
    )


def record(message: str = "m1", **kw: object) -> VerdictRecord:
    values: dict[str, object] = {
        "portal_id": 1,
        "thread_id": "t1",
        "message_id": message,
        "inbox_id": "i1",
        "channel": "EMAIL",
        "sender": "a@b.example",
        "sender_actor": "E-a@b.example",
        "sender_name": "A",
        "subject": "Hello",
        "score": 0.9,
        "is_spam": True,
        "category": "phishing",
        "reasons": ("r1", "r2"),
        "model": "m.v1",
        "threshold": 0.5,
        "mode": "archive",
        "action": Action.ARCHIVE,
        "action_state": ActionState.INTENDED,
        "text": "body text",
        "html": None,
    }
    values.update(kw)
    return VerdictRecord(**values)  # type: ignore[arg-type]


def test_migration_creates_the_inbox_branch(engine: Engine) -> None:
    with engine.connect() as conn:
        heads = set(conn.execute(sa.text("select version_num from alembic_version")).scalars())
    assert "inbox_0007" in heads  # the newest inbox migration is the branch's head
    columns = {c["name"] for c in sa.inspect(engine).get_columns("inbox_verdicts")}
    assert "sender_actor" in columns
    policy_columns = {c["name"] for c in sa.inspect(engine).get_columns("inbox_policies")}
    assert "category_modes" in policy_columns
    indexes = {i["name"] for i in sa.inspect(engine).get_indexes("inbox_verdicts")}
    assert "ix_inbox_verdicts_portal_action" in indexes  # the review digest's query


def test_events_dedup_on_the_composite_key(engine: Engine, clock: FakeClock) -> None:
    store = EventStore(engine, clock=clock)
    first = store.add([new_event(1), new_event(2), new_event(1)])
    assert len(first) == 2
    assert store.add([new_event(1), new_event(2)]) == []
    # Same eventId, other occurredAt / portal: different events.
    assert len(store.add([new_event(1, occurred=1001), new_event(1, portal=2)])) == 2
    assert store.counts() == {"pending": 4}


def test_concurrent_adds_share_commits_and_each_gets_its_new_ids(
    engine: Engine, clock: FakeClock
) -> None:
    store = EventStore(engine, clock=clock)
    results: dict[int, list[int]] = {}

    def add(n: int) -> None:
        # Threads 0..7 each send events n and n+1: every event but 0 and 8 arrives twice.
        results[n] = store.add([new_event(n), new_event(n + 1)])

    threads = [threading.Thread(target=add, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    all_ids = [i for ids in results.values() for i in ids]
    assert len(all_ids) == len(set(all_ids)) == 9
    assert store.counts() == {"pending": 9}


def test_claim_is_exclusive_and_finishing_works(engine: Engine, clock: FakeClock) -> None:
    store = EventStore(engine, clock=clock)
    store.add([new_event(n) for n in range(20)])
    seen: list[int] = []
    lock = threading.Lock()

    def grab() -> None:
        for _ in range(10):
            got = store.claim(3)
            with lock:
                seen.extend(e.id for e in got)

    threads = [threading.Thread(target=grab) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(seen) == sorted(set(seen))
    assert len(seen) == 20
    assert store.counts() == {"processing": 20}
    ids = sorted(seen)
    store.done(ids[0])
    store.skipped(ids[1], "outgoing")
    store.failed(ids[2], "boom")
    store.park(ids[3], "reauth")
    store.retry(ids[4], delay=60, error="503")
    counts = store.counts()
    assert (counts["done"], counts["skipped"], counts["failed"], counts["parked"]) == (1, 1, 1, 1)
    assert store.claim(10) == []  # the retry is not due yet
    clock.advance(61)
    [again] = store.claim(10)
    assert (again.id, again.attempts, again.last_error) == (ids[4], 2, "503")
    assert store.unpark(1) == 1
    assert store.requeue_failed() == 1
    assert store.get(ids[2]).status is EventStatus.PENDING  # type: ignore[union-attr]


def test_sweep_returns_only_expired_claims(engine: Engine, clock: FakeClock) -> None:
    store = EventStore(engine, clock=clock)
    store.add([new_event(1), new_event(2)])
    store.claim(1)
    clock.advance(100)
    store.claim(1)
    assert store.sweep(lease_seconds=50) == 1
    assert store.counts() == {"pending": 1, "processing": 1}


def test_prune_removes_only_finished_events(engine: Engine, clock: FakeClock) -> None:
    store = EventStore(engine, clock=clock)
    store.add([new_event(1), new_event(2), new_event(3)])
    a, b, _c = store.claim(3)
    store.done(a.id)
    store.failed(b.id, "x")
    clock.advance(10)
    assert store.prune(older_than=clock.now()) == 1
    assert store.counts() == {"failed": 1, "processing": 1}


def test_verdict_record_is_idempotent_per_message(engine: Engine, clock: FakeClock) -> None:
    store = VerdictStore(engine, clock=clock, retention_days=30)
    first, inserted = store.record(record())
    assert inserted
    second, inserted_again = store.record(record(score=0.1))
    assert not inserted_again
    assert second.id == first.id
    assert second.score == pytest.approx(0.9)
    assert first.reasons == ("r1", "r2")
    assert store.body(first.id) == ("body text", None)
    store.set_action_state(first.id, ActionState.DONE, "c-1")
    store.set_feedback(first.id, "not_spam", "agent")
    got = store.get(1, first.id)
    assert got is not None
    assert (got.action_state, got.action_note, got.feedback) == (
        ActionState.DONE,
        "c-1",
        "not_spam",
    )
    assert got.acted_at == clock.now()
    assert store.get(2, first.id) is None  # portals never see each other's verdicts


def test_bodies_expire_after_retention(engine: Engine, clock: FakeClock) -> None:
    store = VerdictStore(engine, clock=clock, retention_days=30)
    v, _ = store.record(record())
    clock.advance(29 * 86_400)
    assert store.purge_bodies() == 0
    clock.advance(2 * 86_400)
    assert store.purge_bodies() == 1
    assert store.body(v.id) == (None, None)
    assert store.get(1, v.id).subject == "Hello"  # type: ignore[union-attr]
    zero = VerdictStore(engine, clock=clock, retention_days=0)
    kept, _ = zero.record(record("m2"))
    assert zero.body(kept.id) == (None, None)


def test_verdict_listing_and_deletion(engine: Engine, clock: FakeClock) -> None:
    store = VerdictStore(engine, clock=clock)
    for n in range(5):
        store.record(record(f"m{n}", thread_id=f"t{n % 2}", is_spam=n % 2 == 0))
    assert [v.message_id for v in store.recent(1, limit=2)] == ["m4", "m3"]
    page = store.recent(1, limit=2, before_id=store.recent(1, limit=2)[-1].id)
    assert [v.message_id for v in page] == ["m2", "m1"]
    assert len(store.recent(1, spam_only=True)) == 3
    assert sorted(store.delete_thread(1, "t0")) == ["m0", "m2", "m4"]
    assert [v.message_id for v in store.all_for_portal(1)] == ["m1", "m3"]


def test_policies_default_to_shadow_and_validate(engine: Engine, clock: FakeClock) -> None:
    store = PolicyStore(engine, clock=clock)
    assert store.get(1, "i1").mode is Mode.SHADOW
    store.set(1, "i1", "archive", 0.8, actor="admin")
    store.set(1, "i1", "close")  # replace
    got = store.get(1, "i1")
    assert (got.mode, got.threshold) == (Mode.CLOSE, None)
    assert [p.inbox_id for p in store.for_portal(1)] == ["i1"]
    with pytest.raises(ConfigError, match="shadow, comment, close, archive"):
        store.set(1, "i1", "delete")
    with pytest.raises(ConfigError, match="threshold"):
        store.set(1, "i1", "archive", 1.5)


def test_score_histogram_bands_scores_and_agents_marks(engine: Engine) -> None:
    from hubguard.inbox.report import score_histogram

    clock = FakeClock(1_000_000.0)
    store = VerdictStore(engine, clock=clock)
    store.record(record("old", score=0.55))  # 31 days before the window: left out
    clock.advance(31 * 86_400)
    for i, score in enumerate((0.0, 0.05, 0.5, 0.95, 0.999, 1.0)):
        stored, _ = store.record(record(f"m{i}", score=score))
        if score == 0.95:
            store.set_feedback(stored.id, "not_spam", "ana")
        if score == 0.05:
            store.set_feedback(stored.id, "spam", "ana")
    bands = score_histogram(engine, 1, since=clock.now() - 30 * 86_400)
    assert len(bands) == 10
    assert (bands[0].low, bands[-1].high) == (0.0, 1.0)
    assert [b.messages for b in bands] == [2, 0, 0, 0, 0, 1, 0, 0, 0, 3]  # 1.0 is in the top band
    assert (bands[9].marked_not_spam, bands[0].marked_spam) == (1, 1)
    assert score_histogram(engine, 2, since=0.0)[0].messages == 0  # another portal's


def test_one_maintenance_lease_holder_at_a_time(engine: Engine) -> None:
    """Several worker processes on one database: one runs the maintenance jobs; another takes
    over when the holder stops renewing (it died)."""
    from hubguard.inbox.lease import MaintenanceLease

    clock = FakeClock(1_000_000.0)
    first = MaintenanceLease(engine, clock, ttl_seconds=180, holder="host-a:1")
    second = MaintenanceLease(engine, clock, ttl_seconds=180, holder="host-b:2")
    assert (first.acquire(), second.acquire()) == (True, False)
    clock.advance(60)
    assert (first.acquire(), second.acquire()) == (True, False)  # renewed each round
    clock.advance(181)  # first stopped renewing
    assert (second.acquire(), first.acquire()) == (True, False)
    other = MaintenanceLease(engine, clock, name="another-job", holder="host-a:1")
    assert other.acquire()  # leases are per name


def test_a_worker_without_the_lease_sweeps_but_skips_the_jobs(engine: Engine) -> None:
    from hubguard.inbox.worker import EmbeddedWorker

    ran: list[str] = []
    events = EventStore(engine, clock=FakeClock())
    for name, holds in (("holder", True), ("other", False)):
        worker = EmbeddedWorker(
            None,  # type: ignore[arg-type]  # the loop is not started: only maintenance runs
            events,
            maintenance=(lambda n=name: ran.append(n),),
            sole_worker=False,
            maintenance_lease=lambda h=holds: h,
        )
        worker._maybe_maintain()
    assert ran == ["holder"]


def test_the_table_sweep_beside_a_broker_takes_only_overdue_events(engine: Engine) -> None:
    clock = FakeClock(1_000_000.0)
    store = EventStore(engine, clock=clock)
    store.add([new_event(1)])
    assert store.claim(10, overdue_seconds=5.0) == []  # fresh: left to the broker's task
    clock.advance(5.0)
    assert [e.message_id for e in store.claim(10, overdue_seconds=5.0)] == ["m1"]


def test_tally_counts_decided_flagged_and_acted(engine: Engine) -> None:
    store = VerdictStore(engine, clock=FakeClock())
    store.record(record("a"))  # spam, archive intended
    store.record(record("b", is_spam=False, action=Action.NONE, action_state=ActionState.NONE))
    store.record(record("c", action=Action.NONE, action_state=ActionState.NONE))  # shadow spam
    assert store.tally(1) == (3, 2, 1)
    assert store.tally(2) == (0, 0, 0)


def test_a_task_claims_its_fresh_events_on_a_worker_whose_clock_is_behind(
    engine: Engine, clock: FakeClock
) -> None:
    web = EventStore(engine, clock=clock)
    worker = EventStore(engine, clock=FakeClock(clock.now() - 0.05))  # another machine, 50 ms
    ids = web.add([new_event(1), new_event(2)])
    assert [e.id for e in worker.claim(10, event_ids=ids)] == ids
    web.retry(ids[0], delay=60, error="503")
    assert worker.claim(10, event_ids=[ids[0]]) == []  # a retry still waits for its backoff
    assert worker.claim(10) == []  # and the sweep's claims still go by the clock
