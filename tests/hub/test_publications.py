"""Publishing the catalog and the calendar at the hub: checked like the desk checks them, versions kept,
a rollback only when forced and recorded (docs/hub.md, "Catalog and calendar")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from county_hub.cli import main
from county_hub.models import AuditEntry, Publication
from county_hub.settings import DB_FILE, sqlite_url
from county_hub.storage import make_engine
from tests.support.catalogs import calendar_2027, catalog, catalog_bytes, item


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def _publications(data_dir: Path) -> list[tuple[str, int, str]]:
    engine = make_engine(sqlite_url(data_dir))
    try:
        with engine.connect() as conn:
            return [(r.kind, r.version, r.label) for r in conn.execute(
                select(Publication.kind, Publication.version, Publication.label).order_by(Publication.id))]
    finally:
        engine.dispose()


def _audit(data_dir: Path) -> list[tuple[str, str, dict]]:
    engine = make_engine(sqlite_url(data_dir))
    try:
        with engine.connect() as conn:
            return [(r.action, r.actor, r.detail) for r in conn.execute(
                select(AuditEntry.action, AuditEntry.actor, AuditEntry.detail).order_by(AuditEntry.id))]
    finally:
        engine.dispose()


def test_an_invalid_catalog_is_refused_with_every_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(tmp_path)]
    doc = catalog("2026.2", [item(f"T-{i}", f"事项{i}") for i in range(12)])
    doc["items"][1]["department"] = "nosuch"  # an undeclared department
    doc["items"][10]["promised_days"] = 99  # longer than the legal days
    doc["items"][2]["category"] = "x"  # a field the format does not have
    doc["items"][11]["code"] = "T-0"  # a code used twice
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, out, err = run(capsys, "catalog", "publish", str(path), *d)
    assert code == 1 and out == ""
    assert "事项目录文件有 5 个错误" in err and "未发布" in err  # the code used twice: on both items
    lines = [line.strip() for line in err.splitlines() if line.strip().startswith("[错误]")]
    assert len(lines) == 5
    # in file order, item numbers as numbers (第1, 2, 3, 11, 12项), all in Chinese
    assert [line.split()[1] for line in lines] == ["第1项", "第2项", "第3项", "第11项", "第12项"]
    assert "category" in err and "nosuch" in err and "必须唯一" in err and "超过法定时限" in err
    assert _publications(tmp_path) == []


def test_an_invalid_calendar_is_refused_with_every_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(tmp_path)]
    cal = calendar_2027()
    cal["years"]["2027"]["holidays"].append({"date": "2027-02-30", "name": "坏日期"})
    cal["years"]["2027"]["makeup_workdays"].append({"date": "2027-01-06", "for": "元旦"})  # a Wednesday
    cal["version"] = "x"
    path = tmp_path / "calendar.json"
    path.write_text(json.dumps(cal, ensure_ascii=False), encoding="utf-8")
    code, _out, err = run(capsys, "calendar", "publish", str(path), *d)
    assert code == 1
    assert "节假日安排文件有 3 个错误，未发布" in err
    assert "2027-02-30 不是实际存在的日期" in err and "2027-01-06 是工作日" in err and "应含数字" in err
    assert _publications(tmp_path) == []


def test_versions_are_kept_listed_and_a_rollback_needs_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(tmp_path)]
    files = {}
    for version in ("2026.1", "2026.2", "2026.10"):
        files[version] = tmp_path / f"catalog-{version}.json"
        files[version].write_bytes(catalog_bytes(version, [item("A", "甲"), item(version, "乙")]))
    for version in ("2026.1", "2026.10"):
        assert run(capsys, "catalog", "publish", str(files[version]), *d)[0] == 0
    # 2026.2 is older than 2026.10 (numbers, not text): refused without --force
    code, _out, err = run(capsys, "catalog", "publish", str(files["2026.2"]), *d)
    assert code == 2 and "比当前发布的版本 2026.10 旧，未发布" in err and "--force" in err
    code, out, _ = run(capsys, "catalog", "publish", str(files["2026.10"]), *d)
    assert code == 0 and "内容相同" in out  # the same bytes again: nothing new
    same_version = tmp_path / "same.json"
    same_version.write_bytes(catalog_bytes("2026.10", [item("A", "甲")]))
    code, _out, err = run(capsys, "catalog", "publish", str(same_version), *d)
    assert code == 2 and "请提高文件中的版本号" in err
    code, out, _ = run(capsys, "catalog", "publish", str(files["2026.2"]), "--force", *d)
    assert code == 0 and "已回退到版本 2026.2：第 3 次发布" in out
    assert _publications(tmp_path) == [("catalog", 1, "2026.1"), ("catalog", 2, "2026.10"), ("catalog", 3, "2026.2")]
    actions = _audit(tmp_path)
    rolled = [a for a in actions if a[0] == "catalog_rolled_back"]
    assert len(rolled) == 1 and rolled[0][2]["rolled_back_from"] == "2026.10" and rolled[0][1].startswith("cli")
    assert [a[0] for a in actions].count("catalog_published") == 2
    code, out, _ = run(capsys, "catalog", "list", *d)
    rows = [line.split("\t") for line in out.splitlines()[1:]]
    assert [(r[0], r[1], r[5]) for r in rows] == [("1", "2026.1", "2 项"), ("2", "2026.10", "2 项"),
                                                  ("3", "2026.2", "2 项")]
    assert rows[2][6] == "回退，当前提供" and rows[1][6] == "" and rows[0][3].startswith("cli")
    assert rows[0][4].endswith("KB") or rows[0][4].endswith(" B")


def test_calendar_versions_and_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(tmp_path)]
    assert "尚未发布节假日安排" in run(capsys, "calendar", "list", *d)[1]
    for version in ("2027-1", "2027-2"):
        path = tmp_path / f"{version}.json"
        path.write_text(json.dumps(calendar_2027(version), ensure_ascii=False), encoding="utf-8")
        assert run(capsys, "calendar", "publish", str(path), *d)[0] == 0
    code, _out, err = run(capsys, "calendar", "publish", str(tmp_path / "2027-1.json"), *d)
    assert code == 2 and "比当前发布的版本 2027-2 旧" in err
    out = run(capsys, "calendar", "list", *d)[1]
    assert "2027-2" in out and "1 个年份" in out and "当前提供" in out
    assert run(capsys, "calendar", "publish", str(tmp_path / "missing.json"), *d)[2].count("无法读取文件") == 1


def test_a_hub_folder_named_with_url_characters_keeps_its_database_in_it(tmp_path: Path) -> None:
    """A "?" (or "#", "%") in the hub's folder was read as the URL's: the hub opened another file."""
    data_dir = tmp_path / "hub?county#1 100%"
    data_dir.mkdir()
    engine = make_engine(sqlite_url(data_dir))
    with engine.begin() as c:
        c.exec_driver_sql("CREATE TABLE marker (x INTEGER)")
    engine.dispose()
    assert (data_dir / DB_FILE).exists()
    assert [p.name for p in tmp_path.iterdir()] == [data_dir.name]  # nothing beside it


def _calendar_file(tmp_path: Path, name: str, cal: dict) -> str:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(cal, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_a_calendar_for_the_wrong_year_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file versioned 2027-1 whose only year is 2028 (a typo in the years) was published: every desk then
    held "2027-1" without 2027 and counted 2027 on weekends only."""
    d = ["--data-dir", str(tmp_path)]
    cal = calendar_2027()
    cal["years"] = {"2028": cal["years"]["2027"]}
    for entry in [*cal["years"]["2028"]["holidays"], *cal["years"]["2028"]["makeup_workdays"]]:
        entry["date"] = "2028" + entry["date"][4:]
    cal["years"]["2028"]["makeup_workdays"] = []  # 2027's Saturdays are other weekdays in 2028
    cal["years"]["2028"]["holidays"] = [h for h in cal["years"]["2028"]["holidays"] if h["date"] != "2028-02-29"]
    code, out, err = run(capsys, "calendar", "publish", _calendar_file(tmp_path, "wrong", cal), *d)
    assert code == 1 and out == ""
    assert "版本号 2027-1 指 2027 年，而文件只列出 2028 年" in err and "未发布" in err
    assert _publications(tmp_path) == []


def test_a_calendar_leaving_out_a_published_year_needs_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Desks replace their calendar file whole: a 2028-1 with 2028 only, after a 2027-1, took 2027 off every
    desk (the library knows no day after 2026), so 2027's open cases were counted on weekends only."""
    d = ["--data-dir", str(tmp_path)]
    assert run(capsys, "calendar", "publish", _calendar_file(tmp_path, "2027-1", calendar_2027()), *d)[0] == 0
    only_2028 = calendar_2027("2028-1")
    only_2028["years"] = {"2028": {"holidays": [{"date": "2028-01-01", "name": "元旦"}], "makeup_workdays": []}}
    path = _calendar_file(tmp_path, "2028-1", only_2028)
    code, out, err = run(capsys, "calendar", "publish", path, *d)
    assert code == 2 and out == ""
    assert "当前发布的节假日安排 2027-1（第 1 次发布）含 2027 年，本文件没有，未发布" in err
    assert "请把 2027 年一并写入文件" in err and "--force" in err
    assert _publications(tmp_path) == [("calendar", 1, "2027-1")]
    code, out, _err = run(capsys, "calendar", "publish", path, "--force", *d)
    assert code == 0 and "已按 --force 去掉 2027 年" in out
    published = [a for a in _audit(tmp_path) if a[0] == "calendar_published"]
    assert published[-1][2]["dropped_years"] == [2027]
    both = calendar_2027("2028-2")
    both["years"]["2028"] = only_2028["years"]["2028"]
    code, out, _err = run(capsys, "calendar", "publish", _calendar_file(tmp_path, "2028-2", both), *d)
    assert code == 0 and "去掉" not in out
    out = run(capsys, "calendar", "list", *d)[1]
    assert "2 个年份（2027、2028）" in out and "1 个年份（2028）" in out


def test_a_calendar_correcting_a_published_year_names_the_days(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A correction (2027-2) that moves days of a year desks already count by was published without a word:
    county IT could not see what changed, nor that dates already counted stay as they are."""
    d = ["--data-dir", str(tmp_path)]
    assert run(capsys, "calendar", "publish", _calendar_file(tmp_path, "2027-1", calendar_2027()), *d)[0] == 0
    fixed = calendar_2027("2027-2")
    year = fixed["years"]["2027"]
    year["holidays"] = [h for h in year["holidays"] if h["date"] != "2027-10-07"]
    year["makeup_workdays"].append({"date": "2027-10-10", "for": "国庆节"})
    code, out, err = run(capsys, "calendar", "publish", _calendar_file(tmp_path, "2027-2", fixed), *d)
    assert code == 0 and err == ""
    assert "2027 年与当前发布的 2027-1 不同：不再放假 2027-10-07；新增调休上班日 2027-10-10" in out
    assert "已按旧安排算出的办结时限不会因此改变" in out
    assert _publications(tmp_path) == [("calendar", 1, "2027-1"), ("calendar", 2, "2027-2")]


def test_a_calendar_moving_days_of_the_shipped_year_names_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The first publication listing 2026 replaces, on every desk, the 2026 they were installed with: the
    days it moves are named as for a published year."""
    d = ["--data-dir", str(tmp_path)]
    shipped = json.loads((Path(__file__).parents[2] / "resources/calendar/calendar.json").read_text("utf-8"))
    cal = calendar_2027()
    year_2026 = json.loads(json.dumps(shipped["years"]["2026"]))
    first = year_2026["holidays"].pop(0)["date"]
    cal["years"]["2026"] = year_2026
    code, out, _err = run(capsys, "calendar", "publish", _calendar_file(tmp_path, "with-2026", cal), *d)
    assert code == 0
    assert f"2026 年与随程序安装的 {shipped['version']} 不同：不再放假 {first}" in out
    assert "已按旧安排算出的办结时限不会因此改变" in out
    same = calendar_2027("2027-2")
    same["years"]["2026"] = shipped["years"]["2026"]
    same["years"]["2027"] = cal["years"]["2027"]
    out = run(capsys, "calendar", "publish", _calendar_file(tmp_path, "2027-2", same), *d)[1]
    assert f"2026 年与当前发布的 2027-1 不同：新增放假日 {first}" in out  # the served file, not the shipped


def test_a_calendar_of_the_new_year_alone_after_the_shipped_year_was_published_needs_no_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A county that published the shipped 2026 file, then 2027 alone (docs/calendar-format.md: a county may
    publish only the new year), was refused: every desk still counts 2026 by the file it was installed with,
    which has the very same days. A year the shipped file does not hold as served still needs --force."""
    d = ["--data-dir", str(tmp_path)]
    shipped_path = Path(__file__).parents[2] / "resources/calendar/calendar.json"
    shipped = json.loads(shipped_path.read_text("utf-8"))
    assert run(capsys, "calendar", "publish", str(shipped_path), *d)[0] == 0
    code, out, err = run(capsys, "calendar", "publish", _calendar_file(tmp_path, "2027-1", calendar_2027()), *d)
    assert (code, err) == (0, "")  # before: 2, "含 2026 年，本文件没有，未发布"
    assert f"2026 年不在本文件中：各电脑改用随程序安装的 {shipped['version']}，与当前发布的 {shipped['version']} 相同" in out
    assert _publications(tmp_path) == [("calendar", 1, shipped["version"]), ("calendar", 2, "2027-1")]
    # a 2026 the county corrected, then left out: the desks would lose the correction
    fixed = calendar_2027("2027-2")
    fixed["years"]["2026"] = json.loads(json.dumps(shipped["years"]["2026"]))
    fixed["years"]["2026"]["holidays"].pop(0)
    assert run(capsys, "calendar", "publish", _calendar_file(tmp_path, "2027-2", fixed), *d)[0] == 0
    code, out, err = run(capsys, "calendar", "publish", _calendar_file(tmp_path, "2027-3", calendar_2027("2027-3")), *d)
    assert code == 2 and "含 2026 年，本文件没有，未发布" in err
