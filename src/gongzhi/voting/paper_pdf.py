"""Paper for the paper trail: the delivery list a distribution team takes round a
building, and the tally sheet that scrutineers, counters and witnesses sign."""

from __future__ import annotations

import io
from collections.abc import Collection, Sequence

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from gongzhi.core.masking import mask_name
from gongzhi.core.pdf import paragraph, paragraph_style, pdf_table
from gongzhi.core.sorting import natural_key

from .models import CountSession, Decision, Delivery, DeliveryMethod, RegisterEntry
from .selectors import decision_tally_json


def _styles():
    title = paragraph_style("title", size=15, leading=20, spaceAfter=6)
    body = paragraph_style("body", size=9.5, leading=13)
    small = paragraph_style("small", size=8, leading=10)
    return title, body, small


def delivery_list_pdf(*, decision: Decision, entries: Sequence[RegisterEntry], title: str) -> bytes:
    """A list of units to deliver ballots to, with columns for the recipient's
    signature. Owners' names are masked (张*): enough to hand the ballot over."""
    heading, body, small = _styles()
    done: dict[int, Delivery] = {}
    for delivery in decision.deliveries.filter(entry__in=entries).order_by("delivered_at"):
        done.setdefault(delivery.entry_id, delivery)
    rows: list[list[object]] = [
        ["房号", "面积 m²", "业主", "送达方式", "签收人签名", "日期", "送达人"]
    ]
    for entry in sorted(entries, key=lambda e: natural_key(e.unit_number)):
        owners = "、".join(mask_name(o.name or "") for o in entry.owners.all()) or "建设单位"
        found = done.get(entry.pk)
        rows.append(
            [
                entry.unit_number,
                f"{entry.area:.2f}",
                owners,
                str(DeliveryMethod(found.method).label) if found else "",
                found.recipient if found else "",
                timezone.localtime(found.delivered_at).strftime("%m-%d") if found else "",
                found.delivered_by if found else "",
            ]
        )
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"送达签收单 {title}",
    )
    story = [
        paragraph(f"表决票送达签收单：{decision.title}", heading),
        paragraph(
            f"{title} · 共 {len(entries)} 户 · "
            f"表决期限至 {timezone.localtime(decision.closes_at):%Y-%m-%d %H:%M}",
            body,
        ),
        paragraph(
            "送达方式：当面签收 / 挂号信（填写单号）/ 无法送达时在小区内张贴（拍照存档）。", small
        ),
        Spacer(1, 4 * mm),
        pdf_table(rows, [22 * mm, 20 * mm, 32 * mm, 26 * mm, 36 * mm, 16 * mm, 28 * mm]),
    ]
    document.build(story)
    return buffer.getvalue()


def tally_sheet_pdf(*, session: CountSession, named: Collection[int] | None = None) -> bytes:
    """The count's tally sheet, for the signatures of everyone present, with the
    ledger's head hash at the close. Owner witnesses are named only if they hold a unit
    in a compound of ``named`` (None: every compound)."""
    decision = session.decision
    visible_owners = None
    if named is not None:
        visible_owners = set(
            decision.register.filter(compound_id__in=named).values_list(
                "owner_links__owner_id", flat=True
            )
        )
    heading, body, small = _styles()
    data = decision_tally_json(decision)
    story = [
        paragraph(f"计票结果记录表：{decision.title}", heading),
        paragraph(
            f"地点：{session.place} · 开始：{timezone.localtime(session.started_at):%Y-%m-%d %H:%M}"
            + (
                f" · 结束：{timezone.localtime(session.ended_at):%Y-%m-%d %H:%M}"
                if session.ended_at
                else ""
            ),
            body,
        ),
        Spacer(1, 3 * mm),
    ]
    boxes = [["票箱", "封条编号", "开箱时间", "封条完好", "在场人员"]]
    for event in session.box_events.select_related("box").order_by("at"):
        boxes.append(
            [
                event.box.label,
                event.box.seal_number,
                timezone.localtime(event.at).strftime("%H:%M"),
                "是" if event.seal_intact else "否",
                "、".join(event.present),
            ]
        )
    story += [pdf_table(boxes, [22 * mm, 30 * mm, 22 * mm, 20 * mm, 86 * mm]), Spacer(1, 3 * mm)]
    sheets = session.sheets.all()
    rejected = sheets.exclude(rejected_reason="").count()
    story.append(
        paragraph(
            f"本次开箱共录入表决票 {sheets.count()} 张，"
            f"其中无效 {rejected} 张（未签名或代理无授权）。",
            body,
        )
    )
    for item in data["items"]:
        story.append(Spacer(1, 3 * mm))
        story.append(
            paragraph(
                f"{item['position']}. {item['text']}（{item['rule']}，{item['article']}）", body
            )
        )
        for option in item["options"]:
            outcome = option["without_clause"]
            rows = [["小区", "总面积/人数", "参与", "同意", "不同意", "弃权", "意见不一", "通过"]]
            for group in [*outcome["compounds"], {**outcome["combined"], "compound": "合计"}]:
                rows.append(
                    [
                        group["compound"],
                        f"{group['total']['area']} / {group['total']['heads']}",
                        f"{group['participating']['area']} / {group['participating']['heads']}",
                        f"{group['agree']['area']} / {group['agree']['heads']}",
                        f"{group['disagree']['area']} / {group['disagree']['heads']}",
                        f"{group['abstain']['area']} / {group['abstain']['heads']}",
                        str(group.get("mixed", {}).get("heads", "—")),
                        "是" if group["passed"] else "否",
                    ]
                )
            if option["label"]:
                story.append(paragraph(f"备选项：{option['label']}", small))
            story.append(
                pdf_table(
                    rows, [22 * mm, 28 * mm, 28 * mm, 26 * mm, 24 * mm, 24 * mm, 14 * mm, 12 * mm]
                )
            )
    story += [
        Spacer(1, 5 * mm),
        paragraph("以上为截至本次开箱的累计结果；表决结果以公示为准。", small),
        Spacer(1, 3 * mm),
    ]
    people = [["身份", "姓名", "签名"]]
    people += [["监票人", name, ""] for name in session.scrutineers]
    people += [["计票人", name, ""] for name in session.counters]
    people += [
        [
            "业主见证人",
            (o.name or o.identifier)
            if visible_owners is None or o.pk in visible_owners
            else mask_name(o.name),
            "",
        ]
        for o in session.witnesses.all()
    ]
    story.append(pdf_table(people, [30 * mm, 50 * mm, 100 * mm]))
    story += [
        Spacer(1, 4 * mm),
        paragraph(
            f"账本末端哈希（关闭本次计票时）：{session.head_hash or '（计票进行中）'}", small
        ),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"计票结果记录表 {decision.title}",
    )
    document.build(story)
    return buffer.getvalue()


def visit_list_pdf(*, title: str, rows) -> bytes:
    """The units still to visit (``selectors.visit_rows``), with blank columns for the
    outcome of each visit: printed by the clerk who goes door to door."""
    heading, body, small = _styles()
    table: list[list[object]] = [["楼栋", "房号", "面积 m²", "业主", "电话", "走访情况", "日期"]]
    for row in rows:
        entry = row.entry
        table.append(
            [
                entry.building_name,
                entry.unit_number,
                f"{entry.area:.2f}",
                "、".join(row.names) or "建设单位",
                "、".join(row.phones),
                "",
                "",
            ]
        )
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"走访名单 {title}",
    )
    story = [
        paragraph(f"尚未表决房屋走访名单：{title}", heading),
        paragraph(f"共 {len(rows)} 户 · 打印于 {timezone.localtime():%Y-%m-%d %H:%M}", body),
        paragraph(
            "走访情况：已走访 / 拒绝 / 承诺表决 / 已表决；请勿在名单上记录业主的表决意见。", small
        ),
        Spacer(1, 4 * mm),
        pdf_table(table, [18 * mm, 18 * mm, 18 * mm, 34 * mm, 30 * mm, 48 * mm, 18 * mm]),
    ]
    document.build(story)
    return buffer.getvalue()
