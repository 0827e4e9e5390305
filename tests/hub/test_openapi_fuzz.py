"""Generated requests against the hub's own OpenAPI document (schemathesis), over real HTTP, with a valid
device token for every operation.

Runs on both backends; a server error (5xx) or an answer that contradicts the document fails. The number
of requests made per operation is printed (run with ``-s`` to see it).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode, checks

from tests.support.catalogs import catalog
from tests.support.hub_server import API, HubAdmin, enrol, running_hub
from tests.support.postgres import PostgresServer

SITE, DEVICE, ACTOR = "421224100", "0001", "fuzz-clerk"
# Enrolment is rate-limited (county_hub.limits); the generated enrolments get past the limit to the checks
# behind it (the limit itself is tested in tests/hub/test_hostile_input.py).
# GET /changes may hold a request up to its timeout (county_hub.live): held a moment only here.
LIMITS = {"enrol_per_client_burst": 100_000, "enrol_overall_burst": 100_000, "max_wait_s": 0.2}


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def fuzz_hub(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    if request.param == "sqlite":
        target: str = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'hub.sqlite3'}"
    else:
        server: PostgresServer = request.getfixturevalue("pg_server")
        target = server.create_database()
    with running_hub(target, **LIMITS) as base_url, HubAdmin(target) as admin:
        admin.site(SITE, "通羊镇")
        admin.user(ACTOR, "Fuzz-2026-clerk", ["clerk"], site=SITE)
        _device, code = admin.device(SITE, "clerk", code=DEVICE)
        token = enrol(base_url, code, "fuzz")["token"]
        admin.publish("catalog", catalog("2026.1"))
        yield {"base_url": base_url, "token": token}


def _own_events(case: Any) -> None:
    """Make generated events this device's own, by a clerk of its site, made now: they get past
    authorization and admission (county_hub.admission) into the lifecycle checks."""
    events = case.body.get("events") if isinstance(case.body, dict) else None
    now = datetime.now(UTC).isoformat()
    for event in events if isinstance(events, list) else []:
        if isinstance(event, dict):
            event.update(device_code=DEVICE, site_code=SITE, side="window", actor=ACTOR, occurred_at=now)


def _run_operation(
    operation: Any, mode: GenerationMode, headers: dict[str, str], base_url: str, made: Counter[str]
) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    # derandomize: the same generated requests on every run, so CI is reproducible; widen EXAMPLES (or
    # run with CLERK_FUZZ_RANDOM=1) to explore further by hand.
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        derandomize=not os.environ.get("CLERK_FUZZ_RANDOM"),
    )
    def run(case: Any) -> None:
        if (
            mode is GenerationMode.POSITIVE
            and operation.path.endswith("/events")
            and operation.method == "post"
        ):
            _own_events(case)
        made[f"{operation.method.upper()} {operation.path}"] += 1
        case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)

    run()


# Positive and negative generation; the checks that hold for this API. (positive_data_acceptance is
# not used: a schema-valid event for someone else's device or scope is rightly refused with 403.)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.negative_data_rejection,
]
EXAMPLES = 25


def test_generated_requests_get_documented_answers_and_no_server_error(fuzz_hub: dict[str, Any]) -> None:
    base_url = fuzz_hub["base_url"]  # the document's paths carry the /api/v1 prefix
    schema = schemathesis.openapi.from_url(f"{base_url}{API}/openapi.json")
    headers = {"Authorization": f"Bearer {fuzz_hub['token']}"}
    failures: list[str] = []
    made: Counter[str] = Counter()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _run_operation(operation, mode, headers, base_url, made)
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE  # nothing to get wrong in a request without inputs
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collected, reported together
                failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}): {exc}")
    print(
        "\nrequests generated per operation:", *(f"  {op}: {n}" for op, n in sorted(made.items())), sep="\n"
    )
    assert set(made) == {f"{o.method.upper()} {o.path}" for o in operations}  # every operation was called
    assert not failures, "\n\n".join(failures)
