"""No text is cut off, on the screens the halls run: 1366×768 and 1920×1080, at 100 %, 125 % and 150 %.

Each configuration starts its own desk process (walk.py) on Qt's offscreen screen of that size and scale,
fills a desk with realistic long texts, walks every page and dialog, and reports every label, button,
check box, group box title, tab, header or cell whose text does not fit (fit.py), and any window larger
than the screen. The screenshots of every surface are kept in CLIPPING_SHOTS/<configuration>/ when that
variable names a folder (in the test's temporary folder otherwise).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.clipping.conftest import FIGURES

REPO = Path(__file__).resolve().parents[3]
TASKBAR = 40  # a Windows taskbar, in logical pixels at any scale: the offscreen screen is that much shorter
CONFIGS = {
    "1366x768-100": (1366, 768, 1.0),
    "1366x768-125": (1366, 768, 1.25),
    "1366x768-150": (1366, 768, 1.5),
    "1920x1080-100": (1920, 1080, 1.0),
    "1920x1080-125": (1920, 1080, 1.25),
    "1920x1080-150": (1920, 1080, 1.5),
}


def walk(name: str, folder: Path) -> dict:  # type: ignore[type-arg]
    width, height, scale = CONFIGS[name]
    screen = folder / f"screen-{name}.json"
    free = height - round(TASKBAR * scale)  # what a window may use: the screen less the taskbar
    screen.write_text(json.dumps({"screens": [{"name": "hall", "x": 0, "y": 0, "width": width, "height": free,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    shots = Path(os.environ["CLIPPING_SHOTS"]) / name if os.environ.get("CLIPPING_SHOTS") else folder / name
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={screen}", "QT_SCALE_FACTOR": str(scale),
           "CLERK_DESK_LANG": "zh_CN"}
    done = subprocess.run([sys.executable, "-m", "tests.ui.clipping.walk", str(shots)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads((shots / "report.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", list(CONFIGS))
def test_every_text_fits_on_every_page(name: str, tmp_path: Path) -> None:
    report = walk(name, tmp_path)
    width, height, scale = CONFIGS[name]
    assert report["screen"] == [round(width / scale), round((height - round(TASKBAR * scale)) / scale)]
    FIGURES.append((name, report))
    assert report["surfaces"] >= 70 and report["texts"] >= 2000, "the walk did not reach every page"
    lines = report["windows"] + [
        f"{c['surface']}: {c['kind']} {c['where']}: 「{c['text'][:50]}」 needs {c['need']} px, has {c['have']}"
        for c in report["clips"]]
    assert not lines, f"{len(lines)} problems at {name}:\n" + "\n".join(lines)
