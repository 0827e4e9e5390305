"""Search quality: hit@1 and hit@3 over a table of what clerks type (benchmarks/catalog_search_queries.json).

    .venv/bin/python benchmarks/catalog_search_quality.py [--misses] [--table FILE]

The table's catalog (the demo catalog, converted from real service guides) is imported into a fresh
database; each query is searched as the catalog page does (``catalog_service.search``). A query hits at
k when one of its expected items (or, for a department's name, an item of that department) is among
the first k results. The script only uses the service API that earlier versions have too, so the same
file measures an older checkout: ``PYTHONPATH=<old tree> python benchmarks/catalog_search_quality.py``
(a version that cannot read the catalog's situations, conditions or copies of each form gets the catalog
without them: search does not look at them).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # appended: a PYTHONPATH naming another checkout wins

from clerk_desk.services import catalog_service as cs  # noqa: E402
from clerk_desk.store.database import Database  # noqa: E402


def hits(found: list[tuple[str, str]], query: dict) -> int | None:
    """1-based position of the first expected result, or None."""
    for pos, (name, dept) in enumerate(found, 1):
        if name in query.get("expect", ()) or dept == query.get("department"):
            return pos
    return None


def older_format(doc: dict) -> dict:
    """The catalog without what format 1 gained for situations (searching is the same)."""
    for item in doc["items"]:
        item.pop("situations", None)
        for m in item.get("materials") or []:
            m.pop("when", None)
            if isinstance(m.get("copies"), dict):
                m["copies"] = sum(m["copies"].values())
            m.setdefault("waivable", False)
    return doc


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--table", type=Path, default=Path(__file__).with_name("catalog_search_queries.json"))
    ap.add_argument("--misses", action="store_true", help="list the queries that miss at 1")
    args = ap.parse_args(argv)
    table = json.loads(args.table.read_text(encoding="utf-8"))
    queries = table["queries"]
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(Path(tmp) / "data")
        try:
            cs.import_file(db, ROOT / table["catalog"])
        except cs.CatalogInvalid:
            older = Path(tmp) / "catalog.json"
            doc = older_format(json.loads((ROOT / table["catalog"]).read_text(encoding="utf-8")))
            older.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
            cs.import_file(db, older)
            print("(the code under test reads an older catalog format: imported without situations)")
        at1 = at3 = 0
        misses = []
        for q in queries:
            found = [(h.name, h.department_code) for h in cs.search(db, q["query"], limit=10)]
            pos = hits(found, q)
            at1 += pos == 1
            at3 += pos is not None and pos <= 3
            if pos != 1:
                misses.append((q["query"], pos, q.get("why", ""), [n for n, _ in found[:3]]))
        db.close()
    n = len(queries)
    print(f"code under test: {Path(cs.__file__).resolve().parents[2]}")
    print(f"queries: {n} (catalog {table['catalog']})")
    print(f"hit@1: {at1}/{n} = {at1 / n:.0%}")
    print(f"hit@3: {at3}/{n} = {at3 / n:.0%}")
    if args.misses:
        for query, pos, why, top in misses:
            print(f"  {query!r:24} at {pos or '—'}  ({why})  top: {' | '.join(top) or '(nothing)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
