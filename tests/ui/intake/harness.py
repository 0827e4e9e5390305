"""A real desk in its own process, for the kill test (tests/ui/intake/test_intake_kill.py).

    python tests/ui/intake/harness.py DATA_DIR phase1   # sign in, type an intake half-way, wait until the
                                                        # draft is on disk, print READY and the values as
                                                        # JSON, then keep running until killed
    python tests/ui/intake/harness.py DATA_DIR phase2   # start again, sign in, print whether the draft is
                                                        # offered, take it back, print the values as JSON

The desk is built by clerk_desk.app.launch with the app's own thread-pool task runner, translators and
style, exactly as `python -m clerk_desk --data-dir DATA_DIR --demo` does before its event loop.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from clerk_desk.services import drafts  # noqa: E402
from clerk_desk.ui import look, notify  # noqa: E402
from clerk_desk.ui.task_runner import ThreadTaskRunner  # noqa: E402
from tests.ui.intake.driver import Clerk, Flow, screen_values, wait_until  # noqa: E402

APPLICANT_ID = "11010519491231002X"


def say(tag: str, payload: object) -> None:
    print(tag, json.dumps(payload, ensure_ascii=False), flush=True)


def phase1(clerk: Clerk) -> None:
    page, flow = clerk.page, Flow(clerk)
    clerk.type("intakeSearch", "ncdb")
    clerk.key(Qt.Key.Key_Return)  # taken when the worker's results arrive
    wait_until(lambda: page.step == "applicant")
    flow.person("张三", APPLICANT_ID, "13800138000", finish=False)
    clerk.type("applicantAddress", "通山县通羊镇新城路8号")
    clerk.click("agentToggle")
    clerk.type("agentName", "张小明")
    clerk.type("agentRelation", "儿子")
    clerk.key(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_until(lambda: page.step == "checklist")
    clerk.key(Qt.Key.Key_Space)  # the first material provided
    clerk.key(Qt.Key.Key_Return)
    clerk.key(Qt.Key.Key_X)  # the second one defective, with the reason
    clerk.type_here("复印件模糊")
    clerk.key(Qt.Key.Key_Return)
    clerk.key(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_until(lambda: page.step == "outcome")
    clerk.type("refuseReason", "尚未决定")
    expected = screen_values(page)
    db, user = clerk.launch.db, page.session.user.id
    assert db is not None

    def saved() -> bool:
        waiting = drafts.pending(db, user)
        return bool(waiting) and waiting[0].data.get("outcome", {}).get("refuse_reason") == "尚未决定"

    wait_until(saved)
    say("READY", expected)
    while True:  # the test kills this process with SIGKILL
        QApplication.processEvents()
        time.sleep(0.05)


def phase2(clerk: Clerk) -> None:
    page = clerk.page
    # signed in on the home page: a waiting draft brings the intake page forward by itself
    wait_until(lambda: clerk.window.stack.currentWidget() is page, 10)
    offered = {"banner": page.banner.text.text(), "visible": page.banner.isVisible(), "focus": clerk.focused()}
    clerk.click("draftResume")
    wait_until(lambda: page.step != "item")
    say("OFFERED", offered)
    say("RESTORED", screen_values(page))


def main() -> int:
    data_dir, phase = Path(sys.argv[1]), sys.argv[2]
    app = QApplication(sys.argv)
    translators = look.setup(app)  # noqa: F841 (kept alive)
    app.setQuitOnLastWindowClosed(False)
    notify.set_notifier(notify.RecordingNotifier())
    clerk = Clerk.start(data_dir, ThreadTaskRunner(parent=app), open_intake=phase == "phase1")
    (phase1 if phase == "phase1" else phase2)(clerk)
    clerk.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
