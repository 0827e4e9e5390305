"""HTTP API v1 (docs/sync-protocol.md)."""

from __future__ import annotations

from fastapi import APIRouter

from county_hub.api import enrol, events, meta, resources


def router() -> APIRouter:
    api = APIRouter()
    for module in (meta, enrol, events, resources):
        api.include_router(module.router)
    return api
