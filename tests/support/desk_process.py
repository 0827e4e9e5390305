"""A desk as a process of its own, for tests that need real processes (tests/ui/sync/test_live_follow.py).

    python -m tests.support.desk_process window FOLDER
        stdin "accept" -> accepts and hands over a case, prints "accepted <case uuid>"
    python -m tests.support.desk_process inbox FOLDER [--username wangfang] [--poll-s 5]
    python -m tests.support.desk_process list FOLDER [--poll-s 5]
        prints "seen <case uuid>" once the case is in the page's model (the approver's inbox, or the
        window's case list on its 全部 view): the page follows the data as in the app (ui/case_watch.py)

Each runs its sync engine's real threads (push on commit, GET /changes held at the hub, pull when told);
the timer's round is an hour, so only the hub's news brings cases. It prints "ready" once its first sync
is done and it is held at the hub (or polling, with ``--expect polling``), and stops when stdin closes.
The folder is prepared (enrolled) by the test; the token comes from the test keyring file
(tests/support/memory_keyring.py, ``CLERK_TEST_KEYRING_FILE``).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("CLERK_DESK_ALLOW_LOOPBACK_HTTP", "1")


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _engine(db, poll_s: float):  # type: ignore[no-untyped-def]
    from clerk_desk.sync import enrolment
    from clerk_desk.sync.engine import Backoff, SyncEngine

    return SyncEngine(db, lambda: enrolment.client_for(db), interval_s=3600.0, live_poll_s=poll_s,
                      backoff=Backoff(base_s=0.05, cap_s=0.5))  # fmt: skip


def _wait_ready(engine, expect: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 60
    while not (engine.status().last_success is not None and engine.status().live == expect):
        if time.monotonic() > deadline:
            raise SystemExit(f"not ready: {engine.status()}")
        time.sleep(0.02)


def window(folder: Path, expect: str) -> None:
    from clerk_desk.services import accounts, site_setup
    from clerk_desk.services.intake import Clerk, IntakeService
    from clerk_desk.services.intake_forms import Delivery
    from clerk_desk.store.database import Database
    from tests.services.test_intake import form

    db = Database(folder)
    engine = _engine(db, 5.0)
    u = next(u for u in accounts.list_users(db) if u.username == "clerk1")
    w = site_setup.list_windows(db)[0]
    clerk, intake = Clerk(u.id, u.username, u.display_name, w.id, w.name), IntakeService(db)
    engine.start()
    _wait_ready(engine, expect)
    _say("ready")
    for line in sys.stdin:
        if line.strip() == "accept":
            uid = intake.accept(form(), clerk, delivery=Delivery("window")).cases[0].case_uuid
            intake.transfer(uid, clerk)
            _say(f"accepted {uid}")
    engine.stop()


def watcher(kind: str, folder: Path, username: str, poll_s: float, expect: str) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from clerk_desk.services import accounts, site_setup
    from clerk_desk.services import case_queries as q
    from clerk_desk.store.database import Database
    from clerk_desk.ui.case_watch import CaseWatch
    from clerk_desk.ui.cases.cases_page import CasesPage
    from clerk_desk.ui.inbox.inbox_page import InboxPage
    from clerk_desk.ui.session import DeskSession
    from clerk_desk.ui.task_runner import ThreadTaskRunner

    app = QApplication([])
    db = Database(folder)
    engine = _engine(db, poll_s)
    me = {u.username: u for u in accounts.list_users(db)}[username]
    threads = ThreadTaskRunner()
    page: InboxPage | CasesPage
    if kind == "inbox":
        page = InboxPage(db, threads, DeskSession(me, site_setup.site_info(db), None, "approver"))
    else:
        session = DeskSession(me, site_setup.site_info(db), site_setup.list_windows(db)[0], "clerk")
        page = CasesPage(db, threads, session)
    watch = CaseWatch(db, parent=page)  # the main window's wiring (MainWindow._page_built)
    watch.casesChanged.connect(page.cases_changed)
    page.resize(1300, 800)
    page.show()
    if isinstance(page, CasesPage):
        page.list.set_view(q.WindowView.ALL)
    seen: set[str] = set()

    def look() -> None:
        for row in page.list.model.rows:
            if row.uuid not in seen:
                seen.add(row.uuid)
                _say(f"seen {row.uuid}")

    timer = QTimer()
    timer.timeout.connect(look)
    timer.start(5)
    engine.start()

    def ready() -> None:
        _wait_ready(engine, expect)
        _say("ready")
        sys.stdin.read()  # until the test closes it
        app.quit()

    threading.Thread(target=ready, daemon=True).start()
    app.exec()
    engine.stop()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=["window", "inbox", "list"])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--username", default="clerk1")
    ap.add_argument("--poll-s", type=float, default=5.0)
    ap.add_argument("--expect", default="held", choices=["held", "polling"])
    a = ap.parse_args()
    import keyring

    from tests.support.memory_keyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())  # the test keyring file (CLERK_TEST_KEYRING_FILE), never the real one
    if a.kind == "window":
        window(a.folder, a.expect)
    else:
        watcher(a.kind, a.folder, a.username, a.poll_s, a.expect)


if __name__ == "__main__":
    main()
