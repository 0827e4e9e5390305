"""Keystroke search over a 5,000-item catalog generated from the demo catalog (itself from real items).

    .venv/bin/python benchmarks/catalog_search.py [--items 5000] [--repeat 5]

Prints the import time, the index load time and size, and p50/p95/max per keystroke (every prefix
of several Chinese and pinyin queries), through catalog_service.search (what the browser calls:
includes the per-call "has a newer catalog been imported?" check) and on the index alone.
Target: p95 < 5 ms. Figures, not a pass/fail test.
"""

from __future__ import annotations

import argparse
import copy
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from clerk_desk.catalog.search import SearchIndex  # noqa: E402
from clerk_desk.services import catalog_service as cs  # noqa: E402
from clerk_desk.store.database import Database  # noqa: E402

QUERIES = (
    "城乡居民养老保险",
    "残疾人证",
    "最低生活保障",
    "社会保障卡",
    "chengxiangjumin",
    "cxjm",
    "lsjz",
    "canjirenzheng",
    "sbk",
    "dibao",
    "000524021000",
)
PLACES = (
    "通羊镇",
    "南林桥镇",
    "黄沙铺镇",
    "厦铺镇",
    "九宫山镇",
    "闯王镇",
    "洪港镇",
    "大畈镇",
    "杨芳林乡",
    "燕厦乡",
    "大路乡",
    "慈口乡",
)
VARIANTS = (
    "",
    "（变更）",
    "（注销）",
    "（补办）",
    "（延续）",
    "（个人）",
    "（单位）",
    "（代办）",
    "（网办）",
    "（跨省通办）",
    "（容缺受理）",
    "（首次申请）",
    "（复审）",
)


def generate(n: int) -> dict[str, Any]:
    """n items: the demo items under varied names (place x variant), fresh codes, same materials."""
    doc = json.loads(cs.demo_catalog_path().read_text(encoding="utf-8"))
    base = doc["items"]
    items = []
    for i in range(n):
        src = copy.deepcopy(base[i % len(base)])
        round_ = i // len(base)
        place, variant = PLACES[round_ % len(PLACES)], VARIANTS[(round_ // len(PLACES)) % len(VARIANTS)]
        if round_:
            src["name"] = f"{src['name']}{variant}（{place}）"
            src["code"] = f"BENCH-{i:06d}"
            src["local_code"] = True
        items.append(src)
    doc["items"] = items
    doc["themes"] = []
    doc["catalog_version"] = "2099.1"
    return doc


def keystrokes() -> list[str]:
    return [q[:k] for q in QUERIES for k in range(1, len(q) + 1)]


def percentiles(samples: list[float]) -> str:
    s = sorted(samples)
    p50 = statistics.median(s)
    p95 = s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]
    return f"p50 {p50:6.3f} ms   p95 {p95:6.3f} ms   max {s[-1]:6.3f} ms   (n={len(s)})"


def time_calls(fn: Any, texts: list[str], repeat: int, clock: Any = time.perf_counter) -> list[float]:
    out = []
    for _ in range(repeat):
        for t in texts:
            start = clock()
            fn(t)
            out.append((clock() - start) * 1000)
    return out


def current_rss_mb() -> float:
    """Resident set size now (Linux /proc; max RSS elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * resource.getpagesize() / 1e6
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_calibration_ms() -> float:
    """A fixed pure-Python loop (about 400 ms on an idle 2020s desktop core): read the figures against it."""
    start = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return (time.perf_counter() - start) * 1000


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    print(f"cpu calibration loop: {cpu_calibration_ms():.0f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench-catalog.json"
        path.write_text(json.dumps(generate(args.items), ensure_ascii=False), encoding="utf-8")
        db = Database(Path(tmp) / "data")
        start = time.perf_counter()
        result = cs.import_file(db, path)
        import_s = time.perf_counter() - start
        with db.reading() as s:
            from sqlalchemy import func, select

            from clerk_desk.store.catalog_models import CatalogSearchKey

            keys = s.scalar(select(func.count()).select_from(CatalogSearchKey))
        print(f"catalog: {result.added} items, {keys} search keys, file {path.stat().st_size / 1e6:.1f} MB")
        print(f"import (validate + pinyin + write, one transaction): {import_s:.2f} s")

        before = current_rss_mb()
        start = time.perf_counter()
        with db.reading() as s:
            index = SearchIndex.load(s)
        load_ms = (time.perf_counter() - start) * 1000
        print(f"index load at first search: {load_ms:.0f} ms; resident memory +{current_rss_mb() - before:.0f} MB")
        start = time.perf_counter()
        index.search("x", department="ly")
        print(
            f"first use of a department filter (builds its sub-index once): "
            f"{(time.perf_counter() - start) * 1000:.0f} ms"
        )

        texts = keystrokes()
        cs.search(db, "x")  # warm the service cache
        svc = time_calls(lambda t: cs.search(db, t, limit=200), texts, args.repeat)
        idx = time_calls(lambda t: index.search(t, limit=200), texts, args.repeat)
        flt = time_calls(lambda t: cs.search(db, t, department="mz", limit=200), texts, args.repeat)
        print(f"keystroke via catalog_service.search:      {percentiles(svc)}")
        print(f"keystroke on the index alone:              {percentiles(idx)}")
        print(f"keystroke with a department filter:        {percentiles(flt)}")
        cpu = time_calls(lambda t: cs.search(db, t, limit=200), texts, args.repeat, time.thread_time)
        print(f"keystroke via the service, CPU time only:  {percentiles(cpu)}  (excludes time the OS ran others)")
        worst = sorted(
            (
                (statistics.median(time_calls(lambda t: cs.search(db, t, limit=200), [t], 3)), t)
                for t in set(texts)
            ),
            reverse=True,
        )[:3]
        print("slowest prefixes: " + ", ".join(f"{t!r} {ms:.2f} ms" for ms, t in worst))
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"process max RSS: {rss:.0f} MB")
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
