"""Command line for county IT: ``clerk-desk db|site|window|user|catalog ...``. No sub-command opens the GUI.

Each sub-command group lives in its own module with a ``register(subparsers)`` function; errors meant
for people (ClerkDeskError) print their Chinese message and exit 2, nothing else is touched.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from clerk_desk import __version__, paths
from clerk_desk.domain.errors import ClerkDeskError

Handler = Callable[[argparse.Namespace], int]
GROUPS = ("db", "site", "window", "user", "catalog", "sync", "audit")


def build_parser() -> argparse.ArgumentParser:
    from clerk_desk import log_file

    data = paths.default_data_dir()
    parser = argparse.ArgumentParser(
        prog="clerk-desk",
        description="Clerk Desk 综合窗口受理客户端。不带子命令时打开图形界面。",
        # where county IT looks first when something fails (docs/installer.md); --data-dir DIR: DIR/logs/
        epilog=f"数据文件夹：{data}\n日志：{log_file.log_path(data)}（--data-dir 给出的文件夹：其中的 logs{os.sep}）",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"clerk-desk {__version__}")
    parser.add_argument("--data-dir", type=Path, default=None, help="数据文件夹（默认：本机公共数据目录）")
    parser.add_argument("--demo", action="store_true", help="在演示数据文件夹中打开演示中心（含演示账户）")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    import importlib

    for name in GROUPS:
        module = importlib.import_module(f"clerk_desk.cli.{name}_cmd")
        module.register(sub)
    return parser


def data_dir_of(args: argparse.Namespace) -> Path:
    return paths.data_dir_for(args.data_dir, getattr(args, "demo", False))


@contextlib.contextmanager
def logging_to(data_dir: Path) -> Iterator[None]:
    """A command's log records go to the data folder's log, as the GUI's do (clerk_desk/log_file.py), not to
    the terminal: there IT reads the command's own Chinese output, and later finds in the log what a
    headless ``sync run`` met (the hub out of reach, back again). Removed afterwards, so a command run in
    a process that logs elsewhere leaves nothing behind."""
    import logging.handlers

    from clerk_desk import log_file

    root = logging.getLogger()
    handler: logging.Handler
    try:
        log_file.log_path(data_dir).parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            log_file.log_path(data_dir), maxBytes=log_file.MAX_BYTES, backupCount=log_file.BACKUPS, encoding="utf-8"
        )
    except OSError:  # a folder that cannot be written: the command itself says so; keep the records quiet
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter(log_file.FORMAT))
    level = root.level
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        handler.close()


def run(argv: Sequence[str] | None = None) -> int | None:
    """Run a sub-command and return its exit code, or None when the GUI should open."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        if args.command:
            parser.parse_args([*(argv or []), "--help"])
        return None
    try:
        from clerk_desk.store import file_modes

        data_dir = data_dir_of(args)
        if data_dir.is_dir():
            file_modes.restrict(data_dir)  # what an older version left readable (docs/personal-data.md)
        with logging_to(data_dir):
            return handler(args)
    except ClerkDeskError as exc:
        print(f"错误：{exc.message_zh}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader went away (``| head``): stop quietly; stdout goes to nothing so that flushing it at
        # exit raises no second error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
