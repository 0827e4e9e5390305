"""The clerk marks a case 紧急 on the outcome step: the reason is asked for, the hand-over gets 5 minutes, the
case page shows it (docs/hall-operations.md, "Urgency")."""

from __future__ import annotations

from PySide6.QtCore import Qt

from clerk_desk.services.case_read import read_case
from tests.ui.intake.conftest import APPLICANT_ID
from tests.ui.intake.driver import Clerk, Flow

RET = Qt.Key.Key_Return


def test_marking_urgent_asks_for_the_reason_and_gives_five_minutes(clerk: Clerk) -> None:
    flow = Flow(clerk)
    flow.pick("ncdb")  # 农村低保初审及转报: 15 minutes by the catalog
    flow.person("张三", APPLICANT_ID, "13800138000")
    flow.all_provided_and_on()
    assert clerk.page.step == "outcome"
    urgent = clerk.w("outcomeUrgent")
    assert urgent.isVisible() and not urgent.isChecked()  # type: ignore[attr-defined]
    assert not clerk.w("urgentReason").isVisible()
    clerk.click("outcomeUrgent")
    assert clerk.w("urgentReason").isVisible() and clerk.focused() == "urgentReason"
    clerk.click("outcomeAccept")  # no reason yet: asked for, nothing saved
    assert clerk.page.step == "outcome" and clerk.focused() == "urgentReason"
    assert clerk.text("outcomeError") == "请填写与事项目录紧急程度不同的理由"
    clerk.type("urgentReason", "申请人明日住院")
    clerk.key(RET)  # Enter in the reason accepts
    assert clerk.page.step == "done"
    assert clerk.text("doneTransferCountdown").startswith("流转后台：剩余 4 分")
    assert clerk.page.result is not None and clerk.launch.db is not None
    view = read_case(clerk.launch.db, clerk.page.result.cases[0].case_uuid)
    assert view.item.urgent and view.item.urgent_reason == "申请人明日住院"


def test_the_routine_accept_leaves_the_catalog_urgency(clerk: Clerk) -> None:
    flow = Flow(clerk)
    flow.pick("ncdb")
    flow.person("张三", APPLICANT_ID, "13800138000")
    flow.all_provided_and_on()
    clerk.key(RET)
    assert clerk.page.step == "done"
    assert clerk.page.result is not None and clerk.launch.db is not None
    view = read_case(clerk.launch.db, clerk.page.result.cases[0].case_uuid)
    assert not view.item.urgent and view.item.urgent_reason is None
    assert clerk.text("doneTransferCountdown").startswith("流转后台：剩余 14 分")


def test_each_case_of_a_bundle_is_marked_urgent_on_its_own(clerk: Clerk) -> None:
    flow = Flow(clerk)
    flow.pick("老年人")  # a theme bundle (一件事) of two items, neither urgent in the catalog
    flow.person("孙八", APPLICANT_ID)
    flow.all_provided_and_on()
    page = clerk.page
    assert page.selection is not None and len(page.selection.items) == 2
    assert not clerk.w("outcomeUrgent").isVisible()  # one box per case instead
    first, second = clerk.w("outcomeUrgent1"), clerk.w("outcomeUrgent2")
    assert first.isVisible() and second.isVisible() and not first.isChecked()  # type: ignore[attr-defined]
    # the item's name on its own wrapped line above its box (a long name in the box's text widened the page)
    assert clerk.text("outcomeUrgentItem2") == page.selection.items[1].name
    assert page.selection.items[1].name in second.accessibleName()  # type: ignore[attr-defined]
    assert not clerk.w("urgentReason2").isVisible()
    clerk.click("outcomeUrgent2")  # only the second case is urgent
    assert clerk.w("urgentReason2").isVisible() and clerk.focused() == "urgentReason2"
    assert not clerk.w("urgentReason1").isVisible()
    clerk.type("confirmedDays", "0")
    clerk.type("confirmedDays2", "10")
    clerk.click("outcomeAccept")  # the second case's reason is missing: asked for, nothing saved
    assert page.step == "outcome" and clerk.focused() == "urgentReason2"
    assert page.selection.items[1].name in clerk.text("outcomeError")
    clerk.type("urgentReason2", "老人明日住院")
    clerk.key(RET)
    assert page.step == "done" and page.result is not None and len(page.result.cases) == 2
    assert clerk.launch.db is not None
    views = [read_case(clerk.launch.db, c.case_uuid) for c in page.result.cases]
    by_name = {v.item.name: v.item for v in views}
    assert (by_name[page.selection.items[1].name].urgent,
            by_name[page.selection.items[1].name].urgent_reason) == (True, "老人明日住院")
    assert (by_name[page.selection.items[0].name].urgent,
            by_name[page.selection.items[0].name].urgent_reason) == (False, None)
    assert clerk.text("doneTransferCountdown").startswith("流转后台：剩余 4 分")  # the earliest hand-over
