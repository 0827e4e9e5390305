"""Situations (情形) at intake, by objectName and keys: the questions come first with their defaults chosen,
the checklist holds exactly the materials that apply, the answers are kept with the case (and its events)
so the receipt, the one-time notice and their reprints list the same materials; a bundle asks a shared
question once; a draft and a return visit after a notice keep the answers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox

from clerk_desk.domain.case_view import CaseView, SituationAnswer
from clerk_desk.services.case_read import read_case
from tests.ui.intake.conftest import APPLICANT_ID, Printed
from tests.ui.intake.driver import Clerk, Flow, wait_until

RET, DOWN = Qt.Key.Key_Return, Qt.Key.Key_Down
CTRL = Qt.KeyboardModifier.ControlModifier
FELLING = "LOCAL-LY-02acbf41"  # 林木采伐许可证办理(申请): 委托书 only when someone applies for the owner
PROXY_PAPER = "权属人委托书及代理人身份证明"
SOCIAL_CARD = "LOCAL-RS-784c355a"  # 社会保障卡制作发放及管理: the guardian's ID only when they apply


def rows(c: Clerk) -> list[str]:
    return [r.name for r in c.page.checklist.rows]


def answer_box(c: Clerk, code: str) -> QComboBox:
    box = c.w(f"situation_{code}")
    assert isinstance(box, QComboBox)
    return box


def case(c: Clerk) -> CaseView:
    assert c.page.result is not None and c.launch.db is not None
    return read_case(c.launch.db, c.page.result.cases[0].case_uuid)


def test_the_answers_choose_the_materials_and_the_receipt_lists_only_those(
    clerk: Clerk, printed: list[Printed]
) -> None:
    flow = Flow(clerk)
    flow.pick("砍树")
    assert clerk.page.selection is not None and clerk.page.selection.items[0].code == FELLING
    flow.person("周九", APPLICANT_ID)
    assert clerk.page.step == "checklist" and clerk.w("situationsBox").isVisible()
    # the question first, its default (本人申请) chosen: the proxy's papers are not asked for
    assert clerk.focused() == "situation_agent" and answer_box(clerk, "agent").currentData() == "self"
    assert "是否委托他人代为申请" in clerk.text("situationQuestion_agent")
    assert PROXY_PAPER not in rows(clerk) and len(rows(clerk)) == 5
    clerk.key(DOWN)  # 委托他人代为申请
    assert answer_box(clerk, "agent").currentData() == "agent"
    assert rows(clerk)[-1] == PROXY_PAPER and len(rows(clerk)) == 6
    clerk.key(RET)  # the last question: on into the table
    assert clerk.focused() == "checklistTable"
    flow.all_provided_and_on()
    assert clerk.page.step == "outcome" and clerk.focused() == "confirmedDays"  # days 待确认 in the catalog
    clerk.type("confirmedDays", "20")
    clerk.key(RET)
    assert clerk.page.step == "done"

    c = case(clerk)
    assert c.situations == (
        SituationAnswer("agent", "是否委托他人代为申请？", "agent", "委托他人（监护人、代理人）代为申请"),
    )  # fmt: skip
    assert [m.name for m in c.checklist][-1] == PROXY_PAPER
    assert clerk.launch.db is not None
    accepted = [e for e in c.events if e.type == "accepted"][0]
    assert accepted.payload["situations"][0]["answer"] == "agent"  # the back office gets them too

    clerk.key(Qt.Key.Key_P)
    clerk.key(Qt.Key.Key_P)  # a reprint lists the same materials
    for paper in printed:
        assert "受理回执" in paper.text and "已收取的申请材料（共6项）" in paper.text
        assert "权属人委托书" in paper.text and "办理情形" in paper.text and "委托他人" in paper.text


def test_the_one_time_notice_lists_only_what_applies_and_the_return_visit_keeps_the_answer(
    clerk: Clerk, printed: list[Printed]
) -> None:
    flow = Flow(clerk)
    flow.pick("社保卡")
    assert clerk.page.selection is not None and clerk.page.selection.items[0].code == SOCIAL_CARD
    flow.person("吴十", APPLICANT_ID)
    assert len(rows(clerk)) == 1  # 本人申请: only the applicant's ID
    clerk.key(RET, CTRL)  # nothing handed in yet
    assert clerk.focused() == "outcomeNotify"
    clerk.key(RET)
    clerk.key(Qt.Key.Key_P)
    assert "一次性告知书" in printed[0].text and "（共1项，一次性告知）" in printed[0].text
    assert "监护人" not in printed[0].text

    clerk.key(Qt.Key.Key_N)
    flow.pick("社保卡")
    flow.person("吴十", APPLICANT_ID)
    clerk.key(DOWN)  # a guardian applies for the card holder
    assert len(rows(clerk)) == 2
    clerk.key(RET)
    clerk.key(RET, CTRL)
    clerk.key(RET)  # one-time notice again: both materials
    notice = case(clerk)
    assert [m.name for m in notice.intake.notice][1].startswith("监护人或代理人")
    clerk.key(Qt.Key.Key_P)
    assert "（共2项，一次性告知）" in printed[1].text and "监护人" in printed[1].text

    # the applicant returns: the intake from the notice asks the same question with the same answer
    clerk.key(Qt.Key.Key_N)
    clerk.type("intakeNoticeNumber", notice.case_number)
    clerk.key(RET)
    assert clerk.page.step == "applicant"
    clerk.key(RET, CTRL)
    assert clerk.page.step == "checklist" and answer_box(clerk, "agent").currentData() == "agent"
    assert len(rows(clerk)) == 2


def test_a_bundle_asks_a_shared_question_once(clerk: Clerk) -> None:
    flow = Flow(clerk)
    flow.pick("困难群众")  # 困难群众救助一件事: 低保 and 特困 both ask about a disabled family member
    assert clerk.page.selection is not None and clerk.page.selection.theme_code == "DEMO-T01"
    flow.person("郑一", APPLICANT_ID)
    boxes = clerk.page.findChildren(QComboBox)
    asked = [b.objectName() for b in boxes if b.objectName().startswith("situation_")]
    assert asked == ["situation_disabled"]
    before = rows(clerk)
    assert not [n for n in before if "残疾" in n]
    clerk.key(DOWN)  # 有
    disability = [n for n in rows(clerk) if "残疾" in n]
    assert len(disability) == 1  # 第二代残疾人证 (低保) and 残疾证 (特困): one document, asked once
    row = clerk.page.checklist.rows[rows(clerk).index(disability[0])]
    assert len(row.item_codes) == 2 and row.required  # required by 低保, optional for 特困


def test_a_draft_keeps_the_answers_and_what_was_checked(clerk: Clerk) -> None:
    flow = Flow(clerk)
    flow.pick("砍树")
    flow.person("王二", APPLICANT_ID)
    clerk.key(DOWN)
    clerk.key(RET)
    clerk.key(Qt.Key.Key_Space)  # the first material handed in
    clerk.page.keeper.save_now()
    sign_out = clerk.window.findChild(QAction, "actionSignOut")
    assert sign_out is not None
    sign_out.trigger()
    again = Clerk(clerk.launch, clerk.printed, open_intake=False)
    wait_until(lambda: again.window.stack.currentWidget() is again.page)
    again.click("draftResume")
    assert again.page.step == "checklist"
    assert answer_box(again, "agent").currentData() == "agent" and rows(again)[-1] == PROXY_PAPER
    assert [c.provided for c in again.page.checklist.checks()][:2] == [True, False]
    # changing the answer keeps what was already checked
    answer_box(again, "agent").setCurrentIndex(0)
    assert PROXY_PAPER not in rows(again) and again.page.checklist.checks()[0].provided


def test_the_demo_shows_an_owed_material(clerk: Clerk) -> None:
    """As shipped (no catalog update): 容缺受理 for the date-of-death proof the guide lets a pledge replace."""
    flow = Flow(clerk)
    flow.pick("养老保险注销")
    flow.person("冯三", APPLICANT_ID)
    assert answer_box(clerk, "cancel_reason").currentData() == "death"
    clerk.key(RET)
    clerk.key(RET)  # both questions at their defaults: into the table
    owed = "参保人员死亡时间材料或告知承诺书"
    for r, name in enumerate(rows(clerk)):
        if name != owed and clerk.page.checklist.rows[r].required:
            clerk.page.checklist.set_provided(r, True)
    clerk.key(RET, CTRL)
    assert clerk.w("outcomePledge").isEnabled() and not clerk.w("outcomeAccept").isEnabled()
    assert clerk.text("pledgeMaterials") == owed
    clerk.type("confirmedDays", "1")
    clerk.click("outcomePledge")
    assert clerk.page.step == "done" and clerk.text("doneTitle") == "已容缺受理"
    pledge = case(clerk).pledge
    assert pledge is not None and pledge.materials == (owed,)



def test_the_demo_urgent_police_item_is_handed_over_in_five_minutes(tmp_path, runner, notes, qapp) -> None:  # type: ignore[no-untyped-def]
    """At the 公安窗口 (the only window that takes it, domain/routing.py)."""
    clerk = Clerk.start(tmp_path / "data", runner, window="公安窗口")
    try:
        flow = Flow(clerk)
        flow.pick("临时身份证")
        flow.person("冯三", APPLICANT_ID)
        flow.all_provided_and_on()
        clerk.key(RET)
        assert clerk.page.step == "done" and case(clerk).item.urgent
        assert clerk.text("doneTransferCountdown").startswith("流转后台：剩余 4 分")  # 5 minutes, counting down
    finally:
        clerk.close()
