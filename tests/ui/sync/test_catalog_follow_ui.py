"""What a clerk sees of the county's catalog and calendar arriving by themselves: the open catalog page
and intake list the new version, the status bar's tooltip and 关于 say which versions are in use and when
they arrived; the home page warns the supervisor and the admin that next year's calendar is missing.
A real desk (clerk_desk.app.launch) with its real sync engine against a real county hub on 127.0.0.1."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from clerk_desk.services import calendar_service
from clerk_desk.services import catalog_service as cs
from clerk_desk.ui import catalog_updates
from clerk_desk.ui.calendar_warning import CalendarWarning
from clerk_desk.ui.catalog.browser import CatalogBrowser
from clerk_desk.ui.intake.item_step import ItemStep
from county_hub import publications
from county_hub.db import write_engine
from tests.support.catalogs import calendar_2027
from tests.sync.test_follow import NEW_ITEM, county_catalog
from tests.ui.sync.conftest import Hub, enrolled_demo_folder, sign_in_clerk, status_widget


def _publish(hub: Hub, kind: str, doc: dict) -> None:  # type: ignore[type-arg]
    with write_engine(hub.admin.engine).begin() as conn:
        publications.publish(conn, kind, json.dumps(doc, ensure_ascii=False).encode(), "it")


def test_the_open_catalog_page_and_intake_follow_a_publication(hub: Hub, start, qtbot, tmp_path: Path,
                                                               notes) -> None:  # type: ignore[no-untyped-def]
    folder = enrolled_demo_folder(tmp_path / "desk", hub.url, hub.code())
    s = start(data_dir=folder)
    sign_in_clerk(s)
    window = s.controller.main_window
    assert window is not None and window.show_page("catalog")
    page = window.pages.get("catalog")
    browser = page if isinstance(page, CatalogBrowser) else page.findChild(CatalogBrowser)
    assert isinstance(browser, CatalogBrowser)
    qtbot.waitUntil(lambda: "2026.2" in browser.version.text(), timeout=10_000)  # the demo catalog
    window.show_page("intake")
    step = window.pages.get("intake").findChild(ItemStep)
    assert isinstance(step, ItemStep)
    step.search.setText("跟随测试新事项")
    widget = status_widget(s)
    qtbot.waitUntil(lambda: widget.versions is not None, timeout=10_000)
    assert "事项目录 2026.2（演示目录）" in widget.toolTip()

    _publish(hub, "catalog", county_catalog("2027.1", extra="跟随测试新事项"))
    _publish(hub, "calendar", calendar_2027())
    s.controller.sync.sync_now()
    qtbot.waitUntil(lambda: "2027.1" in browser.version.text(), timeout=20_000)
    # the intake's search shows the new item without anyone touching it
    qtbot.waitUntil(lambda: step.results.count() > 0 and "跟随测试新事项" in step.results.item(0).text(),
                    timeout=10_000)
    browser.search.setText("跟随测试新事项")
    assert browser.results.item(0).text().startswith("跟随测试新事项")
    # the catalog and the calendar are followed one after the other, and the item says each as it lands
    qtbot.waitUntil(lambda: "事项目录 2027.1（来自县级平台）" in widget.toolTip()
                    and "节假日安排 2027-1（来自县级平台）" in widget.toolTip(), timeout=10_000)  # fmt: skip
    tip = widget.toolTip()
    assert "到达本机" in tip and "2027" in tip
    assert cs.get_item(s.launch.db, NEW_ITEM).catalog_version == "2027.1"

    window.about()
    qtbot.waitUntil(lambda: bool(notes.messages), timeout=5_000)
    about = notes.messages[-1][1]
    assert "事项目录 2027.1（来自县级平台）" in about and "节假日安排 2027-1" in about


def test_the_home_page_warns_the_supervisor_of_a_missing_calendar(tmp_path: Path, qtbot, runner) -> None:  # type: ignore[no-untyped-def]
    from clerk_desk.services import demo
    from clerk_desk.services.sign_in import UserInfo
    from clerk_desk.services.workplace import SiteInfo
    from clerk_desk.store.database import Database
    from clerk_desk.ui.session import DeskSession

    db = Database(tmp_path / "d")
    demo.ensure_demo_site(db)

    def session(*roles: str) -> DeskSession:
        user = UserInfo("u", "u", "王芳", roles, True, None, False, (), "local")
        return DeskSession(user, SiteInfo("421224100", "通羊镇", "01", "clerk", False), None, "clerk")

    dec_31 = date(2026, 12, 31)
    warning = CalendarWarning(db, runner, session("supervisor"), today=lambda: dec_31)
    qtbot.addWidget(warning)
    assert not warning.isHidden() and warning.missing == (2027,)
    assert "本机缺少 2027 年的节假日安排" in warning.text.text() and "按双休日推算" in warning.text.text()
    clerk = CalendarWarning(db, runner, session("clerk"), today=lambda: dec_31)
    qtbot.addWidget(clerk)
    assert clerk.isHidden()  # a clerk is not the one to act on it
    assert CalendarWarning(db, runner, session("admin"), today=lambda: date(2026, 11, 30)).isHidden()
    from clerk_desk.ui.home_page import HomePage

    home = HomePage(db, runner, session("supervisor"), today=dec_31)  # the home page includes it
    qtbot.addWidget(home)
    assert not home.calendar_warning.isHidden() and home.calendar_warning.missing == (2027,)
    calendar_service.save_calendar(db.data_dir, json.dumps(calendar_2027(), ensure_ascii=False).encode())
    warning.today = lambda: date(2027, 1, 4)
    with qtbot.waitSignal(catalog_updates.updates().changed):
        catalog_updates.updates().notify([catalog_updates.CALENDAR])
    qtbot.waitUntil(lambda: warning.isHidden())
