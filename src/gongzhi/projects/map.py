"""A project's items on a small SVG map drawn here (no online tiles): each item with a
map point numbered as in the list, coloured by its status, with a scale bar."""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.safestring import SafeString, mark_safe

from gongzhi.core.svg import container, element, metres_from

from .models import ItemStatus, ProjectItem

WIDTH, HEIGHT, MARGIN = 640, 360, 60
COLOURS = {
    ItemStatus.PLANNED: "#9aa0a6",
    ItemStatus.UNDER_WAY: "#0b57d0",
    ItemStatus.DONE: "#1a7f37",
    ItemStatus.CANCELLED: "#b3261e",
}


def items_map(items: Sequence[ProjectItem], *, title: str) -> SafeString | None:
    """None when no item has a map point."""
    placed = [
        (number, item, float(item.latitude), float(item.longitude))
        for number, item in enumerate(items, start=1)
        if item.latitude is not None and item.longitude is not None
    ]
    if not placed:
        return None
    lat0 = sum(lat for _n, _i, lat, _lon in placed) / len(placed)
    lon0 = sum(lon for _n, _i, _lat, lon in placed) / len(placed)
    points = [(n, i, *metres_from(lat0, lon0, lat, lon)) for n, i, lat, lon in placed]
    span = max([100.0, *(max(abs(x), abs(y)) for _n, _i, x, y in points)])
    scale = min(WIDTH / 2 - MARGIN, HEIGHT / 2 - MARGIN) / span
    parts = [element("rect", width=WIDTH, height=HEIGHT, fill="#f6f7f9", stroke="#d8dde3")]
    for number, item, east, north in points:
        x, y = WIDTH / 2 + east * scale, HEIGHT / 2 - north * scale
        colour = COLOURS.get(ItemStatus(item.status), "#9aa0a6")
        parts += [
            container(
                "circle",
                [element("title", f"{number}. {item.title} {item.progress}%")],
                cx=x,
                cy=y,
                r=16,
                fill=colour,
            ),
            element(
                "text", str(number), x=x, y=y + 4, font_size=12, fill="#fff", text_anchor="middle"
            ),
            # labels to the right, or to the left on the right half so none is cut off
            element(
                "text",
                item.title,
                x=x + 22 if x < WIDTH * 0.55 else x - 22,
                y=y + 7,
                font_size=22,
                fill="#1f2328",
                text_anchor="start" if x < WIDTH * 0.55 else "end",
            ),
        ]
    bar = 10 ** math.floor(math.log10(span))
    parts += [
        element(
            "line",
            x1=20,
            y1=HEIGHT - 20,
            x2=20 + bar * scale,
            y2=HEIGHT - 20,
            stroke="#1f2328",
            stroke_width=2,
        ),
        element("text", f"{bar:,.0f} m", x=20, y=HEIGHT - 28, font_size=18, fill="#1f2328"),
    ]
    svg = container(
        "svg", parts, xmlns="http://www.w3.org/2000/svg", viewBox=f"0 0 {WIDTH} {HEIGHT}",
        role="img", aria_label=title, class_="map",
    )  # fmt: skip
    return mark_safe(svg)  # noqa: S308 — element() and container() escape every value
