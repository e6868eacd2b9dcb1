"""Drawing SVG on the server (maps, charts): every attribute value and text escaped,
positions from latitude and longitude by an equirectangular projection around an
origin (exact enough over a few kilometres). No tiles, nothing fetched."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

METRES_PER_DEGREE = 111_195.0


def metres_from(
    origin_latitude: float, origin_longitude: float, latitude: float, longitude: float
) -> tuple[float, float]:
    """Metres east and north of the origin."""
    east = (
        (longitude - origin_longitude) * METRES_PER_DEGREE * math.cos(math.radians(origin_latitude))
    )
    north = (latitude - origin_latitude) * METRES_PER_DEGREE
    return east, north


def _number(value: object) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def _attributes(attributes: dict[str, object]) -> str:
    return " ".join(
        f'{name.rstrip("_").replace("_", "-")}="{escape(_number(value))}"'
        for name, value in attributes.items()
    )


def element(tag: str, text: str = "", **attributes: object) -> str:
    """An SVG element; attribute names use _ for -, values and text are escaped."""
    rendered = _attributes(attributes)
    if text:
        return f"<{tag} {rendered}>{escape(text)}</{tag}>"
    return f"<{tag} {rendered}/>"


def container(tag: str, children: list[str], **attributes: object) -> str:
    """An element around children made by ``element`` or ``container`` (already
    escaped); its own attributes are escaped."""
    return f"<{tag} {_attributes(attributes)}>{''.join(children)}</{tag}>"


@dataclass(frozen=True)
class MapPoint:
    """One numbered point of a small map: its label, hover text and colour."""

    label: str
    tooltip: str
    colour: str
    latitude: float
    longitude: float
    number: int | None = None  # the number shown; by default its place in the list


MAP_WIDTH, MAP_HEIGHT, MAP_MARGIN = 640, 360, 60


def numbered_map(points: Sequence[MapPoint], *, title: str) -> str | None:
    """Points numbered in the order given, on a plain background with a scale bar (no
    online tiles), as escaped SVG text; None when there is no point."""
    if not points:
        return None
    width, height, margin = MAP_WIDTH, MAP_HEIGHT, MAP_MARGIN
    lat0 = sum(p.latitude for p in points) / len(points)
    lon0 = sum(p.longitude for p in points) / len(points)
    placed = [
        (p.number or n, p, *metres_from(lat0, lon0, p.latitude, p.longitude))
        for n, p in enumerate(points, start=1)
    ]
    span = max([100.0, *(max(abs(x), abs(y)) for _n, _p, x, y in placed)])
    scale = min(width / 2 - margin, height / 2 - margin) / span
    parts = [element("rect", width=width, height=height, fill="#f6f7f9", stroke="#d8dde3")]
    for number, point, east, north in placed:
        x, y = width / 2 + east * scale, height / 2 - north * scale
        left_half = x < width * 0.55
        parts += [
            container(
                "circle",
                [element("title", f"{number}. {point.tooltip}")],
                cx=x,
                cy=y,
                r=16,
                fill=point.colour,
            ),
            element(
                "text", str(number), x=x, y=y + 4, font_size=12, fill="#fff", text_anchor="middle"
            ),
            # labels to the right, or to the left on the right half so none is cut off
            element(
                "text",
                point.label,
                x=x + 22 if left_half else x - 22,
                y=y + 7,
                font_size=22,
                fill="#1f2328",
                text_anchor="start" if left_half else "end",
            ),
        ]
    bar = 10 ** math.floor(math.log10(span))
    parts += [
        element(
            "line",
            x1=20,
            y1=height - 20,
            x2=20 + bar * scale,
            y2=height - 20,
            stroke="#1f2328",
            stroke_width=2,
        ),
        element("text", f"{bar:,.0f} m", x=20, y=height - 28, font_size=18, fill="#1f2328"),
    ]
    return container(
        "svg", parts, xmlns="http://www.w3.org/2000/svg", viewBox=f"0 0 {width} {height}",
        role="img", aria_label=title, class_="map",
    )  # fmt: skip
