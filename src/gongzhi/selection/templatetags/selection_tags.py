from django import template

from gongzhi.selection.selectors import fee_items

register = template.Library()


@register.filter
def fees(table) -> str:
    """``{{ bid.fees|fees }}`` → 住宅 1.80；商业 4.00 in the reader's language."""
    return "；".join(f"{label} {value}" for label, value in fee_items(table or {}))
