"""好差评: the applicant's rating of the service, and the return call on a bad one (docs/hall-services.md).

A rating is an event in the case's log (``rated``), an annotation the shared lifecycle lets the window add
whoever holds the case and that never moves it; it flows to the hub like every other event. One rating
per case. 不满意 and 非常不满意 put the case on the supervisor's follow-up list until a return call is
recorded (``rating_followed_up``: how the applicant was reached, what they were told, on which day).

Both lists read the rating events through a small partial index (store/models.py) and never fold a case.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk.domain.errors import Conflict, InputError, NotFound
from clerk_desk.domain.lifecycle import EventType, Side, Status
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services.approvals import check_device_side
from clerk_desk.services.case_events import append_event
from clerk_desk.services.intake import Clerk
from clerk_desk.store.database import Database
from clerk_desk.store.models import Case, CaseEvent, Person, Setting, utcnow


class Rating(StrEnum):
    VERY_SATISFIED = "very_satisfied"
    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    DISSATISFIED = "dissatisfied"
    VERY_DISSATISFIED = "very_dissatisfied"


RATING_ZH = {
    Rating.VERY_SATISFIED: "非常满意",
    Rating.SATISFIED: "满意",
    Rating.BASICALLY_SATISFIED: "基本满意",
    Rating.DISSATISFIED: "不满意",
    Rating.VERY_DISSATISFIED: "非常不满意",
}
BAD = frozenset({Rating.DISSATISFIED, Rating.VERY_DISSATISFIED})  # these need a return call
COMMENT_MAX = 500
# Where a rating is taken: at hand-over (出件) or on the spot (a 即办件, a refusal, a consultation of the case).
MOMENTS = {"handover": "出件时", "on_the_spot": "现场"}
# Cases an applicant may still rate at the window: closed with the applicant in front of the clerk.
RATABLE = (Status.COMPLETED, Status.DELIVERED, Status.REFUSED, Status.NOTIFIED)


@dataclass(frozen=True)
class RatingRecord:
    event_uuid: str
    case_uuid: str
    rating: Rating
    comment: str
    at: datetime


@dataclass(frozen=True)
class FollowUpRow:
    """One line of the supervisor's list: a bad rating and its return call, if any."""

    case_uuid: str
    case_number: str
    item_name: str
    applicant_name: str | None  # None once purged
    applicant_phone: str | None
    rating: Rating
    comment: str
    rated_at: datetime
    rated_by: str  # the clerk at the window
    contact: str = ""  # how the applicant was reached (phone, visit, ...)
    response: str = ""  # what was done and said
    followed_up_on: date | None = None
    followed_up_by: str = ""

    @property
    def done(self) -> bool:
        return self.followed_up_on is not None


def _device(s: Session) -> str:
    device = s.get(Setting, "device_code")
    if device is None:
        raise NotFound("本机尚未设置中心和本机编号，请联系管理员（site set）")
    return device.value


def _rating(value: Rating | str) -> Rating:
    try:
        return Rating(value)
    except ValueError:
        raise InputError("请选择评价等级") from None


def _comment(text: str, what: str) -> str:
    text = text.strip()
    if len(text) > COMMENT_MAX:
        raise InputError(f"{what}过长（最多 {COMMENT_MAX} 字）")
    return text


def rated_already(s: Session, case_uuid: str) -> bool:
    return s.scalar(select(CaseEvent.uuid).where(CaseEvent.case_uuid == case_uuid,
                                                 CaseEvent.type == EventType.RATED.value).limit(1)) is not None


def rate(
    db: Database, case_uuid: str, clerk: Clerk, rating: Rating | str, comment: str = "", *,
    moment: str = "on_the_spot", now: datetime | None = None,
) -> RatingRecord:
    """Record the applicant's rating of a case (one per case); one transaction, one outbox event."""
    return rate_cases(db, [case_uuid], clerk, rating, comment, moment=moment, now=now)[0]


def rate_cases(
    db: Database, case_uuids: Sequence[str], clerk: Clerk, rating: Rating | str, comment: str = "", *,
    moment: str = "on_the_spot", now: datetime | None = None,
) -> list[RatingRecord]:
    """The applicant's one rating of the service, recorded against each case of the intake (a bundle, 一件事,
    has several) in one transaction: a case rated before refuses all, nothing is written."""
    chosen = _rating(rating)
    text = _comment(comment, "评价意见")
    if moment not in MOMENTS:
        raise InputError("评价时机不正确")
    if not case_uuids:
        raise NotFound("找不到该办件")
    now = now or utcnow()
    out = []
    with db.transaction() as s:
        for case_uuid in dict.fromkeys(case_uuids):
            case = s.get(Case, case_uuid)
            if case is None:
                raise NotFound("找不到该办件")
            if rated_already(s, case_uuid):
                raise Conflict("该办件已有评价，不能重复评价", code="already_rated")
            check_device_side(s, Side.WINDOW, case.site_code, case.department_code)
            summary = RATING_ZH[chosen] + (f"：{text}" if text else "")
            event = append_event(s, case, EventType.RATED, Side.WINDOW, actor=clerk.username,
                                 device_code=_device(s), now=now,
                                 payload={"case_number": case.case_number, "rating": chosen.value, "comment": text,
                                          "moment": moment, "window_id": clerk.window_id, "summary": summary})
            s.flush()  # the event's uuid
            out.append(RatingRecord(event.uuid, case.uuid, chosen, text, now))
    return out


def record_follow_up(
    db: Database, case_uuid: str, actor: Clerk, *, contact: str, response: str, on: date,
    now: datetime | None = None,
) -> None:
    """The supervisor's return call on a bad rating: how, what, which day (not in the future)."""
    contact, response = _comment(contact, "联系方式"), _comment(response, "回访情况")
    problems = []
    if not contact:
        problems.append("请填写联系方式（如：电话回访、上门回访）")
    if not response:
        problems.append("请填写回访情况")
    now = now or utcnow()
    if on > now.astimezone(SHANGHAI).date():
        problems.append("回访日期不能晚于今天")
    if problems:
        raise InputError("；".join(problems))
    with db.transaction() as s:
        case = s.get(Case, case_uuid)
        if case is None:
            raise NotFound("找不到该办件")
        rated = s.scalar(select(CaseEvent).where(CaseEvent.case_uuid == case_uuid,
                                                 CaseEvent.type == EventType.RATED.value).limit(1))
        if rated is None or rated.payload.get("rating") not in BAD:
            raise Conflict("该办件没有需要回访的差评", code="no_bad_rating")
        check_device_side(s, Side.WINDOW, case.site_code, case.department_code)
        append_event(s, case, EventType.RATING_FOLLOWED_UP, Side.WINDOW, actor=actor.username,
                     device_code=_device(s), now=now,
                     payload={"rated_event": rated.uuid, "contact": contact, "response": response,
                              "date": on.isoformat(), "summary": f"{contact}：{response}（{on.isoformat()}）"})


def ratings(db: Database, site_code: str, since: datetime, until: datetime) -> list[RatingRecord]:
    """Every rating of the site's cases in [since, until), oldest first (figures, tests)."""
    with db.reading() as s:
        rows = s.execute(
            select(CaseEvent.uuid, CaseEvent.case_uuid, CaseEvent.payload, CaseEvent.occurred_at)
            .join(Case, Case.uuid == CaseEvent.case_uuid)
            .where(CaseEvent.type == EventType.RATED.value, CaseEvent.occurred_at >= since,
                   CaseEvent.occurred_at < until, Case.site_code == site_code)
            .order_by(CaseEvent.occurred_at)
        ).all()
    return [RatingRecord(r.uuid, r.case_uuid, Rating(r.payload["rating"]), r.payload.get("comment") or "",
                         r.occurred_at) for r in rows if r.payload.get("rating") in Rating._value2member_map_]


def follow_up_list(db: Database, site_code: str, *, include_done: bool = False) -> list[FollowUpRow]:
    """不满意 and 非常不满意 ratings of the site's cases, oldest first; those with a return call only
    when ``include_done``."""
    with db.reading() as s:
        events = s.execute(
            select(CaseEvent.case_uuid, CaseEvent.type, CaseEvent.payload, CaseEvent.occurred_at, CaseEvent.actor)
            .join(Case, Case.uuid == CaseEvent.case_uuid)
            .where(CaseEvent.type.in_((EventType.RATED.value, EventType.RATING_FOLLOWED_UP.value)),
                   Case.site_code == site_code)
            .order_by(CaseEvent.occurred_at)
        ).all()
        bad: dict[str, Any] = {}
        calls: dict[str, Any] = {}
        for e in events:
            if e.type == EventType.RATED.value:
                if e.payload.get("rating") in BAD and e.case_uuid not in bad:
                    bad[e.case_uuid] = e
            else:
                calls[e.case_uuid] = e  # the latest return call counts
        wanted = [u for u in bad if include_done or u not in calls]
        cases = {c.uuid: c for c in s.scalars(select(Case).where(Case.uuid.in_(wanted)))} if wanted else {}
        pids = {c.applicant_id for c in cases.values() if c.applicant_id}
        persons = {p.id: p for p in s.scalars(select(Person).where(Person.id.in_(pids)))} if pids else {}
        out = []
        for uid in wanted:
            case, e = cases[uid], bad[uid]
            person = persons.get(case.applicant_id or "")
            call = calls.get(uid)
            row = FollowUpRow(
                uid, case.case_number or "", case.item_name, person.name if person else None,
                person.phone if person else None, Rating(e.payload["rating"]), e.payload.get("comment") or "",
                e.occurred_at, e.payload.get("actor_name") or e.actor,
            )
            if call is not None:
                p = call.payload
                row = replace(row, contact=p.get("contact") or "", response=p.get("response") or "",
                              followed_up_on=date.fromisoformat(p["date"]) if p.get("date") else None,
                              followed_up_by=p.get("actor_name") or call.actor)
            out.append(row)
        return out


@dataclass(frozen=True)
class RatableCase:
    case_uuid: str
    case_number: str
    item_name: str
    status: Status
    closed_at: datetime


def awaiting_rating(db: Database, site_code: str, since: datetime, *, limit: int = 200) -> list[RatableCase]:
    """The site's cases closed with the applicant at the window since ``since`` and not rated yet, newest
    first (the evaluation page offers them)."""
    with db.reading() as s:
        rated = select(CaseEvent.case_uuid).where(CaseEvent.type == EventType.RATED.value)
        rows = s.execute(
            select(Case.uuid, Case.case_number, Case.item_name, Case.status, Case.updated_at)
            .where(Case.site_code == site_code, Case.status.in_([st.value for st in RATABLE]),
                   Case.updated_at >= since, Case.uuid.not_in(rated))
            .order_by(Case.updated_at.desc()).limit(limit)
        ).all()
    return [RatableCase(r.uuid, r.case_number or "", r.item_name, Status(r.status), r.updated_at) for r in rows]
