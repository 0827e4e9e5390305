"""The desk's county view against a real hub: a county supervisor device reads the figures and the 督办 list
of the townships; a township's device is told plainly that it is not one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from pytestqt.qtbot import QtBot

from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services import demo
from clerk_desk.store.database import Database
from clerk_desk.sync import county_figures, enrolment
from clerk_desk.ui.county.county_page import CountyPage
from clerk_desk.ui.task_runner import SyncTaskRunner
from tests.support.hub_server import API, HubAdmin, enrol, wire_event
from tests.sync.conftest import SITE

COUNTY = "421224000"


def _push_two_cases(url: str, admin: HubAdmin) -> None:
    """One case accepted 40 minutes ago and never transferred (late), one refused today."""
    admin.grant("clerk1", "clerk", SITE)
    device, code = admin.device(SITE, "clerk")
    token = enrol(url, code, "clerk")["token"]
    at = datetime.now(UTC) - timedelta(minutes=40)
    events = [
        wire_event("7d3c1a0e-0000-4000-8000-000000000001", 0, "accepted", site_code=SITE, department_code="rs",
                   device_code=device, device_seq=1, occurred_at=at.isoformat(),
                   payload={"case_number": "TY-2026-0001", "item_code": "002014006009", "channel": "window"}),
        wire_event("7d3c1a0e-0000-4000-8000-000000000002", 0, "refused", site_code=SITE, department_code="rs",
                   device_code=device, device_seq=2, occurred_at=at.isoformat(),
                   payload={"case_number": "TY-2026-0002", "item_code": "rs-001", "channel": "online"}),
    ]  # fmt: skip
    r = httpx.post(
        f"{url}{API}/events", json={"events": events}, headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code == 200 and {x["status"] for x in r.json()["results"]} == {"stored"}, r.text


def _desk(folder: Path, url: str, admin: HubAdmin, site: str, kind: str) -> Database:
    db = Database(folder)
    demo.ensure_demo_site(db)
    _device, code = admin.device(site, kind)
    enrolment.enrol(db, url, code)
    return db


def _today() -> date:
    return datetime.now(UTC).astimezone(SHANGHAI).date()


def test_the_county_device_reads_the_figures_and_the_overdue_list(
    hub: tuple[str, HubAdmin], tmp_path: Path, qtbot: QtBot
) -> None:
    url, admin = hub
    _push_two_cases(url, admin)
    admin.site(COUNTY, "县政务服务中心")
    db = _desk(tmp_path / "county", url, admin, COUNTY, "county")
    figures, overdue = county_figures.load(db, _today() - timedelta(days=1), _today())
    [row] = figures.townships
    assert (row.site_code, row.department_code) == (SITE, "rs")
    assert (row.counts["intakes"], row.counts["accepted"], row.counts["refused"]) == (2, 1, 1)
    assert row.rates["refused_rate"] == 0.5 and row.rates["transfer_on_time_rate"] is None
    assert {(v.key, v.intakes) for v in figures.by_channel} == {("window", 1), ("online", 1)}
    [late] = [c for c in overdue.cases if c.stage == "transfer"]  # (a case refused yesterday: archiving)
    assert (late.case_number, late.stage, late.holder, late.late) == (
        "TY-2026-0001",
        "transfer",
        "clerk1",
        True,
    )
    assert 24 * 60 < late.late_seconds < 26 * 60  # 15 minutes allowed, 40 taken
    # The page shows the same, with the township column first.
    page = CountyPage(db, SyncTaskRunner(), today=_today)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded):
        page.show()
    assert page.volumes.rows == list(figures.townships)
    overdue_view = page.views["countyOverdue"].model()
    assert [overdue_view.headerData(c, page.views["countyOverdue"].horizontalHeader().orientation())
            for c in range(2)] == [page.tr("Township"), page.tr("Dept.")]  # fmt: skip
    # The township by the name the hub knows it by (tests/sync/conftest.py).
    assert figures.names == {SITE: "通羊镇便民服务中心"} and overdue.names == figures.names
    assert (
        overdue_view.index(0, 0).data() == "通羊镇便民服务中心"
        and overdue_view.index(0, 2).data() == "TY-2026-0001"
    )
    assert "1" in page.status.text()
    # the stages and levels in the words of the township's own 督办 page (services/supervision.py)
    late_row = next(r for r in range(overdue_view.rowCount()) if overdue_view.index(r, 2).data() == "TY-2026-0001")
    assert [overdue_view.index(late_row, c).data() for c in (4, 5)] == ["受理后未流转", "已超期"]
    # the department by the name the desk's catalog gives it: the hub speaks in codes
    assert overdue_view.index(late_row, 1).data() == "人社" and page.volumes.index(0, 1).data() == "人社"
    # and the item by its name there (the demo catalog's 002014006009); one it does not know keeps its code
    assert overdue_view.index(late_row, 3).data() == "城乡居民基本养老保险注销登记"
    assert sorted(page.by_item.index(r, 1).data() for r in range(page.by_item.rowCount())) == [
        "人社 / rs-001", "人社 / 城乡居民基本养老保险注销登记"]  # fmt: skip


def test_a_township_device_is_told_it_is_not_a_county_device(
    hub: tuple[str, HubAdmin], tmp_path: Path, qtbot: QtBot
) -> None:
    url, admin = hub
    db = _desk(tmp_path / "clerk", url, admin, SITE, "clerk")
    with pytest.raises(county_figures.CountyUnavailable, match="不是县级督查设备"):
        county_figures.load(db, _today(), _today())
    page = CountyPage(db, SyncTaskRunner(), today=_today)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded):
        page.show()
    assert "不是县级督查设备" in page.status.text() and page.volumes.rows == []


def test_a_desk_not_enrolled_is_told_so(tmp_path: Path) -> None:
    db = Database(tmp_path / "alone")
    demo.ensure_demo_site(db)
    with pytest.raises(county_figures.CountyUnavailable, match="尚未注册"):
        county_figures.load(db, _today(), _today())


def test_an_answer_of_the_wrong_shape_is_a_bad_answer() -> None:
    from clerk_desk.sync.hub_client import BadAnswer

    good = {"from": "2026-11-01", "to": "2026-11-30", "by_township": [], "by_day": [], "by_item": [],
            "by_channel": [], "township_names": {}}  # fmt: skip
    assert county_figures.parse_figures(good).townships == ()
    for bad in ({**good, "from": "yesterday"}, {**good, "by_day": [{"site_code": 1, "day": "x", "intakes": 1}]},
                {**good, "by_township": [{"site_code": "a"}]}, {**good, "township_names": {"a": 1}}, []):  # fmt: skip
        with pytest.raises(BadAnswer):
            county_figures.parse_figures(bad)
    with pytest.raises(BadAnswer):
        county_figures.parse_overdue(
            {"at": "2026-11-01T00:00:00Z", "total": True, "cases": [], "township_names": {}}
        )


LOCAL = "LOCAL-MZ-0a1b2c3d"  # an item of the township's own catalog: the county desk's has no such code
LOCAL_NAME = "<b>高龄津贴</b>（通羊镇）&amp;"  # names are text, shown as they came


def test_a_township_s_own_item_is_named_on_the_county_desk(
    hub: tuple[str, HubAdmin], tmp_path: Path, qtbot: QtBot
) -> None:
    """The township's desk accepts a case of an item of its own catalog and syncs; the county desk, whose
    catalog has no such code, shows the name the township's intake gave it."""
    from clerk_desk.services import catalog_service
    from clerk_desk.services.intake_forms import Delivery, ItemRef
    from clerk_desk.store.models import utcnow
    from clerk_desk.sync import outbox
    from tests.services.test_intake import form
    from tests.sync.conftest import make_desk

    url, admin = hub
    window = make_desk(tmp_path / "window", url, admin)
    own = ItemRef(LOCAL, LOCAL_NAME, "mz", "promise", promised_days=15, legal_days=20)
    window.intake.accept(form((own,)), window.clerk, delivery=Delivery("window"), now=utcnow() - timedelta(minutes=40))
    window.engine.run_once()
    assert outbox.counts(window.db).waiting == 0
    admin.site(COUNTY, "县政务服务中心")
    db = _desk(tmp_path / "county", url, admin, COUNTY, "county")
    assert catalog_service.item_names(db, {LOCAL}) == {}
    figures, overdue = county_figures.load(db, _today() - timedelta(days=1), _today())
    assert figures.item_names == {LOCAL: LOCAL_NAME} and overdue.item_names == {LOCAL: LOCAL_NAME}
    page = CountyPage(db, SyncTaskRunner(), today=_today)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded):
        page.show()
    assert [page.by_item.index(r, 1).data() for r in range(page.by_item.rowCount())] == [f"民政 / {LOCAL_NAME}"]
    overdue_view = page.views["countyOverdue"].model()
    assert [overdue_view.index(0, c).data() for c in (1, 3, 4)] == ["民政", LOCAL_NAME, "受理后未流转"]


def _answers(item_names: dict[str, str] | None) -> tuple[county_figures.CountyFigures, county_figures.CountyOverdue]:
    """An answer as a hub before item names (None) or after gives it."""
    named = {} if item_names is None else {"item_names": item_names}
    figures = {"from": "2026-11-01", "to": "2026-11-30", "by_township": [], "by_day": [], "by_channel": [],
               "township_names": {SITE: "通羊镇"}, **named,
               "by_item": [{"site_code": SITE, "department_code": "rs", "item_code": c, "intakes": 3}
                           for c in ("002014006009", LOCAL)]}  # fmt: skip
    case = {"site_code": SITE, "department_code": "mz", "case_number": "TY-1", "item_code": LOCAL, "stage": "sign",
            "level": "red", "holder": "", "deadline": "2026-11-30T01:00:00.000000Z", "late": True,
            "late_seconds": 600, "over_days": None}  # fmt: skip
    overdue = {"at": "2026-11-30T02:00:00.000000Z", "total": 1, "township_names": {}, "cases": [case], **named}
    return county_figures.parse_figures(figures), county_figures.parse_overdue(overdue)


def test_the_page_names_items_by_the_hub_then_its_catalog_then_the_code(tmp_path: Path, qtbot: QtBot) -> None:
    """A hub before names (no item_names): the desk's catalog, else the code, as before. A hub with names:
    its name first, even for an item the desk's catalog names otherwise."""
    from clerk_desk.sync.hub_client import BadAnswer

    db = Database(tmp_path / "county")
    demo.ensure_demo_site(db)
    shown = {}
    for case, names in (("older hub", None), ("newer hub", {LOCAL: LOCAL_NAME, "002014006009": "养老保险注销"})):
        page = CountyPage(db, SyncTaskRunner(), today=_today, loader=lambda *_a, names=names: _answers(names))
        qtbot.addWidget(page)
        with qtbot.waitSignal(page.loaded):
            page.show()
        shown[case] = ([page.by_item.index(r, 1).data() for r in range(page.by_item.rowCount())],
                       page.views["countyOverdue"].model().index(0, 3).data())  # fmt: skip
    assert shown == {
        "older hub": (["人社 / 城乡居民基本养老保险注销登记", f"人社 / {LOCAL}"], LOCAL),
        "newer hub": (["人社 / 养老保险注销", f"人社 / {LOCAL_NAME}"], LOCAL_NAME),
    }
    assert _answers(None)[0].item_names == {} and _answers(None)[1].item_names == {}
    for bad in ({"rs-1": 5}, ["rs-1"], {"rs-1": None}):
        with pytest.raises(BadAnswer, match="item_names"):
            county_figures.parse_figures({"from": "2026-11-01", "to": "2026-11-30", "by_township": [], "by_day": [],
                                          "by_item": [], "by_channel": [], "township_names": {}, "item_names": bad})  # fmt: skip
