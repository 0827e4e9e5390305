"""The idle lock on a real demo desk (clerk_desk.app.launch, real SQLite file), driven by objectName.

Idle time is simulated with a clock the test moves by hand and the lock's own check() (what its timer
calls); input is real Qt key and mouse events through the application event filter. Nothing sleeps.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from clerk_desk.domain.errors import InputError
from clerk_desk.services import site_setup, workplace
from clerk_desk.ui import notify
from clerk_desk.ui.idle_lock import IdleLock, LockCover, LockScreen
from clerk_desk.ui.login_dialog import LoginDialog
from clerk_desk.ui.main_window import MainWindow


@dataclass
class Clock:
    now: float = 1000.0

    def __call__(self) -> float:
        return self.now

    def minutes(self, n: float) -> None:
        self.now += n * 60


def child(root: QWidget, cls: type, name: str):  # type: ignore[no-untyped-def]
    found = root.findChild(cls, name)
    assert found is not None, name
    return found


@pytest.fixture(autouse=True)
def no_lock_left() -> Iterator[None]:
    """A lock screen is application-modal: one left on screen would hold the keys of later tests."""
    yield
    for w in QApplication.topLevelWidgets():
        if isinstance(w, LockScreen | LockCover) and w.isVisible():
            w.hide()
            w.deleteLater()


@pytest.fixture
def desk(start, qtbot: QtBot):  # type: ignore[no-untyped-def]
    """clerk1 signed in at the first window of a demo desk; the idle lock measured with a hand clock."""
    s = start()
    s.sign_in("clerk1")
    window = s.controller.main_window
    assert isinstance(window, MainWindow)
    clock = Clock()
    window.idle_lock.use_clock(clock)
    return s, window, window.idle_lock, clock


def covered(w: QWidget) -> bool:
    """A visible lock cover lies over the whole of ``w``, above everything else in it."""
    covers = [c for c in w.children() if isinstance(c, LockCover)]
    on_top = [c for c in w.children() if isinstance(c, QWidget) and c.isVisible()]
    return (
        len(covers) == 1
        and covers[0].isVisible()
        and covers[0].geometry() == w.rect()
        and on_top[-1] is covers[0]
    )


def shows_nothing_of(w: QWidget, change: Callable[[], None]) -> bool:
    """What ``w`` looks like does not change when its data does: the data is hidden."""
    before: QImage = w.grab().toImage()
    change()
    return w.grab().toImage() == before


def test_the_desk_locks_after_the_idle_time_and_the_password_brings_everything_back(
    desk, notes, qtbot
) -> None:
    s, window, idle, clock = desk
    assert idle.limit_s == 5 * 60  # the default
    window.show_page("intake")
    intake = window.pages["intake"]
    name = child(intake, QLineEdit, "applicantName")
    intake.go("applicant", save=False)
    name.setText("张三")
    name.setFocus()
    window.change_password()  # a dialog, half filled
    dialog = window.password_dialog
    child(dialog, QLineEdit, "passwordOld").setText("half-typed")
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    child(dialog, QLineEdit, "passwordNew").setFocus()
    assert QApplication.focusWidget() is child(dialog, QLineEdit, "passwordNew")

    clock.minutes(4)
    idle.check()
    assert not idle.is_locked
    QTest.keyClick(
        child(dialog, QLineEdit, "passwordNew"), Qt.Key.Key_A
    )  # real input: the idle time starts again
    clock.minutes(4)
    idle.check()
    assert not idle.is_locked
    QTest.mouseClick(child(dialog, QLabel, "passwordIntro"), Qt.MouseButton.LeftButton)  # a click counts too
    clock.minutes(4.5)
    idle.check()
    assert not idle.is_locked
    clock.minutes(1)
    idle.check()

    screen = idle.screen
    assert idle.is_locked and isinstance(screen, LockScreen) and screen.objectName() == "idleLock"
    assert screen.isVisible() and screen.windowModality() == Qt.WindowModality.ApplicationModal
    assert child(screen, QLabel, "idleLockUser").text() == "当前登录：张小红（clerk1）"
    assert covered(window) and covered(dialog)
    assert window.windowTitle() == "综合窗口受理 — 已锁定"  # the title named the centre and the window
    status = child(window, QLabel, "statusUser")
    assert shows_nothing_of(window, lambda: status.setText("李四"))
    assert shows_nothing_of(dialog, lambda: child(dialog, QLineEdit, "passwordOld").setText("other"))
    child(dialog, QLineEdit, "passwordOld").setText("half-typed")
    status.setText("用户：张小红")

    box = notify.message_box("info", window, "同步：县级平台退回了 1 条记录")  # opens while locked
    box.show()
    QApplication.processEvents()
    assert covered(box) and screen.isVisible()
    assert QApplication.activeModalWidget() is screen
    assert s.controller.sync is not None and s.controller.sync.running  # sync goes on

    child(screen, QLineEdit, "idleLockPassword").setText("wrong-password-1")
    child(screen, QPushButton, "idleLockUnlock").click()
    error = child(screen, QLabel, "idleLockError")
    assert idle.is_locked and error.isVisibleTo(screen)
    assert error.text() == "用户名或密码不正确（连续输错 5 次将锁定账户 15 分钟）"  # one answer for every failure
    assert child(screen, QLineEdit, "idleLockPassword").text() == ""

    child(screen, QLineEdit, "idleLockPassword").setText(s.passwords["clerk1"])
    QTest.keyClick(child(screen, QLineEdit, "idleLockPassword"), Qt.Key.Key_Return)
    assert not idle.is_locked and not screen.isVisible()
    QApplication.processEvents()
    assert not window.findChildren(LockCover) and not dialog.findChildren(LockCover)
    assert window.windowTitle().startswith("综合窗口受理 — 通山县通羊镇便民服务中心")
    assert dialog.isVisible() and child(dialog, QLineEdit, "passwordOld").text() == "half-typed"
    assert child(dialog, QLineEdit, "passwordNew").text() == "a"
    assert intake.step == "applicant" and name.text() == "张三"
    assert QApplication.focusWidget() is child(dialog, QLineEdit, "passwordNew")
    box.close()

    clock.minutes(4.9)  # the idle time counts from the unlock
    idle.check()
    assert not idle.is_locked
    clock.minutes(0.2)
    idle.check()
    assert idle.is_locked


def test_wrong_passwords_count_towards_the_lockout_and_another_clerk_signs_in(desk, notes) -> None:
    s, window, idle, clock = desk
    window.show_page("intake")
    window.pages["intake"].applicant.name.setText("王五")  # kept as a draft
    idle.lock()
    screen = idle.screen
    password = child(screen, QLineEdit, "idleLockPassword")
    for _ in range(5):
        password.setText("not-the-password")
        child(screen, QPushButton, "idleLockUnlock").click()
    # every failure gets the same answer (sign-in never tells what went wrong) ...
    assert child(screen, QLabel, "idleLockError").text() == "用户名或密码不正确（连续输错 5 次将锁定账户 15 分钟）"
    password.setText(s.passwords["clerk1"])  # ... but the right one is refused now, and says why
    child(screen, QPushButton, "idleLockUnlock").click()
    assert idle.is_locked and "账户已锁定" in child(screen, QLabel, "idleLockError").text()

    child(screen, QPushButton, "idleLockSignOut").click()
    QApplication.processEvents()
    assert not screen.isVisible() and s.controller.main_window is None
    assert isinstance(s.controller.dialog, LoginDialog)
    s.sign_in("clerk2")
    assert s.controller.main_window is not None
    assert s.controller.main_window.session.user.username == "clerk2"
    assert not s.controller.main_window.idle_lock.is_locked


def test_the_admin_sets_the_idle_time_with_the_site_settings(start, notes) -> None:
    s = start()
    s.sign_in("admin", window=None)
    window = s.controller.main_window
    window.show_page("admin")
    spin = s.child("siteIdleLock")
    assert spin.value() == 5 and spin.specialValueText() == "不锁屏"
    spin.setValue(12)
    s.child("siteSave").click()
    assert notes.texts("info") == ["服务中心设置已保存。"]
    assert workplace.site_info(s.launch.db).idle_lock_minutes == 12
    assert window.idle_lock.limit_s == 12 * 60  # at once, without signing in again

    clock = Clock()
    window.idle_lock.use_clock(clock)
    spin.setValue(0)
    s.child("siteSave").click()
    assert workplace.site_info(s.launch.db).idle_lock_minutes == 0
    clock.minutes(24 * 60)
    window.idle_lock.check()
    assert not window.idle_lock.is_locked and not window.idle_lock.timer.isActive()  # 0: never

    with pytest.raises(InputError, match="0-240"):
        site_setup.set_site(
            s.launch.db, site_code="421224100", site_name="通羊镇", device_code="01", idle_lock_minutes=241
        )
    assert workplace.site_info(s.launch.db).idle_lock_minutes == 0


def test_a_new_sign_in_reads_the_stored_idle_time(start) -> None:
    s = start()
    db = s.launch.db
    info = workplace.site_info(db)
    site_setup.set_site(
        db,
        site_code=info.site_code,
        site_name=info.site_name,
        device_code=info.device_code,
        idle_lock_minutes=2,
    )
    s.sign_in("clerk1")
    lock: IdleLock = s.controller.main_window.idle_lock
    assert lock.limit_s == 120 and lock.timer.isActive() and lock.timer.interval() <= 120_000


def test_a_message_box_waiting_for_an_answer_stays_covered_and_is_answered_after_unlocking(
    desk, qtbot
) -> None:
    s, window, idle, _clock = desk
    box = notify.message_box("confirm", window, "把办件移交后台？")  # as notify.confirm() shows it, in exec()
    seen: list[str] = []

    def while_it_waits() -> None:
        screen = idle.lock()
        seen.append(f"covered {covered(box)}, lock in front {QApplication.activeModalWidget() is screen}")
        child(screen, QLineEdit, "idleLockPassword").setText(s.passwords["clerk1"])
        child(screen, QPushButton, "idleLockUnlock").click()
        seen.append(f"unlocked {not idle.is_locked}, box still open {box.isVisible()}")
        box.button(QMessageBox.StandardButton.Yes).click()

    QTimer.singleShot(0, while_it_waits)
    assert box.exec() == QMessageBox.StandardButton.Yes  # the answer is the clerk's, not the lock's
    assert seen == ["covered True, lock in front True", "unlocked True, box still open True"]


def test_signing_out_from_the_lock_ends_a_waiting_message_box_first(desk, qtbot) -> None:
    """As in the app: the message box's exec() runs inside the main event loop (a nested loop)."""
    s, window, idle, _clock = desk
    box = notify.message_box("confirm", window, "放弃这次受理？")
    main_loop = QEventLoop()
    after_exec: list[object] = []

    def caller() -> None:  # e.g. a page's slot that asked notify.confirm()
        QTimer.singleShot(0, lambda: child(idle.lock(), QPushButton, "idleLockSignOut").click())
        answer = box.exec()
        after_exec.extend([answer != QMessageBox.StandardButton.Yes, s.controller.main_window is window])
        main_loop.quit()

    QTimer.singleShot(0, caller)
    main_loop.exec()
    assert after_exec == [True, True]  # answered "no"; the window was still there for the caller to return to
    qtbot.waitUntil(lambda: s.controller.main_window is None)  # then it goes
    assert isinstance(s.controller.dialog, LoginDialog)


def test_the_hand_over_dialog_and_a_print_preview_are_covered_and_kept(desk, qtbot) -> None:
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    from clerk_desk.services import accounts
    from clerk_desk.services.approvals import APPROVED, ApprovalService, Approver
    from clerk_desk.services.intake import Clerk, IntakeService
    from clerk_desk.services.intake_forms import Delivery, IntakeForm, Party
    from tests.ui.cases.case_kit import PENSION, checklist, resident_id

    s, window, idle, _clock = desk
    db, w = s.launch.db, window.session.window
    users = {u.username: u for u in accounts.list_users(db)}
    c, a = users["clerk1"], users["approver1"]
    clerk = Clerk(c.id, c.username, c.display_name, w.id, w.name)
    approver, approvals = Approver(a.id, a.username, a.display_name), ApprovalService(db)
    res = IntakeService(db).accept(
        IntakeForm((PENSION,), Party("person", "赵六", resident_id(3)), checklist()),
        clerk,
        delivery=Delivery("window"),
    )
    uid = res.cases[0].case_uuid
    IntakeService(db).transfer(uid, clerk)
    approvals.receive(uid, approver, paper_received=True)
    approvals.decide(uid, approver, decision=APPROVED, result_text="准予注销登记")
    approvals.return_result(uid, approver)

    assert window.open_case(uid)
    page = window.pages["cases"].case
    child(page, QPushButton, "caseDeliver").click()
    handover = page.deliver_dialog
    child(handover, QLineEdit, "deliverNote").setText("本人领取，已核对")
    preview = QPrintPreviewDialog(window)
    preview.show()

    screen = idle.lock()
    assert covered(window) and covered(handover) and covered(preview)
    note = child(handover, QLineEdit, "deliverNote")
    assert shows_nothing_of(handover, lambda: note.setText("别的内容"))
    note.setText("本人领取，已核对")

    child(screen, QLineEdit, "idleLockPassword").setText(s.passwords["clerk1"])
    child(screen, QPushButton, "idleLockUnlock").click()
    assert not idle.is_locked and handover.isVisible() and preview.isVisible()
    assert not handover.findChildren(LockCover) and not preview.findChildren(LockCover)
    assert note.text() == "本人领取，已核对"
    preview.close()
    handover.reject()  # a window-modal dialog left open would hold the keys of the tests after this one


def test_the_watch_starts_a_moment_after_the_window_opens_and_then_counts_input(start, qtbot) -> None:
    """run_gui opens the main window with the watch held back (ui/startup.py passes the delay of the work
    that follows sign-in): no application filter on the way to the first page, input counted after it."""
    s = start()
    s.controller.background_after_ms = 300
    s.sign_in("clerk1")
    window = s.controller.main_window
    lock: IdleLock = window.idle_lock
    clock = Clock()
    lock.use_clock(clock)
    assert lock.limit_s == 300 and not lock._watching
    clock.minutes(4)
    QTest.keyClick(window, Qt.Key.Key_Shift)  # not watched yet: it does not count
    assert lock.watch.last_input == 1000.0
    qtbot.waitUntil(lambda: lock._watching, timeout=5_000)
    QTest.keyClick(window, Qt.Key.Key_Shift)
    assert lock.watch.last_input == clock.now
    lock.stop()
    assert not lock._watching


def test_a_window_closed_before_the_watch_starts_never_watches(start, qtbot) -> None:
    s = start()
    s.controller.background_after_ms = 200
    s.sign_in("clerk1")
    lock: IdleLock = s.controller.main_window.idle_lock
    lock.stop()
    with qtbot.assertNotEmitted(lock.locked, wait=400):
        pass
    assert not lock._watching
