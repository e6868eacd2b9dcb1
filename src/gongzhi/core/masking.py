"""Masking of personal data for display (PIPL Arts. 6, 28; Civil Code Art. 1038).

Every page that may show a name, phone or ID number to someone who is not entitled
to it goes through these functions; templates use the filters in
``core.templatetags.masking``.

Free text (notices, opinions, answers, minutes) is masked on what a reader *sees*:
tags do not count as characters, Unicode is normalised (NFKC: full-width ０-９ are
digits), invisible characters (zero-width space, soft hyphen, combining marks) and
the separators people put in numbers (spaces, dashes, dots) may sit between the
digits. ``<b>138</b>0013 8000`` is a mobile number and is masked like one.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass


def mask_name(name: str) -> str:
    """Keep the family name: 张三 -> 张*, 欧阳娜娜 -> 欧***, Smith -> S****."""
    name = name.strip()
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def mask_middle(name: str) -> str:
    """Keep the first and the last character: 王小明 -> 王*明, 王明 -> 王*,
    云南某某贸易有限公司 -> 云********司."""
    name = name.strip()
    if len(name) <= 2:
        return name[:1] + "*" if name else ""
    return name[0] + "*" * (len(name) - 2) + name[-1]


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


# What may stand between the digits of one number, once the text is normalised:
# white space, every kind of dash, dots. Invisible characters become a space first.
_SEP = r"[\s\-.\u00b7\u2010-\u2015\u2212\u2027\u30fb\uff65]*"
# An 18-character resident ID (GB 11643): area code, birth date, sequence, check.
ID_CANDIDATE = re.compile(r"(?<![0-9])[1-9](?:" + _SEP + r"[0-9]){16}" + _SEP + r"[0-9Xx](?![0-9])")
# A mainland mobile number, optionally with +86.
MOBILE_CANDIDATE = re.compile(
    r"(?<![0-9])(?:\+?86" + _SEP + r")?1" + _SEP + r"[3-9](?:" + _SEP + r"[0-9]){9}(?![0-9])"
)
_TAG = re.compile(r"(<[^<>]*>)")
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Mn", "Me", "Cc"})

# A hexadecimal digest (MD5, SHA-1, SHA-256) shown whole: its digits are no number of
# a person, and masking them would falsify the digest a reader compares.
_DIGEST = re.compile(
    r"(?<![0-9A-Za-z])(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{64})(?![0-9A-Za-z])"
)

# Kept from the ID-like patterns only when the birth date part could be a date.
_BIRTH_DATE = re.compile(r"(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")


def _visible_char(char: str) -> str:
    """The character as a reader sees it: normalised, invisible ones as a space."""
    if unicodedata.category(char) in _INVISIBLE_CATEGORIES:
        return " "
    digit = unicodedata.decimal(char, None)
    if digit is not None:
        return str(digit)
    return unicodedata.normalize("NFKC", char)


@dataclass
class _Text:
    """The visible characters of some segments, each mapped back to its source."""

    chars: list[str]
    origin: list[tuple[int, int]]  # (segment, index in it); index -1 for a tag

    @classmethod
    def of(cls, segments: list[tuple[bool, str]]) -> _Text:
        chars: list[str] = []
        origin: list[tuple[int, int]] = []
        for number, (is_tag, text) in enumerate(segments):
            if is_tag:  # a tag is a boundary a number may run across
                chars.append(" ")
                origin.append((number, -1))
                continue
            for index, char in enumerate(text):
                for seen in _visible_char(char):
                    chars.append(seen)
                    origin.append((number, index))
        return cls(chars, origin)


def _find(
    pattern: re.Pattern[str], text: str, accept: Callable[[str], bool] | None = None
) -> list[tuple[int, int, str]]:
    """Spans of ``pattern`` in ``text`` with their digits; overlapping starts are tried
    when a candidate is rejected (an 18-digit number that is no ID may hide one)."""
    found: list[tuple[int, int, str]] = []
    digests = [(m.start(), m.end()) for m in _DIGEST.finditer(text) if not m.group(0).isdigit()]
    position = 0
    while True:
        match = pattern.search(text, position)
        if match is None:
            return found
        digits = "".join(ch for ch in match.group(0) if ch.isdigit() or ch in "Xx")
        # no number begins or ends inside a digest: "…a183</code> · 2026-12-03" is a
        # digest's tail and a date, not the mobile 18320261203
        in_digest = any(match.start() < b and a < match.end() for a, b in digests)
        if in_digest or (accept is not None and not accept(digits)):
            position = match.start() + 1
            continue
        found.append((match.start(), match.end(), digits))
        position = match.end()


def _is_id(digits: str) -> bool:
    return bool(_BIRTH_DATE.fullmatch(digits[6:14]))


def _mask_segments(segments: list[tuple[bool, str]]) -> list[str]:
    """Mask every ID and mobile number in the visible text of ``segments``; return the
    text segments with the numbers replaced (tags are returned unchanged)."""
    visible = _Text.of(segments)
    edits: dict[tuple[int, int], str] = {}

    def replace(start: int, end: int, masked: str) -> None:
        first = True
        for position in range(start, end):
            source = visible.origin[position]
            visible.chars[position] = "*"
            if source[1] < 0 or source in edits and not first:
                continue
            edits[source] = masked if first else ""
            first = False

    for start, end, digits in _find(ID_CANDIDATE, "".join(visible.chars), _is_id):
        replace(start, end, mask_id_number(digits))
    for start, end, digits in _find(MOBILE_CANDIDATE, "".join(visible.chars)):
        replace(start, end, mask_phone(digits[-11:]))  # without the country code
    result = []
    for number, (is_tag, text) in enumerate(segments):
        if is_tag or not any(key[0] == number for key in edits):
            result.append(text)
            continue
        result.append("".join(edits.get((number, index), char) for index, char in enumerate(text)))
    return result


def _mask_run(text: str) -> str:
    """Mask a string with no tags in it."""
    return _mask_segments([(False, text)])[0]


def mask_text(text: str, *, markup: bool = False) -> str:
    """Mask every ID number and mobile number a reader could see in ``text``.

    With ``markup`` the text is HTML: entities are characters, tags are not, and the
    values of attributes are masked too. Without it the text is shown escaped, so a
    tag-like ``<b>`` is visible: it is masked inside, and it does not keep the digits
    around it apart either. Landline and service numbers (021-…, 400-…) are left:
    they belong to offices.
    """
    parts = [part for part in _TAG.split(text) if part]
    segments: list[tuple[bool, str]] = []
    for part in parts:
        is_tag = bool(_TAG.fullmatch(part))
        segments.append((is_tag, part if is_tag or not markup else html.unescape(part)))
    masked = _mask_segments(segments)
    out = []
    for (is_tag, part), original, new in zip(segments, parts, masked, strict=True):
        if is_tag:
            out.append(
                _QUOTED.sub(lambda m: _mask_run(m.group(0)), part) if markup else _mask_run(part)
            )
        elif new == part:
            out.append(original)
        else:
            out.append(html.escape(new, quote=False) if markup else new)
    return "".join(out)


def mask_html(text: str) -> str:
    """``mask_text`` for HTML (a notice body after sanitising)."""
    return mask_text(text, markup=True)


def personal_numbers(text: str, *, markup: bool = False) -> list[str]:
    """The ID and mobile numbers a reader could see in ``text`` (for tests and audits
    that search pages for what must not be there)."""
    segments = [(bool(_TAG.fullmatch(p)), p) for p in _TAG.split(text) if p]
    if markup:
        segments = [(is_tag, p if is_tag else html.unescape(p)) for is_tag, p in segments]
    visible = "".join(_Text.of(segments).chars)
    found = [digits for _s, _e, digits in _find(ID_CANDIDATE, visible, _is_id)]
    found += [digits[-11:] for _s, _e, digits in _find(MOBILE_CANDIDATE, visible)]
    return found
