"""The state the hub keeps of each record that is not a case (a consultation, a 帮办代办, a stint on a window:
clerk_desk/domain/hall_streams.py): its stream and its version, i.e. how many of its events the log holds
(docs/sync-protocol.md, "Record streams").

A record's events are appended like a case's, and its state is the log itself: :func:`versions` counts the
stored events of the records a push names (the log's ``case_uuid`` index), and the push plan takes a record
event only at the version that follows (county_hub.push_plan). So the hub no longer relies on each device
pushing a record's events in order: an event that arrives before the one it follows is refused
``stale_version`` and sent again by the desk after it.

The count is read before the append lock, with the rest of the push's facts: two PCs pushing events of one
record at the same moment could both be taken at the same version. A record is kept by the PC that made it
(a stint by the clerk's PC, a consultation or a 帮办代办 by the window that logged it), so this does not
arise in the hall's work; a lock per record would close it.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine, func, select

from clerk_desk.domain.hall_streams import STREAM_OF, Stream
from county_hub.models import Event


def versions(engine: Engine, record_uuids: Iterable[str]) -> dict[str, tuple[str, int]]:
    """uuid -> (stream, events stored) for the records of ``record_uuids`` the log holds (cases left out)."""
    uuids = sorted(set(record_uuids))
    if not uuids:
        return {}
    with engine.connect() as conn:
        rows = conn.execute(select(Event.case_uuid, func.max(Event.type), func.count())
                            .where(Event.case_uuid.in_(uuids)).group_by(Event.case_uuid)).all()  # fmt: skip
    out = {}
    for uuid, kind, n in rows:
        stream = STREAM_OF.get(kind)
        if stream is not None and stream is not Stream.CASE:
            out[uuid] = (stream.value, int(n))
    return out
