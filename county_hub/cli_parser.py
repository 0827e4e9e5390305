"""The county-hub command line: its commands and options (county_hub.cli runs them)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from clerk_desk.domain.org import WindowKind
from county_hub import county_supervision, devices, grants, publications
from county_hub.devices import AdminError

DESCRIPTION = "county-hub: run the hub and administer it (sites, devices, users, windows, catalog and calendar)."


def _data_dir_help() -> str:
    """The folder used when neither --data-dir nor COUNTY_HUB_DATA_DIR is given, named in --help."""
    if sys.platform == "win32":
        rule = r"%PROGRAMDATA%\county-hub"
        here = Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "county-hub"
    else:
        rule = "$XDG_DATA_HOME/county-hub, else ~/.local/share/county-hub"
        here = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "county-hub"
    text = f"folder of the embedded SQLite database (default: COUNTY_HUB_DATA_DIR, else {rule}; here {here})"
    return text.replace("%", "%%")  # argparse formats help with %


_GLOBAL = (
    ("--data-dir", "data_dir", _data_dir_help()),
    ("--db", "db", "database URL, e.g. postgresql+psycopg://hub@db/hub (default: COUNTY_HUB_DB)"),
)


def _global_options(*, after_command: bool) -> argparse.ArgumentParser:
    """--data-dir and --db, accepted before the command and after it. Given after it they land in their own
    attribute (``sub_data_dir``...), so the default of the one place never overwrites what the other got
    (it did: ``county-hub --data-dir D site add ...`` silently used the default database)."""
    common = argparse.ArgumentParser(add_help=False)
    for flag, dest, text in _GLOBAL:
        if after_command:
            common.add_argument(flag, dest=f"sub_{dest}", default=None, help=text)
        else:
            common.add_argument(flag, dest=dest, default=None, help=text)
    return common


def merge_global_options(args: argparse.Namespace) -> None:
    for _flag, dest, _text in _GLOBAL:
        before, after = getattr(args, dest, None), getattr(args, f"sub_{dest}", None)
        if before is not None and after is not None and before != after:
            raise AdminError(f"{_flag} 给出了两次且不相同（{before} 和 {after}）：请只给一次")
        setattr(args, dest, after if after is not None else before)


def build_parser() -> argparse.ArgumentParser:
    common = _global_options(after_command=True)
    p = argparse.ArgumentParser(
        prog="county-hub", description=DESCRIPTION, parents=[_global_options(after_command=False)]
    )
    sub = p.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", parents=[common], help="migrate, then run the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--certfile", help="TLS certificate (PEM, with the chain)")
    serve.add_argument("--keyfile", help="TLS private key (PEM)")
    serve.add_argument("--log-level", default="info")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (PostgreSQL; default 1)")
    serve.add_argument(
        "--enrol-per-client",
        type=int,
        help="POST /enrol a minute per client address (default 10; a roll-out day may need more)",
    )
    serve.add_argument(
        "--enrol-overall", type=int, help="POST /enrol a minute overall, per worker (default 120)"
    )
    serve.add_argument(
        "--connections-per-address",
        type=int,
        help="connections one client address may keep open per worker (default 200; 0: no cap; "
        "127.0.0.1 and ::1, a local reverse proxy, are never capped)",
    )
    serve.add_argument(
        "--trusted-proxy",
        action="append",
        metavar="ADDRESS",
        help="a reverse proxy's address (repeatable): its connections are not capped per address and its "
        "X-Forwarded-For names the client (believed from no one else, 127.0.0.1 included)",
    )
    sub.add_parser("migrate", parents=[common], help="upgrade the database to this hub's schema")
    sub.add_parser(
        "backup", parents=[common], help="a consistent copy of the SQLite database, the hub running or not"
    ).add_argument("file", help="the new backup file (never overwritten)")
    restore = sub.add_parser(
        "restore", parents=[common],
        help="the hub stopped: put an SQLite backup in place (the database it replaces is kept beside it) and "
        "mark the log so that desks recover; --mark only marks (PostgreSQL, after pg_restore)",
    )
    restore.add_argument("file", nargs="?", help="a file written by county-hub backup")
    restore.add_argument("--mark", action="store_true", help="only mark a database restored by other means")
    restore.add_argument(
        "--past",
        type=int,
        metavar="SEQ",
        help="with --mark: the highest seq the replaced database had reached (SELECT max(value) FROM counters, "
        "read before pg_restore); the counter moves past it too",
    )

    site = sub.add_parser("site", help="township sites").add_subparsers(dest="action", required=True)
    s_add = site.add_parser("add", parents=[common])
    s_add.add_argument("code")
    s_add.add_argument("name")
    site.add_parser("list", parents=[common], help="the sites: code and name, tab-separated")

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
    d_list = dev.add_parser(
        "list", parents=[common],
        help="devices, their tokens, enrolment, last push and what each desk holds (JSON; --table for people)",
    )
    d_list.add_argument(
        "--quiet-days", type=float, metavar="N",
        help="only devices in use that have pushed nothing for N days (or never)",
    )
    d_list.add_argument(
        "--behind", action="store_true",
        help="only devices in use that lack the served catalog or a year of the served calendar, or never reported",
    )
    d_list.add_argument("--table", action="store_true", help="one line a device, tab-separated, China time")

    user = sub.add_parser("user", help="the user directory").add_subparsers(dest="action", required=True)
    u_add = user.add_parser("add", parents=[common])
    u_add.add_argument("username")
    u_add.add_argument("--name", required=True, help="display name")
    u_add.add_argument("--roles", required=True, help="comma-separated, e.g. clerk or approver,supervisor")
    u_add.add_argument("--site", help="home site")
    u_add.add_argument("--serves", nargs="*", metavar="SITE:DEPT")
    u_pw = u_add.add_mutually_exclusive_group()
    u_pw.add_argument("--password", help="(prompted when omitted; any account sees it in the process list)")
    u_pw.add_argument("--password-stdin", action="store_true", help="read the password as one line from stdin")
    u_add.add_argument("--replace", action="store_true", help="overwrite an existing user")
    u_add.add_argument(
        "--from",
        dest="valid_from",
        metavar="WHEN",
        help="the roles hold from then (default: now; China time)",
    )
    u_grant = user.add_parser("grant", parents=[common], help="a role for a period (recorded in the audit)")
    u_grant.add_argument("username")
    u_grant.add_argument("--role", required=True, choices=grants.KNOWN_ROLES)
    u_grant.add_argument("--site", nargs="*", metavar="SITE", help="whole sites (clerk, supervisor, admin)")
    u_grant.add_argument("--serves", nargs="*", metavar="SITE:DEPT", help="pairs served (approver)")
    u_grant.add_argument("--from", dest="valid_from", metavar="WHEN", help="default: now (China time)")
    u_grant.add_argument("--to", dest="valid_to", metavar="WHEN", help="default: until revoked")
    u_rev = user.add_parser("revoke", parents=[common], help="end a role (work done before stays valid)")
    u_rev.add_argument("username")
    u_rev.add_argument("--role", required=True, choices=grants.KNOWN_ROLES)
    u_rev.add_argument("--site", nargs="*", metavar="SITE", help="only for these whole sites")
    u_rev.add_argument("--serves", nargs="*", metavar="SITE:DEPT", help="only for these pairs")
    u_rev.add_argument("--at", metavar="WHEN", help="default: now (China time)")
    user.add_parser("grants", parents=[common], help="a user's role periods").add_argument("username")
    user.add_parser("list", parents=[common])
    for action in ("disable", "enable"):
        user.add_parser(action, parents=[common]).add_argument("username")

    win = sub.add_parser("window", help="the window directory intake events are judged by").add_subparsers(
        dest="action", required=True
    )
    w_add = win.add_parser("add", parents=[common], help="register a window of a site, or change it")
    w_add.add_argument("name")
    w_add.add_argument("--site", required=True)
    w_add.add_argument("--kind", required=True, choices=[k.value for k in WindowKind])
    w_add.add_argument("--department", help="a department window's (部门专窗) department code")
    w_add.add_argument(
        "--items", nargs="*", metavar="ITEM", help="items a tidal window takes / a department window keeps"
    )
    w_add.add_argument("--from", dest="valid_from", metavar="YYYY-MM-DD", help="a tidal window's first day")
    w_add.add_argument("--to", dest="valid_to", metavar="YYYY-MM-DD", help="a tidal window's last day")
    w_add.add_argument(
        "--devices", nargs="*", metavar="CODE", help="the PCs that work it (default: any of the site)"
    )
    w_end = win.add_parser(
        "end", parents=[common], help="take a window out of use (work done before stays valid)"
    )
    w_end.add_argument("name")
    w_end.add_argument("--site", required=True)
    w_end.add_argument("--at", metavar="WHEN", help="default: now (China time)")
    w_imp = win.add_parser(
        "import", parents=[common], help="the site's windows from `clerk-desk window export`"
    )
    w_imp.add_argument("file")
    w_imp.add_argument("--site", required=True)
    win.add_parser("list", parents=[common]).add_argument("--site")

    county = sub.add_parser("county", help="the county figures and 督办 list").add_subparsers(
        dest="action", required=True
    )
    county.add_parser("rebuild", parents=[common], help="make the county figures again from the whole log")
    c_fig = county.add_parser(
        "figures", parents=[common], help="figures of a period (Shanghai days), as JSON"
    )
    c_fig.add_argument("--from", dest="first", required=True, help="YYYY-MM-DD")
    c_fig.add_argument("--to", dest="last", required=True, help="YYYY-MM-DD (inclusive)")
    c_fig.add_argument("--site")
    c_over = county.add_parser("overdue", parents=[common], help="the 督办 list now, as JSON")
    c_over.add_argument("--site")
    c_over.add_argument("--limit", type=int, default=county_supervision.MAX_OVERDUE)
    for kind in ("catalog", "calendar"):
        what = publications.KIND_ZH[kind]
        pub = sub.add_parser(kind, help=f"{what}：发布、列出各版本").add_subparsers(
            dest="action", required=True
        )
        p_pub = pub.add_parser(
            "publish", parents=[common], help=f"检查并发布{what}文件（有任何错误则不发布，列出全部问题）"
        )
        p_pub.add_argument("file")
        p_pub.add_argument(
            "--force", action="store_true", help="发布比当前版本旧的文件（回退），记入审计日志"
        )
        pub.add_parser("list", parents=[common], help=f"已发布的{what}各版本")
    sup = sub.add_parser("supervision", help="督办时限（签收分钟数、结果领取天数）：设置并发布给各窗口电脑")
    sup_actions = sup.add_subparsers(dest="action", required=True)
    s_set = sup_actions.add_parser("set", parents=[common], help="设置并发布（未给出的一项保持不变）")
    s_set.add_argument("--sign-minutes", type=int, help="流转后签收时限（分钟，1-1440；默认 30）")
    s_set.add_argument("--result-days", type=int, help="结果领取期限（天，1-365；默认 5）")
    sup_actions.add_parser("show", parents=[common], help="当前的督办时限")
    sup_actions.add_parser("list", parents=[common], help="已发布的督办时限各版本")
    return p
