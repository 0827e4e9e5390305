"""Whether the hub takes a pushed event from this device at all, before the lifecycle rules: who acted, when,
and under which device counter. Pure (no database): the push reads the actors' role grants once and asks
:meth:`Gate.refuse` for each new event of the batch (county_hub.push_plan), the same on SQLite and PostgreSQL.

* **Who acted.** The actor must be a user of the hub who held, at the event's ``occurred_at``, a role
  that may act on the event's side for its (site, department): on the window side a clerk, a hall
  supervisor or an administrator of the device's site (the desk lets all three work a window); on the back
  office an approver serving that (site, department). A role that ended later does not matter (offline
  work stays valid); an unknown name, a role of the other side or of another site is refused.
* **When.** ``occurred_at`` is the desk's clock, so it is bounded: not after the hub's clock, and not before
  the device was enrolled, each by more than the clock-skew allowance. Within those bounds a device
  token can still date an event to any moment since its enrolment (docs/hub.md, "What the hub checks").
* **Size.** An event (its fields and payload, as compact JSON with non-ASCII escaped) may not exceed
  ``max_event_bytes``: one token could otherwise store events of nearly a whole request body each, and
  every later pull page of the scope would be built as gigabytes, at the hub and at each desk.
* **Device counter.** ``device_seq`` may not jump more than ``max_seq_jump`` past the highest the hub has
  stored from the device (one push of 2**63-1 once poisoned the device's counter for good).

Each refusal is a per-event rejection with a stable code and a reason in Chinese: the desk's sync panel
shows the reason as the hub gives it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from clerk_desk.domain import routing
from clerk_desk.domain.org import WindowKind
from clerk_desk.domain.routing import WindowRoute
from clerk_desk.domain.workdays import SHANGHAI

ALL = "*"
WINDOW, BACK_OFFICE = "window", "back_office"
# Roles that may emit events of each side. The desk opens the window pages to anyone not in approver
# mode (clerks, supervisors, administrators) and the back-office inbox to approvers of the pairs they serve.
ROLES_FOR_SIDE: Mapping[str, frozenset[str]] = {
    WINDOW: frozenset({"clerk", "supervisor", "admin"}),
    BACK_OFFICE: frozenset({"approver"}),
}
# -- supervision (docs/supervision.md): a 督办单 and an excused violation come from a supervisor (or an
# administrator) holding that role for the case's (site, department), whichever side carries them.
SUPERVISING_ROLES = frozenset({"supervisor", "admin"})
SUPERVISOR_EVENTS = frozenset({"supervision_issued", "violation_excused"})
ROLE_ZH = {"clerk": "窗口人员", "approver": "后台审批", "supervisor": "大厅管理", "admin": "系统管理员"}


@dataclass(frozen=True)
class Grant:
    """One period in which a user held a role for a (site, department); department "*" = every one."""

    role: str
    site_code: str
    department_code: str
    valid_from: datetime | None  # None: since before the hub recorded periods
    valid_to: datetime | None  # None: still held

    def covers(self, site_code: str, department_code: str) -> bool:
        return self.site_code == site_code and self.department_code in (ALL, department_code)

    def held_at(self, moment: datetime, slack: timedelta) -> bool:
        """Held at ``moment``, the period widened by ``slack`` on both ends (the desks' clock skew)."""
        if self.valid_from is not None and moment < self.valid_from - slack:
            return False
        return self.valid_to is None or moment < self.valid_to + slack


class EventFacts(Protocol):
    """What the gate reads of a pushed event (county_hub.schemas.WireEvent has these)."""

    @property
    def actor(self) -> str: ...
    @property
    def site_code(self) -> str: ...
    @property
    def department_code(self) -> str: ...
    @property
    def occurred_at(self) -> str: ...
    @property
    def device_seq(self) -> int: ...
    @property
    def side(self) -> str: ...
    @property
    def type(self) -> str: ...


@dataclass(frozen=True)
class Refusal:
    code: str
    reason: str


@dataclass(frozen=True)
class Limits:
    """How far a desk's clock and counter may stray (county_hub.settings.Settings holds the configured ones)."""

    skew: timedelta = timedelta(minutes=10)
    max_seq_jump: int = 100_000
    max_event_bytes: int = 128 * 1024


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Gate:
    """The facts one push is judged by: the device, the hub's clock, the actors' grants."""

    device_site: str
    enrolled_at: datetime | None
    max_device_seq: int  # stored from this device before the push
    grants: Mapping[str, Sequence[Grant]]  # every actor of the batch the hub knows (maybe with no grant)
    now: datetime
    skew: timedelta
    max_seq_jump: int
    max_event_bytes: int = DEFAULT_LIMITS.max_event_bytes

    def refuse(self, event: EventFacts, seq_base: int, size: int = 0) -> Refusal | None:
        """Why the event is not taken, or None. ``seq_base``: the highest device_seq stored so far,
        this push's stored events included; ``size``: the event's as hashed (county_hub.push_plan.Batch)."""
        if size > self.max_event_bytes:
            return Refusal(
                "event_too_large",
                f"事件内容过大（{size // 1024} KB，县级平台每个事件最多接收 {self.max_event_bytes // 1024} KB），"
                "不予接收：请联系县级信息技术人员",
            )
        if event.device_seq > max(seq_base, self.max_device_seq) + self.max_seq_jump:
            return Refusal(
                "device_seq_jump",
                f"事件序号 {event.device_seq} 比县级平台已收到的本机最大序号 {max(seq_base, self.max_device_seq)} "
                f"大出 {self.max_seq_jump} 以上，不予接收：请联系县级信息技术人员",
            )
        moment = parse_utc(event.occurred_at)
        if moment > self.now + self.skew:
            return Refusal(
                "occurred_in_future",
                f"事件时间 {_local(moment)} 晚于县级平台时间 {_local(self.now)} 超过 {_minutes(self.skew)} 分钟："
                "请校准本机时钟",
            )
        if self.enrolled_at is not None and moment < self.enrolled_at - self.skew:
            return Refusal(
                "occurred_before_enrolment",
                f"事件时间 {_local(moment)} 早于本机注册到县级平台的时间 {_local(self.enrolled_at)}，不予接收",
            )
        return self._actor(event, moment)

    def _actor(self, event: EventFacts, moment: datetime) -> Refusal | None:
        grants = self.grants.get(event.actor)
        if grants is None:
            return Refusal(
                "unknown_actor", f"县级平台没有用户 {event.actor}：只接收县级平台登记的用户办理的事项"
            )
        side = str(event.side)
        roles = ROLES_FOR_SIDE.get(side, frozenset())
        kind = getattr(event, "type", "")  # an enum member from the wire schema, or its value
        supervising = str(getattr(kind, "value", kind)) in SUPERVISOR_EVENTS
        if supervising:
            roles = SUPERVISING_ROLES
        if side == WINDOW and event.site_code != self.device_site:
            return _not_authorized(event, moment)
        for grant in grants:
            if (
                grant.role in roles
                and grant.covers(event.site_code, event.department_code)
                and grant.held_at(moment, self.skew)
            ):
                return None
        if supervising:
            return Refusal(
                "actor_not_authorized",
                f"{event.actor} 在 {_local(moment)} 不是 {event.site_code} "
                f"{event.department_code} 部门的大厅管理人员，不能发出督办单或认定违规免责，不予接收",
            )
        return _not_authorized(event, moment)


def _not_authorized(event: EventFacts, moment: datetime) -> Refusal:
    if str(event.side) == WINDOW:
        what = f"{event.site_code} 的窗口人员（窗口人员、大厅管理或系统管理员）"
    else:
        what = f"{event.site_code} {event.department_code} 部门的后台审批人员"
    return Refusal("actor_not_authorized", f"{event.actor} 在 {_local(moment)} 不是{what}，不予接收")


def parse_utc(text: str) -> datetime:
    """The hub's normalised timestamp (``...Z``, county_hub.schemas.iso_utc) as an aware datetime."""
    return datetime.fromisoformat(text)


def _local(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def _minutes(span: timedelta) -> int:
    return max(1, round(span.total_seconds() / 60))


# --- routing: the window an intake names must be one that takes the item (clerk_desk/domain/routing.py) -------

INTAKE_TYPES = frozenset({"accepted", "completed_on_spot", "supplement_notified", "refused"})


class IntakeEvent(EventFacts, Protocol):
    @property
    def payload(self) -> Mapping[str, object]: ...


@dataclass(frozen=True)
class RegisteredWindow:
    """One window of the directory, as the push judges an event by it."""

    route: WindowRoute
    devices: tuple[str, ...]  # empty: any PC of the site
    ended_at: datetime | None

    def open_at(self, moment: datetime) -> bool:
        return self.ended_at is None or moment < self.ended_at

    def worked_by(self, device_code: str) -> bool:
        return not self.devices or device_code in self.devices


@dataclass(frozen=True)
class RouteFacts:
    """What the hub knows for judging a push's intake events: the pushing PC, its site's windows (empty:
    the site has no directory yet) and the published catalogs' item departments (None: none published)."""

    device_code: str
    windows: Mapping[str, RegisteredWindow]  # by name
    catalog: Mapping[str, frozenset[str]] | None  # item code -> departments it was published under

    def routes_at(self, moment: datetime) -> list[WindowRoute]:
        return [w.route for w in self.windows.values() if w.open_at(moment)]


NO_FACTS = RouteFacts("", {}, None)  # a hub that knows no window and no catalog: the event's facts alone


def refuse_route(event: IntakeEvent, known: RouteFacts = NO_FACTS) -> Refusal | None:
    """An intake outcome for an item its window does not take is refused (docs/hub.md, "Window directory").

    The item's department must be one the hub published the item under (when it published a catalog with
    the item). Once the site has windows in the hub's directory (county_hub.windows), the window is the
    directory's: the one the event names must be registered, open at the event's time and worked by the
    pushing PC, and the site's 部门专窗 of the directory keep their items. Without a directory the window is
    judged by the facts the event carries; an event without them (desks before routing) as from a 综合窗口,
    the kind every window was then. The day is the event's in 通山 time."""
    if str(getattr(event.type, "value", event.type)) not in INTAKE_TYPES:
        return None
    code = str(event.payload.get("item_code") or "")
    item = routing.Item(code, str(event.payload.get("item_name") or code or "该事项"), event.department_code)
    published = known.catalog.get(code) if known.catalog is not None else None
    if published is not None and event.department_code not in published:
        return Refusal(
            "item_department",
            f"县级平台发布的事项目录中，“{item.name}”（{code}）属于"
            f"{'、'.join(sorted(published))} 部门，不属于 {event.department_code}，不予接收",
        )
    facts = event.payload.get("window")
    if facts is not None and not isinstance(facts, Mapping):
        return Refusal("bad_window_facts", "受理事件所附的窗口信息无法识别，不予接收")
    moment = parse_utc(event.occurred_at)
    day = moment.astimezone(SHANGHAI).date()
    if known.windows:
        return _by_directory(event, item, facts, moment, known)
    try:
        if facts is not None:
            window, kept = routing.from_facts(facts)
        else:
            window, kept = routing.WindowRoute("窗口", WindowKind.COMPREHENSIVE), ()
    except routing.BadFacts:
        return Refusal("bad_window_facts", "受理事件所附的窗口信息无法识别，不予接收")
    why = routing.why_not(window, item, day, kept)
    if why is None:
        return None
    return Refusal("window_cannot_take", f"“{item.name}”不能在{window.name}受理：{why}，不予接收")


def _by_directory(event: IntakeEvent, item: routing.Item, facts: Mapping[str, object] | None, moment: datetime,
                  known: RouteFacts) -> Refusal | None:  # fmt: skip
    name = str(facts.get("name") or "") if facts is not None else ""
    found = known.windows.get(name)
    if found is None:
        shown = f"“{name}”" if name else "（未注明窗口）"
        return Refusal(
            "unknown_window",
            f"县级平台的窗口目录中，{event.site_code} 没有窗口{shown}：请在本机"
            "重新选择窗口后再办理，或请县级信息技术人员登记该窗口（county-hub window add），不予接收",
        )
    if not found.open_at(moment):
        assert found.ended_at is not None
        return Refusal("window_ended", f"“{name}”已于 {_local(found.ended_at)} 停用，之后办理的事项不予接收")
    if not found.worked_by(known.device_code):
        return Refusal(
            "window_not_this_device",
            f"县级平台登记“{name}”在电脑 {'、'.join(found.devices)} 上办理，"
            f"本机（{known.device_code}）不是该窗口的电脑，不予接收",
        )
    text = routing.refusal(found.route, item, moment.astimezone(SHANGHAI).date(), known.routes_at(moment))
    if text is None:
        return None
    return Refusal("window_cannot_take", f"{text}（据县级平台窗口目录），不予接收")
