from decimal import Decimal

from django import template

from gongzhi.core import masking

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ totals|get_item:compound.pk }}``"""
    if mapping is None:
        return None
    return mapping.get(key)


@register.filter
def area(value) -> str:
    """An exact area with two decimals and thousands separators: 37,902.33."""
    if value is None or value == "":
        return "0.00"
    return f"{Decimal(value):,.2f}"


@register.filter
def yuan(fen) -> str:
    """Whole fen as yuan with two decimals and thousands separators: 1,234,567.89."""
    if fen is None or fen == "":
        return "0.00"
    whole, cents = divmod(int(fen), 100)
    return f"{whole:,}.{cents:02d}"


@register.filter
def mask_name(value: str) -> str:
    return masking.mask_name(value or "")


@register.filter
def mask_phone(value: str) -> str:
    return masking.mask_phone(value or "")


@register.simple_tag
def bar(part, whole, mark=None, tone="ok", small=False):
    """A progress bar drawn as inline SVG: widths are attributes, not inline styles,
    so the Content-Security-Policy needs no 'unsafe-inline' for styles."""
    from decimal import Decimal

    from django.utils.html import format_html

    try:
        share = Decimal(part) * 100 / Decimal(whole) if Decimal(whole) else Decimal(0)
    except (ArithmeticError, TypeError, ValueError):
        share = Decimal(0)
    share = max(Decimal(0), min(Decimal(100), share)).quantize(Decimal("0.1"))
    line = (
        format_html('<line class="mark" x1="{0}" x2="{0}" y1="0" y2="10"/>', mark) if mark else ""
    )
    return format_html(
        '<svg class="bar{}" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" '
        'aria-label="{}%"><rect class="fill {}" width="{}" height="10"/>{}</svg>',
        " small" if small else "",
        share,
        tone,
        share,
        line,
    )


@register.simple_tag(takes_context=True)
def page_url(context, number) -> str:
    """The current page's address with ``page`` set to ``number``, keeping the filters."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else None
    if query is None:
        return f"?page={number}"
    query["page"] = number
    return "?" + query.urlencode()
