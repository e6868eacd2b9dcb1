"""core.pdf: every paragraph escapes what it is given; no PDF builds one another way."""

import io
import re
from pathlib import Path

from pypdf import PdfReader
from reportlab.platypus import SimpleDocTemplate

from gongzhi.core.pdf import markup, paragraph, paragraph_style

PACKAGE = Path(__file__).resolve().parents[2]


def _render(*flowables) -> str:
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build(list(flowables))
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(buffer.getvalue())).pages)


def test_markup_in_text_is_printed_as_written():
    style = paragraph_style("t", size=10)
    hostile = '<img src="/etc/passwd"/> <font name="nope">x</font> <b>粗</b> & <br/>'
    text = _render(paragraph(hostile, style))
    assert '<img src="/etc/passwd"/>' in text and '<font name="nope">' in text
    assert "<b>粗</b> &" in text


def test_line_breaks_survive_and_markup_escapes_its_values():
    style = paragraph_style("t", size=10)
    text = _render(
        paragraph("第一行\n第二行", style), paragraph(markup("<b>{}</b>", "<i>x"), style)
    )
    assert "第一行\n第二行" in text
    assert "<i>x" in text


def test_no_module_makes_a_reportlab_paragraph_itself():
    """The helper is the only door: a new PDF that imports Paragraph would bypass it."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts or path == PACKAGE / "core" / "pdf.py":
            continue
        source = path.read_text()
        if re.search(r"\bParagraph\b", source.replace("paragraph", "")):
            offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []
