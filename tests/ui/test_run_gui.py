"""The real app in a subprocess: ``clerk-desk --demo`` prints the accounts, runs the flow on worker
threads, holds the data folder against a second instance, and leaves its event loop cleanly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from clerk_desk import app as desk_app

# Signs in as clerk1 with the printed password, picks the first window, then closes the main window.
DRIVER = r"""
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication(sys.argv[:1])
from clerk_desk.app import run_gui

folder = Path(sys.argv[1])
steps = []

def top(name):
    return next((w for w in QApplication.topLevelWidgets() if w.objectName() == name and w.isVisible()), None)

def tick():
    login, main = top("loginDialog"), top("mainWindow")
    if main is not None and "main" not in steps:
        steps.append("main")
        print("TITLE", main.windowTitle(), flush=True)
        main.close()
    elif login is not None and "login" not in steps and login.findChild(QWidget, "loginSubmit").isEnabled():
        steps.append("login")
        password = next(l.split("\t")[1] for l in (folder / "demo-accounts.txt").read_text().splitlines()
                        if l.startswith("clerk1\t"))
        login.findChild(QWidget, "loginUsername").setText("clerk1")
        login.findChild(QWidget, "loginPassword").setText(password)
        login.findChild(QWidget, "loginSubmit").click()

timer = QTimer()
timer.timeout.connect(tick)
timer.start(50)
sys.exit(run_gui(folder, demo=True))
"""


def _env() -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "CLERK_DESK_LANG": "zh_CN"}


def test_run_gui_signs_in_on_worker_threads_and_exits_cleanly(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(folder)], env=_env(), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "clerk1" in done.stdout and "演示账户（用户名 / 密码 / 角色）：" in done.stdout
    assert "TITLE 综合窗口受理 — 通山县通羊镇便民服务中心 综合窗口（一）" in done.stdout
    lock = desk_app.acquire_instance_lock(folder)  # released on exit
    assert lock is not None
    lock.unlock()


def test_the_readme_command_prints_accounts_and_holds_the_folder(tmp_path: Path, start, notes) -> None:
    folder = tmp_path / "data"
    proc = subprocess.Popen(
        [sys.executable, "-m", "clerk_desk", "--data-dir", str(folder), "--demo"],
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(7)]
        assert lines[0].startswith("演示中心：通山县通羊镇便民服务中心")
        names = [line.split()[0] for line in lines[2:]]
        assert names == ["admin", "clerk1", "clerk2", "approver1", "manager"]
        second = start(data_dir=folder)
        assert second.launch.exit_code == desk_app.EXIT_ALREADY_RUNNING
        assert notes.texts("error")[0].startswith("Clerk Desk 已在本机运行")
    finally:
        proc.kill()
        proc.wait(10)
