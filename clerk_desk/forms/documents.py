"""The hall's printed documents as plain, frozen data (docs/architecture.md §7).

Services build these from a case; :mod:`clerk_desk.forms.render` turns them into paper or PDF. Nothing
here knows about Qt or the database. What is printed is decided here, once:

* the resident ID is masked to the first 6 and last 4 characters; an organisation's unified social
  credit code is printed whole (it is public), with the legal representative;
* the phone number is masked in the middle (``138****5678``);
* the case number is printed compact and grouped for reading aloud;
* times are shown in Asia/Shanghai; the transfer deadline is internal and is not a field at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum

from clerk_desk.domain.case_numbers import group_for_reading
from clerk_desk.domain.identifiers import mask_resident_id
from clerk_desk.domain.workdays import SHANGHAI

DEFAULT_PLEDGE_TEXT = (
    "本人（单位）自愿申请容缺受理，承诺所提交的申请材料真实、合法、有效，"
    "并于上述期限内补齐容缺材料。逾期未补齐或补交材料不符合要求的，"
    "本人（单位）自愿承担由此产生的不予办理等相应后果。"
)
DEFAULT_REMEDY_TEXT = (
    "申请人如对本决定不服，可以自收到本告知书之日起六十日内依法申请行政复议，"
    "或者自收到本告知书之日起六个月内依法向人民法院提起行政诉讼。"
)


def mask_phone(raw: str) -> str:
    """``13812345678`` -> ``138****5678``; other lengths keep the first 3 and last 4 when longer than 7."""
    digits = "".join(c for c in raw if not c.isspace() and c not in "-()（）")
    if digits.startswith("+86") and len(digits) == 14:
        digits = digits[3:]
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def shanghai_time(moment: datetime) -> datetime:
    """An aware moment in Asia/Shanghai; a naive one is taken to be UTC (how the store keeps times)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(SHANGHAI)


class MaterialForm(StrEnum):
    ORIGINAL = "原件"
    COPY = "复印件"
    ORIGINAL_AND_COPY = "原件及复印件"
    ELECTRONIC = "电子"


class Delivery(StrEnum):
    WINDOW = "窗口领取"
    POST = "邮寄"
    ELECTRONIC = "电子送达"


@dataclass(frozen=True)
class Applicant:
    """A person (resident ID) or an organisation (unified social credit code + legal representative)."""

    name: str
    id_number: str
    is_organisation: bool = False
    legal_representative: str = ""
    phone: str = ""
    address: str = ""

    @property
    def id_label(self) -> str:
        return "统一社会信用代码" if self.is_organisation else "身份证号码"

    @property
    def you(self) -> str:
        """How the paper addresses the applicant: 您 to a person, 贵单位 to an organisation (never 您（单位）)."""
        return "贵单位" if self.is_organisation else "您"

    @property
    def printed_id(self) -> str:
        return self.id_number.strip().upper() if self.is_organisation else mask_resident_id(self.id_number)

    @property
    def printed_phone(self) -> str:
        return mask_phone(self.phone) if self.phone else ""


@dataclass(frozen=True)
class Agent:
    """代办人 (帮办代办): acts for the applicant."""

    name: str
    id_number: str
    relation: str = ""
    phone: str = ""

    @property
    def printed_id(self) -> str:
        return mask_resident_id(self.id_number)

    @property
    def printed_phone(self) -> str:
        return mask_phone(self.phone) if self.phone else ""


@dataclass(frozen=True)
class Header:
    """What every document carries. ``case_number`` is empty when nothing was accepted (a notice)."""

    site_name: str
    window_name: str
    clerk_name: str
    items: tuple[str, ...]
    department: str
    applicant: Applicant
    accepted_at: datetime
    case_number: str = ""
    agent: Agent | None = None
    reprint_count: int = 0  # 0: the original; n: the n-th reprint (补打)
    situations: tuple[tuple[str, str], ...] = ()  # (question, answer): the 情形 the materials were asked for
    demo: bool = False  # printed at a demo site: every paper says 演示 (docs/hall-operations.md, "Demo")

    def __post_init__(self) -> None:
        if not self.items:
            raise ValueError("a document names at least one item")
        if self.reprint_count < 0:
            raise ValueError("reprint_count cannot be negative")
        if self.case_number:
            group_for_reading(self.case_number)  # raises InvalidCaseNumber for a bad number

    @property
    def is_reprint(self) -> bool:
        return self.reprint_count > 0

    @property
    def case_number_grouped(self) -> str:
        return group_for_reading(self.case_number) if self.case_number else ""

    @property
    def accepted_local(self) -> datetime:
        return shanghai_time(self.accepted_at)


@dataclass(frozen=True)
class MaterialLine:
    name: str
    form: MaterialForm = MaterialForm.ORIGINAL
    copies: int = 1
    each: bool = False  # copies of the original and of the photocopy each (原件和复印件各N份)

    @property
    def copies_text(self) -> str:
        """各1 (one original and one photocopy), 共2 (two in all), or the number."""
        if self.each:
            return f"各{self.copies}"
        if self.form is MaterialForm.ORIGINAL_AND_COPY:
            return f"共{self.copies}"
        return str(self.copies)


@dataclass(frozen=True)
class PromisedCompletion:
    """承诺办结时限. ``provisional``: counted on a weekends-only calendar, so the date is 预计."""

    working_days: int
    due_date: date
    confirmed_by_department: bool = False
    provisional: bool = False


@dataclass(frozen=True)
class AcceptanceReceipt:
    """受理回执."""

    header: Header
    materials: tuple[MaterialLine, ...]
    promise: PromisedCompletion
    delivery: Delivery = Delivery.WINDOW
    delivery_address: str = ""
    consultation_phone: str = ""  # empty: a blank line to fill in by hand
    urgent: bool = False  # hand-over to the back office within 5 minutes (plan 四(二)), else 15
    urgent_reason: str = ""  # the clerk's reason when the urgency is not the catalog's
    title: str = field(default="受理回执", init=False)

    def __post_init__(self) -> None:
        if not self.header.case_number:
            raise ValueError("a receipt needs the case number")
        if self.delivery is Delivery.POST and not self.delivery_address.strip():
            raise ValueError("delivery by post needs the address")


@dataclass(frozen=True)
class PledgeLetter:
    """容缺受理承诺书: the waived materials and the date they are owed."""

    header: Header
    waived: tuple[MaterialLine, ...]
    owed_by: date
    pledge_text: str = DEFAULT_PLEDGE_TEXT
    title: str = field(default="容缺受理承诺书", init=False)

    def __post_init__(self) -> None:
        if not self.waived:
            raise ValueError("a pledge names at least one waived material")


@dataclass(frozen=True)
class MaterialProblem:
    """One line of the 一次性告知: a missing or defective material, why, and what to bring."""

    name: str
    reason: str
    bring: str = ""
    missing: bool = True  # False: provided but defective


@dataclass(frozen=True)
class SupplementNotice:
    """一次性告知书: every problem at once, what to bring and where to return."""

    header: Header
    notice_number: str
    problems: tuple[MaterialProblem, ...]
    return_to: str = ""  # empty: the site and window in the header
    title: str = field(default="一次性告知书", init=False)

    def __post_init__(self) -> None:
        if not self.problems:
            raise ValueError("a supplement notice lists at least one material")
        if not self.notice_number and not self.header.case_number:
            raise ValueError("a supplement notice needs a notice number or a case number")


@dataclass(frozen=True)
class RefusalNotice:
    """不予受理告知书."""

    header: Header
    notice_number: str
    reason: str
    legal_basis: str = ""
    remedy_text: str = DEFAULT_REMEDY_TEXT
    title: str = field(default="不予受理告知书", init=False)

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise ValueError("a refusal states its reason")
        if not self.notice_number and not self.header.case_number:
            raise ValueError("a refusal notice needs a notice number or a case number")


@dataclass(frozen=True)
class OnTheSpotResult:
    """即办件 result slip: finished at the window."""

    header: Header
    result_summary: str
    completed_at: datetime
    title: str = field(default="即办件办结单", init=False)

    @property
    def completed_local(self) -> datetime:
        return shanghai_time(self.completed_at)


@dataclass(frozen=True)
class DecisionLetter:
    """审批决定书 (准予) or 不予许可决定书 (不予), issued by the deciding department after 审批决定.

    ``document_number`` is the department's 文号 (may be empty: the case number identifies it).
    """

    header: Header
    approved: bool
    decided_at: datetime
    issuer: str  # the deciding department
    document_number: str = ""
    result_text: str = ""  # 准予: what is granted (the licence, the registration …)
    reason: str = ""  # 不予: why, required
    remedy_text: str = DEFAULT_REMEDY_TEXT
    title: str = field(default="", init=False)

    def __post_init__(self) -> None:
        if not self.header.case_number:
            raise ValueError("a decision letter needs the case number")
        if self.approved and not self.result_text.strip():
            raise ValueError("an approval states what is granted")
        if not self.approved and not self.reason.strip():
            raise ValueError("a denial states its reason")
        object.__setattr__(self, "title", "审批决定书" if self.approved else "不予许可决定书")

    @property
    def decided_local(self) -> datetime:
        return shanghai_time(self.decided_at)


class HandoverMethod(StrEnum):
    WINDOW = "窗口领取"
    POST = "邮寄送达"
    ELECTRONIC = "电子送达"


@dataclass(frozen=True)
class Recipient:
    """Who collected the result at the window: the applicant, the agent, or a person they sent."""

    name: str
    id_number: str
    relation: str = "申请人本人"  # 申请人本人 / 代理人 / 委托他人

    @property
    def printed_id(self) -> str:
        return mask_resident_id(self.id_number) if self.id_number else ""


@dataclass(frozen=True)
class HandoverReceipt:
    """出件回执 (picked up at the window) or 送达回证 (posted, sent electronically): the result reached the
    applicant; the recipient signs it."""

    header: Header
    method: HandoverMethod
    delivered_at: datetime
    result_summary: str  # the decision as the back office recorded it
    document_number: str = ""
    recipient: Recipient | None = None  # window pick-up
    tracking_no: str = ""  # post
    sent_to: str = ""  # electronic
    note: str = ""
    title: str = field(default="", init=False)

    def __post_init__(self) -> None:
        if not self.header.case_number:
            raise ValueError("a hand-over receipt needs the case number")
        if self.method is HandoverMethod.WINDOW and self.recipient is None:
            raise ValueError("a pick-up at the window names the recipient")
        if self.method is HandoverMethod.POST and not self.tracking_no.strip():
            raise ValueError("delivery by post needs the tracking number")
        if self.method is HandoverMethod.ELECTRONIC and not self.sent_to.strip():
            raise ValueError("electronic delivery says where it was sent")
        object.__setattr__(self, "title", "出件回执" if self.method is HandoverMethod.WINDOW else "送达回证")

    @property
    def delivered_local(self) -> datetime:
        return shanghai_time(self.delivered_at)


@dataclass(frozen=True)
class PledgeReminder:
    """容缺材料催补通知: the materials still owed under a pledge, the date they were due, where to bring them
    (docs/hall-operations.md, "容缺 pledges")."""

    header: Header
    owed: tuple[MaterialLine, ...]
    owed_by: date
    reminded_on: date
    title: str = field(default="容缺材料补齐提醒", init=False)

    def __post_init__(self) -> None:
        if not self.owed:
            raise ValueError("a reminder names at least one owed material")

    @property
    def overdue(self) -> bool:
        return self.reminded_on > self.owed_by


Document = (
    AcceptanceReceipt | PledgeLetter | SupplementNotice | RefusalNotice | OnTheSpotResult | DecisionLetter
    | HandoverReceipt | PledgeReminder
)
