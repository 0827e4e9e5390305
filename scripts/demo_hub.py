"""A local county hub for the demo site, and the demo desk enrolled with it (scripts/demo.sh runs this).

    .venv/bin/python scripts/demo_hub.py [--data-dir DESK_DIR] [--port 8765] [--pid-file FILE]

1. The desk's demo data folder (``clerk-desk --demo``'s: <default data dir>/demo, or --data-dir) gets
   its demo site and accounts if it has none yet.
2. The hub's data folder is <desk data>/demo-hub. The first time, it is set up with the same admin
   commands county IT uses (each is printed): ``site add`` the demo site, ``catalog publish`` the demo
   catalog, ``calendar publish`` the holiday calendar, ``device add --kind clerk`` for the demo desk.
   On every start the demo accounts are registered at the hub (``user add --replace``, with the demo
   passwords and roles since the demo site was made): the hub takes events only from its own users.
3. ``county-hub serve`` starts on 127.0.0.1:8765 (another free port when that one is taken) as a
   background process; its log is <desk data>/demo-hub/hub.log, its pid goes to --pid-file.
4. The demo desk is enrolled with the printed one-time code (the token goes to the OS keyring).

The demo hub speaks plain http on 127.0.0.1, which the desk accepts only with
``CLERK_DESK_ALLOW_LOOPBACK_HTTP=1`` (clerk_desk/sync/hub_address.py): this script sets it for itself, and
scripts/demo.sh exports it for the desk it starts.

With ``--approver-pc FILE`` it also makes the back office's demo PC: the folder <desk data>/approver-pc
(services/demo.ensure_demo_approver_pc: device 02 in approver mode, the same demo accounts), registered at the
hub as an approver device serving 人社, 医保 and 民政 and enrolled; the folder's path is written to FILE for
scripts/demo.sh, which opens a second desk on it.

A second run finds the desk enrolled with this hub and only starts the hub. The hub keeps running when
this script exits; scripts/demo.sh stops it when the app exits (``kill $(cat PID_FILE)``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from clerk_desk import cli, paths  # noqa: E402
from clerk_desk.cli import window_cmd  # noqa: E402
from clerk_desk.domain.errors import ClerkDeskError  # noqa: E402
from clerk_desk.services import demo, site_setup  # noqa: E402
from clerk_desk.store.database import Database  # noqa: E402
from clerk_desk.sync import enrolment, hub_address  # noqa: E402
from clerk_desk.sync.credentials import NoSecureStore  # noqa: E402
from county_hub import cli as county_hub_cli  # noqa: E402

HUB = [sys.executable, "-m", "county_hub"]
CODE_RE = re.compile(r"注册码[^：:\n]*[：:]\s*(\S+)\s*$", re.MULTILINE)  # county-hub device add / code


def say(text: str) -> None:
    print(f"[demo-hub] {text}", flush=True)


def _shown(args: tuple[str, ...]) -> str:
    """The command as printed: a password given on it is masked."""
    return " ".join("***" if i and args[i - 1] == "--password" else a for i, a in enumerate(args))


def admin(hub_dir: Path, *args: str, ok_if: str | None = None) -> str:
    """Run one county-hub admin command (printed as IT would type it) in this process; returns its output."""
    say("$ county-hub " + _shown(args))
    out_buf, err_buf = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out_buf), contextlib.redirect_stderr(err_buf):
        rc = county_hub_cli.main([*args, "--data-dir", str(hub_dir)])
    out = (out_buf.getvalue() + err_buf.getvalue()).strip()
    if rc != 0 and not (ok_if and ok_if in out):
        raise SystemExit(f"[demo-hub] county-hub {' '.join(args)} failed:\n{out}")
    for line in out.splitlines():
        say("  " + line)
    return out


def port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/api/v1/health", timeout=1) as r:  # noqa: S310 (loopback http)
            return r.status == 200
    except OSError:
        return False


def stop_leftover(pid_file: Path) -> None:
    """A hub this script started earlier and nobody stopped (the demo was killed): stop it."""
    try:
        pid = int(pid_file.read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return
    if b"county_hub" in cmdline and b"serve" in cmdline:
        say(f"stopping the demo hub left running by an earlier start (pid {pid})")
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)
        for _ in range(50):
            if not Path(f"/proc/{pid}").exists():
                break
            time.sleep(0.1)


def set_up_hub(hub_dir: Path, device_code: str) -> str:
    """Site, catalog, calendar and the desk's device; returns a fresh one-time enrolment code."""
    code, name = demo.DEMO_SITE
    admin(hub_dir, "site", "add", code, name, ok_if="已存在")
    res = paths.resources_dir()
    admin(hub_dir, "catalog", "publish", str(res / "catalog" / "demo-catalog.json"))
    admin(hub_dir, "calendar", "publish", str(res / "calendar" / "calendar.json"))
    out = admin(hub_dir, "device", "add", "--site", code, "--kind", "clerk", "--code", device_code,
                ok_if="已存在")
    if "已存在" in out:
        out = admin(hub_dir, "device", "code", device_code)
    found = CODE_RE.search(out)
    if not found:
        raise SystemExit(f"[demo-hub] no enrolment code in the output of county-hub:\n{out}")
    return found.group(1)


def enrol_approver_pc(hub_dir: Path, desk_dir: Path, accounts: list[demo.DemoAccount], url: str) -> Path:
    """The back office's demo PC, enrolled with the running hub as an approver device (once)."""
    folder = desk_dir / demo.APPROVER_FOLDER
    db = Database(folder)
    try:
        demo.ensure_demo_approver_pc(db, accounts)
        hs = enrolment.hub_settings(db)
        try:
            enrolled = hs is not None and hs.url == url and enrolment.client_for(db) is not None
        except NoSecureStore:
            enrolled = False
        if enrolled:
            say(f"approver demo PC already enrolled with {url} ({folder})")
            return folder
        site = demo.DEMO_SITE[0]
        served = next(depts for username, _n, _r, depts in demo.DEMO_USERS if username == "approver1")
        out = admin(hub_dir, "device", "add", "--site", site, "--kind", "approver", "--code", demo.APPROVER_DEVICE,
                    "--serves", *[f"{site}:{d}" for d in served], ok_if="已存在")
        if "已存在" in out:
            out = admin(hub_dir, "device", "code", demo.APPROVER_DEVICE)
        found = CODE_RE.search(out)
        if not found:
            raise SystemExit(f"[demo-hub] no enrolment code in the output of county-hub:\n{out}")
        e = enrolment.enrol(db, url, found.group(1))
        say(f"approver demo PC enrolled: centre {e.site_code}, device {e.device_code} ({folder})")
    finally:
        db.close()
    return folder


def register_accounts(hub_dir: Path, accounts: list[demo.DemoAccount], since: datetime) -> None:
    """The demo accounts as hub users, with the desk's demo passwords (the directory the desk copies then
    changes nothing) and their roles from ``since``."""
    site = demo.DEMO_SITE[0]
    served = {username: depts for username, _name, _roles, depts in demo.DEMO_USERS}
    for a in accounts:
        serves = [f"{site}:{d}" for d in served.get(a.username, ())]
        admin(hub_dir, "user", "add", a.username, "--name", a.display_name, "--roles", ",".join(a.roles),
              "--site", site, *(["--serves", *serves] if serves else []), "--password", a.password,
              "--from", since.isoformat(timespec="seconds"), "--replace")


def start_hub(hub_dir: Path, port: int, pid_files: set[Path]) -> subprocess.Popen[bytes]:
    log = open(hub_dir / "hub.log", "ab")  # noqa: SIM115 (the child keeps writing to it)
    proc = subprocess.Popen(
        [*HUB, "serve", "--data-dir", str(hub_dir), "--host", "127.0.0.1", "--port", str(port)],
        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    for f in pid_files:  # at once, so whoever stops the demo can stop the hub even while it starts
        f.write_text(str(proc.pid))
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while not healthy(url):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            tail = (hub_dir / "hub.log").read_text(errors="replace")[-2000:]
            raise SystemExit(f"[demo-hub] the county hub did not start; the end of its log:\n{tail}")
        time.sleep(0.2)
    return proc


def main(argv: list[str] | None = None) -> int:
    os.environ[hub_address.ALLOW_LOOPBACK_HTTP] = "1"  # the demo hub below is plain http on 127.0.0.1
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data-dir", type=Path, default=None, help="the desk's demo data folder")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--pid-file", type=Path, default=None, help="write the hub's pid here")
    p.add_argument("--approver-pc", type=Path, default=None, metavar="FILE",
                   help="also make and enrol the back office's demo PC; write its data folder to FILE")
    args = p.parse_args(argv)
    desk_dir = cli.data_dir_of(argparse.Namespace(data_dir=args.data_dir, demo=True))
    hub_dir = desk_dir / "demo-hub"
    hub_dir.mkdir(parents=True, exist_ok=True)
    pid_file = args.pid_file or hub_dir / "hub.pid"
    stop_leftover(hub_dir / "hub.pid")

    db = Database(desk_dir)
    try:
        accounts = demo.ensure_demo_site(db)
        port = args.port if port_free(args.port) else free_port()
        if port != args.port:
            say(f"port {args.port} is taken: using {port}")
        url = f"http://127.0.0.1:{port}"
        hs = enrolment.hub_settings(db)
        try:
            enrolled = hs is not None and hs.url == url and enrolment.client_for(db) is not None
        except NoSecureStore:
            enrolled = False  # enrol() below says so plainly
        code = None
        if not enrolled:
            say(f"setting up the county hub for {demo.DEMO_SITE[1]} in {hub_dir}")
            code = set_up_hub(hub_dir, site_setup.site_info(db).device_code or demo.DEMO_DEVICE)
        # The hub judges intakes by its own window directory: register the demo hall's windows there.
        windows_file = hub_dir / "windows.json"
        windows_file.write_text(json.dumps(window_cmd.export_data(db), ensure_ascii=False), encoding="utf-8")
        admin(hub_dir, "window", "import", str(windows_file), "--site", demo.DEMO_SITE[0])
        made = datetime.fromtimestamp((desk_dir / demo.ACCOUNTS_FILE).stat().st_mtime, UTC)
        register_accounts(hub_dir, accounts, made - timedelta(minutes=1))
        proc = start_hub(hub_dir, port, {pid_file, hub_dir / "hub.pid"})
        say(f"county hub running at {url} (pid {proc.pid}; log {hub_dir / 'hub.log'})")
        if code is not None:
            try:
                e = enrolment.enrol(db, url, code)
            except ClerkDeskError as exc:
                say(f"the demo desk could not be enrolled, it works offline: {exc.message_zh}")
                return 3
            say(f"demo desk enrolled: centre {e.site_code}, device {e.device_code} ({desk_dir})")
        else:
            say(f"demo desk already enrolled with {url}")
        if args.approver_pc is not None:
            try:
                folder = enrol_approver_pc(hub_dir, desk_dir, accounts, url)
            except ClerkDeskError as exc:
                say(f"the approver demo PC could not be enrolled: {exc.message_zh}")
                return 3
            args.approver_pc.write_text(str(folder))
    finally:
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
