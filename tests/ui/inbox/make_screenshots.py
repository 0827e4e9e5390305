"""Screenshots of the back-office inbox for docs/screenshots/ (inbox-list.png, inbox-to-sign.png,
inbox-case.png, inbox-decide.png, handover.png).

    .venv/bin/python tests/ui/inbox/make_screenshots.py [OUT_DIR]

Offscreen, on a temporary demo folder: a morning of cases transferred by the window (one late), some
signed for, one paused, one decided, as approver1 (人社、医保、民政) sees them; then 出件 at the window.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from PySide6.QtWidgets import QApplication  # noqa: E402

from clerk_desk.services.intake_forms import Delivery, IntakeForm, ItemRef, Party  # noqa: E402
from clerk_desk.ui import look  # noqa: E402
from clerk_desk.ui.task_runner import SyncTaskRunner  # noqa: E402
from tests.ui.cases import case_kit as fx  # noqa: E402

NAMES = ["王建国", "李秀英", "张伟", "刘芳", "陈静", "杨磊", "黄丽", "赵强", "吴敏", "周杰", "徐娟", "孙涛"]
ITEMS = [
    fx.PENSION, fx.DIBAO,
    ItemRef("000511002000", "临时生活救助的给付", "mz", "promise", urgent=True, promised_days=1),
    ItemRef("YB-0003", "城乡居民医保参保登记", "yb", "promise", promised_days=5),
]
NOW = datetime(2026, 10, 8, 2, 40, tzinfo=UTC)  # Thu 8 Oct, 10:40 in the hall (first working day after National Day)


def build(folder: Path):  # noqa: ANN201
    from clerk_desk.services import accounts, demo, site_setup
    from clerk_desk.services.approvals import APPROVED, ApprovalService, Approver
    from clerk_desk.services.intake import Clerk, IntakeService
    from clerk_desk.store.database import Database
    from clerk_desk.ui.session import DeskSession

    db = Database(folder)
    demo.ensure_demo_site(db)
    users = {u.username: u for u in accounts.list_users(db)}
    site = site_setup.site_info(db)
    w = site_setup.list_windows(db)[0]
    c, a = users["clerk1"], users["approver1"]
    clerk = Clerk(c.id, c.username, c.display_name, w.id, w.name)
    approver = Approver(a.id, a.username, a.display_name)
    intake, svc = IntakeService(db), ApprovalService(db)
    made = []
    starts = [NOW - timedelta(days=d, hours=h) for d, h in
              ((9, 1), (9, 0), (8, 2), (8, 1), (1, 3), (1, 1), (0, 2), (0, 1.5), (0, 1), (0, 0.5))]
    for i, at in enumerate(starts):
        agent = Party("person", "王小明", fx.resident_id(77), relation="儿子") if i == 8 else None
        form = IntakeForm((ITEMS[i % 4],), Party("person", NAMES[i], fx.resident_id(i), phone="13812345678",
                                                 address="通山县通羊镇"), fx.checklist(owed=False), agent=agent)
        uid = intake.accept(form, clerk, delivery=Delivery("window"), now=at).cases[0].case_uuid
        intake.transfer(uid, clerk, now=at + timedelta(minutes=22 if i == 7 else 3 + i % 5))
        made.append(uid)
    for uid in made[:5]:
        svc.receive(uid, approver, paper_received=True, now=starts[made.index(uid)] + timedelta(hours=1))
    svc.pause(made[1], approver, procedure="appraisal", reason="委托劳动能力鉴定", now=starts[1] + timedelta(hours=2))
    svc.decide(made[2], approver, decision=APPROVED, result_text="准予发放临时救助金 800 元",
               document_number="通民救〔2026〕31号", now=starts[2] + timedelta(hours=3))
    svc.decide(made[4], approver, decision=APPROVED, result_text="准予参保登记", now=NOW - timedelta(hours=1))
    svc.return_result(made[4], approver, note="参保登记表一份", now=NOW - timedelta(minutes=50))
    session = DeskSession(a, site, None, "approver")
    clerk_session = DeskSession(c, site, w, "clerk")
    return db, session, clerk_session, made


def main(out: Path) -> None:
    from clerk_desk.services.inbox import InboxView
    from clerk_desk.ui.cases.cases_page import CasesPage
    from clerk_desk.ui.inbox.inbox_page import InboxPage

    app = QApplication.instance() or QApplication(sys.argv)
    look.setup(app)  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as tmp:
        db, session, clerk_session, made = build(Path(tmp))
        page = InboxPage(db, SyncTaskRunner(), session, now=lambda: NOW)
        page.resize(1360, 760)
        page.show()
        app.processEvents()
        page.list.set_view(InboxView.IN_HAND)
        app.processEvents()
        app.processEvents()
        page.list.table.selectRow(2)
        page.grab().save(str(out / "inbox-list.png"))
        page.list.set_view(InboxView.TO_SIGN)
        app.processEvents()
        page.list.table.selectRow(0)
        page.grab().save(str(out / "inbox-to-sign.png"))
        page.open_case(made[0])
        app.processEvents()
        page.grab().save(str(out / "inbox-case.png"))
        dialog = page.case.start("decide")
        assert dialog is not None
        dialog.result_text.setText("准予注销登记")
        dialog.document_number.setText("通人社〔2026〕12号")
        app.processEvents()
        dialog.grab().save(str(out / "inbox-decide.png"))
        dialog.reject()
        page.close()

        cases = CasesPage(db, SyncTaskRunner(), clerk_session, now=lambda: NOW)
        cases.resize(1280, 760)
        cases.show()
        cases.open_case(made[4])
        app.processEvents()
        cases.case.deliver()
        dialog = cases.case.deliver_dialog
        assert dialog is not None
        app.processEvents()
        dialog.grab().save(str(out / "handover.png"))
        dialog.reject()
        cases.close()
        db.close()


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[3] / "docs" / "screenshots"
    target.mkdir(parents=True, exist_ok=True)
    main(target)
    print(f"wrote inbox-list.png, inbox-to-sign.png, inbox-case.png, inbox-decide.png and handover.png to {target}")
