"""Identifier checks a window clerk relies on: resident ID (GB 11643), unified social credit code
(GB 32100 with the embedded GB 11714 organisation code) and mainland mobile numbers. The division code
in both (an ID's address code, a credit code's registration-authority division) must name a real
province (GB/T 2260; domain/division_codes.py says why the check stops there).

Every validator returns a small frozen value or raises :class:`InvalidIdentifier`, whose ``code`` is a
stable English key (for logs, tests and the hub) and whose ``message_zh`` is what the clerk reads.
Input is NFKC-normalised first because Chinese input methods often produce full-width digits.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from clerk_desk.domain.division_codes import NATIONAL, PROVINCES
from clerk_desk.domain.errors import InputError


class InvalidIdentifier(InputError, ValueError):
    """An identifier that fails a check. ``kind`` is resident_id / uscc / mobile."""

    def __init__(self, kind: str, code: str, message_zh: str) -> None:
        super().__init__(message_zh, code=code)
        self.kind = kind


def _clean(raw: str) -> str:
    # Full-width digits/letters become ASCII; every kind of space is dropped; x -> X.
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw)).upper()


# --- GB 11643 resident ID -------------------------------------------------------------------------

_RID_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]  # W_i = 2^(18-i) mod 11, i = 1..17
_RID_CHECK = "10X98765432"


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"


@dataclass(frozen=True)
class ResidentId:
    value: str  # normalised: 18 chars, upper-case X
    address_code: str
    birth_date: date
    sequence: str  # 3 digits; odd for men, even for women
    gender: Gender

    @property
    def masked(self) -> str:
        return mask_resident_id(self.value)


def compute_resident_id_check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("need exactly 17 ASCII digits")
    return _RID_CHECK[sum(int(c) * w for c, w in zip(first17, _RID_WEIGHTS, strict=True)) % 11]


def validate_resident_id(raw: str, today: date | None = None) -> ResidentId:
    """Check a resident ID number; ``today`` (default: the current date) bounds the birth date."""
    today = today or date.today()
    s = _clean(raw)

    def bad(code: str, msg: str) -> InvalidIdentifier:
        return InvalidIdentifier("resident_id", code, msg)

    if not s:
        raise bad("empty", "请输入身份证号码")
    if len(s) != 18:
        hint = "（15位旧号码请换用18位号码）" if len(s) == 15 else ""
        raise bad("length", f"身份证号码应为18位，当前为{len(s)}位{hint}")
    if not (s[:17].isascii() and s[:17].isdigit()) or s[17] not in "0123456789X":
        raise bad("charset", "身份证号码前17位只能是数字，最后一位是数字或字母X")
    # A foreign permanent resident's ID (外国人永久居留身份证, 2023) is 9 + the issuing province + nationality.
    province = s[1:3] if s[0] == "9" else s[:2]
    if province not in PROVINCES:
        raise bad("address_code", f"身份证号码前6位地址码 {s[:6]} 不是有效的行政区划代码（没有代码为 {province} 的省份），"
                                  "请核对前6位")
    try:
        born = date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        raise bad("birth_date", f"身份证号码中的出生日期 {s[6:14]} 不是有效日期，请核对第7至14位") from None
    if born > today:
        raise bad("birth_date", "身份证号码中的出生日期晚于今天，请核对第7至14位")
    if compute_resident_id_check_char(s[:17]) != s[17]:
        raise bad("checksum", "身份证号码校验位不正确，请核对最后一位")
    gender = Gender.MALE if int(s[16]) % 2 else Gender.FEMALE
    return ResidentId(s, s[:6], born, s[14:17], gender)


def is_valid_resident_id(raw: str, today: date | None = None) -> bool:
    try:
        validate_resident_id(raw, today)
    except InvalidIdentifier:
        return False
    return True


def mask_resident_id(raw: str) -> str:
    """Hide all but the first 6 and last 4 characters (docs/architecture.md §7).

    Does not validate: stored legacy numbers must still print masked. Anything of 10 characters or
    fewer is masked entirely, since showing 6 + 4 of it would show all of it.
    """
    s = _clean(raw)
    if len(s) <= 10:
        return "*" * len(s)
    return s[:6] + "*" * (len(s) - 10) + s[-4:]


def resident_id_gender(raw: str, today: date | None = None) -> Gender:
    return validate_resident_id(raw, today).gender


def resident_id_birth_date(raw: str, today: date | None = None) -> date:
    return validate_resident_id(raw, today).birth_date


# --- GB 32100 unified social credit code / GB 11714 organisation code -------------------------------

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 symbols: no I, O, S, V, Z
_USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARSET)}
_USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


@dataclass(frozen=True)
class UnifiedSocialCreditCode:
    value: str
    registration_authority: str  # position 1 (登记管理部门码)
    entity_category: str  # position 2 (机构类别码)
    admin_division: str  # positions 3-8 (登记管理机关行政区划码)
    organization_code: str  # positions 9-17 (主体标识码, GB 11714, last char is its own check)


def compute_uscc_check_char(first17: str) -> str:
    if len(first17) != 17 or any(c not in _USCC_VALUE for c in first17):
        raise ValueError("need exactly 17 characters from the GB 32100 charset")
    total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def _org_value(c: str) -> int:
    # GB 11714 values letters A=10 ... Z=35 (its own alphabet, unlike GB 32100's).
    return int(c) if c.isdigit() else ord(c) - ord("A") + 10


def compute_org_code_check_char(first8: str) -> str:
    """The GB 11714 check character for an 8-character organisation code body."""
    if len(first8) != 8 or not first8.isascii() or not first8.isalnum() or first8 != first8.upper():
        raise ValueError("need exactly 8 ASCII digits or upper-case letters")
    c = 11 - sum(_org_value(ch) * w for ch, w in zip(first8, _ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def validate_uscc(raw: str) -> UnifiedSocialCreditCode:
    s = _clean(raw)

    def bad(code: str, msg: str) -> InvalidIdentifier:
        return InvalidIdentifier("uscc", code, msg)

    if not s:
        raise bad("empty", "请输入统一社会信用代码")
    if len(s) != 18:
        raise bad("length", f"统一社会信用代码应为18位，当前为{len(s)}位")
    wrong = sorted({c for c in s if c not in _USCC_VALUE})
    if wrong:
        raise bad(
            "charset", f"统一社会信用代码含有不允许的字符：{'、'.join(wrong)}（不使用字母I、O、S、V、Z）"
        )
    division = s[2:8]
    if division != NATIONAL and (not division.isdigit() or division[:2] not in PROVINCES):
        raise bad("admin_division", f"统一社会信用代码第3至8位（登记管理机关行政区划码）{division} 不是有效的"
                                    "行政区划代码，请逐位核对")
    if compute_uscc_check_char(s[:17]) != s[17]:
        raise bad("checksum", "统一社会信用代码校验位不正确，请核对最后一位")
    if compute_org_code_check_char(s[8:16]) != s[16]:
        raise bad("org_code_checksum", "统一社会信用代码第9至17位（组织机构代码）校验不正确，请逐位核对")
    return UnifiedSocialCreditCode(s, s[0], s[1], s[2:8], s[8:17])


def is_valid_uscc(raw: str) -> bool:
    try:
        validate_uscc(raw)
    except InvalidIdentifier:
        return False
    return True


# --- mainland mobile numbers -----------------------------------------------------------------------


@dataclass(frozen=True)
class MobileNumber:
    value: str  # 11 digits, no prefix

    @property
    def e164(self) -> str:
        return "+86" + self.value

    @property
    def grouped(self) -> str:
        """3-4-4, the way numbers are read aloud in China."""
        return f"{self.value[:3]} {self.value[3:7]} {self.value[7:]}"


def validate_mobile(raw: str) -> MobileNumber:
    """Accept +86 / 86 / 0086 prefixes, spaces, dashes and brackets; return the bare 11 digits."""
    s = re.sub(r"[\s\-()（）]+", "", unicodedata.normalize("NFKC", raw))

    def bad(code: str, msg: str) -> InvalidIdentifier:
        return InvalidIdentifier("mobile", code, msg)

    if not s:
        raise bad("empty", "请输入手机号码")
    for prefix in ("+86", "0086", "86"):
        # Strip only when 11 digits remain; a bare mobile starts with 1, so it is never mistaken.
        if s.startswith(prefix) and len(s) - len(prefix) == 11:
            s = s[len(prefix) :]
            break
    if not (s.isascii() and s.isdigit()):
        raise bad("charset", "手机号码只能包含数字")
    if len(s) != 11:
        raise bad("length", f"手机号码应为11位，当前为{len(s)}位")
    if not re.fullmatch(r"1[3-9]\d{9}", s):
        raise bad("prefix", "手机号码应以13至19开头，请核对")
    return MobileNumber(s)
