"""A FIFO that tells whether anything tried to load it, for ``<img src="file:///…/canary.fifo">``.

Opening a FIFO for reading blocks until a writer opens it. A watcher *process* (not a thread: the GUI
thread blocks inside Qt holding Python's GIL, so a thread of this process could never run) tries to open
it for writing with O_NONBLOCK every few milliseconds: that succeeds only while a reader is waiting, i.e.
while Qt is trying to load the image. Each success is counted in a small file and the FIFO closed at
once, so the stuck reader gets end-of-file and the test goes on (and fails) instead of hanging.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

_WATCHER = r"""
import os, sys, time
fifo, count = sys.argv[1], sys.argv[2]
parent = os.getppid()
hits = 0
while os.getppid() == parent and os.path.exists(fifo):  # never outlives the test run
    try:
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:  # ENXIO: nobody is reading
        time.sleep(0.005)
        continue
    hits += 1
    with open(count + ".tmp", "w") as f:
        f.write(str(hits))
    os.replace(count + ".tmp", count)  # counted before the reader is let go
    os.close(fd)
"""


class Canary:
    def __init__(self) -> None:
        # A short path: the value must fit the catalog's field lengths (a department name: 64 characters).
        self.folder = Path(tempfile.mkdtemp(prefix="cd"))
        self.path = self.folder / "c"
        self.count_file = self.folder / "hits"
        os.mkfifo(self.path)
        self.url = self.path.as_uri()
        self.process = subprocess.Popen(
            [sys.executable, "-c", _WATCHER, str(self.path), str(self.count_file)]
        )

    def hits(self) -> int:
        """How many times a reader opened the FIFO so far."""
        try:
            return int(self.count_file.read_text() or 0)
        except FileNotFoundError:
            return 0

    def close(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)
