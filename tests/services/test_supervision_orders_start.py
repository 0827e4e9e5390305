"""The home page reads the open 督办单 at every start (services/work_waiting.py); the orders' fold
(domain/supervision_orders.py, three classes) is loaded only when there is an order to fold, so a start in a
hall with none does not make them (docs/performance.md, "Twelfth round"). Checked in a fresh process, where
nothing else has imported it."""

from __future__ import annotations

import subprocess
import sys

from clerk_desk.domain import supervision_orders as so
from clerk_desk.services import supervision_orders


def test_the_listed_kinds_are_the_orders_events() -> None:
    assert supervision_orders._KINDS == (so.ISSUED, so.ANSWERED)


def test_the_list_reader_loads_without_the_fold() -> None:
    code = (
        "import sys\n"
        "import clerk_desk.services.supervision_orders\n"
        "import clerk_desk.services.work_waiting\n"
        "print('clerk_desk.domain.supervision_orders' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "False"
