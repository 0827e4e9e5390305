"""Push, pull, snapshot and a case's history: the sync endpoints."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from clerk_desk.domain.hall_streams import STREAM_OF, Stream
from county_hub import audit, queries
from county_hub.admission import Limits
from county_hub.api.deps import AuthedDevice, TokenFirstRoute, engine_of, settings_of, storage_of
from county_hub.auth import BearerToken, DeviceContext
from county_hub.db import write_engine
from county_hub.devices import COUNTY
from county_hub.errors import HubError, error_responses
from county_hub.push import push_events
from county_hub.schemas import (
    MAX_INT64,
    CaseEventsResponse,
    PullResponse,
    PushRequest,
    PushResponse,
    RecordStream,
    SnapshotResponse,
    WireEvent,
)

router = APIRouter(tags=["events"], route_class=TokenFirstRoute)


def _json(body: dict[str, Any]) -> Response:
    """Serialize directly: the body is built to the documented model already, and validating
    thousands of events again per pull costs more CPU than the query (the models stay in the docs)."""
    return Response(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")), media_type="application/json"
    )


def _text(body: str) -> Response:
    """A JSON body already written (pull and a case's history: county_hub.queries)."""
    return Response(body, media_type="application/json")


def _authorize(device: DeviceContext, events: list[WireEvent]) -> HubError | None:
    """Whole-batch checks: a device writes only its own events, for its side, inside its scope."""
    if device.kind == COUNTY:
        return HubError(
            403,
            "county_device_read_only",
            "a county supervisor device reads the county's figures and pushes no event",
        )
    foreign = [e.uuid for e in events if e.device_code != device.device_code]
    if foreign:
        return HubError(
            403,
            "device_mismatch",
            f"events must carry this token's device_code {device.device_code}",
            uuids=foreign[:50],
        )
    wrong_side = [e.uuid for e in events if e.side.value != device.side]
    if wrong_side:
        return HubError(
            403,
            "side_not_allowed",
            f"a {device.kind} device emits events for the {device.side} side only",
            uuids=wrong_side[:50],
        )
    outside = [e.uuid for e in events if not device.scope.covers(e.site_code, e.department_code)]
    if outside:
        return HubError(
            403,
            "out_of_scope",
            "some events are for a site or department this device does not serve; nothing was stored",
            uuids=outside[:50],
        )
    return None


@router.post(
    "/events", response_model=PushResponse, responses=error_responses(400, 401, 403, 408, 409, 413, 415, 422)
)
def push(body: PushRequest, token: BearerToken, request: Request) -> Any:
    # The token is checked here, on the push's own thread hand-off (one fewer before an event is stored);
    # a body refused before this runs has its token checked first (TokenFirstRoute: 401 comes first).
    device = storage_of(request).device(token)
    cursor = request.headers.get(queries.CURSOR_HEADER, "")
    if cursor.isascii() and cursor.isdigit() and len(cursor) < 20:
        # A desk a restore left behind is told before anything is stored: a later event of a case the restore
        # lost, pushed before the desk has sent that case's lost events again, would be refused for good.
        queries.check_lost(int(cursor), engine_of(request), behind=True)
    _admit(request, device, body.events)
    if not body.events:
        return {"results": []}
    settings = settings_of(request)
    limits = Limits(
        timedelta(seconds=settings.clock_skew_s), settings.max_device_seq_jump, settings.max_event_bytes
    )
    answers = push_events(storage_of(request), device, body.events, limits=limits)
    if any(a.status == "stored" for a in answers):
        request.app.state.live.kick()  # desks waiting on this worker hear of it now (county_hub.live)
    return _json({"results": [a.as_dict() for a in answers]})


def _admit(request: Request, device: DeviceContext, events: list[WireEvent]) -> None:
    settings = settings_of(request)
    if len(events) > settings.max_batch:
        raise HubError(
            413, "batch_too_large", f"a push may carry at most {settings.max_batch} events; split the batch"
        )
    refusal = _authorize(device, events)
    if refusal is not None:
        with write_engine(engine_of(request)).begin() as conn:
            audit.record(
                conn, "push_refused", device.device_code, refusal.code, uuids=refusal.extra.get("uuids", [])
            )
        raise refusal


@router.get("/events", response_model=PullResponse, responses=error_responses(401, 409, 422))
def pull(
    token: BearerToken,
    request: Request,
    after: Annotated[int, Query(ge=0, le=MAX_INT64, description="the cursor: the last seq applied")] = 0,
    limit: Annotated[int | None, Query(ge=1, le=1000)] = None,
) -> Response:
    settings = settings_of(request)
    size = min(limit or settings.default_pull_limit, settings.max_pull_limit)
    # The token is checked by the storage, on the connection that reads the page (one thread hand-off,
    # one connection per pull, the most frequent request).
    return _text(storage_of(request).pull(token, after, size))


@router.get("/snapshot", response_model=SnapshotResponse, responses=error_responses(401, 422))
def snapshot(device: AuthedDevice, request: Request) -> Response:
    with storage_of(request).consistent_read() as conn:
        return _json(queries.snapshot(conn, device.scope))


@router.get(
    "/cases/{case_uuid}/events", response_model=CaseEventsResponse, responses=error_responses(401, 404, 422)
)
def case_history(
    device: AuthedDevice, request: Request, case_uuid: Annotated[str, Path(max_length=64)]
) -> Response:
    return _text(queries.case_events(engine_of(request), device.scope, case_uuid))


@router.get("/streams/{stream}/events", response_model=PullResponse, responses=error_responses(401, 409, 422))
def stream_events(
    device: AuthedDevice,
    request: Request,
    stream: RecordStream,
    after: Annotated[int, Query(ge=0, le=MAX_INT64, description="the last seq read")] = 0,
    limit: Annotated[int | None, Query(ge=1, le=1000)] = None,
) -> Response:
    """One record stream of the scope (consultations, 帮办代办 or attendance: docs/hall-services.md), read
    from the log after a cursor, for whoever reads it per stream (the county's figures)."""
    settings = settings_of(request)
    size = min(limit or settings.default_pull_limit, settings.max_pull_limit)
    types = [t for t, s in STREAM_OF.items() if s is Stream(stream.value)]
    with storage_of(request).consistent_read() as conn:
        return _text(queries.stream_events(conn, device.scope, types, after, size))
