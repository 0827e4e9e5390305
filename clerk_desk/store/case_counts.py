"""How many cases there are per status, hall day, site, department and pending withdrawal request
(``case_counts``), kept by triggers on ``cases`` in the same transaction as every write to a case: a local
act, sync's apply of a pulled page, its rebuild of a case from the events, a purge. A tab's count is then a
sum over a few hundred rows, however many cases the desk holds (docs/cases.md, "Tab counts").

The hall's day is the Asia/Shanghai date of ``created_at`` (stored as UTC text): China keeps UTC+8 all
year, so ``date(created_at, '+8 hours')``. Migration 0008_case_counts made the table and the triggers and
counted what was there; :func:`rebuild` counts again from ``cases`` (``clerk-desk db recount``), and
:func:`ensure` puts back triggers a later migration lost by recreating ``cases`` (Alembic's batch mode on
SQLite copies the table, and triggers do not travel with it).
"""

from __future__ import annotations

import sqlite3

TABLE = "case_counts"
DAY = "date({0}.created_at, '+8 hours')"
_KEY = ("status", "day", "site_code", "department_code", "withdrawal_requested")


def _parts(row: str) -> tuple[str, ...]:
    return (f"{row}.status", DAY.format(row), f"coalesce({row}.site_code, '')",
            f"coalesce({row}.department_code, '')", f"coalesce({row}.withdrawal_requested, 0)")  # fmt: skip


def _values(row: str) -> str:
    return ", ".join(_parts(row))


def _match(row: str) -> str:
    return " AND ".join(f"{k} = {v}" for k, v in zip(_KEY, _parts(row), strict=True))


def _add(row: str) -> str:
    return (f"INSERT INTO case_counts({', '.join(_KEY)}, n) VALUES ({_values(row)}, 1)"
            " ON CONFLICT DO UPDATE SET n = n + 1;")  # fmt: skip


def _remove(row: str) -> str:
    return (f"UPDATE case_counts SET n = n - 1 WHERE {_match(row)};"
            f" DELETE FROM case_counts WHERE {_match(row)} AND n <= 0;")  # fmt: skip


_WATCHED = ("status", "created_at", "site_code", "department_code", "withdrawal_requested")
TRIGGERS = {
    "case_counts_insert": f"AFTER INSERT ON cases BEGIN {_add('new')} END",
    "case_counts_delete": f"AFTER DELETE ON cases BEGIN {_remove('old')} END",
    "case_counts_update": (
        f"AFTER UPDATE OF {', '.join(_WATCHED)} ON cases"
        f" WHEN {' OR '.join(f'old.{c} IS NOT new.{c}' for c in _WATCHED)}"
        f" BEGIN {_remove('old')} {_add('new')} END"
    ),
}
REBUILD = (
    "INSERT INTO case_counts(status, day, site_code, department_code, withdrawal_requested, n)"
    f" SELECT {_values('cases')}, count(*) FROM cases GROUP BY 1, 2, 3, 4, 5"
)


def install(c: sqlite3.Connection) -> None:
    """Create the triggers that are missing."""
    for name, body in TRIGGERS.items():
        c.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")


def rebuild(c: sqlite3.Connection) -> int:
    """Count every case again (in the caller's transaction); returns the number of rows of counts."""
    c.execute("DELETE FROM case_counts")
    c.execute(REBUILD)
    return int(c.execute("SELECT count(*) FROM case_counts").fetchone()[0])


def missing_triggers(c: sqlite3.Connection) -> list[str]:
    have = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'cases'")}
    return [name for name in TRIGGERS if name not in have]


def ensure(c: sqlite3.Connection) -> bool:
    """Put back lost triggers and count again (True when it had to); nothing when all are there."""
    has_table = c.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'case_counts'").fetchone()
    if not has_table or not missing_triggers(c):
        return False
    install(c)
    rebuild(c)
    return True
