"""What follows sign-in waits for the first page (ui/startup.py, docs/performance.md): sync, the results
waiting at the window and the unfinished-intake check start a moment after the main window's first page
is up, and only once the page on screen has its data, so a clerk who goes straight to 办件 gets the list
first. Until sync starts the status bar says it is starting."""

from __future__ import annotations

import gc
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QWidget

from clerk_desk import app as desk_app
from clerk_desk.ui import after_start, collector, startup
from clerk_desk.ui.task_runner import Task

AFTER_MS = 30


class HoldingRunner:
    """Runs each call at once on the calling thread, except the calls named in ``held``: those wait until
    :meth:`release` (a slow first page of the case list)."""

    def __init__(self, held: set[str]) -> None:
        self.held = held
        self.waiting: list[tuple[Task, Callable[..., Any], tuple[Any, ...]]] = []
        self.calls: list[str] = []

    def submit(self, fn: Callable[..., Any], *args: Any, on_done: Any = None, on_error: Any = None) -> Task:
        task = Task(on_done, on_error)
        name = getattr(fn, "__name__", "")
        if name in self.held:
            self.waiting.append((task, fn, args))
            return task
        self.calls.append(name)
        self._run(task, fn, args)
        return task

    @staticmethod
    def _run(task: Task, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
        try:
            value = fn(*args)
        except Exception as exc:  # delivered, as the real runner does
            task.deliver(False, exc)
            return
        task.deliver(True, value)

    def release(self) -> None:
        waiting, self.waiting = self.waiting, []
        for task, fn, args in waiting:
            self.calls.append(getattr(fn, "__name__", ""))
            self._run(task, fn, args)


@pytest.fixture
def launched(tmp_path: Path, notes: object) -> Iterator[Callable[[HoldingRunner], desk_app.Launch]]:
    started: list[desk_app.Launch] = []

    def _launch(runner: HoldingRunner) -> desk_app.Launch:
        out = io.StringIO()
        result = desk_app.launch(
            tmp_path / "data", True, runner=runner, out=out, background_after_ms=AFTER_MS
        )
        result.printed = out.getvalue()  # type: ignore[attr-defined]
        started.append(result)
        return result

    yield _launch
    for result in started:
        result.close()


def sign_in_clerk(launch: desk_app.Launch) -> QWidget:
    controller = launch.controller
    assert controller is not None and controller.dialog is not None
    password = next(line.split()[1] for line in launch.printed.splitlines()  # type: ignore[attr-defined]
                    if line.strip().startswith("clerk1 "))  # fmt: skip
    dialog = controller.dialog
    dialog.findChild(QWidget, "loginUsername").setText("clerk1")  # type: ignore[union-attr]
    dialog.findChild(QWidget, "loginPassword").setText(password)  # type: ignore[union-attr]
    dialog.findChild(QWidget, "loginSubmit").click()  # type: ignore[union-attr]
    assert controller.main_window is not None
    return controller.main_window


def test_sync_starts_a_moment_after_the_first_page_and_the_status_bar_says_so(launched, qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = HoldingRunner(set())
    launch = launched(runner)
    window = sign_in_clerk(launch)
    controller = launch.controller
    starting = window.findChild(QLabel, "syncStarting")
    assert controller.sync is None and "_load_sync_modules" not in runner.calls
    assert starting is not None and starting.text() == "同步正在启动…"
    qtbot.waitUntil(lambda: controller.sync is not None, timeout=10_000)
    # the results waiting at the window were read first, then sync's modules; its item took the slot
    assert runner.calls.index("_waiting") < runner.calls.index("_load_sync_modules")
    slot = window.findChild(QWidget, "syncStatusSlot")
    qtbot.waitUntil(lambda: window.findChild(QLabel, "syncStarting") is None, timeout=5_000)
    assert slot.layout().count() == 1 and slot.layout().itemAt(0).widget().objectName() != "syncStarting"


def test_a_case_list_opened_at_once_is_read_before_anything_that_follows_sign_in(launched, qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = HoldingRunner({"first_page"})  # the case list's first page is slow to come
    launch = launched(runner)
    window = sign_in_clerk(launch)
    controller = launch.controller
    assert window.show_page("cases")  # type: ignore[attr-defined]
    with qtbot.assertNotEmitted(controller.background_started, wait=AFTER_MS * 10):
        pass  # the moment has passed, the list is still reading: nothing else starts
    assert controller.sync is None and "_waiting" not in runner.calls
    with qtbot.waitSignal(controller.background_started, timeout=5_000):
        runner.release()  # the list's rows arrive and are painted
    assert runner.calls.index("first_page") < runner.calls.index("_waiting")
    qtbot.waitUntil(lambda: controller.sync is not None, timeout=10_000)


def test_the_window_is_picked_in_the_sign_in_dialog_and_nothing_is_read_after_the_check(launched) -> None:  # type: ignore[no-untyped-def]
    runner = HoldingRunner(set())
    launch = launched(runner)
    window = sign_in_clerk(launch)
    assert window.session.window is not None  # the preselected window, no second dialog
    signed_in = runner.calls[runner.calls.index("_check_and_read_workplace") + 1 :]
    assert "_workplace" not in signed_in  # the site was read again with the check, not in a second trip


def test_the_first_pages_load_once_the_dialog_has_painted_or_when_the_password_check_begins(launched, qtbot) -> None:  # type: ignore[no-untyped-def]
    # (started with the dialog, the import held the interpreter while the dialog was laid out and painted)
    launch = launched(HoldingRunner(set()))
    controller = launch.controller
    assert controller.dialog is not None and controller.dialog.isVisible()
    assert not controller._pages_preloaded  # not yet: the dialog paints first
    sign_in_clerk(launch)  # the check begins at once (as the start benchmark's probe types)
    assert controller._pages_preloaded


def test_a_person_who_takes_their_time_to_type_has_the_first_pages_loaded_meanwhile(launched, qtbot) -> None:  # type: ignore[no-untyped-def]
    controller = launched(HoldingRunner(set())).controller
    assert not controller._pages_preloaded
    qtbot.waitUntil(lambda: controller._pages_preloaded, timeout=startup.PAGE_PRELOAD_AFTER_MS * 10)
    assert controller.main_window is None


def test_the_garbage_collector_paused_for_the_start_runs_again_when_the_work_after_sign_in_begins(launched, qtbot) -> None:  # type: ignore[no-untyped-def]
    gc.disable()  # as the entry does (clerk_desk/__main__.py), before the launch
    try:
        launch = launched(HoldingRunner(set()))
        controller = launch.controller
        window = sign_in_clerk(launch)
        assert window is not None and not gc.isenabled()  # the first page is up: still paused
        with qtbot.waitSignal(controller.background_started, timeout=5_000):
            pass
        assert gc.isenabled()
        assert gc.get_freeze_count() > 1000  # what the start made is frozen, not collected on the GUI thread
        collector.resume()  # once is enough: a second call (a later sign-in) changes nothing
        assert gc.isenabled()
        window.sign_out_requested.emit()  # type: ignore[attr-defined]
        assert gc.get_freeze_count() == 0  # the signed-out session's objects go back to the collector
    finally:
        gc.unfreeze()
        gc.enable()


def test_a_pc_left_at_the_sign_in_dialog_runs_the_collector_again_at_the_latest_moment(launched, qtbot) -> None:  # type: ignore[no-untyped-def]
    gc.disable()
    try:
        launch = launched(HoldingRunner(set()))
        after_start.when_started(launch.controller.background_started, launch.controller, at_latest_ms=50)
        qtbot.waitUntil(gc.isenabled, timeout=5_000)
        assert launch.controller.main_window is None  # nobody signed in
    finally:
        gc.unfreeze()
        gc.enable()
