"""PDF building blocks: the embedded Chinese font, QR codes, tables and paragraphs.

ReportLab's ``Paragraph`` reads its text as markup: ``<img src=…>`` makes it fetch
a URL or read a local file, ``<font name=…>`` with an unknown name makes it fail.
Every paragraph of every PDF is therefore made here, by ``paragraph``, which
escapes the text it is given. Only ``Markup`` — built by our own code from escaped
pieces, like the notice body's bold and italics — passes as markup.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from functools import cache
from html import escape
from pathlib import Path

import segno
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

FONT_FILE = Path(__file__).resolve().parent / "fonts" / "wqy-microhei.ttc"
FONT = "GongzhiCJK"


@cache
def register_font() -> str:
    """Register the bundled TrueType font (Chinese and Latin) once; reportlab embeds
    a subset of it."""
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE), subfontIndex=0))
    return FONT


def qr_modules(data: str) -> list[list[bool]]:
    """The dark (True) and light modules of a QR code of ``data``: error correction M,
    the smallest version, the mask chosen by the standard's penalty rules. segno
    encodes it in half the time of reportlab's encoder (bench/print_ballots.py)."""
    code = segno.make_qr(data, error="m", boost_error=False)
    return [[bool(module) for module in row] for row in code.matrix]


def draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """A QR code of ``data`` with its lower left corner at (x, y), ``size`` wide with
    a quiet zone of four modules. The code is encoded once and drawn as one filled
    path of dark runs — the same picture reportlab's QR widget draws as hundreds of
    shape objects, in a tenth of the time (see bench/print_ballots.py)."""
    modules = qr_modules(data)
    border = 4
    box = size / (len(modules) + 2 * border)
    path = canvas.beginPath()
    for r, row in enumerate(modules):
        top = y + size - (r + border + 1) * box
        column = 0
        for dark, run in itertools.groupby(row):
            count = sum(1 for _ in run)
            if dark:
                path.rect(x + (column + border) * box, top, count * box, box)
            column += count
    canvas.drawPath(path, stroke=0, fill=1)


def wrap(text: str, width: float, size: float) -> list[str]:
    """Break text into lines that fit ``width`` points in the CJK font (any script)."""
    font = register_font()
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for char in paragraph:
            if pdfmetrics.stringWidth(line + char, font, size) > width and line:
                lines.append(line)
                line = char
            else:
                line += char
        lines.append(line)
    return lines


def pdf_table(
    rows: Sequence[Sequence[object]], widths: Sequence[float], *, header: bool = True
) -> Table:
    """A table in the bundled font, with a grid and a shaded header row."""
    font = register_font()
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f4")))
    table.setStyle(TableStyle(style))
    return table


class Markup(str):
    """Paragraph markup assembled by our code from escaped text (see ``markup``)."""


def markup(template: str, *values: object) -> Markup:
    """Markup from a trusted template whose ``{}`` places get escaped values:
    ``markup("<b>{}</b>", title)``."""
    return Markup(template.format(*(escape(str(value), quote=False) for value in values)))


def paragraph(text: str, style: ParagraphStyle, **options) -> Paragraph:
    """A paragraph of ``text`` exactly as written; line breaks are kept."""
    if not isinstance(text, Markup):
        text = Markup(escape(str(text), quote=False).replace("\n", "<br/>"))
    return Paragraph(text, style, **options)


def paragraph_style(name: str, *, size: float, leading: float | None = None, **options):
    """A paragraph style in the bundled font."""
    return ParagraphStyle(
        name, fontName=register_font(), fontSize=size, leading=leading or size * 1.35, **options
    )


class QrFooter(Flowable):
    """A QR code of ``url`` at the right, with the address and a caption beside it."""

    def __init__(self, url: str, size: float, caption: str) -> None:
        super().__init__()
        self.url, self.size, self.caption = url, size, caption

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, self.size

    def draw(self):
        draw_qr(self.canv, self.url, self.width - self.size, 0, self.size)
        self.canv.setFont(register_font(), 8)
        gap = 3 * mm
        self.canv.drawRightString(self.width - self.size - gap, 4 * mm, self.url)
        self.canv.drawRightString(self.width - self.size - gap, 9 * mm, self.caption)
