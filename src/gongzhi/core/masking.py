"""Masking of personal data for display (PIPL Arts. 6, 28; Civil Code Art. 1038).

Every page that may show a name, phone or ID number to someone who is not entitled
to it goes through these functions; templates use the filters in
``core.templatetags.masking``.
"""

from __future__ import annotations

import re


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


# An 18-character resident ID (GB 11643): area code, birth date, sequence, check.
ID_NUMBER_PATTERN = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    r"\d{3}[0-9Xx](?![0-9A-Za-z])"
)
# A mainland mobile number, optionally with +86 and separators: 138 1234 5678.
MOBILE_PATTERN = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")


def mask_text(text: str) -> str:
    """Mask every ID number and mobile number found in free text (notices, minutes).

    Landline and service numbers (021-…, 400-…) are left: they belong to offices.
    """

    def mobile(match: re.Match[str]) -> str:
        digits = "".join(ch for ch in match.group(0) if ch.isdigit())
        return mask_phone(digits[-11:])  # without the country code

    text = ID_NUMBER_PATTERN.sub(lambda m: mask_id_number(m.group(0)), text)
    return MOBILE_PATTERN.sub(mobile, text)
