"""``clerk-desk catalog ...`` as county IT uses it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from clerk_desk.cli import run
from clerk_desk.services import catalog_service as cs


def cli(tmp_path: Path, *args: str) -> int | None:
    return run(["--data-dir", str(tmp_path / "data"), "catalog", *args])


def test_validate_import_show_search(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    demo = str(cs.demo_catalog_path())
    assert cli(tmp_path, "validate", demo) == 0
    assert "0 个错误" in capsys.readouterr().out
    assert cli(tmp_path, "import", demo) == 0
    assert "已导入目录版本" in capsys.readouterr().out
    assert cli(tmp_path, "import", demo) == 2
    assert "--force" in capsys.readouterr().err
    assert cli(tmp_path, "search", "社保卡") == 0
    assert "社会保障卡制作发放及管理" in capsys.readouterr().out
    assert cli(tmp_path, "show", "000524021000") == 0
    out = capsys.readouterr().out
    assert "义务兵家庭优待金" in out and "承诺时限：待确认" in out and "入伍通知书" in out
    assert cli(tmp_path, "show", "NOPE") == 2
    assert cli(tmp_path, "info") == 0
    assert "农业农村" in capsys.readouterr().out


def test_validate_lists_every_error_and_exits_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = json.loads(cs.demo_catalog_path().read_text(encoding="utf-8"))
    doc["items"][1]["code"] = doc["items"][0]["code"]
    doc["items"][2]["department"] = "nosuch"
    doc["items"][3]["materials"][0]["copies"] = "两份"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert cli(tmp_path, "validate", str(bad), "--errors-only") == 1
    out = capsys.readouterr().out
    errors = [line for line in out.splitlines() if line.startswith("[错误]")]
    assert len(errors) >= 3
    assert any("code" in e for e in errors) and any("department" in e for e in errors)
    assert any("materials[0].copies" in e for e in errors)
    assert cli(tmp_path, "import", str(bad)) == 2
    assert "未导入任何内容" in capsys.readouterr().err


def test_search_tells_the_matched_key_and_takes_a_department_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(tmp_path, "import", str(cs.demo_catalog_path())) == 0
    capsys.readouterr()
    assert cli(tmp_path, "search", "sbk") == 0
    out = capsys.readouterr().out
    assert "匹配" in out.splitlines()[0] and "关键词“社保卡”（拼音，完全相同）" in out
    assert cli(tmp_path, "search", "证", "--department", "民政") == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    assert rows and all("民政" in r for r in rows)
    assert cli(tmp_path, "search", "证", "--department", "mz") == 0
    assert capsys.readouterr().out.splitlines()[1:] == rows
    assert cli(tmp_path, "search", "证", "--department", "财政") == 2
    err = capsys.readouterr().err
    assert "没有名为“财政”的部门" in err and "民政（mz）" in err


def test_search_piped_into_head_stops_quietly(tmp_path: Path) -> None:
    data = tmp_path / "data"
    base = [sys.executable, "-m", "clerk_desk", "--data-dir", str(data), "catalog"]
    subprocess.run([*base, "import", str(cs.demo_catalog_path())], check=True, capture_output=True)
    # the reader has gone before the results are printed, as `| head -1` is once it has its line
    search = subprocess.Popen(
        [*base, "search", "证", "--limit", "50"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert search.stdout is not None
    search.stdout.close()
    _, err = search.communicate(timeout=60)
    assert search.returncode == 0
    assert b"Traceback" not in err and b"BrokenPipeError" not in err


def test_show_tells_situations_conditions_copies_and_a_foreign_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(tmp_path, "import", str(cs.demo_catalog_path())) == 0
    capsys.readouterr()
    assert cli(tmp_path, "show", "LOCAL-LY-02acbf41") == 0
    out = capsys.readouterr().out
    assert "取自外省（安徽）的办事指南" in out
    assert "办理情形：" in out and "是否委托他人代为申请？ 本人申请（默认）" in out
    assert "权属人委托书及代理人身份证明" in out and "（仅当：委托他人（监护人、代理人）代为申请）" in out
    assert "容缺待确认" in out
    assert cli(tmp_path, "show", "LOCAL-MZ-e2a74459") == 0
    assert "原件1份、复印件2份" in capsys.readouterr().out
