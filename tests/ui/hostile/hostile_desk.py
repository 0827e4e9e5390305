"""A desk database where every text a person, a catalog or the county hub fills in is hostile markup.

Each field gets its own value: a short Chinese tag that names the field (so a test knows which field it
sees) wrapped in one of the markup variants below, and every value carries an ``<img>`` whose source is
the canary FIFO (canary.py): if any widget or paper renders a value as HTML, Qt tries to load it.
Everything is written through the services (and the outbox's own functions for what the hub answers),
on a real SQLite file, as the desk would have it after intake, the back office's acts and a sync round.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from clerk_desk.domain.identifiers import compute_resident_id_check_char
from clerk_desk.services import accounts, demo, handover, site_setup, withdrawal
from clerk_desk.services import catalog_service as cs
from clerk_desk.services.approvals import APPROVED, ApprovalService, Approver
from clerk_desk.services.intake import Clerk, IntakeService
from clerk_desk.services.intake_forms import Delivery, IntakeForm, MaterialCheck, Party, Pledge
from clerk_desk.services.workplace import SiteInfo
from clerk_desk.store.database import Database
from clerk_desk.sync import outbox
from clerk_desk.ui.intake.lookups import item_selection, theme_selection
from clerk_desk.ui.intake.model import Selection
from clerk_desk.ui.session import DeskSession

# The markup a value is wrapped in ({tag}: the field's name, {img}: the canary image).
VARIANTS = (
    "{img}{tag}",  # the reported one: <img src="file:///dev/zero">王五
    "={tag}<b>粗</b>{img}",  # a spreadsheet's formula too: an exported .xlsx must keep it as text
    '<a href="file:///etc/passwd">{tag}</a>{img}',
    "{tag}&lt;script&gt;&amp;{img}",
    "<table><tr><td>{tag}</td></tr></table>{img}",
    "{tag}[*]A&B{img}",
    "<!DOCTYPE html><p>{tag}</p>{img}",
    "<style>p {{ font-size: 90pt }}</style>{tag}<i>斜</i>{img}",
)

# The demo items made hostile: the 困难群众救助一件事 bundle (two of them have no day count, so the
# outcome step asks for the days per item, labelled with the item's name) and an immediate item.
BUNDLE = "DEMO-T01"
ITEM_1, ITEM_2, ITEM_3 = "LOCAL-MZ-d15c045f", "LOCAL-MZ-5ad76c3a", "LOCAL-MZ-8f70edee"
ON_SPOT_ITEM = "LOCAL-MZ-499ceaaf"
DEPARTMENT = "mz"
LIST_CODE = "xz-bmfw"


def resident_id(n: int) -> str:
    first17 = f"42122419{60 + n % 30:02d}0{1 + n % 9}1{n % 10}{n % 1000:03d}"
    return first17 + compute_resident_id_check_char(first17)


@dataclass
class Hostile:
    """The hostile value of each field, by the field's tag (e.g. "申请人甲": the first applicant's name)."""

    img: str
    values: dict[str, str] = field(default_factory=dict)

    def __call__(self, tag: str) -> str:
        if tag not in self.values:
            variant = VARIANTS[len(self.values) % len(VARIANTS)]
            self.values[tag] = variant.format(tag=self.mark(tag), img=self.img)
        return self.values[tag]

    @staticmethod
    def mark(tag: str) -> str:
        """The tag as it stands in the value: marked, so no label of the UI itself contains it."""
        return f"{tag}♦"


@dataclass
class HostileDesk:
    db: Database
    v: Any  # Hostile, or the realistic long texts of the clipping walk (tests/ui/clipping/long_text.py)
    clerk_session: DeskSession  # a hostile clerk (also admin) at a hostile window
    approver_session: DeskSession
    clerk: Clerk
    approver: Approver
    cases: dict[str, str]  # what each case is for -> uuid
    bundle: Selection
    on_spot: Selection


def _hostile_catalog(v: Callable[[str], str], folder: Path) -> Path:
    doc = json.loads(cs.demo_catalog_path().read_text(encoding="utf-8"))
    doc["catalog_version"] += ".9"
    doc["publisher"] = v("发布方")
    for d in doc["departments"]:
        if d["code"] == DEPARTMENT:
            d["name"] = v("部门民政")
    for lst in doc["lists"]:
        if lst["code"] == LIST_CODE:
            lst["name"], lst["note"] = v("清单名"), v("清单说明")
    shared = v("共用材料")  # the bundle's items share it: asked once
    for item in doc["items"]:
        n = {ITEM_1: "一", ITEM_2: "二", ITEM_3: "三", ON_SPOT_ITEM: "即办"}.get(item["code"])
        if n is None:
            continue
        item["name"] = v(f"事项{n}")
        item["note"] = v(f"事项说明{n}")
        item["fee"] = v(f"收费{n}")
        item["conditions"] = v(f"条件{n}")
        item["legal_basis"] = v(f"依据{n}")
        item["materials"] = [
            {
                "name": shared,
                "form": "copy",
                "copies": 1,
                "required": True,
                "waivable": False,
                "note": v("材料备注"),
            },
            {
                "name": v(f"材料{n}"),
                "form": "original",
                "copies": 1,
                "required": True,
                "waivable": True,
                "note": None,
            },
        ]
        item["sources"] = [{"url": v(f"来源网址{n}"), "region": v(f"来源地区{n}"), "kind": "x", "name": "x"}]
    for theme in doc["themes"]:
        if theme["code"] == BUNDLE:
            theme["name"], theme["description"] = v("一件事"), v("一件事说明")
    path = folder / "hostile-catalog.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def build(folder: Path, img: str, values: Callable[[str], str] | None = None) -> HostileDesk:
    """The desk; ``values`` gives each field's text by its tag (default: hostile markup with ``img``)."""
    v = values or Hostile(img)
    db = Database(folder / "data")
    demo.ensure_demo_site(db)
    cs.import_file(db, _hostile_catalog(v, folder), actor="test")
    site_setup.set_site(
        db, site_code=demo.DEMO_SITE[0], site_name=v("中心名称"), device_code=demo.DEMO_DEVICE
    )
    window = site_setup.add_window(db, name=v("窗口名称"), kind="comprehensive", actor="test")
    password = "hostile-pass-1"
    c = accounts.add_user(
        db, username="clerkx", display_name=v("窗口人员"), password=password, roles=["clerk", "admin"]
    )
    a = accounts.add_user(
        db,
        username="approverx",
        display_name=v("审批人员"),
        password=password,
        roles=["approver"],
        serves=[(demo.DEMO_SITE[0], DEPARTMENT)],
    )
    site = site_setup.site_info(db)
    clerk = Clerk(c.id, c.username, c.display_name, window.id, window.name)
    approver = Approver(a.id, a.username, a.display_name)
    intake, approvals = IntakeService(db), ApprovalService(db)
    bundle, on_spot = theme_selection(db, BUNDLE), item_selection(db, ON_SPOT_ITEM)
    item1 = item_selection(db, ITEM_3)  # the bundle's item with a day count
    now = datetime.now(UTC)
    cases: dict[str, str] = {}

    def checks(sel: Selection, *, problem: str | None = None, owe: bool = False) -> tuple[MaterialCheck, ...]:
        out = []
        for i, m in enumerate(sel.materials):
            provided = not (owe and m.waivable)
            defective = problem is not None and i == 0
            out.append(
                MaterialCheck(
                    m.name,
                    m.required,
                    m.waivable,
                    provided,
                    (m.form or "copy") if provided else None,
                    1 if provided else 0,
                    not defective,
                    problem if defective else None,
                    m.item_codes,
                )
            )
        return tuple(out)

    def person(tag: str, n: int) -> Party:
        return Party("person", v(f"申请人{tag}"), resident_id(n), "13812345678", v(f"地址{tag}"))

    agent = Party("person", v("代理人"), resident_id(99), "13912345678", relation=v("代理关系"))

    # 受理 → 流转 → 签收, 特别程序, 恢复, 决定, 结果返回窗口: waits for 出件 at the window.
    form = IntakeForm(item1.items, person("甲", 1), checks(item1), agent=agent, notes=v("受理备注"))
    res = intake.accept(
        form, clerk, delivery=Delivery("post", v("邮寄地址")), now=now - timedelta(minutes=50)
    )
    uid = cases["decided"] = res.cases[0].case_uuid
    intake.transfer(uid, clerk, now=now - timedelta(minutes=48))
    approvals.receive(
        uid, approver, paper_received=False, note=v("签收说明"), now=now - timedelta(minutes=40)
    )
    approvals.pause(
        uid, approver, procedure="appraisal", reason=v("中止理由"), now=now - timedelta(minutes=30)
    )
    approvals.resume(uid, approver, note=v("恢复说明"), now=now - timedelta(minutes=20))
    approvals.decide(
        uid,
        approver,
        decision=APPROVED,
        result_text=v("审批结果"),
        document_number=v("文号"),
        reason=v("决定说明"),
        now=now - timedelta(minutes=10),
    )
    approvals.return_result(uid, approver, note=v("返回说明"), now=now - timedelta(minutes=5))

    # 受理 (容缺) → 流转, and the window asks to withdraw it: the back office sees the request.
    form = IntakeForm(item1.items, person("乙", 2), checks(item1, owe=True))
    pledge = Pledge((item1.materials[1].name,), date.today() + timedelta(days=7), v("承诺文字"))
    res = intake.accept(
        form, clerk, delivery=Delivery("window"), pledge=pledge, now=now - timedelta(minutes=45)
    )
    uid = cases["withdrawal_asked"] = res.cases[0].case_uuid
    intake.transfer(uid, clerk, now=now - timedelta(minutes=44))
    withdrawal.request_withdrawal(
        db,
        uid,
        clerk,
        withdrawal.Withdrawal(v("撤回理由"), "applicant", True),
        now=now - timedelta(minutes=43),
    )

    # 退回补正: the back office names a material of its own words.
    form = IntakeForm(item1.items, person("丙", 3), checks(item1))
    res = intake.accept(form, clerk, delivery=Delivery("window"), now=now - timedelta(minutes=42))
    uid = cases["supplement"] = res.cases[0].case_uuid
    intake.transfer(uid, clerk, now=now - timedelta(minutes=41))
    approvals.receive(uid, approver, paper_received=True, now=now - timedelta(minutes=40))
    approvals.request_supplement(
        uid, approver, missing=[v("补正材料")], note=v("补正说明"), now=now - timedelta(minutes=39)
    )

    # 一次性告知 (a defective material with the clerk's reason), 不予受理, 即办件: closed today.
    res = intake.notify_supplement(
        IntakeForm(item1.items, person("丁", 4), checks(item1, problem=v("缺陷说明"))),
        clerk,
        now=now - timedelta(minutes=38),
    )
    cases["notified"] = res.cases[0].case_uuid
    res = intake.refuse(
        IntakeForm(item1.items, person("戊", 5), checks(item1)),
        clerk,
        reason=v("不予受理理由"),
        now=now - timedelta(minutes=37),
    )
    cases["refused"] = res.cases[0].case_uuid
    res = intake.complete_on_spot(
        IntakeForm(on_spot.items, person("己", 6), checks(on_spot)),
        clerk,
        result=v("办结结果"),
        now=now - timedelta(minutes=36),
    )
    cases["completed"] = res.cases[0].case_uuid

    # 出件 to another person, with a note: closed today, with its hand-over receipt.
    form = IntakeForm(item1.items, person("庚", 7), checks(item1))
    res = intake.accept(form, clerk, delivery=Delivery("window"), now=now - timedelta(minutes=35))
    uid = cases["delivered"] = res.cases[0].case_uuid
    intake.transfer(uid, clerk, now=now - timedelta(minutes=34))
    approvals.receive(uid, approver, paper_received=True, now=now - timedelta(minutes=33))
    approvals.decide(
        uid, approver, decision=APPROVED, result_text=v("出件结果"), now=now - timedelta(minutes=32)
    )
    approvals.return_result(uid, approver, now=now - timedelta(minutes=31))
    handover.deliver(
        db,
        uid,
        clerk,
        handover.Handover("window", "other", v("领取人"), resident_id(77), True, note=v("出件备注")),
        now=now - timedelta(minutes=30),
    )

    # Accepted at the window and not handed over yet (the transfer countdown runs).
    res = intake.accept(
        IntakeForm(item1.items, person("辛", 8), checks(item1)),
        clerk,
        delivery=Delivery("window"),
        now=now - timedelta(minutes=2),
    )
    cases["accepted"] = res.cases[0].case_uuid

    # A sync round: the hub sends one record back with its reason; the others failed to go, with an error.
    res = intake.accept(
        IntakeForm(item1.items, person("壬", 9), checks(item1)),
        clerk,
        delivery=Delivery("window"),
        now=now - timedelta(minutes=1),
    )
    cases["rejected"] = res.cases[0].case_uuid
    claimed = outbox.claim(db, limit=1000)
    first = next(e for e in claimed if e["case_uuid"] == cases["rejected"])
    outbox.record_answers(
        db, [{"uuid": first["uuid"], "status": "rejected", "code": "x", "reason": v("中心退回")}]
    )
    outbox.release(db, [e["uuid"] for e in claimed if e["uuid"] != first["uuid"]], v("链路错误"))

    info = next(w for w in site_setup.list_windows(db) if w.id == window.id)
    users = {u.username: u for u in accounts.list_users(db)}
    return HostileDesk(
        db,
        v,
        DeskSession(users["clerkx"], site, info, "clerk"),
        DeskSession(users["approverx"], site, None, "approver"),
        clerk,
        approver,
        cases,
        bundle,
        on_spot,
    )


def site_of(desk: HostileDesk) -> SiteInfo:
    return desk.clerk_session.site
