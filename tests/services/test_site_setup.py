"""Site, windows and the demo site on a real SQLite file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from clerk_desk.domain.errors import InputError, NotFound
from clerk_desk.services import accounts, demo, site_setup
from clerk_desk.store.database import Database


def test_windows_need_a_site_first(tmp_path: Path) -> None:
    db = Database(tmp_path)
    with pytest.raises(NotFound, match="请先设置本中心"):
        site_setup.add_window(db, name="综合窗口（一）", kind="comprehensive")


def test_site_and_window_kinds(tmp_path: Path) -> None:
    db = Database(tmp_path)
    info = site_setup.set_site(db, site_code="421224101", site_name="南林桥镇便民服务中心", device_code="02")
    assert (info.site_code, info.device_code, info.mode, info.demo) == ("421224101", "02", "clerk", False)
    assert len(site_setup.departments(db)) == 15
    site_setup.add_window(db, name="综合窗口（一）", kind="comprehensive")
    site_setup.add_window(db, name="医保专窗", kind="department", department_code="yb")
    tidal = site_setup.add_window(
        db, name="潮汐窗口（医保缴费季）", kind="tidal", valid_from=date(2026, 11, 1), valid_to=date(2026, 12, 31),
        items=["YB-001"],
    )
    assert tidal.open_on(date(2026, 11, 26)) and not tidal.open_on(date(2027, 1, 1))
    names = [w.name for w in site_setup.list_windows(db)]
    assert names == ["综合窗口（一）", "医保专窗", "潮汐窗口（医保缴费季）"]
    site_setup.set_window_active(db, tidal.id, False)
    assert len(site_setup.list_windows(db)) == 2
    assert len(site_setup.list_windows(db, include_inactive=True)) == 3


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "department"}, "需要指定部门"),
        ({"kind": "tidal"}, "起止日期"),
        ({"kind": "tidal", "valid_from": date(2026, 1, 1), "valid_to": date(2026, 2, 1)}, "指定它受理的事项"),
        ({"kind": "comprehensive", "items": ["RS-001"]}, "只有潮汐窗口和部门专窗"),
        ({"kind": "nonsense"}, "窗口类型无效"),
        ({"kind": "department", "department_code": "zz"}, "没有编码为 zz 的部门"),
        ({"name": "  "}, "请填写窗口名称"),
    ],
)
def test_bad_window_input(tmp_path: Path, kwargs: dict, message: str) -> None:
    db = Database(tmp_path)
    site_setup.set_site(db, site_code="421224101", site_name="南林桥镇", device_code="02")
    with pytest.raises(InputError, match=message):
        site_setup.add_window(db, **{"name": "某窗口", "kind": "comprehensive", **kwargs})
    assert site_setup.list_windows(db, include_inactive=True) == []


@pytest.mark.parametrize(
    ("code", "device", "message"),
    [("42-12", "01", "中心编码"), ("421224101", "1", "本机编号"), ("421224101", "ABCDE", "本机编号")],
)
def test_bad_site_input(tmp_path: Path, code: str, device: str, message: str) -> None:
    db = Database(tmp_path)
    with pytest.raises(InputError, match=message):
        site_setup.set_site(db, site_code=code, site_name="某中心", device_code=device)
    assert site_setup.site_info(db).site_code is None


def test_demo_site_has_the_plans_windows_and_working_accounts(tmp_path: Path) -> None:
    db = Database(tmp_path)
    made = demo.ensure_demo_site(db)
    assert site_setup.site_info(db).demo
    assert [w.name for w in site_setup.list_windows(db)] == [
        "综合窗口（一）",
        "综合窗口（二）",
        "综合窗口（三）",
        "公安窗口",
        "咨询服务窗口",
        "自然资源专窗",
        "潮汐窗口（医保缴费季）",
    ]
    for acct in made:
        assert accounts.authenticate(db, acct.username, acct.password).display_name == acct.display_name
    assert demo.ensure_demo_site(db) == made  # second start shows the same accounts
