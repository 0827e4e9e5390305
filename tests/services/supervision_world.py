"""A hall's fortnight of cases at every stage, made by the desk's own acts on a real SQLite file, around the
National Day holiday of 2026 (1-8 October off, Saturday 10 October a working day): the 督办 list, the
violations and the figures are tested over it."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services.approvals import APPROVED, DENIED
from clerk_desk.services.archive import archive
from clerk_desk.services.department_archive import file_paper
from clerk_desk.services.handover import Handover, deliver
from clerk_desk.services.intake_forms import Delivery, IntakeForm, ItemRef, MaterialCheck, Party, Pledge
from tests.services.test_approvals import AT, ID, PENSION, SITE, World

IMMEDIATE = ItemRef("LOCAL-YB-CB", "城乡居民参保登记(医保)", "yb", "immediate")
RELIEF = ItemRef("000511002000", "临时救助金给付", "mz", "promise", promised_days=5, legal_days=20, urgent=True)
STORIES = ("accepted", "pledge", "transferred", "received", "paused", "resumed", "supplement", "retransferred",
           "decided", "returned", "delivered", "archived", "on_spot", "refused", "notified", "denied")


def _form(item: ItemRef, *, owed: bool = False) -> IntakeForm:
    return IntakeForm(
        items=(item,), applicant=Party("person", "张三", ID),
        checklist=(MaterialCheck("居民身份证", provided=True, form="original", copies=1),
                   MaterialCheck("户口簿", waivable=True, provided=not owed, form=None if owed else "copy",
                                 copies=0 if owed else 1)),
    )  # fmt: skip


def build(w: World, n: int = 64, *, seed: int = 13) -> dict[str, str]:
    """``n`` cases (uuid -> story), accepted over the two working days before the holiday and acted on at
    random moments of the fortnight after."""
    rng = random.Random(seed)
    made: dict[str, str] = {}
    for i in range(n):
        story = STORIES[i % len(STORIES)]
        t = AT + timedelta(minutes=rng.randrange(0, 60 * 30))

        def step(hours: float) -> datetime:
            nonlocal t
            t += timedelta(minutes=rng.randrange(1, max(2, int(hours * 60))))
            return t

        if story in ("on_spot", "refused", "notified"):
            if story == "on_spot":
                out = w.intake.complete_on_spot(_form(IMMEDIATE), w.clerk, result="已参保", now=t)
            elif story == "refused":
                out = w.intake.refuse(_form(PENSION), w.clerk, reason="不属于本机关职权范围", now=t)
            else:
                out = w.intake.notify_supplement(_form(PENSION, owed=True), w.clerk, now=t)
            made[out.cases[0].case_uuid] = story
            if story == "on_spot" and i // len(STORIES) % 2:  # the window files its own paper (no draw: the rest stays)
                archive(w.db, w.clerk, SITE, IMMEDIATE.department_code, [out.cases[0].case_uuid],
                        t.astimezone(SHANGHAI).date(), now=t + timedelta(minutes=30))
            continue
        item = RELIEF if i % 3 == 0 else PENSION
        owed = story == "pledge" or i % 5 == 0
        pledge = Pledge(("户口簿",), (t + timedelta(days=rng.randrange(1, 6))).astimezone(SHANGHAI).date()) if owed else None
        uid = w.intake.accept(_form(item, owed=owed), w.clerk, delivery=Delivery("window"), pledge=pledge,
                              now=t).cases[0].case_uuid  # fmt: skip
        made[uid] = story
        if story in ("accepted", "pledge"):
            continue
        w.intake.transfer(uid, w.clerk, now=step(0.5))
        if story == "transferred":
            continue
        w.svc.receive(uid, w.approver, paper_received=True, now=step(3))
        if story in ("paused", "resumed"):
            w.svc.pause(uid, w.approver, procedure="hearing", reason="听证", now=step(20))
            if story == "resumed":
                w.svc.resume(uid, w.approver, now=step(60))
            continue
        if story in ("supplement", "retransferred"):
            w.svc.request_supplement(uid, w.approver, missing=("户籍证明",), now=step(20))
            if story == "retransferred":
                w.intake.transfer(uid, w.clerk, now=step(30))
            continue
        if story == "received":
            continue
        hours = rng.choice((4, 30, 200, 500))
        if story == "denied":
            w.svc.decide(uid, w.approver, decision=DENIED, reason="不符合条件", now=step(hours))
        else:
            w.svc.decide(uid, w.approver, decision=APPROVED, result_text="准予", now=step(hours))
        if story == "decided":
            continue
        w.svc.return_result(uid, w.approver, now=step(3))
        if story in ("returned", "denied"):
            continue
        deliver(w.db, uid, w.clerk, Handover("window", "applicant", id_checked=True), now=step(100))
        if story == "archived":  # a handed-over case's paper is the department's to file (services/department_archive)
            file_paper(w.db, w.approver, [uid], t.astimezone(SHANGHAI).date(), now=step(20))
    return made


def clock_times() -> list[datetime]:
    """Moments to look at the list: the first morning, during the holiday, on the make-up Saturday, after."""
    local = [datetime(2026, 9, 29, 10, 50), datetime(2026, 9, 30, 16, 0), datetime(2026, 10, 4, 9, 0),
             datetime(2026, 10, 10, 9, 30), datetime(2026, 10, 12, 17, 0), datetime(2026, 10, 20, 8, 0)]
    return [d.replace(tzinfo=SHANGHAI) for d in local]


def day_of(at: datetime) -> date:
    return at.astimezone(SHANGHAI).date()
