"""The hub address is https everywhere one is accepted; plain http only to this PC, only on purpose.

Where an address comes in: enrolment (sync/enrolment.py), ``clerk-desk enrol``, the installer's preset
(machine_config.py), and the address an enrolled desk has stored (the engine). The enrolment dialog's
refusal is in tests/ui/sync/test_enrolment_ui.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from clerk_desk import machine_config
from clerk_desk.domain.errors import InputError
from clerk_desk.services import demo, site_setup
from clerk_desk.services.intake_forms import Delivery
from clerk_desk.store.database import Database
from clerk_desk.store.models import Setting
from clerk_desk.sync import credentials, enrolment, hub_address
from clerk_desk.sync.engine import INSECURE_HUB_URL
from clerk_desk.sync.hub_address import ALLOW_LOOPBACK_HTTP, InsecureHubAddress
from tests.services.test_intake import form
from tests.support.memory_keyring import FILE_ENV
from tests.support.tcp_proxy import TcpProxy
from tests.sync.conftest import make_desk


@pytest.fixture
def no_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    """A real hall PC: the demo/test switch is not set."""
    monkeypatch.delenv(ALLOW_LOOPBACK_HTTP, raising=False)


@pytest.mark.parametrize("url", ["https://hub.tongshan.gov.cn", "https://hub.tongshan.gov.cn:8765/",
                                 " HTTPS://10.20.30.40:8443/hub/ ", "https://127.0.0.1:8765"])
def test_https_addresses_are_taken(url: str, no_switch) -> None:
    assert hub_address.normalise(url) == url.strip().rstrip("/")


@pytest.mark.parametrize("url", ["http://hub.tongshan.gov.cn", "http://10.20.30.40:8765", "http://127.0.0.2:1",
                                 "http://[::2]:80", "http://localhost.example"])
def test_plain_http_elsewhere_is_refused_with_the_reason_even_with_the_switch(url: str) -> None:
    with pytest.raises(InsecureHubAddress) as caught:
        hub_address.normalise(url)
    text = caught.value.message_zh
    assert "必须以 https:// 开头" in text and "加密" in text and "冒充" in text


@pytest.mark.parametrize("url", ["http://127.0.0.1:8765", "http://localhost:8765", "http://[::1]:8765"])
def test_plain_http_to_this_pc_needs_the_switch(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert hub_address.normalise(url) == url  # the test suite sets the switch (tests/conftest.py)
    monkeypatch.delenv(ALLOW_LOOPBACK_HTTP)
    with pytest.raises(InsecureHubAddress, match="只用于本机上的演示和测试"):
        hub_address.normalise(url)
    monkeypatch.setenv(ALLOW_LOOPBACK_HTTP, "yes")  # on purpose means exactly "1"
    with pytest.raises(InsecureHubAddress):
        hub_address.normalise(url)


@pytest.mark.parametrize(("url", "says"), [
    ("hub.tongshan.gov.cn", "https://"), ("ftp://hub.tongshan.gov.cn", "https://"), ("https://", "https://"),
    ("https://it:secret@hub.tongshan.gov.cn", "用户名或密码"), ("https://hub.tongshan.gov.cn/?x=1", "?"),
    ("https://hub.tongshan.gov.cn:99999", "格式"), ("https://[::1", "格式"),
])
def test_malformed_addresses_are_explained(url: str, says: str) -> None:
    with pytest.raises(InputError) as caught:
        hub_address.normalise(url)
    assert says in caught.value.message_zh


def test_enrolment_refuses_http_before_anything_is_sent(tmp_path: Path) -> None:
    db = Database(tmp_path / "desk")
    demo.ensure_demo_site(db)
    with TcpProxy(("127.0.0.1", 9)) as proxy:  # nothing behind it: we only count who knocks
        for url in ("http://hub.tongshan.gov.cn", proxy.url.replace("127.0.0.1", "127.0.0.3")):
            with pytest.raises(InsecureHubAddress, match="https"):
                enrolment.enrol(db, url, "ABCD-EFGH-JKLM-NPQR")
        assert proxy.connections == 0
    assert enrolment.hub_settings(db) is None


def test_a_desk_enrolled_over_http_keeps_its_token_to_itself(hub, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Enrolled over http (before https was required): the engine does not send the token, says what to
    do, and keeps everything on this PC; a new enrolment over https is the way out."""
    url, admin = hub
    with TcpProxy(("127.0.0.1", int(url.rsplit(":", 1)[1]))) as proxy:
        desk = make_desk(tmp_path / "desk", proxy.url, admin)
        desk.engine.run_once()
        assert desk.engine.status().link_up is True
        knocks = proxy.connections
        monkeypatch.delenv(ALLOW_LOOPBACK_HTTP)  # a hall PC: no demo switch
        desk.intake.accept(form(), desk.clerk, delivery=Delivery("window"))
        delay = desk.engine.run_once()
        st = desk.engine.status()
        assert proxy.connections == knocks  # not even a connection: the token stays here
        assert st.enrolled and st.fault == INSECURE_HUB_URL and st.waiting == 1 and delay == desk.engine.interval_s
        assert "重新注册" in (st.fault_detail or "") and "https" in (st.fault_detail or "")
    # The same with an address that is not this PC (what the issue found: a token sent in clear).
    device = site_setup.site_info(desk.db).device_code
    with desk.db.transaction() as s:
        s.get(Setting, enrolment.HUB_URL).value = "http://hub.tongshan.gov.cn:8765"
    credentials.save_token("http://hub.tongshan.gov.cn:8765", device or "", "a-token-that-must-stay-here")
    desk.engine.run_once()
    assert desk.engine.status().fault == INSECURE_HUB_URL
    with pytest.raises(InsecureHubAddress):
        enrolment.client_for(desk.db)


def test_the_installers_http_address_is_not_offered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ini = tmp_path / "machine.ini"
    ini.write_text("[ClerkDesk]\nHubUrl = http://hub.tongshan.gov.cn:8765\nSiteCode = 421224100\n", encoding="utf-8")
    monkeypatch.setenv(machine_config.ENV_INI, str(ini))
    preset = machine_config.load()
    assert preset.hub_url == "" and preset.site_code == "421224100"
    assert "安装时写入本机的县级平台地址不能使用" in preset.hub_url_problem and "https" in preset.hub_url_problem
    only_url = machine_config.from_values({"HubUrl": "http://10.1.1.1"}, "test")
    assert only_url.hub_url == "" and only_url.hub_url_problem and only_url.source == "test"
    assert machine_config.from_values({"HubUrl": "https://hub.tongshan.gov.cn"}, "t").hub_url_problem == ""


def _cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "clerk_desk", "--data-dir", str(data), *args],
                          capture_output=True, text=True, timeout=60)


def test_clerk_desk_enrol_refuses_http_from_the_command_line_and_the_preset(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FILE_ENV, str(tmp_path / "keyring.json"))
    monkeypatch.delenv(ALLOW_LOOPBACK_HTTP)
    data = tmp_path / "desk"
    assert _cli(data, "site", "set", "--code", "421224100", "--name", "通羊镇便民服务中心", "--device", "01").returncode == 0
    r = _cli(data, "enrol", "--hub", "http://hub.tongshan.gov.cn", "--code", "ABCD-EFGH-JKLM-NPQR")
    assert r.returncode == 2 and "必须以 https:// 开头" in r.stderr, r.stderr
    ini = tmp_path / "machine.ini"
    ini.write_text("[ClerkDesk]\nHubUrl = http://hub.tongshan.gov.cn\n", encoding="utf-8")
    monkeypatch.setenv(machine_config.ENV_INI, str(ini))
    r = _cli(data, "enrol", "--code", "ABCD-EFGH-JKLM-NPQR")
    assert r.returncode == 2 and "安装时写入本机的县级平台地址不能使用" in r.stderr and "--hub" in r.stderr, r.stderr
