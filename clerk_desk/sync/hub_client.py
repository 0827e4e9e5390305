"""HTTP client of the county hub API v1 (docs/sync-protocol.md), on requests.

TLS verification is never turned off: ``ca_bundle`` names the extranet's own CA file when it has one.
Network errors and 5xx become :class:`HubUnreachable` (retry later with backoff); a 4xx becomes
:class:`HubRefused` with the hub's stable code (never retried unchanged).
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from requests import Response


API = "/api/v1"
TIMEOUT = (5, 30)  # connect, read (seconds)
GZIP_ABOVE = 1024


class HubError(Exception):
    pass


class HubUnreachable(HubError):
    """No usable answer (down, cut, timeout, 5xx): the desk keeps working and retries later."""


class HubRefused(HubError):
    def __init__(self, status: int, code: str, message: str, body: dict[str, Any] | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message, self.body = status, code, message, body or {}


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


class HubClient:
    def __init__(self, base_url: str, token: str | None = None, *, ca_bundle: str | None = None,
                 timeout: tuple[float, float] = TIMEOUT) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        import requests  # imported when the first client is made, on the sync thread, not at start-up

        self.http = requests.Session()
        self.http.verify = ca_bundle or True  # a path to the extranet CA, or the system store; never False
        self.http.headers["Accept-Encoding"] = "gzip"
        self.http.headers["User-Agent"] = "clerk-desk"

    def close(self) -> None:
        self.http.close()

    def _call(self, method: str, path: str, *, body: Any = None, params: dict[str, Any] | None = None,
              headers: dict[str, str] | None = None, auth: bool = True) -> Response:
        import requests

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
        try:
            r = self.http.request(method, self.base_url + API + path, data=data, params=params, headers=h,
                                  timeout=self.timeout)
        except requests.exceptions.SSLError as exc:
            # A certificate problem will not heal by retrying quickly, but it is still "no link".
            raise HubUnreachable(f"TLS: {exc}") from exc
        except requests.exceptions.RequestException as exc:
            raise HubUnreachable(str(exc)) from exc
        if r.status_code >= 500:
            raise HubUnreachable(f"hub answered {r.status_code}")
        if r.status_code >= 400:
            try:
                detail = r.json().get("detail", {})
            except ValueError:
                detail = {}
            if not isinstance(detail, dict):
                detail = {"message": str(detail)}
            raise HubRefused(r.status_code, detail.get("code", "error"), detail.get("message", r.reason), detail)
        return r

    def health(self) -> Health:
        t0 = datetime.now(UTC)
        r = self._call("GET", "/health", auth=False)
        rtt = (datetime.now(UTC) - t0).total_seconds()
        j = r.json()
        return Health(parse_time(j["server_time"]), str(j.get("version", "")), rtt)

    def enrol(self, code: str, os_account: str, device_info: dict[str, Any]) -> dict[str, Any]:
        body = {"code": code.strip().upper(), "os_account": os_account, "device_info": device_info}
        return dict(self._call("POST", "/enrol", body=body, auth=False).json())

    def push(self, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return list(self._call("POST", "/events", body={"events": events}).json()["results"])

    def pull(self, after: int, limit: int = 500) -> dict[str, Any]:
        return dict(self._call("GET", "/events", params={"after": after, "limit": limit}).json())

    def snapshot(self) -> dict[str, Any]:
        return dict(self._call("GET", "/snapshot").json())

    def case_events(self, case_uuid: str) -> list[dict[str, Any]]:
        j = self._call("GET", f"/cases/{case_uuid}/events").json()
        return list(j["events"] if isinstance(j, dict) else j)

    def me(self) -> dict[str, Any]:
        return dict(self._call("GET", "/devices/me").json())

    def users(self, etag: str | None = None) -> tuple[dict[str, Any] | None, str | None]:
        return self._conditional("/users", etag)

    def catalog(self, etag: str | None = None) -> tuple[bytes | None, str | None]:
        return self._conditional_raw("/catalog", etag)

    def calendar(self, etag: str | None = None) -> tuple[bytes | None, str | None]:
        return self._conditional_raw("/calendar", etag)

    def _conditional_raw(self, path: str, etag: str | None) -> tuple[bytes | None, str | None]:
        r = self._call("GET", path, headers={"If-None-Match": etag} if etag else None)
        if r.status_code == 304:
            return None, etag
        return r.content, r.headers.get("ETag")

    def _conditional(self, path: str, etag: str | None) -> tuple[dict[str, Any] | None, str | None]:
        raw, tag = self._conditional_raw(path, etag)
        return (None if raw is None else json.loads(raw)), tag
