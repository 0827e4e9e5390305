"""The FastAPI application factory."""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware

from county_hub import API_PREFIX, __version__, queries, timing
from county_hub.api import router
from county_hub.errors import install_handlers
from county_hub.faults import FaultsWithoutData
from county_hub.gzip_body import RequestBodyLimit
from county_hub.limits import AuditThrottle, RateLimited, RateLimiter
from county_hub.live import LiveLog
from county_hub.settings import Settings
from county_hub.storage import Storage, open_storage

DESCRIPTION = """The county hub of Clerk Desk: devices push the events of their outbox and pull the
events of their scope (see docs/sync-protocol.md). Authenticate with the device token from
`POST /api/v1/enrol` as `Authorization: Bearer <token>`. Request bodies may be gzip-encoded."""


ENROL_PATH = f"{API_PREFIX}/enrol"


def enrol_limiter(settings: Settings) -> RateLimiter:
    return RateLimiter(
        settings.enrol_per_client_burst,
        settings.enrol_per_client_per_minute,
        settings.enrol_overall_burst,
        settings.enrol_overall_per_minute,
    )


def _freeze_startup_objects() -> None:
    """Leave the ~120,000 objects of the loaded modules (FastAPI, pydantic, SQLAlchemy, the app) out of
    every later garbage collection: a full collection over them paused a worker's every request for
    100-250 ms a few times a minute, the largest part of the p99 under load. Only what requests create
    is collected from here on."""
    gc.collect()
    gc.freeze()


def create_app(settings: Settings, storage: Storage | None = None) -> FastAPI:
    """Build the app. The database must already be migrated (county_hub.migrate.upgrade). Without
    ``storage`` the app opens its own for ``settings.db_url`` and closes it when it stops."""
    own_storage = storage is None
    db = storage if storage is not None else open_storage(settings.db_url)
    queries.load_lost(db.engine)  # what a restore from an older backup left behind (county_hub.backup)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if own_storage:
            db.warm_up()
            _freeze_startup_objects()
        yield
        if own_storage:
            db.engine.dispose()

    app = FastAPI(
        title="Clerk Desk county hub",
        version=__version__,
        description=DESCRIPTION,
        openapi_url=f"{API_PREFIX}/openapi.json",
        # No Swagger UI / ReDoc pages: they load their scripts from a public CDN, which the extranet
        # cannot reach (and a hub should not make browsers fetch). The OpenAPI document stays.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.storage = db
    app.state.live = LiveLog(
        db.engine,
        max_waiters=settings.max_waiters,
        poll_s=settings.live_poll_s,
        max_per_token=settings.max_waits_per_token,
    )
    app.state.refusal_audits = AuditThrottle(settings.refusal_audits_per_minute)
    install_handlers(app, settings.max_batch)
    app.include_router(router(), prefix=API_PREFIX)
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=5)  # 9 costs CPU for ~3 % less
    app.add_middleware(
        RequestBodyLimit,
        max_body=settings.max_body_bytes,
        max_compressed=settings.max_compressed_bytes,
        small={ENROL_PATH: settings.max_enrol_body_bytes},
        idle_timeout=settings.body_idle_timeout_s,
        total_timeout=settings.body_total_timeout_s,
    )
    # Outside the body cap: a caller over the limit is answered before its body is read.
    app.add_middleware(RateLimited, limiter=enrol_limiter(settings), paths=frozenset({ENROL_PATH}))
    timing_log = os.environ.get(timing.ENV)
    if timing_log:  # profiling only (county_hub/timing.py)
        app.add_middleware(timing.RequestTiming, path=timing_log)
    # Outermost: a request that fails is logged without the data it carried (county_hub.faults).
    app.add_middleware(FaultsWithoutData)
    return app


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` with several worker processes (``county-hub serve --workers N``)."""
    return create_app(Settings.resolve())
