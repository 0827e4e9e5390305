"""The admin screens, driven by objectName and checked through the services (real SQLite files)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QWidget

from clerk_desk.domain.errors import AuthError
from clerk_desk.domain.org import WindowKind
from clerk_desk.services import accounts, site_setup
from clerk_desk.ui.admin.admin_page import AdminPage


@pytest.fixture
def admin(start):
    s = start()
    s.sign_in("admin", window=None)
    window = s.controller.main_window
    assert window.show_page("admin")
    page = window.pages["admin"]
    assert isinstance(page, AdminPage)
    return s, window, page


def find(root: QWidget, name: str) -> QWidget:
    w = root.findChild(QWidget, name)
    assert w is not None, name
    return w


def test_admin_page_is_only_for_admins(start) -> None:
    s = start()
    s.sign_in("manager", window=None)  # a supervisor may skip too
    assert "admin" not in s.controller.main_window.page_keys()


def test_windows_table_lists_the_demo_windows(admin) -> None:
    _s, window, _page = admin
    table = find(window, "adminWindowsTable")
    model = table.model()
    names = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert names == ["综合窗口（一）", "综合窗口（二）", "综合窗口（三）", "公安窗口", "咨询服务窗口", "自然资源专窗",
                     "潮汐窗口（医保缴费季）"]
    assert model.headerData(0, Qt.Orientation.Horizontal) == "名称"


def test_admin_adds_a_tidal_and_a_police_window(admin, notes) -> None:
    s, window, page = admin
    db = s.launch.db
    find(window, "windowAdd").click()
    dialog = page.windows_tab.dialog
    find(dialog, "windowName").setText("潮汐窗口（医保缴费）")
    dialog.set_kind(WindowKind.TIDAL)
    assert find(dialog, "windowFrom").isEnabled() and not find(dialog, "windowDepartment").isEnabled()
    find(dialog, "windowFrom").setDate(QDate(2026, 12, 1))
    find(dialog, "windowTo").setDate(QDate(2026, 12, 31))
    find(dialog, "windowItems").setText("LOCAL-YB-ea70fa87， LOCAL-YB-396be883")
    find(dialog, "windowSave").click()
    assert notes.messages == []
    assert dialog.result() == dialog.DialogCode.Accepted

    added = {w.name: w for w in site_setup.list_windows(db)}["潮汐窗口（医保缴费）"]
    assert (added.kind, added.valid_from, added.valid_to) == ("tidal", date(2026, 12, 1), date(2026, 12, 31))
    assert added.items == ("LOCAL-YB-396be883", "LOCAL-YB-ea70fa87")
    assert page.windows_tab.model.rows[-1].name == "潮汐窗口（医保缴费）"  # the table was refreshed

    find(window, "windowAdd").click()
    dialog = page.windows_tab.dialog
    find(dialog, "windowName").setText("公安窗口（二）")
    dialog.set_kind(WindowKind.POLICE)
    assert find(dialog, "windowDepartment").currentData() == "ga"
    find(dialog, "windowSave").click()
    police = {w.name: w for w in site_setup.list_windows(db)}["公安窗口（二）"]
    assert police.department_code == "ga" and police.kind == "police"


def test_window_errors_keep_the_dialog_and_its_input(admin, notes) -> None:
    s, window, page = admin
    find(window, "windowAdd").click()
    dialog = page.windows_tab.dialog
    find(dialog, "windowName").setText("综合窗口（一）")  # exists already
    find(dialog, "windowSave").click()
    assert notes.texts("error") == ["已有名为“综合窗口（一）”的窗口"]
    assert dialog.isVisible() and find(dialog, "windowName").text() == "综合窗口（一）"
    assert find(dialog, "windowSave").isEnabled()
    # the county hub registers windows by a name of 1-64 characters: a longer one made the hub refuse every
    # intake at that window (and the site's whole window list at county-hub window import)
    long = "综合窗口" * 17
    find(dialog, "windowName").setText(long)
    find(dialog, "windowSave").click()
    assert notes.texts("error")[-1] == "窗口名称最多 64 个字，且不能含换行、制表符等控制字符（现为 68 个字）"
    assert dialog.isVisible() and find(dialog, "windowName").text() == long
    assert long not in [w.name for w in site_setup.list_windows(s.launch.db)]
    find(dialog, "windowName").setText(long[:64])
    find(dialog, "windowSave").click()
    assert long[:64] in [w.name for w in site_setup.list_windows(s.launch.db)]


def test_admin_closes_and_reopens_a_window(admin, notes) -> None:
    s, window, page = admin
    tab = page.windows_tab
    assert tab.select_name("综合窗口（三）")
    find(window, "windowToggleActive").click()
    assert notes.texts("confirm") == ["确定要停用“综合窗口（三）”吗？停用后窗口人员将无法选择该窗口。"]
    assert "综合窗口（三）" not in [w.name for w in site_setup.list_windows(s.launch.db)]
    assert tab.select_name("综合窗口（三）")
    find(window, "windowToggleActive").click()
    assert "综合窗口（三）" in [w.name for w in site_setup.list_windows(s.launch.db)]


def test_admin_adds_an_approver_with_departments(admin, notes) -> None:
    s, window, page = admin
    find(window, "userAdd").click()
    dialog = page.users_tab.dialog
    find(dialog, "userUsername").setText("approver2")
    find(dialog, "userDisplayName").setText("赵审批")
    find(dialog, "userPassword").setText("first-pass1")
    find(dialog, "roleClerk").setChecked(False)
    find(dialog, "roleApprover").setChecked(True)
    assert find(dialog, "userDepartments").isEnabled()
    dialog.check_department("mz")
    dialog.check_department("cl")
    find(dialog, "userSave").click()
    assert notes.messages == []

    user = {u.username: u for u in accounts.list_users(s.launch.db)}["approver2"]
    assert user.roles == ("approver",)
    assert set(user.serves) == {("421224100", "mz"), ("421224100", "cl")}
    assert user.must_change_password
    assert "approver2" in [u.username for u in page.users_tab.model.rows]


def test_user_errors_keep_the_dialog_and_its_input(admin, notes) -> None:
    s, window, page = admin
    find(window, "userAdd").click()
    dialog = page.users_tab.dialog
    find(dialog, "userUsername").setText("approver3")
    find(dialog, "userDisplayName").setText("钱审批")
    find(dialog, "userPassword").setText("first-pass1")
    find(dialog, "roleApprover").setChecked(True)
    find(dialog, "userSave").click()  # an approver without departments
    assert notes.texts("error") == ["后台审批人员需要指定服务的中心和部门"]
    assert dialog.isVisible() and find(dialog, "userDisplayName").text() == "钱审批"
    find(dialog, "userUsername").setText("clerk1")
    dialog.check_department("rs")
    find(dialog, "userSave").click()
    assert notes.texts("error")[-1] == "用户名 clerk1 已存在"


def test_admin_resets_a_password_and_disables_an_account(admin, notes) -> None:
    s, window, page = admin
    db = s.launch.db
    tab = page.users_tab
    assert tab.select_username("clerk2")
    find(window, "userResetPassword").click()
    [info] = notes.texts("info")
    temporary = info.split("\n\n")[1]
    user = accounts.authenticate(db, "clerk2", temporary)
    assert user.must_change_password
    assert tab.select_username("clerk2")
    find(window, "userToggleActive").click()
    with pytest.raises(AuthError):
        accounts.authenticate(db, "clerk2", temporary)
    row = [u.username for u in tab.model.rows].index("clerk2")
    assert tab.model.index(row, 4).data() == "已停用"


def test_admin_cannot_disable_own_account(admin, notes) -> None:
    s, window, page = admin
    assert page.users_tab.select_username("admin")
    find(window, "userToggleActive").click()
    assert notes.texts("error") == ["不能停用自己的账户。"]
    assert all(u.active for u in accounts.list_users(s.launch.db))


def test_site_settings_validate_and_save(admin, notes) -> None:
    s, window, page = admin
    assert find(window, "siteCode").text() == "421224100"
    find(window, "siteName").setText("通山县通羊镇便民服务中心（新址）")
    find(window, "siteDeviceCode").setText("not a code")
    find(window, "siteSave").click()
    assert notes.texts("error") == ["本机编号应为 2-4 位大写字母或数字，例如 03"]
    assert find(window, "siteName").text() == "通山县通羊镇便民服务中心（新址）"  # input kept
    find(window, "siteDeviceCode").setText("01")
    find(window, "siteSave").click()
    assert notes.texts("info") == ["服务中心设置已保存。"]
    assert site_setup.site_info(s.launch.db).site_name == "通山县通羊镇便民服务中心（新址）"


def test_nothing_is_selected_is_explained(admin, notes) -> None:
    _s, window, _page = admin
    find(window, "userResetPassword").click()
    find(window, "windowToggleActive").click()
    assert notes.texts("error") == ["请先在表格中选择一个账户。", "请先在表格中选择一个窗口。"]
