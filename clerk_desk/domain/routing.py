"""Which window takes which item (plan 二(三), 三; docs/hall-operations.md, "Routing").

* 综合窗口 takes every department's items except 公安 items and the items a 部门专窗 of the site keeps;
* 公安窗口 takes 公安 items only;
* 部门专窗 takes its department's items; it *keeps* the items named for it (the 综合窗口 no longer takes
  them), or, when none are named, every item of its department;
* 潮汐窗口 takes the items named for it, only inside its dates (it adds capacity, it keeps nothing);
* 咨询服务窗口 takes nothing itself (it helps the applicant and records consultations).

Pure: the desk's intake service asks it with the site's windows; the county hub asks it with the window facts
an intake event carries (:func:`facts_of` / :func:`from_facts`), so both judge by the same rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from clerk_desk.domain.org import WINDOW_KIND_ZH, WindowKind

POLICE_DEPARTMENT = "ga"


@dataclass(frozen=True)
class Keeping:
    """Items a 部门专窗 keeps for itself: ``items`` of ``department`` (empty: all of the department's)."""

    window_name: str
    department_code: str
    items: tuple[str, ...] = ()

    def keeps(self, item_code: str, department_code: str) -> bool:
        if department_code != self.department_code:
            return False
        return not self.items or item_code in self.items


@dataclass(frozen=True)
class WindowRoute:
    """What routing needs of one window."""

    name: str
    kind: WindowKind
    department_code: str | None = None
    items: tuple[str, ...] = ()  # named items: a 潮汐窗口 takes these, a 部门专窗 keeps these
    valid_from: date | None = None
    valid_to: date | None = None
    active: bool = True

    @property
    def kind_zh(self) -> str:
        return WINDOW_KIND_ZH[self.kind]

    def open_on(self, day: date) -> bool:
        if not self.active:
            return False
        return not ((self.valid_from and day < self.valid_from) or (self.valid_to and day > self.valid_to))

    def keeping(self) -> Keeping | None:
        if self.kind is WindowKind.DEPARTMENT and self.active and self.department_code:
            return Keeping(self.name, self.department_code, self.items)
        return None


@dataclass(frozen=True)
class Item:
    """A catalog item as routing sees it: its code, its name and the department that decides it."""

    code: str
    name: str
    department_code: str


def keepings(windows: Iterable[WindowRoute]) -> tuple[Keeping, ...]:
    return tuple(k for w in windows if (k := w.keeping()) is not None)


def why_not(window: WindowRoute, item: Item, day: date, kept: Sequence[Keeping]) -> str | None:
    """Why ``window`` cannot take ``item`` on ``day`` (Chinese, without naming where to go), or None."""
    police = item.department_code == POLICE_DEPARTMENT
    kind = window.kind
    if not window.active:
        return f"{window.name}已停用"
    if kind is WindowKind.CONSULTATION:
        return "咨询服务窗口不直接受理事项（可帮办代办，到受理窗口办理）"
    if kind is WindowKind.POLICE:
        return None if police else "公安窗口只受理公安部门的事项"
    if kind is WindowKind.DEPARTMENT:
        if item.department_code == window.department_code:
            return None
        return f"{window.name}是部门专窗，只受理本部门的事项"
    if kind is WindowKind.TIDAL:
        if item.code not in window.items:
            return f"{window.name}是潮汐窗口，只受理为它指定的事项"
        if not window.open_on(day):
            return f"{window.name}是潮汐窗口，开放日期为 {_span(window)}，今天不在其内"
        return None
    # 综合窗口
    if police:
        return "公安事项由公安窗口受理，综合窗口不能受理"
    keeper = next((k for k in kept if k.keeps(item.code, item.department_code)), None)
    if keeper is not None:
        return f"该事项由部门专窗“{keeper.window_name}”受理"
    return None


def taker(item: Item, day: date, windows: Sequence[WindowRoute]) -> WindowRoute | None:
    """The window of the site that takes ``item`` on ``day``: the 部门专窗 keeping it or the 公安窗口 first,
    then a 综合窗口, then a 部门专窗 that takes without keeping, then a 潮汐窗口."""
    kept = keepings(windows)

    def rank(w: WindowRoute) -> int:
        keeping = w.keeping()
        if w.kind is WindowKind.POLICE or (
            keeping is not None and keeping.keeps(item.code, item.department_code)
        ):
            return 0
        return {WindowKind.COMPREHENSIVE: 1, WindowKind.DEPARTMENT: 2}.get(w.kind, 3)

    able = [
        w
        for w in windows
        if w.kind is not WindowKind.CONSULTATION and w.open_on(day) and why_not(w, item, day, kept) is None
    ]
    return min(able, key=rank) if able else None


def refusal(window: WindowRoute, item: Item, day: date, windows: Sequence[WindowRoute]) -> str | None:
    """The whole refusal a clerk reads: why not here, and the window of the site that takes the item."""
    why = why_not(window, item, day, keepings(windows))
    if why is None:
        return None
    other = taker(item, day, windows)
    where = (
        f"请到“{other.name}”办理" if other is not None else "本中心今天没有可受理该事项的窗口，请联系大厅管理"
    )
    return f"“{item.name}”不能在{window.name}受理：{why}；{where}"


def _span(w: WindowRoute) -> str:
    return f"{w.valid_from.isoformat() if w.valid_from else '…'} 至 {w.valid_to.isoformat() if w.valid_to else '…'}"


# --- the window facts an intake event carries, for the county hub --------------------------------------------


def facts_of(window: WindowRoute, windows: Sequence[WindowRoute]) -> dict[str, Any]:
    """The window as the intake event tells it (plain JSON): its kind, department, named items and dates,
    and, for a 综合窗口, what the site's 部门专窗 keep."""
    facts: dict[str, Any] = {
        "name": window.name,
        "kind": window.kind.value,
        "department_code": window.department_code,
        "items": list(window.items),
        "valid_from": window.valid_from.isoformat() if window.valid_from else None,
        "valid_to": window.valid_to.isoformat() if window.valid_to else None,
    }
    if window.kind is WindowKind.COMPREHENSIVE:
        facts["kept"] = [
            {"window_name": k.window_name, "department_code": k.department_code, "items": list(k.items)}
            for k in keepings(windows)
        ]
    return facts


class BadFacts(ValueError):
    """Window facts that are not what :func:`facts_of` writes."""


def from_facts(facts: Mapping[str, Any]) -> tuple[WindowRoute, tuple[Keeping, ...]]:
    try:
        window = WindowRoute(
            name=str(facts.get("name") or "窗口"),
            kind=WindowKind(facts["kind"]),
            department_code=_text_or_none(facts.get("department_code")),
            items=tuple(str(i) for i in facts.get("items") or ()),
            valid_from=_date_or_none(facts.get("valid_from")),
            valid_to=_date_or_none(facts.get("valid_to")),
        )
        kept = tuple(
            Keeping(
                str(k["window_name"]), str(k["department_code"]), tuple(str(i) for i in k.get("items") or ())
            )
            for k in facts.get("kept") or ()
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BadFacts(str(exc)) from None
    return window, kept


def _text_or_none(v: Any) -> str | None:
    return None if v is None else str(v)


def _date_or_none(v: Any) -> date | None:
    return None if v in (None, "") else date.fromisoformat(str(v))
