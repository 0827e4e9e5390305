"""One desk per data folder (docs/architecture.md §5): a second instance is refused; a crashed one's lock is taken over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from clerk_desk import app as desk_app
from tests.support.lock_holder import HOLDER

REFUSED = "Clerk Desk 已在本机运行（使用同一数据文件夹）。请切换到已打开的窗口。"


@pytest.fixture
def holder(tmp_path: Path):
    folder = tmp_path / "data"
    folder.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(folder / desk_app.LOCK_FILENAME)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "locked"
    yield folder, proc
    if proc.poll() is None:
        proc.kill()
    proc.wait(10)


def test_second_instance_on_the_same_folder_is_refused(holder, start, notes) -> None:
    folder, _proc = holder
    s = start(data_dir=folder)
    assert s.launch.exit_code == desk_app.EXIT_ALREADY_RUNNING
    assert notes.texts("error") == [REFUSED]
    assert s.launch.controller is None and s.launch.db is None
    assert not (folder / "clerk_desk.sqlite3").exists()  # nothing was opened


def test_lock_of_a_crashed_process_is_taken_over(holder, start, notes) -> None:
    folder, proc = holder
    os.kill(proc.pid, signal.SIGKILL)  # a crash: the lock file stays behind
    proc.wait(10)
    assert (folder / desk_app.LOCK_FILENAME).exists()
    s = start(data_dir=folder)
    assert s.launch.exit_code is None
    assert notes.messages == []


def test_second_launch_in_the_same_process_is_refused_until_the_first_closes(start, notes, tmp_path) -> None:
    first = start(data_dir=tmp_path / "shared")
    assert first.launch.exit_code is None
    second = start(data_dir=tmp_path / "shared")
    assert second.launch.exit_code == desk_app.EXIT_ALREADY_RUNNING
    first.launch.close()
    third = start(data_dir=tmp_path / "shared")
    assert third.launch.exit_code is None
    assert notes.texts("error") == [REFUSED]


def test_other_data_folders_are_independent(start, tmp_path) -> None:
    assert start(data_dir=tmp_path / "a").launch.exit_code is None
    assert start(data_dir=tmp_path / "b").launch.exit_code is None


def test_a_long_running_instance_does_not_go_stale(tmp_path: Path) -> None:
    """Qt's default stale time (30 s) would let a second desk in beside a long-running one."""
    lock = desk_app.acquire_instance_lock(tmp_path)
    assert lock is not None
    try:
        assert lock.staleLockTime() == 0
    finally:
        lock.unlock()
