"""The desk follows no redirect (docs/sync-protocol.md, "Transport security").

The hub's address is checked once, when IT gives it (https, or loopback http on purpose): a redirect
would send the desk's requests somewhere that check never saw. A front server moved by a careless
operator (``return 307 http://…`` while changing addresses) made the desk send its push, applicants'
names and ID numbers included, again in plain http to the new address. Here the front is a real https
server with the county CA's certificate on 127.0.0.1 that answers every request with a redirect, and the
place it names is a listener that records whatever reaches it.
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from clerk_desk.sync.hub_client import HubClient, HubUnreachable
from tests.support.pki import LOOPBACK, Ca, make_ca, server_cert

NAME, ID_NUMBER = "张秘密", "42122419900101123X"


class Listener:
    """A plain TCP listener on 127.0.0.1 that keeps every byte sent to it."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.received = bytearray()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            conn.settimeout(2)
            try:
                while data := conn.recv(65536):
                    self.received += data
            except OSError:
                pass
            finally:
                conn.close()


def redirecting_front(ca: Ca, folder: Path, status: int, location: str) -> ThreadingHTTPServer:
    cert, key = server_cert(folder, ca, f"front-{status}", LOOPBACK)

    class Handler(BaseHTTPRequestHandler):
        def _redirect(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            self.send_response(status)
            self.send_header("Location", location + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST = _redirect

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def county_ca(tmp_path: Path) -> Ca:
    return make_ca(tmp_path, "county-ca")


@pytest.fixture
def listener() -> Iterator[Listener]:
    lst = Listener()
    yield lst
    lst.server.close()


@pytest.mark.parametrize("status", [301, 302, 307, 308])
@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_redirect_is_not_followed_and_nothing_goes_where_it_points(
    status: int, scheme: str, county_ca: Ca, listener: Listener, tmp_path: Path
) -> None:
    front = redirecting_front(county_ca, tmp_path, status, f"{scheme}://127.0.0.1:{listener.port}")
    url = f"https://127.0.0.1:{front.server_address[1]}"
    client = HubClient(url, token="the-device-token", ca_bundle=str(county_ca.pem))
    event = {"uuid": "e1", "payload": {"applicant": {"name": NAME, "id_number": ID_NUMBER}}}
    try:
        with pytest.raises(HubUnreachable) as caught:
            client.push([event])
        with pytest.raises(HubUnreachable):
            client.pull(0)
    finally:
        client.close()
        front.shutdown()
    seen = bytes(listener.received)
    assert ID_NUMBER.encode() not in seen, seen[:300]
    assert seen == b"", seen[:300]
    said = str(caught.value)
    assert str(status) in said and "redirect" in said, said
    assert f"127.0.0.1:{listener.port}" in said, said  # what IT needs to see: where it points


def test_enrolling_at_an_address_that_redirects_names_the_new_one(county_ca: Ca, tmp_path: Path) -> None:
    """A county that moved its hub answers the old address with a 301. IT enrolling a PC at the old address
    read "无法连接县级平台，请检查网络后重试" with the English fault after it: the network was fine. It now reads
    that the address has moved, where to, and that the code is not spent."""
    from clerk_desk.domain.errors import InputError
    from clerk_desk.store.database import Database
    from clerk_desk.sync import enrolment

    front = redirecting_front(county_ca, tmp_path, 301, "https://hub-new.example:8765")
    url = f"https://127.0.0.1:{front.server_address[1]}"
    try:
        with pytest.raises(InputError) as caught:
            enrolment.enrol(Database(tmp_path / "desk"), url, "AAAA-BBBB-CCCC-DDDD", ca_bundle=str(county_ca.pem))
    finally:
        front.shutdown()
    said = str(caught.value)
    assert "检查网络" not in said, said
    assert "https://hub-new.example:8765" in said and "地址" in said and "注册码未使用" in said, said
