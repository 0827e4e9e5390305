"""How many cases each name prefix has per status, site, department and pending withdrawal request
(``case_name_counts``), so a tab's count under a name search is a sum over a few rows, however common the
name (docs/cases.md, "Tab counts").

The name prefix is the applicant's blind-index key (``person_name_keys``: one HMAC per prefix of the name,
store/data_keys.py), so the table holds nothing the file does not already give away: which records share a
prefix and how they are spread over statuses (docs/personal-data.md). A row is (key, status, site,
department, pending request) → n, n > 0.

It is kept by triggers in the same transaction as every write that changes it, from both sides of the
person → case link: a case inserted, deleted, or changed in status, site, department, pending request or
applicant (its applicant's keys are found by ``ix_person_name_keys_person_id``); a name key inserted or
deleted (a new person, a renamed one, a purge; the person's cases are found by
``ix_cases_applicant_status``). Each (key, case) pair is counted once whichever of the two is written first.
Migration 0012_search_counts made it; :func:`rebuild` counts again, :func:`ensure` puts back triggers a batch
migration lost (store/case_counts.py, the same for the counts per day).
"""

from __future__ import annotations

import sqlite3

TABLE = "case_name_counts"
_KEY = ("key", "status", "site_code", "department_code", "withdrawal_requested")
_COLUMNS = ", ".join((*_KEY, "n"))


def _parts(row: str) -> tuple[str, ...]:
    return (f"{row}.status", f"coalesce({row}.site_code, '')", f"coalesce({row}.department_code, '')",
            f"coalesce({row}.withdrawal_requested, 0)")  # fmt: skip


def _same_case(row: str) -> str:
    return " AND ".join(f"{k} = {v}" for k, v in zip(_KEY[1:], _parts(row), strict=True))


def _keys_of(row: str) -> str:
    return f"(SELECT k.key FROM person_name_keys AS k WHERE k.person_id = {row}.applicant_id)"


# One case: one row per key of its applicant, +1 or -1.
def _add_case(row: str) -> str:
    return (f"INSERT INTO {TABLE}({_COLUMNS}) SELECT k.key, {', '.join(_parts(row))}, 1"
            f" FROM person_name_keys AS k WHERE k.person_id = {row}.applicant_id"
            " ON CONFLICT DO UPDATE SET n = n + 1;")  # fmt: skip


def _remove_case(row: str) -> str:
    where = f"key IN {_keys_of(row)} AND {_same_case(row)}"
    return f"UPDATE {TABLE} SET n = n - 1 WHERE {where}; DELETE FROM {TABLE} WHERE {where} AND n <= 0;"


# One key of a person: one row per (status, site, department, request) of the person's cases, +m or -m.
_CASES_OF = (
    "SELECT c.status AS status, coalesce(c.site_code, '') AS site_code,"
    " coalesce(c.department_code, '') AS department_code,"
    " coalesce(c.withdrawal_requested, 0) AS withdrawal_requested, count(*) AS m"
    " FROM cases AS c WHERE c.applicant_id = {0}.person_id GROUP BY 1, 2, 3, 4"
)


def _add_key(row: str) -> str:
    cases = _CASES_OF.format(row)
    return (f"INSERT INTO {TABLE}({_COLUMNS}) SELECT {row}.key, status, site_code, department_code,"
            f" withdrawal_requested, m FROM ({cases}) WHERE true"
            " ON CONFLICT DO UPDATE SET n = n + excluded.n;")  # fmt: skip


def _remove_key(row: str) -> str:
    cases = _CASES_OF.format(row)
    match = " AND ".join(f"{TABLE}.{k} = g.{k}" for k in _KEY[1:])
    groups = ("(status, site_code, department_code, withdrawal_requested) IN"
              f" (SELECT status, site_code, department_code, withdrawal_requested FROM ({cases}))")  # fmt: skip
    return (f"UPDATE {TABLE} SET n = n - g.m FROM ({cases}) AS g WHERE {TABLE}.key = {row}.key AND {match};"
            f" DELETE FROM {TABLE} WHERE key = {row}.key AND n <= 0 AND {groups};")  # fmt: skip


_WATCHED = ("status", "site_code", "department_code", "withdrawal_requested", "applicant_id")
TRIGGERS = {
    "case_name_counts_case_insert": ("cases", f"AFTER INSERT ON cases BEGIN {_add_case('new')} END"),
    "case_name_counts_case_delete": ("cases", f"AFTER DELETE ON cases BEGIN {_remove_case('old')} END"),
    "case_name_counts_case_update": ("cases", (
        f"AFTER UPDATE OF {', '.join(_WATCHED)} ON cases"
        f" WHEN {' OR '.join(f'old.{c} IS NOT new.{c}' for c in _WATCHED)}"
        f" BEGIN {_remove_case('old')} {_add_case('new')} END"
    )),
    "case_name_counts_key_insert": ("person_name_keys",
                                    f"AFTER INSERT ON person_name_keys BEGIN {_add_key('new')} END"),
    "case_name_counts_key_delete": ("person_name_keys",
                                    f"AFTER DELETE ON person_name_keys BEGIN {_remove_key('old')} END"),
    "case_name_counts_key_update": ("person_name_keys", (
        "AFTER UPDATE ON person_name_keys WHEN old.key IS NOT new.key OR old.person_id IS NOT new.person_id"
        f" BEGIN {_remove_key('old')} {_add_key('new')} END"
    )),
}  # fmt: skip
REBUILD = (
    f"INSERT INTO {TABLE}({_COLUMNS}) SELECT k.key, {', '.join(_parts('c'))}, count(*)"
    " FROM person_name_keys AS k JOIN cases AS c ON c.applicant_id = k.person_id GROUP BY 1, 2, 3, 4, 5"
)


def install(c: sqlite3.Connection) -> None:
    """Create the triggers that are missing."""
    for name, (_table, body) in TRIGGERS.items():
        c.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")


def rebuild(c: sqlite3.Connection) -> int:
    """Count every (name key, case) pair again (in the caller's transaction); returns the number of rows."""
    c.execute(f"DELETE FROM {TABLE}")
    c.execute(REBUILD)
    return int(c.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0])


def missing_triggers(c: sqlite3.Connection) -> list[str]:
    have = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"
                                    " AND tbl_name IN ('cases', 'person_name_keys')")}  # fmt: skip
    return [name for name in TRIGGERS if name not in have]


def ensure(c: sqlite3.Connection) -> bool:
    """Put back lost triggers and count again (True when it had to); nothing when all are there, or before
    the migration that made the table."""
    has_table = c.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)).fetchone()
    if not has_table or not missing_triggers(c):
        return False
    install(c)
    rebuild(c)
    return True
