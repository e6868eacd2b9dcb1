"""The evaluation report: every member's scores, the aggregates and the ranking,
as PDF and as Excel."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils import timezone
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from gongzhi.core.i18n import translator
from gongzhi.core.pdf import paragraph, paragraph_style, pdf_table
from gongzhi.core.spreadsheet import Workbook

from .models import Score, SelectionPlan
from .scoring import FORMULA
from .selectors import criteria_of


def formula_zh() -> str:
    """The report is an official Chinese document, whatever the reader's language."""
    return translator("zh-hans")(FORMULA)


def _number(text: str | None) -> Decimal | str:
    """Aggregates are stored as exact two-decimal strings; Excel gets them as numbers."""
    return Decimal(text) if text else ""


def _rows(plan: SelectionPlan) -> tuple[list[list[object]], list[list[object]]]:
    criteria = criteria_of(plan, translator("zh-hans"))
    panel = plan.panel
    scores: dict[tuple[int, int], dict[str, Decimal]] = {}
    for score in Score.objects.filter(bid__plan=plan):
        scores.setdefault((score.member_id, score.bid_id), {})[score.criterion] = score.value
    judged = [c for c in criteria if not c.price]
    detail: list[list[object]] = [
        ["评审成员", "投标企业", *[f"{c.label}（{c.max_score}）" for c in judged]]
    ]
    for member in panel.members.order_by("pk"):
        for bid in plan.bids.select_related("company").order_by("company__name"):
            values = scores.get((member.pk, bid.pk), {})
            detail.append([member.name, bid.company.name, *[values.get(c.key, "") for c in judged]])
    summary: list[list[object]] = [
        ["名次", "投标企业", *[c.label for c in criteria], "质量分", "价格分", "总分", "候选人"]
    ]
    for result in panel.result.get("results", []):
        summary.append(
            [
                result["rank"],
                result["company"],
                *[_number(result["criteria"].get(c.key)) for c in criteria],
                _number(result["quality"]),
                _number(result["price_points"]),
                _number(result["total"]),
                "是" if result["candidate"] else "",
            ]
        )
    return detail, summary


def report_pdf(plan: SelectionPlan) -> bytes:
    heading = paragraph_style("h", size=15, leading=20)
    body = paragraph_style("b", size=9, leading=12)
    detail, summary = _rows(plan)
    panel = plan.panel
    members = "；".join(
        f"{m.name}（{m.get_affiliation_display()}{'，专家' if m.is_expert else ''}）"
        for m in panel.members.all()
    )
    story = [
        paragraph(f"评审报告：{plan.title}", heading),
        paragraph(
            f"评审工作小组：{members}。汇总方式：{plan.get_aggregate_display()}。"
            f"评审结束：{timezone.localtime(panel.closed_at):%Y-%m-%d %H:%M}"
            if panel.closed_at
            else "",
            body,
        ),
        Spacer(1, 3 * mm),
        paragraph(formula_zh(), body),
        Spacer(1, 4 * mm),
        paragraph("汇总与排名", body),
        pdf_table(
            summary,
            [14 * mm, 36 * mm]
            + [24 * mm] * (len(summary[0]) - 6)
            + [20 * mm, 20 * mm, 20 * mm, 16 * mm],
        ),
        Spacer(1, 4 * mm),
        paragraph("各评审成员评分", body),
        pdf_table(detail, [30 * mm, 36 * mm] + [28 * mm] * (len(detail[0]) - 2)),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=f"评审报告 {plan.title}",
    ).build(story)
    return buffer.getvalue()


def report_xlsx(plan: SelectionPlan) -> bytes:
    detail, summary = _rows(plan)
    workbook = Workbook()
    ranking = workbook.sheet("排名 Ranking")
    ranking.extend(summary)
    ranking.append([])
    ranking.append([formula_zh()])
    workbook.sheet("评分 Scores").extend(detail)
    return workbook.bytes()
