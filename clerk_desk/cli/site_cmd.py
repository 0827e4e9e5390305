"""``clerk-desk site show|set``."""

from __future__ import annotations

import argparse

from clerk_desk.cli.common import open_db
from clerk_desk.services import site_setup


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("site", help="本中心与本机设置")
    ssub = p.add_subparsers(dest="site_command", metavar="ACTION", required=True)
    ssub.add_parser("show", help="显示本中心与本机设置").set_defaults(handler=_show)
    s = ssub.add_parser("set", help="设置本中心编码、名称与本机编号")
    s.add_argument("--code", required=True, help="中心编码，如 421224100")
    s.add_argument("--name", required=True, help="中心名称，如 通山县通羊镇便民服务中心")
    s.add_argument("--device", required=True, help="本机编号（2-4 位），用于办件编号")
    s.add_argument("--mode", choices=["clerk", "approver"], default="clerk", help="窗口模式或后台审批模式")
    s.set_defaults(handler=_set)
    sup = ssub.add_parser("supervision", help="显示督办时限；县级平台发布之前可在本机设置（签收时限、结果领取期限）")
    sup.add_argument("--sign-minutes", type=int, help="流转后应在多少分钟内签收")
    sup.add_argument("--result-days", type=int, help="结果返回窗口后多少天未领取列入督办")
    sup.set_defaults(handler=_supervision)


def _print(info: site_setup.SiteInfo) -> None:
    mode = "后台审批" if info.mode == "approver" else "窗口受理"
    print(f"中心编码：{info.site_code or '（未设置）'}")
    print(f"中心名称：{info.site_name or '（未设置）'}")
    print(f"本机编号：{info.device_code or '（未设置）'}")
    print(f"模式：{mode}{'（演示）' if info.demo else ''}")


def _show(args: argparse.Namespace) -> int:
    _print(site_setup.site_info(open_db(args)))
    return 0


def _set(args: argparse.Namespace) -> int:
    info = site_setup.set_site(
        open_db(args), site_code=args.code, site_name=args.name, device_code=args.device, mode=args.mode, actor="cli"
    )
    _print(info)
    return 0


def _supervision(args: argparse.Namespace) -> int:
    """The county's minutes for 签收 and days for a result waiting (docs/supervision.md)."""
    from dataclasses import replace

    from clerk_desk.services import supervision_rules

    db = open_db(args)
    rules = supervision_rules.rules(db)
    if args.sign_minutes is not None or args.result_days is not None:
        rules = replace(rules, **{k: v for k, v in (("sign_minutes", args.sign_minutes),
                                                    ("result_days", args.result_days)) if v is not None})
        supervision_rules.save_local(db, rules)  # refused once the county's values have arrived
    print(f"签收时限：流转后 {rules.sign_minutes} 分钟")
    print(f"结果领取期限：返回窗口后 {rules.result_days} 天")
    published = supervision_rules.county(db)
    print(f"来源：县级平台发布（第 {published.version} 版）" if published else "来源：本机设置（县级平台尚未发布）")
    return 0
