"""Convert the gathered real service items into the demo catalog (resources/catalog/demo-catalog.json).

    .venv/bin/python scripts/convert_real_items.py [../shared/catalog/real-items.json] [out.json]

Rules (docs/catalog-format.md, "The demo catalog"):
- one entry per distinct item: records naming the same item (DUPLICATES below, plus identical
  normalised names) are merged by keeping the most complete record whole and listing the others as
  further sources. The one fact taken from a further record is a national basic code (基本编码) when
  the kept record has none: it names the item, not the county.
- unknown stays unknown (null -> 待确认); nothing is invented. Conditions and legal basis are copied
  only where the source note states them.
- items without a code get a stable local code (LOCAL-<DEPT>-<hash of the normalised name>); so does a
  code that still appears on two different entries.
- every department of the county plan is declared, with or without items; the four public lists of
  the plan are declared; list membership and the theme bundles are demo assignments (marked).
- situations (情形): where a kept record's guide says a material applies only in some situation
  ("委托他人申请时", "有残疾人的", "情形:参保人员死亡"), the item asks that question (SITUATIONS, reviewed by
  hand) and the material applies under the answer; a material the guide marks optional for that reason
  is required when it applies. The same question has the same code in every item, so a bundle asks it once.
- 容缺 (waivable) is left unknown unless the guide allows a pledge instead of the material (WAIVABLE);
  urgency is set only where the guide's own time limit calls for it (URGENT).
- among equally complete records of one item, a Hubei one is kept (the county is in Hubei).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from clerk_desk.catalog.format import (  # noqa: E402
    HOME_PROVINCE,
    PLAN_LISTS,
    local_code,
    normalize_text,
    province_of,
)
from clerk_desk.domain.org import DEPARTMENT_BY_NAME, DEPARTMENTS  # noqa: E402

DEFAULT_IN = ROOT.parent / "shared" / "catalog" / "real-items.json"
DEFAULT_OUT = ROOT / "resources" / "catalog" / "demo-catalog.json"
VERSION = "2026.2"

# Records that describe the same item under different names (from different counties).
DUPLICATES: tuple[frozenset[str], ...] = (
    frozenset({"城乡居民养老保险注销登记", "城乡居民基本养老保险注销登记"}),
    frozenset({"最低生活保障申请", "最低生活保障(低保)申请"}),
    frozenset({"临时救助申请", "临时救助"}),
    frozenset({"临时生活救助的给付", "临时救助金给付"}),
    frozenset({"残疾人证新办", "残疾人证办理"}),
    frozenset({"残疾人证类别/等级变更", "残疾人证重新评定(类别/等级变更)"}),
    frozenset({"生育服务证登记", "《生育服务证》办证"}),
    frozenset({"义务兵家庭优待金", "义务兵家庭优待金给付"}),
    frozenset({"适龄儿童少年因故要延缓、免于或中断义务教育学业批准", "延缓入学申请"}),
    frozenset({"个体工商户注册登记", "个体工商户登记注册(行政许可事项实施规范)"}),
)

# Colloquial names clerks type (name fragment -> keywords).
KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("城乡居民养老", ("养老", "养老保险", "居民养老", "城乡养老")),
    ("城乡居民基本养老", ("养老", "养老保险", "居民养老", "城乡养老")),
    ("居民养老保险", ("养老", "养老金", "退休待遇")),
    ("社会保障卡", ("社保卡", "补卡", "换卡", "挂失")),
    ("(医保)", ("医保", "医疗保险", "居民医保", "新农合")),
    ("最低生活保障", ("低保", "低保申请")),
    ("农村低保", ("农村低保",)),
    ("城镇低保", ("城镇低保",)),
    ("残疾人证", ("残疾证", "残疾人证")),
    ("特困人员", ("五保", "五保户", "特困供养")),
    ("临时救助", ("临时救助", "救助", "救急难")),
    ("临时生活救助", ("临时救助", "救助")),
    ("孤儿", ("孤儿", "救助")),
    ("高龄", ("高龄津贴", "高龄补贴", "老人补贴")),
    ("老年优待证", ("老年证", "优待证")),
    ("生育服务证", ("准生证", "生育登记")),
    ("计划生育", ("计生奖扶", "奖扶")),
    ("优待金", ("优抚", "义务兵", "当兵")),
    ("优抚", ("优抚",)),
    ("就业困难", ("就业援助", "失业")),
    ("义务教育", ("缓学", "休学", "延缓入学")),
    ("乡村建设规划", ("建房", "农村建房", "宅基地")),
    ("林木采伐", ("砍树", "采伐证")),
    ("烟花爆竹", ("鞭炮", "烟花")),
    ("临时居民身份证", ("临时身份证",)),
    ("个体工商户", ("营业执照", "个体户", "开店")),
    ("注销", ("注销",)),
)

# Demo list membership (the county has not published its lists in machine-readable form).
HIGH_FREQUENCY = (
    "社会保障卡",
    "城乡居民养老保险参保",
    "(医保)",
    "最低生活保障",
    "残疾人证",
    "临时救助",
    "个体工商户",
    "生育服务证",
)
XC1_DEPTS = {"rs", "yb", "mz", "cl"}
LIST_NOTE = "演示分配：事项归属为示例，以县级正式发布的清单为准"

THEMES = (
    (
        "DEMO-T01",
        "困难群众救助一件事（演示）",
        "低保、临时救助、特困认定一次申请，共用材料只交一次。",
        ("救助", "社会救助"),
        ("最低生活保障申请", "临时救助申请", "特困人员认定(协办)"),
    ),
    (
        "DEMO-T02",
        "出生一件事（演示）",
        "生育服务登记、居民医保参保、社保卡申领一次办。",
        ("出生", "新生儿"),
        ("《生育服务证》办证", "城乡居民参保登记(医保)", "社会保障卡制作发放及管理"),
    ),
    (
        "DEMO-T03",
        "老年人优待一件事（演示）",
        "老年优待证与高龄津贴一次申请。",
        ("老年人", "老人"),
        ("老年优待证换发", "高龄老人津贴申请"),
    ),
)

# Records kept whatever their completeness, and why (name -> source region).
KEEP = {
    # its guide (前锋区) gives the materials of every situation (颗粒化), where the other records list them
    # without saying which go together, and it offers a pledge (告知承诺书) for the date of death
    "城乡居民基本养老保险注销登记": "四川广安前锋区",
}

_AGENT = {
    "code": "agent",
    "question": "是否委托他人代为申请？",
    "options": [
        {"code": "self", "label": "本人申请"},
        {"code": "agent", "label": "委托他人（监护人、代理人）代为申请"},
    ],
    "default": "self",
}
_DISABLED = {
    "code": "disabled",
    "question": "家庭成员中是否有残疾人？",
    "options": [{"code": "no", "label": "没有"}, {"code": "yes", "label": "有"}],
    "default": "no",
}


def _yes_no(code: str, question: str) -> dict[str, Any]:
    return {
        "code": code,
        "question": question,
        "options": [{"code": "no", "label": "否"}, {"code": "yes", "label": "是"}],
        "default": "no",
    }


# Situations the kept records' guides state (reviewed by hand): the questions, and per material name the
# answers under which it applies. Guides mark such materials optional ("视情形"): under their situation
# they are required, except those marked OPTIONAL_UNDER_SITUATION (the guide does not say they always are).
SITUATIONS: dict[str, tuple[list[dict[str, Any]], dict[str, dict[str, list[str]]]]] = {
    "城乡居民基本养老保险注销登记": (
        [
            {
                "code": "cancel_reason",
                "question": "注销原因",
                "options": [
                    {"code": "death", "label": "参保人员死亡"},
                    {"code": "nationality", "label": "出国（境）定居，丧失国籍"},
                    {"code": "other_pension", "label": "已享受其他基本养老保险待遇"},
                    {"code": "short", "label": "达到领取年龄但累计缴费不足15年"},
                ],
                "default": "death",
                "note": "据前锋区办事指南：死亡注销材料1-4项，不能经社保卡领取时加5、6项；丧失国籍8-10项；"
                "已享受其他养老待遇、缴费不足15年7、10项",
            },
            {
                "code": "pay_by_card",
                "question": "（参保人员死亡时）丧葬补助金等能否通过死者社会保障卡领取？",
                "options": [{"code": "yes", "label": "能"}, {"code": "no", "label": "不能"}],
                "default": "yes",
            },
        ],
        {
            "遗属待遇领取人有效身份证件": {"cancel_reason": ["death"]},
            "参保人员死亡时间材料或告知承诺书": {"cancel_reason": ["death"]},
            "死亡待遇领取人与死者的亲属关系佐证材料": {"cancel_reason": ["death"]},
            "法院判决书": {"cancel_reason": ["death"]},
            "遗属待遇领取人银行账户": {"cancel_reason": ["death"], "pay_by_card": ["no"]},
            "已征得其他亲属同意申领的委托书": {"cancel_reason": ["death"], "pay_by_card": ["no"]},
            "本人有效身份证件": {"cancel_reason": ["other_pension", "short"]},
            "本人护照": {"cancel_reason": ["nationality"]},
            "国内注销户籍证明": {"cancel_reason": ["nationality"]},
            "本人社会保障卡": {"cancel_reason": ["nationality", "other_pension", "short"]},
        },
    ),
    "最低生活保障申请": ([_DISABLED], {"第二代残疾人证": {"disabled": ["yes"]}}),
    "特困人员认定(协办)": ([_DISABLED], {"残疾证": {"disabled": ["yes"]}}),
    "《生育服务证》办证": (
        [_yes_no("remarried", "夫妻一方或双方是否再婚？")],
        {"离婚证及离婚协议书或离婚判决书、调解书": {"remarried": ["yes"]}},
    ),
    "残疾人证类别/等级变更": (
        [_yes_no("guardian", "申请人是否为未成年人，或为智力、精神类别残疾人？")],
        {"法定监护人居民身份证、户口簿": {"guardian": ["yes"]}},
    ),
    "林木采伐许可证办理(申请)": ([_AGENT], {"权属人委托书及代理人身份证明": {"agent": ["agent"]}}),
    "社会保障卡制作发放及管理": (
        [_AGENT],
        {"监护人或代理人本人基本身份证件原件及被监护人/被代理人基本身份证件": {"agent": ["agent"]}},
    ),
    "个体工商户注册登记": (
        [_yes_no("prior_approval", "经营范围是否涉及登记前须经批准的项目？")],
        {"登记前须报经批准项目的有关批准文件": {"prior_approval": ["yes"]}},
    ),
    "义务兵家庭优待金": (
        [
            _yes_no("plateau", "义务兵是否在西藏、新疆或高原地区服现役？"),
            _yes_no("merit", "义务兵服役期间是否立功受奖？"),
        ],
        {
            "进藏进疆及到高原地区服现役有效证明材料": {"plateau": ["yes"]},
            "立功受奖有效证明材料(喜报、通知书等)": {"merit": ["yes"]},
        },
    ),
}
# Optional even in their situation: the guide gives them for a narrower case ("法院宣告死亡的提供") or
# does not say when they are needed.
OPTIONAL_UNDER_SITUATION = {"法院判决书", "残疾证"}

# 容缺: the guide lets the applicant pledge instead of handing the material in (item name, material name).
WAIVABLE = {("城乡居民基本养老保险注销登记", "参保人员死亡时间材料或告知承诺书")}

# Urgent (transfer within 5 minutes): the guide promises the result within one working day, which the
# routine 15-minute hand-over would eat into.
URGENT = {"临时居民身份证申领、换领、补领"}

# How many originals and photocopies, where the guide says it (item name, material name).
COPIES = {("高龄老人津贴申请", "户口本"): {"original": 1, "copy": 2}}  # 原件及复印件，"复印件2张"

_NOTE_CONDITION = re.compile(r"(?:受理条件|申请条件|适用|条件文字)[:：]\s*([^。]+)")
_NOTE_BASIS = re.compile(r"(依据[^。;；]+)")


def _completeness(r: dict[str, Any]) -> tuple[int, int]:
    known = sum(
        r.get(k) is not None for k in ("code", "category", "kind", "legal_days", "promise_days", "fee")
    )
    return known + len(r.get("materials") or []), known


def _source(r: dict[str, Any]) -> dict[str, Any]:
    out = {
        "url": r.get("source"),
        "region": r.get("source_region"),
        "kind": r.get("source_kind"),
        "name": r.get("name"),
        "note": r.get("note"),
    }
    return {k: v for k, v in out.items() if v is not None or k == "url"}


def _groups(records: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        key = next((min(g) for g in DUPLICATES if r["name"] in g), normalize_text(r["name"]))
        groups.setdefault(key, []).append(r)
    return list(groups.values())


def _material(item: str, m: dict[str, Any]) -> dict[str, Any]:
    when = SITUATIONS.get(item, ([], {}))[1].get(m["name"])
    required = bool(m.get("required")) or bool(when and m["name"] not in OPTIONAL_UNDER_SITUATION)
    out: dict[str, Any] = {
        "name": m["name"],
        "form": m.get("form"),
        "copies": COPIES.get((item, m["name"]), m.get("copies")),
        "required": required,
    }
    if (item, m["name"]) in WAIVABLE:
        out["waivable"] = True  # otherwise unknown: the guides do not say
    out["note"] = m.get("note")
    if when:
        out["when"] = when
    return out


def _is_hubei(r: dict[str, Any]) -> bool:
    return province_of(r.get("source_region")) == HOME_PROVINCE


def _keywords(name: str) -> list[str]:
    out: list[str] = []
    for fragment, words in KEYWORDS:
        if fragment in name:
            out += [w for w in words if w not in out and w != name]
    return out


def _lists(name: str, dept: str) -> list[str]:
    codes = ["xz-bmfw", "xc-1" if dept in XC1_DEPTS else "xc-2"]
    if any(f in name for f in HIGH_FREQUENCY):
        codes.append("hb-gp-1")
    return codes


def convert_group(group: list[dict[str, Any]]) -> dict[str, Any]:
    names = {r["name"] for r in group}
    forced = [r for r in group if KEEP.get(r["name"]) and r.get("source_region") == KEEP[r["name"]]]
    # the most complete record; among equals a Hubei one; then file order (max() keeps the first of equals)
    kept = forced[0] if forced else max(group, key=lambda r: (*_completeness(r), _is_hubei(r)))
    assert not (names & set(KEEP)) or forced, f"KEEP names a record that is not there: {names}"
    have = {m["name"] for m in kept.get("materials") or []}
    named = set(SITUATIONS.get(kept["name"], ([], {}))[1]) | {
        m for i, m in WAIVABLE | set(COPIES) if i == kept["name"]
    }
    assert named <= have, f"{kept['name']}: no material named {sorted(named - have)}"
    others = [r for r in group if r is not kept]
    dept = DEPARTMENT_BY_NAME[kept["department"]]
    code = kept.get("code")
    if not code:
        code = next((r["code"] for r in others if r.get("code") and re.fullmatch(r"\d{12}", r["code"])), None)
    note = kept.get("note") or ""
    cond = _NOTE_CONDITION.search(note)
    basis = _NOTE_BASIS.search(note)
    where = f"（据{kept['source_region']}办事指南）" if kept.get("source_region") else "（据来源办事指南）"
    return {
        "code": code,
        "local_code": False,
        "name": kept["name"],
        "keywords": _keywords(kept["name"]),
        "department": dept,
        "lists": _lists(kept["name"], dept),
        "type": kept.get("category"),
        "handling_kind": kept.get("kind"),
        "urgency": "urgent" if kept["name"] in URGENT else None,
        "legal_days": kept.get("legal_days"),
        "promised_days": kept.get("promise_days"),
        "fee": kept.get("fee"),
        "conditions": cond.group(1).strip() + where if cond else None,
        "legal_basis": basis.group(1).strip() + where if basis else None,
        "delivery": [],
        "note": kept.get("note"),
        "materials": [_material(kept["name"], m) for m in kept.get("materials") or []],
        "sources": [_source(kept)] + [_source(r) for r in others],
        **({"situations": SITUATIONS[kept["name"]][0]} if kept["name"] in SITUATIONS else {}),
    }


def _fill_codes(items: list[dict[str, Any]]) -> None:
    seen: set[str] = set()
    for item in items:
        code = item["code"]
        if code and code not in seen:
            seen.add(code)
            continue
        if code:  # the same code on a second, different item: keep it as a fact, use a local code
            item["note"] = (
                f"{item['note'] or ''} 来源所列编码 {code} 与另一事项重复，本目录改用本地编码。".strip()
            )
        item["code"], item["local_code"] = local_code(item["department"], item["name"]), True
        seen.add(item["code"])


def _themes(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_name = {i["name"]: i["code"] for i in items}
    return [
        {
            "code": code,
            "name": name,
            "demo": True,
            "description": desc,
            "keywords": list(kw),
            "items": [by_name[n] for n in names],
        }
        for code, name, desc, kw, names in THEMES
    ]


def convert(records: list[dict[str, Any]]) -> dict[str, Any]:
    items = [convert_group(g) for g in _groups(records)]
    _fill_codes(items)
    return {
        "format": "clerk-desk-catalog",
        "format_version": 1,
        "catalog_version": VERSION,
        "publisher": "Clerk Desk 演示目录（据公开办事指南整理，非县级发布）",
        "published_at": "2026-11-26",
        "demo": True,
        "note": "演示数据：事项与材料摘自各地公开办事指南（见各事项来源），未知项为 null（待确认）。",
        "departments": [{"code": c, "name": n} for c, n in DEPARTMENTS],
        "lists": [{"code": c, "name": n, "note": LIST_NOTE} for c, n in PLAN_LISTS],
        "items": items,
        "themes": _themes(items),
    }


def main(argv: list[str]) -> int:
    src = Path(argv[0]) if argv else DEFAULT_IN
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    doc = convert(json.loads(src.read_text(encoding="utf-8")))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(doc['items'])} items, {len(doc['themes'])} themes -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
