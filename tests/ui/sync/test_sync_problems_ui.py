"""What the clerk sees when sync goes wrong: Chinese only (never a code or an English word), what happened,
that it is retried, and what to do. Real engines against the real hub where a real fault can be made
here; every status and every reason the engine can record, rendered by the status bar item and the panel.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select, update

from clerk_desk.services import accounts, demo
from clerk_desk.store.database import Database
from clerk_desk.store.models import CaseEvent, Setting
from clerk_desk.sync import engine as engine_mod
from clerk_desk.sync import enrolment
from clerk_desk.sync.engine import Backoff, SyncEngine, SyncStatus
from clerk_desk.sync.hub_client import BadAnswer
from clerk_desk.ui.sync.status_widget import SyncStatusWidget
from clerk_desk.ui.sync.sync_panel import SyncPanel
from clerk_desk.ui.task_runner import SyncTaskRunner
from tests.support.tcp_proxy import TcpProxy
from tests.ui.sync.conftest import (
    PLAIN_PASSWORD,
    Hub,
    accept,
    enrolled_demo_folder,
    plain_site_folder,
    shows,
    sign_in_clerk,
    status_widget,
)

LATIN = re.compile(r"[A-Za-z][A-Za-z_]+")
ALLOWED = {"https", "CA", "Windows"}  # words a Chinese clerk reads as such
FAULTS = [engine_mod.INSECURE_HUB_URL, engine_mod.DATABASE_BUSY, engine_mod.DATABASE_READ_ONLY, engine_mod.DISK_FULL,
          engine_mod.DATABASE_ERROR, engine_mod.INTERNAL, engine_mod.WORKER_STOPPED, engine_mod.PERSONAL_DATA_LOCKED]
LINK_ERRORS = [
    "HTTPConnectionPool(host='127.0.0.1', port=1): Max retries exceeded (Caused by NewConnectionError: refused)",
    "TLS: HTTPSConnectionPool: certificate verify failed: unable to get local issuer certificate",
    str(BadAnswer("/events is not JSON (0 bytes)")),
    "hub answered 503",
    "body_too_large: the body is larger than 8388608 bytes",
    "too_many_requests: slow down",
    "teapot: I'm a teapot",  # a code nobody mapped: plain words, not the hub's English
    "ChunkedEncodingError: Connection broken: IncompleteRead(12 bytes read, 30 more expected)",
]


def english(text: str) -> set[str]:
    return {w for w in LATIN.findall(text) if w not in ALLOWED}


@pytest.mark.parametrize("fault", FAULTS)
def test_every_fault_is_said_in_chinese(fault: str, qtbot) -> None:
    widget = SyncStatusWidget()
    qtbot.addWidget(widget)
    st = SyncStatus(enrolled=True, link_up=True, waiting=3, fault=fault, fault_detail="OperationalError: locked",
                    worker_restarts=1 if fault == engine_mod.WORKER_STOPPED else 0)
    widget.set_status(st)
    assert widget.texts()[0] == ("连接不安全" if fault == engine_mod.INSECURE_HUB_URL else "同步出错")
    assert "#c0392b" in widget.link.styleSheet()
    said = widget.toolTip()
    assert not english(" ".join(widget.texts()) + said), said
    assert fault not in said and "locked" not in said  # the technical text stays in the log
    if fault == engine_mod.INSECURE_HUB_URL:
        assert "重新注册" in said and "https" in said
    elif fault == engine_mod.PERSONAL_DATA_LOCKED:
        assert "密钥" in said and "暂不上传" in said
    else:
        assert "自动" in said  # retried by itself


def test_link_errors_restarts_and_waiting_reasons_are_said_in_chinese(qtbot, tmp_path: Path) -> None:
    widget = SyncStatusWidget()
    qtbot.addWidget(widget)
    for raw in LINK_ERRORS:
        widget.set_status(SyncStatus(enrolled=True, link_up=False, waiting=1, last_error=raw,
                                     worker_restarts=2, last_restart_at=None))
        said = " ".join(widget.texts()) + widget.toolTip()
        assert not english(said), (raw, said)
    assert "回应不完整或无法识别" in SyncStatusWidget.tooltip(widget, SyncStatus(
        enrolled=True, link_up=False, last_error=LINK_ERRORS[2]))
    assert "已自动重新启动（共 2 次" in widget.toolTip()

    # The panel: records waiting for every reason the engine keeps, records returned for any code.
    db = Database(tmp_path / "desk")
    demo.ensure_demo_site(db)
    uids = [accept(db) for _ in range(9)]
    states = [("in_flight", None), ("pending", "sync_fault database_busy"), ("pending", LINK_ERRORS[2]),
              ("pending", LINK_ERRORS[0]), ("held", "held: earlier event accepted was rejected"),
              ("rejected", "actor_not_authorized: actor wangfang held no approver role then"),
              ("rejected", "stale_version: case is at version 2"), ("rejected", "teapot: I'm a teapot"),
              ("rejected", "occurred_in_future: 记录时间比县级平台的时钟晚 12 分钟")]
    with db.transaction() as s:
        for uid, (state, reason) in zip(uids, states, strict=True):
            s.execute(update(CaseEvent).where(CaseEvent.case_uuid == uid).values(push_state=state, last_error=reason))
    panel = SyncPanel(db, SyncTaskRunner())
    qtbot.addWidget(panel)
    panel.set_status(SyncStatus(enrolled=True, link_up=True, waiting=5, fault=engine_mod.DATABASE_BUSY,
                                worker_restarts=1))
    panel.show()
    qtbot.waitUntil(lambda: panel.waiting.rowCount() == 5 and panel.problems.rowCount() == 5)
    cells = [t.item(r, c).text() for t in (panel.waiting, panel.problems)
             for r in range(t.rowCount()) for c in range(t.columnCount())]
    shown = " ".join([panel.summary.text(), panel.waiting_title.text(), panel.problems_title.text(), *cells])
    assert not english(shown), english(shown)
    assert "正被其他程序占用" in panel.summary.text() and "已自动重新启动" in panel.summary.text()
    assert "正在上传" in cells and "不认可此操作记录的经办人" in shown
    assert "记录时间比县级平台的时钟晚 12 分钟" in cells and "校准时钟" in shown  # the hub's own words, and what to do
    db.close()


def test_a_desk_enrolled_over_http_says_not_secure_and_what_to_do(hub: Hub, start, qtbot, tmp_path: Path) -> None:
    folder = enrolled_demo_folder(tmp_path / "desk", hub.url, hub.code())
    db = Database(folder)
    with db.transaction() as s:  # as if enrolled over http to a host on the extranet, before https was required
        s.get(Setting, enrolment.HUB_URL).value = "http://hub.tongshan.gov.cn:8765"
    db.close()
    s = start(data_dir=folder)
    sign_in_clerk(s)
    qtbot.waitUntil(shows(s, "连接不安全", "待上传 0"), timeout=10_000)
    widget = status_widget(s)
    assert "不再向该地址发送凭据" in widget.toolTip() and "重新注册" in widget.toolTip()
    panel = s.controller.sync.open_panel()
    assert "重新注册" in panel.summary.text() and not english(panel.summary.text())


def test_an_unreadable_answer_is_shown_and_the_record_is_sent_again(hub: Hub, start, qtbot, tmp_path: Path) -> None:
    with TcpProxy(("127.0.0.1", hub.port)) as proxy:
        seen: list[SyncStatus] = []

        def factory(db, client_factory) -> SyncEngine:  # type: ignore[no-untyped-def]
            engine = SyncEngine(db, client_factory, interval_s=3600, backoff=Backoff(base_s=30, cap_s=30), seed=1)
            engine.listeners.append(seen.append)
            return engine

        s = start(data_dir=enrolled_demo_folder(tmp_path / "desk", proxy.url, hub.code()))
        s.controller.engine_factory = factory
        sign_in_clerk(s)
        qtbot.waitUntil(shows(s, "已连接", "待上传 0"), timeout=10_000)
        plan = proxy.on_response(b"POST /api/v1/events", corrupt=True)  # 200 OK, but not JSON
        uid = accept(s.launch.db)
        qtbot.waitUntil(shows(s, "未连接", "待上传 1"), timeout=10_000)
        assert plan.request_seen.is_set() and plan.forwarded > 0  # the hub answered; the desk could not read it
        widget = status_widget(s)
        assert "县级平台的回应不完整或无法识别" in widget.toolTip() and not english(widget.toolTip())
        s.controller.sync.sync_now()  # or wait for the backoff
        qtbot.waitUntil(shows(s, "已连接", "待上传 0"), timeout=10_000)
    with s.launch.db.reading() as session:
        assert session.scalars(select(CaseEvent.push_state).where(CaseEvent.case_uuid == uid)).one() == "duplicate"


def test_a_local_account_the_hub_also_names_is_kept_and_said_once(hub: Hub, start, qtbot, tmp_path: Path) -> None:
    """A hall PC set up on its own (local admin and clerk1), then enrolled; the hub also has users named
    admin and clerk1 (with other passwords)."""
    folder = plain_site_folder(tmp_path / "pc")
    db = Database(folder)
    enrolment.enrol(db, hub.url, hub.code())
    db.close()
    s = start(demo=False, data_dir=folder)
    s.sign_in("clerk1", PLAIN_PASSWORD)  # the local password still signs in after the hub's directory came
    sync = s.controller.sync
    qtbot.waitUntil(lambda: sync.directory_notice is not None, timeout=10_000)
    notice = sync.directory_notice
    assert notice.isVisible() and "admin、clerk1" in notice.text() and "保持不变" in notice.text()
    assert not notice.isModal() and not english(notice.text().replace("admin", "").replace("clerk1", ""))
    notice.findChild(object, "syncDirectoryNoticeClose").click()
    qtbot.waitUntil(lambda: sync.directory_notice is None)
    # The directory changes, the desk syncs again: the same clash is not said again.
    hub.admin.user("zhaoli", "Window-2026", roles=("clerk",), site=demo_site(), display_name="赵丽")

    def users() -> dict[str, accounts.UserInfo]:
        return {u.username: u for u in accounts.list_users(s.launch.db)}

    sync.sync_now()
    qtbot.waitUntil(lambda: "zhaoli" in users(), timeout=10_000)
    before = sync.status.last_success
    sync.sync_now()  # one more full cycle seen by the GUI after the new directory was applied
    qtbot.waitUntil(lambda: sync.status.last_success != before, timeout=10_000)
    assert sync.directory_notice is None
    assert users()["clerk1"].display_name == "clerk1" and users()["zhaoli"].display_name == "赵丽"


def demo_site() -> str:
    return demo.DEMO_SITE[0]


def test_a_hub_that_moved_with_a_redirect_is_said_as_an_address_for_it_to_change(qtbot, tmp_path: Path) -> None:
    """A county that moves its hub answers the old address with a 301 to the new one. The desk follows no
    redirect (docs/sync-protocol.md): its link fault names the target, but the clerk read "Upload did not
    succeed; it is retried automatically", which no retry mends. The clerk now reads that the county hub's
    address has changed and IT must set it on this PC; where it points stays in the log and sync status."""
    from clerk_desk.sync.hub_client import HubClient, HubUnreachable
    from tests.support.pki import make_ca
    from tests.sync.test_redirects import redirecting_front

    ca = make_ca(tmp_path, "county-ca")
    front = redirecting_front(ca, tmp_path, 301, "https://hub-new.example:8765")
    client = HubClient(f"https://127.0.0.1:{front.server_address[1]}", token="t", ca_bundle=str(ca.pem))
    try:
        with pytest.raises(HubUnreachable) as caught:
            client.pull(0)
    finally:
        client.close()
        front.shutdown()
    widget = SyncStatusWidget()
    qtbot.addWidget(widget)
    widget.set_status(SyncStatus(enrolled=True, link_up=False, waiting=1, last_error=str(caught.value)[:300]))
    said = widget.toolTip()
    assert not english(said), said
    assert "地址" in said and "信息技术人员" in said, said
    assert "自动" not in said, said  # no retry mends it
