"""The one list service (services/case_queries.py, case_rows.py, case_number_plans.py) on a real SQLite file:
the follow-up lists (services/follow_up.py), one row type for every list, a filter's ``uuids``; and the one transfer act
(services/transfer.py): a case that may not go is named, the others of the bundle still go."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from clerk_desk.domain.lifecycle import Status
from clerk_desk.services import archive, case_number_plans, case_sql, case_tallies, follow_up, inbox
from clerk_desk.services import case_queries as q
from clerk_desk.services.approvals import APPROVED
from clerk_desk.services.case_rows import CaseRow
from clerk_desk.services.intake_forms import Delivery, IntakeForm, MaterialCheck, Party, Pledge
from clerk_desk.services.transfer import transfer_cases
from clerk_desk.store.engine import database_path
from clerk_desk.store.sqlite_file import to_db
from tests.services.test_approvals import AT, ID, PENSION, POLICE, SITE, World


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(tmp_path / "desk")


def accepted(w: World, minutes: float = 0, *, owed: bool = False) -> str:
    form = IntakeForm(
        items=(PENSION,), applicant=Party("person", "张三", ID),
        checklist=(MaterialCheck("居民身份证", provided=True, form="original", copies=1),
                   MaterialCheck("户口簿", waivable=True, provided=not owed, form=None if owed else "copy",
                                 copies=0 if owed else 1)),
    )  # fmt: skip
    pledge = Pledge(("户口簿",), date(2026, 10, 20)) if owed else None
    return w.intake.accept(form, w.clerk, delivery=Delivery("window"), pledge=pledge,
                           now=AT + timedelta(minutes=minutes)).cases[0].case_uuid  # fmt: skip


def uuids(w: World, f: q.CaseFilter, **kw: object) -> list[str]:
    return [r.uuid for r in q.page(w.db, f, **kw).rows]  # type: ignore[arg-type]


def test_late_at_each_stage_results_waiting_and_materials_owed(world: World) -> None:
    waiting = accepted(world, 0)
    on_time = accepted(world, 10)
    owed = accepted(world, 20, owed=True)
    in_office = world.transferred(at=AT + timedelta(minutes=30))
    returned = world.transferred(at=AT + timedelta(minutes=40))
    for act in (lambda u, t: world.svc.receive(u, world.approver, paper_received=True, now=t),
                lambda u, t: world.svc.decide(u, world.approver, decision=APPROVED, result_text="准予", now=t),
                lambda u, t: world.svc.return_result(u, world.approver, now=t)):  # fmt: skip
        act(returned, AT + timedelta(hours=2))
    soon = AT + timedelta(minutes=20)  # the first case is past its 15 minutes, the second is not
    assert uuids(world, follow_up.overdue(follow_up.Stage.AT_WINDOW, soon)) == [waiting]
    later = AT + timedelta(days=30)  # every due date has passed
    assert uuids(world, follow_up.overdue(follow_up.Stage.AT_WINDOW, later)) == [waiting, on_time, owed]
    assert uuids(world, follow_up.overdue(follow_up.Stage.BACK_OFFICE, later)) == [in_office]
    assert uuids(world, follow_up.overdue(follow_up.Stage.BACK_OFFICE, soon)) == []
    assert uuids(world, follow_up.overdue(follow_up.Stage.RESULTS, later, site_code=SITE)) == [returned]
    assert uuids(world, follow_up.results_to_hand_over(site_code=SITE)) == [returned]
    rows = q.page(world.db, follow_up.pledges_owed()).rows
    assert [(r.uuid, r.pledge_due, r.pledge_open) for r in rows] == [(owed, "2026-10-20", True)]
    assert q.counts(world.db, {s: follow_up.overdue(s, later) for s in follow_up.Stage}) == {
        follow_up.Stage.AT_WINDOW: 3, follow_up.Stage.BACK_OFFICE: 1, follow_up.Stage.RESULTS: 1}


def test_every_list_has_the_same_row(world: World) -> None:
    uid = world.transferred()
    world.svc.receive(uid, world.approver, paper_received=True, now=AT + timedelta(hours=1))
    world.svc.decide(uid, world.approver, decision=APPROVED, result_text="准予", now=AT + timedelta(hours=2))
    world.svc.return_result(uid, world.approver, now=AT + timedelta(hours=3))
    from clerk_desk.services.handover import Handover, deliver

    deliver(world.db, uid, world.clerk, Handover("window", "applicant", id_checked=True), now=AT + timedelta(hours=4))
    window = q.page(world.db, q.window_filter(q.WindowView.ALL)).rows[0]
    office = inbox.page(world.db, inbox.inbox_filter(inbox.InboxView.ALL, ((SITE, "rs"),)), now=AT).rows[0]
    # the day's closed cases as the list service reads them for 归档 (a delivered case's paper is filed by its
    # department, so the window's own 归档 leaves it out: services/archive.py)
    day = q.page(world.db, follow_up.closed_on(AT.date(), site_code=SITE)).rows[0]
    assert archive.closed_on(world.db, SITE, AT.date()).groups == ()
    assert all(isinstance(r, CaseRow) for r in (window, office, day))
    assert window.uuid == office.uuid == day.uuid == uid
    assert window.status is Status.DELIVERED and window.decision == "approved" and window.closed_as == "delivered"
    assert window.transfer is not None and window.transfer.took_s == 240 and not window.transfer.late
    assert office.days_left is not None and window.days_left is None  # working days: with a calendar only
    assert day.applicant_id_number == ID and day.materials_text == "2项2份" and day.closed_as_zh == "已送达"
    assert window.applicant_id_number == ""  # only 归档 opens ID numbers


def test_a_filter_can_name_its_cases(world: World) -> None:
    made = [accepted(world, i) for i in range(4)]
    f = q.CaseFilter(uuids=(made[1], made[3]))
    assert uuids(world, f) == [made[3], made[1]]
    assert q.count(world.db, f) == 2


def test_a_search_typed_in_full_width_digits_finds_the_case(world: World) -> None:
    """An input method in full-width mode types the ID or the case number as １１０１… in the list's search
    box: it finds what the ASCII text finds (the ID was looked up by the key of the full-width text: nothing)."""
    uid = accepted(world)
    number = world.case(uid).case_number
    assert number is not None
    full_width = str.maketrans("0123456789X-", "０１２３４５６７８９Ｘ－")
    every = q.window_filter(q.WindowView.ALL)
    for text in (ID, ID.lower(), number, number[:12]):
        assert uuids(world, every.searching(text)) == [uid], text
        assert uuids(world, every.searching(text.upper().translate(full_width))) == [uid], text
        assert q.count(world.db, every.searching(text.upper().translate(full_width))) == 1, text


def test_an_id_kept_in_full_width_before_is_found_in_either_spelling(world: World) -> None:
    """IDs typed in full-width mode were kept as typed (１１０１…) until intake kept them in ASCII digits: the
    search, which now reads its text in ASCII, still finds such a case, typed either way."""
    from sqlalchemy import select

    from clerk_desk.store.models import Case, Person

    uid = accepted(world)
    full_width = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
    with world.db.transaction() as s:  # the person as an earlier version kept them
        person = s.get(Person, s.scalar(select(Case.applicant_id).where(Case.uuid == uid)))
        assert person is not None
        person.id_number = ID.upper().translate(full_width)
    every = q.window_filter(q.WindowView.ALL)
    for text in (ID, ID.upper().translate(full_width)):
        assert uuids(world, every.searching(text)) == [uid], text
        assert q.count(world.db, every.searching(text)) == 1, text


def test_one_transfer_for_a_bundle_carries_on_past_a_case_that_may_not_go(world: World) -> None:
    first, second, third = (accepted(world, i) for i in range(3))
    world.intake.transfer(second, world.clerk, now=AT + timedelta(minutes=5))  # already handed over
    report = transfer_cases(world.db, [(u, "") for u in (first, second, third)], world.clerk,
                            now=AT + timedelta(minutes=6))  # fmt: skip
    assert [c.case_uuid for c in report.done] == [first, third] and not report.all_done
    (refused,) = report.refused
    assert refused.case_uuid == second and "只有已受理" in refused.message
    assert [world.case(u).status for u in (first, second, third)] == ["transferred"] * 3


def _full_read(w: World, f: q.CaseFilter, prefix: str) -> list[str]:
    """Every case of ``f`` whose number starts with ``prefix``, tested one by one and sorted in Python: what
    the pages must list, in that order."""
    with sqlite3.connect(database_path(w.db.data_dir)) as c:
        rows = c.execute("SELECT uuid, coalesce(case_number, ''), status, site_code, department_code, created_at,"
                         " withdrawal_requested FROM cases").fetchall()  # fmt: skip
    wanted = {s.value for s in f.statuses}
    kept = [(at, uid) for uid, number, status, site, dept, at, asked in rows
            if number.startswith(prefix) and (not wanted or status in wanted)
            and (f.serves is None or (site, dept) in f.serves) and f.site_code in (None, site)
            and (f.withdrawal_requested is None or bool(asked) == f.withdrawal_requested)]  # fmt: skip
    return [uid for _at, uid in sorted(kept, reverse=f.order is q.Order.NEWEST)]


def _every_page(w: World, f: q.CaseFilter, limit: int) -> list[str]:
    out: list[str] = []
    after = None
    while True:
        page = q.page(w.db, f, after=after, limit=limit, events=False)
        out += [r.uuid for r in page.rows]
        if page.next_key is None:
            return out
        after = page.next_key


def _cases_off_their_dates(world: World) -> tuple[list[str], dict[str, str]]:
    """Thirteen transferred cases (2026-09 … 2026-12, one of a department approver1 does not serve, every third
    signed for), and their numbers: one numbered in late 2026 but created a year before every other case, one
    numbered first but created last, three created at the same microsecond (the uuid orders them)."""
    made = [world.transferred(at=AT + timedelta(days=9 * i, minutes=i)) for i in range(12)]
    made += [world.transferred(POLICE, at=AT + timedelta(days=3, minutes=7))]
    for uid in made[1::3]:
        world.svc.receive(uid, world.approver, paper_received=True, now=AT + timedelta(days=120))
    with sqlite3.connect(database_path(world.db.data_dir)) as c:
        numbers = dict(c.execute("SELECT uuid, case_number FROM cases").fetchall())
        c.execute("UPDATE cases SET created_at = ? WHERE uuid = ?", (to_db(AT - timedelta(days=365)), made[10]))
        c.execute("UPDATE cases SET created_at = ? WHERE uuid = ?", (to_db(AT + timedelta(days=200)), made[0]))
        same = to_db(AT + timedelta(days=40))
        c.execute("UPDATE cases SET created_at = ? WHERE uuid IN (?, ?, ?)", (same, made[3], made[4], made[5]))
    return made, numbers


def test_a_case_number_prefix_lists_the_same_rows_read_as_a_range_or_walked(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under a case-number prefix an approver's oldest-first list is read either as ranges of
    ix_cases_status_number (one per status and department), their keys sorted (RANGE_SORT), or by walking the
    statuses in date order (other lists are always walked): both list exactly the rows of a full
    read in the same order, on every keyset page, though some cases were created on another date than their
    number says (earlier and later than its neighbours) and two share their creation time to the microsecond."""
    made, numbers = _cases_off_their_dates(world)
    assert numbers[made[10]].startswith(f"{SITE}-") and "-2026" in numbers[made[10]]
    december = numbers[made[10]][: len(SITE) + 10]  # the site, the window and 2026-1…: a month's prefix
    serves = ((SITE, "rs"), (SITE, "mz"))
    lists = [inbox.inbox_filter(v, serves) for v in inbox.InboxView]
    lists += [q.window_filter(v) for v in (q.WindowView.BACK_OFFICE, q.WindowView.ALL)]
    lists += [q.CaseFilter((Status.TRANSFERRED,), order=q.Order.NEWEST), q.CaseFilter((Status.TRANSFERRED,),
              site_code=SITE, order=q.Order.OLDEST)]  # fmt: skip
    prefixes = (SITE, numbers[made[0]][: len(SITE) + 8], december, numbers[made[4]][:-2], "421224999")
    monkeypatch.setattr(case_sql, "BROAD_NAME", 0)  # every prefix counts as broad here: range or walk, never the few
    monkeypatch.setattr(case_tallies, "SMALL_LIST", 0)  # and no list as small (walked whatever the plan)
    counted: set[bool] = set()
    for range_sort, plan in ((10**6, "range"), (-1, "walk"), (3, "counted")):
        monkeypatch.setattr(case_number_plans, "RANGE_SORT", range_sort)
        for f in lists:
            for prefix in prefixes:
                searched = f.searching(prefix)
                expected = _full_read(world, f, prefix)
                for limit in (1, 2, 5, 100):
                    assert _every_page(world, searched, limit) == expected, (plan, f, prefix, limit)
                with world.db.plain_reading() as c:
                    ranged = any(b.index for b in q._branches(c, world.db.keys, searched))
                broad = any(n.startswith(prefix) for n in numbers.values())  # else the few matches are sorted
                held = (broad and bool(f.statuses) and bool(f.serves) and not f.withdrawal_requested
                        and f.order is q.Order.OLDEST and q.count(world.db, f) > 0)  # fmt: skip
                if plan != "counted":
                    assert ranged == (plan == "range" and held), (plan, f)
                elif len(f.statuses) == 1 and held:  # ranges when the tab, or else its prefix's ranges, hold ≤ 3
                    small = q.count(world.db, f) <= 3 or len(expected) <= 3
                    assert ranged == small, (plan, f, prefix)
                    counted.add(ranged)
    assert counted == {True, False}  # the ranges were counted, and found small and large
    assert any(_full_read(world, f, p) for f in lists for p in prefixes[1:3])


def test_a_case_number_prefix_lists_the_same_rows_read_by_number_day_or_walked_newest_first(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under a case-number prefix a newest-first list is read either by number day (ix_cases_number_day: each
    day under the prefix newest first, until no day left can hold a newer case) or by walking in date order: both
    list exactly the rows of a full read in the same order, on every keyset page, for prefixes of old numbers
    only as well as recent ones, though some cases were created on another date than their number says (a year
    earlier, months later, an old number created recently) and three share their creation time."""
    made, numbers = _cases_off_their_dates(world)
    with sqlite3.connect(database_path(world.db.data_dir)) as c:
        # The tied cases numbered in the order of their uuids: the day read first then holds the smaller uuid, and
        # the next day, whose newest case is as new as the page's last, must still be read.
        tied = sorted(made[3:6])
        for uid in tied:
            c.execute("UPDATE cases SET case_number = ? WHERE uuid = ?", ("renumbering-" + uid, uid))
        for uid, number in zip(tied, sorted(numbers[u] for u in tied), strict=True):
            numbers[uid] = number
            c.execute("UPDATE cases SET case_number = ? WHERE uuid = ?", (number, uid))
        for i, created in ((2, AT + timedelta(days=150)), (7, AT - timedelta(days=300)), (8, AT - timedelta(days=299))):
            numbers[made[i]] = numbers[made[i]].replace("-2026", "-2025", 1)  # numbered a year before: old numbers
            c.execute("UPDATE cases SET case_number = ?, created_at = ? WHERE uuid = ?",
                      (numbers[made[i]], to_db(created), made[i]))  # fmt: skip
    old_year = numbers[made[7]][: len(SITE) + 8]  # the site, the window and 2025: only old numbers
    assert old_year.endswith("-2025") and sum(n.startswith(old_year) for n in numbers.values()) == 3
    serves = ((SITE, "rs"), (SITE, "mz"))
    lists = [inbox.inbox_filter(inbox.InboxView.ALL, serves)]
    lists += [q.window_filter(v) for v in q.WindowView if v is not q.WindowView.TODAY]
    lists += [q.CaseFilter((Status.TRANSFERRED,), order=q.Order.NEWEST), q.CaseFilter(site_code=SITE),
              q.CaseFilter(site_code="421224999"), inbox.inbox_filter(inbox.InboxView.TO_SIGN, serves)]  # fmt: skip
    prefixes = (SITE, old_year, old_year.replace("-2025", "-2026"), numbers[made[9]][: len(SITE) + 10],
                numbers[made[4]][:21], numbers[made[4]][:-2], "421224999")  # fmt: skip
    monkeypatch.setattr(case_sql, "BROAD_NAME", 0)  # every prefix with a match counts as broad here
    monkeypatch.setattr(case_tallies, "SMALL_LIST", 0)  # and no list as small
    day = case_number_plans.NUMBER_DAY
    every = q.count(world.db, q.CaseFilter())
    for plan, number_day, dense in (("days", day, 10**6), ("walk", 0, 10**6), ("dense", day, 1)):
        monkeypatch.setattr(case_number_plans, "NUMBER_DAY", number_day)  # 0: no prefix is short enough, every list is walked
        monkeypatch.setattr(case_number_plans, "DENSE", dense)  # 1: by day only where the list's conditions hold every case
        for f in lists:
            for prefix in prefixes:
                searched = f.searching(prefix)
                expected = _full_read(world, f, prefix)
                for limit in (1, 2, 5, 100):
                    assert _every_page(world, searched, limit) == expected, (plan, f, prefix, limit)
                with world.db.plain_reading() as c:
                    by_day = any("c.uuid IN" in w for b in q._branches(c, world.db.keys, searched, wanted=3)
                                 for w in b.where)  # fmt: skip
                holds_all = q.count(world.db, f) == every
                taken = (plan != "walk" and f.order is q.Order.NEWEST and len(prefix) <= day and bool(expected)
                         and (plan == "days" or holds_all))  # fmt: skip
                assert by_day == taken, (plan, f, prefix)
    assert _full_read(world, q.window_filter(q.WindowView.ALL), old_year) == [made[2], made[8], made[7]]  # as created


def test_a_newest_first_list_with_few_cases_under_a_broad_prefix_reads_their_ranges(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A newest-first list holding few cases under a broad prefix (none at all: the number-day plan's worst case,
    every case of the prefix tested) is read from the ranges of ix_cases_status_number that hold any, found one
    seek each; a list holding more is read by number day. Either way every keyset page lists exactly the rows of
    a full read, in the same order, and the list's count under the prefix is theirs."""
    made, numbers = _cases_off_their_dates(world)
    few = 3
    monkeypatch.setattr(case_sql, "BROAD_NAME", few)  # a prefix of more than three cases is broad; three are few
    monkeypatch.setattr(case_tallies, "SMALL_LIST", 0)  # no list is small
    monkeypatch.setattr(case_number_plans, "DENSE", 10**6)  # and every list dense enough for the number days
    serves = ((SITE, "rs"), (SITE, "mz"))
    lists = [inbox.inbox_filter(inbox.InboxView.ALL, serves), q.window_filter(q.WindowView.BACK_OFFICE),
             q.CaseFilter((Status.IN_REVIEW,)), q.CaseFilter((Status.TRANSFERRED,), serves=((SITE, "ga"),)),
             q.CaseFilter((Status.IN_REVIEW, Status.ACCEPTED), site_code=SITE), q.CaseFilter(site_code=SITE),
             q.CaseFilter((Status.RESULT_AT_WINDOW,))]  # fmt: skip
    prefixes = (SITE, numbers[made[0]][: len(SITE) + 8], numbers[made[9]][: len(SITE) + 10],
                numbers[made[4]][: len(SITE) + 10])  # fmt: skip
    plans: set[str] = set()
    for f in lists:
        for prefix in prefixes:
            searched = f.searching(prefix)
            expected = _full_read(world, f, prefix)
            for limit in (1, 2, 5, 100):
                assert _every_page(world, searched, limit) == expected, (f, prefix, limit)
            assert q.count(world.db, searched) == len(expected), (f, prefix)  # counted in the same parts
            with world.db.plain_reading() as c:
                branches = q._branches(c, world.db.keys, searched, wanted=3)
            numbered = [b for b in branches if any("case_number" in w for w in b.where)]
            by_day = any("c.uuid IN" in w for b in branches for w in b.where)
            ranged = not by_day and all(b.index == "ix_cases_status_number" for b in numbered)
            broad = sum(n.startswith(prefix) for n in numbers.values()) > few
            held = q.count(world.db, f) > 0  # an empty list is small: walked
            if broad and held and f.order is q.Order.NEWEST and (f.statuses or f.site_code or f.serves):
                plan = "ranges" if len(expected) <= few else "days"
                assert (ranged, by_day) == (plan == "ranges", plan == "days"), (f, prefix, len(expected))
                plans.add(f"{plan}, {'none' if not expected else 'some'}")
    assert plans == {"ranges, none", "ranges, some", "days, some"}  # every case of the plan was met


def test_a_newest_first_list_reads_no_number_day_after_its_last_match(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A list whose cases under a broad prefix all lie in the prefix's earliest days: the number-day plan reads no
    later day (each of those was read in full before and held nothing of it), and still lists every page exactly
    as a full read does. The last day is found on ix_cases_status_number, one seek per part of the list."""
    made, numbers = _cases_off_their_dates(world)
    with sqlite3.connect(database_path(world.db.data_dir)) as c:  # the first three numbers go back to the window
        first = sorted(made, key=numbers.__getitem__)[:3]
        c.executemany("UPDATE cases SET status = ? WHERE uuid = ?", [(Status.RESULT_AT_WINDOW.value, u) for u in first])
    monkeypatch.setattr(case_sql, "BROAD_NAME", 0)  # every prefix counts as broad, no list holds few of it
    monkeypatch.setattr(case_tallies, "SMALL_LIST", 0)
    monkeypatch.setattr(case_number_plans, "DENSE", 10**6)
    f = q.CaseFilter((Status.RESULT_AT_WINDOW,))
    days_read: list[str] = []
    real = case_number_plans._newest_by_day

    def newest_by_day(c, f, start, after, wanted, last_day=None):  # type: ignore[no-untyped-def]
        days_read.append(last_day)
        return real(c, f, start, after, wanted, last_day)

    monkeypatch.setattr(case_number_plans, "_newest_by_day", newest_by_day)
    expected = _full_read(world, f, SITE)
    assert sorted(expected) == sorted(first)
    for limit in (1, 2, 100):
        assert _every_page(world, f.searching(SITE), limit) == expected, limit
    latest_of_list = max(numbers[u] for u in first)[: case_number_plans.NUMBER_DAY]
    latest_of_prefix = max(numbers.values())[: case_number_plans.NUMBER_DAY]
    assert latest_of_list < latest_of_prefix  # the bound matters here
    assert days_read and set(days_read) == {latest_of_list}
