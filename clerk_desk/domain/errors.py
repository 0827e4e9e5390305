"""One error hierarchy with text a clerk understands; the UI shows ``message_zh`` in one place."""

from __future__ import annotations


class ClerkDeskError(Exception):
    """Base of every error meant for a person at the window. ``message_zh`` is shown as is."""

    code = "error"

    def __init__(self, message_zh: str, *, code: str | None = None) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh
        if code:
            self.code = code


class InputError(ClerkDeskError):
    """Something typed is not valid; the input stays where it was."""

    code = "invalid_input"


class NotFound(ClerkDeskError):
    code = "not_found"


class Conflict(ClerkDeskError):
    code = "conflict"


class AuthError(ClerkDeskError):
    code = "auth"


class StorageError(ClerkDeskError):
    """The database could not be written (disk full, locked, read-only): nothing was saved."""

    code = "storage"
