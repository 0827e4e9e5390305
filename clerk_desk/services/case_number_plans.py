"""The case-number plans of the list service (services/case_queries.py): how a page under a broad case-number
prefix is read without walking every case in date order to the first match. An oldest-first inbox tab by status
and served department reads the prefix's ranges of ix_cases_status_number (migration 0013, :func:`ranges`); a
newest-first list reads the prefix's number days from ix_cases_number_day (migration 0014, :func:`number_days`).
Each says None when the list is to be read as before. docs/cases.md, "Reading a page under a search".
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime
from typing import Any

from clerk_desk.services import case_sql, case_tallies
from clerk_desk.services.case_sql import (
    LIMIT,
    TOP,
    Branch,
    CaseFilter,
    Order,
    TextKind,
    base,
    is_broad,
    item_branches,
    normalise_case_number,
    prefix,
    text_kind,
)
from clerk_desk.services.case_tallies import kept_where, tab_size, tallied
from clerk_desk.store.sqlite_file import to_db

# A case-number prefix within statuses spanning at most this many cases (of any department) is read as a range
# of ix_cases_status_number and its page sorted from the index: ~0.2 µs a case, so at most ~10 ms of CPU.
RANGE_SORT = 50_000
_NUMBER_INDEX = "ix_cases_status_number"
# A newest-first list under a broad case-number prefix of at most NUMBER_DAY characters whose conditions hold at
# least 1/DENSE of the cases is read by number day from ix_cases_number_day (:func:`number_days`).
NUMBER_DAY = 21  # the site, the window and the date of the county's numbers: 421224100-01-20261207
DENSE = 16
_DAY_INDEX = "ix_cases_number_day"
_DAY = f"substr(c.case_number, 1, {NUMBER_DAY})"  # written as in the index, or SQLite does not use it


def ranges(c: sqlite3.Connection, scope: CaseFilter, cond: str, params: tuple[Any, ...], *,
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
    once. (A newest-first list under a prefix of only old numbers is read by number day: :func:`number_days`.)"""
    if not scope.statuses or not scope.serves or scope.order is not Order.OLDEST or scope.uuids or scope.unreached:
        return None
    if scope.withdrawal_requested is not None or scope.pledge_open is not None:
        return None
    if scope.due_before is not None or scope.transfer_due_before is not None:
        return None
    pairs = [replace(scope, serves=(pair,)) for pair in dict.fromkeys(scope.serves)]
    held = tallied(replace(scope, text="", item_codes=(), created_from=None, created_before=None, site_code=None))
    if held is None or tab_size(c, held) > RANGE_SORT:
        if not count:
            return None
        statuses = ", ".join("?" * len(scope.statuses))
        each = (f"SELECT 1 FROM cases AS c INDEXED BY {_NUMBER_INDEX}"
                f" WHERE c.status IN ({statuses}) AND c.site_code = ? AND c.department_code = ? AND {cond}")  # fmt: skip
        spanned = f"SELECT count(*) FROM ({' UNION ALL '.join(each for _ in pairs)}{LIMIT})"
        values = [s.value for s in scope.statuses]
        bound = [x for p in pairs for x in (*values, *(p.serves or ())[0], *params)]
        if int(c.execute(spanned, (*bound, RANGE_SORT + 1, 0)).fetchone()[0]) > RANGE_SORT:
            return None
    return [replace(base(replace(p, serves=None)), index=_NUMBER_INDEX)
            .also("c.site_code = ? AND c.department_code = ?", *(p.serves or ())[0])
            .also(cond, *params, narrow=True) for p in pairs]  # fmt: skip


def number_days(c: sqlite3.Connection, f: CaseFilter, text: str, after: tuple[datetime, str] | None,
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

    Taken for a newest-first list under a broad prefix (more than BROAD_NAME matches: fewer are sorted), not
    small, narrowed only by status, site, department and dates, whose conditions hold at least 1/DENSE of all
    cases by the kept counts (:func:`_dense`): then a day's newest matches lie among its newest few entries, unless
    the list holds few cases under the prefix at all; at most BROAD_NAME are read from their ranges of
    ix_cases_status_number instead (:func:`_few`: ~0.5 ms to find that a tab holds none)."""
    start = normalise_case_number(text)
    if f.order is not Order.NEWEST or text_kind(text) is not TextKind.CASE_NUMBER or len(start) > NUMBER_DAY:
        return None
    if f.uuids or f.unreached or f.withdrawal_requested is not None or f.pledge_open is not None:
        return None
    if f.due_before is not None or f.transfer_due_before is not None:
        return None
    if f.closed_from is not None or f.closed_before is not None:
        return None
    cond, params = prefix("c.case_number", start)
    if not is_broad(c, f"SELECT c.uuid FROM cases AS c WHERE {cond}", params):
        return None
    if not _dense(c, replace(f, text="", item_codes=())):
        return None
    parts = _parts(c, f) if _in_parts(f) else None
    few = _few(c, f, cond, params, parts)
    if few is not None:
        return [*few, *item_branches(f, base(f, status_led=False), text)]
    found = _newest_by_day(c, f, start, after, wanted, None if parts is None else _last_day(c, parts, cond, params))
    named = [base(f).also(f"c.uuid IN ({', '.join('?' * len(found))})", *found, narrow=True)] if found else []
    return [*named, *item_branches(f, base(f, status_led=False), text)]


def _newest_by_day(c: sqlite3.Connection, f: CaseFilter, start: str, after: tuple[datetime, str] | None,
                   wanted: int, last_day: str | None = None) -> list[str]:  # fmt: skip
    """The uuids of :func:`number_days`'s cases: the ``wanted`` newest of ``f`` after ``after`` whose number starts with
    ``start``; only days up to ``last_day`` are read when it is given (no case of ``f`` has a later number day)."""
    source = f"FROM cases AS c INDEXED BY {_DAY_INDEX}"
    top = start + TOP if last_day is None else last_day + TOP
    newest = "" if after is None else " AND c.created_at <= ?"
    # One seek per day: the next day under the prefix, then its newest date (no later than the key).
    days = c.execute(
        f"WITH RECURSIVE days(day) AS (SELECT (SELECT {_DAY} {source} WHERE {_DAY} >= ? AND {_DAY} < ?"
        f" ORDER BY {_DAY} LIMIT 1) UNION ALL SELECT (SELECT {_DAY} {source} WHERE {_DAY} > days.day AND {_DAY} < ?"
        f" ORDER BY {_DAY} LIMIT 1) FROM days WHERE days.day IS NOT NULL)"
        f" SELECT day, (SELECT c.created_at {source} WHERE {_DAY} = days.day{newest}"
        f" ORDER BY c.created_at DESC LIMIT 1) AS latest FROM days WHERE day IS NOT NULL",
        (start, top, top, *(() if after is None else (to_db(after[0]),))),
    ).fetchall()
    # The list's own conditions, tested from the index (its unary + keeps SQLite on the day's date order), and the
    # join every list makes to the case's department.
    tested = base(replace(f, text="", item_codes=()), led=False)
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


def _last_day(c: sqlite3.Connection, parts: list[tuple[str, str, str]], cond: str, params: tuple[Any, ...]) -> str | None:
    """The latest number day among the cases of ``parts`` under a case-number prefix (``cond``), one seek each (the
    numbers sort by their day first): a list whose matches all lie in the prefix's earliest days then reads none
    of the later days, where testing every case of them took ~50 ms at a million (docs/cases.md)."""
    last = (f"SELECT {_DAY} FROM cases AS c INDEXED BY {_NUMBER_INDEX} WHERE c.status = ? AND c.site_code = ?"
            f" AND c.department_code = ? AND {cond} ORDER BY c.case_number DESC LIMIT 1")  # fmt: skip
    days = [row[0] for part in parts if (row := c.execute(last, (*part, *params)).fetchone()) is not None]
    return max(days, default=None)


def _few(c: sqlite3.Connection, f: CaseFilter, cond: str, params: tuple[Any, ...],
         parts: list[tuple[str, str, str]] | None) -> list[Branch] | None:  # fmt: skip
    """``f``'s matches of a case-number prefix (``cond``) as ranges of ix_cases_status_number, one per (status, site,
    department) that has any, when there are at most BROAD_NAME of them (counted on the index, stopping there): a
    few are sorted, where reading by number day tests every case of the prefix's days newer than the page's last
    (a list holding a sixteenth of all cases and none under half of them: every case of the prefix, ~50 ms at a
    million). None when there are more, or when ``f`` is not read by parts (:func:`by_parts`).

    Dates are not counted, only tested when the ranges are read: at worst more are counted than the list holds,
    and the list is read by number day as it would have been."""
    if parts is None:  # not read by parts (:func:`_in_parts`)
        return None
    counted = (f"SELECT count(*) FROM (SELECT 1 FROM cases AS c INDEXED BY {_NUMBER_INDEX} WHERE c.status = ?"
               f" AND c.site_code = ? AND c.department_code = ? AND {cond}{LIMIT})")  # fmt: skip
    held: list[Branch] = []
    found = 0
    for part in parts:
        n = int(c.execute(counted, (*part, *params, case_sql.BROAD_NAME + 1 - found, 0)).fetchone()[0])
        found += n
        if found > case_sql.BROAD_NAME:
            return None
        if n:
            held.append(_part_read(f, part, cond, params))
    return held


def by_parts(c: sqlite3.Connection, f: CaseFilter, cond: str, params: tuple[Any, ...]) -> list[Branch] | None:
    """``f``'s matches of a case-number prefix (``cond``) as ranges of ix_cases_status_number, one per (status, site,
    department) that may hold its cases (:func:`_parts`), each a narrow branch read through that index. None when
    ``f`` holds every case (then it matches the whole prefix), narrows by more than the kept counts do, or by a
    pending withdrawal request (its partial index leads: a few cases).

    The parts are ``f``'s statuses and served pairs, or found on the index one seek each, never from the kept
    counts: a part left out would be cases left out."""
    return [_part_read(f, part, cond, params) for part in _parts(c, f)] if _in_parts(f) else None


def _in_parts(f: CaseFilter) -> bool:
    """Is ``f`` read by parts (:func:`by_parts`)?"""
    return f.withdrawal_requested is None and kept_where(replace(f, text="", item_codes=())) not in (None, ([], []))


def _part_read(f: CaseFilter, part: tuple[str, str, str], cond: str, params: tuple[Any, ...]) -> Branch:
    """``f``'s matches of ``cond`` in one (status, site, department) range of ix_cases_status_number."""
    return (replace(base(f), index=_NUMBER_INDEX).also("c.status = ? AND c.site_code = ? AND c.department_code = ?",
            *part).also(cond, *params, narrow=True))  # fmt: skip


def _parts(c: sqlite3.Connection, f: CaseFilter) -> list[tuple[str, str, str]]:
    """The (status, site, department) parts of ix_cases_status_number that may hold ``f``'s cases: its statuses (else
    every status there) and the pairs it serves (else every pair there under each status, of its site if it names
    one), those found on the index one seek each."""
    found: list[tuple[str, str, str]] = []
    for status in [s.value for s in f.statuses] or _values(c, "status", ()):
        if f.serves is not None:
            pairs = [pair for pair in dict.fromkeys(f.serves) if f.site_code in (None, pair[0])]
        else:
            sites = [f.site_code] if f.site_code is not None else _values(c, "site_code", (("status", status),))
            pairs = [(site, department) for site in sites
                     for department in _values(c, "department_code", (("status", status), ("site_code", site)))]  # fmt: skip
        found += [(status, site, department) for site, department in pairs]
    return found


def _values(c: sqlite3.Connection, column: str, fixed: tuple[tuple[str, str], ...]) -> list[str]:
    """Every value of ``column`` among ix_cases_status_number's entries with the ``fixed`` values of the columns
    before it, one seek each (a column at a time: SQLite seeks a row value's first column only, and would read a
    status's entries whole)."""
    found: list[str] = []
    while (value := _next(c, column, fixed, found[-1] if found else None)) is not None:
        found.append(value)
    return found


def _next(c: sqlite3.Connection, column: str, fixed: tuple[tuple[str, str], ...], after: str | None) -> str | None:
    """The first value of ``column`` after ``after`` (the first at all: None) among ix_cases_status_number's entries
    with the ``fixed`` values of the columns before it."""
    where = [f"c.{name} = ?" for name, _value in fixed] + ([] if after is None else [f"c.{column} > ?"])
    row = c.execute(f"SELECT c.{column} FROM cases AS c INDEXED BY {_NUMBER_INDEX}"
                    f"{' WHERE ' + ' AND '.join(where) if where else ''} ORDER BY c.{column} LIMIT 1",
                    (*(value for _name, value in fixed), *(() if after is None else (after,)))).fetchone()  # fmt: skip
    return None if row is None else str(row[0])


def _dense(c: sqlite3.Connection, f: CaseFilter) -> bool:
    """Do ``f``'s conditions hold more than SMALL_LIST cases (a small list is walked) and at least 1/DENSE of all
    cases? ``f``'s cases by the kept counts; all cases about as many as the table's last rowid (one seek, where
    summing every kept count takes ~2 ms at a million cases: a plan is chosen by it, no row depends on it)."""
    kept = tallied(f)
    if kept is None:
        return False
    every = int(c.execute("SELECT coalesce(max(rowid), 0) FROM cases").fetchone()[0])
    held = every if kept_where(f) == ([], []) else tab_size(c, kept)
    return held > case_tallies.SMALL_LIST and held * DENSE >= every

