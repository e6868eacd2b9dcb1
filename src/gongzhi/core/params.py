"""Parsing what a request names: ids in paths, query strings and forms.

A page never does ``int(request.GET["case"])`` or hands a posted value straight to
``get_object_or_404``: ``abc`` is a ValueError and a 500. Ids are parsed here —
1 to 18 digits, so they always fit a database integer — and anything else is
"not given" (``parse_id``) or "not found" (``object_or_404``).
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

_ID = re.compile(r"[0-9]{1,18}")


def parse_id(value: object) -> int | None:
    """A positive id, or None for anything that is not one."""
    if value is None:
        return None
    text = str(value).strip()
    if not _ID.fullmatch(text):
        return None
    number = int(text)
    return number or None


def object_or_404(model: type[Model] | QuerySet, value: object, **filters: Any):
    """The object whose id is ``value`` (as posted or in the query), else 404."""
    pk = parse_id(value)
    if pk is None:
        raise Http404
    return get_object_or_404(model, pk=pk, **filters)


class IdConverter:
    """``<id:pk>`` in URL patterns: 1 to 18 digits, as an int."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: object) -> str:
        return str(int(value))  # type: ignore[call-overload]
