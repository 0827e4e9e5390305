"""Drafts: saved as the clerk types (debounced) and at once on a step change; offered back at sign-in;
continuing fills every field; discarding and setting aside both ask first; finishing deletes the draft."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from clerk_desk.services import drafts
from clerk_desk.services.case_read import read_case
from clerk_desk.ui import notify
from tests.ui.intake.conftest import APPLICANT_ID
from tests.ui.intake.driver import Clerk, Flow, screen_values, wait_until

RET, ESC = Qt.Key.Key_Return, Qt.Key.Key_Escape
CTRL = Qt.KeyboardModifier.ControlModifier


def waiting(c: Clerk) -> list[drafts.Draft]:
    assert c.launch.db is not None
    return drafts.pending(c.launch.db, c.page.session.user.id)


def sign_out_and_in(c: Clerk) -> Clerk:
    action = c.window.findChild(QAction, "actionSignOut")
    assert action is not None
    action.trigger()
    return Clerk(c.launch, c.printed, open_intake=False)


def test_typing_is_saved_after_a_pause_and_at_each_step(clerk: Clerk, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert waiting(clerk) == []  # an empty screen is not a draft
    Flow(clerk).pick("ncdb")
    assert waiting(clerk)[0].data["step"] == "applicant"  # the step change saved at once
    clerk.type("applicantName", "张三", dictated=True)
    assert waiting(clerk)[0].data["form"]["applicant"]["name"] == ""  # not yet: debounced
    qtbot.waitUntil(lambda: waiting(clerk)[0].data["form"]["applicant"]["name"] == "张三", timeout=3000)
    assert "草稿已自动保存" in clerk.text("intakeDraftStatus")
    assert len(waiting(clerk)) == 1  # one draft, updated in place


def test_offered_back_at_sign_in_and_continued(clerk: Clerk, notes: notify.RecordingNotifier) -> None:
    flow = Flow(clerk)
    flow.pick("ncdb")
    flow.person("张三", APPLICANT_ID, "13800138000")
    Flow(clerk).all_provided_and_on()
    clerk.key(Qt.Key.Key_Down, to="deliveryMethod")  # 窗口领取 -> 邮寄送达: the address field opens
    assert clerk.page.outcome.delivery.currentData() == "post" and clerk.focused() == "deliveryAddress"
    clerk.type("deliveryAddress", "通山县通羊镇新城路8号")
    clerk.page.keeper.save_now()
    before = screen_values(clerk.page)
    again = sign_out_and_in(clerk)
    wait_until(lambda: again.window.stack.currentWidget() is again.page)  # brought forward by itself
    assert again.w("draftBanner").isVisible()
    assert "农村低保初审及转报 · 张三" in again.text("draftInfo")
    again.click("draftResume")
    assert screen_values(again.page) == before
    assert not again.w("draftBanner").isVisible()
    # finishing the continued intake removes that very draft
    assert again.page.step == "outcome"
    again.key(RET, to="deliveryAddress")  # Enter in the address accepts
    assert again.page.step == "done" and waiting(again) == []
    assert again.page.result is not None and again.launch.db is not None
    delivery = read_case(again.launch.db, again.page.result.cases[0].case_uuid).intake.delivery
    assert delivery is not None and delivery.method == "post"
    assert delivery.address == "通山县通羊镇新城路8号"


def test_discarding_asks_first(clerk: Clerk, notes: notify.RecordingNotifier) -> None:
    Flow(clerk).pick("ncdb")
    again = sign_out_and_in(clerk)
    notes.answer = False
    again.click("draftDiscard")
    assert notes.texts("confirm") == ["放弃这份未完成的受理吗？其中已填写的内容将被删除。"]
    assert notes.defaults == [False]  # deleting is never taken on a stray Enter
    assert len(waiting(again)) == 1 and again.w("draftBanner").isVisible()
    notes.answer = True
    again.click("draftDiscard")
    assert waiting(again) == [] and not again.w("draftBanner").isVisible()


def test_escape_goes_back_and_on_the_first_step_asks_before_setting_aside(
    clerk: Clerk, notes: notify.RecordingNotifier
) -> None:
    flow = Flow(clerk)
    flow.pick("ncdb")
    clerk.type("applicantName", "张三", dictated=True)
    clerk.key(ESC)
    assert clerk.page.step == "item" and clerk.text("applicantName") == "张三"  # back, nothing lost
    notes.answer = False
    clerk.key(ESC, to="intakeSearch")
    assert notes.texts("confirm")[-1].startswith("暂存本次受理")
    assert notes.defaults[-1] is True  # nothing is lost by setting aside: Enter takes it
    assert clerk.text("applicantName") == "张三"  # answered no: still on screen
    notes.answer = True
    clerk.key(ESC, to="intakeSearch")
    assert clerk.text("applicantName") == "" and clerk.page.selection is None
    kept = waiting(clerk)
    assert len(kept) == 1 and kept[0].data["form"]["applicant"]["name"] == "张三"  # set aside, not lost
    assert clerk.w("draftBanner").isVisible()


def test_a_storage_failure_while_saving_a_draft_is_said_quietly(clerk: Clerk, notes, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from clerk_desk.domain.errors import StorageError

    def full(*_a, **_k):  # type: ignore[no-untyped-def]
        raise StorageError("磁盘空间已满，本次操作未保存。请清理磁盘后重试，已填写的内容仍保留在界面上。")

    monkeypatch.setattr(drafts, "save", full)
    Flow(clerk).pick("ncdb")
    assert "草稿未能保存：磁盘空间已满" in clerk.text("intakeDraftStatus")
    assert notes.messages == []  # no popup on every keystroke; the line under the form says it
    assert clerk.page.step == "applicant"


def test_what_was_typed_just_before_signing_out_is_kept(clerk: Clerk) -> None:
    """A second clerk takes the PC: the first signs out a moment after the last key (before the pause that
    saves a draft), and finds every field again at the next sign-in."""
    Flow(clerk).pick("ncdb")
    clerk.type("applicantName", "张三", dictated=True)
    clerk.type("applicantId", APPLICANT_ID, dictated=True)
    user_id = clerk.page.session.user.id
    action = clerk.window.findChild(QAction, "actionSignOut")
    assert action is not None
    action.trigger()  # at once: the debounce has not fired
    assert clerk.launch.db is not None
    wait_until(lambda: clerk.launch.controller is not None and clerk.launch.controller.dialog is not None)
    kept = drafts.pending(clerk.launch.db, user_id)
    assert len(kept) == 1
    assert kept[0].data["form"]["applicant"]["name"] == "张三"
    assert kept[0].data["form"]["applicant"]["id_number"] == APPLICANT_ID
