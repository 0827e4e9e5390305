"""A generated month of cases pushed to a real hub over HTTP by the townships' clerk and approver devices,
and the figures counted again straight from the hub's log (tests/hub/test_county_figures.py)."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select, text, update

from clerk_desk.domain import supervision as sv
from clerk_desk.domain.lifecycle import TRANSFER_MINUTES, CaseState, Status, apply_event
from clerk_desk.domain.workdays import SHANGHAI, CalendarLike
from county_hub.models import Device, Event, RoleGrant
from tests.hub.hubkit import DeviceClient, Hub
from tests.support.county_cases import ITEMS, GeneratedCase, Step, generate

SITES = ["421224100", "421224101", "421224102"]
COUNTY_SITE = "421224000"


@dataclass
class Month:
    cases: list[GeneratedCase]
    start: datetime
    end: datetime


def push_month(hub: Hub, now: datetime, n_cases: int = 360, seed: int = 13) -> Month:
    """Cases accepted over the 30 days before ``now``, pushed in order by each case's devices."""
    clerks = {site: hub.device(site, "clerk") for site in SITES}
    approvers = {site: hub.device(site, "approver", tuple((site, d) for d in ITEMS)) for site in SITES}
    with hub.engine.begin() as conn:  # a month of work done before today: enrolled and granted since then
        conn.execute(update(Device).values(enrolled_at=now - timedelta(days=60)))
        conn.execute(update(RoleGrant).values(valid_from=None))
    start = now - timedelta(days=30)
    cases = list(generate(random.Random(seed), SITES, start, now - timedelta(minutes=1), n_cases))
    cases += _waiting_now(now)
    # Phase k of a case: its events after its k-th change of side; every device pushes phase by phase.
    batches: dict[tuple[int, str, str], list[dict[str, Any]]] = defaultdict(list)
    for case in cases:
        phase, side = 0, case.steps[0].side
        for version, step in enumerate(case.steps):
            if step.side != side:
                phase, side = phase + 1, step.side
            device = clerks[case.site_code] if step.side == "window" else approvers[case.site_code]
            batches[(phase, step.side, case.site_code)].append(
                device.event(
                    case.uuid, version, step.type, dept=case.department_code, payload=step.payload,
                    occurred_at=step.at.isoformat(),
                )
            )  # fmt: skip
    for (_phase, side, site), events in sorted(batches.items()):
        device: DeviceClient = clerks[site] if side == "window" else approvers[site]
        for i in range(0, len(events), 500):
            results = device.push_ok(events[i : i + 500])
            assert {r["status"] for r in results} == {"stored"}, results[:3]
    return Month(cases, start, now)


def _waiting_now(now: datetime) -> list[GeneratedCase]:
    """Four cases whatever the hour the test runs at: one accepted 20 minutes ago and not handed over, one
    handed over 50 minutes ago and not signed for (the generated month has them only in office hours), one
    whose 特别程序 began three days ago, before its due date two days ago (its clock stands still), and one
    whose 容缺 material is promised for today (amber all day: the month's own pledges fall on days that
    depend on the date the test runs)."""
    at = now - timedelta(days=6)
    intake = {"case_number": "now-p", "item_code": "mz-001", "channel": "window", "urgent": False,
              "promised_days": 3}  # fmt: skip
    paused = [
        Step("accepted", "window", at, intake | {"due_at": (now - timedelta(days=2)).isoformat()}),
        Step("transferred", "window", at + timedelta(minutes=5)),
        Step("received", "back_office", at + timedelta(hours=1)),
        Step("clock_paused", "back_office", now - timedelta(days=3)),
    ]
    out = [GeneratedCase("00000000-0000-4000-8000-0000000000ff", SITES[1], "mz", paused)]
    for k, (accepted, handed) in enumerate(((20, None), (70, 50))):
        at = now - timedelta(minutes=accepted)
        intake = {"case_number": f"now-{k}", "item_code": "rs-001", "channel": "window", "urgent": False,
                  "promised_days": 5}  # fmt: skip
        steps = [Step("accepted", "window", at, intake | {"due_at": (at + timedelta(days=7)).isoformat()})]
        if handed is not None:
            steps.append(Step("transferred", "window", now - timedelta(minutes=handed)))
        out.append(GeneratedCase(f"00000000-0000-4000-8000-00000000000{k}", SITES[0], "rs", steps))
    at = now - timedelta(minutes=30)
    intake = {"case_number": "now-pledge", "item_code": "mz-001", "channel": "window", "urgent": False,
              "promised_days": 3}  # fmt: skip
    owed = [
        Step("accepted", "window", at, intake | {"due_at": (at + timedelta(days=5)).isoformat()}),
        Step("pledge_recorded", "window", at + timedelta(minutes=1),
             {"due": now.astimezone(SHANGHAI).date().isoformat()}),
    ]  # fmt: skip
    out.append(GeneratedCase("00000000-0000-4000-8000-0000000000fe", SITES[1], "mz", owed))
    return out


# -- the figures counted again from the log --------------------------------------------------------------
def log(hub: Hub) -> list[Any]:
    with hub.engine.connect() as conn:
        return conn.execute(
            select(Event.case_uuid, Event.type, Event.site_code, Event.department_code, Event.actor,
                   Event.occurred_at, Event.payload).order_by(Event.seq)
        ).all()  # fmt: skip


def moment(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def day_of(value: str) -> str:
    return moment(value).astimezone(SHANGHAI).date().isoformat()


def sql_intakes(hub: Hub, first: date, last: date) -> dict[tuple[str, str, str], int]:
    """Intake events per (site, department, type) in the period: a COUNT over the log. The hub keeps
    occurred_at as UTC text of one width, so the period's bounds compare as text."""
    lo = datetime.combine(first, datetime.min.time(), SHANGHAI)
    hi = datetime.combine(last + timedelta(days=1), datetime.min.time(), SHANGHAI)
    bounds = {"lo": _utc_text(lo), "hi": _utc_text(hi)}
    with hub.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT site_code, department_code, type, COUNT(*) FROM events "
                "WHERE type IN ('accepted', 'completed_on_spot', 'supplement_notified', 'refused') "
                "AND occurred_at >= :lo AND occurred_at < :hi GROUP BY site_code, department_code, type"
            ),
            bounds,
        ).all()
    return {(r[0], r[1], r[2]): int(r[3]) for r in rows}


def sql_count(hub: Hub, sql: str, **params: Any) -> int:
    with hub.engine.connect() as conn:
        return int(conn.execute(text(sql), params).scalar_one())


def _utc_text(at: datetime) -> str:
    from county_hub.schemas import iso_utc

    return iso_utc(at)


def brute_figures(rows: Sequence[Any], first: date, last: date) -> dict[tuple[str, str], dict[str, Any]]:
    """Every figure per (site, department) by walking the log in seq order (no projection code)."""
    lo, hi = first.isoformat(), last.isoformat()
    intake_kind = {"accepted": "accepted", "completed_on_spot": "on_spot", "supplement_notified": "notified",
                   "refused": "refused"}  # fmt: skip
    facts: dict[str, dict[str, Any]] = {}
    out: dict[tuple[str, str], dict[str, Any]] = defaultdict(lambda: defaultdict(int))
    durations: dict[tuple[str, str], list[int]] = defaultdict(list)
    for case_uuid, kind, site, dept, _actor, occurred, payload in rows:
        f = facts.setdefault(
            case_uuid, {"urgent": False, "due": None, "accepted": None, "transferred": False}
        )
        at = moment(occurred)
        if payload.get("due_at"):
            f["due"] = moment(payload["due_at"])
        if kind in intake_kind:
            f["urgent"] = bool(payload.get("urgent"))
            if kind == "accepted":
                f["accepted"] = at
        in_period = lo <= day_of(occurred) <= hi
        key = (site, dept)
        if kind in intake_kind and in_period:
            out[key]["intakes"] += 1
            out[key][intake_kind[kind]] += 1
        if kind == "transferred" and not f["transferred"]:
            f["transferred"] = True
            if in_period:
                out[key]["transfers"] += 1
                limit = timedelta(minutes=TRANSFER_MINUTES[f["urgent"]])
                out[key]["transfers_on_time"] += int(at - f["accepted"] <= limit)
        if kind == "decided" and in_period:
            out[key]["decisions"] += 1
            out[key]["decided_in_time"] += int(f["due"] is not None and at <= f["due"])
            took = int((at - f["accepted"]).total_seconds())
            out[key]["decision_seconds"] += took
            durations[key].append(took)
    for key, values in durations.items():
        values.sort()
        out[key]["p90"] = values[-(-9 * len(values) // 10) - 1]
    return {k: dict(v) for k, v in out.items()}


def brute_watched(rows: Sequence[Any]) -> list[sv.Watched]:
    """Each case of the log as the 督办 rules read it, by replaying it through the lifecycle (no projection
    code): the facts a hall PC reads of its own cases (clerk_desk.services.supervision)."""
    state: dict[str, CaseState] = {}
    facts: dict[str, dict[str, Any]] = {}
    for case_uuid, kind, site, dept, actor, occurred, payload in rows:
        f = facts.setdefault(case_uuid, {"site": site, "dept": dept, "number": "", "item": "", "urgent": False,
                                         "due": None, "accepted": None, "clerk": "", "handed": None,
                                         "received_by": "", "paused": None, "returned": None, "pledge": None,
                                         "closed": None, "closed_by": ""})  # fmt: skip
        at = moment(occurred)
        before = state.get(case_uuid, CaseState())
        after = apply_event(
            before, kind, "window" if kind in _WINDOW_TYPES else "back_office", before.version
        )
        state[case_uuid] = after
        if payload.get("case_number"):
            f["number"], f["item"], f["urgent"] = (
                payload["case_number"],
                payload["item_code"],
                bool(payload.get("urgent")),
            )
        if payload.get("due_at"):
            f["due"] = moment(payload["due_at"])
        if kind == "accepted":
            f["accepted"], f["clerk"] = at, actor
        elif kind in ("transferred", "retransferred"):
            f["handed"] = at
        elif kind == "received":
            f["received_by"] = actor
        elif kind == "clock_paused":
            f["paused"] = at
        elif kind == "result_returned":
            f["returned"] = at
        elif kind == "pledge_recorded":
            f["pledge"] = date.fromisoformat(payload["due"])
        elif kind == "pledge_fulfilled":
            f["pledge"] = None
        elif kind in ("completed_on_spot", "refused", "delivered", "withdrawn"):
            f["closed"], f["closed_by"] = at, actor
    out = []
    for case_uuid, s in state.items():
        f = facts[case_uuid]
        accepted = f["accepted"]
        out.append(sv.Watched(
            case_uuid, f["number"], f["site"], f["dept"], f["item"], s.status, f["urgent"], None, f["clerk"],
            accepted + timedelta(minutes=TRANSFER_MINUTES[f["urgent"]]) if accepted else None, f["handed"],
            f["received_by"], f["due"], f["paused"] if s.status is Status.PAUSED else None, f["returned"],
            s.pledge_open, f["pledge"] if s.pledge_open else None, f["closed"], f["closed_by"],
        ))  # fmt: skip
    return out


def brute_overdue(
    rows: Sequence[Any], now: datetime, calendar: CalendarLike, rules: sv.Rules = sv.DEFAULT_RULES
) -> list[tuple[str, str, str, str, str, str, bool]]:
    """The 督办 list at ``now`` by the site page's rules over the replayed cases: (site, case number, stage,
    level, holder, deadline, late?) in the list's order."""
    from county_hub.schemas import iso_utc

    return [
        (a.site_code, a.case_number, a.stage.value, a.level.value, a.holder, iso_utc(a.deadline), a.late)
        for a in sv.scan(brute_watched(rows), now, calendar, rules)
    ]


_WINDOW_TYPES = {"intake_saved", "accepted", "completed_on_spot", "supplement_notified", "refused", "transferred",
                 "retransferred", "delivered", "archived", "pledge_recorded", "pledge_fulfilled"}  # fmt: skip
