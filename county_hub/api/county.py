"""The county's figures and 督办 list, for county supervisor devices only (docs/hub.md, "County figures")."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from county_hub import county_figures, county_supervision
from county_hub.api.deps import AuthedDevice, TokenFirstRoute, engine_of
from county_hub.auth import DeviceContext
from county_hub.devices import COUNTY
from county_hub.errors import HubError, error_responses
from county_hub.models import utcnow
from county_hub.schemas import CODE_PATTERN

router = APIRouter(tags=["county"], route_class=TokenFirstRoute)

Site = Annotated[
    str | None, Query(pattern=CODE_PATTERN, description="one township (site code); all if absent")
]


def _county_only(device: DeviceContext) -> None:
    if device.kind != COUNTY:
        raise HubError(
            403,
            "county_device_required",
            "the county's figures are for county supervisor devices (county-hub device add --kind county)",
        )


def _json(body: dict[str, Any]) -> Response:
    """Strict JSON: a figure is a number, a rate or null, never NaN."""
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return Response(text, media_type="application/json")


@router.get("/county/figures", responses=error_responses(401, 403, 422))
def figures(
    device: AuthedDevice,
    request: Request,
    first: Annotated[date, Query(alias="from", description="first Shanghai day of the period")],
    last: Annotated[date, Query(alias="to", description="last Shanghai day of the period (inclusive)")],
    site: Site = None,
) -> Response:
    _county_only(device)
    if last < first or last - first > timedelta(days=county_figures.MAX_PERIOD_DAYS - 1):
        raise HubError(
            422,
            "invalid_period",
            f"the period runs from 'from' to 'to' (inclusive), at most {county_figures.MAX_PERIOD_DAYS} days",
        )
    with engine_of(request).connect() as conn, conn.begin():
        return _json(county_figures.figures(conn, first, last, [site] if site else None))


@router.get("/county/overdue", responses=error_responses(401, 403, 422))
def overdue(
    device: AuthedDevice,
    request: Request,
    site: Site = None,
    limit: Annotated[int, Query(ge=1, le=county_supervision.MAX_OVERDUE)] = 500,
) -> Response:
    _county_only(device)
    with engine_of(request).connect() as conn, conn.begin():
        return _json(county_supervision.overdue(conn, utcnow(), [site] if site else None, limit))
