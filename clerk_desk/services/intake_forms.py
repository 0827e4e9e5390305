"""What the clerk fills in at the window, as plain data (the UI builds these; services check and store them)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from contextlib import suppress
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from clerk_desk.domain.errors import InputError
from clerk_desk.domain.identifiers import (
    InvalidIdentifier,
    validate_mobile,
    validate_resident_id,
    validate_uscc,
)

CHANNELS = {"on_site": "现场申请", "hubei_portal": "湖北政务服务网", "ehb": "鄂汇办"}
FORMS = {"original": "原件", "copy": "复印件", "original_and_copy": "原件及复印件", "electronic": "电子"}
DELIVERY = {"window": "窗口领取", "post": "邮寄送达", "electronic": "电子送达"}


@dataclass(frozen=True)
class ItemRef:
    """A catalog item as intake saw it; copied into the case so later catalog changes never alter it."""

    code: str
    name: str
    department_code: str
    handling_kind: str | None  # immediate | promise | None (待确认)
    urgent: bool = False
    promised_days: int | None = None  # None: 待确认, the clerk enters what the department confirmed
    legal_days: int | None = None
    retired: bool = False
    catalog_version: str | None = None  # the catalog version the item was taken from (kept with the case)


@dataclass(frozen=True)
class Urgency:
    """The clerk's call on a case's urgency (plan 四(二): urgent cases go to the back office within 5 minutes).
    Without one the catalog's urgency stands; a call that differs from the catalog needs its reason."""

    urgent: bool
    reason: str = ""


URGENT_REASON_MAX = 200
# The longest party texts the papers print in their table cells: a real name, even an organisation's, is far
# shorter; a longer one is a paste gone wrong (docs/intake.md, "Bad input").
PARTY_NAME_MAX = 100
PARTY_ADDRESS_MAX = 200
PARTY_RELATION_MAX = 50
OUTCOME_TEXT_MAX = 500  # a result given on the spot, a refusal's reason: as long as the back office's texts
PROBLEM_MAX = 200  # what is wrong with a material, as long as the back office's 核实说明


@dataclass(frozen=True)
class MaterialCheck:
    name: str
    required: bool = True
    waivable: bool = False  # may be owed under 容缺受理
    provided: bool = False
    form: str | None = None  # original | copy | electronic
    copies: int = 0
    ok: bool = True  # False: provided but defective (problem says why)
    problem: str | None = None
    item_codes: tuple[str, ...] = ()  # which items of a bundle ask for it
    each: bool = False  # copies counts the originals and the photocopies each (原件和复印件各N份)

    @property
    def missing_or_defective(self) -> bool:
        return not self.provided or not self.ok


@dataclass(frozen=True)
class SituationAnswer:
    """The applicant's answer to one of the catalog's situation questions (情形): it decided which
    materials were on the checklist, and the papers print it."""

    code: str
    question: str
    answer: str  # the option's code
    label: str  # the option as the clerk saw it


@dataclass(frozen=True)
class Party:
    """An applicant (person or organisation) or an agent (代办人)."""

    kind: str  # person | organisation
    name: str
    id_number: str = ""
    phone: str = ""
    address: str = ""
    legal_representative: str = ""
    relation: str = ""  # agent only: 与申请人关系


@dataclass(frozen=True)
class IntakeForm:
    items: tuple[ItemRef, ...]
    applicant: Party
    checklist: tuple[MaterialCheck, ...]
    agent: Party | None = None
    channel: str = "on_site"
    online_application_no: str = ""
    theme_code: str | None = None  # 一件事 bundle
    previous_notice: str | None = None  # the 一次性告知 this intake continues from
    notes: str = ""
    situations: tuple[SituationAnswer, ...] = ()  # the answers the checklist was made for

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_json(data: dict[str, Any]) -> IntakeForm:
        return IntakeForm(
            items=tuple(ItemRef(**i) for i in data["items"]),
            applicant=Party(**data["applicant"]),
            checklist=tuple(MaterialCheck(**{**m, "item_codes": tuple(m.get("item_codes", ()))}) for m in data["checklist"]),
            agent=Party(**data["agent"]) if data.get("agent") else None,
            channel=data.get("channel", "on_site"),
            online_application_no=data.get("online_application_no", ""),
            theme_code=data.get("theme_code"),
            previous_notice=data.get("previous_notice"),
            notes=data.get("notes", ""),
            situations=tuple(SituationAnswer(**a) for a in data.get("situations") or ()),
        )


@dataclass(frozen=True)
class Delivery:
    method: str = "window"  # window | post | electronic
    address: str = ""
    contact: str = ""


@dataclass(frozen=True)
class Pledge:
    """容缺受理: the waivable materials owed, by when, and the applicant's pledge."""

    materials: tuple[str, ...]
    due: date
    text: str = "本人承诺在约定期限内补齐所缺材料，逾期未补齐的，愿承担相应后果。"


@dataclass
class Problems:
    """Every problem found in a form at once, so the clerk fixes them in one go."""

    messages: list[str] = field(default_factory=list)

    def add(self, message: str) -> None:
        self.messages.append(message)

    def raise_if_any(self) -> None:
        if self.messages:
            raise InputError("；".join(self.messages))


def _check_identifier(validate: Callable[[str], object], value: str, role: str, problems: Problems) -> None:
    try:
        validate(value)
    except InvalidIdentifier as exc:
        problems.add(f"{role}：{exc.message_zh}")


def check_party(p: Party, role: str, problems: Problems) -> None:
    if p.kind not in ("person", "organisation"):
        problems.add(f"{role}类型无效")
        return
    if not p.name.strip():
        problems.add(f"请填写{role}姓名或名称")
    for text, what, limit in ((p.name, "姓名或名称", PARTY_NAME_MAX), (p.legal_representative, "法定代表人", PARTY_NAME_MAX),
                              (p.address, "地址", PARTY_ADDRESS_MAX), (p.relation, "与申请人的关系", PARTY_RELATION_MAX)):
        if len(text.strip()) > limit:
            problems.add(f"{role}{what}过长（最多 {limit} 字）")
    if p.kind == "person":
        if p.id_number.strip():
            _check_identifier(validate_resident_id, p.id_number, role, problems)
        elif role == "申请人":
            problems.add("请填写申请人身份证号码")
    elif not p.id_number.strip():
        problems.add(f"请填写{role}的统一社会信用代码")
    else:
        _check_identifier(validate_uscc, p.id_number, role, problems)
    if p.phone.strip():
        _check_identifier(validate_mobile, p.phone, role, problems)


def normalised_party(p: Party) -> Party:
    """The party with its ID (or credit code) and mobile number as the checks read them, so the record, the
    hub and every search hold one spelling: an input method's full-width digits (１１０１…), a lower-case x,
    spaces and a +86 prefix are not stored as typed. A value that fails its check is left as typed, for
    :func:`check_party` to name."""
    id_number, phone = p.id_number, p.phone
    check: Callable[[str], Any] = validate_uscc if p.kind == "organisation" else validate_resident_id
    if id_number.strip():
        with suppress(InvalidIdentifier):
            id_number = check(id_number).value
    if phone.strip():
        with suppress(InvalidIdentifier):
            phone = validate_mobile(phone).value
    return replace(p, id_number=id_number, phone=phone)


def normalised_form(form: IntakeForm) -> IntakeForm:
    """The form with its parties' identifiers normalised (:func:`normalised_party`), and the online application
    number in ASCII (the portal's number, typed from the applicant's phone: ＨＢ２０２６… is not its number)."""
    agent = normalised_party(form.agent) if form.agent is not None else None
    app_no = unicodedata.normalize("NFKC", form.online_application_no).strip()
    return replace(form, applicant=normalised_party(form.applicant), agent=agent, online_application_no=app_no)


def check_form(form: IntakeForm) -> Problems:
    """Checks every outcome needs: items present and not retired, parties valid, channel known."""
    problems = Problems()
    if not form.items:
        problems.add("请先选择办理事项")
    for item in form.items:
        if item.retired:
            problems.add(f"事项“{item.name}”已从目录中停用，不能再受理")
    check_party(form.applicant, "申请人", problems)
    if form.agent is not None:
        check_party(form.agent, "代办人", problems)
        if not form.agent.relation.strip():
            problems.add("请填写代办人与申请人的关系")
    if form.channel not in CHANNELS:
        problems.add("申请渠道无效")
    elif form.channel != "on_site" and not form.online_application_no.strip():
        problems.add(f"请填写{CHANNELS[form.channel]}的申报号")
    for m in form.checklist:
        if m.provided and m.form not in FORMS:
            problems.add(f"请选择材料“{m.name}”的形式（原件/复印件/电子）")
        if m.provided and not m.ok and not (m.problem or "").strip():
            problems.add(f"请写明材料“{m.name}”存在的问题")
        if len((m.problem or "").strip()) > PROBLEM_MAX:
            problems.add(f"材料“{m.name}”的问题说明过长（最多 {PROBLEM_MAX} 字）")
    return problems
