"""The hub's tables. Migrations in county_hub/migrations must match these (a test compares them)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

CODE = 32  # site, department and device codes
UUID_LEN = 36
HASH = 64  # sha256 hex

# SQLite has no 64-bit autoincrement type: a plain INTEGER PRIMARY KEY is its rowid (64-bit anyway).
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every database. Values are bound in UTC: a database with a zone type keeps
    the moment, and SQLite (no such type; SQLAlchemy writes the date and time fields as text, ignoring
    the zone) keeps UTC text, to which the zone is put back on load."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, _database: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, _database: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Site(Base):
    __tablename__ = "sites"
    code: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Device(Base):
    __tablename__ = "devices"
    code: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    site_code: Mapped[str] = mapped_column(ForeignKey("sites.code"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # clerk | approver | county
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    max_device_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    last_push_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The first enrolment: a pushed event may not be dated before it (county_hub.admission).
    enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class DeviceHoldings(Base):
    """What a desk last said it holds (the ``X-Desk-Holds`` header of its timer round, county_hub.holdings):
    its program's version, its catalog and its calendar years. A table of its own, so that recording it
    never takes the device's row, which every push updates."""

    __tablename__ = "device_holdings"
    device_code: Mapped[str] = mapped_column(ForeignKey("devices.code"), primary_key=True)
    os_account: Mapped[str] = mapped_column(String(200))  # the account whose desk said it
    app_version: Mapped[str] = mapped_column(String(100))
    catalog_version: Mapped[str | None] = mapped_column(String(100), nullable=True)
    catalog_source: Mapped[str | None] = mapped_column(String(8), nullable=True)  # hub | file | demo
    calendar: Mapped[dict[str, str]] = mapped_column(JSON)  # year ("2027") -> the calendar file's version
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime())  # when it last said something new
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime())  # when it last said it (every 10 min at most)


class DeviceScope(Base):
    """One (site, department) pair a device covers; department "*" means every department at the site."""

    __tablename__ = "device_scopes"
    device_code: Mapped[str] = mapped_column(ForeignKey("devices.code"), primary_key=True)
    site_code: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    department_code: Mapped[str] = mapped_column(String(CODE), primary_key=True)


class EnrolmentCode(Base):
    __tablename__ = "enrolment_codes"
    code_hash: Mapped[str] = mapped_column(String(HASH), primary_key=True)
    device_code: Mapped[str] = mapped_column(ForeignKey("devices.code"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    token_id: Mapped[str | None] = mapped_column(String(CODE), nullable=True)


class DeviceToken(Base):
    """A bearer token of one (device, OS account); only its sha256 is kept."""

    __tablename__ = "device_tokens"
    id: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    device_code: Mapped[str] = mapped_column(ForeignKey("devices.code"), index=True)
    token_hash: Mapped[str] = mapped_column(String(HASH), unique=True)
    os_account: Mapped[str] = mapped_column(String(200))
    device_info: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class User(Base):
    __tablename__ = "users"
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200))
    site_code: Mapped[str | None] = mapped_column(ForeignKey("sites.code"), nullable=True, index=True)
    roles: Mapped[list[str]] = mapped_column(JSON)
    serves: Mapped[list[str]] = mapped_column(JSON)  # "SITE:DEPT" pairs
    verifier: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RoleGrant(Base):
    """A period in which a user held a role for a (site, department); department "*" is the whole site.
    Pushed events are checked against the grants held at their ``occurred_at`` (county_hub.admission);
    grants are never deleted, a revocation ends the period (``valid_to``)."""

    __tablename__ = "role_grants"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(ForeignKey("users.username"), index=True)
    role: Mapped[str] = mapped_column(String(CODE))
    site_code: Mapped[str] = mapped_column(String(CODE))
    department_code: Mapped[str] = mapped_column(String(CODE))
    valid_from: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)  # None: since always
    valid_to: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)  # None: still held
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    granted_by: Mapped[str] = mapped_column(String(200))
    ended_by: Mapped[str | None] = mapped_column(String(200), nullable=True)


class HubWindow(Base):
    """A window of a site as county IT registered it (county_hub.windows): the routing of intake events is
    judged by these facts, not by those the event carries. Never deleted: a window taken out of use gets
    ``ended_at`` (events made before stay valid)."""

    __tablename__ = "hub_windows"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    site_code: Mapped[str] = mapped_column(ForeignKey("sites.code"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(CODE))
    department_code: Mapped[str | None] = mapped_column(String(CODE), nullable=True)
    items: Mapped[list[str]] = mapped_column(JSON)  # named items: a 潮汐窗口 takes them, a 部门专窗 keeps them
    valid_from: Mapped[date | None] = mapped_column(Date, nullable=True)  # 潮汐窗口: hall days, both included
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    devices: Mapped[list[str]] = mapped_column(JSON)  # the PCs that work it; empty: any PC of the site
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(200))

    __table_args__ = (UniqueConstraint("site_code", "name", name="uq_hub_windows_site_name"),)


class Counter(Base):
    """The event log's sequence: one row, locked FOR UPDATE by every append (county_hub.ordering)."""

    __tablename__ = "counters"
    name: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class Event(Base):
    """The append-only log. ``seq`` comes from the counter, never from an autoincrement."""

    __tablename__ = "events"
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    uuid: Mapped[str] = mapped_column(String(UUID_LEN), unique=True)
    body_hash: Mapped[str] = mapped_column(String(HASH))
    case_uuid: Mapped[str] = mapped_column(String(UUID_LEN), index=True)
    case_version: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(CODE))
    side: Mapped[str] = mapped_column(String(16))
    site_code: Mapped[str] = mapped_column(String(CODE))
    department_code: Mapped[str] = mapped_column(String(CODE))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    actor: Mapped[str] = mapped_column(String(64))
    device_code: Mapped[str] = mapped_column(String(CODE))
    occurred_at: Mapped[str] = mapped_column(String(40))
    device_seq: Mapped[int] = mapped_column(BigInteger)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    token_id: Mapped[str] = mapped_column(String(CODE))

    __table_args__ = (Index("ix_events_scope_seq", "site_code", "department_code", "seq"),)


class Case(Base):
    """Each case's current state, as the lifecycle rules need it; every push keeps it in step with the log
    (county_hub.case_state)."""

    __tablename__ = "cases"
    case_uuid: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True)
    site_code: Mapped[str] = mapped_column(String(CODE))
    department_code: Mapped[str] = mapped_column(String(CODE))
    status: Mapped[str] = mapped_column(String(CODE))
    version: Mapped[int] = mapped_column(Integer)
    owner: Mapped[str | None] = mapped_column(String(16), nullable=True)
    pledge_open: Mapped[bool] = mapped_column(Boolean)
    withdrawal_requested: Mapped[bool] = mapped_column(Boolean)
    first_seq: Mapped[int] = mapped_column(BigInteger)
    last_seq: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_cases_scope", "site_code", "department_code"),)


class RejectedEvent(Base):
    """What is kept of a rejected event: its uuid, a hash of its body and the answer (never the body)."""

    __tablename__ = "rejected_events"
    uuid: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True)
    body_hash: Mapped[str] = mapped_column(String(HASH))
    case_uuid: Mapped[str] = mapped_column(String(UUID_LEN), index=True)
    code: Mapped[str] = mapped_column(String(CODE))
    reason: Mapped[str] = mapped_column(Text)
    device_code: Mapped[str] = mapped_column(String(CODE))
    rejected_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Publication(Base):
    """A published catalog or calendar file, stored byte for byte."""

    __tablename__ = "publications"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(16))  # catalog | calendar
    version: Mapped[int] = mapped_column(Integer)
    etag: Mapped[str] = mapped_column(String(HASH))
    label: Mapped[str | None] = mapped_column(String(100), nullable=True)  # the file's own version, if any
    content: Mapped[bytes] = mapped_column(LargeBinary)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())
    published_by: Mapped[str] = mapped_column(String(200))

    __table_args__ = (UniqueConstraint("kind", "version", name="uq_publications_kind_version"),)


class AuditEntry(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    action: Mapped[str] = mapped_column(String(CODE))
    actor: Mapped[str] = mapped_column(String(200))  # admin OS user or device code
    subject: Mapped[str] = mapped_column(String(200))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)


class CountyCase(Base):
    """One case as the county figures see it (county_hub.county_projection): where it is, its stage and
    the moments the figures are made of. No personal data: case number, item, channel, staff accounts.
    Kept by every push in the same transaction as the log; ``county-hub county rebuild`` makes it again."""

    __tablename__ = "county_cases"
    case_uuid: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True)
    site_code: Mapped[str] = mapped_column(String(CODE))
    department_code: Mapped[str] = mapped_column(String(CODE))
    case_number: Mapped[str] = mapped_column(String(64))
    item_code: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(CODE))
    urgent: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(CODE))
    clerk: Mapped[str] = mapped_column(String(64))  # who accepted it
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    transferred_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    decided_day: Mapped[str | None] = mapped_column(String(10), nullable=True)  # Shanghai date
    decision_seconds: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # What the 督办 stages are timed from, judged when asked (county_hub.county_supervision; migration 0006).
    handed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    received_by: Mapped[str] = mapped_column(String(64))
    paused_since: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    pledge_open: Mapped[bool] = mapped_column(Boolean)
    pledge_due: Mapped[str | None] = mapped_column(String(10), nullable=True)  # Shanghai date
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    closed_by: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_county_cases_pledge", "pledge_due"),
        # The 督办 list's archiving stage: paper of cases closed at the window, by when (county_supervision).
        Index("ix_county_cases_closed", "status", "closed_at"),
        Index("ix_county_cases_decided", "decided_day", "site_code", "department_code", "decision_seconds"),
        Index("ix_county_cases_status", "status", "site_code"),
    )


class CountyItem(Base):
    """The name of each item code the log's intake events named: the county figures and the 督办 list name
    their items by it, so an item only one township's own catalog holds is named on the county's PC too.
    The latest intake (by ``occurred_at``, then log order) names it; kept by every push in the same
    transaction as the log (county_hub.county_projection), made again by ``county-hub county rebuild``
    (migration 0007)."""

    __tablename__ = "county_items"
    item_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    item_name: Mapped[str] = mapped_column(String(256))
    named_at: Mapped[str] = mapped_column(String(40))  # the naming event's occurred_at, as the log holds it


class CountyCounters:
    """The counters kept per day (county_daily) and per month (county_monthly): one list, two tables."""

    intakes: Mapped[int] = mapped_column(BigInteger, default=0)
    accepted: Mapped[int] = mapped_column(BigInteger, default=0)
    on_spot: Mapped[int] = mapped_column(BigInteger, default=0)
    notified: Mapped[int] = mapped_column(BigInteger, default=0)
    refused: Mapped[int] = mapped_column(BigInteger, default=0)
    transfers: Mapped[int] = mapped_column(BigInteger, default=0)
    transfers_on_time: Mapped[int] = mapped_column(BigInteger, default=0)
    decisions: Mapped[int] = mapped_column(BigInteger, default=0)
    decided_in_time: Mapped[int] = mapped_column(BigInteger, default=0)
    decision_seconds: Mapped[int] = mapped_column(BigInteger, default=0)


class CountyDaily(CountyCounters, Base):
    """Counters per (township, department, Shanghai day, item, channel), added to by every push in the
    same transaction as the log (county_hub.county_projection)."""

    __tablename__ = "county_daily"
    site_code: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    department_code: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    item_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[str] = mapped_column(String(CODE), primary_key=True)

    # The volumes by day read the intakes from this index alone (migration 0006 added them).
    __table_args__ = (Index("ix_county_daily_day", "day", "site_code", "intakes"),)


class CountyMonthly(CountyCounters, Base):
    """The counters of county_daily summed per month ('YYYY-MM', Shanghai), kept by the same pushes: a
    period's whole months are read here (county_hub.county_figures; migration 0006)."""

    __tablename__ = "county_monthly"
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    site_code: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    department_code: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    item_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[str] = mapped_column(String(CODE), primary_key=True)


class CountyDuration(Base):
    """Acceptance → decision times per (Shanghai day of the decision, township, department) as a histogram:
    how many decisions fell in each bucket (county_hub.county_projection.duration_bucket: 1 % wide), so a
    period's p90 is a sum over its days (migration 0006)."""

    __tablename__ = "county_durations"
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    site_code: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    department_code: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    bucket: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger, default=0)


class CountyDurationMonthly(Base):
    """county_durations summed per month (migration 0006)."""

    __tablename__ = "county_durations_monthly"
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    site_code: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    department_code: Mapped[str] = mapped_column(String(CODE), primary_key=True)
    bucket: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger, default=0)
