"""Request bodies are parsed as standard JSON only: ``NaN``, ``Infinity`` and numbers too large for a
float are refused with 400 ``malformed_json``.

Python's json module accepts ``NaN`` and ``Infinity`` (and reads ``1e400`` as infinity). Stored in a
payload they came back from SQLite as non-standard JSON no other reader takes, and PostgreSQL's json type
refused them with a 500. The hooks below cost nothing for bodies without floats: ``parse_constant`` is only
called for the three non-standard words, ``parse_float`` once per number with a fraction or an exponent.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

NOT_A_NUMBER = "NaN and Infinity are not JSON numbers"


class _NotStandardJSON(ValueError):
    pass


def _refuse_constant(word: str) -> Any:
    raise _NotStandardJSON(f"{word}: {NOT_A_NUMBER}")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NotStandardJSON(f"a number out of range: {NOT_A_NUMBER}")
    return value


def loads_strict(body: bytes | str) -> Any:
    """json.loads that raises json.JSONDecodeError for NaN, Infinity and overflowing numbers."""
    try:
        return json.loads(body, parse_constant=_refuse_constant, parse_float=_finite_float)
    except _NotStandardJSON as exc:
        doc = body.decode(errors="replace") if isinstance(body, bytes) else body
        raise json.JSONDecodeError(str(exc), doc[:0], 0) from None


class StrictJSONRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = loads_strict(await self.body())
        return self._json


class StrictJSONRoute(APIRoute):
    """A route whose JSON body is read with :func:`loads_strict` (FastAPI then answers 400 as for any
    other malformed body, county_hub.errors)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict_handler(request: Request) -> Response:
            return await handler(StrictJSONRequest(request.scope, request.receive))

        return strict_handler
