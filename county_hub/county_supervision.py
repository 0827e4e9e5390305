"""The county 督办 list, judged when asked by the site page's own rules (docs/hub.md, "County figures").

Every push keeps, per case, the moments and people its stages are timed from (county_hub.county_projection:
the acceptance, the latest hand-over, who signed for it, a pause, the result's return, an open 容缺
pledge, how and by whom it closed at the window). When a county supervisor asks, the cases a stage may
flag are read with bounds that only narrow the reading (a hand-over not yet in its last minutes, a due
date more than a working day away, a result returned less than N days ago cannot be flagged), and each is
judged by clerk_desk.domain.supervision.alerts, as a hall PC judges its own: the same six stages, the
same amber and red, pauses honoured. The values (签收 minutes, result days) are the county's latest
publication of them and the working days come from the county's published calendar (then the
chinesecalendar library), so a change of either takes effect on the next question, with no rebuild.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select, true

from clerk_desk.domain import supervision as sv
from clerk_desk.domain.calendar_file import CalendarFormatError, parse_calendar
from clerk_desk.domain.lifecycle import TRANSFER_MINUTES, Status
from clerk_desk.domain.supervision_settings import SettingsFormatError, parse_settings
from clerk_desk.domain.workdays import SHANGHAI, CalendarLike, WorkCalendar
from county_hub.county_figures import names
from county_hub.models import CountyCase, Publication
from county_hub.schemas import iso_utc

log = logging.getLogger(__name__)

MAX_OVERDUE = 2000
_STATUS = {s.value: s for s in Status}
_DECISION = sorted(s.value for s in sv.DECISION_STATUSES if s is not Status.PAUSED)
# Paper the window files (clerk_desk.domain.paper_custody): closed on the spot or refused, or withdrawn
# before any hand-over; a case handed over (delivered, withdrawn later) is the department's to file.
_WINDOW_PAPER = [Status.COMPLETED.value, Status.REFUSED.value]
_PLEDGE = sorted(s.value for s in sv.PLEDGE_STATUSES)
_SLACK = timedelta(seconds=1)  # the rules count whole seconds: read a second more than the bound says

# Parsed publications by ETag: the calendar's running counts of working days are kept per calendar object
# (clerk_desk.domain.workdays), so the same object is handed out until the county publishes another.
_parsed: dict[tuple[str, str], Any] = {}
_parsed_lock = threading.Lock()


def _latest(conn: Connection, kind: str) -> tuple[str, bytes] | None:
    row = conn.execute(
        select(Publication.etag, Publication.content)
        .where(Publication.kind == kind)
        .order_by(Publication.version.desc())
        .limit(1)
    ).first()
    return (row[0], bytes(row[1])) if row is not None else None


def _cached(kind: str, found: tuple[str, bytes] | None, parse: Any, default: Any) -> Any:
    if found is None:
        return default
    key = (kind, found[0])
    with _parsed_lock:
        if key not in _parsed:
            try:
                _parsed[key] = parse(json.loads(found[1].decode("utf-8-sig")))
            except (ValueError, CalendarFormatError, SettingsFormatError):
                # Checked when published (county_hub.publications): only a hand-edited row gets here.
                log.exception("the county's %s publication cannot be read; the defaults are used", kind)
                _parsed[key] = default
        return _parsed[key]


_LIBRARY_ONLY = WorkCalendar()


def calendar(conn: Connection) -> CalendarLike:
    """The county's published calendar (its years), then the chinesecalendar library, then weekends."""
    found: CalendarLike = _cached(
        "calendar", _latest(conn, "calendar"), lambda d: WorkCalendar(parse_calendar(d)), _LIBRARY_ONLY
    )
    return found


def rules(conn: Connection) -> sv.Rules:
    """The county's latest published 签收 minutes and result days (the site page's defaults before any)."""
    settings = _cached("supervision", _latest(conn, "supervision"), parse_settings, None)
    return settings.rules if settings is not None else sv.DEFAULT_RULES


def archive_red_before(now: datetime, cal: CalendarLike) -> datetime:
    """Paper of every case closed before this moment is late (its deadline, the end of the first working day
    after the closing day, grows with the closing day); after it, none is yet. The local midnight after
    the last closing day whose deadline has passed."""
    day = now.astimezone(SHANGHAI).date()
    while sv.archive_deadline(sv.day_start(day), cal) >= now:
        day -= timedelta(days=1)
    return sv.day_start(day + timedelta(days=1))


def _window_paper() -> Any:
    c = CountyCase
    return or_(c.status.in_(_WINDOW_PAPER), and_(c.status == Status.WITHDRAWN.value, c.handed_at.is_(None)))


def _candidates(now: datetime, r: sv.Rules, cal: CalendarLike, red_before: datetime) -> Any:
    """Which rows a rule may flag at ``now``: bounds that only narrow the reading (the rules decide). The
    late cases of the decision (not paused), result and archiving stages are read apart (:func:`_late`)."""
    c = CountyCase
    today = now.astimezone(SHANGHAI).date()
    second = sv.day_start(sv.next_working_day(sv.next_working_day(today, cal), cal))
    transfer_soonest = min(m - sv.warn_minutes(m) for m in TRANSFER_MINUTES.values())
    sign_from = now - timedelta(minutes=r.sign_minutes - sv.warn_minutes(r.sign_minutes)) + _SLACK
    return or_(
        and_(c.status == Status.ACCEPTED.value, c.accepted_at <= now - timedelta(minutes=transfer_soonest) + _SLACK),
        and_(c.status == Status.TRANSFERRED.value, c.handed_at <= sign_from),
        and_(c.status.in_(_DECISION), c.due_at >= now, c.due_at < second),
        c.status == Status.PAUSED.value,  # a pause is measured where it began: every paused case is read
        and_(c.pledge_open.is_(True), c.pledge_due <= today.isoformat(), c.status.in_(_PLEDGE)),
        and_(_window_paper(), c.closed_at >= red_before, c.closed_at < sv.day_start(today)),
    )  # fmt: skip


def _watched(row: Any) -> sv.Watched:
    accepted = row.accepted_at
    status = _STATUS[row.status]
    return sv.Watched(
        row.case_uuid, row.case_number, row.site_code, row.department_code, row.item_code, status,
        bool(row.urgent), None, row.clerk,
        accepted + timedelta(minutes=TRANSFER_MINUTES[bool(row.urgent)]) if accepted is not None else None,
        row.handed_at, row.received_by, row.due_at,
        row.paused_since if status is Status.PAUSED else None, row.returned_at, bool(row.pledge_open),
        date.fromisoformat(row.pledge_due) if row.pledge_due else None, row.closed_at, row.closed_by,
    )  # fmt: skip


_COLUMNS = (
    CountyCase.case_uuid, CountyCase.case_number, CountyCase.site_code, CountyCase.department_code,
    CountyCase.item_code, CountyCase.status, CountyCase.urgent, CountyCase.clerk, CountyCase.accepted_at,
    CountyCase.handed_at, CountyCase.received_by, CountyCase.due_at, CountyCase.paused_since,
    CountyCase.returned_at, CountyCase.pledge_open, CountyCase.pledge_due, CountyCase.closed_at,
    CountyCase.closed_by,
)  # fmt: skip


def _late(
    conn: Connection, now: datetime, r: sv.Rules, cal: CalendarLike, where_sites: Any, red_before: datetime
) -> list[tuple[sv.Stage, Any, Any]]:
    """The stages whose late cases are told by their columns alone, in the list's order: (stage, which rows,
    the column their deadline grows with). Past the due date (a clock not paused), a result back more than
    N days, paper of a case closed before ``red_before``: a county may hold a hundred thousand such cases,
    so they are counted, and read only as far as the first rows of the list need them."""
    c = CountyCase
    return [
        (sv.Stage.DECISION, and_(c.status.in_(_DECISION), c.due_at < now, where_sites), c.due_at),
        (sv.Stage.RESULT, and_(c.status == Status.RESULT_AT_WINDOW.value,
                               c.returned_at < now - timedelta(days=r.result_days), where_sites), c.returned_at),
        (sv.Stage.ARCHIVE, and_(_window_paper(), c.closed_at < red_before, where_sites), c.closed_at),
    ]  # fmt: skip


def _first_late(
    conn: Connection, stage: sv.Stage, late: Any, moment: Any, cal: CalendarLike, first: int
) -> Any:
    """Narrow ``late`` to its ``first`` rows in the list's order (deadline, then case) and every row sharing
    the last one's deadline (the archiving deadline is a day's end, shared by the cases of a day or more)."""
    nth = conn.execute(
        select(moment).where(late).order_by(moment, CountyCase.case_uuid).offset(first - 1).limit(1)
    ).scalar_one()
    if stage is sv.Stage.ARCHIVE:
        last = sv.archive_deadline(nth, cal).astimezone(SHANGHAI).date()
        return and_(late, moment < sv.day_start(last))
    return and_(late, moment <= nth)


def judge(
    conn: Connection,
    now: datetime,
    sites: Sequence[str] | None,
    given: sv.Rules,
    cal: CalendarLike,
    first: int | None = None,
) -> tuple[list[sv.Alert], dict[str, dict[str, int]]]:
    """The alerts of the county (or of ``sites``) at ``now`` in the site page's order, and how many there are
    per stage and level: with ``first``, the late cases of :func:`_late` only as far as the first ``first``
    alerts of the list need them (all of them are counted)."""
    c = CountyCase
    where_sites = c.site_code.in_(sorted(set(sites))) if sites else true()
    red_before = archive_red_before(now, cal)
    rows = conn.execute(select(*_COLUMNS).where(_candidates(now, given, cal, red_before), where_sites)).all()
    # A row read for one stage (an open pledge, say) is judged at every stage; its late decision, result or
    # paper is one of _late's, read there.
    paused = {r.case_uuid for r in rows if r.status == Status.PAUSED.value}
    found = [
        a for a in sv.scan((_watched(r) for r in rows), now, cal, given)
        if not (a.late and (a.stage in (sv.Stage.RESULT, sv.Stage.ARCHIVE)
                            or a.stage is sv.Stage.DECISION and a.case_uuid not in paused))
    ]  # fmt: skip
    counts: dict[str, dict[str, int]] = {}
    for a in found:
        by_level = counts.setdefault(a.stage.value, {"red": 0, "amber": 0})
        by_level[a.level.value] += 1
    rank = {s: i for i, s in enumerate(sv.STAGE_ORDER)}
    late_alerts: list[sv.Alert] = []
    for stage, late, moment in _late(conn, now, given, cal, where_sites, red_before):
        total = int(conn.execute(select(func.count()).select_from(c).where(late)).scalar_one())
        if not total:
            continue
        counts.setdefault(stage.value, {"red": 0, "amber": 0})["red"] += total
        if first is not None:  # the alerts listed before this stage's late ones
            ahead = sum(n for s, by_level in counts.items() if rank[sv.Stage(s)] < rank[stage]
                        for n in by_level.values())  # fmt: skip
            need = max(first - ahead, 1)
            if total > need:
                late = _first_late(conn, stage, late, moment, cal, need)
        rows_late = conn.execute(select(*_COLUMNS).where(late)).all()
        # Only this stage's alert of each: its other stages are judged with the candidates.
        late_alerts += [
            a for a in sv.scan((_watched(r) for r in rows_late), now, cal, given) if a.stage is stage
        ]
    return sv.sort_alerts([*found, *late_alerts]), counts


def alerts(
    conn: Connection,
    now: datetime,
    sites: Sequence[str] | None = None,
    *,
    given: sv.Rules | None = None,
    cal: CalendarLike | None = None,
) -> list[sv.Alert]:
    """Every alert of the county (or of ``sites``) at ``now``, in the site page's order."""
    return judge(conn, now, sites, given or rules(conn), cal or calendar(conn))[0]


def overdue(
    conn: Connection, now: datetime, sites: Sequence[str] | None = None, limit: int = MAX_OVERDUE
) -> dict[str, Any]:
    """The 督办 list at ``now``: per stage, the late cases first, then those nearly late (amber)."""
    given, cal = rules(conn), calendar(conn)
    found, by_stage = judge(conn, now, sites, given, cal, limit)
    shown = found[:limit]
    townships, items = names(conn, {a.site_code for a in shown}, {a.item_name for a in shown})  # (codes)
    return {
        "at": iso_utc(now),
        "total": sum(n for counts in by_stage.values() for n in counts.values()),
        "by_stage": by_stage,
        "sign_minutes": given.sign_minutes,
        "result_days": given.result_days,
        "township_names": townships,
        "item_names": items,
        "cases": [_case(a, now) for a in shown],
    }


def _case(a: sv.Alert, now: datetime) -> dict[str, Any]:
    return {
        "site_code": a.site_code,
        "department_code": a.department_code,
        "case_number": a.case_number,
        "item_code": a.item_name,
        "stage": a.stage.value,
        "level": a.level.value,
        "holder": a.holder,
        "deadline": iso_utc(a.deadline),
        "late": a.late,
        "late_seconds": int((now - a.deadline).total_seconds()),
        "over_days": a.over_days,
    }
