"""The kept case counts (store/case_counts.py, migration 0008_case_counts) and the kept counts per name prefix
(store/name_counts.py, migration 0012_search_counts) always equal a direct count of the cases: after random acts
at the window and in the back office on days either side of the hall's midnight (applicants of several names,
renamed and purged), a rebuild by sync's projection, a deletion, and a migration that recreated ``cases`` and
lost the triggers. Every tab of the window's list and of the inbox is counted both ways, without a search and
with a name (surname, given-name prefix, full name, Latin letters), an ID number, a phone number, a case number
or its start, an item code, and the catalog's item codes beside a name: by services/case_queries.count (summed
from the kept counts where it can) and by reading every row of the list."""

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
from clerk_desk.domain.identifiers import compute_resident_id_check_char
from clerk_desk.domain.lifecycle import Status
from clerk_desk.services import case_number_plans, case_sql, case_tallies, inbox
from clerk_desk.services import case_queries as q
from clerk_desk.services.approvals import APPROVED
from clerk_desk.services.handover import Handover, deliver
from clerk_desk.services.intake_forms import Delivery, IntakeForm, MaterialCheck, Party
from clerk_desk.services.withdrawal import Withdrawal, accept_withdrawal, request_withdrawal
from clerk_desk.store import case_counts, name_counts
from clerk_desk.store.engine import database_path
from clerk_desk.store.models import Case, Person
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


OTHER_ID = "42122419800101001" + compute_resident_id_check_char("42122419800101001")
NAMES = ("张三", "张伟", "张伟芳", "李四", "王伟", "Li Lei")
PHONE = "13812345678"
# Searched in every filter: surname, prefixes, full names, a name nobody has, Latin letters (also read as an
# item code), the two ID numbers, a phone number (digits: read as the start of a case number or item code).
NAME_TEXTS = ("张", "张伟", "张三", "王伟", "李", "欧阳", "Li", "li lei")
OTHER_TEXTS = (ID, OTHER_ID, PHONE, PENSION.code)


def searches(w: World, now: datetime) -> dict[str, q.CaseFilter]:
    """Every filter under every search text, a case number and its start, and a name beside the item codes
    the catalog could have matched for it."""
    with w.db.plain_reading() as c:
        numbers = [r[0] for r in c.execute("SELECT case_number FROM cases ORDER BY created_at LIMIT 1")]
    texts = [*NAME_TEXTS, *OTHER_TEXTS, *numbers, *(n[:12] for n in numbers)]
    out = {f"{name}, {t}": f.searching(t) for name, f in filters(now).items() for t in texts}
    for name, f in filters(now).items():
        out[f"{name}, 张 and the pension item"] = f.searching("张", (PENSION.code,))
        out[f"{name}, Li and an unknown item"] = f.searching("Li", ("NOT-AN-ITEM",))
    return out


def kept_rows(c: sqlite3.Connection, table: str) -> list[tuple[object, ...]]:
    return sorted(c.execute(f"SELECT * FROM {table}").fetchall())


def assert_counts_agree(w: World, now: datetime, *, searched: bool = True) -> None:
    for name, f in filters(now).items():
        assert q.tallied(f) is not None, name
        assert q.count(w.db, f, cap=10_000) == direct(w, f), name
    for name, f in (searches(w, now) if searched else {}).items():
        n = direct(w, f)
        assert q.count(w.db, f, cap=10_000) == n, name
        assert q.count(w.db, f, cap=2) == min(n, 3), name  # capped: "2+" beyond two
    with sqlite3.connect(database_path(w.db.data_dir)) as c:
        for kept in (case_counts, name_counts):
            before = kept_rows(c, kept.TABLE)
            kept.rebuild(c)
            assert kept_rows(c, kept.TABLE) == before, kept.TABLE
            assert all(row[-1] > 0 for row in before), kept.TABLE
        c.rollback()


Act = Callable[[World, list[str], datetime], object]


def _accept(w: World, uids: list[str], at: datetime, seed: int = 0) -> None:
    """An applicant of one of NAMES, with one of two ID numbers and a phone number."""
    form = IntakeForm(
        items=(PENSION,), applicant=Party("person", NAMES[seed % len(NAMES)], (ID, OTHER_ID)[seed % 2], phone=PHONE),
        checklist=(MaterialCheck("居民身份证", provided=True, form="original", copies=1),),
    )  # fmt: skip
    uids.append(w.intake.accept(form, w.clerk, delivery=Delivery("window"), now=at).cases[0].case_uuid)


def _applicant(w: World, uid: str, name: str | None, *, purge: bool = False) -> None:
    """The applicant renamed (the flush hooks rewrite the name keys), or emptied as services/purge.py does."""
    with w.db.transaction() as s:
        case = s.get(Case, uid)
        assert case is not None
        person = s.get(Person, case.applicant_id)
        assert person is not None
        if purge:
            person.name = person.id_number = person.phone = None
            person.purged_at = at_now()
        else:
            person.name = name


def at_now() -> datetime:
    return AT + timedelta(days=400)


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
    "rename": lambda w, u, t: _applicant(w, u, NAMES[(t.minute + len(u)) % len(NAMES)]),
    "purge": lambda w, u, t: _applicant(w, u, None, purge=True),
}


def play(w: World, script: list[tuple[str, int, int]]) -> tuple[list[str], datetime]:
    """Run acts at times that cross the hall's midnight (16:00 UTC); an act the lifecycle refuses is skipped."""
    uids: list[str] = []
    at = AT
    for act, seed, minutes in script:
        at += timedelta(minutes=minutes)
        if act == "accept" or not uids:
            _accept(w, uids, at, seed)
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

    with sqlite3.connect(path) as c:  # what a later batch migration of ``cases`` or the name keys does to triggers
        for name in (*case_counts.TRIGGERS, *name_counts.TRIGGERS):
            c.execute(f"DROP TRIGGER {name}")
        c.execute("UPDATE cases SET status = 'archived' WHERE uuid = ?", (uids[-1],))
        c.execute("DELETE FROM person_name_keys WHERE person_id = (SELECT applicant_id FROM cases WHERE uuid = ?)",
                  (uids[-2],))  # fmt: skip
        assert case_counts.missing_triggers(c) == list(case_counts.TRIGGERS)
        assert name_counts.missing_triggers(c) == list(name_counts.TRIGGERS)
        for kept in (case_counts, name_counts):
            assert kept.ensure(c) is True
            assert kept.ensure(c) is False
    assert_counts_agree(w, at)
    w.db.close()


@pytest.mark.parametrize(("small_list", "range_sort"), [(0, -1), (2000, -1), (0, 10**6)],
                         ids=["led by the text's index", "the list walked", "case-number prefixes read as ranges"])  # fmt: skip
def test_a_search_is_counted_on_the_cases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_list: int,
                                          range_sort: int) -> None:  # fmt: skip
    """A search text, due dates, 容缺 and 归档's closing day are not kept: those are counted on the cases,
    either way (the list walked, or the search's own index leading), to the same number as the rows; the rows
    read with every case-number prefix broad, walked or read as a range of ix_cases_status_number."""
    monkeypatch.setattr(case_tallies, "SMALL_LIST", small_list)
    monkeypatch.setattr(case_number_plans, "RANGE_SORT", range_sort)
    monkeypatch.setattr(case_sql, "BROAD_NAME", 0 if range_sort > 0 else case_sql.BROAD_NAME)
    w = World(tmp_path / "desk")
    rng = random.Random(small_list)
    uids, at = play(w, [(rng.choice(["accept", *ACTS]), rng.randrange(1000), rng.randrange(1, 400)) for _ in range(30)])
    assert q.tallied(q.window_filter(q.WindowView.ALL, text="张三")) is None
    assert q.tallied(q.CaseFilter(due_before=at)) is None
    assert q.tallied(q.CaseFilter(created_from=at)) is None  # not a hall day's start
    number = q.page(w.db, q.CaseFilter(uuids=(uids[0],))).rows[0].case_number
    for text in (*NAME_TEXTS, *OTHER_TEXTS, number, number[:12]):
        for name, f in filters(at).items():
            searched = f.searching(text)
            assert q.count(w.db, searched, cap=10_000) == direct(w, searched), (text, name)
    names = [r.applicant_name for r in q.page(w.db, q.CaseFilter(), limit=1000, events=False).rows]
    for text in ("张", "张伟", "李四", "Li"):  # the names the rows show, opened: the same number
        expected = sum(1 for n in names if n.casefold().startswith(text.casefold()))
        assert q.count(w.db, q.window_filter(q.WindowView.ALL, text=text)) == expected, text
    w.db.close()


def test_a_name_search_is_summed_from_the_kept_counts(tmp_path: Path) -> None:
    """Every tab of both lists but 今日 (and a span of days) answers a name search from case_name_counts, so a
    common surname costs what a rare name does; ``db recount`` puts wrong counts right again."""
    import subprocess
    import sys

    w = World(tmp_path / "desk")
    rng = random.Random(11)
    _uids, at = play(w, [(rng.choice(["accept", "accept", *ACTS]), rng.randrange(1000), rng.randrange(1, 400))
                         for _ in range(40)])  # fmt: skip
    key = w.db.keys.name_prefix_key("张")
    spans = {name for name, f in filters(at).items() if f.created_from or f.created_before}
    assert spans >= {"window today"}
    for name, f in filters(at).items():
        assert (q.name_tallied(f.searching("张"), key) is None) == (name in spans), name
    assert q.name_tallied(q.CaseFilter(due_before=at).searching("张"), key) is None
    everyone = q.window_filter(q.WindowView.ALL, text="张")
    n = q.count(w.db, everyone, cap=10_000)
    assert n == direct(w, everyone) > 0
    w.db.close()

    with sqlite3.connect(database_path(tmp_path / "desk")) as c:  # counts gone wrong: the badge reads them
        c.execute("UPDATE case_name_counts SET n = n + 7 WHERE key = ?", (key,))
        rows = c.execute("SELECT count(*) FROM case_name_counts WHERE key = ?", (key,)).fetchone()[0]
    w = World(tmp_path / "desk")
    assert q.count(w.db, everyone, cap=10_000) == n + 7 * rows
    w.db.close()
    r = subprocess.run([sys.executable, "-m", "clerk_desk", "--data-dir", str(tmp_path / "desk"), "db", "recount"],
                       capture_output=True, text=True, timeout=120)  # fmt: skip
    assert r.returncode == 0, r.stderr
    w = World(tmp_path / "desk")
    assert q.count(w.db, everyone, cap=10_000) == n
    assert_counts_agree(w, at)
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
        c.execute("UPDATE case_name_counts SET n = n + 3")
    r = subprocess.run([sys.executable, "-m", "clerk_desk", "--data-dir", str(tmp_path / "desk"), "db", "recount"],
                       capture_output=True, text=True, timeout=120)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert f"已重新统计：{len(uids)} 件办件" in r.stdout
    w = World(tmp_path / "desk")
    assert_counts_agree(w, at)
    w.db.close()
