"""Personal data at rest (docs/personal-data.md): written through the real services, it reads back and
is found by search, yet the raw bytes of the database, its -wal and a backup hold none of it; a
database from before the sealing is upgraded the same way; another PC's database says it cannot be read."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from clerk_desk.domain.identifiers import compute_resident_id_check_char
from clerk_desk.services import accounts, case_queries, demo, drafts, site_setup
from clerk_desk.services.intake import Clerk, IntakeService
from clerk_desk.services.intake_forms import Delivery, IntakeForm, MaterialCheck, Party
from clerk_desk.store import migrate
from clerk_desk.store.data_keys import UNREADABLE, PersonalDataLocked
from clerk_desk.store.database import Database
from clerk_desk.store.models import Case
from clerk_desk.sync import outbox
from clerk_desk.sync.apply import apply_events
from tests.services.test_intake import PENSION
from tests.store.raw_scan import database_files, found


def resident_id(first17: str) -> str:
    return first17 + compute_resident_id_check_char(first17)


APPLICANT = {"name": "欧阳明珠", "id_number": resident_id("42122419850317123"), "phone": "13907151234",
             "address": "通山县九宫山镇石门村十二组"}  # fmt: skip
AGENT = {"name": "司马青云", "id_number": resident_id("42122419900101456"), "phone": "15907157788"}
POSTAL = "咸宁市温泉路甲八号"
PULLED = {"name": "上官雪梅", "id_number": resident_id("42122419770707789"), "phone": "18671512345",
          "address": "通山县大畈镇长滩村"}  # fmt: skip
DRAFTED = {"name": "诸葛春华", "id_number": resident_id("42122420010203321"), "phone": "13300001111"}
SECRETS = [v for p in (APPLICANT, AGENT, PULLED, DRAFTED) for v in p.values()] + [POSTAL]


def clerk_of(db: Database) -> Clerk:
    u = next(u for u in accounts.list_users(db) if u.username == "clerk1")
    w = site_setup.list_windows(db)[0]
    return Clerk(u.id, u.username, u.display_name, w.id, w.name)


def pulled_event(person_id: str, serial: int = 1) -> dict[str, object]:
    at = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
    return {
        "uuid": str(uuid.uuid4()),
        "case_uuid": str(uuid.uuid4()),
        "case_version": 0,
        "type": "accepted",
        "side": "window",
        "site_code": demo.DEMO_SITE[0],
        "department_code": "rs",
        "actor": "clerk9",
        "device_code": "09",
        "occurred_at": at.isoformat().replace("+00:00", "Z"),
        "seq": 40 + serial,
        "payload": {
            "case_number": f"421224100-09-20261130-{serial:06d}",
            "item_code": PENSION.code,
            "item_name": PENSION.name,
            "applicant_id": person_id,
            "agent_id": None,
            "window_id": None,
            "days": 3,
            "days_confirmed": False,
            "due_at": (at + timedelta(days=5)).isoformat(),
            "calendar_version": "file:2026-1",
            "delivery": {"method": "post", "address": PULLED["address"], "contact": PULLED["phone"]},
            "persons": {person_id: {"kind": "person", **PULLED}},
        },
    }


def fill(db: Database) -> dict[str, str]:
    """One accept with an agent and a postal address, one draft, one pulled case; returns case uuids."""
    clerk = clerk_of(db)
    form = IntakeForm(
        items=(PENSION,),
        applicant=Party("person", **APPLICANT),
        agent=Party("person", **AGENT, relation="受托人"),
        checklist=(MaterialCheck("居民身份证", provided=True, form="original", copies=1),),
    )
    accepted = IntakeService(db).accept(
        form, clerk, delivery=Delivery("post", address=POSTAL, contact=APPLICANT["phone"])
    )
    drafts.save(db, draft_id=None, user_id=clerk.user_id, window_id=clerk.window_id,
                data={"form": {"applicant": DRAFTED}, "step": "applicant"})  # fmt: skip
    event = pulled_event(str(uuid.uuid4()))
    with db.transaction() as s:
        apply_events(s, [event])
    return {"accepted": accepted.cases[0].case_uuid, "pulled": str(event["case_uuid"])}


def test_written_through_the_services_it_reads_back_but_no_file_holds_it(tmp_path: Path) -> None:
    db = Database(tmp_path / "data")
    demo.ensure_demo_site(db)
    cases = fill(db)
    backup = migrate.backup(db.path, label="manual")

    # It all reads back, and search finds it.
    mine = case_queries.get_case(db, cases["accepted"])
    assert {k: mine["applicant"][k] for k in APPLICANT} == APPLICANT
    assert mine["agent"]["name"] == AGENT["name"] and mine["details"]["delivery"]["address"] == POSTAL
    theirs = case_queries.get_case(db, cases["pulled"])
    assert {k: theirs["applicant"][k] for k in PULLED} == PULLED
    assert theirs["details"]["delivery"]["address"] == PULLED["address"]
    pulled_payload = case_queries.timeline(db, cases["pulled"])[0].payload
    assert next(iter(pulled_payload["persons"].values()))["id_number"] == PULLED["id_number"]
    (draft,) = drafts.pending(db, clerk_of(db).user_id)
    assert draft.data["form"]["applicant"] == DRAFTED

    def search(text: str) -> set[str]:
        return {r.uuid for r in case_queries.page(db, case_queries.CaseFilter(text=text)).rows}

    assert search(APPLICANT["id_number"]) == {cases["accepted"]}
    assert search(APPLICANT["id_number"].lower()) == {cases["accepted"]}  # either case of the X
    assert search(AGENT["id_number"]) == {cases["accepted"]}
    assert search("欧阳") == search("欧阳明珠") == {cases["accepted"]}
    assert search("上官雪") == {cases["pulled"]}
    assert search("欧阳明珠珠") == set()
    assert {r.applicant_name for r in case_queries.page(db, case_queries.CaseFilter()).rows} == {
        APPLICANT["name"], PULLED["name"]}  # fmt: skip

    # The raw bytes: the database, its -wal (the desk still has it open), the backup.
    files = database_files(tmp_path / "data")
    names = {f.name for f in files}
    assert {"clerk_desk.sqlite3", "clerk_desk.sqlite3-wal", backup.name} <= names
    assert found(SECRETS, files) == []
    db.close()
    assert found(SECRETS, database_files(tmp_path / "data")) == []  # after the last checkpoint too


def test_the_scan_itself_finds_plaintext(tmp_path: Path) -> None:
    """The check above is worth something: the same scan finds the values in a database from before."""
    db_path = tmp_path / "old" / "clerk_desk.sqlite3"
    db_path.parent.mkdir()
    migrate.upgrade(db_path, make_backup=False, target="0003_intake")
    seed_plaintext(db_path, with_drafts=True)
    hits = {value for _file, value in found(SECRETS[:4] + [POSTAL], database_files(db_path.parent))}
    assert hits == set(SECRETS[:4]) | {POSTAL}


def seed_plaintext(db_path: Path, *, with_drafts: bool) -> None:
    """Rows as an app before migration 0004 wrote them: personal data in clear, JSON with \\u escapes."""
    import json
    import sqlite3

    from clerk_desk.store.sqlite_file import json_to_db

    now = "2026-11-20 02:00:00.000000"
    with sqlite3.connect(db_path) as c:
        c.execute("INSERT INTO sites(code, name) VALUES ('421224100', '通羊镇便民服务中心')")
        c.execute("INSERT INTO departments(code, name, sort_order) VALUES ('rs', '人社', 0)")
        c.execute("INSERT INTO users(id, username, display_name, password_verifier, roles, active, failed_logins,"
                  " must_change_password, source, created_at) VALUES ('u1', 'clerk1', '张小红', 'scrypt$x',"
                  " '[\"clerk\"]', 1, 0, 0, 'local', ?)", (now,))  # fmt: skip
        c.execute("INSERT INTO persons(id, kind, name, id_number, phone, address, created_at) VALUES"
                  " ('p1', 'person', ?, ?, ?, ?, ?)", (*APPLICANT.values(), now))  # fmt: skip
        c.execute("INSERT INTO persons(id, kind, name, id_number, phone, created_at) VALUES"
                  " ('p2', 'person', ?, ?, ?, ?)", (*AGENT.values(), now))  # fmt: skip
        details = {
            "checklist": [],
            "delivery": {"method": "post", "address": POSTAL, "contact": APPLICANT["phone"]},
        }
        c.execute(
            "INSERT INTO cases(uuid, case_number, site_code, department_code, item_code, item_name, status, version,"
            " acked_version, pledge_open, withdrawal_requested, applicant_id, agent_id, device_code, urgent,"
            " details, created_at, updated_at) VALUES ('c1', '421224100-01-20261120-000001', '421224100', 'rs',"
            " ?, ?, 'accepted', 1, 0, 0, 0, 'p1', 'p2', '01', 0, ?, ?, ?)",
            (PENSION.code, PENSION.name, json_to_db(details), now, now),
        )
        payload = {"case_number": "421224100-01-20261120-000001", "applicant_id": "p1", "agent_id": "p2",
                   "delivery": details["delivery"], "persons": {"p1": {"kind": "person", **APPLICANT}}}  # fmt: skip
        c.execute(
            "INSERT INTO case_events(uuid, case_uuid, case_version, type, side, payload, actor, device_code,"
            " occurred_at, device_seq, origin, push_state, attempts) VALUES ('e1', 'c1', 0, 'accepted', 'window',"
            " ?, 'clerk1', '01', ?, 1, 'local', 'pending', 0)",
            (json.dumps(payload), now),
        )
        for action in ("login", "site_set"):
            c.execute(
                "INSERT INTO audit_log(at, actor, action, detail) VALUES (?, 'clerk1', ?, '{}')",
                (now, action),
            )
        if with_drafts:
            c.execute("INSERT INTO intake_drafts(id, user_id, data, created_at, updated_at) VALUES"
                      " ('d1', 'u1', ?, ?, ?)", (json_to_db({"form": {"applicant": DRAFTED}}), now, now))  # fmt: skip


@pytest.mark.parametrize("start", ["0001_foundation", "0002_catalog", "0003_intake"])
def test_a_database_from_before_is_sealed_and_scrubbed_on_upgrade(tmp_path: Path, start: str) -> None:
    data = tmp_path / "data"
    data.mkdir()
    db_path = data / "clerk_desk.sqlite3"
    migrate.upgrade(db_path, make_backup=False, target=start)
    has_drafts = start == "0003_intake"
    seed_plaintext(db_path, with_drafts=has_drafts)
    migrate.backup(db_path, label="manual")  # an older backup in the data folder, plaintext too
    secrets = SECRETS[:4] + [POSTAL] + ([*DRAFTED.values()] if has_drafts else [])
    assert found(secrets, database_files(data))  # there before

    db = Database(data)  # opening upgrades
    assert db.migration is not None and db.migration.after == migrate.head_revision()
    case = case_queries.get_case(db, "c1")
    assert {k: case["applicant"][k] for k in APPLICANT} == APPLICANT
    assert (
        case["agent"]["id_number"] == AGENT["id_number"] and case["details"]["delivery"]["address"] == POSTAL
    )
    payload = case_queries.timeline(db, "c1")[0].payload
    assert (
        payload["persons"]["p1"]["name"] == APPLICANT["name"]
        and payload["delivery"]["contact"] == APPLICANT["phone"]
    )
    for text in (APPLICANT["id_number"], "欧阳", AGENT["id_number"]):
        assert [r.uuid for r in case_queries.page(db, case_queries.CaseFilter(text=text)).rows] == ["c1"]
    if has_drafts:
        assert drafts.pending(db, "u1")[0].data["form"]["applicant"] == DRAFTED
    with db.plain_reading() as c:
        from clerk_desk.store import audit_chain

        verdict = audit_chain.verify(c.execute, db.keys)
    assert verdict.ok and verdict.entries == 2

    files = database_files(data)
    assert (
        len([f for f in files if f.parent.name == "backups"]) == 2
    )  # the manual one and the pre-upgrade one
    for backup in (f for f in files if f.parent.name == "backups"):
        assert migrate.current_revision(backup) == migrate.head_revision()
    assert found(secrets, files) == []
    db.close()


def test_another_pcs_database_says_it_cannot_be_read_and_takes_nothing_new(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database(tmp_path / "pc1")
    demo.ensure_demo_site(db)
    uid = fill(db)["accepted"]
    backup = migrate.backup(db.path, label="manual")
    db.close()

    monkeypatch.setenv("CLERK_DESK_KEY_FILE", str(tmp_path / "pc2-key" / "personal-data.key"))
    other = tmp_path / "pc2"
    other.mkdir()
    migrate.restore(backup, other / "clerk_desk.sqlite3")
    db2 = Database(other)
    assert not db2.keys.readable
    rows = case_queries.page(db2, case_queries.CaseFilter()).rows
    assert {r.applicant_name for r in rows} == {UNREADABLE}
    case = case_queries.get_case(db2, uid)
    assert (
        case["applicant"]["name"] == UNREADABLE and case["item_name"] == PENSION.name
    )  # the rest still shows
    with pytest.raises(PersonalDataLocked) as err:
        fill(db2)
    assert "另一台电脑的密钥" in err.value.message_zh
    with pytest.raises(PersonalDataLocked):
        outbox.claim(db2)
    with db2.reading() as s:
        assert s.query(Case).count() == 2  # nothing half-written by the refused intake
    db2.close()
