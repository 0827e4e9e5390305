"""The transactional outbox for records that are not cases (domain/hall_streams.py, docs/hall-services.md).

:func:`append_record_event` checks the event with the stream's rules (the hub runs the same check), moves the
record to its next version and writes the event row — in ``case_events``, the one outbox, with its stream
kind and the next device-wide sequence number — inside the caller's transaction. The event carries the
record as it is after it (``payload["record"]``, the personal part under ``payload["persons"]``, sealed at
rest), which is what a desk that pulls it keeps (:func:`apply_pulled`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk.domain.errors import Conflict, NotFound
from clerk_desk.domain.hall_streams import HALL_DEPARTMENT, SIDE, HallEventType, StreamError, check
from clerk_desk.store.models import CaseEvent, HallRecord, Setting, User, new_uuid, utcnow
from clerk_desk.store.sequences import next_event_seq


def device_code(s: Session) -> str:
    device = s.get(Setting, "device_code")
    if device is None:
        raise NotFound("本机尚未设置中心和本机编号，请联系管理员（site set）")
    return device.value


def site_code(s: Session) -> str:
    site = s.get(Setting, "site_code")
    if site is None:
        raise NotFound("本机尚未设置中心和本机编号，请联系管理员（site set）")
    return site.value


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at else None


def snapshot(record: HallRecord) -> dict[str, Any]:
    """The record as an event carries it (everything but the personal part)."""
    return {"stream": record.stream, "site_code": record.site_code, "window_id": record.window_id,
            "window_name": record.window_name, "username": record.username,
            "started_at": _iso(record.started_at), "ended_at": _iso(record.ended_at),
            "data": {k: v for k, v in (record.data or {}).items() if k != "person"}}


def append_record_event(
    s: Session, record: HallRecord, event_type: HallEventType, *, actor: str, now: datetime | None = None,
    note: dict[str, Any] | None = None,
) -> CaseEvent:
    """Queue one event of ``record`` (already changed by the caller) for the hub, at its next version."""
    try:
        check(record.stream, event_type.value, SIDE, HALL_DEPARTMENT, record.version)
    except StreamError as exc:
        raise Conflict("该记录当前不能进行此操作", code=exc.code) from exc
    now = now or utcnow()
    payload: dict[str, Any] = {"record": snapshot(record), **(note or {})}
    person = (record.data or {}).get("person")
    if person:
        payload["persons"] = {"person": person}
    name = s.scalar(select(User.display_name).where(User.username == actor))
    if name:
        payload["actor_name"] = name
    device = device_code(s)
    event = CaseEvent(uuid=new_uuid(), case_uuid=record.uuid, stream=record.stream, case_version=record.version,
                      type=event_type.value, side=SIDE, payload=payload, actor=actor, device_code=device,
                      occurred_at=now, device_seq=next_event_seq(s, device), origin="local", push_state="pending")
    record.version += 1
    record.updated_at = now
    s.add(event)
    return event


def _parse(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def apply_pulled(s: Session, events: list[dict[str, Any]]) -> None:
    """Records named by pulled events (other desks' work, or our own coming back after a restore): each
    keeps the state its highest-version event carries; events are idempotent and may come in any order."""
    latest: dict[str, dict[str, Any]] = {}
    for ev in events:
        held = latest.get(ev["case_uuid"])
        if held is None or ev["case_version"] > held["case_version"]:
            latest[ev["case_uuid"]] = ev
    if not latest:
        return
    here = {r.uuid: r for r in s.scalars(select(HallRecord).where(HallRecord.uuid.in_(list(latest))))}
    for uuid, ev in latest.items():
        rec = ev["payload"].get("record") or {}
        version = ev["case_version"] + 1
        row = here.get(uuid)
        if row is not None and row.version >= version:
            continue
        data = dict(rec.get("data") or {})
        person = (ev["payload"].get("persons") or {}).get("person")
        if person:
            data["person"] = person
        values = dict(stream=rec.get("stream") or "", site_code=ev["site_code"], window_id=rec.get("window_id"),
                      window_name=rec.get("window_name"), username=rec.get("username") or ev["actor"],
                      started_at=_parse(rec.get("started_at")) or _parse_wire(ev["occurred_at"]),
                      ended_at=_parse(rec.get("ended_at")), version=version, data=data,
                      device_code=ev["device_code"], updated_at=_parse_wire(ev["occurred_at"]))
        if row is None:
            s.add(HallRecord(uuid=uuid, **values))
        else:
            for k, v in values.items():
                setattr(row, k, v)


def _parse_wire(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
