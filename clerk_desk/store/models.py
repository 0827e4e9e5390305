"""SQLAlchemy 2 models of the desk's local database (docs/architecture.md §3).

Every change to a case is one transaction that writes the case row AND its event row (the outbox).
Personal data lives in ``persons`` so a hall PC can purge it after the retention period without
rewriting cases or events, which refer to it by id only. It is sealed with this PC's key wherever it is
stored (persons, the personal parts of event payloads and case details, intake drafts), and searched
through blind indexes (store/sealed.py, docs/personal-data.md).
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from clerk_desk.store.sealed import PartlySealedJSON, SealedJSON, SealedText, listen_audit, listen_person

# Stable constraint names so batch migrations on SQLite can find them again.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC; SQLite has no time zones, so naive values come back as UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_uuid() -> str:
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UtcDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class Setting(Base):
    """Small key/value facts about this installation: site code, device code, demo flag, mode."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Department(Base):
    __tablename__ = "departments"
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Site(Base):
    """A township convenience service centre (乡镇便民服务中心)."""

    __tablename__ = "sites"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(128))


class Window(Base):
    """A service window at a site; department applies to 部门专窗, the date range to 潮汐窗口."""

    __tablename__ = "windows"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    site_code: Mapped[str] = mapped_column(ForeignKey("sites.code"))
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(24))
    department_code: Mapped[str | None] = mapped_column(ForeignKey("departments.code"))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    # item codes named for the window: a 潮汐窗口 takes these, a 部门专窗 keeps these (domain/routing.py)
    items: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")
    __table_args__ = (UniqueConstraint("site_code", "name", name="uq_windows_site_name"),)


class Device(Base):
    """This PC (and, after sync, the others the hub tells us about). ``case_seq`` never goes down."""

    __tablename__ = "devices"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    site_code: Mapped[str] = mapped_column(ForeignKey("sites.code"))
    mode: Mapped[str] = mapped_column(String(16), default="clerk")  # clerk | approver
    is_local: Mapped[bool] = mapped_column(Boolean, default=False)
    case_seq: Mapped[int] = mapped_column(Integer, default=0)
    event_seq: Mapped[int] = mapped_column(Integer, default=0)


class User(Base):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    password_verifier: Mapped[str] = mapped_column(String(200))
    roles: Mapped[list[Any]] = mapped_column(default=list)  # clerk | approver | supervisor | admin
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]  # set while locked; the countdown runs on the boot clock below
    lock_boot_id: Mapped[str | None] = mapped_column(String(64))  # services/sign_in.py
    lock_boot_at: Mapped[float | None] = mapped_column(Float)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(16), default="local")  # local | hub | demo
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    serves: Mapped[list[UserService]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class UserService(Base):
    """An approver serves a department at a site: the (site, department) pairs of their scope."""

    __tablename__ = "user_services"
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    site_code: Mapped[str] = mapped_column(ForeignKey("sites.code"), primary_key=True)
    department_code: Mapped[str] = mapped_column(ForeignKey("departments.code"), primary_key=True)


class Person(Base):
    """Personal data of an applicant or agent: a person or an organisation. Sealed; purgeable
    (``purged_at``: emptied after the retention period, services/purge.py)."""

    __tablename__ = "persons"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    kind: Mapped[str] = mapped_column(String(12))  # person | organisation
    name: Mapped[str | None] = mapped_column(SealedText("persons.name"))
    id_number: Mapped[str | None] = mapped_column(SealedText("persons.id_number"))  # resident ID or USCC
    phone: Mapped[str | None] = mapped_column(SealedText("persons.phone"))
    address: Mapped[str | None] = mapped_column(SealedText("persons.address"))
    legal_representative: Mapped[str | None] = mapped_column(SealedText("persons.legal_representative"))
    # Blind index: HMAC of the normalised ID number (exact search); set on flush from id_number.
    id_number_key: Mapped[bytes | None] = mapped_column(LargeBinary, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    purged_at: Mapped[datetime | None]


class PersonNameKey(Base):
    """Blind index of names: one HMAC per prefix of a person's normalised name (prefix search)."""

    __tablename__ = "person_name_keys"
    key: Mapped[bytes] = mapped_column(LargeBinary, primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), primary_key=True)
    # Keys are removed by (key, person_id), from the old name (store/sealed.py). The index on person_id is for
    # the triggers of case_name_counts: a case written finds its applicant's keys (store/name_counts.py).
    __table_args__ = (Index("ix_person_name_keys_person_id", "person_id"), {"sqlite_with_rowid": False})


listen_person(Person)


class IntakeDraft(Base):
    """A half-finished intake, saved as the clerk types so a crash or power cut loses nothing."""

    __tablename__ = "intake_drafts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    window_id: Mapped[str | None] = mapped_column(ForeignKey("windows.id"))
    data: Mapped[dict[str, Any]] = mapped_column(SealedJSON("intake_drafts.data"), default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class DecisionDraft(Base):
    """What an approver typed into an act's dialog (a refusal's reason, a 补正 list) and closed without acting:
    it comes back when they open that act on that case again, after a sign-out or a restart too. Sealed, on
    this PC only, purged with the intake drafts (services/decision_drafts.py)."""

    __tablename__ = "decision_drafts"
    __table_args__ = (UniqueConstraint("user_id", "case_uuid", "act", name="uq_decision_drafts_user_case_act"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    case_uuid: Mapped[str] = mapped_column(String(36))
    act: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict[str, Any]] = mapped_column(SealedJSON("decision_drafts.data"), default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class OrderAnswerDraft(Base):
    """A 督办单's answer (说明) half typed by the account that must give it: it comes back when they open the
    answer again, after a sign-out or a restart too, until it is sent. Sealed, on this PC only, purged with the
    other drafts (services/answer_drafts.py)."""

    __tablename__ = "order_answer_drafts"
    __table_args__ = (UniqueConstraint("user_id", "order_uuid", name="uq_order_answer_drafts_user_order"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    order_uuid: Mapped[str] = mapped_column(String(36))  # the supervision_issued event
    text: Mapped[str] = mapped_column(SealedText("order_answer_drafts.text"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Case(Base):
    """A case (办件). ``status``/``version`` are the state after all events known locally."""

    __tablename__ = "cases"
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    case_number: Mapped[str | None] = mapped_column(String(40), unique=True)
    site_code: Mapped[str] = mapped_column(ForeignKey("sites.code"))
    department_code: Mapped[str] = mapped_column(ForeignKey("departments.code"))
    item_code: Mapped[str] = mapped_column(String(64))
    item_name: Mapped[str] = mapped_column(String(256))
    status: Mapped[str] = mapped_column(String(24))
    version: Mapped[int] = mapped_column(Integer, default=0)
    acked_version: Mapped[int] = mapped_column(Integer, default=0)  # last version the hub confirmed
    pledge_open: Mapped[bool] = mapped_column(Boolean, default=False)
    withdrawal_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    applicant_id: Mapped[str | None] = mapped_column(ForeignKey("persons.id"))
    agent_id: Mapped[str | None] = mapped_column(ForeignKey("persons.id"))
    window_id: Mapped[str | None] = mapped_column(ForeignKey("windows.id"))
    clerk_user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    device_code: Mapped[str] = mapped_column(String(8))
    channel: Mapped[str | None] = mapped_column(String(24))
    handling_kind: Mapped[str | None] = mapped_column(String(16))  # immediate | promise | None (待确认)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    accepted_at: Mapped[datetime | None]
    transfer_due_at: Mapped[datetime | None]
    due_at: Mapped[datetime | None]
    due_calendar_version: Mapped[str | None] = mapped_column(String(32))
    # checklist, delivery (sealed: a postal address), notes
    details: Mapped[dict[str, Any]] = mapped_column(PartlySealedJSON("cases.details", ("delivery",)), default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    __table_args__ = (
        # The lists walk these in date order; a search tests each case's status, applicant, site and department
        # (the inbox's tabs) from the index, and reads only the cases that match (docs/cases.md).
        Index("ix_cases_date_walk", "created_at", "status", "applicant_id", "site_code", "department_code"),
        Index("ix_cases_status_walk", "status", "created_at", "applicant_id", "site_code", "department_code"),
        Index("ix_cases_item_created", "item_code", "created_at"),
        # A case-number prefix read as a range within a status, and its page sorted by the keyset from the index
        # (the inbox's oldest-first tabs under a broad prefix: docs/cases.md).
        Index("ix_cases_status_number", "status", "site_code", "department_code", "case_number", "created_at", "uuid"),
        # A case-number prefix in a newest-first list: the number's first 21 characters (site, window and day in the
        # county's numbers) lead, each such day's cases newest first, and status, site and department are tested
        # from the index (docs/cases.md, "Reading a page under a search"; migration 0014).
        Index("ix_cases_number_day", text("substr(case_number, 1, 21)"), "created_at", "uuid", "case_number", "status",
              "site_code", "department_code"),  # fmt: skip
        # The people of a name lead a count in a large list; status and date are read from the index.
        Index("ix_cases_applicant_status", "applicant_id", "status", "created_at"),
        # Partial: almost every case has no agent, and an index full of NULLs misleads the planner.
        Index("ix_cases_agent", "agent_id", sqlite_where=text("agent_id IS NOT NULL")),
        # Partial: the 容缺 follow-up list walks only the few cases with a pledge open (services/follow_up.py).
        Index("ix_cases_pledge_open", "created_at", sqlite_where=text("pledge_open = 1")),
        # Partial: the inbox's 撤回申请 tab walks only the few cases with a withdrawal request pending.
        Index("ix_cases_withdrawal_pending", "created_at", sqlite_where=text("withdrawal_requested = 1")),
    )


class CaseCount(Base):
    """How many cases per status, hall day (Asia/Shanghai), site, department and pending withdrawal request.
    Written only by the triggers on ``cases`` (store/case_counts.py, migration 0008_case_counts): the tab
    counts of the case lists add these up instead of counting cases."""

    __tablename__ = "case_counts"
    status: Mapped[str] = mapped_column(String(24), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    site_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    department_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    withdrawal_requested: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    n: Mapped[int] = mapped_column(Integer)
    __table_args__ = {"sqlite_with_rowid": False}


class CaseNameCount(Base):
    """How many cases each name prefix (its blind-index key, ``person_name_keys``) has per status, site,
    department and pending withdrawal request. Written only by triggers (store/name_counts.py, migration
    0012_search_counts): a tab's count under a name search adds these up instead of counting cases."""

    __tablename__ = "case_name_counts"
    key: Mapped[bytes] = mapped_column(LargeBinary, primary_key=True)
    status: Mapped[str] = mapped_column(String(24), primary_key=True)
    site_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    department_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    withdrawal_requested: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    n: Mapped[int] = mapped_column(Integer)
    __table_args__ = {"sqlite_with_rowid": False}


class FigureAct(Base):
    """An act 统计 counts (an intake act, a first hand-over, a decision, a 出件) with what the figures read of
    it and its case. Written only by the triggers of store/figure_counts.py (migration 0011_figure_counts)."""

    __tablename__ = "figure_acts"
    event_uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    day: Mapped[str] = mapped_column(String(10))
    site_code: Mapped[str] = mapped_column(String(16))
    window_id: Mapped[str] = mapped_column(String(36))
    clerk: Mapped[str] = mapped_column(String(64))
    department_code: Mapped[str] = mapped_column(String(32))
    item_code: Mapped[str] = mapped_column(String(64))
    item_name: Mapped[str] = mapped_column(String(256))
    channel: Mapped[str] = mapped_column(String(24))
    took_us: Mapped[int | None] = mapped_column(Integer)  # microseconds since acceptance (timed kinds)
    on_time: Mapped[int] = mapped_column(Integer)
    __table_args__ = (
        Index("ix_figure_acts_kind_day", "kind", "day", "site_code", "took_us", "on_time"),
        {"sqlite_with_rowid": False},
    )


class FigureDay(Base):
    """Intake acts per hall day, site, kind, window, clerk, department, item and channel (store/figure_counts.py)."""

    __tablename__ = "figure_days"
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    site_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    window_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    clerk: Mapped[str] = mapped_column(String(64), primary_key=True)
    department_code: Mapped[str] = mapped_column(String(32), primary_key=True)
    item_code: Mapped[str] = mapped_column(String(64), primary_key=True)
    item_name: Mapped[str] = mapped_column(String(256), primary_key=True)
    channel: Mapped[str] = mapped_column(String(24), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)
    __table_args__ = {"sqlite_with_rowid": False}


class CaseEvent(Base):
    """An event of a case or of another stream's record (domain/hall_streams.py); local ones are the one
    outbox (push_state), pulled ones are already stored. ``case_uuid`` is the case's uuid for the ``case``
    stream and the record's (hall_records.uuid) for the others, so it has no foreign key."""

    __tablename__ = "case_events"
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    case_uuid: Mapped[str] = mapped_column(String(36), index=True)
    stream: Mapped[str] = mapped_column(String(16), default="case", server_default="case")
    case_version: Mapped[int] = mapped_column(Integer)  # version the event was made against
    type: Mapped[str] = mapped_column(String(32))
    side: Mapped[str] = mapped_column(String(16))
    # ``persons`` (pulled events carry the people they name) and ``delivery`` are sealed.
    payload: Mapped[dict[str, Any]] = mapped_column(
        PartlySealedJSON("case_events.payload", ("persons", "delivery")), default=dict
    )
    actor: Mapped[str] = mapped_column(String(64))
    device_code: Mapped[str] = mapped_column(String(8))
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    device_seq: Mapped[int | None] = mapped_column(Integer)
    origin: Mapped[str] = mapped_column(String(8), default="local")  # local | hub
    # pending | in_flight | stored | duplicate | rejected | held
    push_state: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    hub_seq: Mapped[int | None] = mapped_column(Integer)
    acked_at: Mapped[datetime | None]
    __table_args__ = (
        UniqueConstraint("device_code", "device_seq", name="uq_case_events_device_seq"),
        Index("ix_case_events_push_state", "push_state", "device_seq"),
        # 督办单, violations and the figures read events of a kind over a period (docs/supervision.md)
        Index("ix_case_events_type_at", "type", "occurred_at"),
        # Partial: the 好差评 lists read only the few rating events (services/evaluation.py).
        Index("ix_case_events_ratings", "type", "occurred_at",
              sqlite_where=text("type IN ('rated', 'rating_followed_up')")),
    )


class HallRecord(Base):
    """A record of the site that is not a case: a consultation, a 帮办代办, a clerk's stint on a window
    (domain/hall_streams.py). Changed only by its events (``case_events`` rows of its stream, same
    transaction); ``data`` is the record as its last event left it, the personal part (``person``: the
    name, phone or ID number given) sealed."""

    __tablename__ = "hall_records"
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    stream: Mapped[str] = mapped_column(String(16))
    site_code: Mapped[str] = mapped_column(String(16))
    window_id: Mapped[str | None] = mapped_column(String(36))
    window_name: Mapped[str | None] = mapped_column(String(64))
    username: Mapped[str] = mapped_column(String(64))  # the clerk on the window, the staff member who helped
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer, default=0)
    data: Mapped[dict[str, Any]] = mapped_column(PartlySealedJSON("hall_records.data", ("person",)), default=dict)
    device_code: Mapped[str] = mapped_column(String(8))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (Index("ix_hall_records_stream_started", "stream", "site_code", "started_at"),)


class AuditEntry(Base):
    """Who did what outside the case lifecycle: logins, lockouts, settings, backups, user changes.
    Append-only and hash-chained (store/audit_chain.py): id, prev_hash and hash are set on flush."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(48))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


listen_audit(AuditEntry)
