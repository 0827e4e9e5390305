"""POST /enrol: a one-time enrolment code becomes a device token for (device, OS account)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from county_hub import audit, devices
from county_hub.api.deps import engine_of
from county_hub.db import write_engine
from county_hub.errors import HubError, error_responses
from county_hub.schemas import EnrolRequest, EnrolResponse

router = APIRouter(tags=["devices"])


@router.post("/enrol", response_model=EnrolResponse, responses=error_responses(400, 403, 413, 415, 422))
def enrol(body: EnrolRequest, request: Request) -> dict[str, Any]:
    engine = write_engine(engine_of(request))
    try:
        with engine.begin() as conn:
            return devices.enrol(conn, body.code, body.os_account, body.device_info)
    except HubError as exc:
        with engine.begin() as conn:
            audit.record(
                conn, "enrolment_refused", body.os_account, getattr(exc, "subject", "?"), code=exc.code
            )
        raise
