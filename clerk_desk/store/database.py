"""The open case database of one data folder: engine, sessions, and a transaction helper.

Write failures (disk full, read-only, locked past the busy timeout) surface as StorageError with a
clerk-readable message; the transaction is rolled back, so nothing is half-saved.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from clerk_desk.domain.errors import StorageError
from clerk_desk.store import migrate
from clerk_desk.store.engine import (
    database_path,
    make_engine,
    make_read_session_factory,
    make_session_factory,
)

log = logging.getLogger(__name__)


def _storage_message(exc: BaseException) -> str:
    text = str(exc).lower()
    if "full" in text:
        return "磁盘空间已满，本次操作未保存。请清理磁盘后重试，已填写的内容仍保留在界面上。"
    if "locked" in text or "busy" in text:
        return "数据库正被其他程序占用，本次操作未保存，请稍后重试。"
    if "readonly" in text or "read-only" in text:
        return "数据库文件为只读，本次操作未保存。请联系信息技术人员检查文件权限。"
    return f"保存到本机数据库失败，本次操作未保存：{exc}"


class Database:
    def __init__(self, data_dir: Path, *, migrate_on_open: bool = True) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.path = database_path(self.data_dir)
        self.migration = migrate.upgrade(self.path) if migrate_on_open else None
        self.engine = make_engine(self.path)
        self.sessions = make_session_factory(self.engine)
        self.read_sessions = make_read_session_factory(self.engine)
        # Called after every committed write transaction (e.g. to wake the sync relay); must be quick.
        self.commit_listeners: list[Callable[[], None]] = []
        event.listen(self.sessions, "after_commit", self._after_commit)

    def _after_commit(self, _session: Session) -> None:
        for listener in list(self.commit_listeners):
            try:
                listener()
            except Exception:  # a listener must never turn a saved commit into an error
                log.exception("commit listener failed")

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on error; storage failures become StorageError."""
        try:
            with self.sessions() as session, session.begin():
                yield session
        except (OperationalError, sqlite3.OperationalError) as exc:
            raise StorageError(_storage_message(exc)) from exc

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session (no IMMEDIATE lock is taken until something is written)."""
        with self.read_sessions() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()
