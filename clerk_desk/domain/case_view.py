"""What a case is now, as one frozen value: :class:`CaseView`, built by the fold (domain/case_fold.py)
from the case's events, the same on every desk and on the county hub.

Every part is a frozen dataclass with slots, so a view can be handed from a worker thread to the GUI
thread, compared (the desk's view of a case equals the hub's view of the same events) and never
changed by whoever reads it. Texts a clerk reads (status names, push states) are not here: the
services and the ui say them in Chinese; this module holds the facts.

Personal data (names, ID numbers, phones, addresses) is sealed at rest (docs/personal-data.md): the
view carries what the reading service opened, and 已清除 for a person purged after the retention
period (``Party.purged``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from clerk_desk.domain.event_record import EventRecord, Origin, PushState  # noqa: F401 (the fold's input, here too)
from clerk_desk.domain.lifecycle import OWNER, CaseState, Side, Status
from clerk_desk.domain.transfers import Transfer


@dataclass(frozen=True, slots=True)
class Party:
    """An applicant, an agent or the person who collected a result, as the service opened them."""

    kind: str  # person | organisation
    name: str
    id_number: str = ""
    phone: str = ""
    address: str = ""
    legal_representative: str = ""
    purged: bool = False  # emptied after the retention period: the name reads 已清除

    @property
    def is_organisation(self) -> bool:
        return self.kind == "organisation"


@dataclass(frozen=True, slots=True)
class Parties:
    applicant: Party | None = None
    agent: Party | None = None
    agent_relation: str = ""  # 儿子, 单位经办人 …


@dataclass(frozen=True, slots=True)
class Item:
    code: str
    name: str
    department_code: str
    department_name: str
    catalog_version: str | None = None  # the catalog the window accepted under (None: not recorded)
    handling_kind: str | None = None  # immediate | promise | None (待确认)
    urgent: bool = False
    legal_days: int | None = None
    promised_days: int | None = None
    urgent_reason: str | None = None  # the clerk's reason when not the catalog's urgency (None: the catalog's)


@dataclass(frozen=True, slots=True)
class Material:
    """One line of the checklist as the window reviewed it."""

    name: str
    required: bool = True
    waivable: bool = False
    provided: bool = False
    form: str | None = None  # original | copy | original_and_copy | electronic
    copies: int = 0
    ok: bool = True
    problem: str | None = None
    each: bool = False  # copies counts the originals and the photocopies each


@dataclass(frozen=True, slots=True)
class SituationAnswer:
    """The applicant's answer to one of the catalog's situation questions (情形)."""

    code: str
    question: str
    answer: str
    label: str


@dataclass(frozen=True, slots=True)
class Act:
    """Who did something to the case, when, from which side."""

    at: datetime
    actor: str
    actor_name: str  # the display name ("" when neither the event nor this desk knows it)
    side: str


@dataclass(frozen=True, slots=True)
class DeliveryChoice:
    """How the applicant asked, at intake, to receive the result."""

    method: str  # window | post | electronic
    address: str = ""
    contact: str = ""


@dataclass(frozen=True, slots=True)
class NoticeLine:
    """A material the 一次性告知 names: missing, or provided with a problem."""

    name: str
    reason: str
    required: bool = True


@dataclass(frozen=True, slots=True)
class Intake:
    """What the window recorded when the applicant came."""

    outcome: str  # accepted | completed | notified | refused | draft | "" (nothing yet)
    act: Act | None = None
    channel: str | None = None  # on_site | hubei_portal | ehb
    online_application_no: str | None = None
    theme_code: str | None = None  # 一件事 bundle
    bundle_id: str | None = None
    previous_notice: str | None = None
    notes: str | None = None
    window_id: str | None = None
    window_name: str = ""
    delivery: DeliveryChoice | None = None
    result: str = ""  # 即办件: the result given on the spot
    notice: tuple[NoticeLine, ...] = ()  # 一次性告知
    refusal_reason: str = ""  # 不予受理


@dataclass(frozen=True, slots=True)
class Verified:
    """当面核实 of one material at 签收: 已核实, or 有问题 with the note (docs/hall-operations.md)."""

    name: str
    verified: bool
    note: str = ""


@dataclass(frozen=True, slots=True)
class Receipt:
    """签收 in the back office."""

    act: Act
    paper_received: bool
    note: str = ""
    summary: str = ""
    retransfer: bool = False
    verified: tuple[Verified, ...] = ()  # materials_verified after this 签收, material by material


class PauseKind(StrEnum):
    SPECIAL_PROCEDURE = "special_procedure"  # 特别程序 (clock_paused .. clock_resumed)
    SUPPLEMENT = "supplement"  # 补正 (supplement_requested .. retransferred)


@dataclass(frozen=True, slots=True)
class Pause:
    """A span the case's clock stood still; ``ended_at`` None while it lasts."""

    kind: PauseKind
    started: Act
    ended_at: datetime | None = None
    procedure: str = ""  # 特别程序: key of services.approvals.PROCEDURES
    reason: str = ""
    missing: tuple[str, ...] = ()  # 补正: the materials asked for
    note: str = ""
    summary: str = ""


@dataclass(frozen=True, slots=True)
class Due:
    """The decision's due date (办结时限): set at acceptance, moved by pauses (the latest event that
    carries one wins, as on every desk)."""

    due_at: datetime
    calendar_version: str | None = None
    provisional: bool = False  # next year's holidays were not known when it was counted
    days: int | None = None  # the working days promised
    confirmed_by_department: bool = False
    # The weekends-only date this desk counted again when that year's calendar arrived (services/due_dates.py:
    # no event says it, every desk reaches the same date from the events and the county's calendar).
    recounted_from: datetime | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    act: Act
    decision: str  # approved | denied
    result_text: str = ""
    document_number: str = ""
    denial_reason: str = ""
    note: str = ""
    summary: str = ""
    returned: Act | None = None  # result_returned: the result went to the window

    @property
    def approved(self) -> bool:
        return self.decision == "approved"


@dataclass(frozen=True, slots=True)
class HandOver:
    """出件: how the result reached the applicant."""

    act: Act
    method: str  # window | post | electronic
    recipient: str = ""  # applicant | agent | other (window pick-up)
    recipient_party: Party | None = None
    id_checked: bool = False
    tracking_no: str = ""
    sent_to: str = ""
    note: str = ""
    summary: str = ""
    window_id: str | None = None


@dataclass(frozen=True, slots=True)
class Withdrawal:
    """撤回: asked by the window (while the back office holds the case), answered by a ``withdrawn``."""

    requested: Act | None = None
    requested_by: str = ""  # applicant | agent
    reason: str = ""
    summary: str = ""
    pending: bool = False  # asked and not answered (the lifecycle's flag)
    answered: Act | None = None  # the withdrawn event (its side says who withdrew the case)


@dataclass(frozen=True, slots=True)
class Pledge:
    """容缺: materials owed under a pledge, and whether they came."""

    materials: tuple[str, ...]
    due: date | None
    text: str = ""
    open: bool = True
    recorded: Act | None = None
    fulfilled: Act | None = None
    overdue_noted: Act | None = None


@dataclass(frozen=True, slots=True)
class PaperPrints:
    """One kind of paper printed for the case: how often, and the latest print."""

    kind: str  # services.print_log.DOCUMENT_KINDS
    count: int
    last: Act
    last_paper: str = "a4"


@dataclass(frozen=True, slots=True)
class Archived:
    act: Act
    day: str = ""
    materials: int | None = None
    copies: int | None = None
    summary: str = ""


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    """Every event of the case, in order, with where it stands with the hub."""

    uuid: str
    type: str
    act: Act
    push_state: PushState
    origin: Origin
    applied: bool  # False: not part of the case (rejected, held, set aside, or out of order)
    payload: Mapping[str, Any] = field(default_factory=dict)
    hub_seq: int | None = None
    last_error: str | None = None


@dataclass(frozen=True, slots=True)
class CaseView:
    """What a case is now (see the module docstring). Built by :func:`case_fold.fold` only."""

    uuid: str
    case_number: str
    site_code: str
    state: CaseState  # status, version, open pledge, pending withdrawal request: the lifecycle's
    acked_version: int  # the events the hub confirmed (version - acked_version wait here)
    item: Item
    parties: Parties
    intake: Intake
    checklist: tuple[Material, ...] = ()
    situations: tuple[SituationAnswer, ...] = ()
    created_at: datetime | None = None  # the first event
    accepted_at: datetime | None = None
    transfer: Transfer | None = None
    received: Receipt | None = None
    pauses: tuple[Pause, ...] = ()
    supplement: Pause | None = None  # the latest 补正 request
    due: Due | None = None
    decision: Decision | None = None
    handover: HandOver | None = None
    withdrawal: Withdrawal | None = None
    pledge: Pledge | None = None
    closed: Act | None = (
        None  # the act that closed it at the window: on the spot, refused, delivered, withdrawn
    )
    closed_as: str | None = None  # that act's event type
    archived: Archived | None = None
    papers: tuple[PaperPrints, ...] = ()
    events: tuple[TimelineEvent, ...] = ()

    @property
    def status(self) -> Status:
        return self.state.status

    @property
    def version(self) -> int:
        return self.state.version

    @property
    def owner(self) -> Side | None:
        return OWNER[self.state.status]

    @property
    def pending_events(self) -> int:
        """Changes made here the hub has not confirmed yet."""
        return self.state.version - self.acked_version

    @property
    def pledge_open(self) -> bool:
        return self.state.pledge_open

    @property
    def withdrawal_requested(self) -> bool:
        """The window asked for a withdrawal and the back office, holding the case, has not answered."""
        return self.state.withdrawal_requested and self.owner is Side.BACK_OFFICE

    @property
    def due_at(self) -> datetime | None:
        return self.due.due_at if self.due else None

    @property
    def paused_since(self) -> datetime | None:
        """While a 特别程序 stops the clock: since when."""
        if self.state.status is not Status.PAUSED:
            return None
        open_ = [p for p in self.pauses if p.kind is PauseKind.SPECIAL_PROCEDURE and p.ended_at is None]
        return open_[-1].started.at if open_ else None

    @property
    def current_pause(self) -> Pause | None:
        if self.paused_since is None:
            return None
        return next(p for p in reversed(self.pauses) if p.kind is PauseKind.SPECIAL_PROCEDURE)

    def prints_of(self, kind: str) -> int:
        """How many times this paper was printed for the case (the next print carries this number)."""
        return next((p.count for p in self.papers if p.kind == kind), 0)
