"""TLS to the county hub with a private CA on 127.0.0.1 (docs/sync-protocol.md, "Transport security").

The test makes two CAs and server certificates with ``cryptography`` and serves the real hub over https
under uvicorn (tests/support/hub_server.py). It shows: the county CA the desk was given passes; a
certificate from another CA, or for another host name, is refused; plain http to an address that is not
this PC is refused; REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE pointing to another CA change nothing either
way; a proxy from the environment is still used (the extranet may need one).
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509

from clerk_desk.domain.errors import InputError
from clerk_desk.services import demo
from clerk_desk.store.database import Database
from clerk_desk.sync import enrolment
from clerk_desk.sync.engine import SyncEngine
from clerk_desk.sync.hub_client import HubClient, HubUnreachable
from tests.support.hub_server import HubAdmin, running_hub
from tests.support.pki import LOOPBACK, Ca, make_ca, server_cert
from tests.sync.conftest import SITE

ENV_CA = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")


@dataclass
class Pki:
    county: Ca  # the CA county IT gives the desk
    other: Ca  # a CA the desk was not given
    right: tuple[Path, Path]  # county CA, for 127.0.0.1
    foreign: tuple[Path, Path]  # other CA, for 127.0.0.1
    wrong_host: tuple[Path, Path]  # county CA, for hub.tongshan.gov.cn


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    folder = tmp_path_factory.mktemp("pki")
    county, other = make_ca(folder, "county-ca"), make_ca(folder, "other-ca")
    return Pki(county, other, server_cert(folder, county, "hub-right", LOOPBACK),
               server_cert(folder, other, "hub-foreign", LOOPBACK),
               server_cert(folder, county, "hub-wrong-host", x509.DNSName("hub.tongshan.gov.cn")))


@pytest.fixture
def no_env_ca(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*ENV_CA, "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def tls_hub(tmp_path: Path) -> Iterator[callable]:  # type: ignore[valid-type]
    """Start the real hub over https with a given certificate: ``with tls_hub(cert) as (url, admin)``."""
    from contextlib import contextmanager

    started = []

    @contextmanager
    def start(cert: tuple[Path, Path]) -> Iterator[tuple[str, HubAdmin]]:
        started.append(cert)
        data = tmp_path / f"hub{len(started)}"
        with running_hub(data, tls=cert) as url, HubAdmin(data) as admin:
            admin.site(SITE, "通羊镇便民服务中心")
            yield url, admin

    return start


def refused(url: str, ca: Path | None) -> str:
    client = HubClient(url, ca_bundle=str(ca) if ca else None)
    try:
        with pytest.raises(HubUnreachable) as caught:
            client.health()
    finally:
        client.close()
    message = str(caught.value)
    assert message.startswith("TLS"), message  # the sync panel says: certificate check failed
    return message


def passes(url: str, ca: Path | None) -> None:
    client = HubClient(url, ca_bundle=str(ca) if ca else None)
    try:
        assert client.health().version
    finally:
        client.close()


def test_the_county_ca_passes_and_the_desk_syncs(pki: Pki, tls_hub, tmp_path: Path, no_env_ca) -> None:
    with tls_hub(pki.right) as (url, admin):
        assert url.startswith("https://127.0.0.1:")
        db = Database(tmp_path / "desk")
        demo.ensure_demo_site(db)
        enrolment.enrol(db, url, admin.device(SITE, "clerk")[1], ca_bundle=str(pki.county.pem))
        engine = SyncEngine(db, lambda: enrolment.client_for(db))
        engine.run_once()
        st = engine.status()
        assert st.link_up is True and st.last_error is None and st.fault is None


def test_a_certificate_of_another_ca_or_for_another_host_is_refused(pki: Pki, tls_hub, tmp_path: Path,
                                                                     no_env_ca) -> None:
    with tls_hub(pki.foreign) as (url, admin):
        assert "CERTIFICATE_VERIFY_FAILED" in refused(url, pki.county.pem)
        assert "CERTIFICATE_VERIFY_FAILED" in refused(url, None)  # nor does the default bundle know it
        db = Database(tmp_path / "desk")
        demo.ensure_demo_site(db)
        code = admin.device(SITE, "clerk")[1]
        # the link is fine: the message says it is the certificate, and what IT checks (not "the network")
        with pytest.raises(InputError) as caught:
            enrolment.enrol(db, url, code, ca_bundle=str(pki.county.pem))
        said = caught.value.message_zh
        assert "证书" in said and "CA 证书" in said and "--ca" in said and "检查网络" not in said, said
        assert enrolment.hub_settings(db) is None  # nothing stored, the code not spent:
        enrolment.enrol(db, url, code, ca_bundle=str(pki.other.pem))  # (with the CA that did sign it)
    with tls_hub(pki.wrong_host) as (url, admin):
        assert "127.0.0.1" in refused(url, pki.county.pem)  # right CA, but not a certificate for this host
        db = Database(tmp_path / "desk2")
        demo.ensure_demo_site(db)
        with pytest.raises(InputError) as caught:
            enrolment.enrol(db, url, admin.device(SITE, "clerk")[1], ca_bundle=str(pki.county.pem))
        said = caught.value.message_zh
        assert "不是签发给 127.0.0.1 的" in said and "检查网络" not in said, said


def test_plain_http_to_another_host_is_refused_before_anything_is_sent() -> None:
    from clerk_desk.sync.hub_address import InsecureHubAddress

    for url in ("http://hub.tongshan.gov.cn", "http://10.20.30.40:8765", "HTTP://hub.tongshan.gov.cn/"):
        with pytest.raises(InsecureHubAddress, match="https") as caught:
            HubClient(url, token="secret")
        assert "加密" in caught.value.message_zh


@pytest.mark.parametrize("variable", ENV_CA)
def test_an_environment_ca_changes_nothing_either_way(variable: str, pki: Pki, tls_hub, no_env_ca,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # The environment names another CA: the configured county CA still wins.
    monkeypatch.setenv(variable, str(pki.other.pem))
    with tls_hub(pki.right) as (url, _admin):
        passes(url, pki.county.pem)
    # The hub's certificate is from that other CA: the environment does not make it trusted, neither with
    # the county CA configured nor with none (the default bundle).
    with tls_hub(pki.foreign) as (url, _admin):
        refused(url, pki.county.pem)
        refused(url, None)


class ConnectProxy:
    """An HTTP CONNECT proxy on 127.0.0.1 that tunnels to whatever it is asked and remembers where."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.targets: list[str] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = client.recv(4096)
                if not chunk:
                    break
                head += chunk
            target = head.split(b" ")[1].decode()
            self.targets.append(target)
            host, port = target.rsplit(":", 1)
            upstream = socket.create_connection((host, int(port)))
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pipe, args=(a, b), daemon=True).start()

    def close(self) -> None:
        self.server.close()


def _pipe(src: socket.socket, dst: socket.socket) -> None:
    try:
        while data := src.recv(65536):
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            with contextlib.suppress(OSError):
                s.close()


def test_a_proxy_from_the_environment_is_still_used(pki: Pki, tls_hub, no_env_ca,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    proxy = ConnectProxy()
    try:
        monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{proxy.port}")
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(pki.other.pem))
        with tls_hub(pki.right) as (url, _admin):
            passes(url, pki.county.pem)  # through the proxy, verified against the county CA
            assert proxy.targets == [url.removeprefix("https://")]
    finally:
        proxy.close()
