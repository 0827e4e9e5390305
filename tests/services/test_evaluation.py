"""好差评 on a real SQLite file: a rating is an event in the case's log (one per case, the case does not
move), bad ratings form the supervisor's follow-up list until a return call is recorded, and the list
equals a direct count over generated ratings."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from clerk_desk.domain.errors import Conflict, InputError
from clerk_desk.services import accounts, demo, evaluation, site_setup
from clerk_desk.services.evaluation import BAD, Rating
from clerk_desk.services.intake import Clerk, IntakeService
from clerk_desk.services.intake_forms import IntakeForm, ItemRef, MaterialCheck, Party
from clerk_desk.store.database import Database
from clerk_desk.store.models import Case, CaseEvent
from tests.ui.cases.case_kit import resident_id

MORNING = datetime(2026, 9, 29, 1, 0, tzinfo=UTC)
ID_CARD = ItemRef("GA-009", "居民身份证挂失申报", "ga", "immediate")


class Hall:
    def __init__(self, db: Database) -> None:
        self.db = db
        users = {u.username: u for u in accounts.list_users(db)}
        w = site_setup.list_windows(db)[0]
        c = users["clerk1"]
        self.clerk = Clerk(c.id, c.username, c.display_name, w.id, w.name)
        self.site = site_setup.site_info(db).site_code or ""
        self.intake = IntakeService(db)
        self.n = 0

    def completed(self, at: datetime, phone: str = "13800000000") -> str:
        self.n += 1
        form = IntakeForm((ID_CARD,), Party("person", f"张{self.n}", resident_id(self.n), phone=phone),
                          (MaterialCheck("居民身份证", provided=True, form="original", copies=1),))
        return self.intake.complete_on_spot(form, self.clerk, result="已登记挂失", now=at).cases[0].case_uuid


@pytest.fixture
def hall(tmp_path: Path) -> Iterator[Hall]:
    db = Database(tmp_path / "data")
    demo.ensure_demo_site(db)
    yield Hall(db)
    db.close()


def test_a_rating_is_an_annotation_in_the_case_log(hall: Hall) -> None:
    uid = hall.completed(MORNING)
    with hall.db.reading() as s:
        before = s.get(Case, uid)
        assert before is not None
        status, version = before.status, before.version
    assert [c.case_uuid for c in evaluation.awaiting_rating(hall.db, hall.site, MORNING - timedelta(hours=1))] == [uid]
    rec = evaluation.rate(hall.db, uid, hall.clerk, Rating.SATISFIED, now=MORNING + timedelta(minutes=1))
    with hall.db.reading() as s:
        case = s.get(Case, uid)
        ev = s.get(CaseEvent, rec.event_uuid)
        assert case is not None and ev is not None
        assert case.status == status and case.version == version + 1  # annotated, not moved
        assert (ev.type, ev.side, ev.push_state, ev.payload["rating"]) == ("rated", "window", "pending", "satisfied")
        assert ev.payload["summary"] == "满意"
    assert evaluation.awaiting_rating(hall.db, hall.site, MORNING - timedelta(hours=1)) == []
    with pytest.raises(Conflict, match="已有评价"):
        evaluation.rate(hall.db, uid, hall.clerk, Rating.VERY_SATISFIED)
    assert evaluation.follow_up_list(hall.db, hall.site) == []  # 满意 needs no return call


def test_bad_input_gets_a_clear_message_and_writes_nothing(hall: Hall) -> None:
    uid = hall.completed(MORNING)
    with pytest.raises(InputError, match="请选择评价等级"):
        evaluation.rate(hall.db, uid, hall.clerk, "great")
    with pytest.raises(InputError, match="过长"):
        evaluation.rate(hall.db, uid, hall.clerk, Rating.DISSATISFIED, "很" * 501)
    with pytest.raises(Conflict, match="没有需要回访"):
        evaluation.record_follow_up(hall.db, uid, hall.clerk, contact="电话", response="已解释", on=MORNING.date(),
                                    now=MORNING)
    evaluation.rate(hall.db, uid, hall.clerk, Rating.DISSATISFIED, "等候太久", now=MORNING)
    with pytest.raises(InputError, match="请填写联系方式.*请填写回访情况.*不能晚于今天"):
        evaluation.record_follow_up(hall.db, uid, hall.clerk, contact=" ", response="", on=date(2026, 9, 30),
                                    now=MORNING)
    with hall.db.reading() as s:
        assert s.scalar(select(CaseEvent.uuid).where(CaseEvent.type == "rating_followed_up")) is None


def test_follow_up_list_equals_a_direct_count_over_generated_ratings(hall: Hall) -> None:
    rnd = random.Random(14)
    given: dict[str, tuple[Rating, str]] = {}
    for i in range(60):
        at = MORNING + timedelta(minutes=7 * i)
        uid = hall.completed(at, phone=f"1380000{i:04d}")
        if rnd.random() < 0.85:
            rating = rnd.choice(list(Rating))
            comment = rnd.choice(["", "态度好", "等候太久", "材料要求说不清"])
            evaluation.rate(hall.db, uid, hall.clerk, rating, comment, now=at + timedelta(minutes=2))
            given[uid] = (rating, comment)
    bad = {u for u, (r, _) in given.items() if r in BAD}
    listed = evaluation.follow_up_list(hall.db, hall.site)
    assert {r.case_uuid for r in listed} == bad and len(listed) == len(bad) > 0
    assert all(r.rating is given[r.case_uuid][0] and r.comment == given[r.case_uuid][1] for r in listed)
    assert all(r.applicant_phone and r.applicant_phone.startswith("1380000") and not r.done for r in listed)
    assert [r.rated_at for r in listed] == sorted(r.rated_at for r in listed)
    # Return calls on half of them: they leave the open list and show with their facts on the full one.
    called = sorted(bad)[: len(bad) // 2]
    for uid in called:
        evaluation.record_follow_up(hall.db, uid, hall.clerk, contact="电话回访", response="已致歉并说明流程",
                                    on=date(2026, 9, 30), now=MORNING + timedelta(days=1))
    assert {r.case_uuid for r in evaluation.follow_up_list(hall.db, hall.site)} == bad - set(called)
    full = {r.case_uuid: r for r in evaluation.follow_up_list(hall.db, hall.site, include_done=True)}
    assert set(full) == bad
    assert all(full[u].done and full[u].followed_up_on == date(2026, 9, 30) and full[u].contact == "电话回访"
               for u in called)
    span = evaluation.ratings(hall.db, hall.site, MORNING, MORNING + timedelta(days=1))
    assert len(span) == len(given)
    for rating in Rating:
        assert sum(r.rating is rating for r in span) == sum(g[0] is rating for g in given.values())
    assert evaluation.follow_up_list(hall.db, "OTHER") == []
