"""HTTP API v1 (docs/sync-protocol.md)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from county_hub.api import county, enrol, events, live, meta, resources
from county_hub.errors import HubError


async def reject_unknown_query(request: Request) -> None:
    """A query parameter the operation does not declare is a mistake (a typo of ``after`` would silently
    pull from 0), so it gets a 422 like any other invalid request. Async: it only reads the request, so
    it runs on the event loop instead of costing every request a hop to the thread pool and back."""
    route = request.scope.get("route")
    declared = {p.alias for p in getattr(getattr(route, "dependant", None), "query_params", [])}
    unknown = sorted(set(request.query_params) - declared)
    if unknown:
        raise HubError(
            422,
            "invalid_request",
            "unknown query parameter",
            errors=[
                {"where": f"query.{name}", "problem": "not a parameter of this operation"} for name in unknown
            ],
        )


def router() -> APIRouter:
    api = APIRouter(dependencies=[Depends(reject_unknown_query)])
    for module in (meta, enrol, live, events, resources, county):
        api.include_router(module.router)
    return api
