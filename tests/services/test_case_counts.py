"""The kept case counts (store/case_counts.py, migration 0008_case_counts) always equal a direct count of the
cases: after random acts at the window and in the back office on days either side of the hall's midnight,
a rebuild by sync's projection, a deletion, and a migration that recreated ``cases`` and lost the triggers.
Every tab of the window's list and of the inbox is counted both ways: summed from the kept counts
(services/case_queries.count) and by reading every row of the list."""

from __future__ import annotations

import contextlib
import random
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clerk_desk.domain.errors import ClerkDeskError
from clerk_desk.domain.lifecycle import Status
from clerk_desk.services import case_queries as q
from clerk_desk.services import inbox
from clerk_desk.services.approvals import APPROVED
from clerk_desk.services.handover import Handover, deliver
from clerk_desk.services.withdrawal import Withdrawal, accept_withdrawal, request_withdrawal
from clerk_desk.store import case_counts
from clerk_desk.store.engine import database_path
from tests.services.test_approvals import AT, ID, PENSION, SITE, World

ASKED = Withdrawal("申请人不再办理", requested_by="applicant", id_checked=True)
SERVES = ((SITE, "rs"),)
ELSEWHERE = (("421224999", "rs"),)


def filters(now: datetime) -> dict[str, q.CaseFilter]:
    """Every tab, a few days' spans, statuses one by one, a pending request, a site, an approver's pairs."""
    out = {f"window {v}": q.window_filter(v, now=now) for v in q.WindowView}
    out |= {f"inbox {v}": inbox.inbox_filter(v, SERVES) for v in inbox.InboxView}
    out["inbox elsewhere"] = inbox.inbox_filter(inbox.InboxView.ALL, ELSEWHERE)
    out["serves nothing"] = q.CaseFilter(serves=())
    day = q.window_filter(q.WindowView.TODAY, now=now).created_from
    assert day is not None
    for back in (1, 2):
        out[f"from {back} days back"] = q.CaseFilter(created_from=day - timedelta(days=back))
        out[f"before {back} days back"] = q.CaseFilter(created_before=day - timedelta(days=back - 1))
    out |= {f"status {s}": q.CaseFilter((s,), site_code=SITE) for s in Status}
    out["no request pending"] = q.CaseFilter(withdrawal_requested=False)
    return out


def direct(w: World, f: q.CaseFilter) -> int:
    """Every row of the list, read page by page (the rows a clerk would scroll through)."""
    n, after = 0, None
    while True:
        page = q.page(w.db, f, after=after, limit=50, events=False)
        n += len(page.rows)
        if page.next_key is None:
            return n
        after = page.next_key


def assert_counts_agree(w: World, now: datetime) -> None:
    for name, f in filters(now).items():
        assert q.tallied(f) is not None, name
        assert q.count(w.db, f, cap=10_000) == direct(w, f), name
    with sqlite3.connect(database_path(w.db.data_dir)) as c:
        kept = sorted(c.execute("SELECT * FROM case_counts").fetchall())
        c.execute("DELETE FROM case_counts")
        case_counts.rebuild(c)
        assert sorted(c.execute("SELECT * FROM case_counts").fetchall()) == kept
        c.rollback()


Act = Callable[[World, list[str], datetime], object]


def _accept(w: World, uids: list[str], at: datetime) -> None:
    from tests.services.test_case_lists import accepted

    uids.append(accepted(w, (at - AT).total_seconds() / 60))


def _pick(uids: list[str], seed: int) -> str:
    return uids[seed % len(uids)]


ACTS: dict[str, Callable[[World, str, datetime], object]] = {
    "transfer": lambda w, u, t: w.intake.transfer(u, w.clerk, now=t),
    "receive": lambda w, u, t: w.svc.receive(u, w.approver, paper_received=True, now=t),
    "decide": lambda w, u, t: w.svc.decide(u, w.approver, decision=APPROVED, result_text="准予", now=t),
    "return": lambda w, u, t: w.svc.return_result(u, w.approver, now=t),
    "deliver": lambda w, u, t: deliver(w.db, u, w.clerk, Handover("window", "applicant", id_checked=True), now=t),
    "ask to withdraw": lambda w, u, t: request_withdrawal(w.db, u, w.clerk, ASKED, now=t),
    "withdraw": lambda w, u, t: accept_withdrawal(w.db, u, w.approver, now=t),
}


def play(w: World, script: list[tuple[str, int, int]]) -> tuple[list[str], datetime]:
    """Run acts at times that cross the hall's midnight (16:00 UTC); an act the lifecycle refuses is skipped."""
    uids: list[str] = []
    at = AT
    for act, seed, minutes in script:
        at += timedelta(minutes=minutes)
        if act == "accept" or not uids:
            _accept(w, uids, at)
            continue
        with contextlib.suppress(ClerkDeskError):  # not allowed in the case's state: nothing changed
            ACTS[act](w, _pick(uids, seed), at)
    return uids, at


SCRIPT = st.lists(
    st.tuples(st.sampled_from(["accept", "accept", *ACTS]), st.integers(0, 1000), st.integers(1, 600)),
    min_size=5, max_size=30,
)  # fmt: skip


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(script=SCRIPT)
def test_counts_equal_a_direct_count_after_random_acts(tmp_path_factory: pytest.TempPathFactory,
                                                       script: list[tuple[str, int, int]]) -> None:  # fmt: skip
    w = World(tmp_path_factory.mktemp("desk"))
    try:
        _uids, at = play(w, script)
        assert_counts_agree(w, at)
    finally:
        w.db.close()


def test_counts_follow_a_rebuild_a_deletion_and_lost_triggers(tmp_path: Path) -> None:
    w = World(tmp_path / "desk")
    rng = random.Random(15)
    script = [(rng.choice(["accept", *ACTS]), rng.randrange(1000), rng.randrange(1, 400)) for _ in range(40)]
    uids, at = play(w, script)
    assert_counts_agree(w, at)

    from clerk_desk.sync.outbox import rebuild_cases  # sync's projection of the cases from their events

    with w.db.transaction() as s:
        rebuild_cases(s, sorted(uids))
    assert_counts_agree(w, at)

    path = database_path(w.db.data_dir)
    with sqlite3.connect(path) as c:  # a case goes (as a purge of a test site would) with its events
        c.execute("DELETE FROM case_events WHERE case_uuid = ?", (uids[0],))
        c.execute("DELETE FROM cases WHERE uuid = ?", (uids[0],))
    assert_counts_agree(w, at)

    with sqlite3.connect(path) as c:  # what a later batch migration of ``cases`` does to triggers
        for name in case_counts.TRIGGERS:
            c.execute(f"DROP TRIGGER {name}")
        c.execute("UPDATE cases SET status = 'archived' WHERE uuid = ?", (uids[-1],))
        assert case_counts.missing_triggers(c) == list(case_counts.TRIGGERS)
        assert case_counts.ensure(c) is True
        assert case_counts.ensure(c) is False
    assert_counts_agree(w, at)
    w.db.close()


@pytest.mark.parametrize("small_list", [0, 2000], ids=["led by the text's index", "the list walked"])
def test_a_search_is_counted_on_the_cases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_list: int) -> None:
    """A search text, due dates, 容缺 and 归档's closing day are not kept: those are counted on the cases,
    either way (the list walked, or the search's own index leading), to the same number as the rows."""
    monkeypatch.setattr(q, "SMALL_LIST", small_list)
    w = World(tmp_path / "desk")
    rng = random.Random(small_list)
    uids, at = play(w, [(rng.choice(["accept", *ACTS]), rng.randrange(1000), rng.randrange(1, 400)) for _ in range(30)])
    assert q.tallied(q.window_filter(q.WindowView.ALL, text="张三")) is None
    assert q.tallied(q.CaseFilter(due_before=at)) is None
    assert q.tallied(q.CaseFilter(created_from=at)) is None  # not a hall day's start
    number = q.page(w.db, q.CaseFilter(uuids=(uids[0],))).rows[0].case_number
    for text in ("张", "张三", "李", ID, number, number[:12], PENSION.code):
        for name, f in filters(at).items():
            searched = f.searching(text)
            assert q.count(w.db, searched, cap=10_000) == direct(w, searched), (text, name)
    assert q.count(w.db, q.window_filter(q.WindowView.ALL, text="张三")) == len(uids)
    w.db.close()


def test_it_recounts_from_the_command_line(tmp_path: Path) -> None:
    """``clerk-desk db recount`` (county IT, as a real process) counts the cases again."""
    import subprocess
    import sys

    w = World(tmp_path / "desk")
    uids, at = play(w, [("accept", 0, 5), ("accept", 0, 5), ("transfer", 0, 5)])
    w.db.close()
    with sqlite3.connect(database_path(tmp_path / "desk")) as c:
        c.execute("UPDATE case_counts SET n = n + 7")  # counts gone wrong
    r = subprocess.run([sys.executable, "-m", "clerk_desk", "--data-dir", str(tmp_path / "desk"), "db", "recount"],
                       capture_output=True, text=True, timeout=120)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert f"已重新统计：{len(uids)} 件办件" in r.stdout
    w = World(tmp_path / "desk")
    assert_counts_agree(w, at)
    w.db.close()
