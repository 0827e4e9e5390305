"""在位率: who sat at which window when (plan 五(二): 窗口考勤), docs/hall-services.md.

A clerk signs on to a window, takes breaks, signs off: one *stint*, a record of the ``attendance`` stream
(domain/hall_streams.py) with its events in the one outbox, so the supervisor's PC and the county see it.
:func:`monthly_sheet` counts per clerk and per window the days on window, the hours on window (breaks
left out) and the cases taken at the window (the intake outcome events: accepted, finished on the spot,
一次性告知, refused). :func:`unstaffed` lists, for a day, each window's stretches of opening hours with
nobody signed on; :func:`unstaffed_now` the windows empty at one moment. Opening hours are a site
setting (``opening_hours``, "08:30-12:00,14:30-17:30" by default), on the calendar's working days.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from clerk_desk.domain.errors import Conflict, InputError
from clerk_desk.domain.event_record import NOT_IN_CASE
from clerk_desk.domain.figures import NO_WINDOW
from clerk_desk.domain.hall_streams import HallEventType, Stream
from clerk_desk.domain.lifecycle import EventType
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services.hall_records import append_record_event, device_code, site_code
from clerk_desk.services.intake import Clerk
from clerk_desk.services.workplace import WindowInfo, list_windows
from clerk_desk.store.database import Database
from clerk_desk.store.models import Case, CaseEvent, HallRecord, Setting, User, utcnow

OPENING_KEY = "opening_hours"
DEFAULT_OPENING = "08:30-12:00,14:30-17:30"
# The events by which a window takes a case (the intake's outcome); a case counts for the clerk and window
# that recorded it.
INTAKE_OUTCOMES = (EventType.ACCEPTED.value, EventType.COMPLETED_ON_SPOT.value,
                   EventType.SUPPLEMENT_NOTIFIED.value, EventType.REFUSED.value)
MAX_STINT = timedelta(hours=16)  # a stint never signed off counts at most this long (a forgotten sign-off)

Span = tuple[datetime, datetime]


# -- opening hours ---------------------------------------------------------------------------------------
def parse_opening(text: str) -> list[tuple[time, time]]:
    """"08:30-12:00,14:30-17:30" -> [(08:30, 12:00), (14:30, 17:30)]; a clear message for anything else."""
    spans: list[tuple[time, time]] = []
    for part in (p.strip() for p in text.replace("，", ",").split(",") if p.strip()):
        try:
            a, b = (time.fromisoformat(x.strip()) for x in part.split("-"))
        except ValueError:
            raise InputError(f"开放时间“{part}”格式不对，应如 08:30-12:00") from None
        if b <= a:
            raise InputError(f"开放时间“{part}”结束早于开始")
        if spans and a < spans[-1][1]:
            raise InputError("开放时间段应按先后排列且互不重叠")
        spans.append((a, b))
    if not spans:
        raise InputError("请填写开放时间，如 08:30-12:00,14:30-17:30")
    return spans


def opening_hours(db: Database) -> list[tuple[time, time]]:
    with db.reading() as s:
        row = s.get(Setting, OPENING_KEY)
    try:
        return parse_opening(row.value if row else DEFAULT_OPENING)
    except InputError:
        return parse_opening(DEFAULT_OPENING)


def set_opening_hours(db: Database, text: str) -> None:
    parse_opening(text)
    with db.transaction() as s:
        row = s.get(Setting, OPENING_KEY)
        if row is None:
            s.add(Setting(key=OPENING_KEY, value=text.strip()))
        else:
            row.value = text.strip()


def opening_spans(day: date, hours: Iterable[tuple[time, time]], is_workday: Callable[[date], bool]) -> list[Span]:
    if not is_workday(day):
        return []
    return [(datetime.combine(day, a, SHANGHAI), datetime.combine(day, b, SHANGHAI)) for a, b in hours]


# -- signing on and off ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Stint:
    uuid: str
    username: str
    display_name: str
    window_id: str
    window_name: str
    started_at: datetime
    ended_at: datetime | None
    breaks: tuple[tuple[datetime, datetime | None], ...]

    @property
    def on_break(self) -> bool:
        return bool(self.breaks) and self.breaks[-1][1] is None

    def worked(self, until: datetime) -> list[Span]:
        """The stretches on window (breaks left out), up to ``until`` for a stint still open. A stint never
        signed off ends with its own hall day: counted 16 hours on, a forgotten sign-off at 08:30 ran past
        midnight into a second day (a Saturday, or the next month's sheet)."""
        day = self.started_at.astimezone(SHANGHAI).date() + timedelta(days=1)
        midnight = datetime.combine(day, time(), SHANGHAI)
        end = self.ended_at or min(until, self.started_at + MAX_STINT, midnight)
        spans: list[Span] = []
        cursor = self.started_at
        for b_start, b_end in self.breaks:
            if b_start > cursor:
                spans.append((cursor, min(b_start, end)))
            cursor = max(cursor, b_end or end)
        if cursor < end:
            spans.append((cursor, end))
        return [(a, b) for a, b in spans if b > a]


def _stint(r: HallRecord, names: dict[str, str]) -> Stint:
    d = r.data or {}
    breaks = tuple((datetime.fromisoformat(a), datetime.fromisoformat(b) if b else None) for a, b in d.get("breaks", []))
    return Stint(r.uuid, r.username, names.get(r.username, d.get("display_name") or r.username), r.window_id or "",
                 r.window_name or "", r.started_at, r.ended_at, breaks)


def _hall_day_start(now: datetime) -> datetime:
    """Midnight (China time) that began ``now``'s hall day."""
    return datetime.combine(now.astimezone(SHANGHAI).date(), time(), SHANGHAI)


def _open_record(s: Session, username: str, now: datetime) -> HallRecord | None:
    """The clerk's stint open on ``now``'s hall day. One left open on an earlier day ended with its day
    (:meth:`Stint.worked`) and stays open, flagged 未签退 on its month's sheet: it holds neither the clerk nor
    the window today, and a sign-off today does not end it (it would count the night, or the weekend, on window)."""
    return s.scalar(select(HallRecord).where(HallRecord.stream == Stream.ATTENDANCE.value,
                                             HallRecord.username == username, HallRecord.ended_at.is_(None),
                                             HallRecord.started_at >= _hall_day_start(now))
                    .order_by(HallRecord.started_at.desc()).limit(1))


def current(db: Database, username: str, *, now: datetime | None = None) -> Stint | None:
    """The clerk's open stint (signed on today, not yet off), if any."""
    with db.reading() as s:
        r = _open_record(s, username, now or utcnow())
        return _stint(r, {}) if r else None


def sign_on(db: Database, clerk: Clerk, *, now: datetime | None = None) -> str:
    """The clerk signs on to the window they picked at sign-in (ui/login_dialog.py); returns the stint's uuid."""
    if not clerk.window_id:
        raise InputError("请先选择窗口再签到")
    now = now or utcnow()
    with db.transaction() as s:
        held = _open_record(s, clerk.username, now)
        if held is not None:
            raise Conflict(f"您已在{held.window_name or '其他窗口'}签到，请先签退", code="already_signed_on")
        site = site_code(s)
        other = s.scalar(select(HallRecord).where(HallRecord.stream == Stream.ATTENDANCE.value,
                                                  HallRecord.site_code == site, HallRecord.window_id == clerk.window_id,
                                                  HallRecord.ended_at.is_(None),
                                                  HallRecord.started_at >= _hall_day_start(now)).limit(1))
        if other is not None:
            name = s.scalar(select(User.display_name).where(User.username == other.username)) or other.username
            raise Conflict(f"{clerk.window_name or '该窗口'}已有{name}在岗，请其先签退", code="window_taken")
        record = HallRecord(stream=Stream.ATTENDANCE.value, site_code=site, window_id=clerk.window_id,
                            window_name=clerk.window_name, username=clerk.username, started_at=now, version=0,
                            data={"breaks": [], "display_name": clerk.display_name}, device_code=device_code(s),
                            updated_at=now)
        s.add(record)
        s.flush()
        append_record_event(s, record, HallEventType.ATTENDANCE_SIGNED_ON, actor=clerk.username, now=now)
        return record.uuid


def _act(db: Database, clerk: Clerk, now: datetime | None, change: Callable[[HallRecord, dict[str, Any], datetime], HallEventType]) -> None:
    now = now or utcnow()
    with db.transaction() as s:
        record = _open_record(s, clerk.username, now)
        if record is None:
            raise Conflict("您尚未签到", code="not_signed_on")
        if now < record.started_at:
            raise InputError("时间早于签到时间")
        data = dict(record.data or {})
        data["breaks"] = [list(b) for b in data.get("breaks", [])]
        event = change(record, data, now)
        record.data = data
        append_record_event(s, record, event, actor=clerk.username, now=now)


def start_break(db: Database, clerk: Clerk, *, now: datetime | None = None) -> None:
    def change(_r: HallRecord, data: dict[str, Any], at: datetime) -> HallEventType:
        if data["breaks"] and data["breaks"][-1][1] is None:
            raise Conflict("您已在暂离中", code="on_break")
        data["breaks"].append([at.isoformat(), None])
        return HallEventType.ATTENDANCE_BREAK_STARTED

    _act(db, clerk, now, change)


def end_break(db: Database, clerk: Clerk, *, now: datetime | None = None) -> None:
    def change(_r: HallRecord, data: dict[str, Any], at: datetime) -> HallEventType:
        if not data["breaks"] or data["breaks"][-1][1] is not None:
            raise Conflict("您当前不在暂离中", code="not_on_break")
        data["breaks"][-1][1] = at.isoformat()
        return HallEventType.ATTENDANCE_BREAK_ENDED

    _act(db, clerk, now, change)


def sign_off(db: Database, clerk: Clerk, *, now: datetime | None = None) -> None:
    """Sign off (a break still open ends with it)."""
    def change(record: HallRecord, data: dict[str, Any], at: datetime) -> HallEventType:
        if data["breaks"] and data["breaks"][-1][1] is None:
            data["breaks"][-1][1] = at.isoformat()
        record.ended_at = at
        return HallEventType.ATTENDANCE_SIGNED_OFF

    _act(db, clerk, now, change)


# -- reading ---------------------------------------------------------------------------------------------
def stints(db: Database, site: str, since: datetime, until: datetime) -> list[Stint]:
    """The site's stints that overlap [since, until), oldest first."""
    with db.reading() as s:
        rows = s.scalars(select(HallRecord).where(
            HallRecord.stream == Stream.ATTENDANCE.value, HallRecord.site_code == site,
            HallRecord.started_at < until, HallRecord.started_at >= since - MAX_STINT,
        ).order_by(HallRecord.started_at)).all()
        names: dict[str, str] = {u: n for u, n in s.execute(select(User.username, User.display_name)).all()}
        return [_stint(r, names) for r in rows if (r.ended_at or until) > since]


def _clip(spans: Iterable[Span], a: datetime, b: datetime) -> list[Span]:
    return [(max(x, a), min(y, b)) for x, y in spans if min(y, b) > max(x, a)]


def _local_days(spans: Iterable[Span]) -> set[date]:
    days: set[date] = set()
    for a, b in spans:
        d, last = a.astimezone(SHANGHAI).date(), (b - timedelta(microseconds=1)).astimezone(SHANGHAI).date()
        while d <= last:
            days.add(d)
            d += timedelta(days=1)
    return days


@dataclass
class SheetLine:
    key: str  # user name or window id
    name: str
    days: int = 0
    minutes: int = 0
    cases: int = 0
    breaks: int = 0
    open_stints: int = 0  # stints left open from an earlier day (counted up to 16 h); today's running one is not

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)


@dataclass
class MonthSheet:
    site_code: str
    year: int
    month: int
    by_clerk: list[SheetLine] = field(default_factory=list)
    by_window: list[SheetLine] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.year}年{self.month}月窗口在岗统计"


def month_span(year: int, month: int) -> Span:
    start = datetime(year, month, 1, tzinfo=SHANGHAI)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=SHANGHAI)
    return start, end


def intake_counts(db: Database, site: str, since: datetime, until: datetime) -> tuple[dict[str, int], dict[str, int]]:
    """Cases taken at the windows in [since, until): per clerk (user name) and per window id. An intake the hub
    sent back, held or set aside is not in the case and is not counted, as 统计 does not (store/figure_counts.py)."""
    with db.reading() as s:
        rows = s.execute(
            select(CaseEvent.actor, CaseEvent.payload)
            .join(Case, Case.uuid == CaseEvent.case_uuid)
            .where(Case.site_code == site, Case.created_at >= since - timedelta(days=1), Case.created_at < until,
                   CaseEvent.type.in_(INTAKE_OUTCOMES), CaseEvent.occurred_at >= since,
                   CaseEvent.occurred_at < until, CaseEvent.push_state.notin_(NOT_IN_CASE))
        ).all()
    per_clerk: dict[str, int] = defaultdict(int)
    per_window: dict[str, int] = defaultdict(int)
    for actor, payload in rows:
        per_clerk[actor] += 1
        per_window[payload.get("window_id") or ""] += 1  # "": taken at no window (不坐窗口), NO_WINDOW on the sheet
    return per_clerk, per_window


def left_open(st: Stint, now: datetime) -> bool:
    """Not signed off, and begun on an earlier (hall) day than ``now``: a clerk still at the window today is on
    duty, not someone who forgot to sign off."""
    return st.ended_at is None and st.started_at.astimezone(SHANGHAI).date() < now.astimezone(SHANGHAI).date()


def monthly_sheet(db: Database, site: str, year: int, month: int, *, now: datetime | None = None) -> MonthSheet:
    if not 1 <= month <= 12:
        raise InputError("月份应在 1 至 12 之间")
    now = now or utcnow()
    start, end = month_span(year, month)
    sheet = MonthSheet(site, year, month)
    clerks: dict[str, SheetLine] = {}
    windows: dict[str, SheetLine] = {w.id: SheetLine(w.id, w.name) for w in list_windows(db, include_inactive=True)}
    clerk_days: dict[str, set[date]] = defaultdict(set)
    window_days: dict[str, set[date]] = defaultdict(set)
    for st in stints(db, site, start, end):
        spans = _clip(st.worked(now), start, end)
        if not start <= st.started_at < end and not spans:
            continue  # an earlier month's stint left open ends with its day: it is that month's 未签退
        minutes = sum(int((b - a).total_seconds() // 60) for a, b in spans)
        c = clerks.setdefault(st.username, SheetLine(st.username, st.display_name))
        w = windows.setdefault(st.window_id, SheetLine(st.window_id, st.window_name))
        for line in (c, w):
            line.minutes += minutes
            line.breaks += sum(1 for b0, _ in st.breaks if start <= b0 < end)
            line.open_stints += left_open(st, now)
        clerk_days[st.username] |= _local_days(spans)
        window_days[st.window_id] |= _local_days(spans)
    per_clerk, per_window = intake_counts(db, site, start, end)
    with db.reading() as s:
        names: dict[str, str] = {u: n for u, n in s.execute(select(User.username, User.display_name)).all()}
    for username, n in per_clerk.items():
        clerks.setdefault(username, SheetLine(username, names.get(username, username))).cases = n
    for window_id, n in per_window.items():
        windows.setdefault(window_id, SheetLine(window_id, window_id or NO_WINDOW)).cases = n
    for key, line in clerks.items():
        line.days = len(clerk_days[key])
    for key, line in windows.items():
        line.days = len(window_days[key])
    sheet.by_clerk = sorted(clerks.values(), key=lambda x: x.name)
    sheet.by_window = [w for w in windows.values() if w.minutes or w.cases or w.key in {x.id for x in list_windows(db)}]
    return sheet


# -- windows with nobody on them -------------------------------------------------------------------------
@dataclass(frozen=True)
class Gap:
    window_id: str
    window_name: str
    start: datetime
    end: datetime

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


def _subtract(base: list[Span], covered: list[Span]) -> list[Span]:
    out = []
    for a, b in base:
        cursor = a
        for x, y in sorted(covered):
            if y <= cursor or x >= b:
                continue
            if x > cursor:
                out.append((cursor, x))
            cursor = max(cursor, y)
        if cursor < b:
            out.append((cursor, b))
    return out


def _staffed_windows(windows: list[WindowInfo], day: date) -> list[WindowInfo]:
    return [w for w in windows if w.open_on(day)]


def unstaffed(
    db: Database, site: str, day: date, is_workday: Callable[[date], bool], *, now: datetime | None = None,
    min_minutes: int = 1,
) -> list[Gap]:
    """Each open window's stretches of the day's opening hours (up to now) with nobody signed on, in window
    order; stretches shorter than ``min_minutes`` are left out."""
    now = now or utcnow()
    spans = [(a, min(b, now)) for a, b in opening_spans(day, opening_hours(db), is_workday) if a < now]
    if not spans:
        return []
    day_start, day_end = spans[0][0], spans[-1][1]
    worked: dict[str, list[Span]] = defaultdict(list)
    for st in stints(db, site, day_start, day_end):
        worked[st.window_id].extend(st.worked(now))
    gaps = []
    for w in _staffed_windows(list_windows(db), day):
        for a, b in _subtract(spans, worked[w.id]):
            gap = Gap(w.id, w.name, a, b)
            if gap.minutes >= min_minutes:
                gaps.append(gap)
    return gaps


def on_duty(db: Database, site: str, *, now: datetime | None = None) -> list[Stint]:
    """Who is signed on to which window at ``now``: today's stints not signed off (on a break too, see
    ``Stint.on_break``), in window order. A sign-off forgotten on an earlier day is nobody on duty today."""
    now = now or utcnow()
    today = now.astimezone(SHANGHAI).date()
    on = [st for st in stints(db, site, now - timedelta(seconds=1), now + timedelta(seconds=1))
          if st.ended_at is None and st.started_at <= now and st.started_at.astimezone(SHANGHAI).date() == today]
    order = {w.id: i for i, w in enumerate(list_windows(db, include_inactive=True))}
    return sorted(on, key=lambda st: (order.get(st.window_id, len(order)), st.started_at))


def unstaffed_now(db: Database, site: str, is_workday: Callable[[date], bool], *, now: datetime | None = None) -> list[WindowInfo]:
    """The windows open today with nobody on them at ``now`` (on a break counts as away); none outside the
    opening hours."""
    now = now or utcnow()
    day = now.astimezone(SHANGHAI).date()
    if not any(a <= now < b for a, b in opening_spans(day, opening_hours(db), is_workday)):
        return []
    present = {st.window_id for st in stints(db, site, now - timedelta(seconds=1), now + timedelta(seconds=1))
               if any(a <= now < b for a, b in st.worked(now + timedelta(seconds=1)))}
    return [w for w in _staffed_windows(list_windows(db), day) if w.id not in present]
