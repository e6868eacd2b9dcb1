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
def mask_name(value: str) -> str:
    return masking.mask_name(value or "")


@register.filter
def mask_phone(value: str) -> str:
    return masking.mask_phone(value or "")
