"""Records that are not cases through a real county hub on 127.0.0.1: one window logs consultations, follows
a 帮办代办 and takes ratings between its case work, all in the one outbox; the hub stores every event once,
in the desk's order, with the same admission as case events; another window PC of the site pulls the
records (personal details included, sealed at rest) and the ratings. Forged record events are refused."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from clerk_desk.domain.hall_streams import HALL_DEPARTMENT
from clerk_desk.services import consultation, evaluation
from clerk_desk.services.consultation import AssistRequest, Consultation, Contact
from clerk_desk.services.evaluation import Rating
from clerk_desk.services.intake_forms import IntakeForm, ItemRef, MaterialCheck, Party
from clerk_desk.store.changes import ChangeKind
from clerk_desk.store.models import CaseEvent, HallRecord, utcnow
from clerk_desk.sync import enrolment
from clerk_desk.sync.hub_client import HubRefused
from tests.support.routing import at_window_for
from tests.sync.conftest import SITE, make_desk
from tests.sync.hub_log import assert_exactly_once_in_order, hub_events
from tests.ui.cases.case_kit import resident_id

ID_CARD = ItemRef("GA-009", "居民身份证挂失申报", "ga", "immediate")


def test_records_and_ratings_reach_the_hub_once_in_order_and_the_other_window_pulls_them(
    hub: tuple[str, object], tmp_path: Path,
) -> None:
    url, admin = hub
    a = make_desk(tmp_path / "a", url, admin)  # type: ignore[arg-type]
    b = make_desk(tmp_path / "b", url, admin)  # type: ignore[arg-type]
    t = utcnow() - timedelta(hours=1)
    form = IntakeForm((ID_CARD,), Party("person", "李四", resident_id(3), phone="13900000001"),
                      (MaterialCheck("居民身份证", provided=True, form="original", copies=1),))
    police_window = at_window_for(a.db, a.clerk, ID_CARD, t.date())  # a 公安 item is taken at the 公安窗口
    case = a.intake.complete_on_spot(form, police_window, result="已登记挂失", now=t).cases[0].case_uuid
    asked = consultation.log_consultation(a.db, a.clerk, Consultation(
        "城乡居民养老保险怎么续缴", item_code="RS-001", item_name="城乡居民养老保险参保登记", minutes=4,
        contact=Contact(name="王五", phone="13700000002")), now=t + timedelta(minutes=5))
    evaluation.rate(a.db, case, a.clerk, Rating.DISSATISFIED, "等候太久", now=t + timedelta(minutes=6))
    helped = consultation.open_assist(a.db, a.clerk, AssistRequest(
        Contact(name="赵六", id_number=resident_id(4)), "城乡居民医保缴费", platform="鄂汇办"),
        now=t + timedelta(minutes=7))
    consultation.record_step(a.db, a.clerk, helped, "受理", application_no="EHB2026120600017",
                             now=t + timedelta(minutes=8))
    a.engine.run_once()
    assert_exactly_once_in_order(a, tmp_path / "hub")
    with a.db.reading() as s:
        streams = [e.stream for e in s.scalars(select(CaseEvent).where(CaseEvent.origin == "local")
                                               .order_by(CaseEvent.device_seq))]
    assert streams[-5:] == ["consultation", "case", "assist", "assist"][-5:] or streams[-4:] == [
        "consultation", "case", "assist", "assist"]
    assert {"case", "consultation", "assist"} <= set(streams)
    logged = [u for u, *_ in hub_events(tmp_path / "hub")]
    with a.db.reading() as s:
        assert logged == list(s.scalars(select(CaseEvent.uuid).where(CaseEvent.origin == "local")
                                        .order_by(CaseEvent.device_seq)))  # the device's order is the log's

    heard: list[object] = []
    b.db.commit_listeners.append(heard.append)
    b.engine.run_once()
    told = set().union(*(c.cases for c in heard if ChangeKind.PULLED in c.kinds))  # type: ignore[attr-defined]
    assert {asked, helped, case} <= told  # the screens following the data read again (ui/case_watch.py)
    pulled = consultation.consultations(b.db, SITE, t, t + timedelta(days=1))
    assert [(r.uuid, r.topic, r.outcome, r.minutes, r.person) for r in pulled] == [
        (asked, "城乡居民养老保险怎么续缴", "answered", 4, "王五")]
    [assist] = consultation.assists(b.db, SITE)
    assert (assist.uuid, assist.person_name, assist.platform, assist.application_no) == (
        helped, "赵六", "鄂汇办", "EHB2026120600017")
    assert [s for s, _ in assist.steps] == ["委托", "受理"] and assist.next_step == "办理"
    assert [r.case_uuid for r in evaluation.follow_up_list(b.db, SITE)] == [case]
    with b.db.reading() as s:
        rec = s.get(HallRecord, helped)
        assert rec is not None and rec.version == 2
    # At rest on B the personal part is sealed: the raw row holds no name.
    raw = b.db.engine.raw_connection()
    try:
        row = raw.execute("SELECT data FROM hall_records WHERE uuid = ?", (helped,)).fetchone()
    finally:
        raw.close()
    assert "赵六" not in str(row[0])

    # Pulling again changes nothing (idempotent).
    b.engine.run_once()
    assert len(consultation.consultations(b.db, SITE, t, t + timedelta(days=1))) == 1


def test_forged_record_events_are_refused_by_the_hub(hub: tuple[str, object], tmp_path: Path) -> None:
    url, admin = hub
    a = make_desk(tmp_path / "a", url, admin)  # type: ignore[arg-type]
    client = enrolment.client_for(a.db)
    base = {"case_version": 0, "side": "window", "site_code": SITE, "department_code": HALL_DEPARTMENT,
            "payload": {}, "actor": "clerk1", "occurred_at": utcnow().isoformat(), "stream": "consultation"}
    device = a.db.engine.raw_connection()
    try:
        code = device.execute("SELECT value FROM settings WHERE key = 'device_code'").fetchone()[0]
    finally:
        device.close()

    def event(n: int, **over: object) -> dict[str, object]:
        import uuid

        return {**base, "uuid": str(uuid.uuid4()), "case_uuid": str(uuid.uuid4()), "type": "consultation_logged",
                "device_code": code, "device_seq": 1000 + n, **over}

    # A type of another stream under this stream: the request is malformed.
    with pytest.raises(HubRefused):
        client.push([event(1, type="attendance_signed_on")])
    answers = client.push([
        event(2, case_version=3),  # a record's first event at version 3
        event(3, department_code="rs"),  # a record under a department
        event(4, actor="nobody"),  # the same admission as case events
        event(5),  # a good one
    ])
    assert [(x["status"], x.get("code")) for x in answers] == [
        ("rejected", "illegal_transition"), ("rejected", "wrong_department"), ("rejected", "unknown_actor"),
        ("stored", None)]
