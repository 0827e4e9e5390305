"""A small TCP proxy for fault injection (this kernel has no netem): link down, delays, cut answers.

    with TcpProxy(("127.0.0.1", hub_port)) as proxy:
        desk talks to f"http://127.0.0.1:{proxy.port}"
        proxy.down()                    # new connections are refused, open ones are cut
        proxy.up()
        proxy.delay_s = 0.3             # each chunk either way waits this long
        proxy.cut_responses = 1         # the next response is dropped after the hub sent it
        proxy.answer_deadline_s = 0.5   # a request not answered within this is cut, like the extranet's
                                        # proxies that end connections held open (long polling)
        plan = proxy.on_response(b"POST /api/v1/events", cut_after=37)
                                        # the answer to the next push: its first 37 bytes, then the
                                        # connection is closed (see ResponsePlan for hold / corrupt)

``cut_responses`` and ``cut_after`` model the nastiest case for exactly-once delivery: the hub has
committed a push, but the desk never reads (all of) the answer.

Requests and answers are told apart without parsing HTTP: a desk sends its next request on a
connection only after it has read the whole answer to the last one (no pipelining), so the bytes the
hub sends after a matching request, until the client speaks again, are that request's answer.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from dataclasses import dataclass, field
from types import TracebackType


@dataclass
class ResponsePlan:
    """What happens to the answer to the next request that starts with ``request``.

    cut_after: forward only this many bytes of it, then close the connection both ways.
    corrupt: overwrite its body (everything after the blank line that ends the headers) with ``#``
        bytes of the same length: a 200 with the right length that is not JSON.
    hold: forward nothing of it until :meth:`release` (the hub has answered; the desk waits).
    """

    request: bytes
    cut_after: int | None = None
    corrupt: bool = False
    hold: bool = False
    request_seen: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    closed_at_cut: bool = False  # the connection was closed at cut_after (False: the answer was shorter)
    forwarded: int = 0  # bytes of the answer the desk was sent
    _released: threading.Event = field(default_factory=threading.Event)
    _in_body: bool = False
    _tail: bytes = b""

    def release(self) -> None:
        self._released.set()

    def _finish(self, closed_at_cut: bool) -> None:
        if not self.done.is_set():
            self.closed_at_cut = closed_at_cut
            self.done.set()

    def _corrupted(self, data: bytes) -> bytes:
        if self._in_body:
            return b"#" * len(data)
        seen = self._tail + data
        end = seen.find(b"\r\n\r\n")
        if end < 0:
            self._tail = seen[-3:]
            return data
        self._in_body = True
        body_starts = end + 4 - len(self._tail)  # index in ``data``
        return data[:body_starts] + b"#" * (len(data) - body_starts)


class _Link:
    """One proxied connection: the plan its current answer follows, if any."""

    def __init__(self) -> None:
        self.plan: ResponsePlan | None = None
        self.answering = True  # the hub has begun to answer the last request (True: none is pending)
        self.requests = 0  # requests begun on this connection
        self.sockets: tuple[socket.socket, ...] = ()


class TcpProxy:
    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.delay_s = 0.0
        self.cut_responses = 0
        self.responses_cut = 0
        self.connections = 0  # accepted so far (also while down)
        self.answer_deadline_s: float | None = None
        self.cut_held = 0  # requests cut by answer_deadline_s
        self._is_up = True
        self._lock = threading.Lock()
        self._conns: list[socket.socket] = []
        self._pending: ResponsePlan | None = None
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._closed = False
        self._thread = threading.Thread(target=self._accept_loop, daemon=True, name=f"proxy-{self.port}")
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def on_response(self, request: bytes, *, cut_after: int | None = None, corrupt: bool = False,
                    hold: bool = False) -> ResponsePlan:
        """Arm a plan for the answer to the next request starting with ``request`` (one at a time)."""
        plan = ResponsePlan(request, cut_after, corrupt, hold)
        with self._lock:
            self._pending = plan
        return plan

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
        with self._lock:
            plan = self._pending
        if plan is not None:
            plan.release()
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
                self.connections += 1
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
            server.settimeout(None)
            with self._lock:
                self._conns += [client, server]
            link = _Link()
            link.sockets = (client, server)
            threading.Thread(target=self._pump, args=(client, server, False, link), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, True, link), daemon=True).start()

    def _on_request(self, data: bytes, link: _Link) -> None:
        with self._lock:
            if not link.answering:
                return  # more of the same request (its body), not a new one
            link.answering = False
            link.requests += 1
            if self.answer_deadline_s is not None:
                timer = threading.Timer(self.answer_deadline_s, self._cut_unanswered, (link, link.requests))
                timer.daemon = True
                timer.start()
            if link.plan is not None:  # the client speaks again: the last answer was read whole
                link.plan._finish(closed_at_cut=False)
                link.plan = None
            plan = self._pending
            if plan is not None and data.startswith(plan.request):
                self._pending = None
                link.plan = plan
                plan.request_seen.set()

    def _cut_unanswered(self, link: _Link, request: int) -> None:
        with self._lock:
            if link.answering or link.requests != request:
                return
            self.cut_held += 1
        for sock in link.sockets:
            _close(sock)

    def _answer(self, data: bytes, link: _Link) -> tuple[bytes, bool]:
        """(bytes to forward, close after them) for a chunk of the hub's answer."""
        link.answering = True
        plan = link.plan
        if plan is None:
            return data, False
        if plan.hold:
            plan._released.wait()
        if plan.corrupt:
            data = plan._corrupted(data)
        if plan.cut_after is not None:
            room = plan.cut_after - plan.forwarded
            if len(data) >= room:
                plan.forwarded += room
                return data[:room], True
        plan.forwarded += len(data)
        return data, False

    def _pump(self, src: socket.socket, dst: socket.socket, is_response: bool, link: _Link) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if self.delay_s:
                    time.sleep(self.delay_s)
                if not is_response:
                    self._on_request(data, link)
                    dst.sendall(data)
                    continue
                with self._lock:
                    cut = self.cut_responses > 0
                    if cut:
                        self.cut_responses -= 1
                        self.responses_cut += 1
                if cut:
                    break  # the hub answered; the desk never hears it
                data, close_now = self._answer(data, link)
                if data:
                    dst.sendall(data)
                if close_now:
                    if link.plan is not None:
                        link.plan._finish(closed_at_cut=True)
                    break
        except OSError:
            pass
        finally:
            if is_response and link.plan is not None:
                link.plan._finish(closed_at_cut=False)
            _close(src)
            _close(dst)


def _close(s: socket.socket) -> None:
    with contextlib.suppress(OSError):
        s.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        s.close()
