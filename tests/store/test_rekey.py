"""Rotating a PC's personal-data key, ``clerk-desk db rekey`` (docs/personal-data.md, "Rotating the key"),
on real SQLite files with the real command in a child process: every sealed value reads back equal, the
searches find the same cases with the same counts, the audit log verifies, the old key opens nothing; the
refusals change nothing; a power cut between any two steps (the child killed there) leaves data that
opens; another data folder (and an older backup) sealed with the rotated-out key is brought under the
new key with the kept one."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from clerk_desk import app as desk_app
from clerk_desk.services import answer_drafts, case_queries, consultation, decision_drafts, demo
from clerk_desk.services.consultation import Consultation, Contact
from clerk_desk.store import desk_lock, machine_key, migrate, rekey
from clerk_desk.store.data_keys import FINGERPRINT_SETTING, UNREADABLE, DataKeys
from clerk_desk.store.database import Database
from clerk_desk.store.models import (
    Case,
    CaseEvent,
    DecisionDraft,
    HallRecord,
    IntakeDraft,
    OrderAnswerDraft,
    Person,
)
from tests.store.test_personal_data import AGENT, APPLICANT, DRAFTED, POSTAL, PULLED, clerk_of, fill
from tests.support.lock_holder import HOLDER

SEARCHES = (APPLICANT["id_number"], APPLICANT["id_number"].lower(), AGENT["id_number"], PULLED["id_number"],
            "欧阳", "欧阳明珠", "上官", "上官雪梅", "司马", "王", "欧阳明珠珠")  # fmt: skip
REASON = "材料与申请人身份证号不符：" + APPLICANT["id_number"]
ANSWER = "已联系申请人" + AGENT["name"] + "补充材料"
ORDER = "order-1"
CALLER = Contact("端木秋实", "13800001234")


@pytest.fixture
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's own key (the rotation replaces it), for the test and the commands it runs."""
    path = tmp_path / "keys" / "personal-data.key"
    monkeypatch.setenv(machine_key.ENV_KEY_FILE, str(path))
    return path


def clerk_desk(data: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "clerk_desk", "--data-dir", str(data), *args],
                          capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})})  # fmt: skip


def desk(data: Path) -> Path:
    """A desk with every kind of sealed value: people (applicant, agent, pulled), a postal delivery in the
    case details and the events, an intake draft, an approver's decision draft, a 咨询 record with the
    caller's details, and audit entries."""
    db = Database(data)
    try:
        demo.ensure_demo_site(db)
        cases = fill(db)
        clerk = clerk_of(db)
        decision_drafts.keep(db, clerk.user_id, cases["accepted"], "refuse", {"reason": REASON})
        answer_drafts.keep(db, clerk.user_id, ORDER, ANSWER)
        consultation.log_consultation(db, clerk, Consultation("社保卡补办", contact=CALLER))
    finally:
        db.close()
    return data


def snapshot(data: Path) -> dict[str, Any]:
    """Everything sealed, opened; what the searches find and count; the kept name counts in aggregate."""
    db = Database(data)
    try:
        assert db.keys.readable
        with db.reading() as s:
            out: dict[str, Any] = {
                "persons": {p.id: (p.name, p.id_number, p.phone, p.address, p.legal_representative)
                            for p in s.scalars(select(Person))},  # fmt: skip
                "payloads": {e.uuid: e.payload for e in s.scalars(select(CaseEvent))},
                "details": {c.uuid: c.details for c in s.scalars(select(Case))},
                "hall": {h.uuid: h.data for h in s.scalars(select(HallRecord))},
                "intake_drafts": {d.id: d.data for d in s.scalars(select(IntakeDraft))},
                "decision_drafts": {d.id: d.data for d in s.scalars(select(DecisionDraft))},
                "answer_drafts": {(d.user_id, d.order_uuid): d.text for d in s.scalars(select(OrderAnswerDraft))},
            }
        for text in SEARCHES:
            f = case_queries.CaseFilter(text=text)
            out[f"search {text}"] = (sorted(r.uuid for r in case_queries.page(db, f).rows), case_queries.count(db, f))
        with db.plain_reading() as c:
            out["name_counts"] = sorted(tuple(r) for r in c.execute(
                "SELECT status, site_code, department_code, withdrawal_requested, n FROM case_name_counts"))  # fmt: skip
            out["name_keys"] = c.execute("SELECT count(*) FROM person_name_keys").fetchone()[0]
    finally:
        db.close()
    return out


def assert_filled(snap: dict[str, Any]) -> None:
    """The snapshot holds every kind of value, opened (so equal before and after means something)."""
    flat = repr(snap)
    for value in (*APPLICANT.values(), *AGENT.values(), *PULLED.values(), *DRAFTED.values(), POSTAL, REASON,
                  ANSWER, CALLER.name):  # fmt: skip
        assert value in flat, value
    assert UNREADABLE not in flat
    assert snap[f"search {APPLICANT['id_number']}"][1] == 1 and snap["search 欧阳"][1] == 1
    assert snap["name_counts"] and snap["name_keys"] > 0


def recorded(data: Path) -> str:
    with sqlite3.connect(data / "clerk_desk.sqlite3") as c:
        return str(c.execute("SELECT value FROM settings WHERE key = ?", (FINGERPRINT_SETTING,)).fetchone()[0])


def state(data: Path, key_file: Path) -> dict[str, str]:
    """The bytes of the database (its logical content) and of every file beside the key."""
    dump = "\n".join(sqlite3.connect(data / "clerk_desk.sqlite3").iterdump())
    files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(key_file.parent.iterdir())}
    return {"database": hashlib.sha256(dump.encode()).hexdigest(), **files}


def schema(data: Path) -> list[tuple[str, str, str]]:
    """Every table, index and trigger with its SQL: a rotation sets indexes and triggers aside for its
    transaction, and must leave them as they were (the audit log's append-only triggers among them)."""
    with sqlite3.connect(data / "clerk_desk.sqlite3") as c:
        return sorted(c.execute("SELECT type, name, coalesce(sql, '') FROM sqlite_master"))


def key_of(path: Path) -> bytes:
    return machine_key.read_key_file(path)


def test_every_sealed_value_reads_back_searches_agree_and_the_old_key_opens_nothing(
    tmp_path: Path, key_file: Path
) -> None:
    data = desk(tmp_path / "data")
    before = snapshot(data)
    assert_filled(before)
    tables = schema(data)
    assert sum(kind == "trigger" and "audit_log" in sql for kind, _name, sql in tables) >= 2
    old = key_of(key_file)
    with sqlite3.connect(data / "clerk_desk.sqlite3") as c:
        old_name = c.execute("SELECT name FROM persons WHERE name IS NOT NULL LIMIT 1").fetchone()[0]

    r = clerk_desk(data, "db", "rekey")
    assert r.returncode == 0, r.stderr
    assert "已更换个人信息密钥" in r.stdout and "审计日志" in r.stdout and "Traceback" not in r.stderr

    new = key_of(key_file)
    assert new != old and recorded(data) == DataKeys(new).fingerprint
    assert snapshot(data) == before
    assert schema(data) == tables
    with sqlite3.connect(data / "clerk_desk.sqlite3") as c, pytest.raises(sqlite3.DatabaseError):
        c.execute("UPDATE audit_log SET actor = 'someone-else' WHERE id = 1")  # still append-only
    kept = machine_key.kept_path(key_file, DataKeys(old).fingerprint)
    assert key_of(kept) == old and str(kept) in r.stdout
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600 and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert not machine_key.pending_path(key_file).exists()

    # The old key opens nothing: not the database as a whole, not one value, and its indexes find nothing.
    assert not DataKeys(old, recorded(data)).readable
    with sqlite3.connect(data / "clerk_desk.sqlite3") as c:
        assert c.execute("SELECT count(*) FROM persons WHERE name = ?", (old_name,)).fetchone()[0] == 0
        sealed = [row[0] for row in c.execute("SELECT name FROM persons WHERE name IS NOT NULL")]
        assert sealed and all(DataKeys(old).open(v, "persons.name") is None for v in sealed)
        assert all(DataKeys(new).open(v, "persons.name") is not None for v in sealed)
        assert c.execute("SELECT count(*) FROM persons WHERE id_number_key = ?",
                         (DataKeys(old).id_number_key(APPLICANT["id_number"]),)).fetchone()[0] == 0  # fmt: skip
        assert c.execute("SELECT count(*) FROM person_name_keys WHERE key = ?",
                         (DataKeys(old).name_prefix_key("欧阳"),)).fetchone()[0] == 0  # fmt: skip

    v = clerk_desk(data, "audit", "verify")
    assert v.returncode == 0, v.stdout + v.stderr
    shown = clerk_desk(data, "audit", "show", "--last", "1")
    assert rekey.ACTION in shown.stdout and DataKeys(old).fingerprint in shown.stdout

    # A second rotation works the same way and keeps the second old key beside the first.
    again = clerk_desk(data, "db", "rekey")
    assert again.returncode == 0, again.stderr
    assert machine_key.kept_path(key_file, DataKeys(new).fingerprint).exists() and kept.exists()
    assert snapshot(data) == before
    assert clerk_desk(data, "audit", "verify").returncode == 0


def test_refused_while_the_desk_runs_on_the_folder_and_the_desk_cannot_start_during_a_rotation(
    tmp_path: Path, key_file: Path
) -> None:
    assert desk_lock.LOCK_FILENAME == desk_app.LOCK_FILENAME
    data = desk(tmp_path / "data")
    was = state(data, key_file)
    running = subprocess.Popen([sys.executable, "-c", HOLDER, str(data / desk_app.LOCK_FILENAME)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert running.stdout is not None and running.stdout.readline().strip() == "locked"
        r = clerk_desk(data, "db", "rekey")
        assert r.returncode == 2 and "正在本机使用数据文件夹" in r.stderr and "未做任何改动" in r.stderr, r.stderr
        assert state(data, key_file) == was
    finally:
        running.kill()
        running.wait(10)
    # A crashed desk's lock does not stop it; while the command holds the lock, a desk cannot start.
    probe = "import sys\nfrom PySide6.QtCore import QLockFile\nl = QLockFile(sys.argv[1]); l.setStaleLockTime(0)\nprint(l.tryLock(0))"
    with desk_lock.held(data):
        took = subprocess.run([sys.executable, "-c", probe, str(data / desk_app.LOCK_FILENAME)],
                              capture_output=True, text=True, timeout=60)  # fmt: skip
        assert took.stdout.strip() == "False", took.stderr
        second = clerk_desk(data, "db", "rekey")  # nor can a second rotation of the folder
        assert second.returncode == 2 and "另一条 clerk-desk db rekey 命令" in second.stderr, second.stderr
    assert clerk_desk(data, "db", "rekey").returncode == 0


def test_refused_with_another_key_and_with_a_tampered_audit_log_changing_nothing(
    tmp_path: Path, key_file: Path
) -> None:
    data = desk(tmp_path / "data")
    was = state(data, key_file)

    # Sealed with another key (a backup restored on another PC, a lost key file): nothing to rotate here.
    other_key = tmp_path / "other-keys" / "personal-data.key"
    other_key.parent.mkdir(mode=0o700)
    other_key.write_bytes(machine_key.wrap(os.urandom(machine_key.KEY_BYTES)))
    other_key.chmod(0o600)
    r = clerk_desk(data, "db", "rekey", env={machine_key.ENV_KEY_FILE: str(other_key)})
    assert r.returncode == 2 and "另一个密钥" in r.stderr and "未做任何改动" in r.stderr, r.stderr
    assert state(data, key_file) == was
    assert sorted(p.name for p in other_key.parent.iterdir()) == ["personal-data.key"]

    # A key file that is not this database's, given as the old key.
    wrong = clerk_desk(data, "db", "rekey", "--old-key", str(other_key))
    assert wrong.returncode == 2 and "已经是用本机当前的密钥" in wrong.stderr, wrong.stderr
    assert state(data, key_file) == was

    # An audit entry changed behind the desk's back: signing the log again would launder it.
    with sqlite3.connect(data / "clerk_desk.sqlite3") as c:
        sql = c.execute("SELECT sql FROM sqlite_master WHERE name = 'audit_log_no_update'").fetchone()[0]
        c.execute("DROP TRIGGER audit_log_no_update")
        c.execute("UPDATE audit_log SET actor = 'someone-else' WHERE id = 2")
        c.execute(sql)
    was = state(data, key_file)
    before_verify = clerk_desk(data, "audit", "verify")
    assert before_verify.returncode == 1
    r = clerk_desk(data, "db", "rekey")
    assert r.returncode == 2 and "审计日志校验未通过" in r.stderr and "条目 2" in r.stderr, r.stderr
    assert state(data, key_file) == was
    after_verify = clerk_desk(data, "audit", "verify")
    assert (after_verify.returncode, after_verify.stdout) == (1, before_verify.stdout)


@pytest.mark.parametrize("step", rekey.STEPS)
def test_a_power_cut_between_any_two_steps_leaves_data_that_opens(
    tmp_path: Path, key_file: Path, step: str
) -> None:
    data = desk(tmp_path / "data")
    before = snapshot(data)
    old = key_of(key_file)

    cut = clerk_desk(data, "db", "rekey", env={rekey.FAIL_ENV: step})
    assert cut.returncode == 75, cut.stderr  # killed at that step: no clean-up ran
    committed = recorded(data) != DataKeys(old).fingerprint
    assert committed == (step in ("committed", "key_replaced"))
    if step != "key_replaced":
        assert machine_key.pending_path(key_file).exists()  # left behind, as a power cut would

    # The next open settles it: the key that opens the database is in place, the pending file gone.
    assert snapshot(data) == before
    assert not machine_key.pending_path(key_file).exists()
    assert DataKeys(key_of(key_file)).fingerprint == recorded(data)
    assert (key_of(key_file) != old) == committed
    assert key_of(machine_key.kept_path(key_file, DataKeys(old).fingerprint)) == old
    assert clerk_desk(data, "audit", "verify").returncode == 0

    # And the rotation can be run (again) to its end.
    r = clerk_desk(data, "db", "rekey")
    assert r.returncode == 0, r.stderr
    assert snapshot(data) == before and clerk_desk(data, "audit", "verify").returncode == 0


def test_a_pending_key_is_settled_by_whichever_folder_opens_first(tmp_path: Path, key_file: Path) -> None:
    """On Linux one key file serves several data folders: a rotation of A cut short after its commit is
    completed by the next desk that loads the key, even one opening B; then B is told to use the kept key."""
    a, b = desk(tmp_path / "a"), desk(tmp_path / "b")
    old = key_of(key_file)
    assert clerk_desk(a, "db", "rekey", env={rekey.FAIL_ENV: "committed"}).returncode == 75
    shown = clerk_desk(b, "site", "show")
    assert shown.returncode == 0
    assert not machine_key.pending_path(key_file).exists() and key_of(key_file) != old
    kept = machine_key.kept_path(key_file, DataKeys(old).fingerprint)
    assert f"db rekey --old-key {kept}" in shown.stderr, shown.stderr
    assert snapshot(a)["persons"]


def test_another_folder_and_an_older_backup_sealed_with_the_old_key_come_under_the_new_one(
    tmp_path: Path, key_file: Path
) -> None:
    a, b = desk(tmp_path / "a"), desk(tmp_path / "b")
    before_a, before_b = snapshot(a), snapshot(b)
    backup = migrate.backup(a / "clerk_desk.sqlite3", label="manual")
    old = key_of(key_file)
    assert clerk_desk(a, "db", "rekey").returncode == 0
    kept = machine_key.kept_path(key_file, DataKeys(old).fingerprint)

    # B still needs the old key: every command says so, with what to run; a plain rekey refuses.
    told = clerk_desk(b, "user", "list")
    assert told.returncode == 0 and "无法读取" in told.stderr and f"db rekey --old-key {kept}" in told.stderr
    refused = clerk_desk(b, "db", "rekey")
    assert refused.returncode == 2 and f"--old-key {kept}" in refused.stderr, refused.stderr
    stranger = tmp_path / "stranger.key"
    stranger.write_bytes(machine_key.wrap(os.urandom(machine_key.KEY_BYTES)))
    wrong = clerk_desk(b, "db", "rekey", "--old-key", str(stranger))
    assert wrong.returncode == 2 and "不是本数据库加密所用的密钥" in wrong.stderr, wrong.stderr
    new_key = key_of(key_file)
    r = clerk_desk(b, "db", "rekey", "--old-key", str(kept))
    assert r.returncode == 0, r.stderr
    assert key_of(key_file) == new_key  # no key file changes: B now uses the current key
    assert recorded(b) == recorded(a) == DataKeys(new_key).fingerprint
    assert snapshot(b) == before_b and snapshot(a) == before_a
    assert clerk_desk(b, "audit", "verify").returncode == 0
    assert clerk_desk(b, "db", "rekey", "--old-key", str(kept)).returncode == 2  # nothing left to do

    # A backup of A from before the rotation: restored, it says which key it needs, and comes under the new.
    restored = clerk_desk(a, "db", "restore", str(backup))
    assert restored.returncode == 0 and f"db rekey --old-key {kept}" in restored.stderr, restored.stderr
    assert clerk_desk(a, "db", "rekey", "--old-key", str(kept)).returncode == 0
    assert snapshot(a) == before_a and clerk_desk(a, "audit", "verify").returncode == 0


def test_a_pending_key_whose_database_cannot_be_read_is_left_alone(tmp_path: Path, key_file: Path) -> None:
    """Its database moved away: nobody can tell whether the commit happened, so the pending key stays (it
    may be the only key that opens that database) and a new rotation waits until it can be told."""
    data = desk(tmp_path / "data")
    gone = tmp_path / "moved-away" / "clerk_desk.sqlite3"
    machine_key.begin_rotation(key_file, key_of(key_file), os.urandom(machine_key.KEY_BYTES), gone)
    pending = machine_key.pending_path(key_file).read_bytes()
    assert machine_key.settle_rotation(key_file) is None
    assert snapshot(data)["persons"]  # this folder opens with the key in place
    r = clerk_desk(data, "db", "rekey")
    assert r.returncode == 2 and "上次更换密钥未完成" in r.stderr, r.stderr
    # It names the database, and what to do whether it can be put back or is gone for good.
    assert str(gone) in r.stderr and "放回原处" in r.stderr and "移到安全的地方" in r.stderr, r.stderr
    assert machine_key.pending_path(key_file).read_bytes() == pending


def test_a_value_the_old_key_cannot_open_refuses_the_whole_rotation(tmp_path: Path, key_file: Path) -> None:
    """A damaged sealed value would be lost by a rotation: the transaction is rolled back, the pending key
    dropped and the copy of the old key made for it removed (the key file still holds that key)."""
    data = desk(tmp_path / "data")
    with sqlite3.connect(data / "clerk_desk.sqlite3") as c:
        c.execute("UPDATE persons SET phone = ? WHERE rowid = (SELECT max(rowid) FROM persons WHERE phone IS NOT NULL)",
                  (b"\x01" + os.urandom(40),))  # fmt: skip
    was = state(data, key_file)
    r = clerk_desk(data, "db", "rekey")
    assert r.returncode == 2 and "无法用旧密钥解开" in r.stderr and "未做任何改动" in r.stderr, r.stderr
    was.pop("personal-data.key.rotating", None)
    now = state(data, key_file)
    assert now.pop("personal-data.key.rotating") == hashlib.sha256(b"").hexdigest()  # the empty lock file
    assert now == was


def test_a_process_that_had_the_database_open_seals_nothing_with_the_old_key(tmp_path: Path, key_file: Path) -> None:
    """A long-running process without the desk's lock (a headless ``sync run``) keeps the old key in memory:
    its next write transaction finds the new fingerprint, refuses, and from then on it reads no personal
    data either; started again, it has the new key."""
    from clerk_desk.store.data_keys import KeyRotated
    from clerk_desk.store.models import Setting

    data = desk(tmp_path / "data")
    before = snapshot(data)
    db = Database(data)
    try:
        assert db.keys.readable
        assert clerk_desk(data, "db", "rekey").returncode == 0
        with pytest.raises(KeyRotated, match="重新启动"), db.transaction() as s:
            s.add(Setting(key="after-rekey", value="x"))
        with pytest.raises(KeyRotated), db.plain_transaction() as c:
            c.execute("INSERT INTO settings (key, value) VALUES ('after-rekey', 'y')")
        with db.reading() as s:
            assert {p.name for p in s.scalars(select(Person)) if p.name is not None} == {UNREADABLE}
    finally:
        db.close()
    assert snapshot(data) == before
    with sqlite3.connect(data / "clerk_desk.sqlite3") as c:
        assert c.execute("SELECT count(*) FROM settings WHERE key = 'after-rekey'").fetchone()[0] == 0


def test_a_sealed_part_is_replaced_in_place_and_an_escaped_one_is_not_missed() -> None:
    """Payload parts are re-sealed as text, every other byte as the desk wrote it; a document whose sealed
    text was written escaped (``\\/``) is written again rather than left under the old key."""
    import json

    old, new = DataKeys(os.urandom(32)), DataKeys(os.urandom(32))
    resealer = rekey._Resealer(old, new)
    purpose = "case_events.payload"
    while "/" not in (sealed := old.seal_json({"a": "端木秋实"}, f"{purpose}.persons")):
        pass
    raw = '{"case_number":  "X-1", "persons": {"$sealed": "' + sealed + '"}, "note": "\\u7ed9"}'
    out = resealer.json_text(raw, purpose, ("persons", "delivery"), "case_events")
    assert out is not None and out.startswith('{"case_number":  "X-1", "persons": {"$sealed": "')
    assert out.endswith('"}, "note": "\\u7ed9"}')
    assert new.open_json(json.loads(out)["persons"]["$sealed"], f"{purpose}.persons") == {"a": "端木秋实"}

    escaped = raw.replace(sealed, sealed.replace("/", "\\/"))
    out = resealer.json_text(escaped, purpose, ("persons", "delivery"), "case_events")
    assert out is not None
    doc = json.loads(out)
    assert new.open_json(doc["persons"]["$sealed"], f"{purpose}.persons") == {"a": "端木秋实"}
    assert doc["case_number"] == "X-1" and doc["note"] == "给"
    assert resealer.json_text('{"case_number": "X-2"}', purpose, ("persons",), "case_events") is None


def test_a_key_folder_that_cannot_be_written_refuses_changing_nothing(
    tmp_path: Path, key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pending key cannot be written (a system key in /etc/clerk-desk and IT not root: root ignores
    modes, so the refusal of the write is made here): the kept copy made for it goes too."""
    data = desk(tmp_path / "data")
    was = state(data, key_file)
    write = machine_key._write_durably

    def refuse_pending(path: Path, data: bytes) -> None:
        if path.name.endswith(machine_key.PENDING_SUFFIX):
            raise PermissionError(13, "Permission denied")
        write(path, data)

    monkeypatch.setattr(machine_key, "_write_durably", refuse_pending)
    with pytest.raises(rekey.RekeyRefused, match="无法在 .* 中写入密钥文件"):
        rekey.rekey(data)
    now = state(data, key_file)
    now.pop("personal-data.key.rotating")
    assert now == was


def test_an_interrupt_that_lands_as_the_commit_returns_keeps_the_key_that_opens_it(
    tmp_path: Path, key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl+C pressed while the COMMIT runs (fsyncing hundreds of MB of -wal) is raised by Python only once
    the COMMIT has returned: the database is then sealed with the new key, and the pending file holding it
    must not be taken for an aborted rotation's and deleted."""
    data = desk(tmp_path / "data")
    before = snapshot(data)
    real_connect = rekey.connect

    class Interrupted:
        def __init__(self, conn: sqlite3.Connection) -> None:
            self._conn = conn

        def __getattr__(self, name: str) -> Any:
            return getattr(self._conn, name)

        def execute(self, sql: str, *args: Any) -> Any:
            out = self._conn.execute(sql, *args)
            if sql == "COMMIT":
                raise KeyboardInterrupt
            return out

    monkeypatch.setattr(rekey, "connect", lambda path: Interrupted(real_connect(path)))
    with pytest.raises(KeyboardInterrupt):
        rekey.rekey(data)
    monkeypatch.undo()
    monkeypatch.setenv(machine_key.ENV_KEY_FILE, str(key_file))
    assert snapshot(data) == before  # the next load puts the new key in place
    assert DataKeys(key_of(key_file)).fingerprint == recorded(data)
    assert clerk_desk(data, "audit", "verify").returncode == 0


def test_a_rotation_started_from_a_key_another_one_has_replaced_since_refuses(
    tmp_path: Path, key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two folders share the key file (Linux). B's rotation read the key, then A's rotation replaced it:
    B must not go on from the key it read, or the key that now seals A (kept nowhere else) would be
    replaced without being kept. And while one rotation holds the key's rotation lock, another waits."""
    a, b = desk(tmp_path / "a"), desk(tmp_path / "b")
    before_a, before_b = snapshot(a), snapshot(b)
    verify = rekey._verify_audit
    rotated: list[subprocess.CompletedProcess[str]] = []

    def a_rotates_meanwhile(c: sqlite3.Connection, old: DataKeys) -> None:
        if not rotated:
            rotated.append(clerk_desk(a, "db", "rekey"))
        verify(c, old)

    monkeypatch.setattr(rekey, "_verify_audit", a_rotates_meanwhile)
    with pytest.raises(rekey.RekeyRefused, match="密钥文件刚被另一次更换改动过"):
        rekey.rekey(b)
    assert rotated[0].returncode == 0, rotated[0].stderr
    assert DataKeys(key_of(key_file)).fingerprint == recorded(a)
    assert snapshot(a) == before_a
    monkeypatch.setattr(rekey, "_verify_audit", verify)

    with machine_key.rotation_lock(key_file) as held:
        assert held
        r = clerk_desk(a, "db", "rekey")
        assert r.returncode == 2 and "正在更换同一个密钥" in r.stderr, r.stderr
    kept = machine_key.kept_path(key_file, recorded(b))
    assert clerk_desk(b, "db", "rekey", "--old-key", str(kept)).returncode == 0
    assert snapshot(b) == before_b and snapshot(a) == before_a


def test_a_desk_between_creating_its_lock_file_and_locking_it_stops_the_rotation(tmp_path: Path, key_file: Path) -> None:
    """QLockFile creates the file, then flocks it, then writes its pid: a command that finds the file empty
    and free to flock has met a desk starting, not a crashed one (an empty lock stops the desk too), and
    must not take the lock from under it."""
    data = desk(tmp_path / "data")
    was = state(data, key_file)
    (data / desk_app.LOCK_FILENAME).touch()
    r = clerk_desk(data, "db", "rekey")
    assert r.returncode == 2 and "正在本机使用数据文件夹" in r.stderr and "空文件：删除它后再试" in r.stderr, r.stderr
    assert state(data, key_file) == was
    assert (data / desk_app.LOCK_FILENAME).read_bytes() == b""  # left to the desk that is starting


def test_a_database_another_process_is_writing_refuses_in_chinese_changing_nothing(
    tmp_path: Path, key_file: Path
) -> None:
    """A headless ``sync run`` left running holds the write lock now and then (it takes no desk lock): the
    rotation cannot begin its transaction. It says so and what to do, rather than a traceback."""
    data = desk(tmp_path / "data")
    was = state(data, key_file)
    writer = sqlite3.connect(data / "clerk_desk.sqlite3", isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        r = clerk_desk(data, "db", "rekey")
        writer.execute("ROLLBACK")
    finally:
        writer.close()
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert "sync run" in r.stderr and "未做任何改动" in r.stderr, r.stderr
    now = state(data, key_file)
    now.pop("personal-data.key.rotating")
    assert now == was



@pytest.mark.parametrize("folder", ["data#1", "data?1", "100%41"])
def test_the_pending_keys_database_is_read_whatever_its_folder_is_called(tmp_path: Path, folder: str) -> None:
    """The settling reads the pending key's database read-only through an SQLite URI: a '#', '?' or '%' in
    its path must neither hide it (the pending key would be left for ever) nor name another file."""
    for name, value in ((folder, "this one"), ("100A", "another")):
        (tmp_path / name).mkdir(exist_ok=True)
        with sqlite3.connect(tmp_path / name / "clerk_desk.sqlite3") as c:
            c.execute("CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT)")
            c.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", (FINGERPRINT_SETTING, value))
    assert machine_key._recorded_fingerprint(tmp_path / folder / "clerk_desk.sqlite3") == "this one"


def test_run_as_another_user_than_the_owner_of_the_database_and_key_it_refuses_touching_nothing(
    tmp_path: Path, key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """IT typing sudo: the new key file and SQLite's -wal/-shm would belong to root, 0600, and the desk
    (run as the clerk's account) could open neither. Refused before anything is opened."""
    data = desk(tmp_path / "data")
    was = state(data, key_file)
    for extra in ("clerk_desk.sqlite3-wal", "clerk_desk.sqlite3-shm"):
        (data / extra).unlink(missing_ok=True)  # the desk closed cleanly: only the database is left
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(data).st_uid + 1)
    with pytest.raises(rekey.RekeyRefused, match="请以该文件所属的用户（即运行 Clerk Desk 的用户；系统安装为 root）的身份运行本命令"):
        rekey.rekey(data)
    assert sorted(p.name for p in data.iterdir() if p.name.startswith("clerk_desk.sqlite3")) == ["clerk_desk.sqlite3"]
    assert state(data, key_file) == was


def test_a_pending_key_is_not_dropped_for_a_database_that_is_not_the_one_it_was_for(
    tmp_path: Path, key_file: Path
) -> None:
    """The rotated folder moved away after its commit and another database put at its path (a copy of another
    folder, a fresh one): that database records neither the old key nor the new one, which proves nothing
    about the commit. The pending key may be the only key of the folder moved away: it is left alone."""
    a, b = desk(tmp_path / "a"), desk(tmp_path / "b")
    before_a = snapshot(a)
    assert clerk_desk(a, "db", "rekey", env={rekey.FAIL_ENV: "committed"}).returncode == 75
    moved = tmp_path / "moved-a"
    a.rename(moved)
    a.mkdir()
    c = sqlite3.connect(b / "clerk_desk.sqlite3", isolation_level=None)
    c.execute("UPDATE settings SET value = 'another-key' WHERE key = ?", (FINGERPRINT_SETTING,))
    c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    c.close()
    (a / "clerk_desk.sqlite3").write_bytes((b / "clerk_desk.sqlite3").read_bytes())
    pending = machine_key.pending_path(key_file).read_bytes()
    assert machine_key.settle_rotation(key_file) is None
    assert machine_key.pending_path(key_file).read_bytes() == pending

    # The folder put back: the rotation completes, and it opens.
    shutil.rmtree(a)
    moved.rename(a)
    assert snapshot(a) == before_a
    assert DataKeys(key_of(key_file)).fingerprint == recorded(a)


def test_a_rotation_under_way_in_another_process_is_not_settled_from_under_it(tmp_path: Path, key_file: Path) -> None:
    """Between writing the pending key and its commit a rotation holds the key's rotation lock. A command
    that loads the key meanwhile (another folder's, a headless one) sees a database still sealed with the old
    key: were it to settle then, it would drop the pending key the rotation is about to commit under."""
    data = desk(tmp_path / "data")
    old = key_of(key_file)
    with machine_key.rotation_lock(key_file) as held:
        assert held
        machine_key.begin_rotation(key_file, old, os.urandom(machine_key.KEY_BYTES), data / "clerk_desk.sqlite3")
        pending = machine_key.pending_path(key_file).read_bytes()
        shown = clerk_desk(data, "site", "show")
        assert shown.returncode == 0, shown.stderr
        assert machine_key.pending_path(key_file).read_bytes() == pending
        assert key_of(key_file) == old
    assert machine_key.settle_rotation(key_file) == "rolled back"  # once it is free: nothing was committed


def test_every_key_file_is_fsynced_before_its_rename_and_the_folder_after_it_before_the_next_step(
    tmp_path: Path, key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a power cut (not a killed process) needs, and the kill tests cannot see: a file's bytes on disk
    before its name points at them, and each rename or removal on disk before the step that relies on it
    (the kept and pending keys before the database commits, the new key before the pending one goes)."""
    data = desk(tmp_path / "data")
    events: list[str] = []
    real_fsync, real_replace, real_sync_folder, real_step = os.fsync, os.replace, machine_key._sync_folder, rekey._step

    def fsync(fd: int) -> None:
        events.append("fsync")
        real_fsync(fd)

    def replace(src: Any, dst: Any) -> None:
        events.append(f"rename {Path(dst).name}")
        real_replace(src, dst)

    def sync_folder(folder: Path) -> None:
        events.append("sync folder")
        real_sync_folder(folder)

    def step(name: str) -> None:
        events.append(f"step {name}")
        real_step(name)

    def unlink(self: Path, missing_ok: bool = False) -> None:
        if self.parent == key_file.parent:
            events.append(f"unlink {self.name}")
        real_unlink(self, missing_ok=missing_ok)

    real_unlink = Path.unlink
    monkeypatch.setattr(machine_key.os, "fsync", fsync)
    monkeypatch.setattr(machine_key.os, "replace", replace)
    monkeypatch.setattr(machine_key, "_sync_folder", sync_folder)
    monkeypatch.setattr(rekey, "_step", step)
    monkeypatch.setattr(Path, "unlink", unlink)
    r = rekey.rekey(data)
    kept, pending, key = r.kept_key.name if r.kept_key else "", key_file.name + ".pending", key_file.name
    folder = ["sync folder", "fsync"]  # the folder's own fsync
    assert events == [
        "fsync", f"rename {kept}", *folder,
        "fsync", f"rename {pending}", *folder,
        "step key_pending", "step resealed", "step committed",
        "fsync", f"rename {key}", *folder,
        "step key_replaced",
        f"unlink {pending}", *folder,
    ]  # fmt: skip


def test_a_database_newer_than_the_program_is_refused_with_what_to_install(tmp_path: Path, key_file: Path) -> None:
    """``db upgrade`` cannot help with a database a newer Clerk Desk wrote: the refusal says to install it."""
    data = desk(tmp_path / "data")
    with sqlite3.connect(data / "clerk_desk.sqlite3") as c:
        c.execute("UPDATE alembic_version SET version_num = '9999_from_a_newer_version'")
    was = state(data, key_file)
    r = clerk_desk(data, "db", "rekey")
    assert r.returncode == 2 and "比本程序新" in r.stderr and "db upgrade" not in r.stderr, r.stderr
    assert state(data, key_file) == was


def test_a_key_file_a_crash_left_half_written_is_removed_when_the_key_is_next_loaded(
    tmp_path: Path, key_file: Path
) -> None:
    """A crash between creating a key file's temporary copy and renaming it leaves an owner-only file with key
    material beside the key; the next key load removes it, once it is older than any write can take (another
    process may be writing one at that moment: a fresh one is left alone)."""
    data = tmp_path / "data"
    key = machine_key.load_or_create(data)
    folder = key_file.parent
    stale = [folder / f"{key_file.name}.tmp-0a1b2c3d", folder / f"{key_file.name}.pending.tmp-1a2b3c4d",
             folder / f"{key_file.name}.old-abcdef.tmp-2a3b4c5d"]  # fmt: skip
    fresh = folder / f"{key_file.name}.tmp-3a4b5c6d"
    other = folder / "notes.tmp-4a5b6c7d"  # not a key file: not ours to remove
    old = os.path.getmtime(key_file) - machine_key.STALE_AFTER_S - 60
    for f in (*stale, fresh, other):
        f.write_bytes(b"half a key")
        os.chmod(f, 0o600)
    for f in (*stale, other):
        os.utime(f, (old, old))
    assert machine_key.load_or_create(data) == key
    assert sorted(p.name for p in folder.iterdir()) == sorted([key_file.name, fresh.name, other.name])
