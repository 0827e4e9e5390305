"""Start the GUI: one instance per data folder, open (and migrate) the database, then the start-up flow.

:func:`run_gui` is what ``clerk-desk`` calls. :func:`launch` does everything up to the event loop and is
what tests drive (with a synchronous runner and a recording notifier), so no modal dialog ever blocks.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from PySide6.QtCore import QCoreApplication, QLockFile, QSettings
from PySide6.QtWidgets import QApplication

from clerk_desk.domain.errors import ClerkDeskError
from clerk_desk.domain.org import ROLE_ZH, Role
from clerk_desk.store.database import Database
from clerk_desk.store.migrate import BackupError, DatabaseNewerThanApp
from clerk_desk.ui import after_start, look, notify
from clerk_desk.ui.startup import BACKGROUND_AFTER_MS, StartupController
from clerk_desk.ui.task_runner import TaskRunner, ThreadTaskRunner

if TYPE_CHECKING:
    from clerk_desk.services import demo as demo_service

log = logging.getLogger(__name__)

LOCK_FILENAME = "clerk-desk.lock"
SETTINGS_FILENAME = "desk-settings.ini"
ORGANISATION, APPLICATION = "Tongshan County", "Clerk Desk"  # where user_settings() keeps its file
EXIT_ALREADY_RUNNING = 1
EXIT_DATABASE = 2


@dataclass
class Launch:
    """What the start leaves running (the folder's lock, the database, the start-up flow), or the exit code."""

    exit_code: int | None = None
    lock: QLockFile | None = None
    db: Database | None = None
    controller: StartupController | None = None

    def close(self) -> None:
        if self.controller is not None:
            self.controller.close_all()
        if self.db is not None:
            self.db.close()
        if self.lock is not None:
            self.lock.unlock()


class LockNotWritable(Exception):
    """The lock file cannot be made: this account may not write in the data folder (not another desk running)."""


def acquire_instance_lock(data_dir: Path) -> QLockFile | None:
    """Hold the data folder's lock file, or None if a running process holds it.

    A lock left by a crashed process is stale (its PID is gone) and is taken over. The stale time is 0 so
    a long-running desk's lock never expires by age (Qt's default of 30 s would let a second one in).
    Raises :class:`LockNotWritable` when the lock file cannot be created at all (a folder this Windows
    account may only read): telling the clerk "already running" then would send IT after a process that
    does not exist.
    """
    lock = QLockFile(str(Path(data_dir) / LOCK_FILENAME))
    lock.setStaleLockTime(0)
    if lock.tryLock(0):
        return lock
    if lock.error() == QLockFile.LockError.LockFailedError:
        return None
    raise LockNotWritable(str(lock.error().name))


def settings_for(data_dir: Path) -> QSettings:
    """Per-machine settings kept in the data folder, shared by clerks under different Windows accounts."""
    return QSettings(str(Path(data_dir) / SETTINGS_FILENAME), QSettings.Format.IniFormat)


def user_settings() -> QSettings:
    """Settings of this OS user (the Windows account's profile): where the main window was left."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


def open_database(data_dir: Path) -> Database | None:
    try:
        return Database(data_dir)
    except (DatabaseNewerThanApp, BackupError) as exc:
        notify.error(None, str(exc))
    except ClerkDeskError as exc:
        notify.error(None, exc.message_zh)
    except (sqlite3.Error, OSError) as exc:
        log.exception("cannot open the database")
        notify.error(
            None,
            QCoreApplication.translate("app", "The database in {0} cannot be opened: {1}").format(
                data_dir, exc
            ),
        )
    return None


def print_demo_accounts(accounts: list[demo_service.DemoAccount], data_dir: Path, out: TextIO) -> None:
    from clerk_desk.services import demo as demo_service

    print(
        QCoreApplication.translate("app", "Demo site {0} (data folder {1})").format(
            demo_service.DEMO_SITE[1], data_dir
        ),
        file=out,
    )
    print(QCoreApplication.translate("app", "Demo accounts (user name / password / roles):"), file=out)
    for a in accounts:
        roles = "、".join(ROLE_ZH[Role(r)] for r in a.roles)
        print(f"  {a.username:<10} {a.password:<14} {roles}", file=out)
    out.flush()


def launch(
    data_dir: Path,
    demo: bool,
    *,
    runner: TaskRunner,
    settings: QSettings | None = None,
    window_settings: QSettings | None = None,
    out: TextIO | None = None,
    background_after_ms: int = 0,
) -> Launch:
    data_dir = Path(data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        notify.error(
            None,
            QCoreApplication.translate("app", "The data folder {0} cannot be created: {1}").format(
                data_dir, exc
            ),
        )
        return Launch(EXIT_DATABASE)
    try:
        lock = acquire_instance_lock(data_dir)
    except LockNotWritable as exc:
        log.error("cannot create the lock file in %s (%s): the folder is not writable by this account", data_dir, exc)
        notify.error(
            None,
            QCoreApplication.translate(
                "app",
                "This Windows account cannot write to the data folder {0}, so Clerk Desk cannot open it. "
                "Please ask county IT to give the hall's accounts the right to modify this folder "
                "(repairing the installation grants it again).",
            ).format(data_dir),
        )
        return Launch(EXIT_DATABASE)
    if lock is None:
        notify.error(
            None,
            QCoreApplication.translate(
                "app",
                "Clerk Desk is already running on this computer with this data folder. "
                "Please switch to the open window.",
            ),
        )
        return Launch(EXIT_ALREADY_RUNNING)
    db = open_database(data_dir)
    if db is None:
        lock.unlock()
        return Launch(EXIT_DATABASE)
    hint = ""
    if demo:
        # Only a demo start loads the demo set-up (and with it SQLAlchemy) before the sign-in dialog.
        from clerk_desk.services import demo as demo_service

        try:
            demo_accounts = demo_service.ensure_demo_site(db)
        except ClerkDeskError as exc:
            notify.error(None, exc.message_zh)
            db.close()
            lock.unlock()
            return Launch(EXIT_DATABASE)
        stream = out or sys.stdout
        if stream is not None:  # a windowed (frozen) app on Windows has no stdout
            print_demo_accounts(demo_accounts, data_dir, stream)
        hint = QCoreApplication.translate(
            "app", "Demo site: the accounts and passwords were printed at start and are kept in {0}."
        ).format(data_dir / demo_service.ACCOUNTS_FILE)
    controller = StartupController(db, runner, settings or settings_for(data_dir), login_hint=hint,
                                   window_settings=window_settings or user_settings(),
                                   background_after_ms=background_after_ms)
    result = Launch(None, lock, db, controller)
    # the collector the entry paused, and the log's rotation, come back once the work after sign-in begins
    after_start.when_started(controller.background_started, controller)
    controller.start()
    return result


def run_gui(data_dir: Path, demo: bool) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    translators = look.setup(app)  # noqa: F841 (kept alive for the app's lifetime)
    app.setQuitOnLastWindowClosed(False)  # the flow moves between dialogs; the controller says when to quit
    started = launch(data_dir, demo, runner=ThreadTaskRunner(parent=app), background_after_ms=BACKGROUND_AFTER_MS)
    if started.exit_code is not None:
        after_start.resume()
        return started.exit_code
    assert started.controller is not None
    started.controller.finished.connect(app.exit)
    try:
        return app.exec()
    finally:
        started.close()
