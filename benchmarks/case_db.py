"""Build a large case database for the benchmarks (demo site + N cases with persons and events).

Rows go in with executemany on one connection (the realistic path is measured separately), with the
secondary indexes and the count triggers set aside during the load and made again at the end (a sorted
build of each index is several times quicker than keeping it up row by row; the counts are counted once,
as migration 0008_case_counts does). Measured on this machine (2 CPUs shared with other work): a million
cases took 109 s of CPU time, 222 s wall clock at a load average of 5-6 (before these changes: 145 s of
CPU, 241 s wall); 200,000 took 20 s of CPU, 61 s wall (docs/performance.md). Personal data
is sealed with this PC's key and indexed blindly, as the desk stores it (store/data_keys.py,
docs/personal-data.md); people of the same name (or phone) share one sealed value, which opens the same
way (the desk's own writes never share one). Reused between runs when the file already has N cases.
The key is $CLERK_DESK_KEY_FILE (the benchmarks set one beside the data folder when it is not set, so
they never make the machine's own key).

    python benchmarks/case_db.py --cases 1000000 --out /tmp/clerk-bench-1m
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import sqlite3
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from clerk_desk.domain.case_numbers import format_case_number
from clerk_desk.domain.identifiers import compute_resident_id_check_char
from clerk_desk.services import demo
from clerk_desk.services.case_sql import today_start
from clerk_desk.store.data_keys import DataKeys
from clerk_desk.store.database import Database
from clerk_desk.store.engine import database_path

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅志强海燕春生"
ITEMS = [
    ("002014006009", "城乡居民养老保险注销登记", "rs", "promise"),
    ("LOCAL-MZ-DB", "最低生活保障申请", "mz", "promise"),
    ("LOCAL-CL-CJ", "残疾人证新办", "cl", "promise"),
    ("LOCAL-YB-CB", "城乡居民参保登记(医保)", "yb", "immediate"),
    ("000511002000", "临时救助金给付", "mz", "promise"),
]
TODAY_CASES = 150  # the 办件 list's first page (100 rows) and more
STATUSES = ["archived"] * 6 + ["delivered", "transferred", "in_review", "accepted", "result_at_window", "completed"]


def _resident_id(rng: random.Random) -> str:
    born = datetime(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 60))
    first17 = f"421224{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return first17 + compute_resident_id_check_char(first17)


def case_count(data_dir: Path) -> int:
    path = database_path(data_dir)
    if not path.exists():
        return 0
    with sqlite3.connect(path) as c:
        try:
            return int(c.execute("SELECT count(*) FROM cases").fetchone()[0])
        except sqlite3.OperationalError:
            return 0


def use_bench_key(data_dir: Path) -> None:
    """A key for benchmark folders (outside the data folder, as the desk requires)."""
    os.environ.setdefault("CLERK_DESK_KEY_FILE", str(Path(data_dir).parent / (Path(data_dir).name + "-key")))


_LOADED = ("cases", "case_events", "persons", "person_name_keys")


def _set_aside(conn: sqlite3.Connection) -> list[str]:
    """Drop the secondary indexes and the triggers of the tables loaded; returns the SQL to make them again."""
    marks = ", ".join("?" * len(_LOADED))
    found = conn.execute(f"SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')"
                         f" AND tbl_name IN ({marks}) AND sql IS NOT NULL", _LOADED).fetchall()  # fmt: skip
    for kind, name, _sql in found:
        conn.execute(f"DROP {kind.upper()} {name}")
    return [sql for _kind, _name, sql in found]


def _put_back(conn: sqlite3.Connection, set_aside: list[str]) -> None:
    for sql in set_aside:
        conn.execute(sql)
    from clerk_desk.store import case_counts, name_counts  # counted once, as their migrations do

    for kept in (case_counts, name_counts):
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (kept.TABLE,)).fetchone():
            kept.rebuild(conn)
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'figure_acts'").fetchone():
        # the acts the figures count, derived once (migration 0011)
        from clerk_desk.store import figure_counts

        figure_counts.rebuild(conn)
    conn.commit()


class _Rows:
    """Rows of cases (each with its applicant, name keys and accept event) gathered for executemany."""

    def __init__(self, keys: DataKeys, rng: random.Random, clerk_id: int, window_id: int) -> None:
        self.keys, self.rng, self.clerk_id, self.window_id = keys, rng, clerk_id, window_id
        self.sealed_name = functools.lru_cache(maxsize=None)(
            lambda name: (keys.seal_text(name, "persons.name"), tuple(keys.name_keys(name))))
        self.sealed_phone = functools.lru_cache(maxsize=None)(lambda phone: keys.seal_text(phone, "persons.phone"))
        self.persons: list[tuple] = []
        self.name_keys: list[tuple] = []
        self.cases: list[tuple] = []
        self.events: list[tuple] = []

    def add(self, seq: int, created: datetime, event_seq: int | None = None) -> None:
        """The case numbered ``seq`` on this desk, accepted at ``created`` (its event ``event_seq``, else ``seq``)."""
        rng, keys = self.rng, self.keys
        pid, cid = str(uuid.uuid4()), str(uuid.uuid4())
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        id_number, phone = _resident_id(rng), "138" + f"{rng.randrange(10**4):04d}" + "0000"
        name_sealed, name_index = self.sealed_name(name)
        self.persons.append((pid, "person", name_sealed, keys.seal_text(id_number, "persons.id_number"),
                             self.sealed_phone(phone), keys.id_number_key(id_number), created))  # fmt: skip
        self.name_keys += [(k, pid) for k in name_index]
        code, item, dept, kind = rng.choice(ITEMS)
        status = rng.choice(STATUSES)
        number = format_case_number("421224100", "01", created.date(), seq)
        self.cases.append((
            cid, number, "421224100", dept, code, item, status, 1, 1, 0, 0, pid, None, self.window_id, self.clerk_id,
            "01", "on_site", kind, 0, created, created + timedelta(minutes=15), created + timedelta(days=10),
            "file:2026-1", json.dumps({"checklist": []}), created, created,
        ))
        event_seq = event_seq or seq
        self.events.append((str(uuid.uuid4()), cid, 0, "accepted", "window", "{}", "clerk1", "01", created, event_seq,
                            "local", "stored", 1, None, event_seq, created))

    def insert(self, conn: sqlite3.Connection) -> None:
        """Write the rows gathered so far and forget them."""
        conn.executemany("INSERT INTO persons(id, kind, name, id_number, phone, id_number_key, created_at)"
                         " VALUES (?,?,?,?,?,?,?)", self.persons)  # fmt: skip
        conn.executemany("INSERT INTO person_name_keys(key, person_id) VALUES (?, ?)", self.name_keys)
        conn.executemany(
            "INSERT INTO cases(uuid, case_number, site_code, department_code, item_code, item_name, status, version,"
            " acked_version, pledge_open, withdrawal_requested, applicant_id, agent_id, window_id, clerk_user_id,"
            " device_code, channel, handling_kind, urgent, accepted_at, transfer_due_at, due_at, due_calendar_version,"
            " details, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            self.cases,
        )
        conn.executemany(
            "INSERT INTO case_events(uuid, case_uuid, case_version, type, side, payload, actor, device_code,"
            " occurred_at, device_seq, origin, push_state, attempts, last_error, hub_seq, acked_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            self.events,
        )
        self.persons, self.name_keys, self.cases, self.events = [], [], [], []


def build(data_dir: Path, n: int, *, seed: int = 7) -> Path:
    """Make (or reuse) a demo data folder with ``n`` cases spread over the last two years.

    Reused when it holds at least ``n`` (the benchmarks add a few hundred accepts each run)."""
    data_dir = Path(data_dir)
    use_bench_key(data_dir)
    if n <= case_count(data_dir) <= n + 50_000:
        fill_today(data_dir)
        return data_dir
    if database_path(data_dir).exists():
        for f in data_dir.glob("clerk_desk.sqlite3*"):
            f.unlink()
    db = Database(data_dir)
    demo.ensure_demo_site(db)
    with db.reading() as s:
        clerk_id = s.execute(text("SELECT id FROM users WHERE username='clerk1'")).scalar()
        window_id = s.execute(text("SELECT id FROM windows LIMIT 1")).scalar()
    keys = db.keys
    db.close()
    rng = random.Random(seed)
    now = datetime.now(UTC)
    conn = sqlite3.connect(database_path(data_dir))
    conn.execute("PRAGMA synchronous = OFF")  # bulk build only; the app always runs FULL
    conn.execute("PRAGMA cache_size = -524288")  # 512 MiB while loading
    t0 = time.perf_counter()
    set_aside = _set_aside(conn)
    rows = _Rows(keys, rng, clerk_id, window_id)
    batch = 20_000
    for start in range(0, n, batch):
        for i in range(start, min(n, start + batch)):
            rows.add(i + 1, now - timedelta(seconds=(n - i) * (2 * 365 * 86400 // max(n, 1))))
        rows.insert(conn)
        conn.commit()
    conn.execute("UPDATE devices SET case_seq = ?, event_seq = ? WHERE code = '01'", (n, n))
    conn.commit()
    _put_back(conn, set_aside)
    conn.execute("ANALYZE")
    conn.close()
    print(f"built {n:,} cases in {time.perf_counter() - t0:.1f} s -> {data_dir}", file=sys.stderr)
    fill_today(data_dir)
    return data_dir


def fill_today(data_dir: Path, *, at_least: int = TODAY_CASES, seed: int = 11) -> int:
    """Give the hall's current day (China's) ``at_least`` cases, accepted between its midnight and now.

    The 办件 list opens on 今日: without this its first page would hold a full page or nothing depending on
    the hour the folder was built and the hour a benchmark runs. Written with the count triggers in place,
    as the desk writes. Returns how many were added."""
    now = datetime.now(UTC)
    start = today_start(now).astimezone(UTC)
    path = database_path(data_dir)
    with sqlite3.connect(path) as conn:
        have = int(conn.execute("SELECT count(*) FROM cases WHERE created_at >= ?", (start,)).fetchone()[0])
    if have >= at_least:
        return 0
    db = Database(data_dir)
    keys = db.keys
    db.close()
    conn = sqlite3.connect(path)
    try:
        clerk_id = conn.execute("SELECT id FROM users WHERE username = 'clerk1'").fetchone()[0]
        window_id = conn.execute("SELECT id FROM windows ORDER BY id LIMIT 1").fetchone()[0]
        case_seq, event_seq = conn.execute("SELECT case_seq, event_seq FROM devices WHERE code = '01'").fetchone()
        rows, missing = _Rows(keys, random.Random(seed), clerk_id, window_id), at_least - have
        step = (now - start) / (missing + 1)
        for k in range(1, missing + 1):
            rows.add(case_seq + k, start + step * k, event_seq + k)
        rows.insert(conn)
        conn.execute("UPDATE devices SET case_seq = ?, event_seq = ? WHERE code = '01'",
                     (case_seq + missing, event_seq + missing))  # fmt: skip
        conn.commit()
    finally:
        conn.close()
    print(f"added {missing} cases to today's list ({have} there) -> {data_dir}", file=sys.stderr)
    return missing


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--out", type=Path, default=Path("/tmp/clerk-bench-1m"))
    a = ap.parse_args()
    build(a.out, a.cases)
