"""The one list service: every list of cases (the window's 办件 list, the back office's inbox, 归档's day
list, the follow-up lists of services/follow_up.py) is a :class:`CaseFilter` (data) read here, in plain
SQL, a keyset page at a time, as :class:`case_rows.CaseRow`, and counted (:func:`count`, from the kept counts
where they can say: services/case_tallies.py). docs/cases.md, "How the list reads".

Pages are fetched by keyset ((created_at, uuid), or (closed_at, uuid) for 归档) rather than OFFSET, so
page 5,000 of a million cases costs the same as page 1; every filter has an index to walk (migrations
0003 and 0004). A broad case-number prefix has plans of its own (services/case_number_plans.py); the filter
and its SQL pieces are services/case_sql.py. The list is read without the ORM: its first page is on the desk's
start-up path, which must not wait for SQLAlchemy to load (store/sqlite_file.py).

Personal data is sealed (docs/personal-data.md): the exact ID number and the name prefix are found
through their blind indexes, and a page opens the applicant's name of the rows it shows, nothing else.
A purged applicant shows as 已清除.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from clerk_desk.domain.lifecycle import CaseState, EventType, Side, Status, allowed_events
from clerk_desk.domain.workdays import CalendarLike
from clerk_desk.services import case_number_plans, case_rows, case_tallies
from clerk_desk.services.case_rows import (  # noqa: F401 (the list's words, for its callers)
    STATUS_ZH,
    WITHDRAWAL_PENDING_ZH,
    CaseRow,
    applicant_name,
    status_text,
)
from clerk_desk.services.case_sql import (  # CaseFilter, Order: the list's words, for its callers too
    ITEM_CODE_RE,
    LIMIT,
    TOP,
    Branch,
    CaseFilter,
    Order,
    TextKind,
    base,
    compact,
    is_broad,
    item_branches,
    normalise_case_number,
    prefix,
    text_kind,
    today_start,
)
from clerk_desk.services.case_tallies import (  # tallied, name_tallied: for the list's callers too
    name_tallied,
    small,
    tab_size,
    tallied,
    tallied_with,
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
_FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")  # an ID as a full-width input method types it


def withdrawal_act(state: CaseState) -> str | None:
    """What the window may offer for a withdrawal, by the shared lifecycle: "withdraw" (the window holds
    the case), "request" (the back office holds it and nobody has asked yet), or None."""
    allowed = allowed_events(state, Side.WINDOW)
    if EventType.WITHDRAWN in allowed:
        return "withdraw"
    return "request" if EventType.WITHDRAWAL_REQUESTED in allowed else None


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
        start = today_start(now or datetime.now(UTC))
        return CaseFilter(created_from=start, created_before=start + timedelta(days=1)).searching(text, item_codes)
    return CaseFilter(_WINDOW_STATUSES.get(view, ())).searching(text, item_codes)


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a case list and the key of the next (None: the last page)."""

    rows: tuple[CaseRow, ...]
    next_key: tuple[datetime, str] | None  # pass back as ``after`` for the next page


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


def _branches(c: sqlite3.Connection, keys: DataKeys, f: CaseFilter, *, counting: bool = False,
              after: tuple[datetime, str] | None = None, wanted: int | None = None) -> list[Branch]:  # fmt: skip
    """One query per way the search text can match. Each is planned on its own index and the pages are
    merged, because SQLite plans an OR across tables as a full scan.

    ``counting`` (no order needed): the kept counts say how many cases the list holds without the text.
    A small list (今日) is walked and each case tested against the text; in a large one the text's own
    index leads (the people of that name, the case numbers of that prefix) and the list's conditions only
    test what it finds, up to the cap (docs/cases.md, "Tab counts").

    ``after``, ``wanted``: the page's keyset key and how many rows it needs (a page passes them): a newest-first
    list under a broad case-number prefix may then be read by number day (:func:`case_number_plans.number_days`)."""
    text = f.text.strip()
    if not text:
        return [base(f)]
    if wanted is not None and not counting:
        by_day = case_number_plans.number_days(c, f, text, after, wanted)
        if by_day is not None:
            return by_day
    if counting:
        with_text = not small(c, f)
        return _text_branches(c, keys, f, f, text, led=not with_text, order_free=with_text)
    if len(f.statuses) > 1 and f.order is not Order.CLOSED:
        mostly, size = _mostly(c, f)
        if mostly:  # most cases are of these statuses: one walk in date order, each case's status tested
            # (matches of a case-number prefix are then dense in date order: no range is counted, see
            # case_number_plans.ranges)
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
    every = tallied_with(replace(f, text="", item_codes=(), statuses=()), "status, sum(n)", ())
    if every is None:
        return False, None
    sql, params = every
    by_status = {status: int(n) for status, n in c.execute(f"{sql} GROUP BY status", params)}
    tab = sum(by_status.get(s.value, 0) for s in f.statuses)
    return 2 * tab >= sum(by_status.values()), tab


def _text_branches(c: sqlite3.Connection, keys: DataKeys, f: CaseFilter, scope: CaseFilter, text: str, *,
                   led: bool, order_free: bool, status_led: bool = True, ranged: bool = True,
                   size: int | None = None) -> list[Branch]:  # fmt: skip
    """The ways ``text`` matches in ``scope`` (``f`` itself, or one status of it). ``led``, ``status_led``: the
    scope's own indexes may lead (see :func:`case_sql.base`); ``order_free``: find the matches from the text's
    index (no date order to keep); ``ranged``: a broad case-number prefix may be read as ranges
    (:func:`case_number_plans.ranges`) when they are counted small enough; ``size``: how many cases ``scope`` holds
    without the text, when the caller has read it from the kept counts already."""
    scoped = base(scope, led=led, status_led=status_led)
    kind = text_kind(text)
    if kind is TextKind.ID_NUMBER:
        # IDs are kept in ASCII digits; one typed by an input method in full-width mode was kept as typed before
        # (１１０１…): its key is of that text, so both are looked up
        ids = "(SELECT p.id FROM persons AS p WHERE p.id_number_key IN (?, ?))"
        number = compact(text)
        pair = (keys.id_number_key(number), keys.id_number_key(number.translate(_FULL_WIDTH)))
        return [scoped.also(f"c.applicant_id IN {ids}", *pair, narrow=True),
                scoped.also(f"c.agent_id IN {ids}", *pair, narrow=True)]  # fmt: skip
    # A small scope by the kept counts (a rare status, the pending withdrawal requests) is walked and each case
    # tested: the text's own index could hold a hundred thousand cases to test against a scope of ten.
    walked = led and not order_free and (size <= case_tallies.SMALL_LIST if size is not None
                                         else small(c, scope, unknown=False))  # fmt: skip
    # Otherwise an item code leads by its own index (item and date): a status's index walked for a code no
    # case has reads every case of that status.
    item_base = base(scope, led=led, status_led=walked)
    item = "+c.item_code = ?" if walked else "c.item_code = ?"
    branches = item_branches(f, item_base, text, item) if f.item_codes or ITEM_CODE_RE.match(text) else []
    if kind is TextKind.CASE_NUMBER:
        # Digits alone may be the start of a case number or an item code.
        cond, params = prefix("c.case_number", normalise_case_number(text))
        if walked or not order_free and is_broad(c, f"SELECT c.uuid FROM cases AS c WHERE {cond}", params):
            in_range = None if walked else case_number_plans.ranges(c, scope, cond, params, count=ranged)
            if in_range is not None:
                # The prefix's ranges within the statuses are small enough: read them from ix_cases_status_number
                # and sort their keys, instead of walking in date order through cases of other numbers (the
                # oldest first: every case of earlier years before the first match).
                return [*in_range, *branches]
            # Walk in date order and test each number (an expression keeps SQLite off the number index).
            cond, params = prefix("coalesce(c.case_number, '')", normalise_case_number(text))
            return [scoped.also(cond, *params), *branches]
        if order_free and is_broad(c, f"SELECT c.uuid FROM cases AS c WHERE {cond}", params):
            # Counted: in its parts of ix_cases_status_number, where the prefix's index would test every case of the
            # prefix until the cap (a tab holding none under half the cases: all 470,000, ~100 ms at a million).
            parts = case_number_plans.by_parts(c, scope, cond, params)
            if parts is not None:
                return [*parts, *branches]
        return [scoped.also(cond, *params, narrow=True), *branches]
    named_ids = "SELECT k.person_id FROM person_name_keys AS k WHERE k.key = ?"
    key = keys.name_prefix_key(text)
    kept = name_tallied(scope, key)
    if key is None or (kept is not None and tab_size(c, kept) == 0):
        return branches  # nobody of that name in this scope (the kept counts say so): nothing to walk
    if walked or not order_free and is_broad(c, named_ids, (key,)):
        # A common name: walk the scope in date order and probe each case's applicant (read from the index
        # walked) until the page is full.
        return [scoped.also(f"EXISTS ({named_ids} AND k.person_id = c.applicant_id)", key), *branches]
    # A rare name: start from the few people, then sort their cases.
    return [scoped.also(f"c.applicant_id IN ({named_ids})", key, narrow=True), *branches]


def _from(f: CaseFilter) -> tuple[str, tuple[Any, ...]]:
    if f.closed_from is None and f.closed_before is None:
        return _FROM, ()
    start = to_db(f.closed_from) if f.closed_from else ""
    end = to_db(f.closed_before) if f.closed_before else TOP
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
        found = f"SELECT c.uuid{_from_cases(branch.index)}{branch.sql()} ORDER BY {key} {way}, c.uuid {way}{LIMIT}"
        return (f"{select}{source} WHERE c.uuid IN ({found}) ORDER BY {column} {way}, c.uuid {way}",
                (*source_params, *branch.params, limit, 0))  # fmt: skip
    return (f"{select}{source}{branch.sql()} ORDER BY {key} {way}, c.uuid {way}{LIMIT}",
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
            if len(seen) > cap:
                break
            sql = f"SELECT c.uuid{source if b.index is None else _from_cases(b.index)}{b.sql()}{LIMIT}"
            params = (*(source_params if b.index is None else ()), *b.params, cap + 1, 0)
            seen.update(r[0] for r in c.execute(sql, params))
    return min(len(seen), cap + 1)


def _name_count(c: sqlite3.Connection, keys: DataKeys, f: CaseFilter, cap: int) -> int | None:
    """A name search counted from the kept counts per name prefix, capped like :func:`count`; the cases the
    text matches only as an item code (its own, or one the catalog found for it) are counted on the cases,
    leaving out those the name already counted. None when the kept counts cannot answer."""
    text = f.text.strip()
    if text_kind(text) is not TextKind.NAME:
        return None
    key = keys.name_prefix_key(text)
    summed = name_tallied(f, key)
    if summed is None:
        return None
    n = int(c.execute(*summed).fetchone()[0]) if key is not None else 0
    is_small = small(c, f)  # a small list walked, or the item's index leading
    others: set[str] = set()
    for b in item_branches(f, base(f, led=is_small), text, "+c.item_code = ?" if is_small else "c.item_code = ?"):
        if n + len(others) > cap:
            break
        if key is not None:
            b = b.also("NOT EXISTS (SELECT 1 FROM person_name_keys AS k WHERE k.key = ? AND k.person_id = c.applicant_id)",
                       key)  # fmt: skip
        sql = f"SELECT c.uuid FROM cases AS c{b.sql()}{LIMIT}"
        others.update(r[0] for r in c.execute(sql, (*b.params, cap + 1 - n, 0)))
    return min(n + len(others), cap + 1)


K = TypeVar("K")


def counts(db: Database, filters: Mapping[K, CaseFilter], *, cap: int = 1_000) -> dict[K, int]:
    """The count of each view (its tab's badge), each capped."""
    return {k: count(db, f, cap=cap) for k, f in filters.items()}
