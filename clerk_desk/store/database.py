"""The open case database of one data folder: sessions, a transaction helper, and plain-SQL access.

Write failures (disk full, read-only, locked past the busy timeout) surface as StorageError with a
clerk-readable message; the transaction is rolled back, so nothing is half-saved.

SQLAlchemy is loaded when the ORM is first used, not when the database opens: the start-up path
(sign-in, the first page of the case list) reads with plain SQL (:meth:`plain_reading`), so the desk
is on screen before that import is paid (store/sqlite_file.py).

After every committed write the database calls its commit listeners once with what changed: the case
uuids the transaction marked and why (store/changes.py), so the sync wakes and every open screen reads
again what it shows.

Opening also loads this PC's personal-data key (:attr:`keys`, store/data_keys.py) and makes the data
folder owner-only (store/file_modes.py); docs/personal-data.md.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from clerk_desk.domain.errors import ClerkDeskError, StorageError
from clerk_desk.store import changes, file_modes, machine_key, migrate
from clerk_desk.store.changes import NOTHING, Changes
from clerk_desk.store.data_keys import FINGERPRINT_SETTING, DataKeys, KeyRotated
from clerk_desk.store.sqlite_file import connect, database_path

if TYPE_CHECKING:
    from sqlalchemy import CursorResult, Engine, Result
    from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)
_PLAIN_POOL = 4  # idle plain connections kept (the GUI thread and a few workers)


def _storage_message(exc: BaseException) -> str:
    text = str(exc).lower()
    if "full" in text:
        return "磁盘空间已满，本次操作未保存。请清理磁盘后重试，已填写的内容仍保留在界面上。"
    if "locked" in text or "busy" in text:
        return "数据库正被其他程序占用，本次操作未保存，请稍后重试。"
    if "readonly" in text or "read-only" in text:
        return "数据库文件为只读，本次操作未保存。请联系信息技术人员检查文件权限。"
    return f"保存到本机数据库失败，本次操作未保存：{exc}"


def _cannot_open(exc: BaseException) -> bool:
    """The data folder or its database cannot be created or written by this account (a folder without the
    rights the installer grants, a read-only file another account made): not a damaged database, which keeps
    its own message. SQLAlchemy's wrapper of the same SQLite error counts too; it can only be one when
    SQLAlchemy was loaded (the migration loads it), so it is not imported here."""
    if isinstance(exc, PermissionError):
        return True
    sa = sys.modules.get("sqlalchemy.exc")
    if sa is not None and isinstance(exc, sa.OperationalError):
        exc = exc.orig or exc
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    text = str(exc).lower()
    return "unable to open" in text or "readonly" in text or "read-only" in text


def cannot_open_message(data_dir: Path, exc: BaseException) -> str:
    sa = sys.modules.get("sqlalchemy.exc")
    detail = exc.orig if sa is not None and isinstance(exc, sa.DBAPIError) and exc.orig else exc
    return (f"本账户无法写入数据文件夹 {data_dir}（{detail}），未打开数据库。请县级信息技术人员检查该文件夹的权限："
            f"各窗口账户（Users 组）需要“修改”权限；修复安装（msiexec /fa）会重新授予。")


class Database:
    def __init__(self, data_dir: Path, *, migrate_on_open: bool = True) -> None:
        self.data_dir = Path(data_dir)
        self.path = database_path(self.data_dir)
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            file_modes.restrict(self.data_dir)
        except OSError as exc:
            if not _cannot_open(exc):  # the path is gone or wrong (a network folder unreachable, a file on it)
                log.error("cannot make the data folder %s: %s", self.data_dir, exc)
                raise StorageError(f"无法建立数据文件夹 {self.data_dir}（{exc}），未打开数据库。请检查该路径是否存在"
                                   "（网络文件夹是否连通）。", code="data_folder_unavailable") from exc
            raise self._not_writable(exc) from exc
        self._master = machine_key.load_or_create(self.data_dir)  # its own messages (KeyUnavailable)
        try:
            self.migration = migrate.upgrade(self.path, keys=DataKeys(self._master)) if migrate_on_open else None
        except Exception as exc:
            if isinstance(exc, ClerkDeskError) or not _cannot_open(exc):
                raise
            raise self._not_writable(exc) from exc
        file_modes.restrict(self.data_dir)  # the files the migration (or its backup) made
        self._keys: DataKeys | None = None
        self.sealed_with: str | None = None  # the fingerprint the database records (set with :attr:`keys`)
        self._rotated = False  # the key was rotated while this process had the database open
        # Called after every committed write transaction with what it changed (store/changes.py): the sync
        # relay wakes, the screens read again. Called on the committing thread; must be quick.
        self.commit_listeners: list[Callable[[Changes], None]] = []
        self._orm_lock = threading.Lock()
        self._orm: tuple[Engine, sessionmaker[Session], sessionmaker[Session], sessionmaker[Session]] | None = None
        self._plain_lock = threading.Lock()
        self._plain_idle: list[sqlite3.Connection] = []
        self._generation = 0  # bumped by close(): connections out at that moment are not pooled again

    def _not_writable(self, exc: BaseException) -> StorageError:
        """What opening raises when this account cannot create or write the folder or its database."""
        log.error("cannot open the database in %s: %s", self.data_dir, exc)
        return StorageError(cannot_open_message(self.data_dir, exc), code="data_folder_not_writable")

    # -- this PC's key, as it applies to this database ------------------------------------------
    @property
    def keys(self) -> DataKeys:
        """Seal/open/index with this PC's key; ``keys.readable`` is False when the database was sealed
        with another PC's key (a backup restored here): then nothing personal can be read or written."""
        if self._keys is None:
            with self._plain_use() as conn:
                try:
                    row = conn.execute("SELECT value FROM settings WHERE key = ?", (FINGERPRINT_SETTING,)).fetchone()
                except sqlite3.OperationalError:  # not migrated yet (migrate_on_open=False): nothing sealed
                    row = None
            self.sealed_with = str(row[0]) if row else None
            self._keys = DataKeys(self._master, self.sealed_with)
            if not self._keys.readable:
                log.warning("the database %s was sealed with another PC's key: personal data unreadable", self.path)
                kept = machine_key.kept_key_for(self.data_dir, self.sealed_with)
                if kept is not None:  # a key this PC rotated out (docs/personal-data.md, "Rotating the key")
                    log.warning("it is sealed with the rotated-out key kept as %s: run clerk-desk --data-dir %s "
                                "db rekey --old-key %s", kept, self.data_dir, kept)  # fmt: skip
        return self._keys

    def _key_still_current(self, run: Callable[..., Any]) -> None:
        """Inside a write transaction: the database still records the key this process seals with. A key
        rotated underneath a long-running process (``clerk-desk db rekey`` beside a ``sync run``) would
        otherwise have it seal values and sign audit entries with the old key; from then on it writes
        nothing and reads nothing personal, and says to start again (docs/personal-data.md, "Rotating the
        key")."""
        if not self._rotated:
            if self._keys is None or not self._keys.readable:
                return
            row = run("SELECT value FROM settings WHERE key = ?", (FINGERPRINT_SETTING,)).fetchone()
            if row is None or str(row[0]) == self.sealed_with:
                return
            log.warning("the personal-data key of %s was rotated while it was open: restart needed", self.path)
            self._keys.readable = False
            self._rotated = True
        raise KeyRotated()

    # -- the ORM, built on first use --------------------------------------------------------------
    def _orm_parts(self) -> tuple[Engine, sessionmaker[Session], sessionmaker[Session], sessionmaker[Session]]:
        if self._orm is None:
            with self._orm_lock:
                if self._orm is None:
                    from sqlalchemy import event

                    from clerk_desk.store.engine import (
                        make_engine,
                        make_read_session_factory,
                        make_relaxed_session_factory,
                        make_session_factory,
                    )

                    engine = make_engine(self.path, keys=self.keys)
                    sessions = make_session_factory(engine)
                    relaxed = make_relaxed_session_factory(engine)
                    for factory in (sessions, relaxed):
                        event.listen(factory, "after_commit", lambda s: self._after_commit(changes.take(s)))
                        event.listen(factory, "after_rollback", changes.take)  # a rolled-back unit says nothing
                    self._orm = (engine, sessions, make_read_session_factory(engine), relaxed)
        return self._orm

    @property
    def engine(self) -> Engine:
        return self._orm_parts()[0]

    @property
    def sessions(self) -> sessionmaker[Session]:
        return self._orm_parts()[1]

    @property
    def read_sessions(self) -> sessionmaker[Session]:
        return self._orm_parts()[2]

    def _after_commit(self, changed: Changes = NOTHING) -> None:
        for listener in list(self.commit_listeners):
            try:
                listener(changed)
            except Exception:  # a listener must never turn a saved commit into an error
                log.exception("commit listener failed")

    @contextmanager
    def transaction(self, *, durable: bool = True) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on error; storage failures become StorageError.

        ``durable=False``: the commit is not fsynced (store/engine.py): only for what the desk can learn
        again from the hub after a power cut (the sync's bookkeeping, pulled pages); never for an act."""
        from sqlalchemy.exc import OperationalError, StatementError

        factory = self.sessions if durable else self._orm_parts()[3]
        try:
            with factory() as session, session.begin():
                if self._keys is not None:  # on the driver's connection: a tenth of the cost through SQLAlchemy
                    self._key_still_current(cast(Any, session.connection().connection.driver_connection).execute)
                yield session
        except (OperationalError, sqlite3.OperationalError) as exc:
            raise StorageError(_storage_message(exc)) from exc
        except StatementError as exc:
            # Raised while binding a value (a sealed column refusing: store/sealed.py): the message is ours.
            if isinstance(exc.orig, ClerkDeskError):
                raise exc.orig from exc
            raise

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session (no IMMEDIATE lock is taken until something is written)."""
        with self.read_sessions() as session:
            yield session

    # -- plain SQL (no SQLAlchemy) ----------------------------------------------------------------
    @contextmanager
    def _plain_use(self) -> Iterator[sqlite3.Connection]:
        """A pooled connection for one unit of plain SQL. Pooled, not one per thread: the GUI's worker
        threads come and go, and each connection keeps its own page cache. A connection in use when
        close() runs is closed when it comes back, never pulled out from under a running query."""
        with self._plain_lock:
            conn = self._plain_idle.pop() if self._plain_idle else None
            generation = self._generation
        if conn is None:
            conn = connect(self.path)
        try:
            yield conn
        finally:
            with self._plain_lock:
                keep = generation == self._generation and len(self._plain_idle) < _PLAIN_POOL
                if keep:
                    self._plain_idle.append(conn)
            if not keep:
                conn.close()

    @contextmanager
    def plain_reading(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for a few plain SELECTs (a deferred transaction, ended at once)."""
        with self._plain_use() as conn:
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("COMMIT")

    @contextmanager
    def plain_transaction(self) -> Iterator[sqlite3.Connection]:
        """A small write in plain SQL (sign-in bookkeeping): BEGIN IMMEDIATE, commit or roll back."""
        with self._plain_use() as conn:
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    if self._keys is not None:
                        self._key_still_current(conn.execute)
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise StorageError(_storage_message(exc)) from exc
        self._after_commit()

    def checkpoint(self) -> None:
        """Copy the -wal into the database and empty it (after a purge: old pages must not linger there)."""
        with self._plain_use() as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()

    def close(self) -> None:
        with self._orm_lock:
            orm, self._orm = self._orm, None
        with self._plain_lock:
            idle, self._plain_idle = self._plain_idle, []
            self._generation += 1
        for conn in idle:
            conn.close()
        if orm is not None:
            orm[0].dispose()


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE touched: Session.execute() is typed as returning a Result, but for
    those statements it is a CursorResult, which counts them."""
    return int(cast("CursorResult[Any]", result).rowcount or 0)
