"""The data folder's instance lock, from outside the GUI: an IT command that must not run beside an open
desk (``clerk-desk db rekey``) holds the same ``clerk-desk.lock`` the desk takes at start (clerk_desk/app.py,
a ``QLockFile``), without Qt.

Qt's lock file on Linux is made with O_EXCL and held with ``flock`` for as long as the desk runs; a lock
left by a crashed desk is free to ``flock``. So: the desk is running exactly when the file exists and
cannot be flocked. While the command holds it, a desk that starts finds the file and cannot take it over
(Qt flocks a stale lock before removing it), and says that Clerk Desk is already running. On Windows
QLockFile keeps the file open without sharing it for writing: opening it for writing fails while a desk
runs, and the open handle keeps a starting desk from deleting it.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

from clerk_desk.domain.errors import StorageError

LOCK_FILENAME = "clerk-desk.lock"  # the desk's own (clerk_desk/app.py LOCK_FILENAME; a test keeps them equal)


class DeskRunning(StorageError):
    code = "desk_running"

    def __init__(self, data_dir: Path, *, empty: bool = False) -> None:
        left = (
            f"若过几分钟仍是如此，且确认本机没有 Clerk Desk 在运行，则锁文件 {Path(data_dir) / LOCK_FILENAME} "
            "是程序异常退出时留下的空文件：删除它后再试。"
            if empty
            else ""
        )
        super().__init__(
            f"Clerk Desk 正在本机使用数据文件夹 {data_dir}（或另一条 clerk-desk db rekey 命令正在处理它）："
            f"请先在各窗口退出 Clerk Desk（关闭程序）、等该命令结束，再运行此命令。{left}本次未做任何改动。"
        )


def _try_hold(fd: int) -> bool:
    if os.name != "posix":  # pragma: no cover - Windows: opening for writing already proved it free
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _process_name() -> str:
    """The name QLockFile finds for this process (Linux: the file /proc/PID/exe links to), so that a desk
    starting meanwhile sees the lock's process running, not a reused pid."""
    try:
        return Path(os.readlink("/proc/self/exe")).name
    except OSError:
        return Path(sys.executable).name


@contextlib.contextmanager
def held(data_dir: Path) -> Iterator[None]:
    """Hold the data folder's lock for the ``with`` block, or raise :class:`DeskRunning`."""
    path = Path(data_dir) / LOCK_FILENAME
    made = False
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
        made = True
    except FileExistsError:
        try:
            fd = os.open(path, os.O_RDWR)  # a lock a crashed desk left, or the running desk's
        except FileNotFoundError:  # the desk just closed: try once more from the start
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
            made = True
        except PermissionError as exc:  # pragma: no cover - Windows: the running desk keeps it open
            raise DeskRunning(Path(data_dir)) from exc
    try:
        if not _try_hold(fd):
            raise DeskRunning(Path(data_dir))
        if not made and os.name == "posix" and not os.fstat(fd).st_size:
            # QLockFile creates the file, flocks it, then writes its pid: an empty file free to flock is a
            # desk starting, between the first two (an empty lock a crash left stops the desk as well)
            raise DeskRunning(Path(data_dir), empty=True)
        if made:  # the form QLockFile writes: pid, application, host
            os.write(fd, f"{os.getpid()}\n{_process_name()}\n{socket.gethostname()}\n".encode())
        yield
    finally:
        if made and os.name == "posix":
            path.unlink(missing_ok=True)  # still held: a desk starting now cannot have taken it over
        os.close(fd)
        if made and os.name != "posix":  # pragma: no cover - Windows cannot delete an open file
            path.unlink(missing_ok=True)
