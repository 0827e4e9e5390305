"""The start-up flow end to end on real data folders: first start, demo sign-in, window pick, sign-out."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor

from clerk_desk.services import accounts, site_setup
from clerk_desk.store.database import Database
from clerk_desk.ui import look
from clerk_desk.ui.first_run import FirstRunDialog
from clerk_desk.ui.login_dialog import LoginDialog
from clerk_desk.ui.main_window import MainWindow
from clerk_desk.ui.password_dialog import ChangePasswordDialog


def test_first_start_on_empty_database_creates_admin_and_signs_in(start, notes) -> None:
    s = start(demo=False)
    assert s.printed == ""
    dialog = s.controller.dialog
    assert isinstance(dialog, FirstRunDialog)
    assert dialog.site_box.isVisibleTo(dialog)  # the site is not set either
    s.child("siteCode").setText("421224101")
    s.child("siteName").setText("通山县南林桥镇便民服务中心")
    s.child("siteDeviceCode").setText("02")
    s.child("adminDisplayName").setText("刘管理")
    s.child("adminPassword").setText("county2026a")
    s.child("adminPasswordRepeat").setText("county2026a")
    s.child("firstRunSubmit").click()

    assert notes.messages == []
    assert isinstance(s.controller.dialog, LoginDialog)
    assert s.child("loginUsername").text() == "admin"
    assert s.child("loginSite").text() == "通山县南林桥镇便民服务中心"
    # there are no windows yet: 不坐窗口 is all the list offers, and an admin may sit at none
    assert s.child("loginWindow").count() == 1 and s.child("loginWindow").currentData() == ""
    s.sign_in("admin", "county2026a")

    window = s.controller.main_window
    assert isinstance(window, MainWindow)
    assert window.page_keys()[0] == "home" and "admin" in window.page_keys()
    assert window.windowTitle() == "综合窗口受理 — 通山县南林桥镇便民服务中心"
    db = s.launch.db
    assert [u.username for u in accounts.list_users(db)] == ["admin"]
    assert accounts.list_users(db)[0].roles == ("admin",)
    assert site_setup.site_info(db).device_code == "02"


def test_first_start_error_keeps_what_was_typed(start, notes) -> None:
    s = start(demo=False)
    s.child("siteCode").setText("421224101")
    s.child("siteName").setText("通山县南林桥镇便民服务中心")
    s.child("siteDeviceCode").setText("02")
    s.child("adminPassword").setText("short")
    s.child("adminPasswordRepeat").setText("short")
    s.child("firstRunSubmit").click()
    assert notes.texts("error") == ["密码至少需要 8 位"]
    assert isinstance(s.controller.dialog, FirstRunDialog)
    assert s.child("siteName").text() == "通山县南林桥镇便民服务中心"
    assert s.child("adminPassword").text() == "short"
    assert s.child("firstRunSubmit").isEnabled()

    s.child("adminPasswordRepeat").setText("different1")
    s.child("firstRunSubmit").click()
    assert notes.texts("error")[-1] == "两次输入的密码不一致。"
    assert not accounts.has_users(s.launch.db)


def test_demo_clerk_signs_in_with_printed_password_and_picks_a_window(start) -> None:
    s = start()
    assert "通山县通羊镇便民服务中心" in s.printed
    assert set(s.passwords) == {"admin", "clerk1", "clerk2", "approver1", "manager"}
    dialog = s.controller.dialog
    assert isinstance(dialog, LoginDialog)
    assert s.child("loginSubmit").text() == "登录"
    assert "demo-accounts.txt" in s.child("loginHint").text()

    combo = s.child("loginWindow")
    assert combo.isVisibleTo(dialog)
    names = [combo.itemText(i) for i in range(combo.count())]
    assert names[:3] == ["综合窗口（一）", "综合窗口（二）", "综合窗口（三）"]
    assert "公安窗口" in names and "咨询服务窗口" in names
    assert names[-1] == "不坐窗口（审批、管理、督查）"
    assert combo.currentIndex() == 0  # nobody picked one at this PC yet
    s.sign_in("clerk1", window="综合窗口（二）")

    window = s.controller.main_window
    assert isinstance(window, MainWindow)
    assert window.windowTitle() == "综合窗口受理 — 通山县通羊镇便民服务中心 综合窗口（二）"
    assert window.findChild(object, "statusWindow").text() == "窗口：综合窗口（二）"
    assert window.findChild(object, "statusUser").text() == "用户：张小红"
    assert "admin" not in window.page_keys()
    assert window.findChild(object, "homeWindow").text() == "综合窗口（二）"

    # sign out: the window is remembered for this user, and is this PC's window for someone new at it
    window.findChild(object, "actionSignOut").trigger()
    assert s.controller.main_window is None
    assert isinstance(s.controller.dialog, LoginDialog)
    s.child("loginUsername").setText("clerk2")
    assert s.child("loginWindow").currentText() == "综合窗口（二）"
    s.child("loginWindow").setCurrentIndex(2)
    s.child("loginUsername").setText("clerk1")
    assert s.child("loginWindow").currentText() == "综合窗口（二）"
    settings = QSettings(str(s.data_dir / "desk-settings.ini"), QSettings.Format.IniFormat)
    assert settings.value("users/clerk1/window") == s.child("loginWindow").currentData()


def test_the_window_pick_is_written_only_when_it_changed(start) -> None:
    """A clerk back at yesterday's window costs no settings write (a lock file, a copy and a rename on the GUI
    thread, on the way to the main window); another window is written at once."""
    s = start()
    ini = s.data_dir / "desk-settings.ini"
    s.sign_in("clerk1", window="综合窗口（二）")
    written = ini.stat().st_ino
    for again in ("综合窗口（二）", "综合窗口（三）"):
        s.controller.main_window.findChild(object, "actionSignOut").trigger()
        s.sign_in("clerk1", window=again)
        assert s.controller.main_window.session.window.name == again
        settings = QSettings(str(ini), QSettings.Format.IniFormat)
        picked = s.controller.main_window.session.window.id
        assert settings.value("users/clerk1/window") == settings.value("last_window") == picked
        assert (ini.stat().st_ino == written) == (again == "综合窗口（二）")  # rewritten (a new file) only for （三）


def test_a_clerk_must_pick_a_window_and_keeps_the_typed_password(start) -> None:
    s = start()
    s.sign_in("clerk1", window=None)
    assert isinstance(s.controller.dialog, LoginDialog) and s.controller.main_window is None
    assert s.child("loginError").text() == "请选择您今天所在的窗口。"
    assert s.child("loginPassword").text() == s.passwords["clerk1"]  # choose a window, press Enter
    s.child("loginWindow").setCurrentIndex(0)
    s.child("loginSubmit").click()
    assert s.controller.main_window.session.window.name == "综合窗口（一）"


def test_an_admin_may_sit_at_no_window_and_it_is_remembered(start) -> None:
    s = start()
    s.sign_in("admin", window=None)
    assert s.controller.main_window.session.window is None
    s.controller.main_window.findChild(object, "actionSignOut").trigger()
    s.child("loginUsername").setText("admin")
    assert s.child("loginWindow").currentData() == ""


def test_a_back_office_pc_shows_no_window_list(start) -> None:
    s = start()
    site = site_setup.site_info(s.launch.db)
    site_setup.set_site(s.launch.db, site_code=site.site_code, site_name=site.site_name,
                        device_code=site.device_code, mode="approver")
    s.sign_in("admin")  # the dialog on screen was read before the change; sign-out reads the site again
    s.controller.main_window.findChild(object, "actionSignOut").trigger()
    dialog = s.controller.dialog
    assert isinstance(dialog, LoginDialog) and not s.child("loginWindow").isVisibleTo(dialog)
    s.child("loginUsername").setText("clerk1")
    s.child("loginPassword").setText(s.passwords["clerk1"])
    s.child("loginSubmit").click()
    assert s.controller.main_window.session.is_approver_mode
def test_approver_goes_straight_to_approver_mode(start) -> None:
    s = start()
    s.sign_in("approver1")
    window = s.controller.main_window
    assert isinstance(window, MainWindow)
    assert window.session.is_approver_mode and window.session.window is None
    assert window.windowTitle().endswith("通山县通羊镇便民服务中心 后台审批")


def test_wrong_password_never_tells_whether_the_account_exists_then_locks(start) -> None:
    """docs/personal-data.md, "Sign-in": one answer for every failure; the lock shows to the right password."""
    s = start()
    for _ in range(5):
        s.sign_in("clerk2", "wrong-pass1")
        assert s.child("loginError").text() == "用户名或密码不正确（连续输错 5 次将锁定账户 15 分钟）"
        assert s.child("loginPassword").text() == ""  # cleared for the next try
        assert s.child("loginUsername").text() == "clerk2"  # kept
    s.sign_in("clerk2")  # even the right password is refused while locked
    assert "账户已锁定" in s.child("loginError").text()
    assert isinstance(s.controller.dialog, LoginDialog)
    s.sign_in("nobody", "whatever1")
    assert s.child("loginError").text() == "用户名或密码不正确（连续输错 5 次将锁定账户 15 分钟）"


def test_the_password_s_scrypt_begins_while_it_is_typed(start, qtbot, monkeypatch) -> None:
    """Typed key by key into the dialog, the password's scrypt is worked out before Enter, and the check at
    the click uses it (services/early_digest.py): no scrypt of its own, and the clerk is signed in."""
    import threading

    from clerk_desk.domain import passwords

    worked: list[str] = []
    real = passwords.derive

    def derive(password: str, verifier: str) -> bytes | None:
        worked.append(threading.current_thread().name)
        return real(password, verifier)

    monkeypatch.setattr(passwords, "derive", derive)
    s = start()
    s.child("loginUsername").setText("clerk1")
    field = s.child("loginPassword")
    field.setFocus()
    qtbot.keyClicks(field, s.passwords["clerk1"])
    early = s.controller._early
    qtbot.waitUntil(lambda: early.derived >= 1 and not early._working, timeout=10_000)
    assert worked and set(worked) == {"clerk-desk-early-digest"}
    before = len(worked)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert isinstance(s.controller.main_window, MainWindow)
    assert len(worked) == before  # the click's check took the digest made while typing
    assert (early._wanted, early._latest, early._made) == (None, None, None)  # nothing of the password kept


def test_a_scrypt_still_running_at_enter_keeps_nothing_into_the_session(start, qtbot, monkeypatch) -> None:
    """Enter pressed right after the last key, while the text before it is still being worked on: the check
    derives the password itself, and what the early thread makes after the dialog has gone (nearly the whole
    password) is not kept through the session that follows, nor after sign-out."""
    import threading

    from clerk_desk.domain import passwords

    real, gate, begun = passwords.derive, threading.Event(), threading.Event()
    s = start()
    password = s.passwords["clerk1"]

    def derive(text: str, verifier: str) -> bytes | None:
        if threading.current_thread().name == "clerk-desk-early-digest" and text == password[:-1]:
            begun.set()
            assert gate.wait(10)
        return real(text, verifier)

    monkeypatch.setattr(passwords, "derive", derive)
    s.child("loginUsername").setText("clerk1")
    field = s.child("loginPassword")
    field.setFocus()
    qtbot.keyClicks(field, password[:-1])
    qtbot.waitUntil(begun.is_set, timeout=10_000)
    qtbot.keyClicks(field, password[-1])
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert isinstance(s.controller.main_window, MainWindow)
    early = s.controller._early
    gate.set()
    qtbot.waitUntil(lambda: not early._working, timeout=10_000)
    assert early._made is None
    s.controller.main_window.sign_out_requested.emit()
    assert isinstance(s.controller.dialog, LoginDialog) and early._made is None


def test_empty_fields_are_explained_without_a_lookup(start) -> None:
    s = start()
    s.child("loginSubmit").click()
    assert s.child("loginError").text() == "请输入用户名。"
    s.child("loginUsername").setText("clerk1")
    s.child("loginSubmit").click()
    assert s.child("loginError").text() == "请输入密码。"


def test_password_reset_by_admin_forces_a_change(start, notes) -> None:
    s = start()
    accounts.reset_password(s.launch.db, "clerk2", "temp-1234", actor="admin", must_change=True)
    s.sign_in("clerk2", "temp-1234")
    dialog = s.controller.dialog
    assert isinstance(dialog, ChangePasswordDialog)
    assert not s.child("passwordOld").isVisibleTo(dialog)
    s.child("passwordNew").setText("mine-5678")
    s.child("passwordRepeat").setText("mine-5678")
    s.child("passwordSubmit").click()
    assert notes.texts("info") == ["密码已修改。"]
    assert s.controller.main_window.session.window.name == "综合窗口（一）"  # picked at sign-in
    user = accounts.authenticate(s.launch.db, "clerk2", "mine-5678")
    assert not user.must_change_password


def test_a_cancelled_password_change_comes_back_with_the_window_just_picked(start) -> None:
    s = start()
    s.sign_in("clerk2", window="综合窗口（一）")  # remembered for clerk2 at this PC
    s.controller.main_window.sign_out_requested.emit()
    accounts.reset_password(s.launch.db, "clerk2", "temp-1234", actor="admin", must_change=True)
    assert s.child("loginWindow").currentText() == "综合窗口（一）"
    s.sign_in("clerk2", "temp-1234", window="综合窗口（三）")
    assert isinstance(s.controller.dialog, ChangePasswordDialog)
    s.controller.dialog.reject()
    assert isinstance(s.controller.dialog, LoginDialog)
    assert s.child("loginUsername").text() == "clerk2"
    assert s.child("loginWindow").currentText() == "综合窗口（三）"  # not the one remembered from before
    s.child("loginUsername").setText("clerk1")  # someone else at this PC: this PC's last window, as before
    assert s.child("loginWindow").currentText() == "综合窗口（一）"


def test_cancelling_sign_in_ends_the_app(start, qtbot) -> None:
    s = start()
    with qtbot.waitSignal(s.controller.finished) as blocker:
        s.child("loginCancel").click()
    assert blocker.args == [0]


def test_main_window_close_asks_the_app_to_quit(start, qtbot) -> None:
    s = start()
    s.sign_in("admin", window=None)
    with qtbot.waitSignal(s.controller.finished):
        s.controller.main_window.close()


def test_reopening_a_started_folder_does_not_create_accounts_again(start, tmp_path) -> None:
    first = start()
    passwords = first.passwords
    first.launch.close()
    again = start(data_dir=first.data_dir)
    assert again.passwords == passwords
    db = Database(first.data_dir)
    try:
        assert len(accounts.list_users(db)) == 5
    finally:
        db.close()


def test_a_window_closed_while_the_sign_in_stood_open_is_refused_and_the_list_read_again(start) -> None:
    """A PC left at the sign-in screen overnight: the window chosen is no longer open, so the clerk is told,
    the list is as it is now and the typed password stays; nothing opens at a closed window."""
    s = start()
    db = s.launch.db
    windows = site_setup.list_windows(db)
    second = next(w for w in windows if w.name == "综合窗口（二）")
    site_setup.set_window_active(db, second.id, False)  # closed after the dialog was built
    s.sign_in("clerk1", window="综合窗口（二）")
    assert s.controller.main_window is None
    assert s.child("loginError").text() == "综合窗口（二）今天不开放，请重新选择窗口。"
    combo = s.child("loginWindow")
    names = [combo.itemText(i) for i in range(combo.count())]
    assert "综合窗口（二）" not in names and names[0] == "综合窗口（一）"
    assert s.child("loginPassword").text() == s.passwords["clerk1"]
    s.child("loginSubmit").click()  # the first window, now preselected
    assert s.controller.main_window.session.window.name == "综合窗口（一）"


def test_a_remembered_window_that_closed_gives_way_to_this_pcs_window(start) -> None:
    s = start()
    db = s.launch.db
    s.sign_in("clerk2", window="综合窗口（三）")  # this PC's last window, and clerk2's
    s.controller.main_window.findChild(object, "actionSignOut").trigger()
    s.sign_in("clerk1", window="综合窗口（二）")
    s.controller.main_window.findChild(object, "actionSignOut").trigger()
    second = next(w for w in site_setup.list_windows(db) if w.name == "综合窗口（二）")
    site_setup.set_window_active(db, second.id, False)
    s.sign_in("clerk2")  # at 三, remembered for clerk2: this PC's last window is 三 again
    s.controller.main_window.findChild(object, "actionSignOut").trigger()
    s.child("loginUsername").setText("clerk1")  # clerk1's window is closed: this PC's last (三) instead
    assert s.child("loginWindow").currentText() == "综合窗口（三）"


LONG_WINDOW = ("综合窗口（" + "乡村振兴与农业农村事务代办服务" * 4)[:63] + "）"  # 64: the longest the hub registers
LONG_NAME = "欧阳" + "晓燕" * 40


def test_a_long_window_name_is_cut_in_the_sign_in_list_not_the_dialog_widened(start, tmp_path, qtbot) -> None:
    """An administrator's 64-character window name: the dialog keeps its width on a 1366×768 screen at 150 %
    (910 px of room), the name is whole in the entry's tooltip and, once chosen, in the list's."""
    data = tmp_path / "data"
    db = Database(data)
    site_setup.set_site(db, site_code="421224100", site_name="通羊镇便民服务中心", device_code="01")
    site_setup.add_window(db, name=LONG_WINDOW, kind="comprehensive")
    db.close()
    s = start(data_dir=data)
    dialog = s.controller.dialog
    assert isinstance(dialog, LoginDialog)
    assert dialog.minimumSizeHint().width() <= 600, dialog.minimumSizeHint()
    combo = s.child("loginWindow")
    index = next(i for i in range(combo.count()) if combo.itemText(i) == LONG_WINDOW)
    assert combo.itemData(index, Qt.ItemDataRole.ToolTipRole) == LONG_WINDOW
    combo.setCurrentIndex(index)
    assert combo.toolTip() == LONG_WINDOW


def test_the_open_window_list_shows_its_current_entry(start, qtbot, qapp) -> None:
    """The entry the list opens on is drawn readable with the hall's style sheet: its white combo background
    once made it white on white."""
    before = qapp.styleSheet()
    look.apply_style(qapp)  # as the desk runs
    try:
        _current_entry_is_drawn(start(), qtbot)
    finally:
        qapp.setStyleSheet(before)


def _current_entry_is_drawn(s, qtbot) -> None:  # type: ignore[no-untyped-def]
    combo = s.child("loginWindow")
    s.controller.dialog.show()
    combo.setCurrentIndex(1)
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(lambda: view.isVisible())
    row = view.visualRect(view.model().index(1, 0))
    row.moveTopLeft(view.viewport().mapTo(view.window(), row.topLeft()))
    image = view.window().grab(row).toImage()  # the popup as it is drawn, its frame and style included
    dark = sum(1 for x in range(image.width()) for y in range(image.height())
               if QColor(image.pixel(x, y)).lightness() < 100)  # fmt: skip
    combo.hidePopup()
    assert dark > 20, "the current entry of the open list shows no text"


def test_a_long_display_name_gives_way_in_the_status_bar(start, tmp_path, qtbot) -> None:
    """An account from the hub with an 82-character name: the status bar's user label is cut (whole in its
    tooltip) and the centre and the window keep their names at 1366×768 and 150 % (910 px)."""
    s = start()
    db = Database(s.data_dir)
    accounts.add_user(db, username="longname", display_name=LONG_NAME, password="Secret-pass-123", roles=["clerk"])
    db.close()
    window = s.controller.main_window
    s.sign_in("longname", "Secret-pass-123", window="综合窗口（一）")
    window = s.controller.main_window
    assert isinstance(window, MainWindow)
    window.resize(910, 485)
    qtbot.waitUntil(lambda: window.status_user.width() < 400)
    assert window.status_site.text() == "中心：通山县通羊镇便民服务中心"
    assert window.status_window.text() == "窗口：综合窗口（一）"
    assert "…" in window.status_user.text()
    assert window.status_user.text().startswith("用户：") and len(window.status_user.text()) > 5  # the caption whole
    assert window.status_user.toolTip() == f"用户：{LONG_NAME}"
    # squeezed to its least, each label keeps its caption and the start of its name (the window's and the
    # user's at least six and four characters: 「综合窗口（一）」 is one more and fits whole beside a "…")
    for label, caption in ((window.status_site, "中心："), (window.status_window, "窗口："), (window.status_user, "用户：")):
        label.resize(label.minimumSizeHint().width(), label.height())
        text = label.text()
        assert text.startswith(caption) and len(text) >= len(caption) + 3, text
        assert "…" in text[len(caption):] or label is window.status_window, text


def test_a_closed_start_up_flow_starts_no_sync_when_its_unattended_timer_fires(start) -> None:
    """The sign-in dialog's timer starts sync for a PC left unattended; fired after the flow was closed (the
    app quitting, or a test done with it) it starts nothing: an engine on a closed database crashed the process."""
    s = start()
    controller = s.controller
    controller.close_all()
    controller._start_unattended()  # what the pending timer calls
    assert controller.engine is None
