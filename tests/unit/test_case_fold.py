"""The fold (domain/case_fold.py) against the lifecycle, over generated event histories (hypothesis), and
the facts it reads from a case's whole life."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from clerk_desk.domain.case_fold import CaseKey, Directory, fold, fold_wire, row_facts, transfer_facts
from clerk_desk.domain.case_view import EventRecord, Origin, Party, PauseKind, PushState
from clerk_desk.domain.lifecycle import (
    TRANSITIONS,
    CaseState,
    EventType,
    Side,
    Status,
    TransitionError,
    allowed_events,
    apply_event,
)

E, W, B = EventType, Side.WINDOW, Side.BACK_OFFICE
T0 = datetime(2026, 9, 29, 2, 30, tzinfo=UTC)
KEY = CaseKey("c-1", "421224100", "rs", item_code="rs-001", item_name="养老保险注销")
WAITING = (PushState.PENDING, PushState.IN_FLIGHT)
NOT_SENT = (PushState.HELD, PushState.REJECTED, PushState.SET_ASIDE)


@dataclass(frozen=True)
class Drawn:
    type: EventType
    side: Side
    version: int
    due_day: int | None  # an event that moves the due date carries one


@st.composite
def histories(draw: st.DrawFn) -> list[EventRecord]:
    """Mostly events the lifecycle allows at that point, some it refuses, some made against an old
    version; the first ones confirmed by the hub, the rest this desk's, in any push state."""
    state, drawn = CaseState(), []
    for _ in range(draw(st.integers(0, 24))):
        mode = draw(st.sampled_from(("allowed", "allowed", "allowed", "any", "stale")))
        options = [(et, sd) for sd in Side for et in allowed_events(state, sd)]
        moving = [o for o in options if TRANSITIONS[o[0]].target is not None and o[0] is not E.WITHDRAWN]
        if moving and draw(st.booleans()):  # walk on through the life more often than not
            options = moving
        if mode == "allowed" and options:
            et, sd = draw(st.sampled_from(options))
            version = state.version
        else:
            et, sd = draw(st.sampled_from(list(EventType))), draw(st.sampled_from(list(Side)))
            version = draw(st.integers(0, state.version)) if mode == "stale" else state.version
        with contextlib.suppress(TransitionError):
            state = apply_event(state, et, sd, version)
        moves_due = et in (E.ACCEPTED, E.CLOCK_RESUMED, E.RECEIVED) and draw(st.booleans())
        drawn.append(Drawn(et, sd, version, draw(st.integers(1, 60)) if moves_due else None))
    confirmed = draw(st.integers(0, len(drawn)))
    out = []
    for i, d in enumerate(drawn):
        payload: dict[str, Any] = {"case_number": "421224100-01-20260929-000001"}
        if d.due_day is not None:
            payload.update(
                due_at=(T0 + timedelta(days=d.due_day)).isoformat(), calendar_version=f"v{d.due_day}"
            )
        if d.type in (E.DOCUMENT_PRINTED, E.REPRINTED):
            payload["document"] = draw(st.sampled_from(("receipt", "pledge")))
        if i < confirmed:
            origin = draw(st.sampled_from((Origin.HUB, Origin.LOCAL)))
            push = (
                PushState.STORED
                if origin is Origin.HUB
                else draw(st.sampled_from((PushState.STORED, PushState.DUPLICATE)))
            )
            seq: int | None = i + 1
        else:
            origin, push, seq = Origin.LOCAL, draw(st.sampled_from(WAITING + NOT_SENT)), None
        out.append(
            EventRecord(
                f"e{i}",
                d.type.value,
                d.side.value,
                d.version,
                T0 + timedelta(minutes=i),
                "clerk1",
                payload,
                origin,
                push,
                seq,
            )
        )
    return out


def reference(events: list[EventRecord]) -> tuple[CaseState, int, list[str]]:
    """How the desk rebuilt a case before the fold (sync/outbox.replay), written out again."""
    ordered = sorted(events, key=lambda e: (e.case_version, e.hub_seq is not None, e.hub_seq or 0))
    state, applied = CaseState(), []
    for e in ordered:
        if e.origin is Origin.HUB or e.push_state in (PushState.STORED, PushState.DUPLICATE):
            try:
                state = apply_event(state, e.type, e.side, e.case_version)
                applied.append(e.uuid)
            except TransitionError:
                continue
    acked = state.version
    for e in ordered:
        if e.origin is Origin.LOCAL and e.push_state in WAITING:
            try:
                state = apply_event(state, e.type, e.side, e.case_version)
                applied.append(e.uuid)
            except TransitionError:
                break
    return state, acked, applied


@settings(max_examples=400, deadline=None)
@given(histories())
def test_the_fold_agrees_with_the_lifecycle(events: list[EventRecord]) -> None:
    view = fold(events, KEY)
    state, acked, applied = reference(events)
    assert view.state == state
    assert view.acked_version == acked
    assert [t.uuid for t in view.events if t.applied] == sorted(
        applied, key=[t.uuid for t in view.events].index
    )
    assert sorted(t.uuid for t in view.events) == sorted(e.uuid for e in events)  # every event, once
    assert view.version == len(applied)
    waiting_applied = [
        t for t in view.events if t.applied and t.push_state in WAITING and t.origin is Origin.LOCAL
    ]
    assert view.pending_events == len(waiting_applied)
    assert not [t for t in view.events if t.applied and t.push_state in NOT_SENT]
    asked = state.withdrawal_requested and state.owner is Side.BACK_OFFICE  # answered once out of its hands
    assert view.withdrawal_requested == asked
    assert (view.withdrawal is not None and view.withdrawal.pending) == asked
    assert view.pledge_open == state.pledge_open
    if view.status is not Status.PAUSED:
        assert view.paused_since is None
    dues = [t.payload["due_at"] for t in view.events if t.applied and "due_at" in t.payload]
    assert (view.due.due_at.isoformat() if view.due else None) == (dues[-1] if dues else None)
    prints = [t for t in view.events if t.type in ("document_printed", "reprinted")]
    assert sum(p.count for p in view.papers) == len(prints)
    # the case row's columns (sync's rebuild) are the same projection, without building the rest of the view
    row = row_facts(events)
    assert (row.state, row.acked_version) == (view.state, view.acked_version)
    assert (row.due_at, row.due.calendar_version if row.due else None) == (
        view.due_at, view.due.calendar_version if view.due else None)
    assert (row.status, row.version, row.pledge_open, row.withdrawal_requested) == (
        view.status, view.version, view.pledge_open, view.withdrawal_requested)


@settings(max_examples=200, deadline=None)
@given(histories())
def test_a_confirmed_valid_history_is_the_lifecycle_replay(events: list[EventRecord]) -> None:
    """Only what the lifecycle allowed, all confirmed: the fold's state is lifecycle.replay's."""
    state, kept = CaseState(), []
    for e in events:
        try:
            state = apply_event(state, e.type, e.side, state.version)
        except TransitionError:
            continue
        kept.append(
            EventRecord(
                e.uuid, e.type, e.side, len(kept), e.occurred_at, e.actor, e.payload, hub_seq=len(kept) + 1
            )
        )
    view = fold(kept, KEY)
    assert view.state == state and view.acked_version == state.version and view.pending_events == 0


# -- a whole life --------------------------------------------------------------------------------------
def ev(n: int, et: EventType, side: Side, minutes: float, **payload: Any) -> EventRecord:
    return EventRecord(
        f"e{n}",
        et.value,
        side.value,
        n,
        T0 + timedelta(minutes=minutes),
        "clerk1" if side is W else "wangfang",
        {"case_number": "N-1", **payload},
        Origin.HUB,
        PushState.STORED,
        n + 1,
    )


LIFE = [
    ev(
        0,
        E.ACCEPTED,
        W,
        0,
        item_code="rs-001",
        item_name="养老保险注销",
        applicant_id="p1",
        agent_id="p2",
        agent_relation="儿子",
        days=3,
        days_confirmed=False,
        due_at="2026-10-09T15:59:59+00:00",
        calendar_version="file:2026-1",
        urgent=False,
        channel="on_site",
        window_id="w1",
        catalog_version="2026.2",
        delivery={"method": "post", "address": "通羊镇"},
        checklist=[
            {"name": "居民身份证", "required": True, "provided": True, "form": "original", "copies": 1}
        ],
        situations=[{"code": "why", "question": "注销原因", "answer": "death", "label": "死亡"}],
        persons={"p1": {"kind": "person", "name": "张三", "id_number": "11010519491231002X"}},
    ),
    ev(1, E.PLEDGE_RECORDED, W, 0, materials=["死亡证明"], due="2026-10-20", text="十日内补齐"),
    ev(2, E.DOCUMENT_PRINTED, W, 1, document="receipt", paper="a4"),
    ev(3, E.TRANSFERRED, W, 20, late=True),
    ev(4, E.RECEIVED, B, 30, paper_received=True, summary="纸质材料已签收"),
    ev(5, E.CLOCK_PAUSED, B, 40, procedure="expert_review", reason="专家评审"),
    ev(
        6,
        E.CLOCK_RESUMED,
        B,
        60 * 24 * 10,
        due_at="2026-10-13T15:59:59+00:00",
        calendar_version="file:2026-1",
    ),
    ev(7, E.PLEDGE_FULFILLED, W, 60 * 24 * 10 + 5),
    ev(8, E.WITHDRAWAL_REQUESTED, W, 60 * 24 * 10 + 6, reason="不办了", requested_by="applicant"),
    ev(9, E.DECIDED, B, 60 * 24 * 10 + 7, decision="approved", result_text="准予注销", document_number="7号"),
    ev(10, E.RESULT_RETURNED, B, 60 * 24 * 10 + 8),
    ev(
        11,
        E.DELIVERED,
        W,
        60 * 24 * 11,
        method="window",
        recipient="agent",
        recipient_id="p2",
        id_checked=True,
    ),
    ev(12, E.REPRINTED, W, 60 * 24 * 11 + 1, document="receipt", paper="80mm"),
]


def test_the_facts_of_a_whole_life() -> None:
    people = {"p2": Party("person", "王小明", "421224196001011234")}
    view = fold(
        LIFE,
        KEY,
        people=people,
        directory=Directory({"rs": "人社"}, {"wangfang": "王芳"}, {"w1": "综合窗口（一）"}),
    )
    assert view.status is Status.DELIVERED and view.version == 13 and view.pending_events == 0
    assert (view.item.name, view.item.department_name, view.item.catalog_version) == (
        "养老保险注销",
        "人社",
        "2026.2",
    )
    assert view.parties.applicant == Party("person", "张三", "11010519491231002X")  # carried by the event
    assert view.parties.agent == people["p2"] and view.parties.agent_relation == "儿子"
    assert (view.intake.outcome, view.intake.channel, view.intake.window_name) == (
        "accepted",
        "on_site",
        "综合窗口（一）",
    )
    assert view.intake.delivery is not None and view.intake.delivery.method == "post"
    assert [m.name for m in view.checklist] == ["居民身份证"] and view.situations[0].label == "死亡"
    assert view.transfer is not None and view.transfer.late and view.transfer.took_s == 1200
    assert view.received is not None and view.received.act.actor_name == "王芳"
    assert [p.kind for p in view.pauses] == [PauseKind.SPECIAL_PROCEDURE] and view.pauses[
        0
    ].ended_at is not None
    assert view.due is not None and view.due.due_at.day == 13 and view.due.days == 3
    assert view.pledge is not None and not view.pledge.open and view.pledge.fulfilled is not None
    assert view.withdrawal is not None and view.withdrawal.reason == "不办了" and not view.withdrawal.pending
    assert view.decision is not None and view.decision.approved and view.decision.returned is not None
    assert view.handover is not None and view.handover.recipient_party == people["p2"]
    assert (view.closed_as, view.prints_of("receipt"), view.prints_of("pledge")) == ("delivered", 2, 0)


def test_the_hub_log_folds_to_the_same_view() -> None:
    wire = [
        {
            "uuid": e.uuid,
            "case_uuid": KEY.uuid,
            "case_version": e.case_version,
            "type": e.type,
            "side": e.side,
            "site_code": KEY.site_code,
            "department_code": KEY.department_code,
            "payload": dict(e.payload),
            "actor": e.actor,
            "device_code": "0001",
            "occurred_at": e.occurred_at.isoformat().replace("+00:00", "Z"),
            "seq": e.hub_seq,
        }
        for e in LIFE
    ]
    hub = fold_wire(wire)
    desk = fold(LIFE, CaseKey(KEY.uuid, KEY.site_code, KEY.department_code))
    assert hub == desk


def test_a_paused_case_says_since_when_and_a_supplement_ends_it() -> None:
    paused = fold(LIFE[:6], KEY)
    assert paused.status is Status.PAUSED and paused.paused_since == LIFE[5].occurred_at
    back = fold([*LIFE[:6], ev(6, E.SUPPLEMENT_REQUESTED, B, 50, missing=["户口簿"])], KEY)
    assert back.status is Status.SUPPLEMENT_REQUESTED and back.paused_since is None
    assert [(p.kind, p.ended_at is None) for p in back.pauses] == [
        (PauseKind.SPECIAL_PROCEDURE, False),
        (PauseKind.SUPPLEMENT, True),
    ]
    assert back.supplement is not None and back.supplement.missing == ("户口簿",)


def test_transfer_facts_within_and_after_the_limit() -> None:
    on_time = transfer_facts(T0, True, [("transferred", T0 + timedelta(minutes=4), False)])
    assert (on_time.limit_minutes, on_time.took_s, on_time.late) == (5, 240, False)
    again = transfer_facts(
        T0,
        False,
        [
            ("transferred", T0 + timedelta(minutes=16), False),
            ("retransferred", T0 + timedelta(days=2), False),
        ],
    )
    assert again.late and again.retransferred and again.last_at == T0 + timedelta(days=2)
