"""A push, from the events to the answers: read, plan, append (docs/hub.md, "Storage").

1. Without any lock, the storage reads what the hub holds for the batch's uuids and cases and the grants
   of its actors.
2. The plan is made from that, in Python (county_hub.push_plan): each event's answer, the cases' new
   state, the rows to write, the stored events numbered 1, 2, ... within the push.
3. The storage appends it under the append lock: it checks that what the plan read still holds (if not,
   it reads again under the lock and the same push is planned again), gives the stored events their seqs
   from the log's head, writes and commits.

The append lock, which every other push waits for, is thus held for the writing only, never for the
reading and planning. The device's right to the batch as a whole (its code, side and scope) is checked by
the caller (county_hub.api.events); each event's actor, time and counter by the plan.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial

from clerk_desk.domain.hall_streams import Stream
from county_hub import push_plan, record_state, windows
from county_hub.admission import DEFAULT_LIMITS, INTAKE_TYPES, NO_FACTS, Gate, Limits
from county_hub.auth import DeviceContext
from county_hub.models import utcnow
from county_hub.push_plan import Answer, Batch, Hook, Push
from county_hub.schemas import WireEvent
from county_hub.storage import Storage


def push_events(
    storage: Storage,
    device: DeviceContext,
    events: Sequence[WireEvent],
    *,
    limits: Limits = DEFAULT_LIMITS,
    clock: Callable[[], datetime] = utcnow,
    after_plan: Hook | None = None,
    before_commit: Hook | None = None,
) -> list[Answer]:
    """Apply a batch in order in one transaction; answer per event.

    ``after_plan`` runs once the plan is made, before the lock is taken (tests use it to change the log
    under the plan's feet); ``before_commit`` runs with the lock held and the rows written but not
    committed (tests use it to hold the transaction open). ``clock`` is the hub's clock (tests fix it).
    """
    batch = Batch.of(events)
    known, held = storage.read_for_plan(batch)
    now = clock()
    gate = Gate(
        device.site_code,
        device.enrolled_at,
        device.max_device_seq,
        held,
        now,
        limits.skew,
        limits.max_seq_jump,
        limits.max_event_bytes,
    )
    # Intake events are judged by the site's window directory and the published catalog (county_hub.windows):
    # read only for a batch that has some.
    routes = (windows.route_facts(storage.engine, device.site_code, device.device_code)
              if any(e.type.value in INTAKE_TYPES for e in events) else NO_FACTS)  # fmt: skip
    # Record events (not cases) are taken in version order against the log (county_hub.record_state).
    records = record_state.versions(
        storage.engine, [e.case_uuid for e in events if e.stream is not Stream.CASE]
    )
    push = Push(batch, gate, device.device_code, device.token_id, now, routes, records)
    plan = push_plan.make_plan(push, known)
    if after_plan is not None:
        after_plan()
    return storage.append(plan, partial(push_plan.make_plan, push), before_commit)
