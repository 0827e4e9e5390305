"""One error shape for every 4xx: ``{"detail": {"code": ..., "message": ...}}`` with a plain reason."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from county_hub.strict_json import NOT_A_NUMBER


class HubError(Exception):
    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"detail": {"code": self.code, "message": self.message, **self.extra}}


async def send_error(
    send: Callable[[MutableMapping[str, Any]], Awaitable[None]],
    error: HubError,
    *,
    headers: Sequence[tuple[bytes, bytes]] = (),
    close: bool = False,
) -> None:
    """``error`` answered from an ASGI middleware, outside the app's exception handlers, in the same shape.
    ``close``: the request's body was not read to its end, so the connection cannot carry another request."""
    body = json.dumps(error.body(), ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": error.status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
                *([(b"connection", b"close")] if close else []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    detail: ErrorDetail


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses a route may answer."""
    return {s: {"model": ErrorResponse} for s in statuses}


def error_response(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse(HubError(status, code, message, **extra).body(), status_code=status)


_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "body_too_large",
    415: "unsupported_media_type",
}


def _where(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body",)]
    return ".".join(parts) or "body"


def _validation_response(exc: RequestValidationError, max_batch: int) -> JSONResponse:
    errors = exc.errors()
    for e in errors:
        if e.get("type") == "json_invalid":
            why = str((e.get("ctx") or {}).get("error", ""))
            # Only our own reason is passed on: the parser's other texts may quote the input.
            detail = f" ({why})" if NOT_A_NUMBER in why else ""
            return error_response(400, "malformed_json", f"the request body is not valid JSON{detail}")
    for e in errors:
        if tuple(e.get("loc", ())) == ("body", "events") and e.get("type") == "too_long":
            return error_response(
                413, "batch_too_large", f"a push may carry at most {max_batch} events; split the batch"
            )
    # The input itself is never echoed: an event's payload may carry applicant personal data.
    listed = [
        {"where": _where(tuple(e.get("loc", ()))), "problem": str(e.get("msg", ""))} for e in errors[:20]
    ]
    first = listed[0] if listed else {"where": "body", "problem": "invalid"}
    message = f"{first['where']}: {first['problem']}"
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more problem(s))"
    return error_response(422, "invalid_request", message, errors=listed)


def install_handlers(app: FastAPI, max_batch: int) -> None:
    @app.exception_handler(HubError)
    async def _hub_error(_request: Request, exc: HubError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return _validation_response(exc, max_batch)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        return JSONResponse(
            {"detail": {"code": code, "message": message}}, status_code=exc.status_code, headers=exc.headers
        )
