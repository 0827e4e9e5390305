"""The list service's filter and its SQL pieces, below both the list service (services/case_queries.py) and the
case-number plans (services/case_number_plans.py): :class:`CaseFilter` (which cases a list shows, as data),
:class:`Branch` (one way a search matches: WHERE conditions and their parameters), the list's own conditions as
a branch (:func:`base`), a prefix as an index range, and what a search text is read as. docs/cases.md, "How
the list reads".
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from clerk_desk.domain.lifecycle import EventType, Status
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.store.sqlite_file import to_db


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
        # NFKC: an input method in full-width mode types an ID or a case number as １１０１… (names are
        # folded the same way by their keys)
        return replace(self, text=unicodedata.normalize("NFKC", text).strip(), item_codes=item_codes)


def today_start(now: datetime) -> datetime:
    """The start of the hall's day (Asia/Shanghai midnight) that holds ``now``."""
    local = now.astimezone(SHANGHAI)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


# Bound, never written into the SQL: told a small literal LIMIT, SQLite's planner may prefer a
# multi-index OR plan for the keyset condition (8 s on a million cases, against 1 ms walking the date index).
LIMIT = " LIMIT ? OFFSET ?"
BROAD_NAME = 2000  # more matches than this: walk cases in date order instead of sorting the matches
TOP = "\U0010ffff"


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


def prefix(column: str, text: str) -> tuple[str, tuple[str, str]]:
    # A prefix as an index range: LIKE cannot use SQLite's default (case-sensitive) indexes.
    return f"{column} >= ? AND {column} < ?", (text, text + TOP)


def is_broad(c: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> bool:
    """More matches than BROAD_NAME? Counted on the index, stopping at the threshold."""
    found = c.execute(f"SELECT count(*) FROM ({sql}{LIMIT})", (*params, BROAD_NAME + 1, 0)).fetchone()[0]
    return int(found) > BROAD_NAME


def base(f: CaseFilter, *, led: bool = True, status_led: bool = True) -> Branch:
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
    # index name them on their own (case_number_plans.ranges).
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

_ID_RE = re.compile(r"^\d{17}[\dXx]$")
_CASE_NO_RE = re.compile(r"^[A-Z0-9]{3,12}[- ]")
ITEM_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-_.]*$")


class TextKind(StrEnum):
    """What a search text is read as (besides an item code, which any of them may also be)."""

    ID_NUMBER = "id_number"  # exact, through its blind index
    CASE_NUMBER = "case_number"  # a case number or its start (digits alone too)
    NAME = "name"  # the start of the applicant's name, through the name-prefix blind index


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def text_kind(text: str) -> TextKind:
    squeezed = compact(text)
    if _ID_RE.match(squeezed):
        return TextKind.ID_NUMBER
    if _CASE_NO_RE.match(text.upper()) or squeezed.replace("-", "").isdigit():
        return TextKind.CASE_NUMBER
    return TextKind.NAME


def item_branches(f: CaseFilter, start: Branch, text: str, condition: str = "c.item_code = ?") -> list[Branch]:
    """The text as an item code, and the item codes the catalog matched for it (each a branch of ``start``)."""
    codes = ([text] if ITEM_CODE_RE.match(text) else []) + list(f.item_codes)
    return [start.also(condition, code) for code in dict.fromkeys(codes)]


def normalise_case_number(text: str) -> str:
    """Accept the grouped reading form (``421224 03 2026 1126 000 123``) as well as the compact one."""
    parts = text.upper().replace("-", " ").split()
    if len(parts) >= 3:
        head = parts[:2]
        rest = "".join(parts[2:])
        return "-".join(head + ([rest[:8], rest[8:]] if len(rest) > 8 else [rest]))
    return text.upper().replace(" ", "")
