"""Killing the desk in the middle of an intake loses nothing: the next start offers the draft back with
everything typed (a real desk in a subprocess, SIGKILL, then a new process; see harness.py)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

HARNESS = Path(__file__).with_name("harness.py")
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")


def _tagged(line: str, tag: str) -> dict:  # type: ignore[type-arg]
    assert line.startswith(tag + " "), line
    return json.loads(line[len(tag) + 1 :])  # type: ignore[no-any-return]


def test_a_killed_intake_is_offered_back_with_everything_typed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    first = subprocess.Popen([sys.executable, str(HARNESS), str(data), "phase1"], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        assert first.stdout is not None
        line = first.stdout.readline().strip()  # READY once the draft with the last keystroke is on disk
        typed = _tagged(line, "READY")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    assert first.returncode == -signal.SIGKILL
    assert typed["applicantName"] == "张三" and typed["step"] == "outcome"

    second = subprocess.run([sys.executable, str(HARNESS), str(data), "phase2"], capture_output=True, text=True,
                            env=env, timeout=120)
    assert second.returncode == 0, second.stderr[-2000:]
    offered_line, restored_line = second.stdout.strip().splitlines()[-2:]
    offered = _tagged(offered_line, "OFFERED")
    assert offered["visible"] and "农村低保初审及转报 · 张三" in offered["banner"]
    restored = _tagged(restored_line, "RESTORED")
    assert restored == typed
    assert restored["checklist"][1][4:] == [False, "复印件模糊"]  # the defect and its reason came back too
