"""The county-hub command: admin commands on a data folder, and `serve` as a real process (HTTP and TLS)."""

from __future__ import annotations

import os
import re
import shutil
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from county_hub.cli import main
from county_hub.settings import sqlite_url
from county_hub.storage import make_engine
from tests.support.catalogs import catalog_bytes
from tests.support.hub_server import API, enrol, running_hub
from tests.support.postgres import free_port

ENROLMENT_CODE = re.compile(r"^注册码（仅可使用一次，[\d.]+ 小时内有效）：(\S+)$", re.MULTILINE)


def enrolment_code(out: str) -> str:
    """The one-time code that `device add` / `device code` print on a line of their own."""
    found = ENROLMENT_CODE.search(out) or re.search(r"的新注册码（[^）]*）：(\S+)$", out, re.MULTILINE)
    assert found, out
    return found.group(1)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_admin_commands_on_the_embedded_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(tmp_path)]
    assert run(capsys, "migrate", *d)[0] == 0
    assert (tmp_path / "hub.sqlite3").exists()
    assert run(capsys, "site", "add", "421224100", "通羊镇", *d)[0] == 0
    code, _out, err = run(capsys, "site", "add", "421224100", "again", *d)
    assert code == 2 and "服务中心 421224100 已存在" in err and "county-hub site list" in err
    code, out, _err = run(capsys, "device", "add", "--site", "421224100", "--kind", "clerk", *d)
    assert code == 0
    enrolment = enrolment_code(out)
    device = re.search(r"已登记设备 (\S+)（窗口电脑，clerk），服务中心 421224100", out).group(1)  # type: ignore[union-attr]
    assert f"clerk-desk enrol --code {enrolment}" in out
    code, out, _ = run(
        capsys, "device", "add", "--site", "421224100", "--kind", "approver", "--serves", "421224100:rs", *d
    )
    assert code == 0 and "421224100:rs" in out
    code, _out, err = run(capsys, "device", "add", "--site", "421224100", "--kind", "approver", *d)
    assert code == 2 and "至少要用 --serves" in err
    assert run(capsys, "user", "add", "wang", "--name", "王芳", "--roles", "clerk", "--site", "421224100",
               "--password", "window2026", *d)[0] == 0  # fmt: skip
    code, _out, err = run(capsys, "user", "add", "weak", "--name", "x", "--roles", "clerk", "--site", "421224100",
                          "--password", "123", *d)  # fmt: skip
    assert code == 2 and "密码" in err
    code, out, _ = run(capsys, "user", "list", *d)
    assert "wang\t王芳\tclerk" in out
    catalog = tmp_path / "catalog.json"
    catalog.write_bytes(catalog_bytes("2026.1"))
    code, out, _ = run(capsys, "catalog", "publish", str(catalog), *d)
    assert code == 0 and "已发布版本 2026.1：第 1 次发布" in out
    catalog.write_text("{not json", encoding="utf-8")
    code, _out, err = run(capsys, "catalog", "publish", str(catalog), *d)
    assert code == 1 and "不是有效的 JSON" in err
    bad_calendar = tmp_path / "calendar.json"
    bad_calendar.write_text('{"years": {}}', encoding="utf-8")
    code, _out, err = run(capsys, "calendar", "publish", str(bad_calendar), *d)
    assert code == 1 and "节假日安排文件有" in err and "未发布" in err
    bad_calendar.write_text('{"years": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    code, _out, err = run(capsys, "calendar", "publish", str(bad_calendar), *d)  # RecursionError before
    assert code == 1 and "套了上千层" in err

    with running_hub(tmp_path) as base_url:
        token = enrol(base_url, enrolment, "clerk1")
        headers = {"Authorization": f"Bearer {token['token']}"}
        assert httpx.get(f"{base_url}{API}/devices/me", headers=headers).status_code == 200
        code, out, _ = run(capsys, "device", "revoke", device, "--token-id", token["token_id"], *d)
        assert code == 0 and f"设备 {device} 的令牌 {token['token_id']} 已吊销" in out
        r = httpx.get(f"{base_url}{API}/devices/me", headers=headers)
        assert r.status_code == 401 and r.json()["detail"]["code"] == "token_revoked"
    code, out, _ = run(capsys, "device", "code", device, "--hours", "1", *d)
    assert code == 0 and "1 小时内有效" in out and enrolment_code(out) != enrolment


def _wait_for(url: str, proc: subprocess.Popen[bytes], **kw: object) -> httpx.Response:
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else "exited"
        try:
            return httpx.get(url, timeout=2, **kw)  # type: ignore[arg-type]
        except httpx.TransportError:
            assert time.monotonic() < deadline, "county-hub serve did not answer"
            time.sleep(0.2)


def _serve(tmp_path: Path, *extra: str) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {**os.environ, "COUNTY_HUB_DATA_DIR": str(tmp_path / "data")}
    env.pop("COUNTY_HUB_DB", None)
    cmd = [sys.executable, "-m", "county_hub", "serve", "--port", str(port), "--log-level", "warning", *extra]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE), port


def test_serve_with_no_options_uses_an_embedded_database(tmp_path: Path) -> None:
    proc, port = _serve(tmp_path)
    try:
        r = _wait_for(f"http://127.0.0.1:{port}{API}/health", proc)
        assert r.status_code == 200 and r.json()["status"] == "ok"
        assert (tmp_path / "data" / "hub.sqlite3").exists()  # created and migrated on start
        # No docs pages (they load their scripts from a public CDN the extranet cannot reach): the
        # page must not exist, and nothing the hub serves names a CDN; the OpenAPI document stays.
        for page in ("/docs", "/redoc", "/docs/oauth2-redirect"):
            assert httpx.get(f"http://127.0.0.1:{port}{page}").status_code == 404
        spec = httpx.get(f"http://127.0.0.1:{port}{API}/openapi.json")
        assert spec.status_code == 200 and "cdn" not in spec.text.lower()
    finally:
        proc.terminate()
        proc.wait(20)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is needed to make a test certificate")
def test_serve_with_tls(tmp_path: Path) -> None:
    cert, key = tmp_path / "hub.pem", tmp_path / "hub.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    proc, port = _serve(tmp_path, "--certfile", str(cert), "--keyfile", str(key))
    try:
        r = _wait_for(
            f"https://127.0.0.1:{port}{API}/health", proc, verify=ssl.create_default_context(cafile=str(cert))
        )
        assert r.status_code == 200
        with pytest.raises(httpx.ConnectError):  # verification stays on: an unknown CA is refused
            httpx.get(f"https://127.0.0.1:{port}{API}/health", timeout=5)
    finally:
        proc.terminate()
        proc.wait(20)


def test_global_options_work_before_and_after_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    default, before, after = tmp_path / "default", tmp_path / "before", tmp_path / "after"
    monkeypatch.setenv("COUNTY_HUB_DATA_DIR", str(default))
    monkeypatch.delenv("COUNTY_HUB_DB", raising=False)
    assert run(capsys, "--data-dir", str(before), "site", "add", "421224100", "通羊镇")[0] == 0
    assert run(capsys, "site", "add", "421224101", "南林桥镇", "--data-dir", str(after))[0] == 0
    assert (before / "hub.sqlite3").exists() and (after / "hub.sqlite3").exists()
    assert not (default / "hub.sqlite3").exists()  # it used to land here, silently
    code, _out, err = run(
        capsys, "--data-dir", str(before), "site", "add", "1", "x", "--data-dir", str(after)
    )
    assert code == 2 and "--data-dir 给出了两次且不相同" in err
    code, _out, _err = run(capsys, "--data-dir", str(before), "site", "add", "421224100", "again")
    assert code == 2  # acted on `before`, where the site exists


def test_user_roles_are_granted_and_revoked_with_periods(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = ["--data-dir", str(tmp_path)]
    run(capsys, "site", "add", "421224100", "通羊镇", *d)
    assert run(capsys, "user", "add", "lisi", "--name", "李四", "--roles", "approver", "--serves", "421224100:rs",
               "--password", "approve2026", "--from", "2026-01-01", *d)[0] == 0  # fmt: skip
    code, out, _ = run(capsys, "user", "grant", "lisi", "--role", "approver", "--serves", "421224100:yb",
                       "--from", "2026-03-01", "--to", "2026-06-30T18:00", *d)  # fmt: skip
    assert code == 0 and "已授予用户 lisi approver 角色，范围：421224100:yb" in out
    code, out, _ = run(capsys, "user", "revoke", "lisi", "--role", "approver", "--serves", "421224100:rs", *d)
    assert code == 0 and "角色已终止（1 项授权）" in out
    code, out, _ = run(capsys, "user", "grants", "lisi", *d)
    lines = out.splitlines()
    # a date is midnight China time
    assert lines[0].startswith("approver\t421224100:rs\tfrom 2025-12-31T16:00:00.000000Z\tto 2")
    assert (
        lines[1] == "approver\t421224100:yb\tfrom 2026-02-28T16:00:00.000000Z\tto 2026-06-30T10:00:00.000000Z"
    )
    code, _out, err = run(capsys, "user", "revoke", "lisi", "--role", "clerk", *d)
    assert code == 2 and "没有符合条件的 clerk 角色" in err and "county-hub user grants lisi" in err
    code, _out, err = run(capsys, "user", "grant", "lisi", "--role", "clerk", "--from", "soon", *d)
    assert code == 2 and "「soon」不是日期或时间" in err
    code, out, _ = run(capsys, "user", "list", *d)
    # Both periods are over (rs revoked, yb ended in June): the account's roles follow the grants held.
    assert "lisi\t李四\t\tsite=-\tserves=-\tactive" in out
    with HubAdminFor(tmp_path) as conn:
        actions = [a for a in conn.execute(text("SELECT action FROM audit_log ORDER BY id")).scalars()]
    assert actions.count("role_granted") == 2 and actions.count("role_revoked") == 1


class HubAdminFor:
    """A connection to the embedded database of a data folder."""

    def __init__(self, folder: Path) -> None:
        self.engine = make_engine(sqlite_url(folder))

    def __enter__(self):  # type: ignore[no-untyped-def]
        self.conn = self.engine.connect()
        return self.conn

    def __exit__(self, *_exc: object) -> None:
        self.conn.close()
        self.engine.dispose()


def test_site_list_shows_code_and_name_tab_separated(hub_db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", hub_db_url]
    code, out, err = run(capsys, "site", "list", *db)
    assert code == 0 and out == "" and "尚未添加服务中心" in err and "county-hub site add" in err
    code, out, _ = run(capsys, "site", "add", "421224101", "南林桥镇", *db)
    assert code == 0 and out == "已添加服务中心 421224101 南林桥镇\n"
    assert run(capsys, "site", "add", "421224100", "通羊镇", *db)[0] == 0
    code, out, err = run(capsys, "site", "list", *db)
    assert code == 0 and err == ""
    assert out.splitlines() == ["421224100\t通羊镇", "421224101\t南林桥镇"]  # by code, for scripts too


def test_device_messages_say_what_happened_and_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = ["--data-dir", str(tmp_path)]
    code, _out, err = run(capsys, "device", "add", "--site", "421224100", "--kind", "clerk", *d)
    assert code == 2 and "没有服务中心 421224100" in err and "county-hub site add 421224100" in err
    run(capsys, "site", "add", "421224100", "通羊镇", *d)
    code, out, _ = run(capsys, "device", "add", "--site", "421224100", "--kind", "clerk", "--code", "0003", *d)
    assert code == 0 and out.startswith("已登记设备 0003（窗口电脑，clerk），服务中心 421224100，服务范围：421224100:*\n")
    code, _out, err = run(capsys, "device", "add", "--site", "421224100", "--kind", "clerk", "--code", "0003", *d)
    assert code == 2 and "设备 0003 已存在" in err and "county-hub device code 0003" in err
    code, _out, err = run(capsys, "device", "add", "--site", "421224100", "--kind", "approver",
                          "--serves", "421224100", *d)  # fmt: skip
    assert code == 2 and "421224100:rs" in err and "服务中心代码:部门代码" in err
    code, out, _ = run(capsys, "device", "revoke", "0003", *d)
    assert code == 0 and "设备 0003 已吊销（0 个令牌）：该电脑的令牌立即失效" in out and "county-hub device add" in out
    code, _out, err = run(capsys, "device", "code", "0003", *d)
    assert code == 2 and "已吊销，不能再启用" in err and "county-hub device add" in err
    code, _out, err = run(capsys, "device", "revoke", "0009", *d)
    assert code == 2 and "没有设备 0009" in err and "county-hub device list" in err
    code, _out, err = run(capsys, "county", "figures", "--from", "12月1日", "--to", "2026-12-31", *d)
    assert code == 2 and "「12月1日」不是日期" in err and "Traceback" not in err


def test_errors_of_a_real_process_are_chinese_on_stderr(tmp_path: Path) -> None:
    """As county IT sees them: one line on stderr with what to do, exit 2, nothing on stdout."""
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "COUNTY_HUB_DB"}

    def hub(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "county_hub", *args], capture_output=True, text=True,
                              env=env, timeout=120)  # fmt: skip

    r = hub("site", "list", "--data-dir", str(not_a_folder / "data"))
    assert r.returncode == 2 and r.stdout == "", r.stderr
    assert r.stderr.startswith(f"county-hub: 无法访问 {not_a_folder / 'data'}") and "--data-dir" in r.stderr
    folder = str(tmp_path / "data")
    r = hub("user", "add", "wang", "--name", "王芳", "--roles", "clerk", "--site", "421224100",
            "--password", "window2026", "--data-dir", folder)  # fmt: skip
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip() == (
        "county-hub: 没有服务中心 421224100：请先用 county-hub site add 添加，或改正代码（county-hub site list）"
    )
    r = hub("serve", "--certfile", str(tmp_path / "hub.pem"), "--data-dir", folder)
    assert r.returncode == 2 and "须同时给出 --certfile（证书）和 --keyfile（私钥）" in r.stderr
    assert hub("window", "end", "综合窗口", "--site", "421224100", "--data-dir", folder).returncode == 2
    r = hub("--help")
    data_dir_help = " ".join(r.stdout.split("--data-dir DATA_DIR")[-1].split("--db")[0].split())
    assert "COUNTY_HUB_DATA_DIR" in data_dir_help  # and the folder used without it:
    assert ("~/.local/share/county-hub" if sys.platform != "win32" else r"C:\ProgramData") in data_dir_help
