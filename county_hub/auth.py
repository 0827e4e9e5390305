"""Device tokens: random, shown once at enrolment, stored as sha256; Bearer authentication."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine, select

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
    kind: str  # clerk | approver
    scope: Scope
    token_id: str
    os_account: str
    max_device_seq: int
    last_push_at: datetime | None

    @property
    def side(self) -> str:
        return "window" if self.kind == "clerk" else "back_office"


def load_device(engine: Engine, token: str) -> DeviceContext:
    """The device behind a token, with its scope: one query (it runs on every request)."""
    with engine.connect() as conn:
        rows = conn.execute(
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
            )
            .join(Device, Device.code == DeviceToken.device_code)
            .outerjoin(DeviceScope, DeviceScope.device_code == Device.code)
            .where(DeviceToken.token_hash == secret_hash(token))
        ).all()
    if not rows:
        raise HubError(401, "invalid_token", "the device token is not known to this hub; enrol the device")
    row = rows[0]
    if row.revoked_at is not None:
        raise HubError(
            401, "token_revoked", "this device token was revoked; ask county IT for a new enrolment code"
        )
    if row.device_revoked_at is not None:
        raise HubError(401, "device_revoked", "this device was revoked by county IT")
    return DeviceContext(
        device_code=row.code,
        site_code=row.site_code,
        kind=row.kind,
        scope=Scope.of((r.scope_site, r.scope_dept) for r in rows if r.scope_site is not None),
        token_id=row.id,
        os_account=row.os_account,
        max_device_seq=row.max_device_seq,
        last_push_at=row.last_push_at,
    )


def current_device(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> DeviceContext:
    if credentials is None or credentials.scheme.lower() != "bearer" or not credentials.credentials:
        raise HubError(401, "missing_token", "send the device token as 'Authorization: Bearer <token>'")
    return load_device(request.app.state.engine, credentials.credentials)


AuthedDevice = Annotated[DeviceContext, Depends(current_device)]
