"""GET /changes: a desk held open until its scope changes (county_hub.live, docs/sync-protocol.md); with
``limit``, a "changed" answer carries the events too (the pull page the desk would fetch next)."""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from county_hub import faults, queries
from county_hub.api.deps import TokenFirstRoute, settings_of, storage_of
from county_hub.auth import BearerToken, DeviceContext
from county_hub.errors import HubError, error_responses
from county_hub.live import LiveLog, TooManyWaiters, WaitSuperseded, first_change
from county_hub.schemas import MAX_INT64, WaitResponse
from county_hub.scope import Scope

router = APIRouter(tags=["events"], route_class=TokenFirstRoute)  # its token is checked in the endpoint
log = logging.getLogger(__name__)

RETRY_AFTER_S = 30
NO_STORE = {"Cache-Control": "no-store"}


@router.get("/changes", response_model=WaitResponse, responses=error_responses(401, 409, 422, 503))
async def wait_for_changes(
    token: BearerToken,
    request: Request,
    after: Annotated[
        int, Query(ge=0, le=MAX_INT64, description="the desk's cursor: the last seq applied")
    ] = 0,
    timeout: Annotated[float, Query(ge=0, le=300, description="seconds to hold the request at most")] = 25.0,
    limit: Annotated[
        int | None,
        Query(ge=1, le=1000, description="answer 'changed' with the events too: the pull page of this size"),
    ] = None,
) -> Response:
    storage = storage_of(request)

    def look() -> tuple[DeviceContext, tuple[int, bool]]:
        """The token's device and the first look at the log, in one thread hand-off: a desk asks again
        after every answer, so at every case a site's windows all come back at once."""
        device = storage.device(token)
        first = first_change(storage.engine, device.scope, device.device_code, after)
        # a cursor a restore left behind is told now, as its pull would be, rather than held
        queries.check_cursor(after, first[0], storage.engine, behind=True)
        return device, first

    device, first = await run_in_threadpool(look)
    live: LiveLog = request.app.state.live
    held_s = min(timeout, settings_of(request).max_wait_s)
    waiting = asyncio.ensure_future(
        live.wait(device.scope, device.device_code, after, held_s, first, holder=device.token_id)
    )
    gone = asyncio.ensure_future(_disconnected(request))
    try:
        await asyncio.wait({waiting, gone}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        gone.cancel()
    if not waiting.done():  # the desk went away: its waiter goes too, nobody reads an answer
        waiting.cancel()
        return Response(status_code=204)
    try:
        changed, head = waiting.result()
    except TooManyWaiters:
        refusal = HubError(
            503, "too_many_waiters", "this hub worker holds as many desks as it may; poll instead"
        )
        return JSONResponse(refusal.body(), status_code=503, headers={"Retry-After": str(RETRY_AFTER_S)})
    except WaitSuperseded:
        refusal = HubError(
            409, "wait_superseded", "a newer wait with this device's token took this one's place: poll for a while"
        )
        return JSONResponse(refusal.body(), status_code=409, headers=NO_STORE)
    if changed and limit is not None:
        page = await _page(request, live, device.scope, after, limit, head)
        if page is not None:  # the pull page's body, with the answer's two fields in front
            return Response(f'{{"changed":true,"head":{head},{page[1:]}', media_type="application/json",
                            headers=NO_STORE)  # fmt: skip
    return JSONResponse({"changed": changed, "head": head}, headers=NO_STORE)


async def _page(
    request: Request, live: LiveLog, scope: Scope, after: int, limit: int, head: int
) -> str | None:
    """The events the desk would pull next (county_hub.queries.pull), or None if they cannot be read
    now: the answer then says just "changed" and the desk pulls them itself."""
    storage = storage_of(request)
    size = min(limit, settings_of(request).max_pull_limit)

    def read() -> str:
        with storage.consistent_read() as conn:
            return queries.pull(conn, scope, after, size)

    try:
        return await live.page(scope, after, size, head, read)
    except Exception as exc:  # noqa: BLE001 - the desk pulls instead; the cause is logged, without data
        log.error("reading the events for a waiting desk's answer failed:\n%s", faults.describe(exc))
        return None


async def _disconnected(request: Request) -> None:
    """Returns when the desk closes the connection (a GET has no body: the next message is the end)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass
