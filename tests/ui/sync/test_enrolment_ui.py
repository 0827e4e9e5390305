"""Enrolment from the desk: offered after sign-in on a hall PC, asked once of a new Windows account,
errors (used or expired code, no secure keyring, missing CA file) shown under the fields."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import fail

from clerk_desk.services import site_setup
from clerk_desk.store.database import Database
from clerk_desk.sync import credentials, enrolment
from clerk_desk.ui.sync.enrol_dialog import EnrolDialog
from tests.support.hub_server import enrol as hub_enrol
from tests.support.memory_keyring import MemoryKeyring
from tests.ui.sync.conftest import (
    PLAIN_PASSWORD,
    Hub,
    enrolled_demo_folder,
    hub_uses_demo_password,
    plain_site_folder,
    shows,
)


def _admin_signs_in(s) -> EnrolDialog:  # type: ignore[no-untyped-def]
    s.sign_in("admin", PLAIN_PASSWORD, window=None)
    dialog = s.controller.sync.enrol_dialog
    assert isinstance(dialog, EnrolDialog) and dialog.isVisible()
    return dialog


def _fill(dialog: EnrolDialog, url: str, code: str) -> None:
    dialog.findChild(object, "enrolHubUrl").setText(url)
    dialog.findChild(object, "enrolCode").setText(code)


def test_first_start_offers_enrolment_and_the_desk_goes_online(hub: Hub, start, qtbot, notes, tmp_path) -> None:
    s = start(demo=False, data_dir=plain_site_folder(tmp_path / "pc"))
    dialog = _admin_signs_in(s)
    assert dialog.objectName() == "enrolDialog"
    assert "不注册也可以使用" in dialog.intro.text()
    ca = tmp_path / "county-ca.pem"
    ca.write_text("not used: the demo hub speaks plain http")
    dialog.pick_file = lambda _parent, _title: str(ca)
    dialog.findChild(object, "enrolCaBrowse").click()
    assert dialog.ca_bundle.text() == str(ca)
    dialog.ca_bundle.setText("")
    _fill(dialog, hub.url, hub.code())
    dialog.findChild(object, "enrolSubmit").click()

    assert not dialog.isVisible() and dialog.result_info is not None
    assert any("已注册到县级平台：中心 421224100" in t for t in notes.texts("info"))
    qtbot.waitUntil(shows(s, "已连接", "待上传 0"), timeout=10_000)
    db = s.launch.db
    assert site_setup.site_info(db).device_code == dialog.result_info.device_code
    # Asked once: the next sign-in on this PC does not ask again.
    s.controller.main_window.sign_out()
    s.sign_in("admin", PLAIN_PASSWORD, window=None)
    assert s.controller.sync.enrol_dialog is None


def test_enrol_later_leaves_the_pc_offline_and_is_remembered(start, qtbot, tmp_path) -> None:
    s = start(demo=False, data_dir=plain_site_folder(tmp_path / "pc"))
    dialog = _admin_signs_in(s)
    dialog.findChild(object, "enrolSkip").click()
    assert not dialog.isVisible()
    qtbot.waitUntil(shows(s, "未注册"))
    s.controller.main_window.sign_out()
    s.sign_in("clerk1", PLAIN_PASSWORD)
    assert s.controller.sync.enrol_dialog is None
    # The admin can still enrol later: 系统 → 注册到县级平台.
    s.controller.main_window.sign_out()
    s.sign_in("admin", PLAIN_PASSWORD, window=None)
    s.controller.main_window.findChild(object, "actionEnrol").trigger()
    assert isinstance(s.controller.sync.enrol_dialog, EnrolDialog)


@pytest.mark.parametrize("which", ["used", "expired"])
def test_a_used_or_expired_code_is_explained_and_nothing_typed_is_lost(
    which: str, hub: Hub, start, tmp_path
) -> None:
    if which == "used":
        code = hub.code()
        hub_enrol(hub.url, code, os_account="someone-else")
        expected = "该注册码已使用过"
    else:
        code = hub.code(hours=-1)
        expected = "注册码已过期"
    s = start(demo=False, data_dir=plain_site_folder(tmp_path / "pc"))
    dialog = _admin_signs_in(s)
    _fill(dialog, hub.url, code)
    dialog.findChild(object, "enrolSubmit").click()
    assert dialog.isVisible()
    error = dialog.findChild(object, "enrolError")
    assert not error.isHidden() and expected in error.text()
    assert dialog.hub_url.text() == hub.url and dialog.code.text() == code
    assert dialog.submit.isEnabled() and dialog.submit.text() == "注册"
    assert enrolment.hub_settings(s.launch.db) is None


def test_a_missing_ca_file_is_explained(hub: Hub, start, tmp_path) -> None:
    s = start(demo=False, data_dir=plain_site_folder(tmp_path / "pc"))
    dialog = _admin_signs_in(s)
    _fill(dialog, hub.url, hub.code())
    dialog.ca_bundle.setText(str(tmp_path / "nowhere.pem"))
    dialog.findChild(object, "enrolSubmit").click()
    assert "找不到证书文件" in dialog.findChild(object, "enrolError").text()


@pytest.fixture
def no_keyring():  # type: ignore[no-untyped-def]
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def test_no_secure_keyring_is_said_plainly_and_the_code_is_not_spent(hub: Hub, start, tmp_path, no_keyring) -> None:
    s = start(demo=False, data_dir=plain_site_folder(tmp_path / "pc"))
    dialog = _admin_signs_in(s)
    code = hub.code()
    _fill(dialog, hub.url, code)
    dialog.findChild(object, "enrolSubmit").click()
    assert "没有可用的安全凭据存储" in dialog.findChild(object, "enrolError").text()
    assert hub_enrol(hub.url, code)["token"]  # the one-time code is still good


def test_a_new_windows_account_is_asked_to_enrol_once(hub: Hub, start, qtbot, notes, tmp_path) -> None:
    folder = enrolled_demo_folder(tmp_path / "desk", hub.url, hub.code())
    db = Database(folder)
    hs, device = enrolment.hub_settings(db), site_setup.site_info(db).device_code
    db.close()
    assert hs is not None and device is not None
    credentials.forget_token(hs.url, device)  # as if another Windows account used this PC
    s = start(data_dir=folder)
    hub_uses_demo_password(hub, s)  # clerk1 signs in again after the hub's directory came
    s.sign_in("clerk1")
    dialog = s.controller.sync.enrol_dialog
    assert isinstance(dialog, EnrolDialog) and dialog.isVisible()
    assert "凭据按 Windows 账户保存" in dialog.intro.text()
    assert credentials.os_account() in dialog.intro.text()
    assert dialog.hub_url.text() == hub.url  # the PC's hub address is filled in
    qtbot.waitUntil(shows(s, "未注册"))
    dialog.findChild(object, "enrolCode").setText(hub.admin.enrolment_code(device))
    dialog.findChild(object, "enrolSubmit").click()
    assert not dialog.isVisible()
    qtbot.waitUntil(shows(s, "已连接"), timeout=10_000)
    s.controller.main_window.sign_out()
    s.sign_in("clerk1")
    assert s.controller.sync.enrol_dialog is None


def test_enrolled_pc_without_a_keyring_says_so_after_sign_in(hub: Hub, start, notes, tmp_path) -> None:
    folder = enrolled_demo_folder(tmp_path / "desk", hub.url, hub.code())
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        s = start(data_dir=folder)
        s.sign_in("clerk1")
        assert any("没有可用的安全凭据存储" in t for t in notes.texts("error"))
    finally:
        keyring.set_keyring(previous)


class _PlainFileKeyring(MemoryKeyring):
    """Stands for keyrings.alt's file backends, which keyring picks by itself once that package is installed."""

    __module__ = "keyrings.alt.file"
    priority = 0.5


def test_a_plain_file_keyring_is_not_used_unless_chosen_on_purpose(
    hub: Hub, start, tmp_path, monkeypatch
) -> None:
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")
    previous = keyring.get_keyring()
    keyring.set_keyring(_PlainFileKeyring())
    try:
        s = start(demo=False, data_dir=plain_site_folder(tmp_path / "pc"))
        dialog = _admin_signs_in(s)
        _fill(dialog, hub.url, hub.code())
        dialog.findChild(object, "enrolSubmit").click()
        assert "没有可用的安全凭据存储" in dialog.findChild(object, "enrolError").text()
        monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")  # the demo's choice
        dialog.findChild(object, "enrolSubmit").click()
        assert dialog.result_info is not None
    finally:
        keyring.set_keyring(previous)


@pytest.mark.parametrize("url", ["http://hub.tongshan.gov.cn:8765", "loopback"])
def test_a_plain_http_address_is_refused_with_the_reason(url: str, hub: Hub, start, tmp_path, monkeypatch) -> None:
    """https is required; http only to this PC with the demo/test switch (not set on a hall PC)."""
    if url == "loopback":
        monkeypatch.delenv("CLERK_DESK_ALLOW_LOOPBACK_HTTP")
        url = hub.url
    s = start(demo=False, data_dir=plain_site_folder(tmp_path / "pc"))
    dialog = _admin_signs_in(s)
    code = hub.code()
    _fill(dialog, url, code)
    dialog.findChild(object, "enrolSubmit").click()
    error = dialog.findChild(object, "enrolError")
    assert dialog.isVisible() and not error.isHidden()
    assert "必须以 https:// 开头" in error.text() and "加密" in error.text()
    assert dialog.hub_url.text() == url and dialog.code.text() == code  # nothing typed is lost
    assert enrolment.hub_settings(s.launch.db) is None
    assert hub_enrol(hub.url, code)["token"]  # the one-time code was not spent


def test_the_installers_http_address_is_not_offered_and_the_dialog_says_why(start, tmp_path, monkeypatch) -> None:
    ini = tmp_path / "machine.ini"
    ini.write_text("[ClerkDesk]\nHubUrl = http://hub.tongshan.gov.cn:8765\n", encoding="utf-8")
    monkeypatch.setenv("CLERK_DESK_MACHINE_CONFIG", str(ini))
    s = start(demo=False, data_dir=plain_site_folder(tmp_path / "pc"))
    dialog = _admin_signs_in(s)
    assert dialog.hub_url.text() == ""
    error = dialog.findChild(object, "enrolError")
    assert not error.isHidden() and "安装时写入本机的县级平台地址不能使用" in error.text() and "https" in error.text()
