"""A project's items on a small SVG map drawn here (no online tiles): each item with a
map point numbered as in the list, coloured by its status, with a scale bar."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.safestring import SafeString, mark_safe

from gongzhi.core.svg import MapPoint, numbered_map

from .models import ItemStatus, ProjectItem

COLOURS = {
    ItemStatus.PLANNED: "#9aa0a6",
    ItemStatus.UNDER_WAY: "#0b57d0",
    ItemStatus.DONE: "#1a7f37",
    ItemStatus.CANCELLED: "#b3261e",
}


def items_map(items: Sequence[ProjectItem], *, title: str) -> SafeString | None:
    """None when no item has a map point. Items keep their numbers in the list."""
    points = []
    for number, item in enumerate(items, start=1):
        if item.latitude is None or item.longitude is None:
            continue
        points.append(
            MapPoint(
                label=item.title,
                tooltip=f"{item.title} {item.progress}%",
                colour=COLOURS.get(ItemStatus(item.status), "#9aa0a6"),
                latitude=float(item.latitude),
                longitude=float(item.longitude),
                number=number,
            )
        )
    svg = numbered_map(points, title=title)
    return mark_safe(svg) if svg else None  # noqa: S308 — numbered_map escapes every value
