"""Text is never markup: every page, dialog, tooltip, list and paper of a desk whose every text field holds
hostile markup (hostile_desk.py) shows the text literally and loads nothing (canary.py).

Each test walks a group of surfaces with :class:`~tests.ui.hostile.inspect.Report` and asserts at the end,
so one run gives the full picture; the figures are printed in the terminal summary.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from clerk_desk.forms.paper import Paper
from clerk_desk.services import case_queries as q
from clerk_desk.services import catalog_service
from clerk_desk.sync.engine import SyncStatus
from clerk_desk.ui import notify
from clerk_desk.ui.main_window import MainWindow
from clerk_desk.ui.task_runner import SyncTaskRunner
from tests.ui.hostile.hostile_desk import BUNDLE, ITEM_1, LIST_CODE, HostileDesk
from tests.ui.hostile.inspect import Report, as_html, collect, problems

# Tags of the values that stand for the same thing on many surfaces.
WHERE = ("中心名称", "窗口名称", "窗口人员")
ITEMS = ("事项一", "事项二", "事项三", "事项即办")


@pytest.fixture
def runner() -> SyncTaskRunner:
    return SyncTaskRunner()


@pytest.fixture
def windows(qtbot: QtBot) -> Iterator[list[QWidget]]:
    made: list[QWidget] = []
    yield made
    for w in made:
        w.close()
        w.deleteLater()
    QApplication.processEvents()


def main_window(
    desk: HostileDesk, runner: SyncTaskRunner, session: Any, windows: list[QWidget]
) -> MainWindow:
    window = MainWindow(desk.db, runner, session)
    windows.append(window)
    window.resize(1366, 768)
    window.show()
    return window


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def assert_clean(report: Report, first: int) -> None:
    wrong = problems(report.outcomes[first:])
    assert not wrong, "\n".join(wrong)


# -- the window side -------------------------------------------------------------------------------
def test_window_side_pages_and_dialogs(
    desk: HostileDesk,
    report: Report,
    runner: SyncTaskRunner,
    windows: list[QWidget],
    notes: notify.RecordingNotifier,
) -> None:
    first = len(report.outcomes)
    window = main_window(desk, runner, desk.clerk_session, windows)
    report.check("main window: title, menus, status bar", window, WHERE)
    report.check("home page", window.pages["home"], WHERE)
    screen = window.idle_lock.lock()  # it names the signed-in clerk
    report.check("idle lock screen", screen, ("窗口人员",))
    window.idle_lock.unlock()

    cases = window.pages["cases"]
    window.show_page("cases")
    cases.list.set_view(q.WindowView.ALL)
    settle()
    report.check(
        "case list (all)",
        cases.list,
        (
            "事项三",
            "事项即办",
            "部门民政",
            "申请人甲",
            "申请人乙",
            "申请人丙",
            "申请人丁",
            "申请人戊",
            "申请人己",
            "申请人庚",
            "申请人辛",
            "申请人壬",
        ),
    )
    page = cases.case
    shows = {
        "decided": (
            "事项三",
            "部门民政",
            "申请人甲",
            "代理人",
            "代理关系",
            "邮寄地址",
            "共用材料",
            "材料三",
            "签收说明",
            "中止理由",
            "审批结果",
            "返回说明",
            "窗口人员",
            "审批人员",
        ),
        "withdrawal_asked": ("申请人乙", "撤回理由"),
        "supplement": ("申请人丙", "补正材料"),
        "notified": ("申请人丁", "缺陷说明"),
        "refused": ("申请人戊", "不予受理理由"),
        "completed": ("申请人己", "事项即办", "办结结果"),
        "delivered": ("申请人庚", "出件结果"),
        "rejected": ("申请人壬",),
    }
    for key, tags in shows.items():
        cases.open_case(desk.cases[key])
        settle()
        report.check(f"case page ({key})", page, tags)

    cases.open_case(desk.cases["decided"])
    page.deliver()
    report.check("hand-over dialog", page.deliver_dialog, ("审批结果", "文号"))
    page.deliver_dialog.reject()
    cases.open_case(desk.cases["accepted"])
    page.withdraw("withdraw")
    report.check("withdraw dialog", page.withdraw_dialog, ())
    page.withdraw_dialog.reject()
    cases.open_case(desk.cases["decided"])
    page.withdraw("request")

    archive = window.pages["archive"]
    window.show_page("archive")
    settle()
    report.check(
        # the window's own paper only: the delivered case's (申请人庚) is filed by its department
        "daily archive", archive, ("事项三", "事项即办", "部门民政", "申请人戊", "申请人己")
    )

    # 容缺 follow-up: the pledge of the withdrawal case, its item and applicant; the arrived dialog
    from clerk_desk.ui.pledges.pledges_page import ArrivedDialog

    window.show_page("pledges")
    pledges_page = window.pages["pledges"]
    settle()
    report.check("容缺 follow-up", pledges_page, ("事项三", "申请人乙"))
    assert pledges_page.lines
    arrived = ArrivedDialog(pledges_page.lines[0], pledges_page)
    report.check("容缺 material arrived dialog", arrived, ("事项三",))
    arrived.reject()

    # results to notify: the decided case's result waits at the window (its applicant and item)
    window.show_page("results")
    results = window.pages["results"]
    results.view.setCurrentIndex(results.view.findData("all"))
    settle()
    report.check("results to notify", results, ("申请人甲",))
    notice = window.results_notice
    notice.announced.clear()
    notice._arrived(results.lines)
    report.check("results notice", notice, ("申请人甲",))
    notice.dismiss()
    assert_clean(report, first)


# -- intake ----------------------------------------------------------------------------------------
def test_intake_steps_done_panel_and_draft_banner(
    desk: HostileDesk,
    report: Report,
    runner: SyncTaskRunner,
    windows: list[QWidget],
    notes: notify.RecordingNotifier,
    tmp_path: Path,
) -> None:
    from clerk_desk.services import drafts
    from clerk_desk.services.intake_forms import Party
    from clerk_desk.ui.intake.drafts_ui import DraftBanner
    from tests.ui.hostile.hostile_desk import resident_id

    first = len(report.outcomes)
    v = desk.v
    window = main_window(desk, runner, desk.clerk_session, windows)
    window.show_page("intake")
    page = window.pages["intake"]
    page.item.search.setText("事项")
    settle()
    report.check("intake: item search", page, (*ITEMS, "部门民政"))
    page.item.search.setText("一件")
    settle()
    report.check("intake: bundle search", page, ("一件事",))

    page.use_selection(desk.bundle)
    page.applicant.set_values(
        Party("person", v("申请人录入"), resident_id(50), "13812345678", v("地址录入")),
        Party("person", v("代理人录入"), "", "", relation=v("关系录入")),
        "on_site",
        "",
    )
    settle()
    report.check(
        "intake: applicant step and summary",
        page,
        ("一件事", "申请人录入", "地址录入", "代理人录入", "关系录入"),
    )
    page.go("checklist")
    report.check(
        "intake: checklist (names, notes in tooltips)",
        page,
        ("共用材料", "材料一", "材料二", "材料三", "材料备注"),
    )
    names = [m.name for m in page.checklist.rows]
    page.checklist.mark_all_provided()
    page.checklist.set_provided(names.index(v("共用材料")), False)
    page.go("outcome")
    report.check("intake: outcome, a required material missing", page, ("共用材料",))
    page.checklist.set_provided(names.index(v("共用材料")), True)
    page.checklist.set_provided(names.index(v("材料一")), False)
    page.go("outcome")
    report.check("intake: outcome, a material owed, days per item", page, ("材料一", "事项一", "事项二"))

    banner = DraftBanner()
    windows.append(banner)
    banner.offer(drafts.pending(desk.db, desk.clerk_session.user.id))
    banner.show()
    report.check("intake: unfinished-intake banner", banner, ("一件事", "申请人录入"))

    for edit in page.outcome.days_edits:
        edit.setText("5")
    printed: list[tuple[Any, Paper]] = []
    page.done.print_sink = lambda doc, paper, _preview: printed.append((doc, paper)) or True
    page.submit("pledge")
    assert page.step == "done", notes.messages
    report.check("intake: done panel (a bundle: three cases)", page, ("事项一", "事项二", "事项三"))
    page.done.print_a4.click()
    page.done.print_pledge.click()
    assert len(printed) == 2
    for (doc, paper), owed in zip(
        printed, ("共用材料", "材料一"), strict=True
    ):  # the receipt, the pledge letter
        paper_check(
            report,
            tmp_path,
            f"paper: {type(doc).__name__} (intake)",
            doc,
            paper,
            ("申请人录入", "代理人录入", "事项一", owed, *WHERE),
        )
    assert_clean(report, first)


# -- papers ----------------------------------------------------------------------------------------
def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def paper_check(
    report: Report,
    folder: Path,
    surface: str,
    doc: Any,
    paper: Paper,
    tags: tuple[str, ...],
) -> None:
    from clerk_desk.forms.render import render_document, save_pdf

    before = report.canary.hits()
    path = save_pdf(doc, paper, folder / f"paper-{len(report.outcomes)}.pdf")
    loads = report.canary.hits() - before
    report.paper(surface, [render_document(doc, paper).toPlainText(), pdf_text(path)], tags, loads)


def test_papers_from_the_case_page_archive_and_catalog(
    desk: HostileDesk,
    report: Report,
    runner: SyncTaskRunner,
    windows: list[QWidget],
    notes: notify.RecordingNotifier,
    tmp_path: Path,
) -> None:
    from clerk_desk.forms import archive_list, public_lists

    first = len(report.outcomes)
    window = main_window(desk, runner, desk.clerk_session, windows)
    cases = window.pages["cases"]
    page = cases.case
    printed: list[tuple[Any, Paper]] = []
    page.print_fn = lambda doc, paper: printed.append((doc, paper)) or True
    papers = {
        ("decided", "receipt"): ("申请人甲", "代理人", "事项三", "共用材料", "邮寄地址"),
        ("decided", "decision_letter"): (
            "申请人甲",
            "事项三",
            "审批结果",
            "文号",
        ),  # signed in the back office
        ("withdrawal_asked", "pledge"): ("申请人乙", "事项三", "材料三"),
        ("notified", "supplement_notice"): ("申请人丁", "事项三", "缺陷说明"),
        ("refused", "refusal_notice"): ("申请人戊", "事项三", "不予受理理由"),
        ("completed", "result_slip"): ("申请人己", "事项即办", "办结结果"),
        ("delivered", "handover_receipt"): ("申请人庚", "事项三", "领取人", "出件结果"),
    }
    for (key, kind), tags in papers.items():
        cases.open_case(desk.cases[key])
        for paper in (Paper.A4, Paper.ROLL_80MM):
            page.print_paper(kind, paper)
            doc, _paper = printed[-1]
            where = WHERE[:2] if kind == "decision_letter" else WHERE
            paper_check(report, tmp_path, f"paper: {kind} ({paper.value})", doc, paper, (*tags, *where))

    archive = window.pages["archive"]
    window.show_page("archive")
    lists: list[Any] = []
    archive.print_fn = lambda docs: lists.extend(docs) or True
    archive.check_all()
    archive.submit()
    assert lists, notes.messages
    before = report.canary.hits()
    path = archive_list.save_pdf(lists, tmp_path / "archive.pdf")
    report.paper(
        "paper: archive hand-over list",
        [as_html(archive_list.to_html(d)) for d in lists] + [pdf_text(path)],
        ("事项三", "申请人戊", "申请人己", "部门民政", *WHERE),
        report.canary.hits() - before,
    )

    from clerk_desk.ui.catalog.browser import CatalogBrowser

    browser = CatalogBrowser(desk.db, runner)
    windows.append(browser)
    browser.site_name = desk.clerk_session.site.site_name or ""
    before = report.canary.hits()
    browser.export_list(LIST_CODE, str(tmp_path / "list.pdf"))
    listed = as_html(public_lists.to_html(browser._list_doc(LIST_CODE)))
    report.paper(
        "paper: public list of the catalog",
        [listed, pdf_text(tmp_path / "list.pdf")],
        ("清单名", "事项一", "部门民政", "中心名称"),
        report.canary.hits() - before,
    )
    assert_clean(report, first)


# -- the back office -------------------------------------------------------------------------------
def test_back_office_inbox_review_and_dialogs(
    desk: HostileDesk,
    report: Report,
    runner: SyncTaskRunner,
    windows: list[QWidget],
    notes: notify.RecordingNotifier,
    tmp_path: Path,
) -> None:
    from clerk_desk.services.inbox import InboxView

    first = len(report.outcomes)
    window = main_window(desk, runner, desk.approver_session, windows)
    report.check("main window (back office)", window, ("中心名称", "审批人员"))
    inbox = window.pages["inbox"]
    window.show_page("inbox")
    inbox.list.set_view(InboxView.ALL)
    settle()
    report.check(
        "inbox list (all), tooltips",
        inbox.list,
        ("事项三", "部门民政", "申请人甲", "申请人乙", "申请人丙", "撤回理由"),
    )
    review = inbox.case
    shows = {
        "decided": (
            "事项三",
            "部门民政",
            "申请人甲",
            "代理人",
            "代理关系",
            "邮寄地址",
            "签收说明",
            "审批结果",
            "文号",
            "中止理由",
            "窗口人员",
            "审批人员",
        ),
        "withdrawal_asked": ("申请人乙", "撤回理由"),
        "supplement": ("申请人丙", "补正材料", "补正说明"),
    }
    for key, tags in shows.items():
        inbox.open_case(desk.cases[key])
        settle()
        report.check(f"review page ({key})", review, tags)

    inbox.open_case(desk.cases["supplement"])
    for act, tags in (
        ("supplement", ("共用材料", "材料三")),
        ("receive", ()),
        ("pause", ()),
        ("resume", ()),
        ("decide", ()),
        ("return", ()),
    ):
        dialog = review.start(act)
        report.check(f"back-office dialog: {act}", dialog, tags)
        dialog.reject()
    inbox.open_case(desk.cases["withdrawal_asked"])
    dialog = review.start("withdraw")
    report.check("back-office dialog: accept withdrawal", dialog, ("撤回理由",))
    dialog.reject()

    inbox.open_case(desk.cases["decided"])
    printed: list[tuple[Any, Paper]] = []
    review.print_decision.print_fn = lambda doc, paper: printed.append((doc, paper)) or True
    review.print_decision.print_paper()
    paper_check(
        report,
        tmp_path,
        "paper: decision letter (back office)",
        *printed[-1],
        ("申请人甲", "事项三", "审批结果", "文号", "中心名称", "审批人员"),
    )

    # 每日归档 on the approver's PC: the day the decided case was signed for
    from PySide6.QtCore import QDate

    from clerk_desk.domain.workdays import SHANGHAI
    from clerk_desk.services.case_read import read_case

    signed = read_case(desk.db, desk.cases["decided"]).received
    assert signed is not None
    day = signed.act.at.astimezone(SHANGHAI).date()
    window.show_page("filing")
    filing = window.pages["filing"]
    filing.date.setDate(QDate(day.year, day.month, day.day))
    settle()
    report.check("daily filing (back office)", filing, ("事项三", "申请人甲", "部门民政"))
    assert_clean(report, first)


# -- supervision (docs/supervision.md) --------------------------------------------------------------
def test_supervision_pages_and_dialogs(
    desk: HostileDesk,
    report: Report,
    runner: SyncTaskRunner,
    windows: list[QWidget],
    notes: notify.RecordingNotifier,
    qtbot: QtBot,
    tmp_path: Path,
) -> None:
    from datetime import date, timedelta

    from clerk_desk.domain.lifecycle import Side
    from clerk_desk.services import supervision_orders

    first = len(report.outcomes)
    uid = desk.cases["decided"]
    order = supervision_orders.issue(desk.db, uid, "clerkx", reason=desk.v("督办事由"),
                                     reply_by=date.today() + timedelta(days=1))  # fmt: skip
    window = main_window(desk, runner, desk.clerk_session, windows)
    report.check("home page (supervisor): late work and open orders", window.pages["home"], ("督办事由", "中心名称"))
    window.show_page("supervision")
    page = window.pages["supervision"]
    settle()
    report.check("supervision: late work", page, ())
    page.late.table.setCurrentIndex(page.late.model.index(0, 0))
    dialog = page.late.start_issue()
    assert dialog is not None
    report.check("supervision: issue dialog", dialog, ())
    dialog.reject()
    page.tabs.setCurrentWidget(page.orders)
    settle()
    report.check("supervision: orders (open)", page.orders, ("督办事由", "事项三", "部门民政"))
    cases = window.pages["cases"]
    window.open_in("cases", uid)
    settle()
    report.check("case page with an open order", cases.case, ("督办事由",))
    answer = cases.case.orders.start_answer(cases.case.orders.open[0])
    report.check("answer dialog", answer, ("督办事由",))
    answer.reject()
    supervision_orders.answer(desk.db, order, "clerkx", Side.WINDOW, text=desk.v("督办说明"))
    window.show_page("supervision")
    page.orders.which.setCurrentIndex(page.orders.which.findData("all"))
    page.orders.refresh()
    settle()
    report.check("supervision: orders (answered)", page.orders, ("督办事由", "督办说明", "窗口人员"))
    page.tabs.setCurrentWidget(page.violations)
    settle()
    report.check("supervision: violations", page.violations, ())
    if page.violations.list.rowCount():
        page.violations.list_table.setCurrentIndex(page.violations.list.index(0, 0))
        excuse = page.violations.start_excuse()
        assert excuse is not None
        report.check("supervision: excuse dialog", excuse, ())
        excuse.reject()
    with qtbot.waitSignal(page.figures.charted):  # drawn after the table's first paint
        page.tabs.setCurrentWidget(page.figures)
    page.figures.which.setCurrentIndex(page.figures.which.findData("window"))
    page.figures.split.setSizes([100, 100, 1000])  # room for the window's name and its markup under its bar
    qtbot.waitUntil(lambda: "窗口名称♦" in "".join(s.rendered for s in collect(page.figures.charts[1])))
    report.check("supervision: figures (per window)", page.figures, ("窗口名称",))
    page.figures.which.setCurrentIndex(page.figures.which.findData("item"))
    report.check("supervision: figures (per item)", page.figures, ("事项三",))
    page.figures.ask_path = lambda _title, name, _pattern: str(tmp_path / name)
    report.workbook("file: figures (.xlsx)", Path(page.figures.export_xlsx()), ("中心名称", "窗口名称", "事项三"))
    from clerk_desk.forms import monthly_report

    before = report.canary.hits()
    pdf = page.figures.save_pdf()
    report.paper("paper: monthly figures report", [as_html(monthly_report.to_html(page.figures._document())),
                                                   pdf_text(Path(pdf))], ("中心名称", "窗口名称", "事项三"),
                 report.canary.hits() - before)  # fmt: skip
    assert_clean(report, first)


# -- the catalog -----------------------------------------------------------------------------------
def test_catalog_browser_lists_item_and_bundle_pages(
    desk: HostileDesk, report: Report, runner: SyncTaskRunner, windows: list[QWidget]
) -> None:
    first = len(report.outcomes)
    window = main_window(desk, runner, desk.clerk_session, windows)
    browser = window.pages["catalog"]
    window.show_page("catalog")
    browser.search.setText("事项")
    settle()
    report.check(
        "catalog: results, filters, print menu, version", browser, (*ITEMS, "部门民政", "清单名", "发布方")
    )
    browser.open_item(ITEM_1)
    report.check(
        "catalog: item page",
        browser.page,
        (
            "事项一",
            "部门民政",
            "清单名",
            "收费一",
            "条件一",
            "依据一",
            "事项说明一",
            "共用材料",
            "材料备注",
            "材料一",
            "来源地区一",
            "来源网址一",
        ),
    )
    browser.page.show_theme(catalog_service.get_theme(desk.db, BUNDLE))
    report.check(
        "catalog: bundle page",
        browser.page,
        ("一件事", "一件事说明", "事项一", "事项二", "事项三", "共用材料"),
    )
    assert_clean(report, first)


# -- administration, sign-in, window pick, messages ------------------------------------------------
def test_administration_sign_in_window_pick_and_messages(
    desk: HostileDesk,
    report: Report,
    runner: SyncTaskRunner,
    windows: list[QWidget],
    notes: notify.RecordingNotifier,
) -> None:
    from clerk_desk.services import site_setup
    from clerk_desk.ui.login_dialog import LoginDialog

    first = len(report.outcomes)
    window = main_window(desk, runner, desk.clerk_session, windows)
    admin = window.pages["admin"]
    window.show_page("admin")
    for i in range(admin.tabs.count()):
        admin.tabs.setCurrentIndex(i)
        settle()
    report.check(
        "administration: site, windows, accounts",
        admin,
        ("中心名称", "窗口名称", "窗口人员", "审批人员", "部门民政"),
    )
    admin.users_tab.open_add_dialog()
    report.check("administration: add account dialog", admin.users_tab.dialog, ("部门民政",))
    admin.users_tab.dialog.reject()
    admin.windows_tab.open_add_dialog()
    report.check("administration: add window dialog", admin.windows_tab.dialog, ("部门民政",))
    admin.windows_tab.dialog.reject()

    picker = LoginDialog(desk.db, runner, site_name=desk.clerk_session.site.site_name,
                         windows=site_setup.list_windows(desk.db), username=desk.clerk_session.user.username)
    windows.append(picker)
    picker.show()
    report.check("sign-in dialog with today's windows", picker, ("窗口名称",))

    admin.users_tab.select_username("approverx")
    admin.users_tab.reset_selected()
    admin.users_tab.select_username("approverx")
    admin.users_tab.toggle_selected()
    admin.windows_tab.select_name(desk.v("窗口名称"))
    admin.windows_tab.toggle_selected()
    texts = notes.texts()
    assert len(texts) >= 4, texts
    for n, text in enumerate(texts):
        box = notify.message_box("error", None, text)  # what the production notifier shows
        windows.append(box)
        box.show()
        tags = [t for t in ("审批人员", "窗口名称") if t in text]
        report.check(f"message box {n + 1}", box, tags)
        box.close()
    admin.users_tab.select_username("approverx")
    admin.users_tab.toggle_selected()  # enabled again, and the window reopened, for the tests after this one
    admin.windows_tab.select_name(desk.v("窗口名称"))
    admin.windows_tab.toggle_selected()

    login = LoginDialog(desk.db, runner, site_name=desk.clerk_session.site.site_name)
    windows.append(login)
    login.show()
    report.check("sign-in dialog", login, ("中心名称",))
    assert_clean(report, first)


# -- sync ------------------------------------------------------------------------------------------
def test_sync_status_and_panel(
    desk: HostileDesk, report: Report, runner: SyncTaskRunner, windows: list[QWidget]
) -> None:
    from clerk_desk.ui.sync.status_widget import SyncStatusWidget
    from clerk_desk.ui.sync.sync_panel import SyncPanel

    first = len(report.outcomes)
    status = SyncStatusWidget()
    windows.append(status)
    status.set_status(
        SyncStatus(enrolled=True, link_up=False, waiting=3, rejected=1, last_error=desk.v("链路错误"))
    )
    status.show()
    # The engine's raw error is never shown (a clerk reads a plain sentence; the text goes to the log), so
    # nothing is expected literally here: the check is that nothing is rendered or loaded.
    report.check("sync: status bar item and its tooltip", status, ())
    panel = SyncPanel(desk.db, runner, actor="clerkx")
    windows.append(panel)
    panel.set_status(SyncStatus(enrolled=True, link_up=False, last_error=desk.v("链路错误")))
    panel.show()
    settle()
    report.check(
        "sync: panel (returned, waiting, tooltips)", panel, ("中心退回", "事项三", "事项即办")
    )
    assert_clean(report, first)


def test_county_page(
    desk: HostileDesk, report: Report, runner: SyncTaskRunner, windows: list[QWidget]
) -> None:
    """The county view (a supervisor's page): the hub's township, department, item, case number, holder and
    channel texts, as the desk's parser reads them, are shown literally in every table."""
    from clerk_desk.services import accounts
    from clerk_desk.ui.session import DeskSession
    from tests.ui.county_answer import TAGS, county_answer

    first = len(report.outcomes)
    manager = next(u for u in accounts.list_users(desk.db) if u.username == "manager")
    window = main_window(desk, runner, DeskSession(manager, desk.clerk_session.site, None, "clerk"), windows)
    window.show_page("county")
    page = window.pages["county"]
    page.show_answer(*county_answer(desk.v))
    for i in range(page.tabs.count()):
        page.tabs.setCurrentIndex(i)
        settle()
        report.check(f"county page ({page.tabs.tabText(i)})", page, TAGS if i in (0, 1, 2) else TAGS[:1])
    assert_clean(report, first)


def test_every_rich_text_shows_no_image_or_link(report: Report) -> None:
    """Across everything walked above: no rich text on screen draws an image (hostile or not)."""
    assert report.outcomes, "run with the other tests of this module"
    drawn = [(o.surface, o.images) for o in report.outcomes if o.images]
    assert not drawn
