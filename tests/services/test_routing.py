"""Routing at every window kind, in the intake service (domain/routing.py, docs/hall-operations.md)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from clerk_desk.domain.errors import InputError
from clerk_desk.domain.org import WindowKind
from clerk_desk.domain.routing import Item, WindowRoute, keepings, refusal, taker, why_not
from clerk_desk.services import accounts, site_setup
from clerk_desk.services.intake import Clerk, IntakeService
from clerk_desk.services.intake_forms import Delivery, IntakeForm, ItemRef, MaterialCheck, Party
from clerk_desk.store.database import Database
from clerk_desk.store.models import CaseEvent

ID = "11010519491231002X"
PENSION = ItemRef("RS-1", "城乡居民养老保险注销登记", "rs", "promise", promised_days=3)
SOCIAL_CARD = ItemRef("RS-2", "社会保障卡制作发放", "rs", "promise", promised_days=10)
MEDICAL = ItemRef("YB-1", "城乡居民参保登记(医保)", "yb", "promise", promised_days=2)
POLICE = ItemRef("GA-1", "临时居民身份证申领", "ga", "promise", promised_days=1)
FOREST = ItemRef("LY-1", "林木采伐许可证办理", "ly", "promise", promised_days=5)
TIDE_FROM, TIDE_TO = date(2026, 11, 1), date(2026, 12, 31)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    """``hour:minute`` on ``day`` in the hall (UTC+8)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC).replace(tzinfo=UTC) - (
        datetime(2000, 1, 1, 8, tzinfo=UTC) - datetime(2000, 1, 1, tzinfo=UTC)
    )


@pytest.fixture
def hall(tmp_path: Path) -> tuple[IntakeService, dict[str, Clerk]]:
    db = Database(tmp_path)
    site_setup.set_site(db, site_code="421224100", site_name="通羊镇便民服务中心", device_code="01")
    site_setup.add_window(db, name="综合窗口（一）", kind="comprehensive")
    site_setup.add_window(db, name="公安窗口", kind="police")
    site_setup.add_window(db, name="人社专窗", kind="department", department_code="rs", items=["RS-2"])
    site_setup.add_window(db, name="林业专窗", kind="department", department_code="ly")
    site_setup.add_window(
        db,
        name="潮汐窗口（医保缴费季）",
        kind="tidal",
        valid_from=TIDE_FROM,
        valid_to=TIDE_TO,
        items=["YB-1"],
    )
    site_setup.add_window(db, name="咨询服务窗口", kind="consultation")
    accounts.add_user(
        db,
        username="clerk1",
        display_name="张小红",
        password="pw-123456",
        roles=["clerk"],
        actor="t",
        source="local",
    )
    u = next(u for u in accounts.list_users(db) if u.username == "clerk1")
    clerks = {
        w.name: Clerk(u.id, u.username, u.display_name, w.id, w.name) for w in site_setup.list_windows(db)
    }
    return IntakeService(db), clerks


def form(item: ItemRef) -> IntakeForm:
    return IntakeForm(
        (item,),
        Party("person", "张三", ID, phone="13812345678"),
        (MaterialCheck("居民身份证", provided=True, form="original", copies=1),),
    )


def accept(svc: IntakeService, clerk: Clerk, item: ItemRef, at: datetime) -> str:
    return svc.accept(form(item), clerk, delivery=Delivery("window"), now=at).cases[0].case_uuid


NOV = local(date(2026, 11, 24), 10)

# window -> (item, taken?, the window a refusal names)
CASES = [
    ("综合窗口（一）", PENSION, None),
    ("综合窗口（一）", MEDICAL, None),
    ("综合窗口（一）", POLICE, "公安窗口"),
    ("综合窗口（一）", SOCIAL_CARD, "人社专窗"),  # named for the 人社专窗: it keeps it
    ("综合窗口（一）", FOREST, "林业专窗"),  # 林业专窗 names none: it keeps all of 林业
    ("公安窗口", POLICE, None),
    ("公安窗口", PENSION, "综合窗口（一）"),
    ("人社专窗", PENSION, None),  # its department's items, kept or not
    ("人社专窗", SOCIAL_CARD, None),
    ("人社专窗", MEDICAL, "综合窗口（一）"),
    ("林业专窗", FOREST, None),
    ("林业专窗", POLICE, "公安窗口"),
    ("潮汐窗口（医保缴费季）", MEDICAL, None),
    ("潮汐窗口（医保缴费季）", PENSION, "综合窗口（一）"),
    ("咨询服务窗口", PENSION, "综合窗口（一）"),
    ("咨询服务窗口", POLICE, "公安窗口"),
]


@pytest.mark.parametrize(("window", "item", "sent_to"), CASES)
def test_each_window_kind_takes_what_the_plan_says(
    hall, window: str, item: ItemRef, sent_to: str | None
) -> None:
    svc, clerks = hall
    if sent_to is None:
        uid = accept(svc, clerks[window], item, NOV)
        with svc.db.reading() as s:
            ev = s.scalars(select(CaseEvent).where(CaseEvent.case_uuid == uid)).one()
        assert ev.payload["window"]["name"] == window  # the hub judges the same facts again
        return
    with pytest.raises(InputError) as err:
        accept(svc, clerks[window], item, NOV)
    assert f"“{item.name}”不能在{window}受理" in err.value.message_zh
    assert f"请到“{sent_to}”办理" in err.value.message_zh
    with svc.db.reading() as s:
        assert s.scalars(select(CaseEvent)).first() is None  # nothing saved


@pytest.mark.parametrize(
    ("at", "taken"),
    [
        (local(date(2026, 10, 31), 23, 59), False),  # the evening before it opens
        (local(date(2026, 11, 1), 0, 0), True),  # its first day, at midnight in the hall
        (local(date(2026, 12, 31), 23, 59), True),  # its last day, late
        (local(date(2027, 1, 1), 0, 0), False),  # the day after
    ],
)
def test_tidal_window_only_inside_its_dates(hall, at: datetime, taken: bool) -> None:
    svc, clerks = hall
    tidal = clerks["潮汐窗口（医保缴费季）"]
    if taken:
        assert accept(svc, tidal, MEDICAL, at)
    else:
        with pytest.raises(InputError, match="开放日期为 2026-11-01 至 2026-12-31") as err:
            accept(svc, tidal, MEDICAL, at)
        assert "请到“综合窗口（一）”办理" in err.value.message_zh


def test_every_outcome_is_routed_and_a_bundle_names_each_item_refused(hall) -> None:
    svc, clerks = hall
    desk = clerks["综合窗口（一）"]
    with pytest.raises(InputError, match="请到“公安窗口”办理"):
        svc.refuse(form(POLICE), desk, reason="不符合条件", now=NOV)
    with pytest.raises(InputError, match="请到“公安窗口”办理"):
        svc.complete_on_spot(form(replace(POLICE, handling_kind="immediate")), desk, result="已办", now=NOV)
    both = IntakeForm((PENSION, POLICE, FOREST), form(PENSION).applicant, form(PENSION).checklist)
    with pytest.raises(InputError) as err:
        svc.notify_supplement(both, desk, now=NOV)
    assert "公安窗口" in err.value.message_zh and "林业专窗" in err.value.message_zh
    assert PENSION.name not in err.value.message_zh


def test_a_stopped_department_window_keeps_nothing(hall) -> None:
    svc, clerks = hall
    forest = next(w for w in site_setup.list_windows(svc.db) if w.name == "林业专窗")
    site_setup.set_window_active(svc.db, forest.id, False)
    assert accept(svc, clerks["综合窗口（一）"], FOREST, NOV)


def test_no_window_for_the_item_says_so() -> None:
    only = [WindowRoute("综合窗口（一）", WindowKind.COMPREHENSIVE)]
    text = refusal(only[0], Item("GA-1", "临时居民身份证申领", "ga"), NOV.date(), only)
    assert text is not None and "本中心今天没有可受理该事项的窗口" in text
    assert taker(Item("RS-1", "x", "rs"), NOV.date(), only) == only[0]
    assert why_not(only[0], Item("RS-1", "x", "rs"), NOV.date(), keepings(only)) is None
