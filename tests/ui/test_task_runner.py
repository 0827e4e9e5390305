"""The task runner: work off the GUI thread, results and errors back on it, by signal."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThreadPool

from clerk_desk.domain.errors import InputError
from clerk_desk.ui.task_runner import SyncTaskRunner, ThreadTaskRunner


@pytest.fixture
def threaded(qapp):
    pool = QThreadPool()
    runner = ThreadTaskRunner(pool)
    yield runner
    pool.waitForDone(5000)


def test_result_arrives_on_the_gui_thread(qtbot, threaded) -> None:
    gui = threading.get_ident()
    ran_on, delivered_on = [], []

    def work(x: int) -> int:
        ran_on.append(threading.get_ident())
        return x * 2

    task = threaded.submit(work, 21, on_done=lambda r: delivered_on.append((threading.get_ident(), r)))
    with qtbot.waitSignal(task.done) as blocker:
        pass
    assert blocker.args == [42]
    assert ran_on[0] != gui
    assert delivered_on == [(gui, 42)]
    qtbot.waitUntil(lambda: threaded.pending == 0)


def test_error_arrives_on_the_gui_thread(qtbot, threaded) -> None:
    gui = threading.get_ident()
    seen = []

    def work() -> None:
        raise InputError("请填写姓名")

    task = threaded.submit(work, on_error=lambda e: seen.append((threading.get_ident(), e.message_zh)))
    with qtbot.waitSignal(task.failed):
        pass
    assert seen == [(gui, "请填写姓名")]


def test_unhandled_error_goes_to_the_notifier(qtbot, threaded, notes) -> None:
    def work() -> None:
        raise ValueError("boom")

    with qtbot.waitSignal(threaded.idle):
        threaded.submit(work)
    [text] = notes.texts("error")
    assert "boom" in text and "未完成" in text


def test_idle_after_the_last_of_several_tasks(qtbot, threaded) -> None:
    results = []
    with qtbot.waitSignal(threaded.idle):
        for i in range(5):
            threaded.submit(lambda i=i: i, on_done=results.append)
    assert sorted(results) == [0, 1, 2, 3, 4]


def test_sync_runner_has_the_same_interface(notes) -> None:
    runner = SyncTaskRunner()
    out = []
    task = runner.submit(lambda a, b: a + b, 1, 2, on_done=out.append)
    assert task.finished and out == [3]
    runner.submit(lambda: (_ for _ in ()).throw(InputError("请先设置本中心")))
    assert notes.texts("error") == ["请先设置本中心"]


def test_a_task_that_ends_after_the_app_quit_leaves_quietly(qapp) -> None:
    """Quitting while a background task runs (the catalog's warm-up soon after sign-in) deletes the object it
    reports through; the task then ends without an error (it used to print a traceback on every such quit)."""
    import shiboken6

    from clerk_desk.ui.task_runner import _Job

    ran: list[bool] = []
    job = _Job(lambda: ran.append(True), ())
    shiboken6.delete(job.signals)  # what the app's shutdown does to it
    job.run()  # no RuntimeError
    assert ran == [True]
