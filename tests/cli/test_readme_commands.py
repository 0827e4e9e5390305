"""The README's commands for county IT work as written, on a fresh data folder.

The block under "## For county IT" is read from README.md and each command is run as IT types it: from
`.venv/bin` (where scripts/setup.sh puts them), in a terminal (a pty, so the password prompt is real), from
the repository's top folder. Only lines whose arguments are placeholders (the enrolment code, FILE, the
`a | b` alternatives) are turned into their concrete forms; everything else runs literally.
"""

from __future__ import annotations

import os
import pty
import re
import select
import shlex
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pty")


def readme_it_commands() -> list[str]:
    text = (ROOT / "README.md").read_text("utf-8")
    section = text.split("## For county IT", 1)[1].split("\n## ", 1)[0]
    lines = [ln[4:] for ln in section.splitlines() if ln.startswith("    clerk-desk ")]
    out: list[str] = []
    for line in lines:
        line = line.split("  #", 1)[0].strip()  # a trailing comment
        if line.startswith("clerk-desk enrol"):
            continue  # needs a hub and a one-time code: tests/sync and tests/installer enrol for real
        if " | " in line:  # "db backup | db restore FILE | db current": each alternative on its own
            head, *alts = line.split(" | ")
            out.append(head)
            out += [f"clerk-desk {a}" for a in alts if "FILE" not in a]
            continue
        out.append(line)
    return out


def run_in_terminal(command: str, env: dict[str, str], answers: list[str], timeout: float = 120) -> tuple[int, str]:
    """Run `command` with a pty as its terminal, typing each answer when a prompt ends in '：' or ':'."""
    argv = shlex.split(command)
    argv[0] = str(BIN / argv[0])
    pid, fd = pty.fork()
    if pid == 0:  # the child: becomes the command
        os.chdir(ROOT)
        os.execve(argv[0], argv, env)
    out = b""
    pending = list(answers)
    answered_at = 0
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                out += chunk
                # Only output since the last answer can be a new prompt: the newline that follows an answer
                # may arrive alone, and stripping it would show the old prompt again, so the next answer would
                # be typed before getpass turns echo off (which discards it) and the command would wait forever.
                tail = out[answered_at:].decode("utf-8", "replace").rstrip(" ")
                if pending and (tail.endswith("：") or tail.endswith(":")):
                    os.write(fd, (pending.pop(0) + "\n").encode())
                    out += b"\n"
                    answered_at = len(out)
        else:
            os.kill(pid, 9)
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    return os.waitstatus_to_exitcode(status), out.decode("utf-8", "replace")


def test_the_it_commands_in_the_readme_run_as_written(tmp_path: Path) -> None:
    commands = readme_it_commands()
    assert any(c.startswith("clerk-desk user add") for c in commands)  # the README still has its block
    env = {**os.environ, "CLERK_DESK_DATA": str(tmp_path / "data"), "QT_QPA_PLATFORM": "offscreen"}
    for command in commands:
        answers = ["Admin-pass-2026", "Admin-pass-2026"] if " user add " in command else []
        code, output = run_in_terminal(command, env, answers)
        assert code == 0, f"{command!r} exited {code}:\n{output[-2000:]}"
        if command.startswith("clerk-desk audit verify"):
            assert re.search(r"完整|intact|OK", output, re.IGNORECASE), output
