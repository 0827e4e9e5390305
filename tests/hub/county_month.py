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

from clerk_desk.domain.lifecycle import TRANSFER_MINUTES, CaseState, apply_event
from clerk_desk.domain.workdays import SHANGHAI
from county_hub.models import Device, Event, RoleGrant
from tests.hub.hubkit import DeviceClient, Hub
from tests.support.county_cases import ITEMS, GeneratedCase, generate

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


def brute_overdue(rows: Sequence[Any], now: datetime) -> set[tuple[str, str, str, str, str, bool]]:
    """The 督办 list at ``now`` by replaying each case through the lifecycle (no projection code):
    (site, case number, stage, holder, deadline, late?) of every open stage past its amber moment."""
    from county_hub.schemas import iso_utc

    state: dict[str, CaseState] = {}
    facts: dict[str, dict[str, Any]] = {}
    for case_uuid, kind, _site, _dept, actor, occurred, payload in rows:
        f = facts.setdefault(case_uuid, {"due": None, "urgent": False, "site": _site})
        at = moment(occurred)
        before = state.get(case_uuid, CaseState())
        after = apply_event(
            before, kind, "window" if kind in _WINDOW_TYPES else "back_office", before.version
        )
        state[case_uuid] = after
        if payload.get("case_number"):
            f["number"], f["urgent"] = payload["case_number"], bool(payload.get("urgent"))
        if payload.get("due_at"):
            f["due"] = moment(payload["due_at"])
        if kind == "accepted":
            f["accepted"] = at
        if after.status != before.status:
            f["since"], f["holder"] = at, actor
    out = set()
    for case_uuid, s in state.items():
        f = facts[case_uuid]
        status = s.status.value
        if status == "accepted":
            deadline = f["accepted"] + timedelta(minutes=TRANSFER_MINUTES[f["urgent"]])
            amber = deadline - timedelta(minutes=1.25 if f["urgent"] else 3.75)  # the last quarter
            stage = "transfer"
        elif status == "transferred":
            deadline = f["since"] + timedelta(minutes=30)
            amber, stage = deadline - timedelta(minutes=7.5), "sign_for"
        elif status == "in_review" and f["due"] is not None:
            deadline, stage = f["due"], "decision"
            amber = deadline - timedelta(days=1)
        elif status == "result_at_window":
            deadline = f["since"] + timedelta(days=5)
            amber, stage = deadline, "collect"
        else:
            continue
        if amber <= now:
            out.add((f["site"], f["number"], stage, f["holder"], iso_utc(deadline), now > deadline))
    return out


_WINDOW_TYPES = {"intake_saved", "accepted", "completed_on_spot", "supplement_notified", "refused", "transferred",
                 "retransferred", "delivered", "archived"}  # fmt: skip
