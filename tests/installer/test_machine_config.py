"""What the installer wrote for this machine pre-fills first start and enrolment (clerk_desk/machine_config.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from clerk_desk import machine_config
from clerk_desk.machine_config import MachineConfig

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def ini(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "machine.ini"
    monkeypatch.setenv(machine_config.ENV_INI, str(path))
    return path


def test_reads_the_ini_named_by_the_environment(ini: Path) -> None:
    ini.write_text(
        "[ClerkDesk]\nHubUrl = https://hub.tongshan.gov.cn:8765/ \nSiteCode = 421224100\n"
        "DeviceCode = 03a\nHubCaFile = C:\\ca\\extranet.pem\nInstallDir = C:\\Program Files\\Clerk Desk\\\n",
        encoding="utf-8",
    )
    got = machine_config.load()
    assert got == MachineConfig("https://hub.tongshan.gov.cn:8765", "421224100", "03A", "C:\\ca\\extranet.pem",
                                source=str(ini))
    assert got


@pytest.mark.parametrize("text", ["", "[Other]\nHubUrl = x\n", "not an ini", "[ClerkDesk]\nHubUrl =\n"])
def test_missing_or_unusable_files_give_an_empty_preset(ini: Path, text: str) -> None:
    if text:
        ini.write_text(text, encoding="utf-8")
    got = machine_config.load()
    assert got == MachineConfig() and not got and got.source == ""


def test_undecodable_file_is_ignored(ini: Path) -> None:
    ini.write_bytes(b"[ClerkDesk]\nHubUrl = \xff\xfe\n")
    assert machine_config.load() == MachineConfig()


def test_control_characters_are_dropped() -> None:
    got = machine_config.from_values({"HubUrl": "https://a\x00b", "SiteCode": "421224100"}, "test")
    assert got.hub_url == "" and got.site_code == "421224100"


def test_registry_is_only_read_on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(machine_config.sys, "platform", "linux")
    assert machine_config.read_registry() == {}


def test_value_names_match_what_both_installer_sources_write() -> None:
    for source in ("installer/clerk-desk.wxs", "installer/clerk-desk.wix5.wxs"):
        text = (ROOT / source).read_text(encoding="utf-8")
        written = set(re.findall(r'Key="Software\\ClerkDesk" Name="(\w+)"', text))
        assert set(machine_config.VALUE_NAMES.values()) <= written, source
    assert machine_config.REGISTRY_KEY == r"Software\ClerkDesk"


def test_first_start_and_enrolment_are_prefilled(ini: Path, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from clerk_desk.services.workplace import SiteInfo
    from clerk_desk.ui.first_run import FirstRunDialog
    from clerk_desk.ui.sync.enrol_dialog import EnrolDialog
    from clerk_desk.ui.task_runner import SyncTaskRunner

    ini.write_text("[ClerkDesk]\nHubUrl = https://hub.example:8765\nSiteCode = 421224100\nDeviceCode = 07\n"
                   "HubCaFile = /etc/ca.pem\n", encoding="utf-8")
    runner = SyncTaskRunner()
    empty_site = SiteInfo(None, None, None, "clerk", False)
    first = FirstRunDialog(None, runner, empty_site)  # type: ignore[arg-type]
    qtbot.addWidget(first)
    assert (first.site_form.code.text(), first.site_form.device.text()) == ("421224100", "07")
    assert first.site_form.name.text() == ""  # the centre's name is typed and confirmed on the PC

    enrol = EnrolDialog(None, runner)  # type: ignore[arg-type]
    qtbot.addWidget(enrol)
    assert (enrol.hub_url.text(), enrol.ca_bundle.text()) == ("https://hub.example:8765", "/etc/ca.pem")
    enrolled = EnrolDialog(None, runner, hub_url="https://other:1", ca_bundle="")  # type: ignore[arg-type]
    qtbot.addWidget(enrolled)
    assert (enrolled.hub_url.text(), enrolled.ca_bundle.text()) == ("https://other:1", "")  # the PC's own wins
