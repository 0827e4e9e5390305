"""county-hub: run the hub and administer it; what each command does (its options: county_hub.cli_parser)."""

from __future__ import annotations

import argparse
import contextlib
import errno
import getpass
import io
import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from clerk_desk.domain.org import WINDOW_KIND_ZH, WindowKind
from clerk_desk.domain.passwords import WeakPassword, check_strength
from clerk_desk.domain.workdays import SHANGHAI
from county_hub import backup as backup_mod
from county_hub import (
    county_figures,
    county_rebuild,
    county_supervision,
    devices,
    directory,
    grants,
    holdings,
    publications,
    serve_cmd,
    windows,
)
from county_hub.cli_parser import build_parser, merge_global_options
from county_hub.db import write_engine
from county_hub.devices import AdminError
from county_hub.migrate import DatabaseTooNew, upgrade
from county_hub.models import utcnow
from county_hub.scope import parse_pair
from county_hub.settings import Settings
from county_hub.storage import make_engine

_OS_ERRORS_ZH = {
    errno.ENOENT: "路径不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "不允许的操作",
    errno.ENOSPC: "磁盘已满",
    errno.EROFS: "文件系统只读",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EISDIR: "这是文件夹，不是文件",
}
_KIND_ZH = {"clerk": "窗口电脑", "approver": "审批电脑", "county": "县级督办电脑"}


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _pairs(values: Sequence[str] | None) -> list[tuple[str, str]]:
    try:
        return [parse_pair(v) for v in values or ()]
    except ValueError as exc:
        raise AdminError(
            f"{exc.args[0]}：--serves 应写成 服务中心代码:部门代码（如 421224100:rs），整个服务中心写 代码:*"
        ) from None


def _when(text: str | None) -> datetime | None:
    """A moment typed by IT: an ISO date (midnight in China) or date and time (China time unless a zone is given)."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise AdminError(
            f"「{text}」不是日期或时间：应写成 2026-12-01（当天零点，北京时间）或 2026-12-01T08:30"
        ) from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)).astimezone(UTC)


def _scope_text(scope: Sequence[tuple[str, str]]) -> str:
    return "、".join(f"{s}:{d}" for s, d in scope)


def _password(args: argparse.Namespace) -> str:
    password: str | None = args.password
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise AdminError("--password-stdin：标准输入中没有密码（应为一行），未保存")
    elif password is None:
        password = getpass.getpass("密码：")
        if getpass.getpass("再输一次：") != password:
            raise AdminError("两次输入的密码不一致，未保存：请重新运行命令")
    try:
        check_strength(password)
    except WeakPassword as exc:
        raise AdminError(exc.message_zh) from None
    return password


_SECRET_QUERY = ("password", "sslpassword")  # libpq's parameters that hold a secret


def _shown(db_url: str) -> str:
    """The database's address as the hub prints it: host, port and database, never a password (before the
    "@" or as a query parameter) nor the rest of the query."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(db_url)
    except ArgumentError:
        return "（地址格式不正确）"
    if url.get_backend_name() == "sqlite":  # a file: nothing secret in its address
        return db_url
    host = f"{url.host or ''}{f':{url.port}' if url.port else ''}"
    return f"{host}/{url.database or ''}"


def _has_password(db_url: str) -> bool:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(db_url)
    except ArgumentError:
        return False
    return bool(url.password) or any(k.lower() in _SECRET_QUERY for k in url.query)


def _warn_password_in_arguments(db_url: str | None) -> None:
    """Any account on the machine can read a process's command line: a password in ``--db`` is shown there
    for as long as the command (``serve``: the hub) runs."""
    if db_url and _has_password(db_url):
        print(
            "county-hub: 注意：--db 中的数据库密码会出现在本机的进程列表中（任何账户用 ps 都能看到）。请改用环境变量 "
            "COUNTY_HUB_DB（如服务的环境文件，仅管理员可读），或去掉地址中的密码、写入运行账户的 ~/.pgpass（0600）",
            file=sys.stderr,
        )


def _reach(engine: Engine, db_url: str) -> None:
    """Connect once before anything else, so a database that is down or refuses the login is one line
    that says what to check, not the driver's traceback (and never the URL's password)."""
    try:
        with engine.connect():
            pass
    except DBAPIError as exc:
        where = _shown(db_url)
        why = (str(exc.orig).strip().splitlines() or [type(exc.orig).__name__])[0]
        raise AdminError(
            f"无法连接数据库 {where}：{why}。请检查数据库服务是否在运行，以及 --db（或 COUNTY_HUB_DB）中的"
            "地址、端口、数据库名、用户名和密码"
        ) from None


def _swap_in_backup(args: argparse.Namespace, settings: Settings) -> None:
    """``county-hub restore FILE`` on the embedded SQLite database (the hub stopped), before it is opened."""
    if args.mark and args.file:
        raise AdminError("--mark 只标记已恢复的数据库，不带备份文件：请二选一")
    if args.past is not None and (not args.mark or not 0 <= args.past < 2**62):
        raise AdminError("--past 只与 --mark 一起使用，应为被替换的数据库达到的事件序号（0 或正整数）")
    if args.mark:
        args.replaced_head = args.past or 0
        return
    if not args.file:
        raise AdminError("请给出备份文件（county-hub backup 所写），或用 --mark 标记用其他方式恢复的数据库")
    if not settings.db_url.startswith("sqlite"):
        raise AdminError(
            "县级平台使用 PostgreSQL：请先停止县级平台，用 pg_restore 恢复备份，再运行 county-hub restore --mark"
        )
    from sqlalchemy.engine import make_url

    database = make_url(settings.db_url).database
    assert database  # an SQLite file in the data folder
    stamp = datetime.now(SHANGHAI).strftime("%Y%m%d-%H%M%S")
    # the seqs the database in use handed out: a second restore of a backup (or an older one) moves past them
    args.replaced_head = backup_mod.replaced_head(Path(database))
    kept = backup_mod.swap_in(Path(database).parent, Path(args.file).expanduser().absolute(), stamp)
    print(f"原数据库已保留为 {kept}")


def _run(args: argparse.Namespace, settings: Settings, engine: Engine) -> int:
    actor = _actor()
    cmd = args.command
    if cmd == "migrate":
        print(f"数据库已是最新结构：{_shown(settings.db_url)}")
        return 0
    if cmd == "county":
        return _county(args, engine)
    if cmd == "restore":
        with write_engine(engine).begin() as conn:
            marked = backup_mod.mark_restored(conn, actor, getattr(args, "replaced_head", 0))
        print(
            f"已恢复：事件日志至第 {marked[0]} 条，新事件从第 {marked[1] + 1} 条起；各电脑下次同步时重新取得快照"
            "（cursor_ahead），并自动重新上传平台丢失的本机事件。"
            "此后注册、更换令牌或新增的设备、用户和发布须重新办理，请启动县级平台"
        )
        return 0
    if cmd == "backup":
        done = backup_mod.backup(engine, Path(args.file).expanduser().absolute())
        size = f"{done.size / 1024 / 1024:.1f} MB" if done.size >= 1024 * 1024 else f"{done.size / 1024:.0f} KB"
        print(f"已备份到 {done.path}（{size}，事件日志至第 {done.head} 条）")
        return 0
    # What a command prints is written once its transaction has committed: printed before, a reader that
    # stopped early (`device add … | head -2`) rolled the command back after its enrolment code was shown.
    out = io.StringIO()
    with contextlib.redirect_stdout(out), write_engine(engine).begin() as conn:
        if cmd == "site" and args.action == "add":
            devices.add_site(conn, args.code, args.name, actor)
            print(f"已添加服务中心 {args.code} {args.name}")
        elif cmd == "site" and args.action == "list":
            _sites(conn)
        elif cmd == "device" and args.action == "add":
            code, scope = devices.add_device(
                conn, args.site, args.kind, _pairs(args.serves), args.code, actor
            )
            enrol = devices.issue_enrolment_code(conn, code, args.hours, actor)
            served = _scope_text(sorted(scope.pairs)) or "无（只读全县统计）"
            kind = f"{_KIND_ZH.get(args.kind, args.kind)}，{args.kind}"
            print(f"已登记设备 {code}（{kind}），服务中心 {args.site}，服务范围：{served}")
            print(f"注册码（仅可使用一次，{args.hours:g} 小时内有效）：{enrol}")
            print(f"请把注册码交给该电脑，在其上运行 clerk-desk enrol --code {enrol}")
        elif cmd == "device" and args.action == "code":
            enrol = devices.issue_enrolment_code(conn, args.device, args.hours, actor)
            print(f"设备 {args.device} 的新注册码（仅可使用一次，{args.hours:g} 小时内有效）：{enrol}")
            print(f"请在该电脑（要注册的 Windows 账户）上运行 clerk-desk enrol --code {enrol}")
        elif cmd == "device" and args.action == "revoke":
            count = devices.revoke(conn, args.device, args.token_id, actor)
            if args.token_id:
                print(
                    f"设备 {args.device} 的令牌 {args.token_id} 已吊销：该账户立即不能再同步；"
                    f"重新注册请运行 county-hub device code {args.device} 取得新的注册码"
                )
            else:
                print(
                    f"设备 {args.device} 已吊销（{count} 个令牌）：该电脑的令牌立即失效；"
                    "重新启用请运行 county-hub device add …（登记为新设备）"
                )
        elif cmd == "device" and args.action == "list":
            quiet = args.quiet_days
            if quiet is not None and not 0 <= quiet <= 3650:
                raise AdminError("--quiet-days 应为 0 到 3650 之间的天数")
            since = utcnow() - timedelta(days=quiet) if quiet is not None else None
            _devices(conn, since, behind=args.behind, table=args.table)
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
                _when(args.valid_from),
            )
            print(f"已保存用户 {args.username}（{args.name}），角色：{'、'.join(roles)}")
        elif cmd == "user" and args.action == "grant":
            pairs = _pairs(args.serves) + [(s, "*") for s in args.site or []]
            directory.grant_role(
                conn, args.username, args.role, pairs, _when(args.valid_from), _when(args.valid_to), actor
            )
            print(f"已授予用户 {args.username} {args.role} 角色，范围：{_scope_text(pairs)}")
        elif cmd == "user" and args.action == "revoke":
            pairs = _pairs(args.serves) + [(s, "*") for s in args.site or []]
            count = directory.revoke_role(conn, args.username, args.role, pairs, _when(args.at), actor)
            print(f"用户 {args.username} 的 {args.role} 角色已终止（{count} 项授权）；此前办理的业务仍然有效")
        elif cmd == "user" and args.action == "grants":
            for g in grants.grants_of(conn, [args.username]).get(args.username, []):
                d = grants.as_dict(g)
                print(
                    f"{d['role']}\t{d['site_code']}:{d['department_code']}\t"
                    f"from {d['valid_from'] or 'always'}\tto {d['valid_to'] or '-'}"
                )
        elif cmd == "user" and args.action in ("disable", "enable"):
            directory.set_active(conn, args.username, args.action == "enable", actor)
            if args.action == "enable":
                print(f"用户 {args.username} 已启用：其账户的角色自现在起重新生效")
            else:
                print(f"用户 {args.username} 已停用：其角色全部终止，此前办理的业务仍然有效")
        elif cmd == "user" and args.action == "list":
            for u in directory.list_users(conn):
                serves = ",".join(f"{p['site_code']}:{p['department_code']}" for p in u["serves"]) or "-"
                state = "active" if u["active"] else "disabled"
                print(
                    f"{u['username']}\t{u['display_name']}\t{','.join(u['roles'])}\tsite={u['site_code'] or '-'}\tserves={serves}\t{state}"
                )
        elif cmd == "window":
            _window(conn, args, actor)
        elif cmd in ("catalog", "calendar") and args.action == "publish":
            _publish(conn, cmd, Path(args.file), args.force, actor)
        elif cmd in ("catalog", "calendar", "supervision") and args.action == "list":
            _list(conn, cmd)
        elif cmd == "supervision" and args.action == "set":
            _set_supervision(conn, args.sign_minutes, args.result_days, actor)
        elif cmd == "supervision" and args.action == "show":
            r = county_supervision.rules(conn)
            published = publications.latest(conn, "supervision")
            where = f"第 {published.version} 次发布" if published is not None else "尚未发布，为默认值"
            print(f"签收时限 {r.sign_minutes} 分钟，结果领取期限 {r.result_days} 天（{where}）")
        else:  # pragma: no cover - argparse requires a known action
            raise AdminError(f"未知的命令 {cmd}")
    sys.stdout.write(out.getvalue())
    sys.stdout.flush()
    return 0


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise AdminError(f"「{text}」不是日期，应写成 2026-11-01 这样") from None


def _sites(conn: Any) -> None:
    """``county-hub site list``: code and name, tab-separated, one site a line (for people and scripts);
    with none yet, stdout stays empty and stderr says how to add one."""
    sites = devices.list_sites(conn)
    if not sites:
        print("尚未添加服务中心：请用 county-hub site add 代码 名称 添加（如 421224100 通羊镇）", file=sys.stderr)
    for code, name in sites:
        print(f"{code}\t{name}")


def _devices(conn: Any, since: datetime | None, *, behind: bool, table: bool) -> None:
    """``county-hub device list``: JSON (for scripts), or with ``--table`` one line a device for people; what
    the calendar lacks this year (and in December next year) goes to stderr, so stdout stays the list."""
    listed = holdings.annotate(conn, devices.list_devices(conn, since), only_behind=behind)
    everyone = listed if since is None and not behind else holdings.annotate(conn, devices.list_devices(conn))
    if table:
        _device_table(listed)
    else:
        print(json.dumps(listed, ensure_ascii=False, indent=2))
    for line in holdings.calendar_warnings(everyone, holdings.served(conn), holdings.china_today()):
        print(f"county-hub: {line}", file=sys.stderr)


def _china(iso: str | None) -> str:
    if iso is None:
        return "—"
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def _lacks_text(lacks: list[dict[str, Any]]) -> str:
    words = []
    for b in lacks:
        if b["what"] == "unreported":
            words.append("未报告（程序版本较旧，或升级后尚未同步）")
        elif b["what"] == "catalog":
            words.append(f"事项目录 {b['have'] or '无'}，平台 {b['served']}")
        else:
            words.append(f"{b['year']} 年节假日安排{' ' + b['have'] if b['have'] else '缺'}，平台 {b['served']}")
    return "；".join(words) or "最新"


def _device_table(listed: list[dict[str, Any]]) -> None:
    """One line a device, tab-separated, China time; what a desk reported is shown as data, never as markup."""
    print("设备\t服务中心\t类型\t程序版本\t事项目录\t节假日安排（年份:版本）\t最近报告\t最近上传\t落后")
    for d in listed:
        h = d["holds"] or {}
        kind = _KIND_ZH.get(d["kind"], d["kind"]) + ("（已吊销）" if d["revoked"] else "")
        catalog = h.get("catalog") or "—"
        if h.get("catalog_source") == "demo":
            catalog += "（演示）"
        years = " ".join(f"{y}:{v}" for y, v in (h.get("calendar") or {}).items()) or "—"
        print(f"{d['code']}\t{d['site']}\t{kind}\t{h.get('app') or '—'}\t{catalog}\t{years}\t"
              f"{_china(h.get('reported_at'))}\t{_china(d['last_push_at'])}\t{_lacks_text(d['behind'])}")  # fmt: skip


def _window(conn: Any, args: argparse.Namespace, actor: str) -> None:
    """``county-hub window add / end / list / import`` (county_hub.windows)."""
    if args.action == "add":
        windows.put(conn, args.site, args.name, args.kind, department_code=args.department, items=args.items or (),
                    valid_from=_day(args.valid_from), valid_to=_day(args.valid_to), devices=args.devices or (),
                    actor=actor)  # fmt: skip
        kind_zh = WINDOW_KIND_ZH[WindowKind(args.kind)]  # argparse let only known kinds through
        print(f"已登记服务中心 {args.site} 的窗口「{args.name}」（{kind_zh}，{args.kind}）")
    elif args.action == "end":
        windows.end(conn, args.site, args.name, _when(args.at), actor)
        print(f"服务中心 {args.site} 的窗口「{args.name}」已停用；此前办理的业务仍然有效")
    elif args.action == "import":
        try:
            data = json.loads(Path(args.file).read_text(encoding="utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise AdminError(
                f"{args.file} 不是 JSON 格式的窗口清单（{exc}）：请用 clerk-desk window export 重新导出"
            ) from None
        if not isinstance(data, dict):
            raise AdminError(f"{args.file} 不是 clerk-desk window export 导出的窗口清单，请重新导出")
        registered, ended = windows.import_site(conn, args.site, data, actor)
        print(f"服务中心 {args.site}：已登记 {registered} 个窗口，停用 {ended} 个（文件中没有的）")
    else:
        print(json.dumps(windows.list_windows(conn, args.site), ensure_ascii=False, indent=2))


def _county(args: argparse.Namespace, engine: Engine) -> int:
    """County IT's view of the county figures (the same answers as GET /county/...), and their rebuild."""
    if args.action == "rebuild":
        counts = county_rebuild.rebuild(engine)
        print(
            f"已根据 {counts['events']} 条事件重建全县统计：{counts['cases']} 件业务，{counts['days']} 条按日统计，"
            f"{counts['durations']} 条办理时长分布，{counts['items']} 个事项名称"
        )
        return 0
    sites = [args.site] if args.site else None
    with engine.connect() as conn, conn.begin():
        if args.action == "figures":
            first, last = _day(args.first), _day(args.last)
            assert first is not None and last is not None  # both options are required
            body = county_figures.figures(conn, first, last, sites)
        else:
            body = county_supervision.overdue(conn, utcnow(), sites, args.limit)
    print(json.dumps(body, ensure_ascii=False, indent=2, allow_nan=False))
    return 0


def _set_supervision(conn: Any, sign_minutes: int | None, result_days: int | None, actor: str) -> None:
    """Publish the county's supervision values: those given, the others as now (docs/supervision.md)."""
    from clerk_desk.domain.supervision import Rules
    from clerk_desk.domain.supervision_settings import SettingsFormatError, settings_bytes

    if sign_minutes is None and result_days is None:
        raise AdminError("请给出 --sign-minutes 或 --result-days（或两者）")
    now = county_supervision.rules(conn)
    new = Rules(
        now.sign_minutes if sign_minutes is None else sign_minutes,
        now.result_days if result_days is None else result_days,
    )
    served = publications.latest(conn, "supervision")
    label = int(served.label) + 1 if served is not None and (served.label or "").isdigit() else 1
    try:
        content = settings_bytes(label, new)
    except SettingsFormatError as exc:
        raise AdminError("；".join(exc.problems)) from None
    result = publications.publish(conn, "supervision", content, actor)
    print(
        f"督办时限已发布（第 {result['version']} 次发布）：签收时限 {new.sign_minutes} 分钟，"
        f"结果领取期限 {new.result_days} 天；各窗口电脑在下次同步时采用，县级督办清单立即采用"
    )


def _publish(conn: Any, kind: str, path: Path, force: bool, actor: str) -> None:
    what = publications.KIND_ZH[kind]
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise AdminError(f"无法读取文件 {path}：{exc.strerror or exc}") from None
    result = publications.publish(conn, kind, content, actor, force=force)
    if result["unchanged"]:
        print(f"{what} {result['label']} 与当前发布的内容相同（第 {result['version']} 次发布），未重复发布")
        return
    done = "已回退到" if result["rollback"] else "已发布"
    print(f"{what}{done}版本 {result['label']}：第 {result['version']} 次发布，ETag {result['etag'][:16]}…")
    if result["rollback"]:
        print("回退已记入审计日志；各窗口电脑在下次同步时改用这一版本（本机手工导入了更新版本的除外）")
    for line in result["notes"]:
        print(f"  {line}")
    for line in result["warnings"][:10]:
        print(f"  {line}")
    if result["warnings"]:
        more = len(result["warnings"]) - 10
        rest = "，以上为前 10 个，全部警告可用 clerk-desk catalog validate 文件 列出" if more > 0 else ""
        print(f"共 {len(result['warnings'])} 个警告（已发布；各项在窗口显示为待确认）{rest}")


def _list(conn: Any, kind: str) -> None:
    rows = publications.list_publications(conn, kind)
    if not rows:
        print(f"尚未发布{publications.KIND_ZH[kind]}")
        return
    unit = {"catalog": "项", "calendar": "个年份", "supervision": "项时限"}[kind]
    print("发布\t版本\t发布时间（北京时间）\t发布人\t大小\t内容\t说明")
    for r in rows:
        when = r.published_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
        size = f"{r.size / 1024:.1f} KB" if r.size >= 1024 else f"{r.size} B"
        count = f"{r.count} {unit}" if r.count is not None else "—"
        if r.years:
            count += f"（{'、'.join(r.years)}）"
        notes = [n for n, on in (("回退", r.rollback), ("当前提供", r.served)) if on]
        print(f"{r.version}\t{r.label or '—'}\t{when}\t{r.published_by}\t{size}\t{count}\t{'，'.join(notes)}")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        merge_global_options(args)
        _warn_password_in_arguments(args.db)
        settings = Settings.resolve(args.db, args.data_dir)
        swapped = False
        if args.command == "restore":
            _swap_in_backup(args, settings)
            swapped = not args.mark
        engine = make_engine(settings.db_url)
        try:
            _reach(engine, settings.db_url)
            upgrade(engine)
            if args.command == "serve":
                engine.dispose()
                return serve_cmd.serve(args, settings)
            return _run(args, settings, engine)
        except BaseException:
            if swapped:  # started unmarked, the hub would let new events take seqs desks already hold
                print(
                    "county-hub: 备份已放入数据文件夹，但尚未标记为恢复：请先排除下面的问题，运行 county-hub restore "
                    "--mark，再启动县级平台",
                    file=sys.stderr,
                )
            raise
        finally:
            engine.dispose()
    except publications.FileRefused as exc:  # the file's own problems: exit 1, nothing published
        print(f"county-hub: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `county-hub device list | head`: the reader has what it wanted
        # what Python would still flush into the closed pipe at exit goes nowhere instead of into another error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except (AdminError, DatabaseTooNew) as exc:
        print(f"county-hub: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # e.g. a data folder that cannot be made or read
        where = f" {exc.filename}" if exc.filename else ""
        why = _OS_ERRORS_ZH.get(exc.errno or 0, exc.strerror or str(exc))
        print(
            f"county-hub: 无法访问{where}：{why}。请检查该路径是否正确、运行账户是否有读写权限"
            "（数据文件夹可用 --data-dir 指定）",
            file=sys.stderr,
        )
        return 2
