"""Who files a case's paper (domain/paper_custody.py): the window what never left it, the department
everything handed over, nobody what an applicant took back after 一次性告知."""

from __future__ import annotations

from clerk_desk.domain.lifecycle import EventType as E
from clerk_desk.domain.lifecycle import Side
from clerk_desk.domain.paper_custody import paper_holder, window_files


def test_the_window_keeps_what_it_finished_refused_or_saw_withdrawn_before_the_hand_over() -> None:
    for closed in (E.COMPLETED_ON_SPOT, E.REFUSED, E.WITHDRAWN):
        assert paper_holder(closed.value, handed_over=False) is Side.WINDOW
        assert window_files(closed.value, handed_over=False)


def test_the_department_keeps_everything_handed_over() -> None:
    assert paper_holder(E.WITHDRAWN.value, handed_over=True) is Side.BACK_OFFICE
    assert paper_holder(E.DELIVERED.value, handed_over=True) is Side.BACK_OFFICE
    assert paper_holder(E.DELIVERED.value, handed_over=False) is Side.BACK_OFFICE  # 送达 follows a hand-over
    assert paper_holder(None, handed_over=True) is Side.BACK_OFFICE  # still open in the back office
    assert not window_files(E.WITHDRAWN.value, handed_over=True)
    assert not window_files(E.DELIVERED.value, handed_over=True)


def test_nothing_is_kept_after_a_supplement_notice_and_an_open_case_is_not_filed_yet() -> None:
    assert paper_holder(E.SUPPLEMENT_NOTIFIED.value, handed_over=False) is None
    assert not window_files(E.SUPPLEMENT_NOTIFIED.value, handed_over=False)
    assert paper_holder(None, handed_over=False) is Side.WINDOW and not window_files(None, handed_over=False)
