"""HTTP client of the county hub API v1 (docs/sync-protocol.md), on requests.

TLS verification is never turned off and never left to the environment: every request names its CA file
(``ca_bundle``, the extranet's own CA, or requests' default bundle), because requests lets
``REQUESTS_CA_BUNDLE`` / ``CURL_CA_BUNDLE`` replace ``Session.verify`` but not a per-request value.
Proxies from the environment still apply (the extranet may need one). Plain http is refused except to
this PC for the demo and tests (hub_address.py), and no redirect is followed (its target was never checked).

Network errors, 5xx and answers that cannot be read (cut, not JSON, not the expected shape) become
:class:`HubUnreachable` (retry later with backoff); a 4xx becomes :class:`HubRefused` with the hub's
stable code (never retried unchanged).
"""

from __future__ import annotations

import contextlib
import gzip
import http.client
import json
import socket
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from clerk_desk.domain import desk_holdings
from clerk_desk.sync import hub_address

if TYPE_CHECKING:
    from requests import Response


API = "/api/v1"
TIMEOUT = (5, 30)  # connect, read (seconds)
WAIT_MARGIN_S = 15.0  # a held GET /changes may take this much longer than the hold it asked for
GZIP_ABOVE = 1024
PUSH_STATUSES = ("stored", "duplicate", "rejected")
# What apply.py reads of a pulled event, and its JSON type.
EVENT_FIELDS: dict[str, type | tuple[type, ...]] = {
    "uuid": str, "case_uuid": str, "case_version": int, "type": str, "side": str, "site_code": str,
    "department_code": str, "payload": dict, "actor": str, "device_code": str, "occurred_at": str, "seq": int,
}


class HubError(Exception):
    pass


class HubUnreachable(HubError):
    """No usable answer (down, cut, timeout, 5xx, unreadable): the desk keeps working and retries later."""


class HubRedirected(HubUnreachable):
    """The hub's address answered with a redirect, not followed: ``location`` is where it points (the hub's
    root when the path it names is the API's), for IT to check and give the PC if it is the hub's."""

    def __init__(self, message: str, location: str) -> None:
        super().__init__(message)
        self.location = location


class HubRefused(HubError):
    def __init__(self, status: int, code: str, message: str, body: dict[str, Any] | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message, self.body = status, code, message, body or {}


class BadAnswer(HubUnreachable):
    """The hub's answer could not be read as the protocol says (cut short, not JSON, wrong shape)."""

    def __init__(self, what: str) -> None:
        super().__init__(f"bad answer: {what}")


@dataclass(frozen=True)
class Health:
    server_time: datetime
    version: str
    round_trip_s: float

    def skew_seconds(self, local_now: datetime) -> float:
        """Local clock minus hub clock, corrected for half the round trip."""
        return (local_now - self.server_time).total_seconds() - self.round_trip_s / 2


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def _is_int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _check_event(ev: object) -> dict[str, Any]:
    if not isinstance(ev, dict):
        raise BadAnswer("an event is not an object")
    for key, kind in EVENT_FIELDS.items():
        value = ev.get(key)
        if not isinstance(value, kind) or (kind is int and not _is_int(value)):
            raise BadAnswer(f"event field {key}")
    return ev


def _check_page(j: dict[str, Any], what: str) -> dict[str, Any]:
    """A pull page: its events, the cursor after it and whether more follow, each of the right type."""
    if not isinstance(j.get("events"), list) or not _is_int(j.get("next_cursor")) \
            or not isinstance(j.get("has_more"), bool):
        raise BadAnswer(what)
    for ev in j["events"]:
        _check_event(ev)
    return j


@dataclass(frozen=True)
class WaitAnswer:
    changed: bool  # another device's events lie in this desk's scope after its cursor: pull
    head: int
    # Asked with a limit, the hub sends the pull page after the cursor with "changed" (checked as a pull
    # page is); None: pull it (an older hub, or it could not read them then).
    page: dict[str, Any] | None = None


def _tracking_adapter(sockets: weakref.WeakSet[socket.socket]) -> Any:
    """requests' adapter whose connections remember their sockets, so :meth:`HubClient.abort` can end a
    request held open by the hub (a blocked read ends only when its socket is shut down)."""
    from requests.adapters import HTTPAdapter
    from urllib3 import connection, connectionpool

    def remembering(base: type[connection.HTTPConnection]) -> type[connection.HTTPConnection]:
        class Remembering(base):  # type: ignore[valid-type,misc]
            def _new_conn(self) -> socket.socket:
                sock: socket.socket = super()._new_conn()
                sockets.add(sock)
                return sock

        return Remembering

    class HTTPPool(connectionpool.HTTPConnectionPool):
        ConnectionCls = remembering(connection.HTTPConnection)

    class HTTPSPool(connectionpool.HTTPSConnectionPool):
        ConnectionCls = remembering(connection.HTTPSConnection)  # type: ignore[assignment]

    class Adapter(HTTPAdapter):
        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = {"http": HTTPPool, "https": HTTPSPool}

        def proxy_manager_for(self, *args: Any, **kwargs: Any) -> Any:
            manager = super().proxy_manager_for(*args, **kwargs)
            manager.pool_classes_by_scheme = {"http": HTTPPool, "https": HTTPSPool}
            return manager

    return Adapter()


class HubClient:
    """One client per desk and purpose, kept for as long as it works (sync/engine.py): its session keeps the
    connection (and its TLS session) open between requests."""

    def __init__(self, base_url: str, token: str | None = None, *, ca_bundle: str | None = None,
                 timeout: tuple[float, float] = TIMEOUT) -> None:
        self.base_url = hub_address.normalise(base_url)  # https only (plain http: loopback, on purpose)
        self.token = token
        self.timeout = timeout
        import requests  # imported when the first client is made, on the sync thread, not at start-up
        import requests.certs

        # Named on every request (see the module's note): the extranet CA file, or requests' own bundle.
        self.verify: str = ca_bundle or requests.certs.where()
        self.http = requests.Session()
        self.http.verify = self.verify
        self.http.headers["Accept-Encoding"] = "gzip"
        self.http.headers["User-Agent"] = "clerk-desk"
        self._sockets: weakref.WeakSet[socket.socket] = weakref.WeakSet()
        adapter = _tracking_adapter(self._sockets)
        self.http.mount("https://", adapter)
        self.http.mount("http://", adapter)
        self.requests = 0  # requests sent so far (the sync panel's technical line, benchmarks)

    def close(self) -> None:
        self.http.close()

    def abort(self) -> None:
        """End whatever this client is waiting for, from another thread (stopping the sync): its sockets
        are shut down, the blocked request fails at once, the client is not used again."""
        for sock in list(self._sockets):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self.close()

    def _call(self, method: str, path: str, *, body: Any = None, params: dict[str, Any] | None = None,
              headers: dict[str, str] | None = None, auth: bool = True,
              timeout: tuple[float, float] | None = None) -> Response:
        import requests
        import urllib3.exceptions

        h = dict(headers or {})
        if auth:
            if not self.token:
                raise HubRefused(401, "missing_token", "本机尚未注册到县级平台")
            h["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
            h["Content-Type"] = "application/json"
            if len(raw) > GZIP_ABOVE:
                raw = gzip.compress(raw, compresslevel=5)
                h["Content-Encoding"] = "gzip"
            data = raw
        self.requests += 1
        try:
            # No redirect is followed: the address was checked when IT gave it (https), where a redirect
            # points was not, and a 307 would send the push, people and all, there again.
            r = self.http.request(method, self.base_url + API + path, data=data, params=params, headers=h,
                                  timeout=timeout or self.timeout, verify=self.verify, allow_redirects=False)
        except requests.exceptions.SSLError as exc:
            # A certificate problem will not heal by retrying quickly, but it is still "no link".
            raise HubUnreachable(f"TLS: {exc}") from exc
        except (requests.exceptions.RequestException, http.client.HTTPException,
                urllib3.exceptions.HTTPError) as exc:
            raise HubUnreachable(str(exc) or type(exc).__name__) from exc
        except OSError as exc:  # the configured CA file went missing or cannot be read
            raise HubUnreachable(f"TLS: CA file {self.verify}: {exc}") from exc
        if r.status_code >= 500:
            raise HubUnreachable(f"hub answered {r.status_code}")
        if 300 <= r.status_code < 400 and r.status_code != 304:
            where = r.headers.get("Location", "")[:200]
            root = where.split(API + "/", 1)[0] if API + "/" in where else where
            raise HubRedirected(f"hub answered {r.status_code}, a redirect to {where!r}, which the desk does not "
                                "follow: county IT should give this PC the hub's own https address", root)
        if r.status_code >= 400:
            try:
                detail = r.json().get("detail", {})
            except (ValueError, AttributeError):
                detail = {}
            if not isinstance(detail, dict):
                detail = {"message": str(detail)}
            code, message = detail.get("code", "error"), detail.get("message", r.reason)
            raise HubRefused(r.status_code, str(code), str(message), detail)
        return r

    def _json(self, method: str, path: str, **kw: Any) -> Any:
        """The answer's JSON; an answer cut short or not JSON is "no usable answer", like a cut link."""
        r = self._call(method, path, **kw)
        try:
            return r.json()
        except ValueError as exc:  # JSONDecodeError (an empty or cut body), bad UTF-8
            raise BadAnswer(f"{path} is not JSON ({len(r.content)} bytes)") from exc

    def _object(self, method: str, path: str, **kw: Any) -> dict[str, Any]:
        j = self._json(method, path, **kw)
        if not isinstance(j, dict):
            raise BadAnswer(f"{path} is not an object")
        return j

    def health(self) -> Health:
        t0 = datetime.now(UTC)
        j = self._object("GET", "/health", auth=False)
        rtt = (datetime.now(UTC) - t0).total_seconds()
        try:
            return Health(parse_time(j["server_time"]), str(j.get("version", "")), rtt)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BadAnswer("/health server_time") from exc

    def enrol(self, code: str, os_account: str, device_info: dict[str, Any]) -> dict[str, Any]:
        body = {"code": code.strip().upper(), "os_account": os_account, "device_info": device_info}
        j = self._object("POST", "/enrol", body=body, auth=False)
        for key in ("token", "device_code", "site_code", "kind"):
            if not isinstance(j.get(key), str) or not j[key]:
                raise BadAnswer(f"/enrol {key}")
        if not isinstance(j.get("scope"), list):
            raise BadAnswer("/enrol scope")
        return j

    def push(self, events: list[dict[str, Any]], cursor: int | None = None) -> list[dict[str, Any]]:
        """One answer per event sent, each checked; anything else is a bad answer (the batch is re-sent).
        ``cursor``: the desk's, named so that a hub restored from a backup refuses the push (409 cursor_ahead)
        before a later event of a case it lost is refused for good (a hub that does not know it ignores it)."""
        headers = {"X-Desk-Cursor": str(cursor)} if cursor is not None else None
        results = self._object("POST", "/events", body={"events": events}, headers=headers).get("results")
        if not isinstance(results, list) or len(results) != len(events):
            raise BadAnswer("/events results do not match the batch")
        sent = {e["uuid"] for e in events}
        for a in results:
            if not isinstance(a, dict) or a.get("uuid") not in sent or a.get("status") not in PUSH_STATUSES:
                raise BadAnswer("/events result")
            if a["status"] != "rejected" and not _is_int(a.get("seq")):
                raise BadAnswer("/events result seq")
        if len({a["uuid"] for a in results}) != len(sent):
            raise BadAnswer("/events results do not match the batch")
        return results

    def pull(self, after: int, limit: int = 500) -> dict[str, Any]:
        return _check_page(self._object("GET", "/events", params={"after": after, "limit": limit}), "/events page")

    def wait(self, after: int, hold_s: float, limit: int | None = None) -> WaitAnswer:
        """GET /changes: held by the hub up to ``hold_s`` until another device's event lands in this
        desk's scope after ``after`` (docs/sync-protocol.md, "Waiting for changes"). With ``limit`` the
        answer "changed" brings the pull page after ``after`` too (:attr:`WaitAnswer.page`)."""
        params: dict[str, Any] = {"after": after, "timeout": hold_s}
        if limit is not None:
            params["limit"] = limit
        j = self._object("GET", "/changes", params=params, timeout=(self.timeout[0], hold_s + WAIT_MARGIN_S))
        if not isinstance(j.get("changed"), bool) or not _is_int(j.get("head")):
            raise BadAnswer("/changes")
        page = _check_page(j, "/changes page") if j["changed"] and limit is not None and "events" in j else None
        return WaitAnswer(j["changed"], j["head"], page)

    def snapshot(self) -> dict[str, Any]:
        j = self._object("GET", "/snapshot")
        cases = j.get("cases")
        if not _is_int(j.get("seq")) or not isinstance(cases, list) or not all(
                isinstance(c, dict) and isinstance(c.get("case_uuid"), str) and _is_int(c.get("version"))
                for c in cases):
            raise BadAnswer("/snapshot")
        return j

    def case_events(self, case_uuid: str) -> list[dict[str, Any]]:
        j = self._json("GET", f"/cases/{case_uuid}/events")
        events = j.get("events") if isinstance(j, dict) else j
        if not isinstance(events, list):
            raise BadAnswer("/cases/…/events")
        return [_check_event(ev) for ev in events]

    def me(self) -> dict[str, Any]:
        return self._object("GET", "/devices/me")

    def users(self, etag: str | None = None) -> tuple[dict[str, Any] | None, str | None]:
        raw, tag = self._conditional_raw("/users", etag)
        if raw is None:
            return None, tag
        try:
            j = json.loads(raw)
        except ValueError as exc:
            raise BadAnswer("/users is not JSON") from exc
        if not isinstance(j, dict) or not isinstance(j.get("users"), list):
            raise BadAnswer("/users")
        return j, tag

    def catalog(self, etag: str | None = None, holds: str | None = None) -> tuple[bytes | None, str | None]:
        """``holds``: what this desk holds, for county IT at the hub (the ``X-Desk-Holds`` header,
        clerk_desk.domain.desk_holdings); a hub before it ignores the header."""
        return self._conditional_raw("/catalog", etag, {desk_holdings.HEADER: holds} if holds else None)

    def calendar(self, etag: str | None = None) -> tuple[bytes | None, str | None]:
        return self._conditional_raw("/calendar", etag)

    def supervision_settings(self, etag: str | None = None) -> tuple[bytes | None, str | None]:
        return self._conditional_raw("/supervision-settings", etag)

    def _conditional_raw(self, path: str, etag: str | None,
                         more: dict[str, str] | None = None) -> tuple[bytes | None, str | None]:
        headers = {**({"If-None-Match": etag} if etag else {}), **(more or {})}
        r = self._call("GET", path, headers=headers or None)
        if r.status_code == 304:
            return None, etag
        return r.content, r.headers.get("ETag")
