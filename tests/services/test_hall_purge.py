"""Purge reaches the hall records (services/purge.py): a consultation's or a 帮办代办's person details leave
the record and its events once it ended before the retention cutoff and the hub confirmed its events; a
record still waiting for the hub, or still open, keeps them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from clerk_desk.services import accounts, consultation, demo, purge, site_setup
from clerk_desk.services.consultation import AssistRequest, Consultation, Contact
from clerk_desk.services.intake import Clerk
from clerk_desk.store.database import Database
from clerk_desk.store.models import CaseEvent, HallRecord

THEN = datetime(2026, 1, 5, 2, tzinfo=UTC)
NOW = THEN + timedelta(days=400)


@pytest.fixture
def hall(tmp_path: Path) -> Iterator[tuple[Database, Clerk]]:
    db = Database(tmp_path / "data")
    demo.ensure_demo_site(db)
    u = next(u for u in accounts.list_users(db) if u.username == "clerk1")
    w = site_setup.list_windows(db)[0]
    yield db, Clerk(u.id, u.username, u.display_name, w.id, w.name)
    db.close()


def test_old_confirmed_records_lose_their_person_details(hall: tuple[Database, Clerk]) -> None:
    db, clerk = hall
    done = consultation.log_consultation(db, clerk, Consultation("社保卡补办", contact=Contact("王五", "13700000002")),
                                         now=THEN)
    waiting = consultation.log_consultation(db, clerk, Consultation("医保报销", contact=Contact("赵六")), now=THEN)
    still_open = consultation.open_assist(db, clerk, AssistRequest(Contact("钱七"), "医保缴费"), now=THEN)
    with db.transaction() as s:  # the hub confirmed all but the second consultation's event
        s.execute(update(CaseEvent).where(CaseEvent.case_uuid != waiting).values(push_state="stored"))
    assert purge.purge(db, now=NOW, dry_run=True).records == 1
    report = purge.purge(db, now=NOW)
    assert report.records == 1
    with db.reading() as s:
        rec = {r.uuid: r for r in s.scalars(select(HallRecord))}
        assert "person" not in rec[done].data and rec[done].data["topic"] == "社保卡补办"
        assert rec[waiting].data["person"]["name"] == "赵六"
        assert rec[still_open].data["person"]["name"] == "钱七"
        [ev] = s.scalars(select(CaseEvent).where(CaseEvent.case_uuid == done)).all()
        assert "persons" not in ev.payload and ev.payload["record"]["data"]["topic"] == "社保卡补办"
    assert purge.purge(db, now=NOW).records == 0  # nothing left to do


def test_a_person_s_id_and_phone_typed_in_full_width_are_kept_in_ascii(hall: tuple[Database, Clerk]) -> None:
    """咨询 and 帮办代办 keep a contact's ID and phone as the check reads them, as intake does: an input method's
    full-width digits (１１０１…ｘ) were kept as typed."""
    db, clerk = hall
    contact = Contact("王五", "１３７ ００００ ０００２", "１１０１０５１９４９１２３１００２ｘ")
    uid = consultation.log_consultation(db, clerk, Consultation("社保卡补办", contact=contact), now=THEN)
    with db.reading() as s:
        person = s.get(HallRecord, uid).data["person"]  # type: ignore[union-attr]
    assert (person["id_number"], person["phone"]) == ("11010519491231002X", "13700000002")
