"""A small TCP proxy for fault injection (this kernel has no netem): link down, delays, cut answers.

    with TcpProxy(("127.0.0.1", hub_port)) as proxy:
        desk talks to f"http://127.0.0.1:{proxy.port}"
        proxy.down()                    # new connections are refused, open ones are cut
        proxy.up()
        proxy.delay_s = 0.3             # each chunk either way waits this long
        proxy.cut_responses = 1         # the next response is dropped after the hub sent it

``cut_responses`` models the nastiest case for exactly-once delivery: the hub has committed a push,
but the desk never reads the answer.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from types import TracebackType


class TcpProxy:
    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.delay_s = 0.0
        self.cut_responses = 0
        self.responses_cut = 0
        self._is_up = True
        self._lock = threading.Lock()
        self._conns: list[socket.socket] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._closed = False
        self._thread = threading.Thread(target=self._accept_loop, daemon=True, name=f"proxy-{self.port}")
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def down(self) -> None:
        with self._lock:
            self._is_up = False
            conns, self._conns = self._conns, []
        for c in conns:
            _close(c)

    def up(self) -> None:
        with self._lock:
            self._is_up = True

    def close(self) -> None:
        self._closed = True
        self.down()
        _close(self._listener)

    def __enter__(self) -> TcpProxy:
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def _accept_loop(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                up = self._is_up
            if not up:
                # Accept-and-reset looks like a dead link to the client: the request never arrives.
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                _close(client)
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                _close(client)
                continue
            with self._lock:
                self._conns += [client, server]
            threading.Thread(target=self._pump, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, True), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, is_response: bool) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if self.delay_s:
                    time.sleep(self.delay_s)
                if is_response:
                    with self._lock:
                        cut = self.cut_responses > 0
                        if cut:
                            self.cut_responses -= 1
                            self.responses_cut += 1
                    if cut:
                        break  # the hub answered; the desk never hears it
                dst.sendall(data)
        except OSError:
            pass
        finally:
            _close(src)
            _close(dst)


def _close(s: socket.socket) -> None:
    with contextlib.suppress(OSError):
        s.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        s.close()
