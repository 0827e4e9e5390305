"""A failed request in the hub's log: what failed and where, never the data it carried.

An event's payload holds applicants' names, ID numbers and phones. Logged as they are, a database error
names them twice over: SQLAlchemy's message lists the statement's parameters, and PostgreSQL's detail
quotes the failing row ("Failing row contains (...)"); other exceptions may quote a value too. The log of a
service is read by more accounts than its database (the journal's readers, whoever collects the logs), so a
failure is written with its traceback's frames, each exception's type, and only the words known to hold no
value: SQLite's own message, PostgreSQL's SQLSTATE with the table, column and constraint it names.
"""

from __future__ import annotations

import logging
import sqlite3
import traceback
from typing import Any

from sqlalchemy.exc import SQLAlchemyError, StatementError

from county_hub.errors import HubError, send_error

log = logging.getLogger("uvicorn.error")  # beside the server's own lines, in their format

_INTERNAL = HubError(
    500, "internal_error", "the hub could not complete this request; it is logged at the hub, and the desk retries later"
)


def _words(exc: BaseException) -> str:
    """What may be said of one exception without quoting data."""
    if isinstance(exc, StatementError):
        return "(parameters not logged)"
    if isinstance(exc, sqlite3.Error):
        return str(exc).splitlines()[0] if str(exc) else ""
    diag = getattr(exc, "diag", None)
    if diag is not None and getattr(exc, "sqlstate", None):  # psycopg: the server's words may quote values
        names = {k: getattr(diag, k, None) for k in ("table_name", "column_name", "constraint_name")}
        return f"SQLSTATE {exc.sqlstate} " + " ".join(f"{k}={v}" for k, v in names.items() if v)  # type: ignore[attr-defined]
    if isinstance(exc, SQLAlchemyError):
        return ""
    return f"(message of {len(str(exc))} characters not logged)" if str(exc) else ""


def describe(exc: BaseException) -> str:
    """The exception and the ones it came from, oldest first, as a traceback without their messages."""
    chain: list[BaseException] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        chain.append(current)
        seen.add(id(current))
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    lines: list[str] = []
    for e in reversed(chain):
        if lines:
            lines.append("which led to:")
        lines.append("Traceback (most recent call last):")
        lines.extend(line.rstrip("\n") for line in traceback.format_tb(e.__traceback__))
        kind = type(e)
        lines.append(f"{kind.__module__}.{kind.__qualname__}: {_words(e)}".rstrip())
    return "\n".join(lines)


class FaultsWithoutData:
    """ASGI: a request that fails is answered 500 and logged by :func:`describe` (not by the server, which
    would print the exception's whole message). The outermost of the app's middlewares."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Any) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as exc:  # noqa: BLE001 - answered and logged here, without the data
            log.error("%s %s failed:\n%s", scope.get("method", "?"), scope.get("path", "?"), describe(exc))
            if started:  # the answer is cut; the desk retries
                return
            await send_error(send, _INTERNAL)
