"""The county's supervision values as a published file (docs/supervision.md, "County-set values").

The county sets how long the back office may take to sign for (签收) a transferred case and how many days a
result may wait at the window (:class:`clerk_desk.domain.supervision.Rules`). The hub keeps each change as a
publication, like the catalog and the calendar, and every desk follows it; the hub's county 督办 list reads
the same values. Pure: decoded JSON in, values out.

    {"format": "clerk-desk-supervision", "format_version": 1, "version": "3",
     "sign_minutes": 30, "result_days": 5}
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from clerk_desk.domain.supervision import Rules

FORMAT = "clerk-desk-supervision"
FORMAT_VERSION = 1
SIGN_MINUTES = (1, 24 * 60)  # the bounds a value may take (inclusive)
RESULT_DAYS = (1, 365)


class SettingsFormatError(ValueError):
    """The file is unusable; ``problems`` lists every problem, in Chinese."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("督办时限文件有误：" + "；".join(problems))


@dataclass(frozen=True)
class SupervisionSettings:
    version: str  # a whole number as text: the publication that set these values
    rules: Rules


def problems_of(rules: Rules) -> list[str]:
    out = []
    if not SIGN_MINUTES[0] <= rules.sign_minutes <= SIGN_MINUTES[1]:
        out.append(
            f"签收时限应在 {SIGN_MINUTES[0]} 至 {SIGN_MINUTES[1]} 分钟之间（现为 {rules.sign_minutes}）"
        )
    if not RESULT_DAYS[0] <= rules.result_days <= RESULT_DAYS[1]:
        out.append(
            f"结果领取期限应在 {RESULT_DAYS[0]} 至 {RESULT_DAYS[1]} 天之间（现为 {rules.result_days}）"
        )
    return out


def parse_settings(data: Any) -> SupervisionSettings:
    if not isinstance(data, dict):
        raise SettingsFormatError(["文件内容应为 JSON 对象"])
    problems: list[str] = []
    if data.get("format") != FORMAT:
        problems.append(f"format 应为 {FORMAT}")
    if data.get("format_version") != FORMAT_VERSION:
        problems.append(f"format_version 应为 {FORMAT_VERSION}（本程序不认识其他格式）")
    version = data.get("version")
    if not isinstance(version, str) or not version.isdigit():
        problems.append("version 应为由数字组成的文本（发布的序号）")
    values = {}
    for name, label, (low, high), unit in (("sign_minutes", "签收时限", SIGN_MINUTES, "分钟"),
                                          ("result_days", "结果领取期限", RESULT_DAYS, "天")):  # fmt: skip
        value = data.get(name)
        if not isinstance(value, int) or isinstance(value, bool):
            problems.append(f"{name}（{label}，{unit}）应为整数")
        elif not low <= value <= high:
            problems.append(f"{label}应在 {low} 至 {high} {unit}之间（现为 {value}）")
        else:
            values[name] = value
    if not problems:
        return SupervisionSettings(str(version), Rules(values["sign_minutes"], values["result_days"]))
    raise SettingsFormatError(problems)


def settings_bytes(version: int, rules: Rules) -> bytes:
    """The file the hub publishes for ``rules`` as its ``version``-th setting."""
    problems = problems_of(rules)
    if problems:
        raise SettingsFormatError(problems)
    body = {"format": FORMAT, "format_version": FORMAT_VERSION, "version": str(version),
            "sign_minutes": rules.sign_minutes, "result_days": rules.result_days}  # fmt: skip
    return json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8")


def version_key(label: str) -> tuple[int, ...]:
    if not label.isdigit():
        raise ValueError(f"not a supervision settings version: {label!r}")
    return (int(label),)
