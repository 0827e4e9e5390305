"""GET /health: no authentication, so a desk can probe the link and measure its clock skew."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from county_hub import __version__
from county_hub.api.deps import engine_of
from county_hub.errors import HubError, error_responses
from county_hub.models import utcnow
from county_hub.schemas import Health, iso_utc

router = APIRouter(tags=["meta"])


@router.get("/health", response_model=Health, responses=error_responses(503))
def health(request: Request) -> dict[str, str]:
    try:
        with engine_of(request).connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError:
        raise HubError(503, "database_unavailable", "the hub cannot reach its database") from None
    return {"status": "ok", "server_time": iso_utc(utcnow()), "version": __version__, "api": "v1"}
