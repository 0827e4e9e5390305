"""The live county (docs/sync-protocol.md, "Waiting for changes" and "One lasting connection"), measured.

    python benchmarks/live_sync.py [--accepts 1000] [--warmup 20] [--others 50] [--held 500] [--stored 300]
                                   [--skip-pg] [--only visible|held|stored]

A ``county-hub serve`` process; a window desk and an approver desk in this process, each with its sync
engine's real threads (push on commit, GET /changes held at the hub, pull when told); and N simulated desks
of the same site in another process (asyncio), each holding GET /changes and taking the events that come
with the answer (pulling only for more), as a desk does.

1. visible: window accept + hand-over -> the case in the approver's inbox query (the query the inbox page
   reads), on an SQLite hub (1 worker) and a PostgreSQL hub (2 workers), with ``--others`` desks held.
2. held: the same on PostgreSQL with ``--held`` desks held on 2 workers, and the hub's memory per held
   request (resident memory of the hub's processes with the desks held, minus before they connected).
3. stored: accept -> the hub's answer marks the event stored, on loopback and through a proxy adding 20 ms
   to each round trip (10 ms each way, tests/support/tcp_proxy.py).

Statistics: the first ``--warmup`` accepts of each run are excluded and reported on their own; p99 is given
only from at least 1,000 samples, otherwise the maximum of N is given and named so.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["CLERK_DESK_ALLOW_LOOPBACK_HTTP"] = "1"  # the benchmark's hub speaks http on 127.0.0.1

from benchmarks.hub_common import hub_process, postgres_url  # noqa: E402
from tests.support.hub_server import API, HubAdmin, enrol, grant_demo_roles  # noqa: E402

SITE = "421224100"
P99_FROM = 1000
TIMING_ENV = "COUNTY_HUB_TIMING_LOG"


def summary(label: str, ms: list[float], warm: list[float]) -> str:
    s = sorted(ms)
    p50 = statistics.median(s)
    tail = f"p99 {s[int(len(s) * 0.99) - 1]:.0f} ms" if len(s) >= P99_FROM else f"max of {len(s)} {s[-1]:.0f} ms"
    w = f"; warm-up excluded: {len(warm)} (median {statistics.median(warm):.0f} ms, max {max(warm):.0f} ms)" \
        if warm else ""  # fmt: skip
    return f"{label}: n={len(s)}  p50 {p50:.0f} ms  {tail}  max {s[-1]:.0f} ms{w}"


# ---- the simulated desks (a process of their own) ---------------------------------------------------


async def _desk(client, token: str, ready: asyncio.Event, counts: dict[str, int], started: list[int]) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {token}"}
    cursor = 0
    first = True
    while True:
        try:
            counts["waiting"] += 1
            try:  # as a desk asks: the events with the news (sync/live.py)
                r = await client.get(f"{API}/changes", params={"after": cursor, "timeout": 25, "limit": 1000},
                                     headers=headers)  # fmt: skip
            finally:
                counts["waiting"] -= 1
            r.raise_for_status()
            counts["answers"] += 1
            answer = r.json()
            if answer["changed"]:
                more = "events" not in answer  # no page with the news: pull
                if not more:
                    cursor, more = answer["next_cursor"], answer["has_more"]
                    counts["pages"] += 1
                while more:
                    page = await client.get(f"{API}/events", params={"after": cursor, "limit": 1000},
                                            headers=headers)  # fmt: skip
                    page.raise_for_status()
                    j = page.json()
                    cursor, more = j["next_cursor"], j["has_more"]
                    counts["pulls"] += 1
        except Exception as exc:  # noqa: BLE001 - counted and printed; the desk asks again
            counts["errors"] += 1
            print(f"simulated desk: {type(exc).__name__}: {exc}", file=sys.stderr)
            await asyncio.sleep(1)
        if first:
            first = False
            started[0] += 1
            if started[0] == started[1]:
                ready.set()


async def _simulate(base: str, tokens: list[str]) -> None:
    import httpx

    counts = {"answers": 0, "pages": 0, "pulls": 0, "errors": 0, "waiting": 0}
    samples: list[int] = []

    async def sample() -> None:  # how many requests are held at any moment
        while True:
            await asyncio.sleep(0.25)
            samples.append(counts["waiting"])

    ready = asyncio.Event()
    started = [0, len(tokens)]
    limits = httpx.Limits(max_connections=len(tokens) + 10, max_keepalive_connections=len(tokens) + 10)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        tasks = [asyncio.create_task(_desk(client, t, ready, counts, started)) for t in tokens]
        await ready.wait()  # every desk has caught up once and now holds GET /changes
        print("ready", flush=True)
        sampler = asyncio.create_task(sample())
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.readline)  # until the benchmark says stop
        sampler.cancel()
        for t in tasks:
            t.cancel()
    counts.pop("waiting")
    if samples:
        counts["held_mean"] = round(statistics.mean(samples))  # type: ignore[assignment]
        counts["held_min"] = min(samples)
    print(json.dumps(counts), flush=True)


@contextmanager
def simulated_desks(base: str, tokens: list[str]) -> Iterator[None]:
    if not tokens:
        yield
        return
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(tokens, f)
    proc = subprocess.Popen([sys.executable, __file__, "--simulate", base, f.name], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert proc.stdout is not None and proc.stdin is not None
        line = proc.stdout.readline().strip()
        if line != "ready":
            raise RuntimeError(f"the simulated desks did not start: {line!r}")
        time.sleep(1.0)  # the last re-asks reach the hub
        yield
    finally:
        if proc.stdin is not None:
            proc.stdin.write("stop\n")
            proc.stdin.flush()
        out = proc.stdout.read() if proc.stdout else ""
        proc.wait(30)
        print(f"  simulated desks: {out.strip()}")
        os.unlink(f.name)


# ---- the hub's memory ----------------------------------------------------------------------------------


def hub_pids(port: int) -> list[int]:
    """The serve process listening on the port and its worker processes."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"county_hub" in cmd and str(port).encode() in cmd:
            found.append(int(entry.name))
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid in found:
                children.append(int(entry.name))
    return found + children


def rss_kib(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


# ---- the desks in this process ------------------------------------------------------------------------


class Desks:
    def __init__(self, folder: Path, base: str, db_url: str, ca: Path | None = None) -> None:
        from clerk_desk.services import accounts, demo, site_setup
        from clerk_desk.services.approvals import Approver
        from clerk_desk.services.intake import Clerk, IntakeService
        from clerk_desk.store.database import Database
        from clerk_desk.sync import enrolment
        from clerk_desk.sync.engine import SyncEngine

        folder.mkdir(parents=True, exist_ok=True)
        with HubAdmin(db_url) as admin:
            if not admin_has_site(admin):
                admin.site(SITE, "通羊镇")
                grant_demo_roles(admin, SITE)
            if not admin_has_site(admin, "wangfang"):
                admin.user("wangfang", "Approve-2026", roles=("approver",), site=SITE, serves=[(SITE, "rs")],
                           display_name="王芳")  # fmt: skip
            self.window_db = Database(folder / "window")
            demo.ensure_demo_site(self.window_db)
            ca_bundle = str(ca) if ca else None  # the county's CA, as IT gives it to a desk on the extranet
            enrolment.enrol(self.window_db, base, admin.device(SITE, "clerk")[1], ca_bundle=ca_bundle)
            self.office_db = Database(folder / "office")
            enrolment.enrol(self.office_db, base, admin.device(SITE, "approver", serves=[(SITE, "rs")])[1],
                            ca_bundle=ca_bundle)
        u = next(u for u in accounts.list_users(self.window_db) if u.username == "clerk1")
        w = site_setup.list_windows(self.window_db)[0]
        self.clerk = Clerk(u.id, u.username, u.display_name, w.id, w.name)
        self.intake = IntakeService(self.window_db)
        wdb, odb = self.window_db, self.office_db
        self.window = SyncEngine(wdb, lambda: enrolment.client_for(wdb))
        self.office = SyncEngine(odb, lambda: enrolment.client_for(odb))
        self.office.run_once()  # the directory: the approver's account
        me = {x.username: x for x in accounts.list_users(odb)}["wangfang"]
        self.approver = Approver(me.id, me.username, me.display_name)
        self._landed = threading.Event()
        odb.commit_listeners.append(lambda *_a: self._landed.set())
        self._recorded = threading.Event()
        wdb.commit_listeners.append(lambda *_a: self._recorded.set())

    def start(self) -> None:
        for e in (self.window, self.office):
            e.start()
        deadline = time.monotonic() + 30
        while not all(e.status().live == "held" for e in (self.window, self.office)):
            if time.monotonic() > deadline:
                raise RuntimeError("the desks are not held at the hub")
            time.sleep(0.05)

    def stop(self) -> None:
        for e in (self.window, self.office):
            e.stop()

    def in_inbox(self, uid: str, number: str) -> bool:
        """The inbox's 待签收 view, searched for the case number as the approver would type it (its first
        page, 100 rows, holds only the oldest cases once more are waiting)."""
        from clerk_desk.services import inbox
        from clerk_desk.ui.inbox.inbox_actions import first_page

        _q, page = first_page(self.office_db, self.approver.user_id, inbox.InboxView.TO_SIGN, number, 100,
                              _now())  # fmt: skip
        return any(r.uuid == uid for r in page.rows)

    def accept_to_inbox(self) -> float:
        from clerk_desk.services.intake_forms import Delivery

        self._landed.clear()
        t0 = time.perf_counter()
        case = self.intake.accept(FORM(), self.clerk, delivery=Delivery("window")).cases[0]
        uid = case.case_uuid
        self.intake.transfer(uid, self.clerk)
        deadline = time.monotonic() + 30
        while True:
            self._landed.wait(0.5)
            self._landed.clear()
            if self.in_inbox(uid, case.case_number):
                return (time.perf_counter() - t0) * 1000
            if time.monotonic() > deadline:
                raise RuntimeError(f"a case did not reach the approver's inbox within 30 s: window "
                                   f"{self.window.status()}, office {self.office.status()}")

    def accept_to_stored(self) -> tuple[str, float, float]:
        """(the event's uuid, the wall clock when the accept was committed, ms until the desk recorded the
        hub's answer). No polling: the desk's own commits wake this thread."""
        from sqlalchemy import select

        from clerk_desk.services.intake_forms import Delivery
        from clerk_desk.store.models import CaseEvent

        uid = self.intake.accept(FORM(), self.clerk, delivery=Delivery("window")).cases[0].case_uuid
        committed, t0 = time.time(), time.perf_counter()
        with self.window_db.reading() as s:
            ev = s.scalar(select(CaseEvent.uuid).where(CaseEvent.case_uuid == uid))
        while True:
            self._recorded.wait(1.0)
            self._recorded.clear()
            with self.window_db.reading() as s:
                state = s.scalar(select(CaseEvent.push_state).where(CaseEvent.uuid == ev))
            if state in ("stored", "duplicate"):
                return ev, committed, (time.perf_counter() - t0) * 1000


def admin_has_site(admin: HubAdmin, user: str | None = None) -> bool:
    """Whether the hub knows the site (or, with ``user``, that user) already: a second pair of desks."""
    from sqlalchemy import select

    from county_hub.models import Site, User

    with admin.engine.connect() as conn:
        if user is None:
            return conn.execute(select(Site.code).where(Site.code == SITE)).first() is not None
        return conn.execute(select(User.username).where(User.username == user)).first() is not None


def _now():  # type: ignore[no-untyped-def]
    from clerk_desk.store.models import utcnow

    return utcnow()


def FORM():  # type: ignore[no-untyped-def]  # noqa: N802
    from clerk_desk.services.intake_forms import IntakeForm, ItemRef, MaterialCheck, Party

    return IntakeForm(
        items=(ItemRef("002014006009", "城乡居民养老保险注销登记", "rs", "promise", promised_days=3),),
        applicant=Party("person", "张三", "11010519491231002X", phone="13812345678"),
        checklist=(MaterialCheck("居民身份证", provided=True, form="original", copies=1),),
    )


def other_tokens(base: str, db_url: str, n: int, sites: int = 1) -> list[str]:
    """``n`` clerk desks: all of the approver's site, or spread over ``sites`` sites (the first is it)."""
    codes = [SITE] + [f"4212242{s:02d}" for s in range(1, sites)]
    with HubAdmin(db_url) as admin:
        for code in codes[1:]:
            admin.site(code, f"镇{code}")
        return [enrol(base, admin.device(codes[i % sites], "clerk")[1], "bench")["token"] for i in range(n)]


def visible(label: str, db_url: str, workers: int, others: int, accepts: int, warmup: int,
            memory: bool = False, sites: int = 1) -> None:  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp, hub_process(db_url, workers) as base:
        desks = Desks(Path(tmp), base, db_url)
        tokens = other_tokens(base, db_url, others, sites)
        port = int(base.rsplit(":", 1)[1])
        before = rss_kib(hub_pids(port))
        with simulated_desks(base, tokens):
            held = rss_kib(hub_pids(port))
            desks.start()
            try:
                warm = [desks.accept_to_inbox() for _ in range(warmup)]
                ms = [desks.accept_to_inbox() for _ in range(accepts)]
            finally:
                desks.stop()
        where = "of the site" if sites == 1 else f"over {sites} sites ({len(range(0, others, sites))} of the site)"
        print(summary(f"accept -> approver's inbox, {label}, {others} other desks {where} held", ms, warm))
        if memory and others:
            print(f"  hub memory (RSS of {len(hub_pids(port))} processes): {before / 1024:.0f} MiB before the "
                  f"desks connected, {held / 1024:.0f} MiB with {others} held: "
                  f"{(held - before) / others:.1f} KiB per held request")


class LatencyProxy:
    """A TCP proxy adding ``one_way_s`` to every byte each way, like a longer line: each chunk is sent on
    ``one_way_s`` after it arrived, chunks in flight together (tests/support/tcp_proxy.py's delay waits
    per chunk in turn, which adds more than the line would when a request comes in two writes)."""

    def __init__(self, upstream: tuple[str, int], one_way_s: float) -> None:
        import socket

        self.upstream, self.one_way_s = upstream, one_way_s
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import socket

        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream)
            for sock in (client, server):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for src, dst in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(src, dst), daemon=True).start()

    def _pipe(self, src, dst) -> None:  # type: ignore[no-untyped-def]
        import queue

        line: queue.Queue[tuple[float, bytes]] = queue.Queue()

        def send() -> None:
            while True:
                due, data = line.get()
                if not data:
                    dst.close()
                    return
                time.sleep(max(0.0, due - time.monotonic()))
                try:
                    dst.sendall(data)
                except OSError:
                    return

        threading.Thread(target=send, daemon=True).start()
        while True:
            try:
                data = src.recv(65536)
            except OSError:
                data = b""
            line.put((time.monotonic() + self.one_way_s, data))
            if not data:
                return

    def close(self) -> None:
        self._listener.close()


def stored(db_url: str, n: int, warmup: int) -> None:
    """Loopback: the desk talks to the hub directly; then a second pair of desks through the proxy. The same
    again with the hub served over https (a private CA made here, tests/support/pki.py), as on the extranet:
    the desk's one lasting connection keeps its TLS session, so no push pays a handshake.

    Three moments after each accept's commit: the hub's received_at (stamped when the push is planned,
    before the append and its fsync), the hub's answer leaving it (the push committed and fsynced: stored;
    from the hub's request log, county_hub/timing.py), and the answer recorded at the desk."""
    from tests.support.pki import LOOPBACK, make_ca, server_cert

    with tempfile.TemporaryDirectory() as pki:
        ca = make_ca(Path(pki), "county-ca")
        cert, key = server_cert(Path(pki), ca, "hub", LOOPBACK)
        for tls in (None, (cert, key, ca.pem)):
            timing = tempfile.TemporaryDirectory()
            log_base = str(Path(timing.name) / "requests")
            os.environ[TIMING_ENV] = log_base  # the hub process logs each request's start and duration
            try:
                with hub_process(db_url if tls is None else db_url.replace(".sqlite3", "-tls.sqlite3"),
                                 tls=tls) as base:  # fmt: skip
                    os.environ.pop(TIMING_ENV)
                    _stored(db_url if tls is None else db_url.replace(".sqlite3", "-tls.sqlite3"), base, n,
                            warmup, log_base, ca=None if tls is None else ca.pem)  # fmt: skip
            finally:
                os.environ.pop(TIMING_ENV, None)
                timing.cleanup()


def answered_at(log_base: str) -> list[float]:
    """When the hub sent the last byte of each POST /events answer (Unix time), from its request log."""
    out = []
    for f in Path(log_base).parent.glob(Path(log_base).name + ".*"):
        for line in f.read_text().splitlines():
            p = line.split("\t")
            if len(p) == 5 and p[1] == "POST" and p[2].endswith("/events"):
                out.append(float(p[0]) + float(p[4]) / 1000)
    return sorted(out)


def _stored(db_url: str, base: str, n: int, warmup: int, log_base: str, ca: Path | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        port = int(base.rsplit(":", 1)[1])
        proxy = LatencyProxy(("127.0.0.1", port), 0.010)  # each way: 20 ms more per round trip
        scheme = base.split(":", 1)[0]  # https: the proxy carries the TLS bytes as they are
        over = ", over TLS" if ca else ""
        try:
            for label, url in ((f"loopback{over}", base),
                               (f"20 ms added round trip (proxy){over}", scheme + proxy.url[4:])):  # fmt: skip
                desks = Desks(Path(tmp) / label[:8], url, db_url, ca)
                desks.start()
                try:
                    runs = []
                    for _ in range(warmup + n):
                        runs.append(desks.accept_to_stored())
                        time.sleep(0.05)  # one act after another, not a burst
                finally:
                    desks.stop()
                at_hub = hub_times(db_url, runs)
                print(summary(f"accept committed -> received at the hub (its received_at), {label}",
                              at_hub[warmup:], at_hub[:warmup]))  # fmt: skip
                answers = answered_at(log_base)
                # The first answer the hub sent after each commit (one act after another: it is this one's).
                left = [(next(a for a in answers if a > committed) - committed) * 1000 for _u, committed, _ms in runs]
                print(summary(f"accept committed -> stored at the hub (fsynced, its answer sent), {label}",
                              left[warmup:], left[:warmup]))  # fmt: skip
                recorded = [r[2] for r in runs]
                print(summary(f"accept committed -> the hub's answer recorded at the desk, {label}",
                              recorded[warmup:], recorded[:warmup]))  # fmt: skip
        finally:
            proxy.close()


def hub_times(db_url: str, runs: list[tuple[str, float, float]]) -> list[float]:
    """ms from each accept's commit to the hub's received_at (the same machine's clock)."""
    from sqlalchemy import select

    from county_hub.models import Event

    with HubAdmin(db_url) as admin, admin.engine.connect() as conn:
        at = dict(conn.execute(select(Event.uuid, Event.received_at).where(Event.uuid.in_([r[0] for r in runs]))).all())
    return [(at[u].timestamp() - committed) * 1000 for u, committed, _ms in runs]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--accepts", type=int, default=1000)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("--others", type=int, default=50)
    ap.add_argument("--held", type=int, default=500)
    ap.add_argument("--held-sites", type=int, default=1, help="spread the --held desks over this many sites")
    ap.add_argument("--stored", type=int, default=300)
    ap.add_argument("--skip-pg", action="store_true")
    ap.add_argument("--only", choices=["visible", "held", "stored"])
    ap.add_argument("--simulate", nargs=2, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.simulate:
        asyncio.run(_simulate(a.simulate[0], json.loads(Path(a.simulate[1]).read_text())))
        return
    import keyring

    from tests.support.memory_keyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())  # never the user's real keyring
    key_dir = tempfile.TemporaryDirectory()  # a throwaway personal-data key
    os.environ.setdefault("CLERK_DESK_KEY_FILE", str(Path(key_dir.name) / "personal-data.key"))
    print(f"live_sync: {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as hubs:
        if a.only in (None, "stored"):
            stored(f"sqlite:///{Path(hubs) / 'stored.sqlite3'}", a.stored, a.warmup)
        if a.only in (None, "visible"):
            visible("SQLite hub, 1 worker", f"sqlite:///{Path(hubs) / 'visible.sqlite3'}", 1, a.others,
                    a.accepts, a.warmup)  # fmt: skip
    if a.skip_pg:
        return
    if a.only in (None, "visible"):
        with postgres_url() as url:
            visible("PostgreSQL hub, 2 workers", url, 2, a.others, a.accepts, a.warmup)
    if a.only in (None, "held"):
        with postgres_url() as url:
            visible("PostgreSQL hub, 2 workers", url, 2, a.held, a.accepts, a.warmup, memory=True,
                    sites=a.held_sites)  # fmt: skip
    print(f"load at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
