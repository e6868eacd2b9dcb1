"""Masking of personal data for display (PIPL Arts. 6, 28; Civil Code Art. 1038).

Every page that may show a name, phone or ID number to someone who is not entitled
to it goes through these functions; templates use the filters in
``core.templatetags.masking``.
"""

from __future__ import annotations


def mask_name(name: str) -> str:
    """Keep the family name: 张三 -> 张*, 欧阳娜娜 -> 欧***, Smith -> S****."""
    name = name.strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def mask_phone(phone: str) -> str:
    """Keep the first three and last four digits: 13812345678 -> 138****5678."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if not digits:
        return ""
    if len(digits) <= 7:
        return "*" * (len(digits) - 2) + digits[-2:]
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_id_number(number: str) -> str:
    """Keep the first four and last four characters of an 18-character ID number."""
    number = number.strip()
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]
