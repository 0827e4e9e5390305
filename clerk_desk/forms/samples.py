"""Sample documents (made-up people, valid-format numbers) for previews, benchmarks and screenshots.

``python -m clerk_desk.forms.samples OUT_DIR`` writes every sample on both papers as PDF.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from clerk_desk.forms.documents import (
    AcceptanceReceipt,
    Agent,
    Applicant,
    DecisionLetter,
    Delivery,
    Document,
    HandoverMethod,
    HandoverReceipt,
    Header,
    MaterialForm,
    MaterialLine,
    MaterialProblem,
    OnTheSpotResult,
    PledgeLetter,
    PromisedCompletion,
    Recipient,
    RefusalNotice,
    SupplementNotice,
)

if TYPE_CHECKING:
    from clerk_desk.forms.archive_list import ArchiveList

CASE_NUMBER = "421224-03-20261126-000123"
PERSON = Applicant("李明", "11010519491231002X", phone="13812345678", address="通山县通羊镇新城大道88号")
COMPANY = Applicant(
    "通山县九宫山茶叶专业合作社", "91350100M000100Y43", is_organisation=True, legal_representative="陈建国"
)
AGENT = Agent("张丽", "421224198506120032", relation="受托人", phone="15907150000")


def header(case_number: str = CASE_NUMBER, reprint_count: int = 0, **changes: object) -> Header:
    base = Header(
        site_name="通山县通羊镇便民服务中心",
        window_name="综合窗口（一）",
        clerk_name="王芳",
        items=("个体工商户设立登记",),
        department="通山县市场监督管理局",
        applicant=PERSON,
        accepted_at=datetime(2026, 11, 26, 2, 32, tzinfo=UTC),  # 10:32 in 通山
        case_number=case_number,
        reprint_count=reprint_count,
    )
    return replace(base, **changes) if changes else base  # type: ignore[arg-type]


def receipt(case_number: str = CASE_NUMBER, reprint_count: int = 0) -> AcceptanceReceipt:
    return AcceptanceReceipt(
        header(case_number, reprint_count, agent=AGENT),
        materials=(
            MaterialLine("个体工商户登记（备案）申请书", MaterialForm.ORIGINAL, 1),
            MaterialLine("经营者身份证明", MaterialForm.COPY, 1),
            MaterialLine("经营场所使用证明（房屋租赁合同）", MaterialForm.COPY, 2),
            MaterialLine("委托代理人身份证明及授权委托书", MaterialForm.ELECTRONIC, 1),
        ),
        promise=PromisedCompletion(3, date(2026, 12, 1), confirmed_by_department=True),
        delivery=Delivery.POST,
        delivery_address="通山县通羊镇新城大道88号 李明 收",
    )


def pledge(case_number: str = CASE_NUMBER, reprint_count: int = 0) -> PledgeLetter:
    return PledgeLetter(
        header(
            case_number,
            reprint_count,
            applicant=COMPANY,
            items=("食品经营许可（仅销售预包装食品备案）", "公共场所卫生许可"),
            department="通山县市场监督管理局、通山县卫生健康局",
        ),
        waived=(MaterialLine("卫生管理制度文本", MaterialForm.ORIGINAL, 1), MaterialLine("从业人员健康证明")),
        owed_by=date(2026, 12, 3),
    )


def supplement(notice_number: str = "GZ-421224-03-20261126-0007", reprint_count: int = 0) -> SupplementNotice:
    return SupplementNotice(
        header(
            "", reprint_count, items=("城乡居民基本养老保险参保登记",), department="通山县社会保险服务中心"
        ),
        notice_number=notice_number,
        problems=(
            MaterialProblem("户口簿", "未提供", "户口簿原件（首页及本人页）"),
            MaterialProblem(
                "城乡居民基本养老保险参保登记表",
                "申请人未签字，联系电话填写不全",
                "重新填写并签字的登记表",
                False,
            ),
            MaterialProblem("一寸免冠彩色照片", "照片为黑白复印件", "近期一寸免冠彩色照片2张", False),
        ),
    )


def refusal(notice_number: str = "BY-421224-03-20261126-0002", reprint_count: int = 0) -> RefusalNotice:
    return RefusalNotice(
        header("", reprint_count, items=("农村村民住宅用地审批",), department="通山县自然资源和规划局"),
        notice_number=notice_number,
        reason="申请人已在本村拥有一处宅基地，申请事项不符合“一户一宅”的规定，不属于受理范围。",
        legal_basis="《中华人民共和国土地管理法》第六十二条",
    )


def result_slip(case_number: str = CASE_NUMBER, reprint_count: int = 0) -> OnTheSpotResult:
    return OnTheSpotResult(
        header(case_number, reprint_count, items=("居民身份证挂失申报",), department="通山县公安局"),
        result_summary="已办结：身份证挂失申报已登记，临时身份证明当场出具。",
        completed_at=datetime(2026, 11, 26, 2, 41, tzinfo=UTC),
    )


def decision(case_number: str = CASE_NUMBER, reprint_count: int = 0, *, approved: bool = True) -> DecisionLetter:
    h = header(case_number, reprint_count, clerk_name="刘强", items=("城乡居民基本养老保险注销登记",),
               department="通山县人力资源和社会保障局")
    if approved:
        return DecisionLetter(h, True, datetime(2026, 12, 1, 7, 5, tzinfo=UTC), h.department,
                              document_number="通人社〔2026〕12号", result_text="准予注销城乡居民基本养老保险登记")
    return DecisionLetter(h, False, datetime(2026, 12, 1, 7, 5, tzinfo=UTC), h.department,
                          reason="申请人仍在领取养老保险待遇期间，且未提供死亡证明或户籍注销证明，不符合注销登记条件。")


def handover(case_number: str = CASE_NUMBER, reprint_count: int = 0, *,
             method: HandoverMethod = HandoverMethod.WINDOW) -> HandoverReceipt:
    h = header(case_number, reprint_count, items=("城乡居民基本养老保险注销登记",),
               department="通山县人力资源和社会保障局", agent=AGENT)
    by_method: dict[HandoverMethod, dict[str, object]] = {
        HandoverMethod.WINDOW: {"recipient": Recipient("张丽", "421224198506120032", "代理人")},
        HandoverMethod.POST: {"tracking_no": "1151234567890"},
        HandoverMethod.ELECTRONIC: {"sent_to": "鄂汇办"},
    }
    extra = by_method[method]
    return HandoverReceipt(h, method, datetime(2026, 12, 2, 1, 20, tzinfo=UTC),  # 09:20 in 通山
                           "准予：准予注销城乡居民基本养老保险登记", document_number="通人社〔2026〕12号",
                           **extra)  # type: ignore[arg-type]


def archive_lists() -> list[ArchiveList]:
    """Two departments' 归档交接清单 for one day (the second runs over a page)."""
    from clerk_desk.forms.archive_list import ArchiveLine, ArchiveList  # Qt (render) only when asked

    people = [Applicant(n, "11010519491231002X" if i % 2 else "421224198506120032") for i, n in
              enumerate(("李明", "张三", "王五", "赵六", "陈七", "刘八"))]
    base = datetime(2026, 11, 26, 1, 10, tzinfo=UTC)
    rs = tuple(
        ArchiveLine(f"421224-03-20261126-{100 + i:06d}", "城乡居民基本养老保险注销登记", people[i % 6],
                    ("已送达", "不予受理", "已撤回")[i % 3], base.replace(minute=10 + i), f"{2 + i % 3}项{3 + i % 3}份")
        for i in range(4)
    )
    mz = tuple(
        ArchiveLine(f"421224-03-20261126-{200 + i:06d}", "农村低保初审及转报", people[i % 6], "已送达",
                    base.replace(hour=2 + i // 30, minute=i % 60), "5项6份")
        for i in range(32)
    )
    made = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
    return [ArchiveList("通山县通羊镇便民服务中心", dept, date(2026, 11, 26), "综合窗口（一）", "王芳", lines, made)
            for dept, lines in (("人社", rs), ("民政", mz))]


def all_samples(reprint_count: int = 0) -> dict[str, Document]:
    return {
        "receipt": receipt(reprint_count=reprint_count),
        "pledge": pledge(reprint_count=reprint_count),
        "notice-supplement": supplement(reprint_count=reprint_count),
        "notice-refusal": refusal(reprint_count=reprint_count),
        "result-slip": result_slip(reprint_count=reprint_count),
        "decision": decision(reprint_count=reprint_count),
        "decision-denied": decision(reprint_count=reprint_count, approved=False),
        "handover": handover(reprint_count=reprint_count),
        "handover-post": handover(reprint_count=reprint_count, method=HandoverMethod.POST),
    }


def main(argv: list[str] | None = None) -> int:
    from PySide6.QtGui import QGuiApplication

    from clerk_desk.forms.paper import Paper
    from clerk_desk.forms.render import save_pdf

    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0] if args else ".")
    out.mkdir(parents=True, exist_ok=True)
    app = QGuiApplication.instance() or QGuiApplication([])
    for name, doc in all_samples().items():
        for paper in Paper:
            print(save_pdf(doc, paper, out / f"{name}-{paper.value}.pdf"))
    from clerk_desk.forms import archive_list

    print(archive_list.save_pdf(archive_lists(), out / "archive-list.pdf"))
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
