"""What every database of the hub shares: how JSON is stored, and how a write transaction is asked for.

The engine itself is made by the database's storage (county_hub.storage.open_storage, or its
``make_engine`` when only the engine is wanted).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine

# An execution option: this connection writes. The SQLite storage then begins ``BEGIN IMMEDIATE`` (the
# database's write lock at once, so writers are serialized and a reader never upgrades to a writer
# halfway); on PostgreSQL the option means nothing (the log's append lock is its counter row).
WRITE_OPTION = "hub_write"


def json_text(value: Any) -> str:
    """How the hub stores JSON columns: compact UTF-8 (what pull sends back as it is stored).

    A string holding a lone surrogate cannot be encoded as UTF-8: such a value is stored with escapes.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    try:
        text.encode()
    except UnicodeEncodeError:
        return json.dumps(value, separators=(",", ":"))
    return text


def write_engine(engine: Engine) -> Engine:
    """The engine for a transaction that writes (admin commands, enrolment, the audit trail)."""
    return engine.execution_options(**{WRITE_OPTION: True})
