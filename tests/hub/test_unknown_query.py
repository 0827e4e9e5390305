"""A query parameter an operation does not declare gets a 422 (a typo of ``after`` must not pull from 0)."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.support.hub_server import HubAdmin, provision, running_hub


def test_unknown_query_parameters_are_refused(tmp_path: Path) -> None:
    with running_hub(tmp_path / "hub") as url, HubAdmin(tmp_path / "hub") as admin:
        admin.site("421224100", "通羊镇")
        headers = {"Authorization": f"Bearer {provision(url, admin, '421224100')['token']}"}
        assert httpx.get(f"{url}/api/v1/events?after=0&limit=10", headers=headers).status_code == 200
        r = httpx.get(f"{url}/api/v1/events?afterr=5", headers=headers)
        assert r.status_code == 422
        assert r.json()["detail"]["errors"] == [
            {"where": "query.afterr", "problem": "not a parameter of this operation"}
        ]
        assert httpx.get(f"{url}/api/v1/health?verbose=1").status_code == 422
        assert httpx.get(f"{url}/api/v1/health").status_code == 200
