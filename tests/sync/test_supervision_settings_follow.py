"""The county's supervision values (签收 minutes, result days) are set at the hub and reach every desk's 督办
page by the desk's own sync cycle, over a real hub on 127.0.0.1 (docs/supervision.md, "County-set values")."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from clerk_desk.domain import supervision as sv
from clerk_desk.domain.errors import InputError
from clerk_desk.services import supervision, supervision_rules
from clerk_desk.services.intake_forms import Delivery
from clerk_desk.sync import follow
from county_hub import publications
from county_hub.cli import main as hub_cli
from county_hub.db import write_engine
from tests.services.test_intake import form
from tests.support.hub_server import HubAdmin
from tests.sync.conftest import Desk, make_desk

T0 = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # a Monday, 10:00 in the hall


def _sign_alerts(desk: Desk, now: datetime) -> list[sv.Alert]:
    return [r.alert for r in supervision.scan(desk.db, now).rows if r.alert.stage is sv.Stage.SIGN]


def _handed_over(desk: Desk) -> str:
    """A case accepted at T0 and handed to the back office five minutes later, not signed for."""
    uid = desk.intake.accept(form(), desk.clerk, delivery=Delivery("window"), now=T0).cases[0].case_uuid
    desk.intake.transfer(uid, desk.clerk, now=T0 + timedelta(minutes=5))
    return uid


def _set_at_hub(hub_url_db: str, *args: str) -> None:
    assert hub_cli(["supervision", "set", *args, "--db", hub_url_db]) == 0


def test_values_set_at_the_hub_change_the_desks_list(hub: tuple[str, HubAdmin], tmp_path: Path) -> None:
    url, admin = hub
    db_url = admin.engine.url.render_as_string(hide_password=False)
    desk = make_desk(tmp_path / "d", url, admin)
    uid = _handed_over(desk)
    at = T0 + timedelta(minutes=5 + 40)  # forty minutes after the hand-over

    # Before any publication: the defaults (30 minutes), or what county IT set on this desk by hand.
    assert [a.case_uuid for a in _sign_alerts(desk, at)] == [uid]
    desk.engine.run_once()  # nothing published: nothing changes, nothing fails
    assert desk.engine.status().follow_fault is None and supervision_rules.county(desk.db) is None
    supervision.save_rules(desk.db, sv.Rules(sign_minutes=60, result_days=5))
    assert _sign_alerts(desk, at) == []  # 60 minutes: not yet in its last quarter

    # The county sets 20 minutes at the hub: the desk's next cycle takes it and the list follows.
    _set_at_hub(db_url, "--sign-minutes", "20")
    desk.engine.run_once()
    assert supervision_rules.county(desk.db) is not None
    assert supervision.rules(desk.db) == sv.Rules(sign_minutes=20, result_days=5)
    [late] = _sign_alerts(desk, at)
    assert (late.case_uuid, late.level, late.deadline) == (uid, sv.Level.RED, T0 + timedelta(minutes=25))
    assert follow.state(desk.db)["supervision"]["label"] == "1"

    # Set by hand on the desk now: refused, the county's values stay.
    with pytest.raises(InputError, match="县级平台已发布督办时限"):
        supervision.save_rules(desk.db, sv.Rules(sign_minutes=90, result_days=5))
    assert supervision.rules(desk.db).sign_minutes == 20

    # The county changes its mind (90 minutes, 3 days): the next cycle again; unchanged after that.
    _set_at_hub(db_url, "--sign-minutes", "90", "--result-days", "3")
    desk.engine.run_once()
    assert supervision.rules(desk.db) == sv.Rules(sign_minutes=90, result_days=3)
    assert _sign_alerts(desk, at) == []
    client = desk.engine._client_factory()
    assert client is not None
    try:
        assert follow.follow_supervision(desk.db, client) is None  # If-None-Match: nothing downloaded
    finally:
        client.close()


def test_the_hub_refuses_values_out_of_bounds_and_a_bad_file(
    hub: tuple[str, HubAdmin], capsys: pytest.CaptureFixture[str]
) -> None:
    _url, admin = hub
    db_url = admin.engine.url.render_as_string(hide_password=False)
    assert hub_cli(["supervision", "set", "--sign-minutes", "0", "--db", db_url]) == 2  # the CLI's refusal
    assert "签收时限应在 1 至 1440 分钟之间" in capsys.readouterr().err
    assert hub_cli(["supervision", "set", "--db", db_url]) == 2
    assert "--sign-minutes" in capsys.readouterr().err
    bad = json.dumps({"format": "clerk-desk-supervision", "format_version": 1, "version": "1",
                      "sign_minutes": "30", "result_days": 400}).encode()  # fmt: skip
    with write_engine(admin.engine).begin() as conn, pytest.raises(publications.FileRefused) as refused:
        publications.publish(conn, "supervision", bad, "test")
    assert len(refused.value.problems) == 2 and "结果领取期限" in str(refused.value)
    with write_engine(admin.engine).begin() as conn:
        assert publications.latest(conn, "supervision") is None
