"""PDF building blocks: the embedded Chinese font and QR codes (reportlab)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT_FILE = Path(__file__).resolve().parent / "fonts" / "wqy-microhei.ttc"
FONT = "GongzhiCJK"


@cache
def register_font() -> str:
    """Register the bundled TrueType font (Chinese and Latin) once; reportlab embeds
    a subset of it."""
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE), subfontIndex=0))
    return FONT


def draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """A QR code of ``data`` with its lower left corner at (x, y)."""
    widget = QrCodeWidget(data, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


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
