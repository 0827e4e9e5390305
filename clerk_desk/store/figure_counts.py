"""The acts 统计 counts, kept as they are written (docs/supervision.md, "Kept figures").

``figure_acts`` holds one row per counted event (an intake act, a hand-over, a decision, a result back at
the window, a 出件) with what the figures read of it and of its case: the hall day (Asia/Shanghai date of
``occurred_at``), the site, for an intake act its window, clerk, department, item and channel, for the
others the microseconds since acceptance and whether it was on time. ``figure_days`` adds the intake acts
up per day and those keys, and the results back and handed over per day, so a period's volumes (and the
results waiting at its end) are sums over a few rows per day, however many cases the desk holds.

Triggers keep both in the same transaction as every write: an event written, changed (rejected by the
hub, set aside, put back) or deleted, and a case written, changed (its department, item, window, channel,
acceptance or due date) or deleted, whichever of the two comes first; a row is counted exactly when the
event and its case are both there and the event is not rejected, held or set aside. The acts of one event
or one case are dropped and derived again, never patched, so the kept rows are always what
:data:`SELECT_ACTS` gives over the whole file: :func:`rebuild` (``clerk-desk db recount``) derives them so,
and :func:`ensure` puts back triggers a migration that recreated ``cases`` or ``case_events`` lost.

Times are stored as microseconds (``occurred_at`` is UTC text with six decimals): the hand-over's 5 / 15
minutes are judged as domain/transfers.py does (whole seconds, or the event's ``late`` flag) and the
averages and the 90th percentile come out to the microsecond, as reading the events did.
"""

from __future__ import annotations

import sqlite3

from clerk_desk.domain.lifecycle import TRANSFER_MINUTES

INTAKE_KINDS = ("accepted", "completed_on_spot", "supplement_notified", "refused")
TIMED_KINDS = ("transferred", "decided", "delivered")
KINDS = (*INTAKE_KINDS, *TIMED_KINDS, "result_returned")
DAY_KINDS = (*INTAKE_KINDS, "result_returned", "delivered")  # counted per day too
NOT_COUNTED = ("rejected", "held", "set_aside")  # push states of events that are not in the case
DIMENSIONS = ("window_id", "clerk", "department_code", "item_code", "item_name", "channel")
DAY_KEY = ("day", "site_code", "kind", *DIMENSIONS)


def _list(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def micros(column: str) -> str:
    """Microseconds since 1970 of a UTC text column ('YYYY-MM-DD HH:MM:SS.ffffff'; SQLite's own date
    functions keep milliseconds only)."""
    return f"(CAST(strftime('%s', {column}) AS INTEGER) * 1000000 + CAST(substr({column} || '.000000', 21, 6) AS INTEGER))"


_TOOK = f"({micros('e.occurred_at')} - {micros('c.accepted_at')})"
# domain/transfers.py: late when the payload says so or int(seconds taken) > the limit
_LATE_FLAG = (
    "(CASE WHEN json_valid(e.payload) THEN coalesce(json_extract(e.payload, '$.late'), 0) ELSE 0 END)"
)
_LIMIT = (f"(CASE WHEN c.urgent THEN {(TRANSFER_MINUTES[True] * 60 + 1) * 1_000_000}"
          f" ELSE {(TRANSFER_MINUTES[False] * 60 + 1) * 1_000_000} END)")  # fmt: skip
_INTAKE = f"e.type IN {_list(INTAKE_KINDS)}"
ACT_COLUMNS = ("event_uuid", "kind", "day", "site_code", *DIMENSIONS, "took_us", "on_time")


def select_acts(where: str) -> str:
    """The acts of the events ``where`` picks (an expression over ``e``, the event, and ``c``, its case)."""
    dims = ", ".join(f"CASE WHEN {_INTAKE} THEN coalesce({src}, '') ELSE '' END"
                     for src in ("c.window_id", "e.actor", "c.department_code", "c.item_code", "c.item_name",
                                 "c.channel"))  # fmt: skip
    return (
        f"SELECT e.uuid, e.type, date(e.occurred_at, '+8 hours'), coalesce(c.site_code, ''), {dims},"
        f" CASE WHEN {_INTAKE} OR c.accepted_at IS NULL THEN NULL ELSE {_TOOK} END,"
        f" CASE e.type WHEN 'transferred' THEN NOT ({_LATE_FLAG} OR {_TOOK} >= {_LIMIT})"
        f" WHEN 'decided' THEN coalesce(c.due_at IS NOT NULL AND {micros('e.occurred_at')} <= {micros('c.due_at')}, 0)"
        " ELSE 0 END"
        " FROM case_events AS e JOIN cases AS c ON c.uuid = e.case_uuid"
        f" WHERE ({where}) AND e.type IN {_list(KINDS)} AND e.push_state NOT IN {_list(NOT_COUNTED)}"
        " AND (e.type <> 'transferred' OR c.accepted_at IS NOT NULL)"
    )


def _insert_acts(where: str) -> str:
    return f"INSERT INTO figure_acts({', '.join(ACT_COLUMNS)}) {select_acts(where)} ON CONFLICT DO NOTHING;"


_DROP_CASE_ACTS = (
    "DELETE FROM figure_acts WHERE event_uuid IN (SELECT uuid FROM case_events WHERE case_uuid = old.uuid);"
)
_EVENT_WATCHED = ("type", "occurred_at", "push_state", "payload", "actor", "case_uuid")
_CASE_WATCHED = ("uuid", "site_code", "department_code", "item_code", "item_name", "window_id", "channel", "urgent",
                 "accepted_at", "due_at")  # fmt: skip
_DAY_MATCH = " AND ".join(f"{k} = old.{k}" for k in DAY_KEY)
TRIGGERS = {
    "figure_acts_event_insert": (
        f"AFTER INSERT ON case_events WHEN new.type IN {_list(KINDS)}"
        f" BEGIN {_insert_acts('e.uuid = new.uuid')} END"
    ),
    "figure_acts_event_delete": (
        f"AFTER DELETE ON case_events WHEN old.type IN {_list(KINDS)}"
        " BEGIN DELETE FROM figure_acts WHERE event_uuid = old.uuid; END"
    ),
    "figure_acts_event_update": (
        f"AFTER UPDATE OF {', '.join(_EVENT_WATCHED)} ON case_events"
        f" WHEN (old.type IN {_list(KINDS)} OR new.type IN {_list(KINDS)}) AND (old.type IS NOT new.type"
        " OR old.occurred_at IS NOT new.occurred_at OR old.payload IS NOT new.payload OR old.actor IS NOT new.actor"
        f" OR old.case_uuid IS NOT new.case_uuid OR (old.push_state IN {_list(NOT_COUNTED)})"
        f" IS NOT (new.push_state IN {_list(NOT_COUNTED)}))"
        f" BEGIN DELETE FROM figure_acts WHERE event_uuid = old.uuid; {_insert_acts('e.uuid = new.uuid')} END"
    ),
    "figure_acts_case_insert": f"AFTER INSERT ON cases BEGIN {_insert_acts('e.case_uuid = new.uuid')} END",
    "figure_acts_case_delete": f"AFTER DELETE ON cases BEGIN {_DROP_CASE_ACTS} END",
    "figure_acts_case_update": (
        f"AFTER UPDATE OF {', '.join(_CASE_WATCHED)} ON cases"
        f" WHEN {' OR '.join(f'old.{k} IS NOT new.{k}' for k in _CASE_WATCHED)}"
        f" BEGIN {_DROP_CASE_ACTS} {_insert_acts('e.case_uuid = new.uuid')} END"
    ),
    "figure_days_add": (
        f"AFTER INSERT ON figure_acts WHEN new.kind IN {_list(DAY_KINDS)}"
        f" BEGIN INSERT INTO figure_days({', '.join(DAY_KEY)}, n) VALUES ({', '.join(f'new.{k}' for k in DAY_KEY)}, 1)"
        " ON CONFLICT DO UPDATE SET n = n + 1; END"
    ),
    "figure_days_remove": (
        f"AFTER DELETE ON figure_acts WHEN old.kind IN {_list(DAY_KINDS)}"
        f" BEGIN UPDATE figure_days SET n = n - 1 WHERE {_DAY_MATCH};"
        f" DELETE FROM figure_days WHERE {_DAY_MATCH} AND n <= 0; END"
    ),
}
_DAY_TRIGGERS = ("figure_days_add", "figure_days_remove")


def install(c: sqlite3.Connection) -> None:
    """Create the triggers that are missing."""
    for name, body in TRIGGERS.items():
        c.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")


def rebuild(c: sqlite3.Connection) -> int:
    """Derive every act again from the events and the cases (in the caller's transaction), and the day
    counts from them in one pass; returns the number of acts."""
    for name in _DAY_TRIGGERS:  # one GROUP BY below instead of a count per row
        c.execute(f"DROP TRIGGER IF EXISTS {name}")
    c.execute("DELETE FROM figure_days")
    c.execute("DELETE FROM figure_acts")
    c.execute(f"INSERT INTO figure_acts({', '.join(ACT_COLUMNS)}) {select_acts('1')}")
    keys = ", ".join(DAY_KEY)
    c.execute(f"INSERT INTO figure_days({keys}, n) SELECT {keys}, count(*) FROM figure_acts"
              f" WHERE kind IN {_list(DAY_KINDS)} GROUP BY {keys}")  # fmt: skip
    install(c)
    return int(c.execute("SELECT count(*) FROM figure_acts").fetchone()[0])


def missing_triggers(c: sqlite3.Connection) -> list[str]:
    have = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    return [name for name in TRIGGERS if name not in have]


def ensure(c: sqlite3.Connection) -> bool:
    """Put back lost triggers and derive the acts again (True when it had to); nothing when all are there."""
    has_table = c.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'figure_acts'"
    ).fetchone()
    if not has_table or not missing_triggers(c):
        return False
    rebuild(c)
    return True
