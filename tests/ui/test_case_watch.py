"""ui/case_watch.py: the store's news reaches the GUI thread, the first after quiet at once, later news
gathered for a moment into one notice with every case that changed; a push state always has the clerk's
words (never the stored English one)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from pytestqt.qtbot import QtBot

from clerk_desk.domain.case_view import PushState
from clerk_desk.store.changes import ChangeKind, mark
from clerk_desk.store.database import Database
from clerk_desk.ui.case_watch import CaseWatch
from clerk_desk.ui.cases.case_format import push_state_text


def test_news_from_any_thread_arrives_once_gathered(qtbot: QtBot, tmp_path: Path) -> None:
    db = Database(tmp_path)
    watch = CaseWatch(db, debounce_ms=150)
    heard: list[frozenset[str]] = []
    watch.casesChanged.connect(heard.append)

    def writes() -> None:
        for uid in ("a", "b", "c"):
            with db.transaction() as s:
                mark(s, ChangeKind.PULLED, [uid])

    t = threading.Thread(target=writes)
    started = time.monotonic()
    t.start()
    t.join()
    with qtbot.waitSignal(watch.casesChanged, timeout=2000):
        pass
    assert heard == [frozenset({"a", "b", "c"})] and time.monotonic() - started < 1.0
    watch.detach()  # sign-out: the database outlives the main window and no longer calls it
    assert db.commit_listeners == [] and not watch.timer.isActive()
    db.close()


def test_the_first_news_after_quiet_comes_at_once_and_later_news_is_gathered(qtbot: QtBot, tmp_path: Path) -> None:
    """A case handed over on another desk shows as it lands (no waiting out the period); news during the
    period after a refresh comes together at its end; after a quiet period the next news is at once again."""
    db = Database(tmp_path)
    period_ms = 1500
    watch = CaseWatch(db, debounce_ms=period_ms)
    heard: list[tuple[float, frozenset[str]]] = []
    watch.casesChanged.connect(lambda cases: heard.append((time.monotonic(), cases)))

    def write(*uids: str) -> float:
        with db.transaction() as s:
            mark(s, ChangeKind.PULLED, uids)
        return time.monotonic()

    first = write("a")
    qtbot.waitUntil(lambda: len(heard) == 1, timeout=2000)
    assert heard[0][1] == frozenset({"a"}) and heard[0][0] - first < period_ms / 1000 / 2
    write("b")
    write("c")
    qtbot.waitUntil(lambda: len(heard) == 2, timeout=5000)
    assert heard[1][1] == frozenset({"b", "c"})
    assert heard[1][0] - heard[0][0] >= period_ms / 1000 * 0.9  # gathered to the period's end
    qtbot.waitUntil(lambda: not watch.timer.isActive(), timeout=5000)  # a period with no news: quiet
    again = write("d")
    qtbot.waitUntil(lambda: len(heard) == 3, timeout=2000)
    assert heard[2][1] == frozenset({"d"}) and heard[2][0] - again < period_ms / 1000 / 2
    watch.detach()
    db.close()


def test_every_push_state_has_the_clerks_words() -> None:
    words = {s: push_state_text(s) for s in PushState}
    assert words[PushState.IN_FLIGHT] == "上传中" and words[PushState.STORED] == "已上传"
    assert all(not w.isascii() for w in words.values()), words
