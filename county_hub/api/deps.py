"""Small helpers shared by the route modules."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine

from county_hub.auth import BearerToken, DeviceContext
from county_hub.settings import Settings
from county_hub.storage import Storage


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
