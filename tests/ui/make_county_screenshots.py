"""Screenshots of the county page (全县统计) at 1366×768 for docs/screenshots/ (county-figures-*.png).

    .venv/bin/python tests/ui/make_county_screenshots.py [OUT_DIR]

Offscreen: a real hub on 127.0.0.1 (SQLite) holding the generated month of tests/hub/county_month.py (three
townships, pushed over HTTP by their devices), asked by a county supervisor device; the page at 1366×768
shows the hub's answers as the desk's own parser read them.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import httpx  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from clerk_desk.domain.workdays import SHANGHAI  # noqa: E402
from clerk_desk.services import demo  # noqa: E402
from clerk_desk.store.database import Database  # noqa: E402
from clerk_desk.sync.county_figures import parse_figures, parse_overdue  # noqa: E402
from clerk_desk.ui import look  # noqa: E402
from clerk_desk.ui.county.county_page import CountyPage  # noqa: E402
from clerk_desk.ui.task_runner import SyncTaskRunner  # noqa: E402
from county_hub.migrate import upgrade  # noqa: E402
from county_hub.storage import open_storage  # noqa: E402
from tests.hub import county_month as m  # noqa: E402
from tests.hub.hubkit import Hub  # noqa: E402
from tests.support.hub_server import HubAdmin, running_hub  # noqa: E402


def main(out: Path) -> list[str]:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    translators = look.setup(app)  # type: ignore[arg-type]  # noqa: F841
    written = []
    now = datetime.now(UTC).replace(microsecond=0)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'hub.sqlite3'}"
        storage = open_storage(url)
        upgrade(storage.engine)
        with running_hub(url) as base, httpx.Client(base_url=base, timeout=60) as http:
            hub = Hub(base, url, storage.engine, HubAdmin(storage.engine), http, storage)
            m.push_month(hub, now)
            county = hub.device(m.COUNTY_SITE, "county")
            today = now.astimezone(SHANGHAI).date()
            period = {"from": (today - timedelta(days=29)).isoformat(), "to": today.isoformat()}
            figures = parse_figures(county.get("/county/figures", params=period).json())
            overdue = parse_overdue(county.get("/county/overdue").json())
        storage.engine.dispose()
        db = Database(Path(tmp) / "desk")
        demo.ensure_demo_site(db)
        page = CountyPage(db, SyncTaskRunner(), loader=lambda *_: (figures, overdue))
        page.resize(1366, 768)
        page.show()
        page.refresh()
        for index, name in ((2, "county-figures-overdue.png"), (1, "county-figures-timeliness.png")):
            page.tabs.setCurrentIndex(index)
            app.processEvents()
            page.grab().save(str(out / name))
            written.append(name)
        page.close()
        db.close()
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    target.mkdir(parents=True, exist_ok=True)
    print("wrote", ", ".join(main(target)), "to", target)
