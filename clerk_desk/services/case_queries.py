"""The one list service: every list of cases (the window's 办件 list, the back office's inbox, 归档's day
list, the follow-up lists of services/follow_up.py) is a :class:`CaseFilter` (data) read here, in plain
SQL, a keyset page at a time, as :class:`case_rows.CaseRow`.

Pages are fetched by keyset ((created_at, uuid), or (closed_at, uuid) for 归档) rather than OFFSET, so
page 5,000 of a million cases costs the same as page 1; every filter has an index to walk (migrations
0003 and 0004). The list is read without the ORM: its first page is on the desk's start-up path, which
must not wait for SQLAlchemy to load (store/sqlite_file.py).

Personal data is sealed (docs/personal-data.md): the exact ID number and the name prefix are found
through their blind indexes, and a page opens the applicant's name of the rows it shows, nothing else.
A purged applicant shows as 已清除.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from clerk_desk.domain.lifecycle import CaseState, EventType, Side, Status, allowed_events
from clerk_desk.domain.workdays import SHANGHAI, CalendarLike
from clerk_desk.services import case_rows
from clerk_desk.services.case_rows import (  # noqa: F401 (the list's words, for its callers)
    STATUS_ZH,
    WITHDRAWAL_PENDING_ZH,
    CaseRow,
    applicant_name,
    status_text,
)
from clerk_desk.store.data_keys import DataKeys
from clerk_desk.store.database import Database
from clerk_desk.store.sqlite_file import to_db

EVENT_ZH = {
    "intake_saved": "保存草稿", "accepted": "受理", "completed_on_spot": "当场办结",
    "supplement_notified": "一次性告知", "refused": "不予受理", "pledge_recorded": "容缺承诺",
    "pledge_fulfilled": "容缺材料已补齐", "pledge_overdue": "容缺材料逾期", "transferred": "流转后台",
    "retransferred": "补正后重新流转", "received": "后台签收", "clock_paused": "暂停计时",
    "clock_resumed": "恢复计时", "supplement_requested": "退回补正", "decided": "审批决定",
    "result_returned": "结果返回窗口", "delivered": "送达", "withdrawal_requested": "申请撤回",
    "withdrawn": "撤回", "archived": "归档", "document_printed": "打印文书", "reprinted": "补打文书",
    # supervision (docs/supervision.md)
    "supervision_issued": "督办单", "supervision_answered": "督办说明", "violation_excused": "违规免责",
    # hall services (docs/hall-services.md)
    "rated": "好差评", "rating_followed_up": "差评回访",
    # records that are not cases (domain/hall_streams.py): the sync panel names them too
    "consultation_logged": "咨询登记", "assist_opened": "帮办代办委托", "assist_step": "帮办代办步骤",
    "attendance_signed_on": "签到上岗", "attendance_break_started": "暂离", "attendance_break_ended": "结束暂离",
    "attendance_signed_off": "签退",
    "applicant_notified": "通知申请人", "materials_verified": "当面核实材料", "paper_filed": "部门归档",  # hall ops
}


def withdrawal_act(state: CaseState) -> str | None:
    """What the window may offer for a withdrawal, by the shared lifecycle: "withdraw" (the window holds
    the case), "request" (the back office holds it and nobody has asked yet), or None."""
    allowed = allowed_events(state, Side.WINDOW)
    if EventType.WITHDRAWN in allowed:
        return "withdraw"
    return "request" if EventType.WITHDRAWAL_REQUESTED in allowed else None


class Order(StrEnum):
    NEWEST = "newest"  # created_at, the newest first (the window's list, the inbox's 全部)
    OLDEST = "oldest"  # created_at, the oldest first (work views: first come, first served)
    CLOSED = "closed"  # when it closed at the window, the earliest first (归档)


@dataclass(frozen=True, slots=True)
class CaseFilter:
    """Which cases a list shows, as data (every field narrows; the defaults let everything through)."""

    statuses: tuple[Status, ...] = ()
    text: str = ""  # case number (or its start), applicant name (or its start), exact ID number, item code
    item_codes: tuple[str, ...] = ()  # items the text matched in the catalog (resolved by the caller)
    created_from: datetime | None = None
    created_before: datetime | None = None
    serves: tuple[tuple[str, str], ...] | None = None  # an approver's (site, department) pairs; () sees nothing
    site_code: str | None = None
    withdrawal_requested: bool | None = None  # a request from the window waits for the back office
    due_before: datetime | None = None  # the decision's due date has passed (督办)
    transfer_due_before: datetime | None = None  # the window's hand-over deadline has passed
    pledge_open: bool | None = None  # 容缺 material still owed
    closed_from: datetime | None = None  # closed at the window in [closed_from, closed_before) (归档)
    closed_before: datetime | None = None
    uuids: tuple[str, ...] = ()  # only these cases (the rows a change touched, what was just archived)
    unreached: bool = False  # nobody has reached the applicant about the result yet (no 已通知 call in the case)
    order: Order = Order.NEWEST

    def searching(self, text: str, item_codes: tuple[str, ...] = ()) -> CaseFilter:
        return replace(self, text=text.strip(), item_codes=item_codes)


class WindowView(StrEnum):
    """The tabs of the window's 办件 list."""

    TODAY = "today"
    TO_TRANSFER = "to_transfer"  # accepted (or back from 补正) and not yet handed over
    BACK_OFFICE = "back_office"
    RESULTS = "results"  # result at the window, waiting for hand-over
    ALL = "all"


_WINDOW_STATUSES: dict[WindowView, tuple[Status, ...]] = {
    WindowView.TO_TRANSFER: (Status.ACCEPTED, Status.SUPPLEMENT_REQUESTED),
    WindowView.BACK_OFFICE: (Status.TRANSFERRED, Status.IN_REVIEW, Status.PAUSED, Status.DECIDED),
    WindowView.RESULTS: (Status.RESULT_AT_WINDOW,),
}


def window_filter(view: WindowView, *, now: datetime | None = None, text: str = "",
                  item_codes: tuple[str, ...] = ()) -> CaseFilter:  # fmt: skip
    """The filter of a tab of the window's list (今日 is the hall's day, Asia/Shanghai)."""
    if view is WindowView.TODAY:
        start = _today_start(now or datetime.now(UTC))
        return CaseFilter(created_from=start, created_before=start + timedelta(days=1)).searching(text, item_codes)
    return CaseFilter(_WINDOW_STATUSES.get(view, ())).searching(text, item_codes)


@dataclass(frozen=True, slots=True)
class Page:
    rows: tuple[CaseRow, ...]
    next_key: tuple[datetime, str] | None  # pass back as ``after`` for the next page


_ID_RE = re.compile(r"^\d{17}[\dXx]$")
_CASE_NO_RE = re.compile(r"^[A-Z0-9]{3,12}[- ]")
_ITEM_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-_.]*$")


def _today_start(now: datetime) -> datetime:
    local = now.astimezone(SHANGHAI)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _from_cases(index: str | None = None) -> str:
    indexed = f" INDEXED BY {index}" if index else ""
    return f" FROM cases AS c{indexed} JOIN departments AS d ON d.code = c.department_code"


_FROM_CASES = _from_cases()
_FROM = f"{_FROM_CASES} LEFT OUTER JOIN persons AS a ON a.id = c.applicant_id"
# 归档: each case's last closing event in the span (events the hub refused are not part of the case).
_CLOSED = (
    " JOIN (SELECT e.case_uuid AS closed_uuid, max(e.occurred_at) AS closed_at FROM case_events AS e"
    f" WHERE e.type IN ({', '.join('?' * len(case_rows.CLOSING))}) AND e.occurred_at >= ? AND e.occurred_at < ?"
    " AND e.push_state NOT IN ('rejected', 'held', 'set_aside') GROUP BY e.case_uuid) AS x ON x.closed_uuid = c.uuid"
)
# Bound, never written into the SQL: told a small literal LIMIT, SQLite's planner may prefer a
# multi-index OR plan for the keyset condition (8 s on a million cases, against 1 ms walking the date index).
_LIMIT = " LIMIT ? OFFSET ?"
_BROAD_NAME = 2000  # more matches than this: walk cases in date order instead of sorting the matches
# A case-number prefix within statuses spanning at most this many cases (of any department) is read as a range
# of ix_cases_status_number and its page sorted from the index: ~0.2 µs a case, so at most ~10 ms of CPU.
RANGE_SORT = 50_000
_NUMBER_INDEX = "ix_cases_status_number"
# A newest-first list under a broad case-number prefix of at most NUMBER_DAY characters whose conditions hold at
# least 1/DENSE of the cases is read by number day from ix_cases_number_day (:func:`_number_days`).
NUMBER_DAY = 21  # the site, the window and the date of the county's numbers: 421224100-01-20261207
DENSE = 16
_DAY_INDEX = "ix_cases_number_day"
_DAY = f"substr(c.case_number, 1, {NUMBER_DAY})"  # written as in the index, or SQLite does not use it
SMALL_LIST = 2000  # a list of at most this many cases is walked to count a search in it
_TOP = "\U0010ffff"


@dataclass(frozen=True)
class Branch:
    """One way the search can match: WHERE conditions and their parameters. ``narrow``: few rows, so
    find them by their own index and sort them, instead of walking every case in date order."""

    where: tuple[str, ...]
    params: tuple[Any, ...]
    narrow: bool = False
    index: str | None = None  # a narrow branch's matches are found through this index (INDEXED BY)

    def also(self, condition: str, *params: Any, narrow: bool | None = None) -> Branch:
        return Branch((*self.where, condition), (*self.params, *params),
                      self.narrow if narrow is None else narrow, self.index)  # fmt: skip

    def sql(self) -> str:
        return " WHERE " + " AND ".join(self.where) if self.where else ""


def _prefix(column: str, text: str) -> tuple[str, tuple[str, str]]:
    # A prefix as an index range: LIKE cannot use SQLite's default (case-sensitive) indexes.
    return f"{column} >= ? AND {column} < ?", (text, text + _TOP)


def _is_broad(c: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> bool:
    """More matches than _BROAD_NAME? Counted on the index, stopping at the threshold."""
    found = c.execute(f"SELECT count(*) FROM ({sql}{_LIMIT})", (*params, _BROAD_NAME + 1, 0)).fetchone()[0]
    return int(found) > _BROAD_NAME


def _base(f: CaseFilter, *, led: bool = True, status_led: bool = True) -> Branch:
    """The conditions of ``f`` but its text. ``led=False``: written so that SQLite cannot walk their
    indexes (a unary +), and the search text's own index leads; ``status_led=False``: the same for the
    statuses alone. A pending withdrawal request always leads by its partial index (ix_cases_withdrawal_pending:
    a few cases, where a status holds a hundred thousand)."""
    b = Branch((), ())
    plus = "" if led else "+"
    status_plus = "+" if not led or not status_led or f.withdrawal_requested else ""
    if f.statuses:
        b = b.also(f"{status_plus}c.status IN ({', '.join('?' * len(f.statuses))})", *(s.value for s in f.statuses))
    for column, op, at in (("created_at", ">=", f.created_from), ("created_at", "<", f.created_before),
                           ("due_at", "<", f.due_before), ("transfer_due_at", "<", f.transfer_due_before)):
        if at is not None:
            b = b.also(f"{plus}c.{column} {op} ?", to_db(at))
    # Site and department are tested, never led by (a unary +): otherwise SQLite may skip-scan the statuses of
    # ix_cases_status_number for a count that its case-number index leads (18 ms against 2); the ranges of that
    # index name them on their own (:func:`_ranges`).
    if f.serves is not None:  # serving nothing: sees nothing
        pairs = " OR ".join("(+c.site_code = ? AND +c.department_code = ?)" for _ in f.serves) or "0"
        b = b.also(f"({pairs})", *(x for pair in f.serves for x in pair))
    if f.site_code is not None:
        b = b.also("+c.site_code = ?", f.site_code)
    if f.uuids:
        b = b.also(f"c.uuid IN ({', '.join('?' * len(f.uuids))})", *f.uuids, narrow=True)
    for column, wanted in (("withdrawal_requested", f.withdrawal_requested), ("pledge_open", f.pledge_open)):
        if wanted is not None:  # a literal: SQLite uses a partial index (ix_cases_pledge_open) only for one
            b = b.also(f"c.{column} = {int(wanted)}")
    if f.unreached:
        b = b.also(_UNREACHED, EventType.APPLICANT_NOTIFIED.value)
    return b


# A call that reached the applicant, in the case: the events a list row reads (case_rows._told) are those
# the hub did not refuse; the fold counts a call the same way (services/result_calls.line_of).
_UNREACHED = (
    "NOT EXISTS (SELECT 1 FROM case_events AS n WHERE n.case_uuid = c.uuid AND n.type = ?"
    " AND n.push_state NOT IN ('rejected', 'held', 'set_aside') AND json_extract(n.payload, '$.outcome') = 'reached')"
)


def _branches(c: sqlite3.Connection, keys: DataKeys, f: CaseFilter, *, counting: bool = False,
              after: tuple[datetime, str] | None = None, wanted: int | None = None) -> list[Branch]:  # fmt: skip
    """One query per way the search text can match. Each is planned on its own index and the pages are
    merged, because SQLite plans an OR across tables as a full scan.

    ``counting`` (no order needed): the kept counts say how many cases the list holds without the text.
    A small list (今日) is walked and each case tested against the text; in a large one the text's own
    index leads (the people of that name, the case numbers of that prefix) and the list's conditions only
    test what it finds, up to the cap (docs/cases.md, "Tab counts").

    ``after``, ``wanted``: the page's keyset key and how many rows it needs (a page passes them): a newest-first
    list under a broad case-number prefix may then be read by number day (:func:`_number_days`)."""
    text = f.text.strip()
    if not text:
        return [_base(f)]
    if wanted is not None and not counting:
        by_day = _number_days(c, f, text, after, wanted)
        if by_day is not None:
            return by_day
    if counting:
        with_text = not _small(c, f)
        return _text_branches(c, keys, f, f, text, led=not with_text, order_free=with_text)
    if len(f.statuses) > 1 and f.order is not Order.CLOSED:
        mostly, size = _mostly(c, f)
        if mostly:  # most cases are of these statuses: one walk in date order, each case's status tested
            # (matches of a case-number prefix are then dense in date order: no range is counted, see _ranges)
            return _text_branches(c, keys, f, f, text, led=True, order_free=False, status_led=False, ranged=False,
                                  size=size)  # fmt: skip
        # One walk per status, each in date order on its own part of ix_cases_status_walk, merged
        # by page(): SQLite walks several statuses in date order only by testing every case of the span.
        scopes = [replace(f, statuses=(status,)) for status in f.statuses]
        return [b for scope in scopes for b in _text_branches(c, keys, f, scope, text, led=True, order_free=False)]
    return _text_branches(c, keys, f, f, text, led=True, order_free=False)


def _mostly(c: sqlite3.Connection, f: CaseFilter) -> tuple[bool, int | None]:
    """Do ``f``'s statuses hold at least half the cases ``f`` would hold without them (by the kept counts)? And
    how many they hold (None when the kept counts cannot say). Both from one read of the counts, by status: each
    read goes through every day's row of the list's departments (~1-2 ms at a million cases)."""
    every = _tallied(replace(f, text="", item_codes=(), statuses=()), "status, sum(n)", ())
    if every is None:
        return False, None
    sql, params = every
    by_status = {status: int(n) for status, n in c.execute(f"{sql} GROUP BY status", params)}
    tab = sum(by_status.get(s.value, 0) for s in f.statuses)
    return 2 * tab >= sum(by_status.values()), tab


def _small(c: sqlite3.Connection, f: CaseFilter, *, unknown: bool = True) -> bool:
    """At most SMALL_LIST cases in ``f`` without its text, by the kept counts (``unknown`` when they cannot say)."""
    summed = tallied(replace(f, text="", item_codes=()))
    return unknown if summed is None else _tab_size(c, summed) <= SMALL_LIST


def _tab_size(c: sqlite3.Connection, summed: tuple[str, tuple[Any, ...]]) -> int:
    return int(c.execute(*summed).fetchone()[0])


def _text_branches(c: sqlite3.Connection, keys: DataKeys, f: CaseFilter, scope: CaseFilter, text: str, *,
                   led: bool, order_free: bool, status_led: bool = True, ranged: bool = True,
                   size: int | None = None) -> list[Branch]:  # fmt: skip
    """The ways ``text`` matches in ``scope`` (``f`` itself, or one status of it). ``led``, ``status_led``: the
    scope's own indexes may lead (see :func:`_base`); ``order_free``: find the matches from the text's index
    (no date order to keep); ``ranged``: a broad case-number prefix may be read as ranges (:func:`_ranges`)
    when they are counted small enough; ``size``: how many cases ``scope`` holds without the text, when the caller
    has read it from the kept counts already."""
    base = _base(scope, led=led, status_led=status_led)
    kind = _text_kind(text)
    if kind is _Text.ID_NUMBER:
        ids = "(SELECT p.id FROM persons AS p WHERE p.id_number_key = ?)"
        key = keys.id_number_key(_compact(text))
        return [base.also(f"c.applicant_id IN {ids}", key, narrow=True),
                base.also(f"c.agent_id IN {ids}", key, narrow=True)]  # fmt: skip
    # A small scope by the kept counts (a rare status, the pending withdrawal requests) is walked and each case
    # tested: the text's own index could hold a hundred thousand cases to test against a scope of ten.
    walked = led and not order_free and (size <= SMALL_LIST if size is not None else _small(c, scope, unknown=False))
    # Otherwise an item code leads by its own index (item and date): a status's index walked for a code no
    # case has reads every case of that status.
    item_base = _base(scope, led=led, status_led=walked)
    item = "+c.item_code = ?" if walked else "c.item_code = ?"
    branches = _item_branches(f, item_base, text, item) if f.item_codes or _ITEM_CODE_RE.match(text) else []
    if kind is _Text.CASE_NUMBER:
        # Digits alone may be the start of a case number or an item code.
        cond, params = _prefix("c.case_number", _normalise_case_number(text))
        if walked or not order_free and _is_broad(c, f"SELECT c.uuid FROM cases AS c WHERE {cond}", params):
            in_range = None if walked else _ranges(c, scope, cond, params, count=ranged)
            if in_range is not None:
                # The prefix's ranges within the statuses are small enough: read them from ix_cases_status_number
                # and sort their keys, instead of walking in date order through cases of other numbers (the
                # oldest first: every case of earlier years before the first match).
                return [*in_range, *branches]
            # Walk in date order and test each number (an expression keeps SQLite off the number index).
            cond, params = _prefix("coalesce(c.case_number, '')", _normalise_case_number(text))
            return [base.also(cond, *params), *branches]
        return [base.also(cond, *params, narrow=True), *branches]
    named_ids = "SELECT k.person_id FROM person_name_keys AS k WHERE k.key = ?"
    key = keys.name_prefix_key(text)
    kept = name_tallied(scope, key)
    if key is None or (kept is not None and _tab_size(c, kept) == 0):
        return branches  # nobody of that name in this scope (the kept counts say so): nothing to walk
    if walked or not order_free and _is_broad(c, named_ids, (key,)):
        # A common name: walk the scope in date order and probe each case's applicant (read from the index
        # walked) until the page is full.
        return [base.also(f"EXISTS ({named_ids} AND k.person_id = c.applicant_id)", key), *branches]
    # A rare name: start from the few people, then sort their cases.
    return [base.also(f"c.applicant_id IN ({named_ids})", key, narrow=True), *branches]


def _ranges(c: sqlite3.Connection, scope: CaseFilter, cond: str, params: tuple[Any, ...], *,
            count: bool) -> list[Branch] | None:  # fmt: skip
    """``scope``'s matches of a case-number prefix (``cond``) as ranges of ix_cases_status_number, one per
    (site, department) pair it serves, each to be sorted by the keyset from the index; None when the list is to be
    walked instead. Taken for an oldest-first list by status and the pairs an approver serves (other conditions
    but dates would read the cases) whose ranges hold at most RANGE_SORT cases: the kept counts say when the
    statuses hold no more than that in those pairs at all; otherwise the ranges are counted on the index,
    stopping there, unless ``count`` is False (the statuses hold most of the list's cases, so the walk in date
    order meets the prefix's cases densely, and ranges that large are not worth counting: ~2 ms per 50,000).

    Oldest first only (the inbox's work tabs): a range is read in number order, which mostly follows the date,
    so sorting it for the oldest 100 drops nearly every later case at once (~0.2 µs a case), where the newest
    first would take each one in and push one out (~0.5 µs); and a newest-first walk meets a recent prefix at
    once. (A newest-first list under a prefix of only old numbers is read by number day: :func:`_number_days`.)"""
    if not scope.statuses or not scope.serves or scope.order is not Order.OLDEST or scope.uuids or scope.unreached:
        return None
    if scope.withdrawal_requested is not None or scope.pledge_open is not None:
        return None
    if scope.due_before is not None or scope.transfer_due_before is not None:
        return None
    pairs = [replace(scope, serves=(pair,)) for pair in dict.fromkeys(scope.serves)]
    held = tallied(replace(scope, text="", item_codes=(), created_from=None, created_before=None, site_code=None))
    if held is None or _tab_size(c, held) > RANGE_SORT:
        if not count:
            return None
        statuses = ", ".join("?" * len(scope.statuses))
        each = (f"SELECT 1 FROM cases AS c INDEXED BY {_NUMBER_INDEX}"
                f" WHERE c.status IN ({statuses}) AND c.site_code = ? AND c.department_code = ? AND {cond}")  # fmt: skip
        spanned = f"SELECT count(*) FROM ({' UNION ALL '.join(each for _ in pairs)}{_LIMIT})"
        values = [s.value for s in scope.statuses]
        bound = [x for p in pairs for x in (*values, *(p.serves or ())[0], *params)]
        if int(c.execute(spanned, (*bound, RANGE_SORT + 1, 0)).fetchone()[0]) > RANGE_SORT:
            return None
    return [replace(_base(replace(p, serves=None)), index=_NUMBER_INDEX)
            .also("c.site_code = ? AND c.department_code = ?", *(p.serves or ())[0])
            .also(cond, *params, narrow=True) for p in pairs]  # fmt: skip


def _number_days(c: sqlite3.Connection, f: CaseFilter, text: str, after: tuple[datetime, str] | None,
                 wanted: int) -> list[Branch] | None:  # fmt: skip
    """The ``wanted`` newest cases of ``f`` after ``after`` whose number starts with ``text``, read by number day
    from ix_cases_number_day, as a branch naming them (and the text's item-code branches); None when the list
    is to be read as before.

    A prefix of at most NUMBER_DAY characters matches whole number days (the numbers' first NUMBER_DAY
    characters), whatever the numbers look like. The days under the prefix are found one seek each, and each
    day's newest date (after the key) another; the days are then read newest first by that date, each in date
    order with status, site and department tested from the index, until the page is full and no day left can
    hold a newer case. A case created on another date than its number's is in its number's day with its own
    date: found exactly where it belongs. The walk in date order it replaces went through every newer case
    before the first match (a year-old prefix: 470,000 cases, 80-200 ms at a million).

    Taken for a newest-first list under a broad prefix (more than _BROAD_NAME matches: fewer are sorted), not
    small, narrowed only by status, site, department and dates, whose conditions hold at least 1/DENSE of all
    cases by the kept counts (:func:`_dense`): then a day's newest matches lie among its newest few entries."""
    prefix = _normalise_case_number(text)
    if f.order is not Order.NEWEST or _text_kind(text) is not _Text.CASE_NUMBER or len(prefix) > NUMBER_DAY:
        return None
    if f.uuids or f.unreached or f.withdrawal_requested is not None or f.pledge_open is not None:
        return None
    if f.due_before is not None or f.transfer_due_before is not None:
        return None
    if f.closed_from is not None or f.closed_before is not None:
        return None
    cond, params = _prefix("c.case_number", prefix)
    if not _is_broad(c, f"SELECT c.uuid FROM cases AS c WHERE {cond}", params):
        return None
    if not _dense(c, replace(f, text="", item_codes=())):
        return None
    found = _newest_by_day(c, f, prefix, after, wanted)
    named = [_base(f).also(f"c.uuid IN ({', '.join('?' * len(found))})", *found, narrow=True)] if found else []
    return [*named, *_item_branches(f, _base(f, status_led=False), text)]


def _newest_by_day(c: sqlite3.Connection, f: CaseFilter, prefix: str, after: tuple[datetime, str] | None,
                   wanted: int) -> list[str]:  # fmt: skip
    """The uuids of :func:`_number_days`'s cases: the ``wanted`` newest of ``f`` after ``after`` under ``prefix``."""
    source = f"FROM cases AS c INDEXED BY {_DAY_INDEX}"
    top = prefix + _TOP
    newest = "" if after is None else " AND c.created_at <= ?"
    # One seek per day: the next day under the prefix, then its newest date (no later than the key).
    days = c.execute(
        f"WITH RECURSIVE days(day) AS (SELECT (SELECT {_DAY} {source} WHERE {_DAY} >= ? AND {_DAY} < ?"
        f" ORDER BY {_DAY} LIMIT 1) UNION ALL SELECT (SELECT {_DAY} {source} WHERE {_DAY} > days.day AND {_DAY} < ?"
        f" ORDER BY {_DAY} LIMIT 1) FROM days WHERE days.day IS NOT NULL)"
        f" SELECT day, (SELECT c.created_at {source} WHERE {_DAY} = days.day{newest}"
        f" ORDER BY c.created_at DESC LIMIT 1) AS latest FROM days WHERE day IS NOT NULL",
        (prefix, top, top, *(() if after is None else (to_db(after[0]),))),
    ).fetchall()
    # The list's own conditions, tested from the index (its unary + keeps SQLite on the day's date order), and the
    # join every list makes to the case's department.
    tested = _base(replace(f, text="", item_codes=()), led=False)
    if after is not None:
        tested = tested.also("(c.created_at, c.uuid) < (?, ?)", to_db(after[0]), after[1])
    tested = tested.also("EXISTS (SELECT 1 FROM departments AS d WHERE d.code = c.department_code)")
    read = (f"SELECT c.created_at, c.uuid {source} WHERE {_DAY} = ? AND {' AND '.join(tested.where)}"
            f" ORDER BY c.created_at DESC, c.uuid DESC LIMIT ?")  # fmt: skip
    kept: list[tuple[str, str]] = []
    for day, latest in sorted(((d, at) for d, at in days if at is not None), key=lambda x: x[1], reverse=True):
        if len(kept) >= wanted and latest < kept[wanted - 1][0]:
            break  # no case of this day, nor of any day after it here, is newer than the page's last
        read_day = [(str(at), str(uid)) for at, uid in c.execute(read, (day, *tested.params, wanted))]
        kept = sorted([*kept, *read_day], reverse=True)[:wanted]
    return [uid for _at, uid in kept]


def _dense(c: sqlite3.Connection, f: CaseFilter) -> bool:
    """Do ``f``'s conditions hold more than SMALL_LIST cases (a small list is walked) and at least 1/DENSE of all
    cases? ``f``'s cases by the kept counts; all cases about as many as the table's last rowid (one seek, where
    summing every kept count takes ~2 ms at a million cases: a plan is chosen by it, no row depends on it)."""
    kept = tallied(f)
    if kept is None:
        return False
    every = int(c.execute("SELECT coalesce(max(rowid), 0) FROM cases").fetchone()[0])
    held = every if _kept_where(f) == ([], []) else _tab_size(c, kept)
    return held > SMALL_LIST and held * DENSE >= every


class _Text(StrEnum):
    """What a search text is read as (besides an item code, which any of them may also be)."""

    ID_NUMBER = "id_number"  # exact, through its blind index
    CASE_NUMBER = "case_number"  # a case number or its start (digits alone too)
    NAME = "name"  # the start of the applicant's name, through the name-prefix blind index


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def _text_kind(text: str) -> _Text:
    compact = _compact(text)
    if _ID_RE.match(compact):
        return _Text.ID_NUMBER
    if _CASE_NO_RE.match(text.upper()) or compact.replace("-", "").isdigit():
        return _Text.CASE_NUMBER
    return _Text.NAME


def _item_branches(f: CaseFilter, base: Branch, text: str, condition: str = "c.item_code = ?") -> list[Branch]:
    """The text as an item code, and the item codes the catalog matched for it."""
    codes = ([text] if _ITEM_CODE_RE.match(text) else []) + list(f.item_codes)
    return [base.also(condition, code) for code in dict.fromkeys(codes)]


def _normalise_case_number(text: str) -> str:
    """Accept the grouped reading form (``421224 03 2026 1126 000 123``) as well as the compact one."""
    parts = text.upper().replace("-", " ").split()
    if len(parts) >= 3:
        head = parts[:2]
        rest = "".join(parts[2:])
        return "-".join(head + ([rest[:8], rest[8:]] if len(rest) > 8 else [rest]))
    return text.upper().replace(" ", "")


def _from(f: CaseFilter) -> tuple[str, tuple[Any, ...]]:
    if f.closed_from is None and f.closed_before is None:
        return _FROM, ()
    start = to_db(f.closed_from) if f.closed_from else ""
    end = to_db(f.closed_before) if f.closed_before else _TOP
    return _FROM + _CLOSED, (*case_rows.CLOSING, start, end)


def _keyed(f: CaseFilter, branch: Branch, after: tuple[datetime, str] | None, limit: int) -> tuple[str, tuple[Any, ...]]:
    closed = f.order is Order.CLOSED
    source, source_params = _from(f)
    column = "x.closed_at" if closed else "c.created_at"
    newest = f.order is Order.NEWEST
    if after is not None:
        # A row value, not "a < x OR (a = x AND b < y)": SQLite plans that OR as a multi-index OR and
        # sorts everything before the key (1-2 s for page 2 of a status view on a million cases).
        branch = branch.also(f"({column}, c.uuid) {'<' if newest else '>'} (?, ?)", to_db(after[0]), after[1])
    # For a narrow branch, an expression the date index cannot serve stops SQLite from walking a million
    # rows in date order hoping to meet the few matches; it finds them by their own index and sorts them.
    key = f"coalesce({column}, {column})" if branch.narrow else column
    way = "DESC" if newest else "ASC"
    select = f"SELECT {case_rows.COLUMNS}{case_rows.ARCHIVE_COLUMNS if closed else ''}, {column}"
    if branch.narrow and not closed:
        # The few matches are sorted by their key alone and only the page's rows are joined to their people
        # and read whole (a thousand matches of a case-number day: 7 ms of CPU against 2).
        found = f"SELECT c.uuid{_from_cases(branch.index)}{branch.sql()} ORDER BY {key} {way}, c.uuid {way}{_LIMIT}"
        return (f"{select}{source} WHERE c.uuid IN ({found}) ORDER BY {column} {way}, c.uuid {way}",
                (*source_params, *branch.params, limit, 0))  # fmt: skip
    return (f"{select}{source}{branch.sql()} ORDER BY {key} {way}, c.uuid {way}{_LIMIT}",
            (*source_params, *branch.params, limit, 0))  # fmt: skip


def page(
    db: Database, f: CaseFilter, *, after: tuple[datetime, str] | None = None, limit: int = 100,
    now: datetime | None = None, calendar: CalendarLike | None = None, events: bool = True,
) -> Page:
    """One keyset page of the cases ``f`` lets through; ``calendar`` adds the working days left.
    ``events=False`` leaves out what the rows' events tell (the hand-over, the decision, how it closed …):
    the window's list shows none of it, and its pages are read as the clerk types and scrolls."""
    now = now or datetime.now(UTC)
    keys = db.keys
    merged: dict[str, sqlite3.Row] = {}
    with db.plain_reading() as c:
        for branch in _branches(c, keys, f, after=after, wanted=limit + 1):
            for r in c.execute(*_keyed(f, branch, after, limit + 1)).fetchall():
                merged.setdefault(r[0], r)
        ordered = sorted(merged.values(), key=lambda r: (r[-1], r[0]), reverse=f.order is Order.NEWEST)
        shown = ordered[:limit]  # only the names shown are opened
        rows = case_rows.build(c, keys, shown, now=now, calendar=calendar, archive=f.order is Order.CLOSED,
                               events=events)
    more = len(ordered) > limit
    key = _key(shown[-1]) if more and shown else None
    return Page(rows, key)


def _key(r: sqlite3.Row) -> tuple[datetime, str]:
    at = datetime.fromisoformat(r[-1]).replace(tzinfo=UTC)  # the keyset column, as stored (UTC)
    return at, r[0]


def _hall_day(at: datetime | None) -> str | None:
    """The hall's day that starts at ``at`` (Asia/Shanghai midnight), or None when ``at`` is not one."""
    if at is None:
        return None
    local = at.astimezone(SHANGHAI)
    return local.date().isoformat() if local == _today_start(local) else None


def tallied(f: CaseFilter) -> tuple[str, tuple[Any, ...]] | None:
    """``f`` as a sum over ``case_counts`` (store/case_counts.py), when it narrows only by what the counts
    are kept by: status, the hall days it was created on, site and department, a pending withdrawal
    request. None for anything else (a search text, due dates, 容缺, 归档's closing day, given cases)."""
    return _tallied(f, "coalesce(sum(n), 0)", ())


def _tallied(f: CaseFilter, sums: str, sums_params: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]] | None:
    """:func:`tallied` with other sums over the same rows (``sums``, its parameters ``sums_params``)."""
    where = _kept_where(f)
    if where is None:
        return None
    conditions, params = where
    sql = f"SELECT {sums} FROM case_counts" + (" WHERE " + " AND ".join(conditions) if conditions else "")
    return sql, (*sums_params, *params)


def _kept_where(f: CaseFilter) -> tuple[list[str], list[Any]] | None:
    """The conditions of ``f`` on the kept counts' rows (None when they cannot say: :func:`tallied`)."""
    if f.text.strip() or f.uuids or f.due_before or f.transfer_due_before or f.pledge_open is not None or f.unreached:
        return None
    if f.closed_from is not None or f.closed_before is not None:
        return None
    days = [(_hall_day(at), op) for at, op in ((f.created_from, ">="), (f.created_before, "<")) if at is not None]
    if any(day is None for day, _op in days):
        return None
    where, params = _kept_conditions(f)
    for day, op in days:
        where.append(f"day {op} ?")
        params.append(day)
    return where, params


def name_tallied(f: CaseFilter, key: bytes | None) -> tuple[str, tuple[Any, ...]] | None:
    """How many cases of ``f`` have an applicant whose name starts with the prefix of blind-index ``key``, as
    a sum over ``case_name_counts`` (store/name_counts.py): when ``f`` without its text narrows only by
    status, site and department and a pending withdrawal request (not by days: those counts have none).
    None otherwise."""
    plain = replace(f, text="", item_codes=())
    if plain.created_from is not None or plain.created_before is not None or tallied(plain) is None:
        return None
    where, params = _kept_conditions(plain)
    sql = "SELECT coalesce(sum(n), 0) FROM case_name_counts WHERE key = ?" + "".join(f" AND {w}" for w in where)
    return sql, (key, *params)


def _kept_conditions(f: CaseFilter) -> tuple[list[str], list[Any]]:
    """The conditions of ``f`` on status, site and department, and a pending request, as the kept counts'."""
    where: list[str] = []
    params: list[Any] = []
    if f.statuses:
        where.append(f"status IN ({', '.join('?' * len(f.statuses))})")
        params += [s.value for s in f.statuses]
    if f.serves is not None:
        where.append("(" + (" OR ".join("(site_code = ? AND department_code = ?)" for _ in f.serves) or "0") + ")")
        params += [x for pair in f.serves for x in pair]
    if f.site_code is not None:
        where.append("site_code = ?")
        params.append(f.site_code)
    if f.withdrawal_requested is not None:
        where.append(f"withdrawal_requested = {int(f.withdrawal_requested)}")
    return where, params


def count(db: Database, f: CaseFilter, *, cap: int = 1_000) -> int:
    """How many match, capped at ``cap`` + 1 (the badge says "1000+" beyond). A filter the kept counts
    answer (:func:`tallied`) is a sum over them, flat in the number of cases; so is a name search in such a
    filter (:func:`name_tallied`); any other search is counted on the cases, stopping at the cap."""
    keys = db.keys
    seen: set[str] = set()
    source, source_params = _from(f)
    summed = tallied(f)
    with db.plain_reading() as c:
        if summed is not None:
            return min(int(c.execute(*summed).fetchone()[0]), cap + 1)
        named = _name_count(c, keys, f, cap)
        if named is not None:
            return named
        for b in _branches(c, keys, f, counting=True):
            sql = f"SELECT c.uuid{source}{b.sql()}{_LIMIT}"
            seen.update(r[0] for r in c.execute(sql, (*source_params, *b.params, cap + 1, 0)))
    return min(len(seen), cap + 1)


def _name_count(c: sqlite3.Connection, keys: DataKeys, f: CaseFilter, cap: int) -> int | None:
    """A name search counted from the kept counts per name prefix, capped like :func:`count`; the cases the
    text matches only as an item code (its own, or one the catalog found for it) are counted on the cases,
    leaving out those the name already counted. None when the kept counts cannot answer."""
    text = f.text.strip()
    if _text_kind(text) is not _Text.NAME:
        return None
    key = keys.name_prefix_key(text)
    summed = name_tallied(f, key)
    if summed is None:
        return None
    n = int(c.execute(*summed).fetchone()[0]) if key is not None else 0
    small = _small(c, f)  # a small list walked, or the item's index leading
    others: set[str] = set()
    for b in _item_branches(f, _base(f, led=small), text, "+c.item_code = ?" if small else "c.item_code = ?"):
        if n + len(others) > cap:
            break
        if key is not None:
            b = b.also("NOT EXISTS (SELECT 1 FROM person_name_keys AS k WHERE k.key = ? AND k.person_id = c.applicant_id)",
                       key)  # fmt: skip
        sql = f"SELECT c.uuid FROM cases AS c{b.sql()}{_LIMIT}"
        others.update(r[0] for r in c.execute(sql, (*b.params, cap + 1 - n, 0)))
    return min(n + len(others), cap + 1)


K = TypeVar("K")


def counts(db: Database, filters: Mapping[K, CaseFilter], *, cap: int = 1_000) -> dict[K, int]:
    """The count of each view (its tab's badge), each capped."""
    return {k: count(db, f, cap=cap) for k, f in filters.items()}
