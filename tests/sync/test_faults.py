"""Exactly once under faults: a day offline, the hub killed mid-batch, the desk killed while sending.

The hub runs as a real ``county-hub serve`` process and the desk's sender as a real ``clerk-desk sync``
process where a kill is involved; what reached the hub is read from the hub's own database.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from clerk_desk.services.intake_forms import Delivery
from tests.services.test_intake import form
from tests.support.hub_server import HubAdmin
from tests.support.memory_keyring import FILE_ENV
from tests.support.tcp_proxy import TcpProxy
from tests.sync.conftest import SITE, Desk, make_desk
from tests.sync.hub_log import assert_exactly_once_in_order, hub_events

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def hub_process(data: Path, port: int) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "county_hub", "serve", "--data-dir", str(data), "--port", str(port),
         "--log-level", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    err = proc.stderr.read().decode() if proc.stderr else ""
                    raise RuntimeError(f"hub did not start: {err}") from None
                time.sleep(0.1)
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(30)


def _enrolled_desk(tmp_path: Path, hub_data: Path, url: str) -> Desk:
    with HubAdmin(hub_data) as admin:
        admin.site(SITE, "通羊镇便民服务中心")
        return make_desk(tmp_path / "desk", url, admin)


def _work(desk: Desk, cases: int) -> None:
    for _ in range(cases):
        uid = desk.intake.accept(form(), desk.clerk, delivery=Delivery("window")).cases[0].case_uuid
        desk.intake.transfer(uid, desk.clerk)


def test_a_thousand_actions_offline_then_every_event_stored_once_in_order(tmp_path: Path) -> None:
    hub_data, port = tmp_path / "hub", _free_port()
    with hub_process(hub_data, port):
        with TcpProxy(("127.0.0.1", port)) as proxy:
            desk = _enrolled_desk(tmp_path, hub_data, proxy.url)
            proxy.down()
            _work(desk, 500)  # 500 accepts + 500 transfers = 1,000 events, all while the link is down
            desk.engine.run_once()
            assert desk.engine.status().link_up is False and desk.engine.status().waiting == 1000
            proxy.up()
            desk.engine.run_once()
        assert desk.engine.status().waiting == 0
        assert_exactly_once_in_order(desk, hub_data)


def test_hub_killed_in_the_middle_of_a_batch(tmp_path: Path) -> None:
    hub_data, port = tmp_path / "hub", _free_port()
    with hub_process(hub_data, port) as hub, TcpProxy(("127.0.0.1", port)) as proxy:
        desk = _enrolled_desk(tmp_path, hub_data, f"http://127.0.0.1:{port}")
        _work(desk, 300)
        proxy.delay_s = 0.0
        # Kill the hub while the desk is sending: a slow push in a thread, SIGKILL partway.
        import threading

        done = threading.Event()
        threading.Thread(target=lambda: (desk.engine.run_once(), done.set()), daemon=True).start()
        time.sleep(0.3)
        hub.send_signal(signal.SIGKILL)
        done.wait(60)
    assert desk.engine.status().link_up is False or desk.engine.status().waiting < 600
    with hub_process(hub_data, port):
        for _ in range(5):
            desk.engine.run_once()
            if desk.engine.status().waiting == 0:
                break
        assert desk.engine.status().waiting == 0
    assert_exactly_once_in_order(desk, hub_data)


def test_desk_killed_while_sending(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The desk's sender runs in other processes: they share the token through the test keyring file.
    monkeypatch.setenv(FILE_ENV, str(tmp_path / "keyring.json"))
    hub_data, port = tmp_path / "hub", _free_port()
    with hub_process(hub_data, port), TcpProxy(("127.0.0.1", port)) as proxy:
        desk = _enrolled_desk(tmp_path, hub_data, proxy.url)
        _work(desk, 200)
        desk.db.close()
        proxy.delay_s = 0.05  # slow link: the kill lands while batches are on the wire
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
        sender = subprocess.Popen(
            [sys.executable, "-m", "clerk_desk", "--data-dir", str(tmp_path / "desk"), "sync", "run",
             "--interval", "0.5", "--batch", "20"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while not hub_events(hub_data) and time.monotonic() < deadline:
            time.sleep(0.05)
        sender.send_signal(signal.SIGKILL)
        sender.wait(30)
        partial = len(hub_events(hub_data))
        assert 0 < partial < 400, f"the kill should land mid-way, hub had {partial} of 400"
        proxy.delay_s = 0.0
        again = subprocess.run(
            [sys.executable, "-m", "clerk_desk", "--data-dir", str(tmp_path / "desk"), "sync", "now"],
            env=env, capture_output=True, text=True, timeout=120,
        )
        assert again.returncode == 0, again.stdout + again.stderr
        assert "待上传：0" in again.stdout
    from clerk_desk.store.database import Database

    desk.db = Database(tmp_path / "desk")
    assert_exactly_once_in_order(desk, hub_data)
