"""POST /enrol: a one-time enrolment code becomes a device token for (device, OS account)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from county_hub import audit, devices
from county_hub.api.deps import engine_of
from county_hub.db import write_engine
from county_hub.errors import HubError, error_responses
from county_hub.schemas import EnrolRequest, EnrolResponse
from county_hub.strict_json import StrictJSONRoute

router = APIRouter(tags=["devices"], route_class=StrictJSONRoute)


@router.post(
    "/enrol", response_model=EnrolResponse, responses=error_responses(400, 403, 408, 413, 415, 422, 429)
)
def enrol(body: EnrolRequest, request: Request) -> dict[str, Any]:
    engine = write_engine(engine_of(request))
    try:
        with engine.begin() as conn:
            return devices.enrol(conn, body.code, body.os_account, body.device_info)
    except HubError as exc:
        # What a caller without a code makes the hub write is bounded: a throttled row (county_hub.limits)
        # with the account name cut to 64 characters.
        left_out = request.app.state.refusal_audits.admit()
        if left_out is not None:
            account, cut = body.os_account[:64], len(body.os_account) > 64
            detail: dict[str, Any] = {"code": exc.code}
            if cut:
                detail["account_truncated_from"] = len(body.os_account)
            if left_out:
                detail["refusals_not_recorded_before"] = left_out
            with engine.begin() as conn:
                audit.record(conn, "enrolment_refused", account, getattr(exc, "subject", "?"), **detail)
        raise
