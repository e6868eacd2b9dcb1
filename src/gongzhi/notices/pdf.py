"""A notice as an A4 sheet for the physical notice board, with a QR code to its page."""

from __future__ import annotations

import io
from html import escape
from html.parser import HTMLParser

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer

from gongzhi.core.masking import mask_html
from gongzhi.core.pdf import Markup, QrFooter, paragraph, paragraph_style, pdf_table

from .models import Notice

BLOCKS = {"p", "h2", "h3", "h4", "li", "blockquote"}
INLINE = {"strong": "b", "b": "b", "em": "i", "i": "i", "u": "u"}


class _Blocks(HTMLParser):
    """The cleaned notice HTML as paragraphs and tables of text (inline bold, italic
    and underline kept): what reportlab can lay out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []  # ("p"|"h"|"li", markup)
        self.tables: list[list[list[str]]] = []  # ("table", index into tables)
        self.text = ""
        self.kind = "p"
        self.table: list[list[str]] | None = None
        self.cell: str | None = None

    def _flush(self) -> None:
        if self.text.strip():
            self.blocks.append((self.kind, self.text.strip()))
        self.text, self.kind = "", "p"

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._flush()
            self.table = []
        elif tag == "tr" and self.table is not None:
            self.table.append([])
        elif tag in ("td", "th") and self.table is not None:
            self.cell = ""
        elif tag in BLOCKS:
            self._flush()
            self.kind = "h" if tag.startswith("h") else ("li" if tag == "li" else "p")
        elif tag == "br":
            if self.cell is None:
                self.text += "<br/>"
        elif tag in INLINE and self.cell is None:
            self.text += f"<{INLINE[tag]}>"

    def handle_endtag(self, tag):
        if tag == "table" and self.table is not None:
            if self.table:
                self.blocks.append(("table", str(len(self.tables))))
                self.tables.append(self.table)
            self.table = None
        elif tag in ("td", "th") and self.table is not None and self.cell is not None:
            if not self.table:
                self.table.append([])
            self.table[-1].append(self.cell.strip())
            self.cell = None
        elif tag in BLOCKS:
            self._flush()
        elif tag in INLINE and self.cell is None:
            self.text += f"</{INLINE[tag]}>"

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
        else:
            self.text += escape(data)

    def close(self):
        super().close()
        self._flush()


def notice_pdf(notice: Notice, url: str) -> bytes:
    title = paragraph_style("title", size=20, leading=26, alignment=1)
    meta = paragraph_style("meta", size=10, leading=14, alignment=1)
    body = paragraph_style("body", size=12, leading=19, wordWrap="CJK")
    heading = paragraph_style("heading", size=13, leading=20, wordWrap="CJK")
    item = paragraph_style(
        "item", size=12, leading=19, wordWrap="CJK", leftIndent=6 * mm, bulletIndent=2 * mm
    )
    window = _("Displayed from %(start)s until %(end)s") % {
        "start": timezone.localtime(notice.display_from).strftime("%Y-%m-%d %H:%M"),
        "end": timezone.localtime(notice.display_until).strftime("%Y-%m-%d %H:%M"),
    }
    story: list[Flowable] = [
        paragraph(notice.title, title),
        Spacer(1, 2 * mm),
        paragraph(f"{notice.get_kind_display()} · {window}", meta),
        paragraph(", ".join(c.name for c in notice.compounds.all()), meta),
        Spacer(1, 6 * mm),
    ]
    parser = _Blocks()
    parser.feed(mask_html(notice.body))
    parser.close()
    width = A4[0] - 36 * mm
    for kind, content in parser.blocks:
        if kind == "table":
            rows = parser.tables[int(content)]
            columns = max(len(r) for r in rows) or 1
            padded = [r + [""] * (columns - len(r)) for r in rows]
            story += [pdf_table(padded, [width / columns] * columns), Spacer(1, 3 * mm)]
        elif kind == "li":
            story.append(paragraph(Markup(content), item, bulletText="•"))
        else:
            story.append(paragraph(Markup(content), heading if kind == "h" else body))
            story.append(Spacer(1, 2 * mm))
    attachments = list(notice.attachments.all())
    if attachments:
        names = "、".join(a.original_name for a in attachments)
        story.append(paragraph(_("Attachments: %(names)s") % {"names": names}, body))
    caption = _("Scan to read online and leave opinions")
    story += [Spacer(1, 8 * mm), QrFooter(url, 28 * mm, caption)]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=notice.title,
    ).build(story)
    return buffer.getvalue()
