"""county-hub: run the hub and administer it (sites, devices, users, catalog and calendar)."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from clerk_desk.domain.passwords import WeakPassword, check_strength
from county_hub import devices, directory, publications
from county_hub.db import make_engine, write_engine
from county_hub.devices import AdminError
from county_hub.migrate import DatabaseTooNew, upgrade
from county_hub.scope import parse_pair
from county_hub.settings import Settings


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _pairs(values: Sequence[str] | None) -> list[tuple[str, str]]:
    try:
        return [parse_pair(v) for v in values or ()]
    except ValueError as exc:
        raise AdminError(str(exc)) from None


def _password(args: argparse.Namespace) -> str:
    password = args.password
    if password is None:
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            raise AdminError("the two passwords differ")
    try:
        check_strength(password)
    except WeakPassword as exc:
        raise AdminError(exc.message_zh) from None
    return password


def _run(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    actor = _actor()
    cmd = args.command
    if cmd == "migrate":
        print(f"database at head: {settings.db_url.split('@')[-1]}")
        return 0
    with write_engine(engine).begin() as conn:
        if cmd == "site" and args.action == "add":
            devices.add_site(conn, args.code, args.name, actor)
            print(f"site {args.code} added")
        elif cmd == "device" and args.action == "add":
            code, scope = devices.add_device(
                conn, args.site, args.kind, _pairs(args.serves), args.code, actor
            )
            enrol = devices.issue_enrolment_code(conn, code, args.hours, actor)
            served = ", ".join(f"{s}:{d}" for s, d in sorted(scope.pairs))
            print(f"device {code} ({args.kind}) at site {args.site}, serves {served}")
            print(f"enrolment code (one use, expires in {args.hours:g} h): {enrol}")
        elif cmd == "device" and args.action == "code":
            enrol = devices.issue_enrolment_code(conn, args.device, args.hours, actor)
            print(f"enrolment code for device {args.device} (one use, expires in {args.hours:g} h): {enrol}")
        elif cmd == "device" and args.action == "revoke":
            count = devices.revoke(conn, args.device, args.token_id, actor)
            what = f"token {args.token_id}" if args.token_id else f"device {args.device}"
            print(f"{what} revoked ({count} token(s))")
        elif cmd == "device" and args.action == "list":
            print(json.dumps(devices.list_devices(conn), ensure_ascii=False, indent=2))
        elif cmd == "user" and args.action == "add":
            roles = [r.strip() for r in args.roles.split(",") if r.strip()]
            directory.add_user(
                conn,
                args.username,
                args.name,
                _password(args),
                roles,
                args.site,
                _pairs(args.serves),
                actor,
                args.replace,
            )
            print(f"user {args.username} saved")
        elif cmd == "user" and args.action in ("disable", "enable"):
            directory.set_active(conn, args.username, args.action == "enable", actor)
            print(f"user {args.username} {args.action}d")
        elif cmd == "user" and args.action == "list":
            for u in directory.list_users(conn):
                serves = ",".join(f"{p['site_code']}:{p['department_code']}" for p in u["serves"]) or "-"
                state = "active" if u["active"] else "disabled"
                print(
                    f"{u['username']}\t{u['display_name']}\t{','.join(u['roles'])}\tsite={u['site_code'] or '-'}\tserves={serves}\t{state}"
                )
        elif cmd in ("catalog", "calendar"):
            result = publications.publish(conn, cmd, Path(args.file).read_bytes(), actor)
            note = " (unchanged: same content as the current version)" if result["unchanged"] else ""
            print(f"{cmd} version {result['version']} etag {result['etag']}{note}")
        else:  # pragma: no cover - argparse requires a known action
            raise AdminError(f"unknown command {cmd}")
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from county_hub.app import create_app

    if bool(args.certfile) != bool(args.keyfile):
        raise AdminError("give both --certfile and --keyfile for TLS")
    app: Any = create_app(settings)
    if args.workers > 1:  # each worker process builds its own app from the environment
        os.environ["COUNTY_HUB_DB"] = settings.db_url
        app = "county_hub.app:app_from_env"
    uvicorn.run(
        app,
        factory=args.workers > 1,
        workers=args.workers,
        host=args.host,
        port=args.port,
        ssl_certfile=args.certfile,
        ssl_keyfile=args.keyfile,
        log_level=args.log_level,
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir", help="folder of the embedded SQLite database (default: COUNTY_HUB_DATA_DIR)"
    )
    common.add_argument(
        "--db", help="database URL, e.g. postgresql+psycopg://hub@db/hub (default: COUNTY_HUB_DB)"
    )
    p = argparse.ArgumentParser(prog="county-hub", description=__doc__, parents=[common])
    sub = p.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", parents=[common], help="migrate, then run the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--certfile", help="TLS certificate (PEM, with the chain)")
    serve.add_argument("--keyfile", help="TLS private key (PEM)")
    serve.add_argument("--log-level", default="info")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (PostgreSQL; default 1)")
    sub.add_parser("migrate", parents=[common], help="upgrade the database to this hub's schema")

    site = sub.add_parser("site", help="township sites").add_subparsers(dest="action", required=True)
    s_add = site.add_parser("add", parents=[common])
    s_add.add_argument("code")
    s_add.add_argument("name")

    dev = sub.add_parser("device", help="hall PCs and approver PCs").add_subparsers(
        dest="action", required=True
    )
    d_add = dev.add_parser("add", parents=[common], help="register a device and print its enrolment code")
    d_add.add_argument("--site", required=True)
    d_add.add_argument("--kind", required=True, choices=devices.KINDS)
    d_add.add_argument("--serves", nargs="*", metavar="SITE:DEPT", help="pairs served (SITE:* = whole site)")
    d_add.add_argument("--code", help="device code (default: the next free 4-digit number)")
    d_add.add_argument("--hours", type=float, default=72.0, help="enrolment code lifetime (default 72)")
    d_code = dev.add_parser("code", parents=[common], help="a new enrolment code (another OS account)")
    d_code.add_argument("device")
    d_code.add_argument("--hours", type=float, default=72.0)
    d_rev = dev.add_parser("revoke", parents=[common], help="revoke a device, or one of its tokens")
    d_rev.add_argument("device")
    d_rev.add_argument("--token-id")
    dev.add_parser("list", parents=[common])

    user = sub.add_parser("user", help="the user directory").add_subparsers(dest="action", required=True)
    u_add = user.add_parser("add", parents=[common])
    u_add.add_argument("username")
    u_add.add_argument("--name", required=True, help="display name")
    u_add.add_argument("--roles", required=True, help="comma-separated, e.g. clerk or approver,supervisor")
    u_add.add_argument("--site", help="home site")
    u_add.add_argument("--serves", nargs="*", metavar="SITE:DEPT")
    u_add.add_argument("--password", help="(prompted when omitted)")
    u_add.add_argument("--replace", action="store_true", help="overwrite an existing user")
    user.add_parser("list", parents=[common])
    for action in ("disable", "enable"):
        user.add_parser(action, parents=[common]).add_argument("username")

    for kind in ("catalog", "calendar"):
        pub = sub.add_parser(kind, help=f"publish a {kind} file").add_subparsers(dest="action", required=True)
        pub.add_parser("publish", parents=[common]).add_argument("file")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings.resolve(args.db, args.data_dir)
    try:
        engine = make_engine(settings.db_url)
        try:
            upgrade(engine)
            if args.command == "serve":
                engine.dispose()
                return _serve(args, settings)
            return _run(args, settings, engine)
        finally:
            engine.dispose()
    except (AdminError, DatabaseTooNew, OSError) as exc:
        print(f"county-hub: {exc}", file=sys.stderr)
        return 2
