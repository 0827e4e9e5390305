"""A list's filter read against the kept counts (store/case_counts.py, store/name_counts.py): as a sum over
them when it narrows only by what they are kept by (:func:`tallied`, :func:`name_tallied`), and how large a
list is without its search text (:func:`small`), which the list service and the case-number plans choose their
plans by. docs/cases.md, "Tab counts are kept, not counted".
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime
from typing import Any

from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services.case_sql import CaseFilter, today_start

SMALL_LIST = 2000  # a list of at most this many cases is walked to count a search in it


def tallied(f: CaseFilter) -> tuple[str, tuple[Any, ...]] | None:
    """``f`` as a sum over ``case_counts`` (store/case_counts.py), when it narrows only by what the counts
    are kept by: status, the hall days it was created on, site and department, a pending withdrawal
    request. None for anything else (a search text, due dates, 容缺, 归档's closing day, given cases)."""
    return tallied_with(f, "coalesce(sum(n), 0)", ())


def tallied_with(f: CaseFilter, sums: str, sums_params: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]] | None:
    """:func:`tallied` with other sums over the same rows (``sums``, its parameters ``sums_params``)."""
    where = kept_where(f)
    if where is None:
        return None
    conditions, params = where
    sql = f"SELECT {sums} FROM case_counts" + (" WHERE " + " AND ".join(conditions) if conditions else "")
    return sql, (*sums_params, *params)


def kept_where(f: CaseFilter) -> tuple[list[str], list[Any]] | None:
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


def _hall_day(at: datetime | None) -> str | None:
    """The hall's day that starts at ``at`` (Asia/Shanghai midnight), or None when ``at`` is not one."""
    if at is None:
        return None
    local = at.astimezone(SHANGHAI)
    return local.date().isoformat() if local == today_start(local) else None


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


def small(c: sqlite3.Connection, f: CaseFilter, *, unknown: bool = True) -> bool:
    """At most SMALL_LIST cases in ``f`` without its text, by the kept counts (``unknown`` when they cannot say)."""
    summed = tallied(replace(f, text="", item_codes=()))
    return unknown if summed is None else tab_size(c, summed) <= SMALL_LIST


def tab_size(c: sqlite3.Connection, summed: tuple[str, tuple[Any, ...]]) -> int:
    """The sum ``summed`` (one of :func:`tallied`'s) read."""
    return int(c.execute(*summed).fetchone()[0])
