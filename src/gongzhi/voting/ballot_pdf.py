"""Printable paper ballots: one A4 page per unit, the Chinese font embedded.

Each page carries the decision and its questions, tick boxes with a sample mark,
the unit and its area, the non-voter clause where adopted, the signature lines
and a QR code with the unit's one-time voting link.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from gongzhi.core.pdf import draw_qr, register_font, wrap

from .models import Decision, DecisionItem, RegisterEntry

NON_VOTER_CLAUSE_TEXT = (
    "本次表决适用《业主大会议事规则》中的从众条款：已送达本表决票而在表决期限内未反馈意见的，"
    "视为同意参与表决的多数业主的意见。计票结果将同时公布适用与不适用该条款的结果。"
)


def _box(canvas: Canvas, x: float, y: float, size: float, ticked: bool = False) -> None:
    canvas.rect(x, y, size, size)
    if ticked:
        canvas.line(x + size * 0.2, y + size * 0.5, x + size * 0.45, y + size * 0.2)
        canvas.line(x + size * 0.45, y + size * 0.2, x + size * 0.85, y + size * 0.85)


def item_choices(item: DecisionItem) -> list[str]:
    if item.options:
        return [*item.options, "以上均不同意", "弃权"]
    return ["同意", "不同意", "弃权"]


def ballots_pdf(
    *,
    decision: Decision,
    entries: Sequence[RegisterEntry],
    codes: Mapping[int, str],
    vote_url: str,
    ticked: Mapping[int, Mapping[int, str]] | None = None,
    signed_by: str = "",
) -> bytes:
    """The ballots of these units; ``vote_url`` has ``{code}`` where the code goes.

    ``ticked`` (entry id -> item id -> choice) and ``signed_by`` draw a filled-in
    ballot, as the demo's invented scans do.
    """
    font = register_font()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=True)
    canvas.setTitle(f"表决票 {decision.title}")
    canvas.setAuthor("gongzhi")
    width, height = A4
    margin = 18 * mm
    items = list(decision.items.all())
    window = (
        f"{timezone.localtime(decision.opens_at):%Y年%m月%d日 %H:%M} 至 "
        f"{timezone.localtime(decision.closes_at):%Y年%m月%d日 %H:%M}"
    )
    for entry in entries:
        y = height - margin
        canvas.setFont(font, 16)
        for line in wrap(f"业主表决票：{decision.title}", width - 2 * margin - 35 * mm, 16):
            canvas.drawString(margin, y, line)
            y -= 20
        canvas.setFont(font, 10)
        canvas.drawString(margin, y, f"表决期限：{window}")
        y -= 16
        canvas.setFont(font, 12)
        canvas.drawString(
            margin,
            y,
            f"小区：{entry.compound.name}    楼栋：{entry.building_name or '—'}    "
            f"房号：{entry.unit_number}    专有部分面积：{entry.area:.2f} m²",
        )
        y -= 8
        code = codes.get(entry.pk)
        if code:
            draw_qr(
                canvas,
                vote_url.format(code=code),
                width - margin - 32 * mm,
                height - margin - 32 * mm,
                32 * mm,
            )
            canvas.setFont(font, 8)
            canvas.drawString(
                width - margin - 32 * mm, height - margin - 36 * mm, f"一次性表决码 {code}"
            )
        y -= 18
        canvas.setFont(font, 10)
        for line in wrap(decision.text, width - 2 * margin, 10)[:12]:
            canvas.drawString(margin, y, line)
            y -= 14
        y -= 6
        canvas.setFont(font, 10)
        canvas.drawString(margin, y, "填写示例：")
        _box(canvas, margin + 52, y - 2, 10, ticked=True)
        canvas.drawString(
            margin + 66,
            y,
            "在选项前的方框内打“√”，每个问题只选一项；多选、不选或无法辨认的视为弃权。",
        )
        y -= 22
        for item in items:
            canvas.setFont(font, 11)
            for line in wrap(f"{item.position}. {item.text}", width - 2 * margin, 11):
                canvas.drawString(margin, y, line)
                y -= 15
            x = margin + 10
            chosen = (ticked or {}).get(entry.pk, {}).get(item.pk)
            for value, label in zip(item.choice_values(), item_choices(item), strict=True):
                _box(canvas, x, y - 3, 11, ticked=value == chosen)
                canvas.drawString(x + 15, y, label)
                x += max(80, 20 + 11 * len(label))
                if x > width - margin - 80:
                    x = margin + 10
                    y -= 18
            y -= 24
        if decision.non_voter_clause:
            canvas.setFont(font, 9)
            for line in wrap("特别提示：" + NON_VOTER_CLAUSE_TEXT, width - 2 * margin, 9):
                canvas.drawString(margin, y, line)
                y -= 12
            y -= 6
        canvas.setFont(font, 10)
        bottom = margin + 40 * mm
        y = min(y, bottom)
        canvas.drawString(
            margin,
            y,
            "业主签名：____________________    联系电话：________________    日期：__________",
        )
        if signed_by:
            canvas.setFont(font, 13)
            canvas.drawString(margin + 62, y + 2, signed_by)
            canvas.setFont(font, 10)
        y -= 20
        canvas.drawString(
            margin, y, "委托代理人签名（须附书面委托书及业主身份证明复印件）：____________________"
        )
        y -= 20
        canvas.setFont(font, 8)
        canvas.drawString(
            margin,
            y,
            "请将表决票投入居委会设置的密封票箱，或扫描右上角二维码，凭表决码及业主手机号后四位在线表决。"
            "同一房屋以最先有效的一张表决票为准。",
        )
        canvas.drawString(
            margin,
            margin - 6 * mm,
            f"{decision.neighbourhood.name} · 表决事项编号 {decision.pk} · 房屋 {entry.pk}",
        )
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
