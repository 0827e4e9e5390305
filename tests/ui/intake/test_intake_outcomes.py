"""A full intake for every outcome, driven by objectName and keys; checked in the database and in the text
of every printed PDF (pdftotext -layout): title, masked ID (never the full one), case or notice number.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from clerk_desk.domain.case_view import CaseView
from clerk_desk.services import drafts
from clerk_desk.services.case_read import read_case
from clerk_desk.ui.intake.intake_page import IntakePage
from tests.ui.cases.case_kit import DeferredRunner
from tests.ui.intake.conftest import APPLICANT_ID, MASKED_ID, Printed
from tests.ui.intake.driver import Clerk, Flow

RET, ESC = Qt.Key.Key_Return, Qt.Key.Key_Escape
CTRL = Qt.KeyboardModifier.ControlModifier


def case(c: Clerk, n: int = 0) -> CaseView:
    assert c.page.result is not None
    assert c.launch.db is not None
    return read_case(c.launch.db, c.page.result.cases[n].case_uuid)


def events(c: Clerk, n: int = 0) -> list[str]:
    return [e.type for e in case(c, n).events]


def assert_paper(p: Printed, title: str, number: str) -> None:
    assert title in p.text
    assert MASKED_ID in p.text and APPLICANT_ID not in p.text
    assert number in p.text


def test_accept_print_transfer_next(clerk: Clerk, printed: list[Printed]) -> None:
    page, flow = clerk.page, Flow(clerk)
    assert page.step == "item" and clerk.focused() == "intakeSearch"
    flow.pick("ncdb")
    assert page.step == "applicant" and clerk.focused() == "applicantName"
    assert "农村低保初审及转报" in clerk.text("intakeSummary")
    flow.person("张三", APPLICANT_ID, "13800138000")
    assert page.step == "checklist"
    flow.all_provided_and_on()
    assert page.step == "outcome" and clerk.focused() == "outcomeAccept"
    clerk.key(RET)
    assert page.step == "done"
    c = case(clerk)
    assert c.status == "accepted" and c.parties.applicant and c.parties.applicant.id_number == APPLICANT_ID
    assert c.parties.applicant.phone == "13800138000" and c.due and c.due.days == 15
    assert [m.provided for m in c.checklist] == [True, True, True, False]
    grouped = clerk.text("doneCaseNumber")
    assert grouped.replace(" ", "") == c.case_number.replace("-", "")
    assert "15 个工作日" in clerk.text("doneDue")
    assert clerk.text("doneTransferCountdown").startswith("流转后台：剩余 14 分 5")  # not "14:5x", a clock time
    assert clerk.launch.db is not None
    assert drafts.pending(clerk.launch.db, page.session.user.id) == []  # gone with the outcome

    clerk.key(Qt.Key.Key_P)  # A4 receipt
    clerk.key(Qt.Key.Key_R)  # 80 mm slip
    clerk.key(Qt.Key.Key_P)  # again: a reprint
    assert [p.title for p in printed] == ["AcceptanceReceipt"] * 3
    assert_paper(printed[0], "受理回执", c.case_number)
    assert "农村低保初审及转报" in printed[0].text and "补打" not in printed[0].text
    # the print log counts copies of a paper whatever its size: a second copy is 补打
    assert printed[1].paper.name == "ROLL_80MM" and "第1次补打" in printed[1].text
    assert "第2次补打" in printed[2].text
    assert "已补打" in clerk.text("doneStatus")
    assert events(clerk).count("reprinted") == 2  # the slip and the second A4 (the first print is the original)

    clerk.key(Qt.Key.Key_T)
    assert case(clerk).status == "transferred"
    assert clerk.text("doneTransferCountdown").startswith("已于")
    assert "transferred" in events(clerk)
    clerk.key(Qt.Key.Key_N)
    assert page.step == "item" and clerk.focused() == "intakeSearch"
    assert clerk.text("applicantName") == "" and clerk.text("intakeSearch") == ""


def test_pledge_acceptance_prints_the_pledge_letter(updated_catalog: Clerk, printed: list[Printed]) -> None:
    clerk = updated_catalog
    flow = Flow(clerk)
    flow.pick("ncdb")
    flow.person("李四", APPLICANT_ID)
    clerk.key(Qt.Key.Key_Space)  # 个人申请书
    clerk.key(RET)
    clerk.key(Qt.Key.Key_Space)  # 身份证; 户口簿 (may be owed) is missing
    assert "户口簿" in clerk.text("checklistSummary")
    clerk.key(RET, CTRL)
    assert not clerk.w("outcomeAccept").isEnabled() and clerk.w("outcomePledge").isEnabled()
    assert clerk.focused() == "outcomePledge" and clerk.text("pledgeMaterials") == "户口簿"
    clerk.key(RET)
    assert clerk.page.step == "done" and clerk.text("doneTitle") == "已容缺受理"
    c = case(clerk)
    assert c.status == "accepted" and c.pledge_open
    assert c.pledge is not None and c.pledge.materials == ("户口簿",)
    assert "pledge_recorded" in events(clerk)
    clerk.key(Qt.Key.Key_C)
    clerk.key(Qt.Key.Key_P)
    assert_paper(printed[0], "容缺受理承诺书", c.case_number)
    assert "户口簿" in printed[0].text
    assert_paper(printed[1], "受理回执", c.case_number)


def test_immediate_item_finished_on_the_spot(clerk: Clerk, printed: list[Printed]) -> None:
    flow = Flow(clerk)
    flow.pick("养老保险参保登记")
    assert "城乡居民养老保险参保登记" in clerk.text("intakeSummary")
    flow.person("王五", APPLICANT_ID)
    flow.all_provided_and_on()
    assert clerk.focused() == "outcomeOnSpot"
    clerk.key(RET)  # no result typed yet: said in red, the focus goes there
    assert clerk.page.step == "outcome" and clerk.w("outcomeError").isVisible()
    assert clerk.focused() == "resultText"
    clerk.type("resultText", "已完成参保登记")
    clerk.key(RET)
    assert clerk.page.step == "done" and clerk.text("doneTitle") == "已当场办结"
    c = case(clerk)
    assert c.status == "completed" and c.intake.result == "已完成参保登记"
    assert not clerk.w("doneTransfer").isVisible()
    clerk.key(Qt.Key.Key_P)
    assert_paper(printed[0], "即办件办结单", c.case_number)
    assert "已完成参保登记" in printed[0].text


def test_one_time_notice_then_the_return_visit(clerk: Clerk, printed: list[Printed]) -> None:
    flow = Flow(clerk)
    flow.pick("残疾人证办理")
    flow.person("赵六", APPLICANT_ID, "13800138000")
    clerk.key(Qt.Key.Key_Space)  # 身份证 provided
    clerk.key(RET)
    clerk.key(Qt.Key.Key_X)  # 户口本: defective, the reason editor opens
    clerk.type_here("复印件不清晰")
    clerk.key(RET)  # commit the reason
    clerk.key(RET, CTRL)
    assert clerk.focused() == "outcomeNotify"
    assert "2寸白底照片" in clerk.text("outcomeHint")
    clerk.key(RET)
    assert clerk.text("doneTitle") == "已一次性告知" and clerk.text("doneNumberCaption") == "告知书编号"
    c = case(clerk)
    missing = {m.name: m.reason for m in c.intake.notice}
    assert missing["户口本"] == "复印件不清晰" and missing["申请表"] == "未提供" and "身份证" not in missing
    clerk.key(Qt.Key.Key_P)
    assert_paper(printed[0], "一次性告知书", c.case_number)
    assert "复印件不清晰" in printed[0].text and "评定表" in printed[0].text

    # the applicant comes back with everything: the new intake starts from the notice
    clerk.key(Qt.Key.Key_N)
    clerk.type("intakeNoticeNumber", c.case_number)
    clerk.key(RET)
    page = clerk.page
    assert page.step == "applicant"
    assert clerk.text("applicantName") == "赵六" and clerk.text("applicantId") == APPLICANT_ID
    assert c.case_number in clerk.text("intakeSummary")
    clerk.key(RET, CTRL)
    Flow(clerk).all_provided_and_on()
    clerk.key(RET)
    again = case(clerk)
    assert again.status == "accepted" and again.intake.previous_notice == c.case_number


def test_refusal_needs_a_reason(clerk: Clerk, printed: list[Printed]) -> None:
    flow = Flow(clerk)
    flow.pick("ncdb")
    flow.person("钱七", APPLICANT_ID)
    clerk.key(RET, CTRL)
    assert clerk.focused() == "outcomeNotify"  # nothing provided yet
    clerk.key(Qt.Key.Key_5, CTRL)
    assert clerk.page.step == "outcome" and clerk.focused() == "refuseReason"
    assert clerk.text("outcomeError") == "请填写不予受理的理由"
    clerk.type("refuseReason", "申请人户籍不在本镇，不属于本中心受理范围")
    clerk.key(RET)
    assert clerk.text("doneTitle") == "不予受理"
    c = case(clerk)
    assert c.status == "refused"
    clerk.key(Qt.Key.Key_P)
    assert_paper(printed[0], "不予受理告知书", c.case_number)
    assert "不属于本中心受理范围" in printed[0].text


def test_enter_after_the_notice_is_printed_goes_to_the_next_applicant(clerk: Clerk, printed: list[Printed]) -> None:
    """Print, then next (docs/intake.md, step 5): after a notice or a refusal is printed, Enter went on
    pressing 打印 A4 and printed it again as 补打."""
    flow = Flow(clerk)
    flow.pick("ncdb")
    flow.person("钱七", APPLICANT_ID)
    clerk.key(RET, CTRL)
    clerk.key(RET)  # 一次性告知 (nothing provided)
    assert clerk.page.step == "done" and clerk.focused() == "donePrintA4"
    clerk.key(RET)  # prints the notice
    assert len(printed) == 1 and "补打" not in printed[0].text
    assert clerk.focused() == "doneNext"
    clerk.key(RET)
    assert clerk.page.step == "item" and clerk.focused() == "intakeSearch"
    assert len(printed) == 1  # not printed again
    flow.pick("ncdb")
    flow.person("孙八", APPLICANT_ID)
    clerk.key(RET, CTRL)
    clerk.key(Qt.Key.Key_5, CTRL)
    clerk.type("refuseReason", "不属于本中心受理范围")
    clerk.key(RET)
    clerk.key(RET)  # prints the refusal
    assert clerk.focused() == "doneNext" and len(printed) == 2


def test_bundle_with_days_the_department_confirmed(clerk: Clerk, printed: list[Printed]) -> None:
    flow = Flow(clerk)
    flow.pick("老年人")  # the theme bundle comes first
    page: IntakePage = clerk.page
    assert page.selection is not None and page.selection.theme_code == "DEMO-T03"
    flow.person("孙八", APPLICANT_ID)
    names = [r.name for r in page.checklist.rows]
    assert len(names) == len(set(names)) and "〔2 个事项共用〕" in page.checklist.table.item(0, 0).text()
    flow.all_provided_and_on()
    # both items have no promised days in the catalog: the clerk enters what the departments confirmed
    assert clerk.focused() == "confirmedDays"
    clerk.key(RET)
    assert clerk.text("outcomeError") == "请填写承办部门确认的工作日数（0 到 365）"
    clerk.type("confirmedDays", "0")
    clerk.type("confirmedDays2", "10")
    clerk.key(RET)
    assert page.step == "done" and page.result is not None and len(page.result.cases) == 2
    first, second = case(clerk, 0), case(clerk, 1)
    assert first.intake.bundle_id == second.intake.bundle_id is not None
    assert second.due and second.due.days == 10 and second.due.confirmed_by_department
    assert clerk.text("doneCaseNumber").count("<br>") == 1
    clerk.key(Qt.Key.Key_P)
    assert_paper(printed[0], "受理回执", first.case_number)
    assert "老年优待证换发" in printed[0].text and "高龄老人津贴申请" in printed[0].text


def test_unknown_days_single_item_says_confirmed_on_the_receipt(clerk: Clerk, printed: list[Printed]) -> None:
    flow = Flow(clerk)
    flow.pick("cjrzcs")
    flow.person("周九", APPLICANT_ID)
    flow.all_provided_and_on()
    clerk.type("confirmedDays", "20")
    clerk.key(RET)
    c = case(clerk)
    assert c.due and c.due.days == 20 and c.due.confirmed_by_department
    assert "时限经承办部门确认" in clerk.text("doneDue") or "部门确认" in clerk.text("doneDue")
    clerk.key(Qt.Key.Key_P)
    assert "时限经承办部门确认" in printed[0].text


def test_confirmed_days_typed_in_full_width_digits_are_taken(clerk: Clerk, printed: list[Printed]) -> None:
    """An input method in full-width mode types ２０: the field showed it and said 请填写承办部门确认的工作日数."""
    flow = Flow(clerk)
    flow.pick("cjrzcs")
    flow.person("周九", APPLICANT_ID)
    flow.all_provided_and_on()
    clerk.type("confirmedDays", "２０")
    clerk.key(RET)
    assert clerk.page.step == "done", clerk.text("outcomeError")
    c = case(clerk)
    assert c.due and c.due.days == 20 and c.due.confirmed_by_department
    clerk.key(Qt.Key.Key_P)
    assert "20个工作日" in printed[0].text.replace(" ", "")


def test_preview_goes_to_the_printer_sink_with_preview(clerk: Clerk, printed: list[Printed]) -> None:
    flow = Flow(clerk)
    flow.pick("ncdb")
    flow.person("吴十", APPLICANT_ID)
    flow.all_provided_and_on()
    clerk.key(RET)
    clerk.key(Qt.Key.Key_V)
    assert printed[0].preview and printed[0].paper.name == "A4"
    assert ESC  # Esc on the done panel does nothing harmful
    clerk.key(ESC)
    assert clerk.page.step == "done"


def test_a_preview_closed_unprinted_leaves_no_record(clerk: Clerk, printed: list[Printed]) -> None:
    """V opens the preview; closing it without printing records nothing, so P then prints the original."""

    flow = Flow(clerk)
    flow.pick("ncdb")
    flow.person("吴十", APPLICANT_ID)
    flow.all_provided_and_on()
    clerk.key(RET)
    sink = clerk.page.done.print_sink
    closed: list[bool] = []
    clerk.page.done.print_sink = lambda doc, paper, preview: closed.append(preview) and False  # Esc
    clerk.key(Qt.Key.Key_V)
    assert closed == [True]
    assert clerk.launch.db is not None and clerk.page.result is not None
    uid = clerk.page.result.cases[0].case_uuid
    assert [e.type for e in read_case(clerk.launch.db, uid).events] == ["accepted"]
    assert not clerk.w("doneStatus").isVisible()
    clerk.page.done.print_sink = sink
    clerk.key(Qt.Key.Key_P)
    assert "补打" not in printed[0].text
    assert [e.type for e in read_case(clerk.launch.db, uid).events][-1] == "document_printed"
    assert clerk.text("doneStatus") == "受理回执已打印。"


def test_a_slip_asked_for_while_the_a4_is_still_printing_is_the_reprint(clerk: Clerk, printed: list[Printed]) -> None:
    """P then R before the A4's print was recorded (the worker thread still reading or writing, as on a
    busy PC): the slip waits for the A4 and says 补打. Before, both read "no print yet" and both came out
    as originals, recorded twice as document_printed."""
    flow = Flow(clerk)
    flow.pick("ncdb")
    flow.person("郑十一", APPLICANT_ID)
    flow.all_provided_and_on()
    clerk.key(RET)
    held = DeferredRunner()  # the worker's answers arrive only when the test lets them
    clerk.page.done.runner = held  # type: ignore[assignment]
    clerk.key(Qt.Key.Key_P)
    clerk.key(Qt.Key.Key_R)
    while held.queue:
        held.deliver(0)
    assert [p.paper.name for p in printed] == ["A4", "ROLL_80MM"]
    assert "补打" not in printed[0].text and "第1次补打" in printed[1].text
    assert events(clerk).count("document_printed") == 1 and events(clerk).count("reprinted") == 1
    assert clerk.text("doneStatus") == "受理回执已补打（第 1 次补打）。"


def test_receipt_through_the_real_print_queue(clerk: Clerk, cups_pdf_printer) -> None:  # type: ignore[no-untyped-def]
    """The done panel's print with preview, on the cups-pdf queue: the PDF it spools has the receipt's text."""
    import subprocess
    import time

    flow = Flow(clerk)
    flow.pick("ncdb")
    flow.person("郑十一", APPLICANT_ID)
    flow.all_provided_and_on()
    clerk.key(RET)
    number = case(clerk).case_number
    started = time.time()
    previews: list[object] = []

    def preview(printer, paint_on) -> bool:  # type: ignore[no-untyped-def]  # what the preview dialog's Print does
        previews.append(printer)
        paint_on(printer)
        return True

    clerk.page.done.printer_name = cups_pdf_printer.queue
    clerk.page.done.preview_factory = preview
    clerk.key(Qt.Key.Key_V)
    assert len(previews) == 1
    deadline, found = time.monotonic() + 30, None
    while time.monotonic() < deadline and found is None:
        fresh = [p for p in cups_pdf_printer.out_dir.glob("*.pdf")
                 if number in p.name and p.stat().st_mtime >= started - 1 and p.stat().st_size > 0]
        found = fresh[0] if fresh else None
        time.sleep(0.3)
    assert found is not None, "cups-pdf wrote no file for the receipt"
    time.sleep(0.5)  # cups-pdf may still be finishing it
    text = subprocess.run(["pdftotext", "-layout", str(found), "-"], capture_output=True, text=True).stdout
    assert "受理回执" in text and MASKED_ID in text and APPLICANT_ID not in text


def test_a_print_that_fails_or_is_cancelled_lets_the_next_one_print(
    clerk: Clerk, printed: list[Printed], notes  # type: ignore[no-untyped-def]
) -> None:
    """One print at a time must not mean none after a failure: the A4 refused by the printer (or its preview
    closed) while R waits, the slip still prints, as the original (nothing was recorded for the A4)."""
    from clerk_desk.forms.render import PrintError

    flow = Flow(clerk)
    flow.pick("ncdb")
    flow.person("王十二", APPLICANT_ID)
    flow.all_provided_and_on()
    clerk.key(RET)
    sink = clerk.page.done.print_sink
    answers = ["error", "cancel"]

    def failing(doc, paper, preview):  # type: ignore[no-untyped-def]
        if answers:
            if answers.pop(0) == "error":
                raise PrintError("打印机 A4 未连接")
            return False  # a preview closed with Esc
        return sink(doc, paper, preview)

    clerk.page.done.print_sink = failing
    held = DeferredRunner()
    clerk.page.done.runner = held  # type: ignore[assignment]
    clerk.key(Qt.Key.Key_P)  # refused by the printer
    clerk.key(Qt.Key.Key_V)  # closed unprinted
    clerk.key(Qt.Key.Key_R)
    while held.queue:
        held.deliver(0)
    assert [p.paper.name for p in printed] == ["ROLL_80MM"] and "补打" not in printed[0].text
    assert events(clerk).count("document_printed") == 1 and events(clerk).count("reprinted") == 0
    assert notes.texts("error") == ["打印机 A4 未连接"]
