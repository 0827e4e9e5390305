"""The two writers of the hub's storage agree: the SQLite writer (county_hub.storage.sqlite, Python) and the
PostgreSQL one (``hub_append``, PL/pgSQL of migration 0002) give the same answer to every pushed event and
leave the same log (docs/hub.md, "Storage").

Hypothesis generates programs: a few pushes, each a batch from one of three devices (two window PCs, one
back-office PC) over a handful of cases in two departments, sometimes with another device's push landing
between the plan and the append lock (the writers' re-check and second plan). Most events follow the
lifecycle; the others are duplicates, re-sent rejected events, a uuid re-used with another body, stale or
future versions, versions out of order within a batch, events of the other side, cases moved to another
department, unknown or unauthorised actors, times in the future or before the device's enrolment, device
counters that jump and counters lower than one already stored, intakes naming a window of the hub's window
directory, one it does not know or none, and items the published catalog puts in another department. Each program runs against a real SQLite
file and a real PostgreSQL database set up alike, with the hub's clock fixed; then every answer, the log
(seq order and every stored column, the payload's text as stored), the cases, the rejections, the audit
rows of rejections, the counter, the devices' counters, each device's pull and snapshot must be equal.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, Text, cast, delete, select, update

from clerk_desk.domain.lifecycle import (
    CaseState,
    EventType,
    Side,
    TransitionError,
    allowed_events,
    apply_event,
)
from county_hub import devices, directory, grants, publications, queries, windows
from county_hub.admission import INTAKE_TYPES
from county_hub.db import write_engine
from county_hub.migrate import upgrade
from county_hub.models import (
    AuditEntry,
    Case,
    CountyCase,
    CountyDaily,
    CountyDuration,
    CountyDurationMonthly,
    CountyItem,
    CountyMonthly,
    Device,
    Event,
    RejectedEvent,
)  # fmt: skip
from county_hub.models import Counter as LogCounter
from county_hub.push import push_events
from county_hub.push_plan import Answer
from county_hub.schemas import WireEvent, iso_utc
from county_hub.storage import Storage, open_storage
from tests.support.catalogs import catalog_bytes, item
from tests.support.postgres import PostgresServer

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # the hub's clock at the first push of a program
ENROLLED = T0 - timedelta(days=1)
SITE_A, SITE_B = "421224100", "421224101"
DEPARTMENTS = ("rs", "mz")
CASES = [str(uuid.UUID(int=0xCA5E_0000 + i)) for i in range(5)]
# name -> (device code, kind)
DEVICES = {"w1": ("0001", "clerk"), "w2": ("0002", "clerk"), "b1": ("0003", "approver")}
# Who may act: clerk1 at the window always; clerk2 until T0 - 30 min; approver1 for rs; approver2 for mz
# from T0 - 1 h; supervisor_b at another site; ghost is nobody.
ACTORS = ("clerk1", "clerk2", "approver1", "approver2", "supervisor_b", "ghost")
PASSWORD = "Tongshan-2026-hub"


# --- two hubs set up alike ----------------------------------------------------------------------------


@dataclass
class World:
    storage: Storage
    tokens: dict[str, str]  # device name -> token
    token_ids: dict[str, str]  # token id -> device name (token ids are random: compared by device)


def _world(url: str) -> World:
    storage = open_storage(url)
    upgrade(storage.engine)
    tokens: dict[str, str] = {}
    with write_engine(storage.engine).begin() as conn:
        devices.add_site(conn, SITE_A, "通羊镇", "test")
        devices.add_site(conn, SITE_B, "南林桥镇", "test")
        for name, (code, kind) in DEVICES.items():
            serves = [(SITE_A, d) for d in DEPARTMENTS] if kind == "approver" else []
            devices.add_device(conn, SITE_A, kind, serves, code, "test")
            enrolment = devices.issue_enrolment_code(conn, code, 1.0, "test")
            tokens[name] = devices.enrol(conn, enrolment, name, {})["token"]
        since = T0 - timedelta(days=365)
        directory.add_user(conn, "clerk1", "王芳", PASSWORD, ["clerk"], SITE_A, valid_from=since)
        directory.add_user(conn, "clerk2", "李强", PASSWORD, ["clerk"], SITE_A, valid_from=since)
        grants.end(conn, "clerk2", T0 - timedelta(minutes=30))
        directory.add_user(
            conn, "approver1", "张伟", PASSWORD, ["approver"], None, [(SITE_A, "rs")], valid_from=since
        )
        directory.add_user(
            conn,
            "approver2",
            "刘洋",
            PASSWORD,
            ["approver"],
            None,
            [(SITE_A, "mz")],
            valid_from=T0 - timedelta(hours=1),
        )
        directory.add_user(conn, "supervisor_b", "陈静", PASSWORD, ["supervisor"], SITE_B, valid_from=since)
        conn.execute(update(Device).values(enrolled_at=ENROLLED))
        # The window directory intake events are judged by (county_hub.windows), and a published catalog.
        windows.put(conn, SITE_A, "综合窗口（一）", "comprehensive", devices=[DEVICES["w1"][0]], actor="test")
        windows.put(conn, SITE_A, "民政专窗", "department", department_code="mz", items=["MZ-9"], actor="test")
        publications.publish(conn, "catalog", catalog_bytes("2026.12", [item("MZ-9", "临时救助申请")]), "test")
    token_ids = {storage.device(token).token_id: name for name, token in tokens.items()}
    return World(storage, tokens, token_ids)


@pytest.fixture(scope="module")
def worlds(
    tmp_path_factory: pytest.TempPathFactory, pg_server: PostgresServer
) -> Iterator[tuple[World, World]]:
    sqlite = _world(f"sqlite:///{tmp_path_factory.mktemp('writers') / 'hub.sqlite3'}")
    postgres = _world(pg_server.create_database())
    yield sqlite, postgres
    for world in (sqlite, postgres):
        world.storage.engine.dispose()


def _reset(engine: Engine) -> None:
    """An empty log, the same users and devices (what a program starts from)."""
    with write_engine(engine).begin() as conn:
        for table in (Event, Case, RejectedEvent, CountyCase, CountyDaily, CountyDuration, CountyMonthly,
                      CountyDurationMonthly, CountyItem):
            conn.execute(delete(table))
        conn.execute(delete(AuditEntry).where(AuditEntry.action == "event_rejected"))
        conn.execute(update(LogCounter).values(value=0))
        conn.execute(update(Device).values(max_device_seq=0, last_push_at=None))


# --- programs -----------------------------------------------------------------------------------------


@dataclass
class Step:
    device: str
    events: list[dict[str, Any]]
    meanwhile: tuple[str, list[dict[str, Any]]] | None  # another device's push between plan and lock


@dataclass
class Model:
    """What the generator believes of the cases (only to make most events plausible; the hub decides)."""

    cases: dict[str, tuple[CaseState, str]] = field(default_factory=dict)  # case -> (state, department)
    sent: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # device -> events sent
    seqs: dict[str, int] = field(default_factory=lambda: dict.fromkeys(DEVICES, 0))
    made: int = 0

    def uuid(self) -> str:
        self.made += 1
        return str(uuid.UUID(int=self.made))

    def copy(self) -> Model:
        return Model(
            dict(self.cases), {k: list(v) for k, v in self.sent.items()}, dict(self.seqs), self.made + 500
        )


KINDS = (
    *["valid"] * 8,
    "resend",
    "resend",
    "conflict",
    "stale",
    "any_type",
    "actor",
    "future",
    "before_enrolment",
    "seq_jump",
    "old_seq",
    "moved",
    "swap",
)
# Windows an intake names: the first PC's own, a 专窗 any PC works, one the directory does not know, none.
WINDOWS = ("综合窗口（一）", "民政专窗", "综合窗口（九）", None)
payloads = st.fixed_dictionaries(
    {"note": st.text(max_size=6)},  # any code point, lone surrogates and NUL included
    optional={
        "amount": st.floats(allow_nan=False, allow_infinity=False),
        "items": st.lists(st.integers(), max_size=3),
    },
)


def _side(device: str) -> Side:
    return Side.WINDOW if DEVICES[device][1] == "clerk" else Side.BACK_OFFICE


def _actor(device: str, department: str) -> str:
    if _side(device) is Side.WINDOW:
        return "clerk1"
    return "approver1" if department == "rs" else "approver2"


def _at(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@st.composite
def _event(draw: st.DrawFn, model: Model, device: str, late: bool = False) -> list[dict[str, Any]]:
    """One event (two for a swap) of ``device``, updating the model as if it were stored. A ``late``
    event was made before the device's last one (its case was held back on the desk): a lower counter."""
    kind = draw(st.sampled_from(KINDS))
    earlier = model.sent.get(device, [])
    if kind in ("resend", "conflict") and earlier:
        again = dict(draw(st.sampled_from(earlier)))
        if kind == "conflict":
            again["payload"] = {"changed": model.uuid()}
        return [again]
    if kind == "swap":
        first = draw(_event(model, device, late))
        return [*draw(_event(model, device, late)), *first]
    side = _side(device)
    # Mostly a case this side can move on (a back-office PC has nothing to do with a case not yet transferred).
    movable = [c for c in CASES if allowed_events(model.cases.get(c, (CaseState(), ""))[0], side)]
    case = draw(st.sampled_from(movable if movable and kind != "any_type" else CASES))
    state, department = model.cases.get(case, (CaseState(), draw(st.sampled_from(DEPARTMENTS))))
    allowed = allowed_events(state, side)
    event_type = (
        draw(st.sampled_from(allowed)) if allowed and kind != "any_type" else draw(st.sampled_from(EventType))
    )
    version = state.version
    if kind == "stale":
        version = max(0, version + draw(st.sampled_from((-2, -1, 1, 3))))
    model.seqs[device] += 1
    event = {
        "uuid": model.uuid(),
        "case_uuid": case,
        "case_version": version,
        "type": event_type.value,
        "side": side.value,
        "site_code": SITE_A,
        "department_code": department,
        "payload": draw(payloads),
        "actor": _actor(device, department),
        "device_code": DEVICES[device][0],
        "occurred_at": _at(T0 - timedelta(seconds=draw(st.integers(0, 1800)))),
        "device_seq": model.seqs[device],
    }
    if event_type.value in INTAKE_TYPES:  # which window, which item: the directory and the catalog judge
        event["payload"] = {**event["payload"], "item_code": draw(st.sampled_from(("RS-1", "MZ-9", "MZ-1")))}
        # names that change and come late (the latest by occurred_at names the code), or none
        event["payload"]["item_name"] = draw(st.sampled_from(("甲", "乙", "丙", "", None)))
        if (window := draw(st.sampled_from(WINDOWS))) is not None:
            event["payload"]["window"] = {"name": window, "kind": "comprehensive"}
    if kind == "actor":
        event["actor"] = draw(st.sampled_from(ACTORS))
        event["occurred_at"] = _at(T0 - timedelta(seconds=draw(st.integers(0, 7200))))
    elif kind == "future":
        event["occurred_at"] = _at(T0 + timedelta(seconds=draw(st.sampled_from((300, 601, 900, 7200)))))
    elif kind == "before_enrolment":
        event["occurred_at"] = _at(ENROLLED - timedelta(seconds=draw(st.sampled_from((300, 601, 86400)))))
    elif kind == "seq_jump":
        jump = draw(st.sampled_from((99_990, 100_000, 100_001, 250_000)))
        event["device_seq"] = model.seqs[device] + jump
        if jump <= 100_000:  # taken (unless refused for another reason): the device counts on from there
            model.seqs[device] += jump
    elif kind == "old_seq" or late:
        model.seqs[device] -= 1
        event["device_seq"] = draw(st.integers(1, max(1, model.seqs[device])))
    elif kind == "moved" and case in model.cases:
        event["department_code"] = next(d for d in DEPARTMENTS if d != department)
    if kind == "valid" or (kind == "stale" and version == state.version):
        with contextlib.suppress(TransitionError):
            model.cases[case] = (apply_event(state, event_type, side, version), department)
    model.sent.setdefault(device, []).append(event)
    return [event]


@st.composite
def _batch(draw: st.DrawFn, model: Model, device: str, most: int) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    late = draw(st.integers(0, 5)) == 0  # a batch of events held back: counters below the device's highest
    for _ in range(draw(st.integers(1, most))):
        events += draw(_event(model, device, late))
    return events


@st.composite
def programs(draw: st.DrawFn) -> list[Step]:
    model = Model()
    steps = []
    for _ in range(draw(st.integers(1, 5))):
        device = draw(st.sampled_from(sorted(DEVICES)))
        before = model.copy()  # the other push is made from what was known before this one
        events = draw(_batch(model, device, 10))
        meanwhile = None
        if draw(st.integers(0, 3)) == 0:
            other = draw(st.sampled_from(sorted(DEVICES)))
            meanwhile = (other, draw(_batch(before, other, 3)))
            model.sent.setdefault(other, []).extend(meanwhile[1])
            model.seqs[other] = max(model.seqs[other], before.seqs[other])
            model.made = max(model.made, before.made)
        steps.append(Step(device, events, meanwhile))
    return steps


def _describe(program: list[Step]) -> str:
    """A program, one line per event (what a failing example is read from)."""
    lines = []

    def add(device: str, events: list[dict[str, Any]], indent: str) -> None:
        lines.append(f"{indent}push from {device}:")
        for e in events:
            lines.append(
                f"{indent}  {e['uuid'][-4:]} case {e['case_uuid'][-1]} {e['department_code']} v{e['case_version']} "
                f"{e['type']} by {e['actor']} at {e['occurred_at']} seq {e['device_seq']} payload {e['payload']}"
            )

    for step in program:
        if step.meanwhile is not None:
            add(*step.meanwhile, "  (between the next push's plan and its lock) ")
        add(step.device, step.events, "")
    return "\n".join(lines)


# --- running and comparing ----------------------------------------------------------------------------


def _push(
    world: World, device: str, events: list[dict[str, Any]], now: datetime, **hooks: Any
) -> list[Answer]:
    context = world.storage.device(world.tokens[device])  # as a request loads it: max_device_seq as stored
    wire = [WireEvent.model_validate(e) for e in events]
    return push_events(world.storage, context, wire, clock=lambda: now, **hooks)


def _run(world: World, program: list[Step]) -> list[list[dict[str, Any]]]:
    """Every answer of every push, in order (another push's answers before those of the push it cut into)."""
    _reset(world.storage.engine)
    answers: list[list[dict[str, Any]]] = []
    for number, step in enumerate(program):
        now = T0 + timedelta(seconds=number)
        cut_in = step.meanwhile

        def meanwhile(cut_in: tuple[str, list[dict[str, Any]]] | None = cut_in, now: datetime = now) -> None:
            if cut_in is not None:
                other, events = cut_in
                got = _push(world, other, events, now - timedelta(milliseconds=500))
                answers.append([a.as_dict() for a in got])

        mine = _push(world, step.device, step.events, now, after_plan=meanwhile)
        answers.append([a.as_dict() for a in mine])
    return answers


def _state(world: World) -> dict[str, Any]:
    """Everything a push leaves behind, and what the devices read back, in comparable form."""
    by_device = world.token_ids
    with world.storage.engine.connect() as conn:
        columns = [c for c in Event.__table__.c if c.name not in ("payload", "token_id")]
        events = [
            (*row[:-2], by_device[row[-2]], row[-1])
            for row in conn.execute(
                select(*columns, Event.token_id, cast(Event.payload, Text)).order_by(Event.seq)
            )
        ]
        cases = [tuple(r) for r in conn.execute(select(Case.__table__).order_by(Case.case_uuid))]
        rejected = [
            tuple(r) for r in conn.execute(select(RejectedEvent.__table__).order_by(RejectedEvent.uuid))
        ]
        audit = [
            (r.at, r.actor, r.subject, r.detail)
            for r in conn.execute(
                select(AuditEntry.__table__)
                .where(AuditEntry.action == "event_rejected")
                .order_by(AuditEntry.id)
            )
        ]
        # The county figures each writer keeps with the log (county_hub.county_projection).
        county_cases = [tuple(r) for r in conn.execute(select(CountyCase.__table__).order_by(CountyCase.case_uuid))]
        county_daily = sorted(tuple(r) for r in conn.execute(select(CountyDaily.__table__)))
        county_durations = sorted(tuple(r) for r in conn.execute(select(CountyDuration.__table__)))
        county_months = [sorted(tuple(r) for r in conn.execute(select(t.__table__)))
                         for t in (CountyMonthly, CountyDurationMonthly, CountyItem)]  # fmt: skip
        counter = conn.execute(select(LogCounter.value)).scalar_one()
        device_rows = [
            tuple(r)
            for r in conn.execute(
                select(Device.code, Device.max_device_seq, Device.last_push_at).order_by(Device.code)
            )
        ]
    read_back = {}
    for name, token in sorted(world.tokens.items()):
        scope = world.storage.device(token).scope
        with world.storage.consistent_read() as conn:
            snapshot = queries.snapshot(conn, scope)
        del snapshot["server_time"]
        read_back[name] = (json.loads(world.storage.pull(token, 0, 1000)), snapshot)
    return {
        "events": events,
        "cases": cases,
        "rejected_events": rejected,
        "audit": audit,
        "counter": counter,
        "county_cases": county_cases,
        "county_daily": county_daily,
        "county_durations": county_durations,
        "county_months": county_months,
        "devices": device_rows,
        "read_back": read_back,
    }


EXPECTED = {
    "stored",
    "duplicate",
    "uuid_conflict",
    "stale_version",
    "illegal_transition",
    "wrong_side",
    "case_moved",
    "unknown_actor",
    "actor_not_authorized",
    "occurred_in_future",
    "occurred_before_enrolment",
    "device_seq_jump",
    "unknown_window",
    "window_not_this_device",
    "window_cannot_take",
    "item_department",
}


def test_sqlite_and_postgresql_writers_give_the_same_answers_and_log(worlds: tuple[World, World]) -> None:
    sqlite, postgres = worlds
    seen: Counter[str] = Counter()
    sizes: list[int] = []

    @settings(
        max_examples=200,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(programs())
    def writers_agree(program: list[Step]) -> None:
        note(_describe(program))
        expected = _run(sqlite, program)
        assert _run(postgres, program) == expected
        assert _state(postgres) == _state(sqlite)
        for answers in expected:
            seen.update(a.get("code", a["status"]) for a in answers)
        sizes.append(sum(len(a) for a in expected))

    writers_agree()
    # The programs reached every answer the plan can give (else the comparison proves less than it says).
    assert set(seen) >= EXPECTED, sorted(EXPECTED - set(seen))
    print(f"\n{len(sizes)} programs, {sum(sizes)} events answered, answers: {dict(seen.most_common())}")


def test_a_seeded_difference_is_caught(worlds: tuple[World, World]) -> None:
    """The comparison is not blind: the same program on two hubs that differ by one stored event fails it."""
    sqlite, postgres = worlds
    program = [Step("w1", [_plain_event(0, "accepted")], None)]
    assert _run(sqlite, program) == _run(postgres, program)
    with write_engine(postgres.storage.engine).begin() as conn:
        conn.execute(update(Case).values(pledge_open=True))
    assert _state(postgres) != _state(sqlite)


def _plain_event(version: int, event_type: str) -> dict[str, Any]:
    return {
        "uuid": str(uuid.UUID(int=1)),
        "case_uuid": CASES[0],
        "case_version": version,
        "type": event_type,
        "side": "window",
        "site_code": SITE_A,
        "department_code": "rs",
        "payload": {"item_code": "RS-1", "window": {"name": "综合窗口（一）", "kind": "comprehensive"}},
        "actor": "clerk1",
        "device_code": DEVICES["w1"][0],
        "occurred_at": iso_utc(T0 - timedelta(minutes=1)),
        "device_seq": 1,
    }
