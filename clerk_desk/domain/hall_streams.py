"""Streams of the event log that are not cases: records of a site, a window or a person (docs/hall-services.md).

A consultation at the 咨询服务窗口, a 帮办代办 followed through its steps, a clerk's time on a window: each
is a *record* with its own uuid and version, changed only by events, like a case. Their events travel in
the one outbox and the one log, under a stream kind, with the case's wire format: ``case_uuid`` holds the
record's uuid, ``case_version`` its version, ``department_code`` :data:`HALL_DEPARTMENT` (a record belongs
to the site, not to a department). The shared case lifecycle does not judge them; :func:`check` does, on
the desk before writing and at the hub before appending. Every event carries the record as it is after
the event (``payload["record"]``), so a desk that pulls it keeps the latest version whatever order it
sees them in.
"""

from __future__ import annotations

from enum import StrEnum

from clerk_desk.domain.lifecycle import EventType


class Stream(StrEnum):
    CASE = "case"
    CONSULTATION = "consultation"  # 咨询服务窗口: one question answered or referred
    ASSIST = "assist"  # 帮办代办: a person helped through the steps, often an online application
    ATTENDANCE = "attendance"  # 在位: one clerk's stint on one window, with its breaks


class HallEventType(StrEnum):
    CONSULTATION_LOGGED = "consultation_logged"
    ASSIST_OPENED = "assist_opened"  # 委托: the person asks for help
    ASSIST_STEP = "assist_step"  # 受理, 办理, 送达, 归档, 回访 with their dates
    ATTENDANCE_SIGNED_ON = "attendance_signed_on"
    ATTENDANCE_BREAK_STARTED = "attendance_break_started"
    ATTENDANCE_BREAK_ENDED = "attendance_break_ended"
    ATTENDANCE_SIGNED_OFF = "attendance_signed_off"


STREAM_OF: dict[str, Stream] = {
    **{t.value: Stream.CASE for t in EventType},
    HallEventType.CONSULTATION_LOGGED.value: Stream.CONSULTATION,
    HallEventType.ASSIST_OPENED.value: Stream.ASSIST,
    HallEventType.ASSIST_STEP.value: Stream.ASSIST,
    HallEventType.ATTENDANCE_SIGNED_ON.value: Stream.ATTENDANCE,
    HallEventType.ATTENDANCE_BREAK_STARTED.value: Stream.ATTENDANCE,
    HallEventType.ATTENDANCE_BREAK_ENDED.value: Stream.ATTENDANCE,
    HallEventType.ATTENDANCE_SIGNED_OFF.value: Stream.ATTENDANCE,
}
# The event that creates a record of each stream (its version 0); the others follow it.
FIRST: dict[Stream, HallEventType] = {
    Stream.CONSULTATION: HallEventType.CONSULTATION_LOGGED,
    Stream.ASSIST: HallEventType.ASSIST_OPENED,
    Stream.ATTENDANCE: HallEventType.ATTENDANCE_SIGNED_ON,
}
HALL_DEPARTMENT = "hall"  # the department code a site's records travel under
SIDE = "window"  # records are made at the window PCs of a site


class StreamError(ValueError):
    """An event a stream does not take. ``code`` is stable (the hub's answer)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def stream_of(event_type: str) -> Stream | None:
    return STREAM_OF.get(event_type)


def check(stream: str, event_type: str, side: str, department_code: str, version: int) -> Stream:
    """The rules every record event obeys: a known stream, its own event types, made at the window,
    under the hall department, its first event only at version 0."""
    try:
        kind = Stream(stream)
    except ValueError:
        raise StreamError("unknown_stream", f"unknown stream {stream!r}") from None
    if kind is Stream.CASE:
        raise StreamError("not_a_record", "case events are judged by the case lifecycle")
    if STREAM_OF.get(event_type) is not kind:
        raise StreamError("wrong_stream", f"{event_type} is not an event of the {kind.value} stream")
    if side != SIDE:
        raise StreamError("wrong_side", f"{kind.value} records are made at the window")
    if department_code != HALL_DEPARTMENT:
        raise StreamError("wrong_department", f"{kind.value} records travel under department {HALL_DEPARTMENT!r}")
    if (event_type == FIRST[kind].value) != (version == 0):
        raise StreamError("illegal_transition", f"{event_type} at record version {version}")
    return kind
