"""At a 综合窗口 the intake search lists a 公安 item greyed, and taking it says which window takes it
(domain/routing.py); the catalog browser of a window greys it too."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from clerk_desk.services import demo, site_setup
from clerk_desk.store.database import Database
from clerk_desk.ui.catalog.browser import ROLE_CODE, CatalogBrowser
from clerk_desk.ui.catalog.browser import ROLE_REFUSED as BROWSER_REFUSED
from clerk_desk.ui.intake.item_step import GREY, ROLE_REFUSED
from tests.ui.intake.driver import Clerk, Flow

POLICE_ITEM = "LOCAL-GA-dcc76c59"  # 临时居民身份证申领、换领、补领 (公安)


def test_a_police_item_is_greyed_at_a_comprehensive_window_and_refused_with_the_window(clerk: Clerk) -> None:
    assert clerk.page.clerk.window_name == "综合窗口（一）"
    clerk.type("intakeSearch", "临时居民身份证")
    results = clerk.page.item.results
    row = next(
        results.item(i)
        for i in range(results.count())
        if results.item(i).data(Qt.ItemDataRole.UserRole + 1) == POLICE_ITEM
    )
    assert "请到“公安窗口”办理" in row.data(ROLE_REFUSED) and row.foreground().color().name() == GREY
    assert row.text().endswith("[本窗口不受理]")
    results.setCurrentItem(row)
    clerk.key(Qt.Key.Key_Return, to="intakeSearch")
    assert clerk.page.step == "item"  # not taken
    error = clerk.w("intakeItemError")
    assert error.isVisible() and "请到“公安窗口”办理" in error.text()  # type: ignore[attr-defined]


def test_an_item_the_window_takes_is_not_greyed(clerk: Clerk) -> None:
    Flow(clerk).pick("ncdb")  # 农村低保初审及转报 (民政) at the 综合窗口
    assert clerk.page.step == "applicant"


def test_the_catalog_browser_greys_by_window(qtbot, tmp_path: Path, runner, notes) -> None:  # type: ignore[no-untyped-def]
    db = Database(tmp_path / "data")
    demo.ensure_demo_site(db)
    police = next(w for w in site_setup.list_windows(db) if w.kind == "police")
    comprehensive = site_setup.list_windows(db)[0]
    b = CatalogBrowser(db, runner)
    qtbot.addWidget(b)

    def refused() -> dict[str, str]:
        return {
            b.results.item(i).data(ROLE_CODE): b.results.item(i).data(BROWSER_REFUSED)
            for i in range(b.results.count())
            if b.results.item(i).data(BROWSER_REFUSED)
        }

    assert refused() == {}  # no window followed (the approver's browser): nothing greyed
    b.follow_window(comprehensive.id)
    assert set(refused()) == {POLICE_ITEM, "LOCAL-ZRZY-c2bca2f6"}  # 公安, and what the 自然资源专窗 keeps
    b.follow_window(police.id)
    assert POLICE_ITEM not in refused() and len(refused()) == b.results.count() - 1
    why = refused()
    assert "请到“自然资源专窗”办理" in why.pop("LOCAL-ZRZY-c2bca2f6")
    assert all("请到“综合窗口（一）”办理" in text for text in why.values())
    db.close()
