"""County IT on a hall PC while the county hub cannot be reached: what `clerk-desk sync status|now|run` say,
and what the desk's log keeps. A real hub over HTTP on 127.0.0.1 behind a proxy whose link is cut, the
desk as real processes sharing the token through the test keyring file."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_it_commands import cd
from tests.support.hub_server import HubAdmin, running_hub
from tests.support.memory_keyring import FILE_ENV
from tests.support.tcp_proxy import TcpProxy

SITE = "421224100"


def log_text(data: Path) -> str:
    log = data / "logs" / "clerk-desk.log"
    return log.read_text(encoding="utf-8") if log.exists() else ""


def test_hub_down_is_said_in_chinese_with_what_to_do_and_kept_in_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(FILE_ENV, str(tmp_path / "keyring.json"))
    data = tmp_path / "desk"
    with running_hub(tmp_path / "hub") as url, TcpProxy(("127.0.0.1", int(url.rsplit(":", 1)[1]))) as proxy:
        with HubAdmin(tmp_path / "hub") as admin:
            admin.site(SITE, "通羊镇便民服务中心")
            _device, code = admin.device(SITE, "clerk")
        assert (
            cd(
                data, "site", "set", "--code", SITE, "--name", "通羊镇便民服务中心", "--device", "01"
            ).returncode
            == 0
        )
        r = cd(data, "enrol", "--code", code, "--hub", proxy.url)
        assert r.returncode == 0, r.stderr
        assert cd(data, "sync", "now").returncode == 0

        proxy.down()
        r = cd(data, "sync", "status")
        assert r.returncode == 0, r.stderr
        # what county IT reads: the cause in plain Chinese, what to check, that nothing is lost; the
        # technical text after it for whoever digs further
        assert "无法连接县级平台" in r.stdout and proxy.url in r.stdout, r.stdout
        assert "网络" in r.stdout and "不会丢失" in r.stdout, r.stdout
        assert "技术信息" in r.stdout
        assert "Traceback" not in r.stderr and r.stderr.strip() == "", r.stderr
        # and the log says it too, with the address, once
        assert log_text(data).count(f"cannot reach the county hub {proxy.url}") == 1, log_text(data)

        r = cd(data, "sync", "now")
        assert r.returncode == 1 and "无法连接县级平台" in r.stdout
        # a headless sync says in Chinese that it runs and where its log is, and logs the link being down
        run = subprocess.Popen(
            [sys.executable, "-m", "clerk_desk", "--data-dir", str(data), "sync", "run", "--interval", "0.2"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert run.stdout is not None
        first = run.stdout.readline()
        assert "正在同步" in first and str(data / "logs" / "clerk-desk.log") in first, first

        def wait_for(text: str, times: int = 1) -> None:
            for _ in range(600):
                if log_text(data).count(text) >= times:
                    return
                with contextlib.suppress(subprocess.TimeoutExpired):
                    run.wait(0.1)

        wait_for(f"cannot reach the county hub {proxy.url}", 3)  # status, now, and the running sync
        proxy.up()
        wait_for("the county hub is reachable again")  # the link comes back: the log says so
        run.terminate()
        run.wait(30)
        assert "the county hub is reachable again" in log_text(data), log_text(data)


@pytest.mark.parametrize("whole_device", [False, True], ids=["token", "device"])
def test_a_revoked_pc_is_told_what_county_it_does_not_to_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, whole_device: bool
) -> None:
    monkeypatch.setenv(FILE_ENV, str(tmp_path / "keyring.json"))
    data = tmp_path / "desk"
    with running_hub(tmp_path / "hub") as url, HubAdmin(tmp_path / "hub") as admin:
        admin.site(SITE, "通羊镇便民服务中心")
        device, code = admin.device(SITE, "clerk", code="07")
        assert cd(data, "site", "set", "--code", SITE, "--name", "通羊镇", "--device", "07").returncode == 0
        assert cd(data, "enrol", "--code", code, "--hub", url).returncode == 0
        if whole_device:
            admin.revoke(device)
        else:
            with admin.engine.connect() as conn:
                token = conn.exec_driver_sql("SELECT id FROM device_tokens").scalar_one()
            admin.revoke(device, token)
        r = cd(data, "sync", "status")
        assert r.returncode == 0, r.stderr
        assert "停用" in r.stdout and "连通后自动补传" not in r.stdout, r.stdout
        # revoking the device revokes its tokens: the desk cannot tell which, so it names both ways
        assert "county-hub device code 07" in r.stdout and "county-hub device add" in r.stdout, r.stdout
        assert "clerk-desk enrol" in r.stdout
        assert "不会丢失" in r.stdout
