"""The text of a notice: a small, safe subset of HTML, with personal data masked.

Clerks paste from word processors and WeChat editors, or type plain text. Plain
text becomes paragraphs; HTML is cleaned with nh3 (the Rust ``ammonia`` sanitiser)
to the tags below, links get ``rel="noopener noreferrer"``, and every ID or mobile
number is masked before the text is stored, so what is stored is what is shown.
"""

from __future__ import annotations

import html
import re

import nh3

from gongzhi.core.masking import mask_html

TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "h2", "h3", "h4", "ul", "ol", "li",
    "blockquote", "table", "thead", "tbody", "tr", "th", "td", "a",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
_TAG = re.compile(r"<[a-zA-Z][^>]*>")


def clean(text: str) -> str:
    """Sanitised, masked HTML for a notice body."""
    text = text.strip()
    if not _TAG.search(text):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        text = "".join(
            "<p>" + "<br>".join(html.escape(line) for line in p.splitlines()) + "</p>"
            for p in paragraphs
        )
    cleaned = nh3.clean(
        text,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mask_html(cleaned)


def plain(text: str) -> str:
    """The body without tags, for previews and search."""
    return html.unescape(nh3.clean(text, tags=set())).strip()
