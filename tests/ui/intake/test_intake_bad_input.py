"""Bad input at intake: a clear Chinese message where the problem is, and nothing the clerk typed is lost.

Identifiers are checked as typed (red text under the field, never a popup); a missing required material,
a retired item, and a locked database (a second connection holding the write lock) each say what is
wrong and keep every field.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from clerk_desk.services import drafts
from clerk_desk.services.case_read import read_case
from clerk_desk.store import engine
from clerk_desk.ui import notify
from clerk_desk.ui.task_runner import SyncTaskRunner
from tests.ui.intake.conftest import APPLICANT_ID, RETIRED_LATER, update_catalog
from tests.ui.intake.driver import Clerk, Flow

RET = Qt.Key.Key_Return
CTRL = Qt.KeyboardModifier.ControlModifier
BAD_CHECK_DIGIT = "110105194912310021"
USCC = "91350100M000100Y43"


def shown(c: Clerk, name: str) -> bool:
    return c.w(name).isVisibleTo(c.page)


def test_resident_id_is_checked_as_typed_inline(clerk: Clerk, notes: notify.RecordingNotifier) -> None:
    flow = Flow(clerk)
    flow.pick("ncdb")
    clerk.type("applicantName", "张三", dictated=True)
    clerk.key(RET)
    clerk.type("applicantId", "1101")
    assert not shown(clerk, "applicantIdError")  # not while the number is still being typed
    clerk.type("applicantId", BAD_CHECK_DIGIT[4:])
    assert shown(clerk, "applicantIdError") and "校验" in clerk.text("applicantIdError")
    clerk.key(RET)  # on to the phone: the message stays
    clerk.type("applicantPhone", "1380013800")
    clerk.key(RET)  # leaving the field shows its problem
    assert "11" in clerk.text("applicantPhoneError")
    clerk.key(RET)  # Enter on the last field: not moving on, the first bad field gets the focus
    assert clerk.page.step == "applicant" and clerk.focused() == "applicantId"
    assert clerk.text("applicantId") == BAD_CHECK_DIGIT and clerk.text("applicantName") == "张三"
    assert notes.messages == []  # inline, no popup
    clerk.w("applicantId").clear()
    clerk.type("applicantId", APPLICANT_ID)
    assert not shown(clerk, "applicantIdError")
    clerk.w("applicantPhone").clear()
    clerk.type("applicantPhone", "13800138000")
    assert not shown(clerk, "applicantPhoneError")
    clerk.key(RET, CTRL)
    assert clerk.page.step == "checklist"


def test_a_letter_in_an_id_is_flagged_at_once(clerk: Clerk) -> None:
    Flow(clerk).pick("ncdb")
    clerk.type("applicantId", "1101A")
    assert shown(clerk, "applicantIdError")


def test_organisation_credit_code_and_agent(clerk: Clerk, notes: notify.RecordingNotifier) -> None:
    Flow(clerk).pick("ncdb")
    clerk.click("applicantKindOrganisation")
    assert shown(clerk, "applicantLegalRep")
    clerk.type("applicantName", "通山县某某农业合作社", dictated=True)
    clerk.type("applicantId", USCC[:-1] + "4")
    assert "统一社会信用代码" in clerk.text("applicantIdError")
    clerk.w("applicantId").clear()
    clerk.type("applicantId", USCC)
    assert not shown(clerk, "applicantIdError")
    clerk.click("agentToggle")
    assert shown(clerk, "agentName")
    clerk.type("agentId", BAD_CHECK_DIGIT)
    assert shown(clerk, "agentIdError")
    clerk.key(RET, CTRL)
    assert clerk.page.step == "applicant"
    assert "关系" in clerk.text("agentError")
    clerk.w("agentId").clear()
    clerk.type("agentName", "张三", dictated=True)
    clerk.type("agentId", APPLICANT_ID, dictated=True)
    clerk.type("agentRelation", "本社职员")
    clerk.click("channelPortal")
    clerk.key(RET, CTRL)
    assert clerk.page.step == "applicant" and clerk.text("channelAppNoError") == "请填写网上申报号"
    clerk.type("channelAppNo", "HB20261126001")
    clerk.key(RET, CTRL)
    assert clerk.page.step == "checklist"
    Flow(clerk).all_provided_and_on()
    clerk.key(RET)
    assert clerk.page.result is not None and clerk.launch.db is not None
    case = read_case(clerk.launch.db, clerk.page.result.cases[0].case_uuid)
    applicant, agent = case.parties.applicant, case.parties.agent
    assert applicant is not None and applicant.kind == "organisation" and applicant.id_number == USCC
    assert agent is not None and agent.name == "张三" and case.parties.agent_relation == "本社职员"
    assert case.intake.channel == "hubei_portal" and case.intake.online_application_no == "HB20261126001"
    assert notes.texts("error") == []


def test_accept_with_a_required_material_missing(clerk: Clerk, notes: notify.RecordingNotifier) -> None:
    flow = Flow(clerk)
    flow.pick("ncdb")
    flow.person("张三", APPLICANT_ID, "13800138000")
    clerk.key(Qt.Key.Key_Space)  # only the first material
    clerk.key(RET, CTRL)
    assert not clerk.w("outcomeAccept").isEnabled()
    assert "身份证、户口簿" in clerk.text("outcomeHint")
    clerk.key(Qt.Key.Key_1, CTRL)  # the shortcut of a closed button does nothing
    assert clerk.page.step == "outcome" and notes.messages == []
    # even if the button were reached, the service refuses with every problem named
    clerk.page.submit("accept")
    assert notes.texts("error") == ["缺少必需材料：身份证、户口簿（可改为一次性告知）"]
    assert clerk.page.step == "outcome"
    assert clerk.text("applicantName") == "张三" and clerk.text("applicantId") == APPLICANT_ID
    assert [c.provided for c in clerk.page.checklist.checks()] == [True, False, False, False]


def test_a_retired_item_cannot_be_chosen(updated_catalog: Clerk) -> None:
    clerk = updated_catalog
    clerk.type("intakeSearch", "居民养老保险办理待遇")
    top = clerk.page.item.results.item(0)
    assert "已停用" in top.text()
    clerk.key(RET)
    assert clerk.page.step == "item"
    assert "已从事项目录中停用" in clerk.text("intakeItemError")


def test_a_draft_whose_item_was_retired_asks_for_the_replacement(
    tmp_path: Path, runner: SyncTaskRunner, notes: notify.RecordingNotifier, qapp
) -> None:  # type: ignore[no-untyped-def]
    first = Clerk.start(tmp_path / "data", runner)
    Flow(first).pick("居民养老保险办理待遇")
    assert first.page.selection is not None and first.page.selection.items[0].code == RETIRED_LATER
    Flow(first).person("张三", APPLICANT_ID, "13800138000")
    first.page.keeper.save_now()
    db = first.launch.db
    assert db is not None
    update_catalog(db, tmp_path)
    first.close()
    again = Clerk.start(tmp_path / "data", runner)
    try:
        again.click("draftResume")
        assert again.page.step == "item" and "已从事项目录中停用" in again.text("intakeItemError")
        assert again.text("applicantName") == "张三"
        Flow(again).pick("ncdb")  # the replacement; the applicant stays
        assert again.page.step == "applicant" and again.text("applicantId") == APPLICANT_ID
    finally:
        again.close()


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 200)


@pytest.fixture
def locked_clerk(short_busy_timeout: None, tmp_path: Path, runner: SyncTaskRunner, notes, qapp) -> Iterator[Clerk]:  # type: ignore[no-untyped-def]
    c = Clerk.start(tmp_path / "data", runner)
    yield c
    c.close()


def test_locked_database_keeps_everything(locked_clerk: Clerk, notes: notify.RecordingNotifier) -> None:
    clerk = locked_clerk
    flow = Flow(clerk)
    flow.pick("ncdb")
    flow.person("张三", APPLICANT_ID, "13800138000")
    flow.all_provided_and_on()
    assert clerk.launch.db is not None
    other = sqlite3.connect(clerk.launch.db.path, isolation_level=None, timeout=0.1)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        clerk.key(RET)  # 受理
        assert notes.texts("error") == ["数据库正被其他程序占用，本次操作未保存，请稍后重试。"]
        assert clerk.page.step == "outcome"
        assert clerk.text("applicantName") == "张三" and clerk.text("applicantId") == APPLICANT_ID
        assert clerk.text("applicantPhone") == "13800138000"
        assert [c.provided for c in clerk.page.checklist.checks()] == [True, True, True, False]
        assert "草稿未能保存" in clerk.text("intakeDraftStatus")
    finally:
        other.execute("ROLLBACK")
        other.close()
    clerk.key(RET)  # the lock is gone: the same input goes through
    assert clerk.page.step == "done"
    assert drafts.pending(clerk.launch.db, clerk.page.session.user.id) == []


def test_a_fields_error_goes_as_soon_as_the_field_is_filled(clerk: Clerk, notes: notify.RecordingNotifier) -> None:
    Flow(clerk).pick("ncdb")
    clerk.click("agentToggle")
    clerk.click("channelPortal")
    clerk.key(RET, CTRL)  # nothing typed yet: each required field says so under itself
    assert clerk.page.step == "applicant"
    assert clerk.text("applicantNameError") == "请填写申请人姓名" and shown(clerk, "applicantNameError")
    assert shown(clerk, "agentError") and shown(clerk, "channelAppNoError") and shown(clerk, "applicantIdError")
    clerk.type("applicantName", "张三", dictated=True)
    assert not shown(clerk, "applicantNameError")  # filled: the error is gone, not left until the next check
    clerk.type("applicantId", APPLICANT_ID[:6])
    assert not shown(clerk, "applicantIdError")  # being typed
    clerk.type("agentName", "张小明", dictated=True)
    assert shown(clerk, "agentError")  # the relation is still missing
    clerk.type("agentRelation", "儿子")
    assert not shown(clerk, "agentError")
    clerk.type("channelAppNo", "HB20261126001")
    assert not shown(clerk, "channelAppNoError")
    clerk.w("applicantId").clear()
    clerk.type("applicantId", APPLICANT_ID)
    clerk.key(RET, CTRL)
    assert clerk.page.step == "checklist"
    clerk.key(RET, CTRL)
    assert not shown(clerk, "refuseReason")  # accepting: no refusal reason on the screen
    clerk.click("outcomeRefuse")  # no reason yet: its field comes up, asking for it
    assert shown(clerk, "refuseReason")
    assert clerk.text("outcomeError") == "请填写不予受理的理由" and clerk.focused() == "refuseReason"
    clerk.type("refuseReason", "户籍不在本县")
    assert not shown(clerk, "outcomeError")
    assert notes.messages == []


def test_an_id_with_no_such_province_is_refused_inline(clerk: Clerk, notes: notify.RecordingNotifier) -> None:
    Flow(clerk).pick("ncdb")
    clerk.type("applicantName", "张三", dictated=True)
    clerk.type("applicantId", "999999194912310025")  # its check digit is right; the region is not
    assert shown(clerk, "applicantIdError")
    assert "前6位地址码 999999 不是有效的行政区划代码" in clerk.text("applicantIdError")
    clerk.key(RET, CTRL)
    assert clerk.page.step == "applicant" and notes.messages == []


def test_full_width_digits_are_stored_and_printed_as_ascii(clerk: Clerk, printed, notes: notify.RecordingNotifier
                                                            ) -> None:  # type: ignore[no-untyped-def]
    """A Chinese input method in full-width mode types １１０１…２ｘ: the check reads it, and so must the
    record, the hub and the papers (a case list search by the ID, the call list's phone)."""
    Flow(clerk).pick("ncdb")
    clerk.type("applicantName", "张三", dictated=True)
    clerk.type("applicantId", "１１０１０５１９４９１２３１００２ｘ")
    clerk.type("applicantPhone", "１３８ ００１３ ８０００")
    assert not shown(clerk, "applicantIdError") and not shown(clerk, "applicantPhoneError")
    clerk.click("channelPortal")
    clerk.type("channelAppNo", "ＨＢ２０２６１１２６００１")
    clerk.key(RET, CTRL)
    Flow(clerk).all_provided_and_on()
    clerk.key(RET)  # 受理
    assert clerk.page.result is not None and clerk.launch.db is not None
    case = read_case(clerk.launch.db, clerk.page.result.cases[0].case_uuid)
    applicant = case.parties.applicant
    assert applicant is not None
    assert (applicant.id_number, applicant.phone) == (APPLICANT_ID, "13800138000")
    assert case.intake.online_application_no == "HB20261126001"
    clerk.key(Qt.Key.Key_P)
    receipt = printed[-1].text
    assert "110105********002X" in receipt and "138****8000" in receipt
    assert "１３８" not in receipt
    assert notes.texts("error") == []
