"""Catalog, calendar and supervision-values downloads (ETag / If-None-Match), the user directory, and the device itself."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response

from county_hub import holdings, publications
from county_hub.api.deps import AuthedDevice, TokenFirstRoute, engine_of, etag_matches
from county_hub.directory import directory_for
from county_hub.errors import HubError, error_responses
from county_hub.models import utcnow
from county_hub.schemas import DeviceMe, UsersResponse, iso_utc

router = APIRouter(tags=["resources"], route_class=TokenFirstRoute)

_FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "the file, byte for byte as published", "content": {"application/json": {}}},
    304: {"description": "unchanged since the ETag sent in If-None-Match"},
    **error_responses(401, 404),
}


def _file(request: Request, kind: str, if_none_match: str | None) -> Response:
    with engine_of(request).connect() as conn:
        pub = publications.latest(conn, kind)
    if pub is None:
        raise HubError(404, "not_published", f"no {kind} has been published on this hub yet")
    headers = {
        "ETag": f'"{pub.etag}"',
        "X-Publication-Version": str(pub.version),
        "Cache-Control": "no-cache",
    }
    if etag_matches(if_none_match, pub.etag):
        return Response(status_code=304, headers=headers)
    return Response(content=pub.content, media_type="application/json", headers=headers)


@router.get("/catalog", response_class=Response, responses=_FILE_RESPONSES)
def catalog(
    device: AuthedDevice, request: Request, if_none_match: Annotated[str | None, Header()] = None
) -> Response:
    """The county's catalog. A desk's timer round names here what it holds (``X-Desk-Holds``: program,
    catalog and calendar versions), kept for ``county-hub device list`` (county_hub.holdings); a header that
    is not the format is ignored, and the answer is the same either way."""
    holdings.record(engine_of(request), device, request.headers.getlist(holdings.HEADER))
    return _file(request, "catalog", if_none_match)


@router.get("/calendar", response_class=Response, responses=_FILE_RESPONSES)
def calendar(
    device: AuthedDevice, request: Request, if_none_match: Annotated[str | None, Header()] = None
) -> Response:
    return _file(request, "calendar", if_none_match)


@router.get("/supervision-settings", response_class=Response, responses=_FILE_RESPONSES)
def supervision_settings(
    device: AuthedDevice, request: Request, if_none_match: Annotated[str | None, Header()] = None
) -> Response:
    """The county's 签收 minutes and result days (clerk_desk.domain.supervision_settings; docs/supervision.md)."""
    return _file(request, "supervision", if_none_match)


@router.get(
    "/users",
    response_model=UsersResponse,
    responses={
        304: {"description": "unchanged since the ETag sent in If-None-Match"},
        **error_responses(401),
    },
)
def users(
    device: AuthedDevice, request: Request, if_none_match: Annotated[str | None, Header()] = None
) -> Any:
    with engine_of(request).connect() as conn:
        entries = directory_for(conn, device.site_code, device.scope)
    body = json.dumps({"users": entries}, ensure_ascii=False, sort_keys=True).encode()
    etag = hashlib.sha256(body).hexdigest()
    headers = {"ETag": f'"{etag}"', "Cache-Control": "no-cache"}
    if etag_matches(if_none_match, etag):
        return Response(status_code=304, headers=headers)
    return Response(content=body, media_type="application/json", headers=headers)


@router.get("/devices/me", response_model=DeviceMe, responses=error_responses(401))
def device_me(device: AuthedDevice) -> dict[str, Any]:
    return {
        "device_code": device.device_code,
        "site_code": device.site_code,
        "kind": device.kind,
        "scope": device.scope.as_list(),
        "token_id": device.token_id,
        "os_account": device.os_account,
        "max_device_seq": device.max_device_seq,
        "last_push_at": iso_utc(device.last_push_at) if device.last_push_at else None,
        "server_time": iso_utc(utcnow()),
    }
