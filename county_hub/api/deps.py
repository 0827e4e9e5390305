"""Small helpers shared by the route modules."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from county_hub.auth import BearerToken, DeviceContext, bearer_credentials, bearer_token
from county_hub.settings import Settings
from county_hub.storage import Storage
from county_hub.strict_json import StrictJSONRoute


def storage_of(request: Request) -> Storage:
    storage: Storage = request.app.state.storage
    return storage


def engine_of(request: Request) -> Engine:
    return storage_of(request).engine


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def current_device(request: Request, token: BearerToken) -> DeviceContext:
    return storage_of(request).device(token)


AuthedDevice = Annotated[DeviceContext, Depends(current_device)]


class TokenFirstRoute(StrictJSONRoute):
    """A route whose answer to a bad token comes before its answer to a bad request.

    FastAPI validates the query and the body before the endpoint runs; an endpoint that checks its token
    itself (the push: the token check and the push on one thread hand-off, docs/sync-protocol.md) would
    otherwise answer 422 to a stranger. A request refused as invalid has its token checked first."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def token_first_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError:
                token = await bearer_token(await bearer_credentials(request))
                await run_in_threadpool(storage_of(request).device, token)
                raise

        return token_first_handler


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 weak comparison of an If-None-Match header against our (strong) ETag value."""
    if not if_none_match:
        return False
    for candidate in if_none_match.split(","):
        tag = candidate.strip()
        if tag == "*":
            return True
        if tag.startswith("W/"):
            tag = tag[2:]
        if tag.strip('"') == etag:
            return True
    return False
