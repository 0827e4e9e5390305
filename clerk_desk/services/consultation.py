"""The 咨询服务窗口's own records (plan 三(三)): consultations and 帮办代办 (docs/hall-services.md).

A consultation is a record of the ``consultation`` stream, not a case: the topic, the catalog item if the
question was about one, answered or referred (and to whom), the minutes it took, and nobody's ID number
unless the person gave it. A 帮办代办 is a record of the ``assist`` stream followed through its steps
(委托, 受理, 办理, 送达, 归档, 回访), each with its date; when the help was an online application it keeps the
platform (湖北政务服务网 / 鄂汇办) and the application number. Each act is one transaction: the record and
its event in the one outbox (services/hall_records.py).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from clerk_desk.domain.errors import Conflict, InputError, NotFound
from clerk_desk.domain.hall_streams import HallEventType, Stream
from clerk_desk.domain.identifiers import InvalidIdentifier, mask_resident_id, validate_resident_id
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services.hall_records import append_record_event, device_code, site_code
from clerk_desk.services.intake import Clerk
from clerk_desk.store.database import Database
from clerk_desk.store.models import HallRecord, utcnow

OUTCOMES = {"answered": "已解答", "referred": "已转介"}
TOPIC_MAX = 200
TEXT_MAX = 500
MINUTES_MAX = 480
# 帮办代办 steps in the order practice follows them; 委托 opens the record.
STEPS = ("委托", "受理", "办理", "送达", "归档", "回访")
PLATFORMS = ("湖北政务服务网", "鄂汇办")


@dataclass(frozen=True)
class Contact:
    """A person's details, only as far as they were given (all optional)."""

    name: str = ""
    phone: str = ""
    id_number: str = ""

    def given(self) -> dict[str, str]:
        # the phone and the ID in ASCII without spaces (an input method's full-width １３７… is not kept as typed)
        phone, id_number = ("".join(unicodedata.normalize("NFKC", v).split()) for v in (self.phone, self.id_number))
        return {k: v.strip() for k, v in (("name", self.name), ("phone", phone),
                                          ("id_number", id_number.upper())) if v.strip()}


@dataclass(frozen=True)
class Consultation:
    topic: str
    outcome: str = "answered"  # answered | referred
    item_code: str = ""
    item_name: str = ""
    referred_to: str = ""  # where the person was sent (a window, a department, the county hall)
    minutes: int = 1
    contact: Contact = field(default_factory=Contact)


@dataclass(frozen=True)
class ConsultationRow:
    uuid: str
    at: datetime
    clerk: str
    window_name: str
    topic: str
    item_name: str
    outcome: str
    referred_to: str
    minutes: int
    person: str  # the name given, else ""


def _text(value: str, what: str, limit: int, *, required: bool = False) -> str:
    value = value.strip()
    if required and not value:
        raise InputError(f"请填写{what}")
    if len(value) > limit:
        raise InputError(f"{what}过长（最多 {limit} 字）")
    return value


def _contact(c: Contact) -> dict[str, str]:
    given = c.given()
    if "name" in given:
        _text(given["name"], "姓名", 64)
    if "phone" in given and (len(given["phone"]) > 20 or not all(ch.isdigit() or ch in "-+ " for ch in given["phone"])):
        raise InputError("电话号码只能包含数字")
    if "id_number" in given:
        try:
            validate_resident_id(given["id_number"])
        except InvalidIdentifier as exc:
            raise InputError(f"身份证号码{exc.message_zh}") from None
    return given


def log_consultation(db: Database, clerk: Clerk, c: Consultation, *, now: datetime | None = None) -> str:
    """Record one consultation; returns the record's uuid."""
    topic = _text(c.topic, "咨询内容", TOPIC_MAX, required=True)
    if c.outcome not in OUTCOMES:
        raise InputError("请选择已解答或已转介")
    referred_to = _text(c.referred_to, "转介去向", TEXT_MAX)
    if c.outcome == "referred" and not referred_to:
        raise InputError("已转介请写明转介去向（窗口、部门或县政务服务中心）")
    if not 1 <= c.minutes <= MINUTES_MAX:
        raise InputError(f"用时应在 1 至 {MINUTES_MAX} 分钟之间")
    person = _contact(c.contact)
    now = now or utcnow()
    with db.transaction() as s:
        data: dict[str, Any] = {"topic": topic, "outcome": c.outcome, "item_code": c.item_code.strip(),
                                "item_name": c.item_name.strip(), "referred_to": referred_to,
                                "minutes": c.minutes}
        if person:
            data["person"] = person
        record = HallRecord(stream=Stream.CONSULTATION.value, site_code=site_code(s), window_id=clerk.window_id,
                            window_name=clerk.window_name, username=clerk.username,
                            started_at=now - timedelta(minutes=c.minutes), ended_at=now, version=0, data=data,
                            device_code=device_code(s), updated_at=now)
        s.add(record)
        s.flush()
        append_record_event(s, record, HallEventType.CONSULTATION_LOGGED, actor=clerk.username, now=now)
        return record.uuid


def _day_span(day: date) -> tuple[datetime, datetime]:
    start = datetime(day.year, day.month, day.day, tzinfo=SHANGHAI)
    return start, start + timedelta(days=1)


def consultations(db: Database, site: str, since: datetime, until: datetime) -> list[ConsultationRow]:
    """The site's consultations that ended in [since, until), newest first."""
    with db.reading() as s:
        rows = s.scalars(select(HallRecord).where(
            HallRecord.stream == Stream.CONSULTATION.value, HallRecord.site_code == site,
            HallRecord.started_at >= since - timedelta(minutes=MINUTES_MAX), HallRecord.started_at < until,
        ).order_by(HallRecord.started_at.desc())).all()
        out = []
        for r in rows:
            if r.ended_at is None or not since <= r.ended_at < until:
                continue
            d = r.data or {}
            out.append(ConsultationRow(r.uuid, r.ended_at, r.username, r.window_name or "", d.get("topic", ""),
                                       d.get("item_name", ""), d.get("outcome", ""), d.get("referred_to", ""),
                                       int(d.get("minutes") or 0), (d.get("person") or {}).get("name", "")))
        return out


def consultations_on(db: Database, site: str, day: date) -> list[ConsultationRow]:
    return consultations(db, site, *_day_span(day))


# -- 帮办代办 ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AssistRequest:
    """委托: who is helped, with what, and whether it is an online application."""

    person: Contact
    matter: str  # what the help is for (an item's name, or in words)
    item_code: str = ""
    platform: str = ""  # 湖北政务服务网 | 鄂汇办 | "" (not online)
    application_no: str = ""
    helper: str = ""  # the staff member who helps (user name); default: the clerk recording it
    on: date | None = None


@dataclass(frozen=True)
class AssistRow:
    uuid: str
    person_name: str
    person_phone: str
    id_masked: str
    matter: str
    helper: str
    platform: str
    application_no: str
    steps: tuple[tuple[str, str], ...]  # (step, ISO date) in the order done
    opened_at: datetime

    @property
    def next_step(self) -> str | None:
        done = {s for s, _ in self.steps}
        return next((s for s in STEPS if s not in done), None)


def _platform(platform: str, application_no: str) -> tuple[str, str]:
    platform, number = platform.strip(), application_no.strip()
    if platform and platform not in PLATFORMS:
        raise InputError("网上申请平台只能是湖北政务服务网或鄂汇办")
    if number and not platform:
        raise InputError("填写了网上申请号，请选择申请平台（湖北政务服务网或鄂汇办）")
    if len(number) > 64:
        raise InputError("网上申请号过长")
    return platform, number


def _step_day(on: date | None, now: datetime) -> date:
    today = now.astimezone(SHANGHAI).date()
    day = on or today
    if day > today:
        raise InputError("日期不能晚于今天")
    return day


def open_assist(db: Database, clerk: Clerk, req: AssistRequest, *, now: datetime | None = None) -> str:
    """委托: open a 帮办代办 record (its first step); returns its uuid."""
    now = now or utcnow()
    person = _contact(req.person)
    if not person.get("name"):
        raise InputError("请填写被帮办人的姓名")
    matter = _text(req.matter, "帮办事项", TOPIC_MAX, required=True)
    platform, number = _platform(req.platform, req.application_no)
    day = _step_day(req.on, now)
    with db.transaction() as s:
        helper = req.helper.strip() or clerk.username
        record = HallRecord(stream=Stream.ASSIST.value, site_code=site_code(s), window_id=clerk.window_id,
                            window_name=clerk.window_name, username=helper, started_at=now, version=0,
                            data={"matter": matter, "item_code": req.item_code.strip(), "platform": platform,
                                  "application_no": number, "steps": [[STEPS[0], day.isoformat()]],
                                  "person": person},
                            device_code=device_code(s), updated_at=now)
        s.add(record)
        s.flush()
        append_record_event(s, record, HallEventType.ASSIST_OPENED, actor=clerk.username, now=now)
        return record.uuid


def record_step(
    db: Database, clerk: Clerk, uuid: str, step: str, *, on: date | None = None, application_no: str = "",
    platform: str = "", now: datetime | None = None,
) -> None:
    """One more step of a 帮办代办, in order, with its date (not before the step before it); the online
    application number may be added when it is known (typically at 受理)."""
    now = now or utcnow()
    day = _step_day(on, now)
    with db.transaction() as s:
        record = s.get(HallRecord, uuid)
        if record is None or record.stream != Stream.ASSIST.value:
            raise NotFound("找不到该帮办代办记录")
        data = dict(record.data or {})
        steps = [tuple(x) for x in data.get("steps", [])]
        done = [x[0] for x in steps]
        expected = next((x for x in STEPS if x not in done), None)
        if expected is None:
            raise Conflict("该帮办代办已完成回访，不能再记录步骤", code="assist_closed")
        if step != expected:
            raise Conflict(f"下一步应为“{expected}”", code="assist_order")
        if steps and day < date.fromisoformat(steps[-1][1]):
            raise InputError(f"“{step}”的日期不能早于“{steps[-1][0]}”（{steps[-1][1]}）")
        if application_no.strip() or platform.strip():
            data["platform"], data["application_no"] = _platform(platform or data.get("platform", ""),
                                                                 application_no or data.get("application_no", ""))
        data["steps"] = [*map(list, steps), [step, day.isoformat()]]
        record.data = data
        if step == STEPS[-1]:
            record.ended_at = now
        append_record_event(s, record, HallEventType.ASSIST_STEP, actor=clerk.username, now=now,
                            note={"step": step, "date": day.isoformat()})


def assists(db: Database, site: str, *, open_only: bool = False, limit: int = 500) -> list[AssistRow]:
    """The site's 帮办代办 records, newest first (the open ones only: not yet 回访)."""
    with db.reading() as s:
        q = select(HallRecord).where(HallRecord.stream == Stream.ASSIST.value, HallRecord.site_code == site)
        if open_only:
            q = q.where(HallRecord.ended_at.is_(None))
        rows = s.scalars(q.order_by(HallRecord.started_at.desc()).limit(limit)).all()
        out = []
        for r in rows:
            d = r.data or {}
            p = d.get("person") or {}
            out.append(AssistRow(r.uuid, p.get("name", ""), p.get("phone", ""),
                                 mask_resident_id(p["id_number"]) if p.get("id_number") else "",
                                 d.get("matter", ""), r.username, d.get("platform", ""), d.get("application_no", ""),
                                 tuple((x[0], x[1]) for x in d.get("steps", [])), r.started_at))
        return out
