"""The outbox reaches a real hub exactly once; another desk of the site sees the case."""

from __future__ import annotations

from pathlib import Path

import keyring
from sqlalchemy import func, select

from clerk_desk.services import site_setup
from clerk_desk.services.intake_forms import Delivery
from clerk_desk.store.models import Case, CaseEvent
from clerk_desk.sync import outbox
from clerk_desk.sync.credentials import os_account
from tests.services.test_intake import ID, PENSION, form  # the same realistic intake
from tests.support.tcp_proxy import TcpProxy
from tests.sync.conftest import Desk, make_desk


def accept(desk: Desk) -> str:
    return desk.intake.accept(form(), desk.clerk, delivery=Delivery("window")).cases[0].case_uuid


def test_enrolment_keeps_the_token_in_the_keyring_only(hub, tmp_path: Path) -> None:
    url, admin = hub
    desk = make_desk(tmp_path / "desk", url, admin)
    device = site_setup.site_info(desk.db).device_code
    token = keyring.get_password("clerk-desk", f"{url}|{device}|{os_account()}")
    assert token and len(token) > 20
    raw = b"".join(p.read_bytes() for p in (tmp_path / "desk").rglob("*") if p.is_file())
    assert token.encode() not in raw  # not in the database, the WAL, the logs or any file
    assert desk.engine.run_once() == desk.engine.interval_s
    assert desk.engine.status().link_up and desk.engine.status().enrolled


def test_every_event_is_stored_once_and_the_other_desk_sees_the_case(hub, tmp_path: Path) -> None:
    url, admin = hub
    a = make_desk(tmp_path / "a", url, admin)
    b = make_desk(tmp_path / "b", url, admin)
    uid = accept(a)
    a.intake.transfer(uid, a.clerk)
    a.engine.run_once()
    with a.db.reading() as s:
        states = list(s.scalars(select(CaseEvent.push_state).where(CaseEvent.case_uuid == uid)))
        assert states == ["stored", "stored"]
        assert s.get(Case, uid).acked_version == 2
    assert outbox.counts(a.db).waiting == 0
    a.engine.run_once()  # nothing left: a second cycle sends nothing again
    b.engine.run_once()
    with b.db.reading() as s:
        case = s.get(Case, uid)
        assert case is not None and case.status == "transferred" and case.item_name == PENSION.name
        assert s.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_uuid == uid)) == 2
    from clerk_desk.services.case_read import read_case

    applicant = read_case(b.db, uid).parties.applicant
    assert applicant is not None and applicant.id_number == ID


def test_offline_work_is_delivered_when_the_link_comes_back(hub, tmp_path: Path) -> None:
    url, admin = hub
    port = int(url.rsplit(":", 1)[1])
    with TcpProxy(("127.0.0.1", port)) as proxy:
        desk = make_desk(tmp_path / "desk", proxy.url, admin)
        proxy.down()
        uids = [accept(desk) for _ in range(5)]  # the clerk keeps working
        delay = desk.engine.run_once()
        st = desk.engine.status()
        assert st.link_up is False and st.waiting == 5 and st.last_error
        assert 0 < delay <= desk.engine.backoff.cap_s
        with desk.db.reading() as s:
            assert set(s.scalars(select(CaseEvent.push_state))) == {"pending"}
        proxy.up()
        desk.engine.run_once()
    assert desk.engine.status().waiting == 0 and desk.engine.status().link_up
    with desk.db.reading() as s:
        assert {s.get(Case, u).acked_version for u in uids} == {1}


def test_answer_lost_after_the_hub_committed_is_not_applied_twice(hub, tmp_path: Path) -> None:
    url, admin = hub
    port = int(url.rsplit(":", 1)[1])
    with TcpProxy(("127.0.0.1", port)) as proxy:
        a = make_desk(tmp_path / "a", proxy.url, admin)
        uid = accept(a)
        a.engine.run_once()  # push goes out, nothing cut yet
        a.intake.transfer(uid, a.clerk)
        proxy.cut_responses = 1  # the health probe answer is cut: link down, nothing sent
        a.engine.run_once()
        assert a.engine.status().link_up is False
        # Now cut the push answer itself: probe passes, the push commits at the hub, the answer is lost.
        original = a.engine._push_all

        def cut_then_push(client):  # type: ignore[no-untyped-def]
            proxy.cut_responses = 1
            return original(client)

        a.engine._push_all = cut_then_push  # type: ignore[method-assign]
        a.engine.run_once()
        assert proxy.responses_cut == 2
        with a.db.reading() as s:
            assert s.scalars(select(CaseEvent.push_state).where(CaseEvent.type == "transferred")).one() == "pending"
        a.engine._push_all = original  # type: ignore[method-assign]
        a.engine.run_once()  # re-sent: the hub answers duplicate
    with a.db.reading() as s:
        ev = s.scalars(select(CaseEvent).where(CaseEvent.type == "transferred")).one()
        assert ev.push_state in ("duplicate", "stored") and ev.attempts == 2
    b = make_desk(tmp_path / "b", url, admin)
    b.engine.run_once()
    with b.db.reading() as s:
        assert s.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_uuid == uid)) == 2


def test_hub_directory_allows_offline_sign_in(hub, tmp_path: Path) -> None:
    from clerk_desk.domain.errors import AuthError
    from clerk_desk.services import accounts

    url, admin = hub
    admin.user("zhaoli", "Window-2026", roles=("clerk",), site="421224100", display_name="赵丽")
    port = int(url.rsplit(":", 1)[1])
    with TcpProxy(("127.0.0.1", port)) as proxy:
        desk = make_desk(tmp_path / "desk", proxy.url, admin)
        desk.engine.run_once()
        proxy.down()  # the link drops; she still signs in with what the hub sent
        assert accounts.authenticate(desk.db, "zhaoli", "Window-2026").display_name == "赵丽"
        import pytest

        with pytest.raises(AuthError):
            accounts.authenticate(desk.db, "zhaoli", "wrong-pass-1")
