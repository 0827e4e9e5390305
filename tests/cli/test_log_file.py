"""The desk's log file (clerk_desk/log_file.py): a plain handler for the start, the rotating one after it."""

from __future__ import annotations

import logging
import logging.handlers
from collections.abc import Iterator
from pathlib import Path

import pytest

from clerk_desk import log_file


@pytest.fixture
def root_handlers() -> Iterator[None]:
    root = logging.getLogger()
    kept, level = list(root.handlers), root.level
    try:
        yield
    finally:
        for handler in root.handlers:
            if handler not in kept:
                handler.close()
        root.handlers, root.level = kept, level
        log_file._plain = None


def file_handlers() -> list[logging.FileHandler]:
    """The root's handlers on a log file (pytest adds one of its own on /dev/null)."""
    return [h for h in logging.getLogger().handlers
            if isinstance(h, logging.FileHandler) and h.baseFilename.endswith(log_file.LOG_NAME)]  # fmt: skip


def test_the_start_logs_to_the_file_and_the_rotating_handler_takes_over_on_the_same_file(
    tmp_path: Path, root_handlers: None
) -> None:
    log_file.open_log(tmp_path)
    (plain,) = file_handlers()
    assert type(plain) is logging.FileHandler  # not RotatingFileHandler: logging.handlers waits
    logging.getLogger("clerk_desk.test").info("before the rotation")

    log_file.rotate_from_now()
    (rotating,) = file_handlers()
    assert isinstance(rotating, logging.handlers.RotatingFileHandler)
    assert (rotating.baseFilename, rotating.maxBytes, rotating.backupCount) == (
        str(log_file.log_path(tmp_path)), log_file.MAX_BYTES, log_file.BACKUPS)  # fmt: skip
    assert plain.stream is None  # closed
    logging.getLogger("clerk_desk.test").info("after the rotation")
    log_file.rotate_from_now()  # a second call (10 s after the start, or a second sign-in) changes nothing
    assert file_handlers() == [rotating]

    rotating.flush()
    lines = log_file.log_path(tmp_path).read_text(encoding="utf-8").splitlines()
    assert [line.split(": ", 1)[1] for line in lines] == ["before the rotation", "after the rotation"]
    assert all(" INFO clerk_desk.test: " in line for line in lines)


def test_a_full_log_rolls_over_at_the_first_record_after_the_takeover(tmp_path: Path, root_handlers: None) -> None:
    log_file.open_log(tmp_path)
    path = log_file.log_path(tmp_path)
    logging.getLogger("clerk_desk.test").info("x" * 100)
    with path.open("a", encoding="utf-8") as f:  # a long day's log, from before this start
        f.write("y" * log_file.MAX_BYTES)
    log_file.rotate_from_now()
    logging.getLogger("clerk_desk.test").info("first after the takeover")
    file_handlers()[0].flush()
    assert path.with_name(log_file.LOG_NAME + ".1").stat().st_size > log_file.MAX_BYTES
    assert path.read_text(encoding="utf-8").splitlines()[-1].endswith("first after the takeover")


def test_an_unwritable_data_folder_logs_to_stderr(tmp_path: Path, root_handlers: None) -> None:
    (tmp_path / "logs").write_text("a file where the folder should be")
    log_file.open_log(tmp_path)
    assert file_handlers() == []
    assert any(type(h) is logging.StreamHandler for h in logging.getLogger().handlers)
    log_file.rotate_from_now()  # nothing to take over
    assert file_handlers() == []


def test_help_names_the_data_folder_and_the_log_it_would_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    """IT's first question when something fails is where the log is: ``clerk-desk-cli --help`` says it."""
    from clerk_desk import cli

    data = tmp_path / "通山 数据"
    monkeypatch.setenv("CLERK_DESK_DATA", str(data))
    with pytest.raises(SystemExit) as ended:
        cli.run(["--help"])
    assert ended.value.code == 0
    out = capsys.readouterr().out
    assert f"数据文件夹：{data}" in out, out
    assert f"日志：{log_file.log_path(data)}" in out, out
    assert not data.exists(), "--help creates nothing"


def test_a_data_folder_that_cannot_be_made_is_one_line_not_a_traceback(tmp_path: Path, root_handlers: None,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """A data folder whose path is gone or wrong (a network folder that vanished, a path through a file): the
    console program printed Python's traceback (NotADirectoryError, FileNotFoundError) where a folder without
    rights gets one Chinese line. It gets one line too, naming the folder, exit code 2."""
    from clerk_desk import cli

    blocker = tmp_path / "共享盘"
    blocker.write_text("not a folder")
    data = blocker / "ClerkDesk"
    assert cli.run(["--data-dir", str(data), "sync", "status"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"错误：无法建立数据文件夹 {data}") and err.count("\n") == 1, err
    assert "Traceback" not in err
