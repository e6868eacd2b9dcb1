"""Validation of Chinese identifiers by their check characters.

- Resident identity card number, GB 11643-1999: 17 digits and a check character
  (ISO 7064 MOD 11-2), the birth date in positions 7-14.
- Unified social credit code, GB 32100-2015: 18 characters over a 31-character
  alphabet (no I, O, Z, S, V), the last one a MOD 31 check character.
"""

from __future__ import annotations

import datetime as dt

from gongzhi.core.i18n import gettext_noop

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARACTERS = "10X98765432"

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


class InvalidIdentifier(ValueError):
    """The identifier is malformed or its check character is wrong."""


def normalise_id_number(value: str) -> str:
    """Strip blanks and upper-case the trailing x, as clerks type it."""
    return "".join(value.split()).upper()


def id_number_check_character(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARACTERS[total % 11]


def validate_id_number(value: str) -> str:
    """Return the normalised 18-character ID number or raise InvalidIdentifier."""
    number = normalise_id_number(value)
    if len(number) != 18:
        raise InvalidIdentifier(gettext_noop("an ID card number has 18 characters"))
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidIdentifier(gettext_noop("an ID card number is 17 digits and a digit or X"))
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise InvalidIdentifier(
            gettext_noop("the birth date inside the ID card number is not a date")
        ) from exc
    if id_number_check_character(number[:17]) != number[17]:
        raise InvalidIdentifier(gettext_noop("the check digit of the ID card number is wrong"))
    return number


def credit_code_check_character(first17: str) -> str:
    """The GB 32100 check character of the first 17 characters."""
    total = 0
    for character, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True):
        index = CREDIT_CODE_ALPHABET.find(character)
        if index < 0:
            raise InvalidIdentifier(
                gettext_noop("a character outside the credit-code alphabet is not allowed")
            )
        total += index * weight
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> str:
    """Return the normalised unified social credit code or raise InvalidIdentifier."""
    code = "".join(value.split()).upper()
    if len(code) != 18:
        raise InvalidIdentifier(gettext_noop("a unified social credit code has 18 characters"))
    if credit_code_check_character(code[:17]) != code[17]:
        raise InvalidIdentifier(gettext_noop("the check character of the credit code is wrong"))
    return code


MOBILE_PREFIXES = "3456789"  # mainland mobile numbers: 1, then one of these, then 9 digits


def normalise_mobile(value: str) -> str:
    """A mainland mobile number as 11 digits, from what people type: spaces, dashes,
    full-width digits, a +86 or 0086 prefix. Raise InvalidIdentifier otherwise."""
    import unicodedata

    text = unicodedata.normalize("NFKC", value or "").strip()
    digits = "".join(ch for ch in text if ch not in " -–()（）.")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not (
        len(digits) == 11
        and digits.isascii()
        and digits.isdigit()
        and digits[0] == "1"
        and digits[1] in MOBILE_PREFIXES
    ):
        raise InvalidIdentifier(gettext_noop("not a mainland mobile number (11 digits, 1 first)"))
    return digits
