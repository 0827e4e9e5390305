"""Entry point: ``clerk-desk`` opens the GUI; ``clerk-desk <command>`` runs an IT sub-command."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from collections.abc import Sequence
from pathlib import Path


def setup_logging(data_dir: Path) -> None:
    """A rotating log in the data folder; never logs secrets (tokens go to the keyring only)."""
    log_dir = data_dir / "logs"
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_dir / "clerk-desk.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def main(argv: Sequence[str] | None = None) -> int:
    from clerk_desk import cli

    argv = list(sys.argv[1:] if argv is None else argv)
    code = cli.run(argv)
    if code is not None:
        return code
    args = cli.build_parser().parse_args(argv)
    data_dir = cli.data_dir_of(args)
    setup_logging(data_dir)
    from clerk_desk.app import run_gui

    return run_gui(data_dir, demo=args.demo)


if __name__ == "__main__":
    sys.exit(main())
