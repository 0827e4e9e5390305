"""The hub judges intake events by its own window directory (county_hub.windows), not by the window facts the
event carries, and checks the item's department against the catalogs it published; over HTTP on SQLite and
PostgreSQL (the ``hub`` fixture runs both)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from clerk_desk.domain.org import WindowKind
from clerk_desk.domain.routing import WindowRoute, facts_of
from county_hub import windows
from county_hub.db import write_engine
from county_hub.devices import AdminError
from tests.hub.hubkit import SITE_A, SITE_B, DeviceClient, Hub, new_case
from tests.support.catalogs import catalog, item

COMPREHENSIVE = WindowRoute("综合窗口（一）", WindowKind.COMPREHENSIVE)
POLICE = WindowRoute("公安窗口", WindowKind.POLICE, "ga")
FOREST = WindowRoute("林业专窗", WindowKind.DEPARTMENT, "ly")


def accept(dev: DeviceClient, window: WindowRoute | dict[str, Any] | None, dept: str, code: str,
           name: str = "某事项", **kw: Any) -> dict[str, Any]:  # fmt: skip
    payload: dict[str, Any] = {"item_code": code, "item_name": name}
    if isinstance(window, WindowRoute):
        payload["window"] = facts_of(window, [window])
    elif window is not None:
        payload["window"] = window
    (result,) = dev.push_ok([dev.event(new_case(), 0, kw.pop("event_type", "accepted"), dept, payload=payload,
                                       **kw)])  # fmt: skip
    return result


@pytest.fixture
def hall(hub: Hub) -> tuple[DeviceClient, DeviceClient]:
    """Two window PCs of SITE_A: the first works the 综合窗口, the second the 公安窗口; a 林业专窗 any PC works."""
    general, police = hub.device(), hub.device()
    hub.admin.window(SITE_A, COMPREHENSIVE.name, "comprehensive", devices=[general.device_code])
    hub.admin.window(SITE_A, POLICE.name, "police", department_code="ga", devices=[police.device_code])
    hub.admin.window(SITE_A, FOREST.name, "department", department_code="ly")
    return general, police


def test_a_forged_police_window_from_the_comprehensive_windows_pc_is_refused(hub: Hub, hall) -> None:  # type: ignore[no-untyped-def]
    general, police = hall
    forged = accept(general, POLICE, "ga", "GA-1", "临时居民身份证申领")  # claims to be the 公安窗口
    assert (forged["status"], forged["code"]) == ("rejected", "window_not_this_device")
    assert f"本机（{general.device_code}）不是该窗口的电脑" in forged["reason"]
    assert f"在电脑 {police.device_code} 上办理" in forged["reason"]
    # the right name with a lying kind: the directory's kind decides, and names the window that takes it
    lying = accept(general, {**facts_of(COMPREHENSIVE, []), "kind": "police"}, "ga", "GA-1", "临时居民身份证申领")
    assert (lying["status"], lying["code"]) == ("rejected", "window_cannot_take")
    assert "公安事项由公安窗口受理" in lying["reason"] and "请到“公安窗口”办理" in lying["reason"]
    assert accept(police, POLICE, "ga", "GA-1")["status"] == "stored"  # the police window's own PC
    assert accept(general, COMPREHENSIVE, "rs", "RS-1")["status"] == "stored"
    # a 部门专窗 of the directory keeps its department's items, whatever the event says it keeps
    kept = accept(general, {**facts_of(COMPREHENSIVE, []), "kept": []}, "ly", "LY-1")
    assert kept["code"] == "window_cannot_take" and "请到“林业专窗”办理" in kept["reason"]
    assert accept(general, FOREST, "ly", "LY-1")["status"] == "stored"  # any PC of the site works it
    assert hub.counts()["events"] == 3


def test_an_unknown_window_is_refused_with_a_clear_reason(hub: Hub, hall) -> None:  # type: ignore[no-untyped-def]
    general, _police = hall
    unknown = accept(general, WindowRoute("综合窗口（九）", WindowKind.COMPREHENSIVE), "rs", "RS-1")
    assert (unknown["status"], unknown["code"]) == ("rejected", "unknown_window")
    assert unknown["reason"] == (
        f"县级平台的窗口目录中，{SITE_A} 没有窗口“综合窗口（九）”：请在本机重新选择窗口后再办理，"
        "或请县级信息技术人员登记该窗口（county-hub window add），不予接收"
    )
    assert accept(general, None, "rs", "RS-1")["code"] == "unknown_window"  # a desk before routing names none
    # another site without a directory is still judged by the facts its events carry
    other = hub.device(site=SITE_B)
    assert accept(other, WindowRoute("随便", WindowKind.COMPREHENSIVE), "rs", "RS-1")["status"] == "stored"
    assert accept(other, COMPREHENSIVE, "ga", "GA-1")["code"] == "window_cannot_take"


def test_a_window_taken_out_of_use_refuses_later_events_only(hub: Hub, hall) -> None:  # type: ignore[no-untyped-def]
    general, _police = hall
    ended = datetime.now(UTC) - timedelta(minutes=2)
    hub.admin.end_window(SITE_A, COMPREHENSIVE.name, ended)
    before = (ended - timedelta(minutes=1)).isoformat().replace("+00:00", "Z")
    assert accept(general, COMPREHENSIVE, "rs", "RS-1", occurred_at=before)["status"] == "stored"
    late = accept(general, COMPREHENSIVE, "rs", "RS-1")
    assert late["code"] == "window_ended" and "已于" in late["reason"] and "停用" in late["reason"]
    hub.admin.window(SITE_A, COMPREHENSIVE.name, "comprehensive", devices=[general.device_code])  # in use again
    assert accept(general, COMPREHENSIVE, "rs", "RS-1")["status"] == "stored"
    assert [a for a in hub.audit_actions() if a.startswith("window_")] == [
        "window_added", "window_added", "window_added", "window_ended", "window_changed"]  # fmt: skip


def test_tidal_dates_come_from_the_directory(hub: Hub) -> None:
    dev = hub.device()
    today = datetime.now(UTC).astimezone(UTC).date()
    hub.admin.window(SITE_A, "潮汐窗口", "tidal", items=["YB-1"], valid_from=today - timedelta(days=30),
                     valid_to=today - timedelta(days=2))  # fmt: skip
    claims_open = WindowRoute("潮汐窗口", WindowKind.TIDAL, None, ("YB-1",), date(2020, 1, 1), date(2099, 12, 31))
    result = accept(dev, claims_open, "yb", "YB-1")
    assert result["code"] == "window_cannot_take" and "开放日期为" in result["reason"]


def test_the_items_department_is_checked_against_the_published_catalog(hub: Hub) -> None:
    dev = hub.device()
    hub.admin.publish("catalog", catalog("2026.12", [item("MZ-9", "临时救助申请", department="mz")]))
    moved = accept(dev, COMPREHENSIVE, "rs", "MZ-9", "临时救助申请")  # the desk says 人社: the catalog says 民政
    assert (moved["status"], moved["code"]) == ("rejected", "item_department")
    assert moved["reason"] == "县级平台发布的事项目录中，“临时救助申请”（MZ-9）属于mz 部门，不属于 rs，不予接收"
    assert accept(dev, COMPREHENSIVE, "mz", "MZ-9")["status"] == "stored"
    # an item the hub never published is judged by routing alone (a desk may hold a catalog imported earlier)
    assert accept(dev, COMPREHENSIVE, "rs", "RS-LOCAL-1")["status"] == "stored"
    # a later publication without the item: what was published once stays known
    hub.admin.publish("catalog", catalog("2026.13", [item("MZ-10", "低保申请", department="mz")]))
    assert accept(dev, COMPREHENSIVE, "rs", "MZ-9")["code"] == "item_department"


def test_the_admin_desks_export_is_imported_and_ends_the_windows_it_lacks(hub: Hub) -> None:
    hub.device()
    hub.admin.window(SITE_A, "旧窗口", "comprehensive")
    exported = {"format": "clerk-desk-windows", "site_code": SITE_A, "windows": [
        {"name": "综合窗口（一）", "kind": "comprehensive", "department_code": None, "items": [], "devices": []},
        {"name": "潮汐窗口", "kind": "tidal", "items": ["YB-1"], "valid_from": "2026-11-01",
         "valid_to": "2026-12-31"},
    ]}  # fmt: skip
    with write_engine(hub.engine).begin() as conn:
        assert windows.import_site(conn, SITE_A, exported, "test") == (2, 1)
        with pytest.raises(AdminError, match=f"不是 {SITE_B} 的"):
            windows.import_site(conn, SITE_B, exported, "test")
        with pytest.raises(AdminError, match="format 应为 clerk-desk-windows"):
            windows.import_site(conn, SITE_A, {"windows": "x"}, "test")
    with hub.engine.connect() as conn:
        listed = {w["name"]: w for w in windows.list_windows(conn, SITE_A)}
    assert listed["旧窗口"]["ended_at"] is not None and listed["潮汐窗口"]["valid_to"] == "2026-12-31"
    assert listed["综合窗口（一）"]["ended_at"] is None


def test_the_window_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from county_hub.cli import main

    def run(*args: str) -> tuple[int, str]:
        code = main([*args, "--data-dir", str(tmp_path)])
        out = capsys.readouterr()
        return code, out.out + out.err

    assert run("site", "add", SITE_A, "通羊镇")[0] == 0
    assert run("window", "add", "公安窗口", "--site", SITE_A, "--kind", "police", "--devices", "0003")[0] == 0
    code, out = run("window", "add", "专窗", "--site", SITE_A, "--kind", "department")
    assert code == 2 and "--department" in out
    exported = {"format": "clerk-desk-windows", "site_code": SITE_A, "windows": [
        {"name": "综合窗口（一）", "kind": "comprehensive"}]}  # fmt: skip
    (tmp_path / "windows.json").write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    code, out = run("window", "import", str(tmp_path / "windows.json"), "--site", SITE_A)
    assert code == 0 and "已登记 1 个窗口，停用 1 个" in out
    code, out = run("window", "list", "--site", SITE_A)
    listed = {w["name"]: w for w in json.loads(out)}
    assert listed["公安窗口"]["devices"] == ["0003"] and listed["公安窗口"]["ended_at"] is not None
    assert run("window", "end", "公安窗口", "--site", SITE_A)[0] == 2  # already out of use


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("综合窗口", "bank"), "窗口类型须为以下之一"),
        (("专窗", "department"), "部门专窗须用 --department"),
        (("潮汐", "tidal"), "潮汐窗口须用 --items"),
        (("", "comprehensive"), "1-64 个可显示的字符"),
    ],
)
def test_bad_windows_are_refused_with_a_reason(hub: Hub, args: tuple[str, str], message: str) -> None:
    hub.device()
    with pytest.raises(AdminError, match=message), write_engine(hub.engine).begin() as conn:
        windows.put(conn, SITE_A, *args)


def test_the_admin_desks_windows_reach_the_hub_through_export_and_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from county_hub.cli import main
    from tests.cli.test_it_commands import cd

    desk, hub_dir = tmp_path / "desk", tmp_path / "hub"
    assert cd(desk, "site", "set", "--code", SITE_A, "--name", "通羊镇便民服务中心", "--device", "01").returncode == 0
    assert cd(desk, "window", "add", "综合窗口（一）", "--kind", "comprehensive").returncode == 0
    assert cd(desk, "window", "add", "公安窗口", "--kind", "police", "--department", "ga").returncode == 0
    wrong = cd(desk, "window", "export", str(tmp_path / "w.json"), "--devices", "户籍窗口=03")
    assert wrong.returncode == 2 and "窗口须已添加" in wrong.stderr
    done = cd(desk, "window", "export", str(tmp_path / "w.json"), "--devices", "公安窗口=03")
    assert done.returncode == 0 and f"county-hub window import {tmp_path / 'w.json'} --site {SITE_A}" in done.stdout
    assert main(["site", "add", SITE_A, "通羊镇", "--data-dir", str(hub_dir)]) == 0
    assert main(["window", "import", str(tmp_path / "w.json"), "--site", SITE_A, "--data-dir", str(hub_dir)]) == 0
    capsys.readouterr()
    assert main(["window", "list", "--data-dir", str(hub_dir)]) == 0
    listed = {w["name"]: w for w in json.loads(capsys.readouterr().out)}
    assert listed["公安窗口"]["kind"] == "police" and listed["公安窗口"]["devices"] == ["03"]
    assert listed["综合窗口（一）"]["devices"] == []
