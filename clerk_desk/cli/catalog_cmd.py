"""``clerk-desk catalog validate|import|show|search|info``."""

from __future__ import annotations

import argparse
from datetime import timedelta, timezone

from clerk_desk.catalog.checklist import when_text
from clerk_desk.catalog.format import copies_text
from clerk_desk.cli.common import open_db, table
from clerk_desk.services import catalog_service as cs

_BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")  # China keeps no daylight saving


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("catalog", help="事项目录：校验、导入、查看、搜索")
    csub = p.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)
    v = csub.add_parser("validate", help="校验目录文件，列出每个问题（有错误时退出码非零）")
    v.add_argument("file", help="目录文件（JSON）")
    v.add_argument("--errors-only", action="store_true", help="只列错误，不列警告")
    v.set_defaults(handler=_validate)
    i = csub.add_parser("import", help="导入目录文件（全部成功或全部不导入）")
    i.add_argument("file", help="目录文件（JSON）")
    i.add_argument("--force", action="store_true", help="允许导入与本机相同或更旧的版本")
    i.set_defaults(handler=_import)
    s = csub.add_parser("show", help="显示一个事项（含已停用事项）")
    s.add_argument("code", help="事项编码")
    s.set_defaults(handler=_show)
    q = csub.add_parser("search", help="搜索事项：汉字、拼音、首字母、俗称、部门或编码（容错：同音字、拼音错一处）")
    q.add_argument("text")
    q.add_argument("--department", help="部门编码或名称，如 mz 或 民政")
    q.add_argument("--list", dest="list_code", help="清单编码，如 xz-bmfw")
    q.add_argument("--retired", action="store_true", help="也搜索已停用事项")
    q.add_argument("--limit", type=int, default=20)
    q.set_defaults(handler=_search)
    csub.add_parser("info", help="本机目录版本与各清单、部门的事项数").set_defaults(handler=_info)


def _validate(args: argparse.Namespace) -> int:
    problems = cs.validate(args.file)
    errors = [p for p in problems if p.is_error]
    for p in problems:
        if p.is_error or not args.errors_only:
            print(p)
    print(
        f"共 {len(errors)} 个错误，{len(problems) - len(errors)} 个警告。" + ("" if errors else "可以导入。")
    )
    return 1 if errors else 0


def _import(args: argparse.Namespace) -> int:
    r = cs.import_file(open_db(args), args.file, force=args.force, actor="cli")
    before = f"（原版本 {r.previous}）" if r.previous else ""
    print(f"已导入目录版本 {r.version}{before}{'，强制' if r.forced else ''}。")
    print(
        f"新增 {r.added}，更新 {r.updated}，未变 {r.unchanged}，停用 {r.retired}，恢复 {r.reactivated}，主题 {r.themes}。"
    )
    return 0


def _show(args: argparse.Namespace) -> int:
    it = cs.get_item(open_db(args), args.code)
    status = f"已停用（{it.retired_in_version} 版起）" if it.retired else "在用"
    lines = [
        ("事项名称", it.name),
        ("事项编码", it.code + ("（本地编码，待县级确认）" if it.is_local_code else "")),
        ("状态", status),
        ("部门", it.department_name),
        ("清单", "、".join(n for _, n in it.lists) or "—"),
        ("事项类型", it.type or cs.UNKNOWN_ZH),
        ("办件类型", it.kind_text),
        ("紧急程度", it.urgency_text),
        ("法定时限", cs.days_text(it.legal_days)),
        ("承诺时限", cs.days_text(it.promised_days)),
        ("收费", it.fee or cs.UNKNOWN_ZH),
        ("受理条件", it.conditions or cs.UNKNOWN_ZH),
        ("设定依据", it.legal_basis or cs.UNKNOWN_ZH),
        ("送达方式", it.delivery_text),
        ("俗称", "、".join(it.keywords) or "—"),
        ("目录版本", it.catalog_version),
    ]
    for label, value in lines:
        print(f"{label}：{value}")
    if it.foreign_source:
        province, region = it.foreign_source
        print(f"注意：材料和时限取自外省（{province}）的办事指南（{region}），须经本县承办部门核实后使用。")
    if it.situations:
        print("办理情形：")
        for s in it.situations:
            options = "、".join(o.label + ("（默认）" if o.code == s.default else "") for o in s.options)
            print(f"  - {s.question} {options}")
    print("申请材料：" + ("" if it.materials else cs.UNKNOWN_ZH))
    for n, m in enumerate(it.materials, 1):
        need = "必需" if m.required else "视情形"
        waiver = "可容缺" if m.waivable else ("容缺待确认" if m.waivable is None and m.required else "")
        extra = [cs.form_text(m.form), copies_text(m.form, m.copies, m.copies_split), need, waiver]
        only = f"（仅当：{when_text(m.when, it.situations)}）" if m.when else ""
        note = f"（{m.note}）" if m.note else ""
        print(f"  {n}. {m.name}  [{' '.join(e for e in extra if e)}]{only}{note}")
    print("来源：")
    for src in it.sources:
        print(f"  - {src.get('region') or ''} {src.get('url') or ''}".rstrip())
    return 0


def _search(args: argparse.Namespace) -> int:
    db = open_db(args)
    department = cs.department_code(db, args.department) if args.department else None
    hits = cs.search(
        db,
        args.text,
        department=department,
        list_code=args.list_code,
        include_retired=args.retired,
        limit=args.limit,
    )
    if not hits:
        print("没有找到匹配的事项。")
        return 1
    rows = [
        [h.code, h.name + ("（已停用）" if h.retired else ""), h.department_name, h.kind_text, h.match_zh]
        for h in hits
    ]
    print(table(rows, ["编码", "事项名称", "部门", "办件类型", "匹配"]))
    return 0


def _info(args: argparse.Namespace) -> int:
    db = open_db(args)
    info = cs.catalog_info(db)
    if info is None:
        print("本机尚未导入事项目录。")
        return 0
    print(f"目录版本：{info.version}{'（演示）' if info.is_demo else ''}  发布：{info.publisher}")
    print(f"导入时间：{info.imported_at.astimezone(_BEIJING):%Y-%m-%d %H:%M}  校验和：{info.checksum[:16]}…")
    print(table([[x.code, x.name, str(x.item_count)] for x in cs.lists(db)], ["清单", "名称", "事项数"]))
    print(table([[c, n, str(k)] for c, n, k in cs.departments(db)], ["部门", "名称", "事项数"]))
    return 0
