"""One HTML template per document (Qt rich-text subset; see html_parts). No Qt imports."""

from __future__ import annotations

from dataclasses import replace

from clerk_desk.forms.documents import (
    AcceptanceReceipt,
    DecisionLetter,
    Delivery,
    Document,
    HandoverMethod,
    HandoverReceipt,
    Header,
    MaterialLine,
    OnTheSpotResult,
    PledgeLetter,
    PledgeReminder,
    RefusalNotice,
    SupplementNotice,
)
from clerk_desk.forms.html_parts import (
    Row,
    Style,
    blank,
    day_text,
    document_html,
    esc,
    grid,
    header_rows,
    info_table,
    number_line,
    paragraph,
    qr_block,
    salutation,
    section,
    signatures,
    time_text,
    title_block,
)


def to_html(doc: Document, style: Style) -> str:
    """The whole document as one HTML string for QTextDocument.setHtml."""
    match doc:
        case AcceptanceReceipt():
            body = receipt(doc, style)
        case PledgeLetter():
            body = pledge(doc, style)
        case SupplementNotice():
            body = supplement(doc, style)
        case RefusalNotice():
            body = refusal(doc, style)
        case OnTheSpotResult():
            body = result_slip(doc, style)
        case DecisionLetter():
            body = decision_letter(doc, style)
        case HandoverReceipt():
            body = handover_receipt(doc, style)
        case PledgeReminder():
            body = pledge_reminder(doc, style)
        case _:
            raise TypeError(f"not a printable document: {type(doc).__name__}")
    return document_html(style, body)


def _top(style: Style, header: Header, title: str, notice_number: str = "") -> str:
    parts = [title_block(style, header, title)]
    if notice_number:
        parts.append(number_line(style, "告知书编号", notice_number))
    if header.case_number:
        parts.append(number_line(style, "办件编号", header.case_number, header.case_number_grouped))
    return "".join(parts)


def _materials(style: Style, materials: tuple[MaterialLine, ...]) -> str:
    if style.wide:
        heads = [("序号", "8%"), ("材料名称", "57%"), ("形式", "20%"), ("份数", "15%")]
    else:
        heads = [("序号", "12%"), ("材料名称", "52%"), ("形式", "20%"), ("份数", "16%")]
    rows = [[str(i), esc(m.name), esc(m.form.value), esc(m.copies_text)] for i, m in enumerate(materials, 1)]
    return grid(style, heads, rows, centred=(0, 2, 3))


def _items_text(header: Header) -> str:
    return "、".join(f"“{n}”" for n in header.items)


def receipt(doc: AcceptanceReceipt, style: Style) -> str:
    h, p = doc.header, doc.promise
    rows = header_rows(h, with_case=False)
    days = f"{p.working_days}个工作日"
    if p.confirmed_by_department:
        days += "（时限经承办部门确认）"
    due_label = "预计办结日期" if p.provisional else "承诺办结日期"
    due = f'<span style="font-weight: bold; font-size: {style.spec.body_pt + 2}pt;">{day_text(p.due_date)}前</span>'
    if p.provisional:
        due += "（按双休日推算，待节假日安排公布后复核）"  # a year without its calendar yet (workdays.py)
    delivery = esc(doc.delivery.value)
    if doc.delivery is Delivery.POST:
        delivery += f"（邮寄地址：{esc(doc.delivery_address)}）"
    phone = esc(doc.consultation_phone) if doc.consultation_phone else blank(9)
    urgency = "紧急（5 分钟内流转后台）" if doc.urgent else "一般（15 分钟内流转后台）"
    if doc.urgent_reason:
        urgency += f"，理由：{doc.urgent_reason}"
    promise_rows = [
        Row("紧急程度", esc(urgency), full=True),
        Row("承诺时限", esc(days), full=True),
        Row(due_label, due, full=True),
        Row("结果送达", delivery, full=True),
        Row("咨询电话", phone, full=True),
    ]
    notes = (
        "1. 请妥善保管本回执，凭本回执和身份证件领取办理结果；"
        "2. 可扫描二维码或凭办件编号查询办理进度；"
        "3. 办结日期按工作日计算，不含法定节假日。"
    )
    return "".join(
        [
            _top(style, h, doc.title),
            paragraph(style, f"{h.applicant.you}提交的申请材料经初审齐全、符合法定形式，予以受理。", indent=True),
            info_table(style, rows),
            section(style, f"已收取的申请材料（共{len(doc.materials)}项）"),
            _materials(style, doc.materials),
            section(style, "办理时限与结果送达"),
            info_table(style, promise_rows),
            paragraph(style, esc(notes), indent=False, small=True),
            signatures(style, "申请人（签字）", "受理人（签字）"),
            qr_block(style, h),
        ]
    )


def pledge(doc: PledgeLetter, style: Style) -> str:
    h = doc.header
    owed = f'<span style="font-weight: bold;">{esc(day_text(doc.owed_by))}前</span>'
    return "".join(
        [
            _top(style, h, doc.title),
            info_table(style, header_rows(h, with_case=False)),
            section(style, f"容缺材料（共{len(doc.waived)}项）"),
            _materials(style, doc.waived),
            paragraph(
                style, f"补齐期限：{owed}，请送交{esc(h.site_name)}{esc(h.window_name)}。", indent=False
            ),
            section(style, "承诺内容"),
            paragraph(style, esc(doc.pledge_text)),
            signatures(style, "承诺人（签字或盖章）", "受理人（签字）"),
            qr_block(style, h),
        ]
    )


def pledge_reminder(doc: PledgeReminder, style: Style) -> str:
    h = doc.header
    due = f'<span style="font-weight: bold;">{esc(day_text(doc.owed_by))}</span>'
    when = f"按承诺应于{due}前补齐，现已逾期，请尽快" if doc.overdue else f"按承诺应于{due}前"
    intro = (
        f"{h.applicant.you}于{esc(time_text(h.accepted_local))}申请办理{esc(_items_text(h))}，"
        f"经容缺受理。下列材料尚未补齐，{when}送交{esc(h.site_name)}{esc(h.window_name)}："
    )
    return "".join(
        [
            _top(style, h, doc.title),
            paragraph(style, intro, indent=True),
            section(style, f"尚未补齐的材料（共{len(doc.owed)}项）"),
            _materials(style, doc.owed),
            paragraph(style, esc(f"提醒日期：{day_text(doc.reminded_on)}。材料补齐后，办件方可办结。"), indent=False,
                      small=True),
            qr_block(style, h),
        ]
    )


def supplement(doc: SupplementNotice, style: Style) -> str:
    h = doc.header
    where = doc.return_to or f"{h.site_name}{h.window_name}"
    intro = (
        f"{h.applicant.you}于{esc(time_text(h.accepted_local))}申请办理{esc(_items_text(h))}，经初审，"
        f"申请材料不齐全或者不符合法定形式。根据有关规定，现将需要补正的全部内容一次性告知如下："
    )
    if style.wide:
        heads = [("序号", "7%"), ("材料名称", "25%"), ("问题", "14%"), ("原因说明", "29%"), ("需提交", "25%")]
    else:
        heads = [("序", "8%"), ("材料及问题", "52%"), ("需提交", "40%")]
    rows: list[list[str]] = []
    for i, m in enumerate(doc.problems, 1):
        kind = "缺少" if m.missing else "不符合要求"
        if style.wide:
            rows.append([str(i), esc(m.name), kind, esc(m.reason), esc(m.bring) or "—"])
        else:
            rows.append([str(i), f"<b>{esc(m.name)}</b>（{kind}）<br/>{esc(m.reason)}", esc(m.bring) or "—"])
    rows_info = header_rows(h, time_label="收件时间", with_case=False)
    return "".join(
        [
            _top(style, h, doc.title, doc.notice_number),
            salutation(style, h.applicant.name),
            paragraph(style, intro),
            section(style, f"需补正的材料（共{len(doc.problems)}项，一次性告知）"),
            grid(style, heads, rows, centred=(0, 2) if style.wide else (0,)),
            paragraph(
                style,
                f"请按上述要求一次性补齐后，到<b>{esc(where)}</b>重新提交，并出示本告知书"
                f"（编号 {esc(doc.notice_number or h.case_number)}）。已审核无误的材料无需重复提交。",
            ),
            section(style, "申请信息"),
            info_table(style, rows_info),
            signatures(style, "申请人（签收）", "经办人（签字）", issuer=h.site_name),
            qr_block(style, h),
        ]
    )


def refusal(doc: RefusalNotice, style: Style) -> str:
    h = doc.header
    intro = (
        f"{h.applicant.you}于{esc(time_text(h.accepted_local))}提出的{esc(_items_text(h))}申请，"
        f"经审查，决定<b>不予受理</b>。理由如下："
    )
    parts = [
        _top(style, h, doc.title, doc.notice_number),
        salutation(style, h.applicant.name),
        paragraph(style, intro),
        paragraph(style, esc(doc.reason)),
    ]
    if doc.legal_basis:
        parts.append(paragraph(style, f"依据：{esc(doc.legal_basis)}"))
    parts += [
        paragraph(style, esc(doc.remedy_text)),
        section(style, "申请信息"),
        info_table(style, header_rows(h, time_label="收件时间", with_case=False)),
        signatures(style, "申请人（签收）", "经办人（签字）", issuer=h.site_name),
        qr_block(style, h),
    ]
    return "".join(parts)


def result_slip(doc: OnTheSpotResult, style: Style) -> str:
    h = doc.header
    rows = [
        *header_rows(h, with_case=False),
        Row("办理结果", f"<b>{esc(doc.result_summary)}</b>", full=True),
        Row("办结时间", esc(time_text(doc.completed_local)), full=True),
    ]
    return "".join(
        [
            _top(style, h, doc.title),
            paragraph(style, f"{h.applicant.you}申请的事项属即办件，已当场办结。", indent=True),
            info_table(style, rows),
            signatures(style, "申请人（领取签字）", "经办人（签字）"),
            qr_block(style, h),
        ]
    )


def _applicant_rows(h: Header) -> list[Row]:
    """Item, applicant (ID masked), agent and acceptance time: the header rows without the window's own."""
    return [r for r in header_rows(h, with_case=False) if r.label not in ("受理窗口", "经办人", "联系电话")]


def decision_letter(doc: DecisionLetter, style: Style) -> str:
    """审批决定书 / 不予许可决定书: the department's decision, its number, the reason for a denial and the
    remedies, the department's stamp and the date."""
    h = doc.header
    issued = replace(h, site_name=doc.issuer)  # the department issues it, not the hall
    parts = [title_block(style, issued, doc.title)]
    if doc.document_number:
        parts.append(number_line(style, "文号", doc.document_number))
    parts.append(number_line(style, "办件编号", h.case_number, h.case_number_grouped))
    parts.append(salutation(style, h.applicant.name))
    parts.append(
        paragraph(
            style,
            f"{h.applicant.you}于{esc(time_text(h.accepted_local))}在{esc(h.site_name)}提出的{esc(_items_text(h))}申请，"
            f"本机关已依法受理并进行了审查。",
        )
    )
    if doc.approved:
        parts.append(paragraph(style, "经审查，申请符合法定条件、标准，根据有关规定，决定<b>准予</b>："))
        parts.append(paragraph(style, f"<b>{esc(doc.result_text)}</b>"))
    else:
        parts.append(
            paragraph(style, "经审查，申请不符合法定条件、标准，根据有关规定，决定<b>不予许可（不予办理）</b>。理由如下：")
        )
        parts.append(paragraph(style, f"<b>{esc(doc.reason)}</b>"))
        parts.append(paragraph(style, esc(doc.remedy_text)))
    rows = [
        *_applicant_rows(h),
        Row("决定日期", esc(day_text(doc.decided_local.date()))),
        Row("审批人", esc(h.clerk_name)),
        Row("受理地点", esc(f"{h.site_name}{h.window_name}"), full=True),
    ]
    parts += [
        section(style, "申请信息"),
        info_table(style, rows),
        signatures(style, "申请人（签收）", "审批人（签字）", issuer=doc.issuer),
        f'<p align="right" style="margin-top: 2px;">{esc(day_text(doc.decided_local.date()))}</p>',
        qr_block(style, h),
    ]
    return "".join(parts)


def handover_receipt(doc: HandoverReceipt, style: Style) -> str:
    """出件回执 / 送达回证: what was handed over, how, to whom, when and by whom; the recipient signs."""
    h = doc.header
    result = f"<b>{esc(doc.result_summary)}</b>"
    if doc.document_number:
        result += f"（文号 {esc(doc.document_number)}）"
    rows = [*_applicant_rows(h), Row("办理结果", result, full=True)]
    how = esc(doc.method.value)
    if doc.method is HandoverMethod.WINDOW and doc.recipient is not None:
        r = doc.recipient
        rows += [Row("送达方式", how), Row("领取人", f"{esc(r.name)}（{esc(r.relation)}）"),
                 Row("领取人身份证号码", esc(r.printed_id) or "—", full=True)]  # fmt: skip
        lead = "申请人申请办理的事项已办结，办理结果已当场交付领取人，领取人已出示身份证件并核验无误。"
        signers = ("领取人（签字）", "经办人（签字）")
    elif doc.method is HandoverMethod.POST:
        rows += [Row("送达方式", how), Row("邮件单号", f"<b>{esc(doc.tracking_no)}</b>")]
        lead = "申请人申请办理的事项已办结，办理结果已按申请人选择的方式邮寄送达。"
        signers = ("受送达人（签收）", "送达人（签字）")
    else:
        rows += [Row("送达方式", how), Row("送达至", esc(doc.sent_to))]
        lead = "申请人申请办理的事项已办结，办理结果已按申请人选择的方式电子送达。"
        signers = ("受送达人（签收）", "送达人（签字）")
    rows += [Row("出件时间", esc(time_text(doc.delivered_local))), Row("出件窗口", esc(h.window_name) or "—"),
             Row("经办人", esc(h.clerk_name))]  # fmt: skip
    if doc.note:
        rows.append(Row("说明", esc(doc.note), full=True))
    return "".join(
        [
            _top(style, h, doc.title),
            paragraph(style, esc(lead)),
            info_table(style, rows),
            paragraph(style, esc("请领取人（受送达人）核对办理结果无误后签字确认。本回执由窗口留存归档。"), indent=False,
                      small=True),
            signatures(style, *signers),
            qr_block(style, h),
        ]
    )
