"""``county-hub backup FILE`` / ``restore FILE``: a consistent copy of the hub's SQLite database while the hub runs.

Copying ``hub.sqlite3`` with the hub running is not a backup: in WAL mode the newest commits are still in
``hub.sqlite3-wal``, and a copy taken during a checkpoint is torn. SQLite's online backup copies the
database as one snapshot, pages committed in the WAL included. The copy is written beside its name and
renamed once complete (0600 on POSIX: it holds every case with its people and the token hashes).
PostgreSQL is backed up with its own tools (``pg_dump``), docs/hub.md "Back up and restore".
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import URL, Connection, Engine, create_engine, insert

from county_hub import audit
from county_hub.devices import AdminError
from county_hub.migrate import DatabaseTooNew, check_not_newer
from county_hub.models import Counter
from county_hub.ordering import LOST_PREFIX, advance_counter, high_water


@dataclass(frozen=True)
class BackedUp:
    path: Path
    size: int
    head: int  # the log's last seq in the copy


def backup(engine: Engine, dest: Path) -> BackedUp:
    if engine.url.get_backend_name() != "sqlite":
        raise AdminError(
            "县级平台使用 PostgreSQL：请用 pg_dump 备份（如 pg_dump -Fc -f hub.dump hub），"
            "county-hub backup 只用于内置的 SQLite 数据库"
        )
    if dest.exists():
        raise AdminError(f"{dest} 已存在，未备份：请换一个文件名（不会覆盖已有的备份）")
    if not dest.parent.is_dir():
        raise AdminError(f"文件夹 {dest.parent} 不存在，未备份：请先建好该文件夹")
    part = dest.with_name(dest.name + ".part")
    part.unlink(missing_ok=True)
    if os.name == "posix":
        os.close(os.open(part, os.O_WRONLY | os.O_CREAT, 0o600))
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        target = sqlite3.connect(part)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")  # the copy stands alone: no -wal beside it
            head = int(target.execute("SELECT value FROM counters WHERE name = 'events'").fetchone()[0])
        finally:
            target.close()
    except (sqlite3.Error, OSError) as exc:
        part.unlink(missing_ok=True)
        raise AdminError(f"备份失败，未写入 {dest}：{exc}") from None
    finally:
        raw.close()
    with open(part, "rb") as f:
        os.fsync(f.fileno())
    os.replace(part, dest)
    return BackedUp(dest, dest.stat().st_size, head)



def _read_only(path: Path) -> str:
    """The SQLite URI that opens ``path`` read-only. Written as ``file:{path}?mode=ro`` it was cut at a "#"
    (the URI's fragment: "hub#2.sqlite3" opened "hub") or a "?" in the name; ``as_uri`` escapes them."""
    return f"{path.absolute().as_uri()}?mode=ro"


# How far the log's counter jumps at a restore: past any seq the hub can have handed out after the backup
# was taken, so a desk's cursor either lies before the backup's end or inside the lost range (told
# cursor_ahead), never on a seq that new events take again.
LOST_GAP = 1_000_000_000


def swap_in(data_dir: Path, source: Path, stamp: str) -> Path:
    """Put the backup ``source`` in place of the data folder's database (the hub stopped); the database it
    replaces is kept beside it, its -wal and -shm with it. Returns where the replaced one went."""
    from county_hub.settings import DB_FILE

    if not source.is_file():
        raise AdminError(f"没有备份文件 {source}：请检查路径")
    try:
        with closing(sqlite3.connect(_read_only(source), uri=True)) as check:
            # its own SQL first: a view could stand in for the tables read below
            own_sql = check.execute(
                "SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view') ORDER BY name"
            ).fetchall()
            if not own_sql:
                check.execute("SELECT value FROM counters WHERE name = 'events'").fetchone()[0]
                check.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    except (sqlite3.Error, TypeError):
        raise AdminError(
            f"{source} 不是县级平台的数据库备份（county-hub backup 所写），未恢复；当前数据库未改动"
        ) from None
    if own_sql:
        # A hub database has neither (no migration makes one): one in the file would run its own SQL inside the
        # hub on every push from then on.
        named = "、".join(f"{'触发器' if kind == 'trigger' else '视图'} {name}" for kind, name in own_sql[:5])
        raise AdminError(
            f"{source} 含有县级平台数据库没有的{named}，不是 county-hub backup 所写的备份，未恢复；当前数据库未改动。"
            "请用 county-hub backup 写成的备份文件"
        )
    probe = create_engine(URL.create("sqlite", database=str(source)))
    try:
        with probe.connect() as conn:
            check_not_newer(conn)  # refused before anything is moved: this hub could not open it
    except DatabaseTooNew as exc:
        raise AdminError(f"{source} 由更新版本的 county-hub 写成，未恢复；当前数据库未改动（{exc}）") from None
    finally:
        probe.dispose()
    db = data_dir / DB_FILE
    kept = data_dir / f"{DB_FILE}.before-restore-{stamp}"
    part = data_dir / f"{DB_FILE}.restoring"
    part.unlink(missing_ok=True)
    if os.name == "posix":
        os.close(os.open(part, os.O_WRONLY | os.O_CREAT, 0o600))
    try:
        with closing(sqlite3.connect(_read_only(source), uri=True)) as src, closing(sqlite3.connect(part)) as dst:
            src.backup(dst)
        with open(part, "rb") as f:
            os.fsync(f.fileno())
    except (sqlite3.Error, OSError) as exc:
        # a half-made copy holds cases and people: it does not stay in the data folder
        part.unlink(missing_ok=True)
        raise AdminError(
            f"无法在 {data_dir} 写入备份的副本（{exc}；磁盘已满或没有写入权限？），未恢复；当前数据库未改动"
        ) from None
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{db}{suffix}").exists():
            os.replace(f"{db}{suffix}", f"{kept}{suffix}")
    os.replace(part, db)
    return kept


def replaced_head(db: Path) -> int:
    """The highest seq the database a restore replaces had handed out (0 when there is none, or it cannot be
    read: a damaged database is a reason to restore)."""
    if not db.is_file():
        return 0
    try:
        with closing(sqlite3.connect(_read_only(db), uri=True)) as conn:
            found = conn.execute(
                "SELECT max(value) FROM counters WHERE name = 'events' OR name LIKE 'lost:%'"
            ).fetchone()
    except sqlite3.Error:
        return 0
    return int(found[0] or 0) if found else 0


def mark_restored(conn: Connection, actor: str, replaced: int = 0) -> tuple[int, int]:
    """After a restore: the log's counter jumps ``LOST_GAP`` past the backup's end, or past ``replaced`` (the
    highest seq the replaced database had handed out, when known) if that is further, and the seqs between
    are recorded as lost (a ``lost:<end>`` counter row; the hub reads them at start). A desk whose cursor lies
    there pulled events this database no longer holds: it is told cursor_ahead, takes a new snapshot and
    sends its own events after the backup's end again. Returns (backup's end, the counter's new value).

    Marked every time it runs: a database already marked, with nothing written since, may be a dump taken
    right after a mark and restored after the hub had handed out seqs past it; marking twice costs nothing
    but a billion seqs of the 64-bit counter."""
    head = high_water(conn)
    top = max(head, replaced) + LOST_GAP
    conn.execute(insert(Counter).values(name=f"{LOST_PREFIX}{head}", value=top))
    advance_counter(conn, top)
    audit.record(conn, "hub_restored", actor, "events", backup_head=head, lost_to=top, replaced_head=replaced)
    return head, top
