"""一天一归档 by the department on the approver's PC: the cases signed for that day, filed once, the paper
signed for earlier and not filed flagged, another department's case refused."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from clerk_desk.domain.errors import AuthError, Conflict, InputError
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services import department_archive as da
from clerk_desk.store.models import CaseEvent
from tests.services.test_approvals import AT, PENSION, POLICE, SITE, World


def signed(w: World, n: int, days_later: int) -> str:
    uid = w.transferred(PENSION, at=AT + timedelta(minutes=n))
    w.svc.receive(uid, w.approver, paper_received=True, now=AT + timedelta(days=days_later, minutes=30 + n))
    return uid


def test_the_day_lists_what_was_signed_for_and_files_it_once(tmp_path: Path) -> None:
    w = World(tmp_path)
    serves = ((SITE, "rs"), (SITE, "yb"), (SITE, "mz"))
    yesterday = signed(w, 1, 0)
    a, b = signed(w, 2, 1), signed(w, 3, 1)
    w.transferred(POLICE, at=AT + timedelta(minutes=9))  # another department's case never shows
    day = (AT + timedelta(days=1)).astimezone(SHANGHAI).date()
    got = da.signed_on(w.db, day, serves)
    assert [line.uuid for line in got.lines] == [a, b] and not any(line.filed for line in got.lines)
    assert (got.late, got.earliest_late) == (1, AT.astimezone(SHANGHAI).date())  # yesterday's paper, not filed
    filed = da.file_paper(w.db, w.approver, [a, b], day, now=AT + timedelta(days=1, hours=8))
    assert all(line.filed and line.filed_by == w.approver.display_name for line in filed)
    with pytest.raises(Conflict, match="不能重复归档"):
        da.file_paper(w.db, w.approver, [a], day)
    with pytest.raises(InputError, match="请勾选"):
        da.file_paper(w.db, w.approver, [], day)
    da.file_paper(w.db, w.approver, [yesterday], day)
    assert da.signed_on(w.db, day, serves).late == 0
    with w.db.reading() as s:
        evs = s.scalars(select(CaseEvent).where(CaseEvent.type == "paper_filed")).all()
    assert {(e.side, e.push_state) for e in evs} == {("back_office", "pending")} and len(evs) == 3
    assert da.signed_on(w.db, day, ((SITE, "ga"),)).lines == ()


def test_only_a_serving_approver_files(tmp_path: Path) -> None:
    w = World(tmp_path)
    uid = w.transferred(POLICE, at=AT)
    from clerk_desk.services.approvals import Approver

    with pytest.raises(AuthError, match="您不负责"):
        da.file_paper(w.db, Approver(w.approver.user_id, w.approver.username, w.approver.display_name), [uid],
                      AT.date())
