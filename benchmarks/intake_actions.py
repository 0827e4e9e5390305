"""Input actions for a routine intake, from the item search to the printed receipt (issue 4: 25 or fewer).

    .venv/bin/python benchmarks/intake_actions.py [--screenshots DIR]

A real desk (demo site and catalog, clerk1 at 综合窗口（一）) is driven offscreen by key presses and clicks
through the widgets' objectNames, exactly as the pytest-qt tests drive it (tests/ui/intake/driver.py).
Two numbers per run (see docs/intake.md, "Counting input actions"):

- keys: every key press and every click, each character typed included;
- actions: the same, except that a value the applicant dictates (name, ID number, phone) counts as one
  action per field, however many characters it has. This is the figure the issue's target means.

Both runs print the receipt through the page's own print path (recorded, then rendered, here to a PDF
file). With --screenshots the routine run also saves docs/screenshots/intake-*.png.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from clerk_desk.forms.documents import Document  # noqa: E402
from clerk_desk.forms.paper import Paper  # noqa: E402
from clerk_desk.forms.render import save_pdf  # noqa: E402
from clerk_desk.ui import look, notify  # noqa: E402
from clerk_desk.ui.task_runner import SyncTaskRunner  # noqa: E402
from tests.ui.intake.driver import Clerk, Flow  # noqa: E402

RET = Qt.Key.Key_Return
APPLICANT = ("张三", "11010519491231002X", "13800138000")
TARGET = 25


def run(data_dir: Path, query: str, days: str | None, shots: Path | None) -> Clerk:
    clerk = Clerk.start(data_dir, SyncTaskRunner())
    clerk.window.resize(1180, 760)
    papers: list[Path] = []

    def sink(doc: Document, paper: Paper, _preview: bool) -> bool:
        papers.append(save_pdf(doc, paper, data_dir / f"printed-{len(papers) + 1}.pdf"))
        return True

    clerk.page.done.print_sink = sink

    def shot(name: str) -> None:
        if shots is not None:
            QApplication.processEvents()
            assert clerk.window.grab().save(str(shots / f"intake-{name}.png"))

    flow = Flow(clerk)
    clerk.type("intakeSearch", query)
    shot("item")
    clerk.key(RET)  # the top hit
    name, id_number, phone = APPLICANT
    flow.person(name, id_number, phone, finish=False)
    shot("applicant")
    clerk.key(RET)  # Enter on the (empty, optional) address: on to the checklist
    clerk.key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # every required material, catalog form
    shot("checklist")
    clerk.key(RET, Qt.KeyboardModifier.ControlModifier)  # on to the outcome; 受理 has the focus
    if days is not None:
        clerk.type("confirmedDays", days)  # the time limit the department confirmed (待确认 in the catalog)
    shot("outcome")
    clerk.key(RET)  # 受理, delivery at the window (the default)
    clerk.key(Qt.Key.Key_P)  # print the A4 receipt
    shot("done")
    assert clerk.page.step == "done" and len(papers) == 1, (clerk.page.step, papers)
    return clerk


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--screenshots", type=Path, help="save intake-*.png of each step here")
    args = parser.parse_args()
    app = QApplication(sys.argv)
    translators = look.setup(app)  # noqa: F841 (kept alive)
    notify.set_notifier(notify.RecordingNotifier())
    if args.screenshots:
        args.screenshots.mkdir(parents=True, exist_ok=True)
    cases = (
        ("农村低保初审及转报 (3 required + 1 optional material, 15 working days)", "ncdb", None, args.screenshots),
        ("残疾人证残损换新 (3 materials, time limit 待确认: the confirmed days are typed)", "cjrzcs", "20", None),
    )
    print(f"Input actions, item search to printed receipt (target: {TARGET} or fewer actions)")
    for title, query, days, shots in cases:
        with tempfile.TemporaryDirectory() as tmp:
            clerk = run(Path(tmp) / "data", query, days, shots)
            count = clerk.count
            verdict = "within" if count.actions <= TARGET else "OVER"
            print(f"\n{title}")
            for line in count.log:
                print(f"  {line}")
            print(f"  keys (every key press and click):                 {count.keys}")
            print(f"  actions (a dictated field value counts as one):   {count.actions}  ({verdict} the target)")
            clerk.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
