"""ui/case_watch.py: the store's news reaches the GUI thread, gathered for a moment into one notice with
every case that changed; a push state always has the clerk's words (never the stored English one)."""

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


def test_every_push_state_has_the_clerks_words() -> None:
    words = {s: push_state_text(s) for s in PushState}
    assert words[PushState.IN_FLIGHT] == "上传中" and words[PushState.STORED] == "已上传"
    assert all(not w.isascii() for w in words.values()), words
