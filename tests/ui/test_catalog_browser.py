"""The catalog browser: type, see the top hit, open the item page, print a public list to PDF.

Set CLERK_DESK_SCREENSHOTS=1 to refresh docs/screenshots/catalog-*.png from these tests.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from clerk_desk.services import catalog_service as cs
from clerk_desk.store.database import Database
from clerk_desk.ui.catalog.browser import ROLE_CODE, CatalogBrowser

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = Database(tmp_path_factory.mktemp("catalog-ui") / "data")
    cs.ensure_demo_catalog(db)
    yield db
    db.close()


@pytest.fixture
def browser(qtbot, demo_db: Database, runner, notes) -> CatalogBrowser:  # type: ignore[no-untyped-def]
    b = CatalogBrowser(demo_db, runner)
    b.site_name = "通山县通羊镇便民服务中心（演示）"
    qtbot.addWidget(b)
    b.resize(1280, 760)
    b.show()
    qtbot.waitExposed(b)
    return b


def type_text(qtbot, line, text: str) -> None:  # type: ignore[no-untyped-def]
    """Latin letters as key clicks; Chinese arrives as an input-method commit (QTest types ASCII only)."""
    if text.isascii():
        qtbot.keyClicks(line, text)
    else:
        line.insert(text)


def names(b: CatalogBrowser) -> list[str]:
    return [b.results.item(i).text() for i in range(b.results.count())]


def shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    if os.environ.get("CLERK_DESK_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        assert widget.grab().save(str(SHOTS / name))


def test_search_box_has_focus_and_filters_exist(qtbot, browser: CatalogBrowser) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: browser.search.hasFocus())
    for name in (
        "catalogSearch",
        "catalogResults",
        "catalogDeptFilter",
        "catalogListFilter",
        "catalogItemPage",
        "catalogPrintList",
        "catalogShowRetired",
    ):
        assert browser.findChild(object, name) is not None, name
    assert browser.dept.count() == 16  # all + the 15 departments of the plan, even empty ones
    assert browser.lists.count() == 5  # all + the four public lists


def test_typing_updates_results_and_enter_opens_the_top_hit(qtbot, browser: CatalogBrowser) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(browser.search, "sbk")
    assert names(browser)[0].startswith("社会保障卡制作发放及管理")
    browser.search.clear()
    type_text(qtbot, browser.search, "养老")
    assert names(browser)[0].startswith("城乡居民") and "养老保险" in names(browser)[0]
    with qtbot.waitSignal(browser.itemOpened) as opened:
        qtbot.keyClick(browser.search, Qt.Key.Key_Return)
    assert opened.args[0] == browser.results.item(0).data(ROLE_CODE)
    assert "养老保险" in browser.page.title.text()
    assert "申请材料" in browser.page.view.toPlainText()
    shot(browser, "catalog-browser.png")


def test_arrow_keys_move_the_selection(qtbot, browser: CatalogBrowser) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(browser.search, "cxjm")
    assert browser.results.currentRow() == 0
    qtbot.keyClick(browser.search, Qt.Key.Key_Down)
    qtbot.keyClick(browser.search, Qt.Key.Key_Down)
    assert browser.results.currentRow() == 2
    qtbot.keyClick(browser.search, Qt.Key.Key_Up)
    assert browser.results.currentRow() == 1
    qtbot.keyClick(browser.search, Qt.Key.Key_Enter)
    assert browser.page.current_code == browser.results.item(1).data(ROLE_CODE)


def test_item_page_shows_unknowns_as_to_be_confirmed(qtbot, browser: CatalogBrowser) -> None:  # type: ignore[no-untyped-def]
    browser.open_item("000524021000")  # 义务兵家庭优待金: no kind, no days in any source
    text = browser.page.view.toPlainText()
    assert "待确认" in text and "入伍通知书" in text
    assert "个工作日" not in text.split("承诺时限")[1].splitlines()[0]
    browser.open_item("LOCAL-MZ-8f70edee")  # 特困人员认定(协办): promised 15 days
    assert "15 个工作日" in browser.page.view.toPlainText()
    shot(browser.page, "catalog-item.png")


def test_item_page_shows_situations_conditions_copies_and_a_foreign_source(qtbot, browser: CatalogBrowser) -> None:  # type: ignore[no-untyped-def]
    browser.open_item("LOCAL-LY-02acbf41")  # 林木采伐许可证办理(申请): a guide from 安徽
    text = browser.page.view.toPlainText()
    assert "外省（安徽）" in text and "须经本县承办部门核实" in text
    assert "是否委托他人代为申请？" in text and "本人申请 (默认)" in text
    assert "仅当：委托他人（监护人、代理人）代为申请" in text
    browser.open_item("LOCAL-MZ-e2a74459")  # 高龄老人津贴申请: 户口本, the original and two photocopies
    assert "原件1份、复印件2份" in browser.page.view.toPlainText()
    browser.open_item("002014006009")  # 养老保险注销: two questions, a material under both answers
    assert "注销原因：参保人员死亡；（参保人员死亡时）丧葬补助金等能否通过死者社会保障卡领取：不能" in (
        browser.page.view.toPlainText()
    )


def test_filters_narrow_results(qtbot, browser: CatalogBrowser) -> None:  # type: ignore[no-untyped-def]
    browser.dept.setCurrentIndex(browser.dept.findData("cl"))
    assert names(browser) and all("残联" in n for n in names(browser))
    browser.dept.setCurrentIndex(0)
    browser.lists.setCurrentIndex(browser.lists.findData("hb-gp-1"))
    assert 0 < len(names(browser)) < len(cs.list_items(browser.db))


def test_theme_bundle_opens_with_merged_checklist(qtbot, browser: CatalogBrowser) -> None:  # type: ignore[no-untyped-def]
    type_text(qtbot, browser.search, "救助")
    assert names(browser)[0].startswith("【一件事】")
    with qtbot.waitSignal(browser.themeOpened):
        qtbot.keyClick(browser.search, Qt.Key.Key_Return)
    assert "合并材料清单" in browser.page.view.toPlainText()


def test_retired_items_are_marked(qtbot, tmp_path: Path, runner, notes) -> None:  # type: ignore[no-untyped-def]
    import json

    db = Database(tmp_path / "data")
    try:
        cs.ensure_demo_catalog(db)
        doc = json.loads(cs.demo_catalog_path().read_text(encoding="utf-8"))
        doc["catalog_version"] = "2098.2"
        doc["items"] = [i for i in doc["items"] if i["code"] != "000524021000"]
        newer = tmp_path / "newer.json"
        newer.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        cs.import_file(db, newer)
        b = CatalogBrowser(db, runner)
        qtbot.addWidget(b)
        type_text(qtbot, b.search, "义务兵家庭优待金")
        assert not any(n.startswith("义务兵家庭优待金") for n in names(b))
        b.retired_box.setChecked(True)
        assert any(n.startswith("义务兵家庭优待金") and "已停用" in n for n in names(b))
        b.open_item("000524021000")
        assert b.page.retired.isVisibleTo(b) and "已停用" in b.page.retired.text()
    finally:
        db.close()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_public_list_exports_to_a4_pdf_with_real_chinese_text(
    qtbot, browser: CatalogBrowser, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "list.pdf"
    browser.ask_pdf_path = lambda code: str(target)
    action = browser.print_menu.findChild(object, "catalogPrintListPdf_xz-bmfw")
    assert action is not None
    with qtbot.waitSignal(browser.listExported):
        action.trigger()
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "通山县乡镇便民服务事项清单" in text
    for name in ("社会保障卡制作发放及管理", "最低生活保障申请", "临时居民身份证申领、换领、补领"):
        assert name in text
    assert "待确认" in text and "演示数据" in text
    assert "取自外省办事指南" in text.replace("\n", "").replace(" ", "")  # the demo's guides are not Hubei's
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True, check=True).stdout
    assert "595 x 842" in info  # A4 in points
    for code, _ in [(c.code, c.name) for c in cs.lists(browser.db)]:
        browser.export_list(code, str(tmp_path / f"{code}.pdf"))
        assert (tmp_path / f"{code}.pdf").stat().st_size > 0
    if os.environ.get("CLERK_DESK_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "90",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(target),
                str(SHOTS / "catalog-list"),
            ],
            check=True,
        )


def test_print_goes_through_the_preview(qtbot, browser: CatalogBrowser, tmp_path: Path, notes) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    seen: list[QPrinter] = []

    def preview(p: QPrinter, paint) -> bool:  # type: ignore[no-untyped-def]
        seen.append(p)
        paint(p)
        return True

    browser.printer, browser.preview_factory = printer, preview
    browser.print_menu.findChild(object, "catalogPrintListPrint_hb-gp-1").trigger()
    assert len(seen) == 1, notes.texts()
    assert not notes.texts(), notes.texts()
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "printed.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "湖北省高频服务事项下沉清单" in text and "社会保障卡制作发放及管理" in text


def test_the_detail_pane_follows_the_highlighted_row(qtbot, browser: CatalogBrowser) -> None:  # type: ignore[no-untyped-def]
    """A new search highlights its first hit, and the detail pane shows that hit, not the item before."""
    qtbot.keyClicks(browser.search, "sbk")
    first = browser.results.item(0).data(ROLE_CODE)
    qtbot.waitUntil(lambda: browser.page.current_code == first)
    browser.search.clear()
    type_text(qtbot, browser.search, "养老")
    assert browser.results.currentRow() == 0
    top = browser.results.item(0).data(ROLE_CODE)
    assert top != first
    qtbot.waitUntil(lambda: browser.page.current_code == top)
    assert "养老保险" in browser.page.title.text()
    qtbot.keyClick(browser.search, Qt.Key.Key_Down)  # moving the highlight moves the pane
    qtbot.waitUntil(lambda: browser.page.current_code == browser.results.item(1).data(ROLE_CODE))
    browser.search.setText("zzzzqqq")  # nothing found: no stale item is left in the pane
    qtbot.waitUntil(lambda: browser.page.current_code is None)


def test_the_suggested_pdf_name_stays_in_the_home_folder(qtbot, tmp_path: Path, runner, notes,
                                                        monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A list's name is the catalog's text: as the suggested file name it made a path of its own
    ("../../清单/乡镇:一" pointed out of the home folder, into folders that do not exist)."""
    import json

    from PySide6.QtWidgets import QFileDialog

    doc = json.loads(cs.demo_catalog_path().read_text(encoding="utf-8"))
    doc["lists"][0]["name"] = '../../清单/乡镇:一*"表"'
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    db = Database(tmp_path / "data")
    try:
        cs.import_file(db, path)
        b = CatalogBrowser(db, runner)
        qtbot.addWidget(b)
        asked: list[str] = []
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (asked.append(a[2]), ("", ""))[1])
        assert b.ask_pdf_path(doc["lists"][0]["code"]) is None
        assert Path(asked[0]).parent == Path.home() and Path(asked[0]).name == "_.._清单_乡镇_一_表_.pdf"
    finally:
        db.close()


def test_a_browser_left_at_once_takes_no_focus_from_the_page_on_screen(qtbot, demo_db: Database, runner,  # type: ignore[no-untyped-def]
                                                                       notes) -> None:
    """The search box takes the focus a moment after the page is shown, and only if it still is: a page left
    within that moment put the focus in its hidden search box, where what was typed on the page on screen went."""
    from PySide6.QtWidgets import QApplication, QLineEdit, QStackedWidget

    stack = QStackedWidget()
    qtbot.addWidget(stack)
    other = QLineEdit(stack)
    browser = CatalogBrowser(demo_db, runner)
    stack.addWidget(other)
    stack.addWidget(browser)
    stack.show()
    qtbot.waitExposed(stack)
    stack.activateWindow()
    qtbot.waitUntil(stack.isActiveWindow)
    stack.setCurrentWidget(browser)  # shown …
    stack.setCurrentWidget(other)  # … and left within the moment
    other.setFocus()
    qtbot.wait(50)
    assert QApplication.focusWidget() is other
    stack.setCurrentWidget(browser)  # shown and kept: the search box has the focus
    qtbot.waitUntil(lambda: QApplication.focusWidget() is browser.search)
