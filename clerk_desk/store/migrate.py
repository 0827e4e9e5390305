"""Bring the case database to the app's schema: back up, refuse a newer database, upgrade in one go.

Called at every start (and by ``clerk-desk db upgrade``). Order matters:
1. a database whose revision this app does not know was written by a newer app: refuse, touch nothing;
2. back the file up with SQLite's backup API (a file copy would miss commits still in the -wal file);
3. upgrade to head in one transaction with foreign keys off (set outside it: batch migrations
   recreate tables, docs/architecture.md §9);
4. when that sealed personal data written in clear (migration 0004, docs/personal-data.md): VACUUM
   with secure_delete so no plaintext stays in free pages or the -wal, and bring the backups in the
   data folder that still hold plaintext (the one just taken included) to the same revision.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from clerk_desk import paths
from clerk_desk.domain.errors import StorageError
from clerk_desk.store import file_modes
from clerk_desk.store.data_keys import DataKeys

BACKUP_DIRNAME = "backups"
KEEP_BACKUPS = 20
SEALING_REVISION = "0004_data_at_rest"  # from here on, personal data is sealed (docs/personal-data.md)


log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Engine


class DatabaseNewerThanApp(StorageError):
    code = "database_newer"

    def __init__(self, revision: str) -> None:
        self.revision = revision
        super().__init__(
            f"数据库版本（{revision}）比本程序新，可能由更新版本的 Clerk Desk 写入。"
            "为保护数据，本程序不会打开或修改它。请安装最新版本后再试。"
        )


class BackupError(StorageError):
    code = "backup"


@dataclass(frozen=True)
class MigrationResult:
    """An upgrade of the database file: the revision before and after, and the backup taken first (if any)."""

    before: str | None
    after: str
    backup: Path | None


def alembic_config() -> Config:  # Alembic is imported here, lazily: it costs ~0.3 s at every start
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(paths.migrations_dir()))
    return cfg


_REVISION_LINE = re.compile(r"""^(revision|down_revision)\b[^=]*=\s*(?:["']([^"']+)["']|None)""", re.MULTILINE)


@lru_cache(maxsize=1)
def _revision_graph() -> dict[str, str | None]:
    """revision -> down_revision, read from the version files as text: deciding that a database is
    already at head (every normal start) must not import Alembic."""
    graph: dict[str, str | None] = {}
    for f in (paths.migrations_dir() / "versions").glob("*.py"):
        found = {k: (v or None) for k, v in _REVISION_LINE.findall(f.read_text("utf-8"))}
        revision = found.get("revision")
        if revision:
            graph[revision] = found.get("down_revision")
    return graph


def head_revision() -> str:
    graph = _revision_graph()
    heads = set(graph) - {d for d in graph.values() if d}
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have exactly one head, found {sorted(heads)}")
    return heads.pop()


def known_revisions() -> set[str]:
    return set(_revision_graph())


def holds_plaintext(revision: str | None) -> bool:
    """A database at ``revision`` keeps personal data in clear (it predates SEALING_REVISION)."""
    graph = _revision_graph()
    older = graph.get(SEALING_REVISION)
    while older is not None:
        if older == revision:
            return True
        older = graph.get(older)
    return False


def _plain_engine(db_path: Path, keys: DataKeys | None = None) -> Engine:
    from clerk_desk.store.engine import make_engine  # SQLAlchemy only when migrating

    # Foreign keys off for batch migrations; Alembic runs its transaction on the IMMEDIATE begin hook.
    return make_engine(db_path, foreign_keys=False, keys=keys)


def _read_only(path: Path) -> sqlite3.Connection:
    """Open without writing anything: with no -wal file beside it, as immutable (SQLite then creates
    no -shm/-wal files either); with one, read-only so the commits it holds are seen."""
    wal = path.with_name(path.name + "-wal")
    flag = "mode=ro" if wal.exists() else "immutable=1"
    # (the path as a URI, its "?", "#", "%" escaped: written as they are they cut or changed the file name)
    return sqlite3.connect(f"{path.resolve().as_uri()}?{flag}", uri=True)


def current_revision(db_path: Path) -> str | None:
    if not Path(db_path).exists():
        return None
    # Read-only and closed at once: a lingering connection could checkpoint the WAL into a database
    # we are about to refuse, and the refusal promises to leave the file untouched.
    conn = _read_only(Path(db_path))
    try:
        has = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'").fetchone()
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone() if has else None
    finally:
        conn.close()
    return row[0] if row else None


def check_not_newer(db_path: Path) -> str | None:
    rev = current_revision(db_path)
    if rev is not None and rev not in known_revisions():
        raise DatabaseNewerThanApp(rev)
    return rev


def backup(db_path: Path, dest_dir: Path | None = None, *, label: str = "auto") -> Path:
    """Copy the live database with SQLite's online backup API into ``dest_dir`` (default data/backups)."""
    db_path = Path(db_path)
    dest_dir = Path(dest_dir) if dest_dir else db_path.parent / BACKUP_DIRNAME
    try:
        dest_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # `--to E:\备份` with the stick not plugged in, a read-only share
        raise BackupError(
            f"无法使用备份文件夹 {dest_dir}（{exc.strerror or exc}）：请确认 U 盘或网络盘已接上，路径正确且可以写入"
        ) from exc
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    dest = dest_dir / f"{db_path.stem}-{stamp}-{label}.sqlite3"
    try:
        dest.touch(mode=file_modes.FILE_MODE, exist_ok=False)  # owner-only before a byte is written
        src = sqlite3.connect(db_path)
        dst = sqlite3.connect(dest)
        with dst:
            src.backup(dst)
        src.close()
        dst.close()
    except (sqlite3.Error, OSError) as exc:
        dest.unlink(missing_ok=True)
        raise BackupError(f"备份数据库失败：{exc}") from exc
    file_modes.restrict_file(dest)
    if dest_dir == db_path.parent / BACKUP_DIRNAME and file_modes.posix():
        dest_dir.chmod(file_modes.FOLDER_MODE)
    _prune(dest_dir, db_path.stem)
    return dest


def _prune(dest_dir: Path, stem: str) -> None:
    autos = sorted(dest_dir.glob(f"{stem}-*-auto.sqlite3"))
    for old in autos[:-KEEP_BACKUPS]:
        old.unlink(missing_ok=True)


def restore(backup_file: Path, db_path: Path) -> Path:
    """Bring a backup back: the current file is itself backed up first, then replaced page by page."""
    backup_file, db_path = Path(backup_file), Path(db_path)
    probe = _read_only(backup_file)
    try:
        ok = probe.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"备份文件已损坏，未恢复：{exc}") from exc
    finally:
        probe.close()
    if ok != "ok":
        raise BackupError(f"备份文件已损坏，未恢复：{ok}")
    rev = current_revision(backup_file)
    if rev is None or not _desk_tables(backup_file):
        # An empty file (a copy that failed), another program's SQLite file, the county hub's hub.sqlite3:
        # SQLite opens them all, and restoring one made the desk look freshly installed.
        raise BackupError(
            f"{backup_file} 不是 Clerk Desk 的数据库备份，未恢复：其中没有本程序的数据表（县级平台的数据库 "
            "hub.sqlite3 或其他程序的文件都不能用来恢复）。请选择 clerk-desk db backups 列出的备份文件"
        )
    if rev not in known_revisions():
        raise DatabaseNewerThanApp(rev)
    safety = backup(db_path, label="before-restore") if db_path.exists() else None
    src = sqlite3.connect(backup_file)
    dst = sqlite3.connect(db_path)
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    return safety or db_path


DESK_TABLES = ("settings", "case_events", "persons")  # in every desk revision, in no hub database


def _desk_tables(path: Path) -> bool:
    conn = _read_only(path)
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()
    return all(t in names for t in DESK_TABLES)


def _keys_for(db_path: Path) -> DataKeys:
    from clerk_desk.store import machine_key

    return DataKeys(machine_key.load_or_create(db_path.parent))


def upgrade(
    db_path: Path, *, make_backup: bool = True, target: str = "head", keys: DataKeys | None = None
) -> MigrationResult:
    """``keys``: this PC's key, for a migration that seals personal data (loaded here when not given)."""
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    before = check_not_newer(db_path)
    head = head_revision()
    if before == head and target == "head":
        return MigrationResult(before, head, None)
    from alembic import command  # only now: a database already at head never loads Alembic

    keys = keys or _keys_for(db_path)
    saved = backup(db_path) if make_backup and before is not None else None
    engine = _plain_engine(db_path, keys)
    try:
        with engine.begin() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            cfg.attributes["data_keys"] = keys
            command.upgrade(cfg, target)
    finally:
        engine.dispose()
    _keep_case_counts(db_path)
    after = current_revision(db_path)
    assert after is not None
    if before is not None and holds_plaintext(before) and not holds_plaintext(after):
        scrub(db_path)
        seal_backups(db_path.parent / BACKUP_DIRNAME, keys)
    return MigrationResult(before, after, saved)


def _keep_case_counts(db_path: Path) -> None:
    """A migration that recreated ``cases``, ``person_name_keys`` or ``case_events`` (batch mode) dropped the
    count triggers: put them back and count again (store/case_counts.py, store/name_counts.py,
    store/figure_counts.py)."""
    from clerk_desk.store import case_counts, figure_counts, name_counts

    conn = sqlite3.connect(db_path)
    try:
        with conn:
            case_counts.ensure(conn)
            name_counts.ensure(conn)
            figure_counts.ensure(conn)
    finally:
        conn.close()


def scrub(db_path: Path) -> None:
    """Rewrite the file so nothing deleted or replaced survives in free pages or in the -wal."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def seal_backups(folder: Path, keys: DataKeys) -> list[Path]:
    """Bring every backup in ``folder`` that still holds plaintext to head (sealed, scrubbed)."""
    done = []
    for file in sorted(folder.glob("*.sqlite3")) if folder.is_dir() else []:
        try:
            if holds_plaintext(current_revision(file)):
                upgrade(file, make_backup=False, keys=keys)
                done.append(file)
        except (sqlite3.Error, StorageError, OSError) as exc:
            # Left as it is; `clerk-desk db backups` lists what still holds plaintext.
            log.warning("could not seal the backup %s: %s", file, exc)
    return done


def _revision_cli(argv: list[str]) -> int:
    """Developer helper: autogenerate a revision against a scratch database at head."""
    import argparse
    import tempfile

    from alembic import command

    parser = argparse.ArgumentParser(prog="python -m clerk_desk.store.migrate")
    parser.add_argument("action", choices=["revision"])
    parser.add_argument("-m", "--message", required=True)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "scratch.sqlite3"
        keys = DataKeys(os.urandom(32))  # a throwaway key: the scratch database holds nothing
        upgrade(db, make_backup=False, keys=keys)
        engine = _plain_engine(db, keys)
        with engine.begin() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.revision(cfg, message=args.message, autogenerate=True)
    return 0


if __name__ == "__main__":
    sys.exit(_revision_cli(sys.argv[1:]))
