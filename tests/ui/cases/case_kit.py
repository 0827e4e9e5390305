"""Helpers for the case list and case page tests: cases made through IntakeService, a clock the tests
move by hand, a runner that delivers answers out of order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from clerk_desk.domain.identifiers import compute_resident_id_check_char
from clerk_desk.services.intake import CaseOutcome, Clerk, IntakeService
from clerk_desk.services.intake_forms import Delivery, IntakeForm, ItemRef, MaterialCheck, Party, Pledge
from clerk_desk.store.database import Database
from clerk_desk.ui.session import DeskSession
from clerk_desk.ui.task_runner import Task

AT = datetime(2026, 9, 29, 2, 30, tzinfo=UTC)  # 10:30 in the hall
PENSION = ItemRef("002014006009", "城乡居民基本养老保险注销登记", "rs", "promise", promised_days=3)
DIBAO = ItemRef("LOCAL-MZ-07b95afa", "农村低保初审及转报", "mz", "promise", urgent=True, promised_days=15)


def resident_id(n: int) -> str:
    first17 = f"42122419{60 + n % 30:02d}0{1 + n % 9}1{n % 10}{n % 1000:03d}"
    return first17 + compute_resident_id_check_char(first17)


def checklist(*, owed: bool = False) -> tuple[MaterialCheck, ...]:
    return (
        MaterialCheck("居民身份证", provided=True, form="original", copies=1),
        MaterialCheck("户口簿", provided=True, form="copy", copies=1),
        MaterialCheck("死亡证明", waivable=True, provided=not owed, form=None if owed else "copy",
                      copies=0 if owed else 1),
    )


@dataclass
class Clock:
    now: datetime = AT

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Desk:
    db: Database
    svc: IntakeService
    clerk: Clerk
    session: DeskSession
    clock: Clock
    made: list[CaseOutcome] = field(default_factory=list)

    def accept(
        self, name: str = "张三", id_number: str | None = None, item: ItemRef = PENSION, *,
        at: datetime | None = None, owed: bool = False, agent: Party | None = None,
    ) -> CaseOutcome:
        form = IntakeForm((item,), Party("person", name, id_number or resident_id(len(self.made)),
                                         phone="13812345678", address="通山县通羊镇"),
                          checklist(owed=owed), agent=agent)
        when = at or self.clock.now
        pledge = Pledge(("死亡证明",), date(2026, 10, 20), "十日内补齐") if owed else None
        res = self.svc.accept(form, self.clerk, delivery=Delivery("window"), pledge=pledge, now=when)
        self.made.append(res.cases[0])
        return res.cases[0]

    def refuse(self, name: str = "李四", *, at: datetime | None = None) -> CaseOutcome:
        form = IntakeForm((PENSION,), Party("person", name, resident_id(900 + len(self.made))), checklist())
        res = self.svc.refuse(form, self.clerk, reason="不属于本中心受理范围", now=at or self.clock.now)
        self.made.append(res.cases[0])
        return res.cases[0]


class DeferredRunner:
    """Holds each call until the test delivers it, to play answers back out of order."""

    def __init__(self) -> None:
        self.queue: list[tuple[Task, Callable[..., Any], tuple[Any, ...]]] = []

    def submit(self, fn: Callable[..., Any], *args: Any, on_done: Any = None, on_error: Any = None) -> Task:
        task = Task(on_done, on_error)
        self.queue.append((task, fn, args))
        return task

    def deliver(self, i: int) -> None:
        task, fn, args = self.queue.pop(i)
        task.deliver(True, fn(*args))


def paused_in_the_back_office(desk: Desk, case_uuid: str) -> None:
    """The case handed over, signed for and put into 特别程序 by the demo site's approver1 (人社) on 30 Sep."""
    from clerk_desk.services import accounts
    from clerk_desk.services.approvals import ApprovalService, Approver

    desk.svc.transfer(case_uuid, desk.clerk, now=datetime(2026, 9, 29, 2, 40, tzinfo=UTC))
    u = next(u for u in accounts.list_users(desk.db) if u.username == "approver1")
    approver, approvals = Approver(u.id, u.username, u.display_name), ApprovalService(desk.db)
    approvals.receive(case_uuid, approver, paper_received=True, now=datetime(2026, 9, 29, 3, 0, tzinfo=UTC))
    approvals.pause(case_uuid, approver, procedure="site_check", reason="现场核查",
                    now=datetime(2026, 9, 30, 2, 0, tzinfo=UTC))
