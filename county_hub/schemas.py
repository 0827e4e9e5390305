"""The wire format (docs/sync-protocol.md): what desks send and what the hub answers."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, StrictStr, model_validator

from clerk_desk.domain.hall_streams import STREAM_OF, HallEventType, Stream
from clerk_desk.domain.lifecycle import EventType, Side

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$"
MAX_INT32 = 2**31 - 1
MAX_INT64 = 2**63 - 1
# device_seq stays an integer every JSON reader holds exactly (and far beyond any desk's counter); how far
# one push may jump past what the hub has stored from the device is checked per event (county_hub.admission).
MAX_DEVICE_SEQ = 2**53 - 1
# occurred_at outside these years is refused with 422: no clock of a desk reads them, and the extremes of
# the ISO format (year 1 or 9999 with a far zone offset) do not even fit a datetime once made UTC.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)

_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _utc_timestamp(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00") if value.endswith("Z") else value)
    except ValueError:
        raise ValueError("not an ISO-8601 timestamp") from None
    if moment.tzinfo is None:
        raise ValueError("the timestamp has no time zone; send UTC, e.g. 2026-03-02T01:30:00Z")
    try:
        utc = moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("the timestamp is out of range") from None
    if not EARLIEST <= utc < LATEST:
        raise ValueError(f"the timestamp must lie in the years {EARLIEST.year}-{LATEST.year - 1}")
    return iso_utc(utc)


def iso_utc(moment: datetime) -> str:
    """The hub's timestamp form: UTC, microseconds, a trailing Z."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


# The canonical form only (what str(uuid4()) gives), checked by pydantic-core's regex engine.
Uuid = Annotated[
    StrictStr, Field(pattern=f"^{_CANONICAL_UUID.pattern}$", json_schema_extra={"format": "uuid"})
]
Code = Annotated[StrictStr, Field(pattern=CODE_PATTERN)]
Timestamp = Annotated[
    StrictStr, Field(max_length=40, json_schema_extra={"format": "date-time"}), AfterValidator(_utc_timestamp)
]
_PRINTABLE = r"^[^\x00-\x1f]+$"  # no control characters (PostgreSQL refuses NUL in text)
Text64 = Annotated[StrictStr, Field(min_length=1, max_length=64, pattern=_PRINTABLE)]
Text200 = Annotated[StrictStr, Field(min_length=1, max_length=200, pattern=_PRINTABLE)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RecordStream(StrEnum):
    """The streams of records that are not cases (clerk_desk/domain/hall_streams.py)."""

    CONSULTATION = Stream.CONSULTATION.value
    ASSIST = Stream.ASSIST.value
    ATTENDANCE = Stream.ATTENDANCE.value


class WireEvent(_Strict):
    """One event of a desk's outbox, exactly as it is pushed."""

    uuid: Uuid
    case_uuid: Uuid  # the record's uuid for the streams that are not cases
    case_version: Annotated[StrictInt, Field(ge=0, le=MAX_INT32)]
    type: EventType | HallEventType
    side: Side
    site_code: Code
    department_code: Code
    payload: dict[str, Any]
    actor: Text64
    device_code: Code
    occurred_at: Timestamp
    device_seq: Annotated[StrictInt, Field(ge=0, le=MAX_DEVICE_SEQ)]
    # Which stream of the log (clerk_desk/domain/hall_streams.py); a case event may leave it out. It must be
    # the stream of the event's type, so the log keeps no column for it and the body's hash leaves it out.
    stream: Stream = Stream.CASE

    @model_validator(mode="after")
    def _stream_of_type(self) -> WireEvent:
        if STREAM_OF[self.type.value] is not self.stream:
            raise ValueError(f"an event of type {self.type.value} belongs to the {STREAM_OF[self.type.value].value} stream")
        return self


class PushRequest(_Strict):
    events: list[WireEvent] = Field(max_length=500)


class PushResult(BaseModel):
    uuid: str
    status: Literal["stored", "duplicate", "rejected"]
    code: str | None = None
    reason: str | None = None
    seq: int | None = None


class PushResponse(BaseModel):
    results: list[PushResult]


class LoggedEvent(BaseModel):
    """An event as the log holds it: the wire fields plus the hub's stamps."""

    seq: int
    received_at: str
    uuid: str
    case_uuid: str
    case_version: int
    type: str
    side: str
    site_code: str
    department_code: str
    payload: dict[str, Any]
    actor: str
    device_code: str
    occurred_at: str
    device_seq: int


class PullResponse(BaseModel):
    events: list[LoggedEvent]
    next_cursor: int
    has_more: bool


class CaseEventsResponse(BaseModel):
    case_uuid: str
    events: list[LoggedEvent]


class CaseSnapshot(BaseModel):
    case_uuid: str
    site_code: str
    department_code: str
    status: str
    version: int
    owner: str | None
    pledge_open: bool
    withdrawal_requested: bool
    first_seq: int
    last_seq: int
    updated_at: str


class SnapshotResponse(BaseModel):
    seq: int = Field(description="the log position the snapshot is consistent with: pull after it next")
    server_time: str
    cases: list[CaseSnapshot]
    records: list[LoggedEvent] = Field(
        default_factory=list,
        description="the scope's record-stream events (consultations, 帮办代办, attendance) of the last 62 days",
    )


class ScopePair(BaseModel):
    site_code: str
    department_code: str = Field(description='"*" means every department at the site')


class EnrolRequest(_Strict):
    code: Annotated[StrictStr, Field(min_length=1, max_length=64)]
    os_account: Text200
    device_info: dict[str, Any] = Field(default_factory=dict)


class EnrolResponse(BaseModel):
    token: str
    token_id: str
    device_code: str
    site_code: str
    kind: str
    scope: list[ScopePair]


class DeviceMe(BaseModel):
    device_code: str
    site_code: str
    kind: str
    scope: list[ScopePair]
    token_id: str
    os_account: str
    max_device_seq: int = Field(description="the highest device_seq the hub has stored from this device")
    last_push_at: str | None
    server_time: str


class DirectoryGrant(BaseModel):
    role: str
    site_code: str
    department_code: str = Field(description='"*" means every department at the site')
    valid_from: str | None = Field(description="null: held since before the hub recorded role periods")
    valid_to: str | None = Field(description="null: still held")


class DirectoryUser(BaseModel):
    username: str
    display_name: str
    site_code: str | None
    roles: list[str]
    serves: list[ScopePair]
    verifier: str
    active: bool
    updated_at: str
    grants: list[DirectoryGrant] = Field(
        default_factory=list, description="the periods of the user's roles (added with hub migration 0003)"
    )


class UsersResponse(BaseModel):
    users: list[DirectoryUser]


class Health(BaseModel):
    status: str
    server_time: str
    version: str
    api: str


class WaitResponse(BaseModel):
    """GET /changes: whether the scope has another device's events after the cursor (then pull), and the
    log's head the hub had looked at. Asked with ``limit``, a "changed" answer also carries the pull page
    after the cursor (``events``, ``next_cursor``, ``has_more``, as GET /events gives them); an answer
    without them (the hub could not read them then) means: pull."""

    changed: bool
    head: int
    events: list[LoggedEvent] | None = None
    next_cursor: int | None = None
    has_more: bool | None = None
