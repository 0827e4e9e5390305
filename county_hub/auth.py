"""Device tokens: random, shown once at enrolment, stored as sha256; Bearer authentication."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Connection, select

from county_hub.errors import HubError
from county_hub.models import Device, DeviceScope, DeviceToken
from county_hub.scope import Scope

_bearer = HTTPBearer(auto_error=False, description="the device token from POST /api/v1/enrol")


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """(token id, token): the id names the token in admin commands; the token is the secret."""
    return "t" + secrets.token_hex(6), secrets.token_urlsafe(32)


@dataclass(frozen=True)
class DeviceContext:
    device_code: str
    site_code: str
    kind: str  # clerk | approver | county
    scope: Scope
    token_id: str
    os_account: str
    max_device_seq: int
    last_push_at: datetime | None
    enrolled_at: datetime | None = None

    @property
    def side(self) -> str:
        return "window" if self.kind == "clerk" else "back_office"


def device_rows(conn: Connection, token: str) -> Sequence[Sequence[Any]]:
    """The token's rows (one per scope pair of its device), in the order :func:`device_from_rows` reads:
    one query, on every request. (The PostgreSQL storage runs the same query as fixed SQL.)"""
    return conn.execute(
        select(
            DeviceToken.id,
            DeviceToken.os_account,
            DeviceToken.revoked_at,
            Device.code,
            Device.site_code,
            Device.kind,
            Device.max_device_seq,
            Device.last_push_at,
            Device.revoked_at.label("device_revoked_at"),
            DeviceScope.site_code.label("scope_site"),
            DeviceScope.department_code.label("scope_dept"),
            Device.enrolled_at,
        )
        .join(Device, Device.code == DeviceToken.device_code)
        .outerjoin(DeviceScope, DeviceScope.device_code == Device.code)
        .where(DeviceToken.token_hash == secret_hash(token))
    ).all()


def device_from_rows(rows: Sequence[Sequence[Any]]) -> DeviceContext:
    """The device context from the token's rows, or the reason it is refused (HubError 401)."""
    if not rows:
        raise HubError(401, "invalid_token", "the device token is not known to this hub; enrol the device")
    token_id, os_account, token_revoked, code, site_code, kind, max_device_seq, last_push_at = rows[0][:8]
    if token_revoked is not None:
        raise HubError(
            401, "token_revoked", "this device token was revoked; ask county IT for a new enrolment code"
        )
    if rows[0][8] is not None:
        raise HubError(401, "device_revoked", "this device was revoked by county IT")
    return DeviceContext(
        device_code=code,
        site_code=site_code,
        kind=kind,
        scope=Scope.of((r[9], r[10]) for r in rows if r[9] is not None),
        token_id=token_id,
        os_account=os_account,
        max_device_seq=max_device_seq,
        last_push_at=_utc(last_push_at),
        enrolled_at=_utc(rows[0][11]),
    )


def _utc(moment: datetime | None) -> datetime | None:
    """Aware UTC (SQLite hands back naive UTC text, county_hub.models.UTCDateTime)."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


async def bearer_credentials(request: Request) -> HTTPAuthorizationCredentials | None:
    """The Authorization header's credentials, outside a dependency (county_hub.api.deps.TokenFirstRoute)."""
    return await _bearer(request)


async def bearer_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """The token sent, not yet checked against the database (the caller does, on its own connection)."""
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise HubError(401, "missing_token", "send the device token as 'Authorization: Bearer <token>'")
    return credentials.credentials


BearerToken = Annotated[str, Depends(bearer_token)]
