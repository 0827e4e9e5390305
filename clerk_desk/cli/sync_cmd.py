"""``clerk-desk enrol`` and ``clerk-desk sync status|now|run`` for county IT (and for tests)."""

from __future__ import annotations

import argparse
import json
import re
import signal
import threading
from datetime import datetime
from pathlib import Path

from clerk_desk import machine_config
from clerk_desk.cli import data_dir_of
from clerk_desk.cli.common import open_db
from clerk_desk.domain.errors import InputError
from clerk_desk.domain.workdays import SHANGHAI
from clerk_desk.services import site_setup
from clerk_desk.store.database import Database
from clerk_desk.sync import enrolment, follow, outbox
from clerk_desk.sync.engine import SyncEngine, SyncStatus


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    e = sub.add_parser("enrol", help="用县级信息技术人员提供的注册码把本机注册到县级平台")
    e.add_argument("--hub", default=None,
                   help="县级平台地址，必须是 https，例如 https://hub.tongshan.gov.cn（默认：安装时写入本机的地址）")
    e.add_argument("--code", required=True, help="一次性注册码")
    e.add_argument("--ca", default=None, help="电子政务外网的 CA 证书文件（PEM）（默认：安装时写入本机的证书）")
    e.set_defaults(handler=_enrol)
    p = sub.add_parser("sync", help="与县级平台同步")
    ssub = p.add_subparsers(dest="sync_command", metavar="ACTION", required=True)
    ssub.add_parser("status", help="显示待上传、被退回的事件与连接状态").set_defaults(handler=_status)
    ssub.add_parser("now", help="立即同步一次").set_defaults(handler=_now)
    r = ssub.add_parser("run", help="持续同步直到被终止（无界面的后台同步）")
    r.add_argument("--interval", type=float, default=30.0)
    r.add_argument("--batch", type=int, default=500, help="每次上传的事件数（链路很差时可调小）")
    r.set_defaults(handler=_run)


def _enrol(args: argparse.Namespace) -> int:
    # The MSI writes the hub address (and CA file) given at install: IT then needs only the code.
    preset = machine_config.load()
    hub = args.hub or preset.hub_url
    if not hub and preset.hub_url_problem:
        raise InputError(preset.hub_url_problem + "。请用 --hub 给出 https 地址")
    if not hub:
        raise InputError("请用 --hub 给出县级平台地址（本机安装时没有写入平台地址）")
    e = enrolment.enrol(open_db(args), hub, args.code, ca_bundle=args.ca or preset.hub_ca or None)
    mode = "后台审批" if e.kind == "approver" else "窗口受理"
    print(f"已注册：中心 {e.site_code}，本机编号 {e.device_code}，模式 {mode}")
    return 0


# The engine keeps the technical text (the link's exception, or the hub's "code: message"); county IT first
# reads what it means and what to check, then that text for whoever digs further.
_CLASS_PREFIX = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*: (?=.*[\u4e00-\u9fff])")


_KEPT = "本机已保存的记录不会丢失"


_CUT_OFF = ("token_revoked", "invalid_token", "device_revoked")  # the hub no longer takes this PC's token


def _refusal(code: str, device: str) -> str | None:
    """What a refusal of this PC's credential means and what county IT does; None: not such a refusal."""
    again = f"再在本机执行 clerk-desk enrol --code 注册码 重新注册。{_KEPT}，重新注册后自动补传"
    if code in ("token_revoked", "invalid_token"):
        return (f"本机（本 Windows 账户）的连接凭据已被县级平台停用或不再有效：请在县级平台执行 county-hub device code "
                f"{device} 取得新的注册码（若答复本机已停用，则用 county-hub device add 重新登记本机，取得新的编号和注册码），"
                f"{again}")  # fmt: skip
    if code == "device_revoked":
        return (f"本机（编号 {device}）已被县级平台停用：若本机仍要使用，请在县级平台重新登记（county-hub device add），"
                f"{again}")  # fmt: skip
    if code == "missing_token":
        return f"本 Windows 账户还没有注册到县级平台：请在县级平台执行 county-hub device code {device} 取得注册码，{again}"
    return None


def explain_error(raw: str, link_up: bool | None, hub_url: str | None, device: str = "设备号") -> str:
    where = f"（{hub_url}）" if hub_url else ""
    low = raw.lower()
    refused = _refusal(raw.split(":", 1)[0].strip(), device) if link_up is not False else None
    if refused:
        return f"{refused}。（技术信息：{raw}）"
    if raw.startswith("cursor_ahead"):
        return ("县级平台已从备份恢复：本机正在重新取得业务快照，并重新上传平台备份之后丢失的本机记录，下次同步时自动完成，"
                f"无需操作。（技术信息：{raw}）")  # fmt: skip
    if link_up is False and (raw.startswith("TLS") or "ssl" in low or "certificate" in low):
        meaning = (f"无法核验县级平台{where}的证书：请检查本机的电子政务外网 CA 证书（enrol --ca）和平台的证书是否"
                   "过期、是否签发给这个地址")  # fmt: skip
    elif link_up is False and raw.startswith("hub answered 5"):
        meaning = f"县级平台{where}暂时无法接收（服务器错误）：请县级信息技术人员查看平台的日志"
    elif link_up is False:
        meaning = (f"无法连接县级平台{where}：请检查本机网络（电子政务外网）是否连通、平台是否在运行、地址是否"
                   "正确")  # fmt: skip
    else:
        meaning = "县级平台拒绝了本机的请求，稍后自动重试；反复出现请联系县级信息技术人员"
        return f"{meaning}。{_KEPT}。（技术信息：{raw}）"
    return f"{meaning}。{_KEPT}，连通后自动补传。（技术信息：{raw}）"


def _print_unknown_accounts(db: Database) -> None:
    """Accounts made on this PC (the first administrator, before enrolment) that the hub's directory for
    this site does not have: the hub refuses their work as `unknown_actor` (docs/hub.md, "Who acted")."""
    from clerk_desk.services import accounts
    from clerk_desk.store.models import Setting
    from clerk_desk.sync import directory

    with db.reading() as s:
        etag, clashes = s.get(Setting, directory.ETAG_KEY), s.get(Setting, directory.CLASHES_KEY)
        known = set(json.loads(clashes.value)) if clashes and clashes.value else set()
    if etag is None or not etag.value:
        return  # the hub's directory has not arrived yet: nothing to compare with
    site = site_setup.site_info(db).site_code or "中心编码"
    for u in accounts.list_users(db):
        if u.source != "local" or not u.active or u.username in known:
            continue
        serves = "".join(f" --serves {a}:{b}" for a, b in u.serves)
        print(f"  本机账户 {u.username}（{u.display_name}）只在本机，县级平台没有本中心的这个账户：用它办理的事项会被县级"
              f"平台退回（unknown_actor）。请县级信息技术人员执行 county-hub user add {u.username} --name "
              f"{u.display_name} --roles {','.join(u.roles)} --site {site}{serves}")  # fmt: skip


def skew_text(skew_s: float) -> str:
    """The clock difference in whole seconds: ``+0 秒``, never ``-0 秒`` (a desk 0.3 s behind)."""
    return f"{round(skew_s) or 0:+d} 秒"


def _print_catalog(db: Database) -> None:
    """The catalog the desk finds items in, where it came from, and a hub file it did not use (and why):
    after `county-hub catalog publish` IT checks here that the desk took it, as for the calendar."""
    from clerk_desk.services import catalog_service

    info = catalog_service.catalog_info(db)
    if info is None:
        print("事项目录：无（请在县级平台发布 county-hub catalog publish，或在本机导入 clerk-desk catalog import）")
    else:
        source = {"hub": "县级平台发布"}.get(info.source, "本机导入")
        demo = "，演示目录" if info.is_demo else ""
        print(f"事项目录：{info.version}（{source}{demo}，{info.imported_at.astimezone(SHANGHAI):%Y-%m-%d %H:%M} 导入）")
    for kind, found in sorted(follow.state(db).items()):
        if isinstance(found, dict) and found.get("outcome") in (follow.REFUSED, follow.KEPT_NEWER) and found.get("message"):
            what = {"catalog": "事项目录", "calendar": "节假日安排", "supervision": "督办时限"}.get(kind, kind)
            print(f"  县级平台的{what} {found.get('label') or ''} 未采用：{found['message']}")


def _print_calendar(data_dir: Path) -> None:
    """Which holiday calendar the desk counts working days with, and the years it lacks: after
    `county-hub calendar publish` IT checks here that the desk took it (docs/calendar-format.md)."""
    from clerk_desk.services import calendar_service

    info = calendar_service.calendar_info(data_dir)
    if info.source == "data":
        assert info.arrived_at is not None
        arrived = datetime.fromtimestamp(info.arrived_at, SHANGHAI)
        source = f"县级平台发布，{arrived:%Y-%m-%d %H:%M} 收到"
    else:
        source = "随程序安装" if info.source == "shipped" else "无文件，仅用程序内置的节假日数据"
    years = "、".join(str(y) for y in info.years) or "无"
    print(f"节假日安排：{info.version or '—'}（{source}）；年份：{years}")
    for year in calendar_service.missing_years(data_dir, datetime.now(SHANGHAI).date()):
        print(f"  缺少 {year} 年的节假日安排：该年的办结时限按双休日推算，待发布后自动复核。"
              "请县级信息技术人员在县级平台发布（county-hub calendar publish）")  # fmt: skip


def _print(st: SyncStatus, db_args: argparse.Namespace) -> None:
    link = {True: "已连接", False: "未连接", None: "未检测"}[st.link_up]
    cut_off = bool(st.last_error) and (st.last_error or "").split(":", 1)[0] in _CUT_OFF
    enrolled = "已停用（见下方“最近错误”）" if st.enrolled and cut_off else "已注册" if st.enrolled else "未注册"
    print(f"注册：{enrolled}  连接：{link}")
    if not st.enrolled:
        print("  本机（本 Windows 账户）尚未注册到县级平台，记录只保存在本机：请向县级信息技术人员取得注册码"
              "（county-hub device add 或 device code），再执行 clerk-desk enrol --code 注册码")  # fmt: skip
    print(f"待上传：{st.waiting}  暂扣：{st.held}  被退回：{st.rejected}")
    if st.last_success:
        print(f"上次成功同步：{st.last_success.astimezone(SHANGHAI):%Y-%m-%d %H:%M:%S}")
    if st.skew_s is not None:
        print(f"本机时钟与平台相差：{skew_text(st.skew_s)}{'（超过 2 分钟，请校准时钟）' if st.skew_warning else ''}")
    db = open_db(db_args)
    if st.last_error:
        hub = enrolment.hub_settings(db)
        device = site_setup.site_info(db).device_code or "设备号"
        print(f"最近错误：{explain_error(st.last_error, st.link_up, hub.url if hub else None, device)}")
    if st.fault:
        print(f"同步故障（{st.fault}）：{_CLASS_PREFIX.sub('', st.fault_detail or '')}")
    if st.enrolled:
        _print_unknown_accounts(db)
    _print_catalog(db)
    _print_calendar(data_dir_of(db_args))
    for p in outbox.problems(db, limit=20):
        print(f"  {p['case_number']} {p['item_name']} {p['type']} [{p['state']}] {p['reason']}")


def _engine(args: argparse.Namespace, interval: float = 30.0, batch: int = 500) -> SyncEngine:
    db = open_db(args)
    return SyncEngine(db, lambda: enrolment.client_for(db), interval_s=interval, batch=max(1, min(batch, 500)))


def _status(args: argparse.Namespace) -> int:
    engine = _engine(args)
    engine.run_once()
    _print(engine.status(), args)
    return 0


def _now(args: argparse.Namespace) -> int:
    engine = _engine(args)
    outbox.reset_in_flight(engine.db)
    engine.run_once()
    _print(engine.status(), args)
    return 0 if engine.status().link_up else 1


def _run(args: argparse.Namespace) -> int:
    engine = _engine(args, args.interval, args.batch)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    engine.start()
    from clerk_desk.log_file import log_path

    print(f"正在同步（每 {args.interval:g} 秒；按 Ctrl+C 停止），日志：{log_path(data_dir_of(args))}", flush=True)
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    engine.stop()
    return 0
