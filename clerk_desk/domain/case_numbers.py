"""Human case numbers (办件编号), unique across offline PCs without asking anyone (docs/architecture.md §3).

Compact form: ``SITE-DEVICE-YYYYMMDD-SEQUENCE``, e.g. ``421224-03-20261126-000123``.

* SITE: the 6-digit administrative division code, or any [A-Z0-9]{3,12} site code.
* DEVICE: 2-4 characters [A-Z0-9], unique within the site.
* YYYYMMDD: the local (Asia/Shanghai) date of allocation; for people, not for uniqueness.
* SEQUENCE: the device-wide counter, zero-padded to 6 digits and widened beyond 999999. It is never
  reset (not daily, not when the clock steps back), so (site, device, sequence) alone is unique and
  the date cannot make two numbers collide.

Reading-aloud form (:func:`group_for_reading`): ``421224 03 2026 1126 000 123``. Rule: the site and
device codes stay whole (clerks know them as names), the date splits into year and month-day, the
sequence splits into groups of three from the right (``1 234 567``), like a written amount.
:func:`parse_case_number` accepts either form, any mix of spaces and dashes, full-width characters
and lower case.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from clerk_desk.domain.errors import InputError

_SITE = re.compile(r"[A-Z0-9]{3,12}")
_DEVICE = re.compile(r"[A-Z0-9]{2,4}")
_SEPARATORS = re.compile(r"[\s\-_–—]+")
SEQ_WIDTH = 6


class InvalidCaseNumber(InputError, ValueError):
    """A case number that cannot be read; ``code`` is stable, ``message_zh`` is for the clerk."""

    def __init__(self, code: str, message_zh: str) -> None:
        super().__init__(message_zh, code=code)


@dataclass(frozen=True)
class CaseNumber:
    """A case number's parts: site, device, the hall's date and the day's sequence."""

    site_code: str
    device_code: str
    local_date: date
    seq: int

    @property
    def compact(self) -> str:
        return format_case_number(self.site_code, self.device_code, self.local_date, self.seq)

    @property
    def grouped(self) -> str:
        return group_for_reading(self.compact)

    def __str__(self) -> str:
        return self.compact


def _check_parts(site_code: str, device_code: str, seq: int) -> None:
    if not _SITE.fullmatch(site_code):
        raise InvalidCaseNumber("site_code", f"站点代码“{site_code}”不正确，应为3至12位大写字母或数字")
    if not _DEVICE.fullmatch(device_code):
        raise InvalidCaseNumber("device_code", f"设备代码“{device_code}”不正确，应为2至4位大写字母或数字")
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
        raise InvalidCaseNumber("sequence", "办件流水号必须是正整数")


def _seq_text(seq: int) -> str:
    return str(seq).zfill(SEQ_WIDTH)


def format_case_number(site_code: str, device_code: str, local_date: date, seq: int) -> str:
    """The canonical compact form; raises InvalidCaseNumber for a bad site, device or sequence."""
    _check_parts(site_code, device_code, seq)
    return f"{site_code}-{device_code}-{local_date:%Y%m%d}-{_seq_text(seq)}"


def _group3_from_right(digits: str) -> str:
    head = len(digits) % 3
    groups = ([digits[:head]] if head else []) + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return " ".join(groups)


def group_for_reading(number: str) -> str:
    """The reading-aloud form of any accepted case number (see the module docstring for the rule)."""
    cn = parse_case_number(number)
    d = f"{cn.local_date:%Y%m%d}"
    return f"{cn.site_code} {cn.device_code} {d[:4]} {d[4:]} {_group3_from_right(_seq_text(cn.seq))}"


def parse_case_number(text: str) -> CaseNumber:
    """Parse the compact or grouped form. Tokens: SITE DEVICE (YYYYMMDD | YYYY MMDD) SEQ-GROUPS..."""
    s = unicodedata.normalize("NFKC", text).strip().upper()
    tokens = [t for t in _SEPARATORS.split(s) if t]
    if not tokens:
        raise InvalidCaseNumber("empty", "请输入办件编号")
    if len(tokens) < 4:
        raise InvalidCaseNumber(
            "format",
            "办件编号格式不正确，应为“站点代码-设备代码-日期-流水号”，例如 421224-03-20261126-000123",
        )
    site, device, rest = tokens[0], tokens[1], tokens[2:]
    if len(rest[0]) == 8:
        date_text, seq_tokens = rest[0], rest[1:]
    elif len(rest[0]) == 4 and len(rest) > 1 and len(rest[1]) == 4:
        date_text, seq_tokens = rest[0] + rest[1], rest[2:]
    else:
        raise InvalidCaseNumber("date", "办件编号中的日期应为8位数字（年月日），请核对")
    try:
        if not date_text.isdigit():
            raise ValueError
        local_date = date(int(date_text[:4]), int(date_text[4:6]), int(date_text[6:]))
    except ValueError:
        raise InvalidCaseNumber("date", f"办件编号中的日期 {date_text} 不是有效日期，请核对") from None
    seq_text = "".join(seq_tokens)
    if not seq_text or not (seq_text.isascii() and seq_text.isdigit()):
        raise InvalidCaseNumber("sequence", "办件编号最后的流水号只能是数字，请核对")
    seq = int(seq_text)
    # Only the canonical width is accepted: a missing or extra digit is a typo, not another number.
    if seq < 1 or _seq_text(seq) != seq_text:
        raise InvalidCaseNumber("sequence", "办件编号的流水号位数不正确，请核对")
    _check_parts(site, device, seq)
    return CaseNumber(site, device, local_date, seq)
