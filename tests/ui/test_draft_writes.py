"""Draft writes (ui/draft_writes.py): one at a time on a worker thread, only each key's latest value waits, a
failed write is logged without its text and the queue goes on."""

from __future__ import annotations

import logging
import threading

import pytest
from PySide6.QtCore import QThreadPool

from clerk_desk.ui.draft_writes import DraftWrites
from clerk_desk.ui.task_runner import ThreadTaskRunner


@pytest.fixture
def threaded(qapp):
    pool = QThreadPool()
    yield ThreadTaskRunner(pool)
    pool.waitForDone(5000)


def test_one_write_at_a_time_and_only_the_latest_of_each_key_waits(qtbot, threaded) -> None:
    gate = threading.Event()
    written: list[tuple[str, str]] = []
    running = []

    def write(key: str, value: str) -> None:
        running.append(1)
        assert len(running) == 1, "two writes at once"
        gate.wait(5)
        written.append((key, value))
        running.pop()

    writes: DraftWrites[str, str] = DraftWrites(threaded, write, "answer draft")
    writes.put("a", "1")  # goes at once and waits at the gate
    for text in ("2", "3", "4"):
        writes.put("a", text)  # replaced while waiting: only "4" is written after "1"
    writes.put("b", "x")
    writes.put("a", "")  # the forget after an answer sent: it must land last for "a"
    gate.set()
    qtbot.waitUntil(lambda: len(written) == 3 and threaded.pending == 0, timeout=5000)
    assert written == [("a", "1"), ("a", ""), ("b", "x")]


def test_a_failed_write_is_logged_by_its_kind_only_and_the_next_goes_on(qtbot, threaded, caplog) -> None:
    written: list[str] = []

    def write(key: str, value: str) -> None:
        if value == "王伟 身份证 420":
            raise OSError("disk I/O error")
        written.append(value)

    writes: DraftWrites[str, str] = DraftWrites(threaded, write, "decision draft")
    with caplog.at_level(logging.WARNING, logger="clerk_desk.ui.draft_writes"):
        writes.put("a", "王伟 身份证 420")
        writes.put("b", "second")
        qtbot.waitUntil(lambda: written == ["second"] and threaded.pending == 0, timeout=5000)
    mine = [r.getMessage() for r in caplog.records if r.name == "clerk_desk.ui.draft_writes"]
    assert mine == ["decision draft not kept: OSError"]
    assert not any("王伟" in r.getMessage() for r in caplog.records)
