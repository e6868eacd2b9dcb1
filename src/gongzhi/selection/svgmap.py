"""An SVG map of a compound and its candidate custodians, drawn here: no online tiles.

Pure: positions come from latitude and longitude by an equirectangular projection
around the compound (exact enough over a few kilometres), fitted into the picture.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from gongzhi.core.svg import element, metres_from

from .proximity import Excluded, Point, Ranked, Site, great_circle_m

WIDTH, HEIGHT, MARGIN = 640, 420, 60


def _project(origin: Point, point: Point) -> tuple[float, float]:
    """Metres east and north of the origin."""
    return metres_from(origin.latitude, origin.longitude, point.latitude, point.longitude)


def candidates_map(
    compound: str,
    target: Point,
    ranked: Sequence[Ranked],
    excluded: Sequence[Excluded],
    *,
    title: str = "",
) -> str:
    """The compound in the middle, the eligible candidates' nearest sites numbered by
    rank with their distances, the excluded crossed and grey, a scale bar."""

    def nearest(sites: Sequence[Site]) -> Point:
        return min(sites, key=lambda s: great_circle_m(target, s.point)).point

    places: list[tuple[Point, Ranked | Excluded]] = [(r.nearest.point, r) for r in ranked]
    places += [(nearest(e.candidate.sites), e) for e in excluded if e.candidate.sites]
    metres = [_project(target, point) for point, _item in places] + [(0.0, 0.0)]
    span = max(max(abs(x) for x, _y in metres), max(abs(y) for _x, y in metres), 200.0)
    scale = min(WIDTH / 2 - MARGIN, HEIGHT / 2 - MARGIN) / span  # pixels per metre
    cx, cy = WIDTH / 2, HEIGHT / 2

    def xy(point: Point) -> tuple[float, float]:
        east, north = _project(target, point)
        return cx + east * scale, cy - north * scale

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title or compound)}" class="map">',
        element("rect", width=WIDTH, height=HEIGHT, fill="#f6f7f9", stroke="#d8dde3"),
    ]
    for point, item in places:
        x, y = xy(point)
        if isinstance(item, Ranked):
            colour = "#1a7f37" if item.rank == 1 else "#0b57d0"
            label = f"{item.rank}. {item.candidate.name} {round(item.distance_m):,} m"
            parts += [
                element("line", x1=cx, y1=cy, x2=x, y2=y, stroke=colour, stroke_dasharray="4 3"),
                element("circle", cx=x, cy=y, r=7, fill=colour),
                element("text", label, x=x + 10, y=y + 4, font_size=13, fill="#1f2328"),
            ]
        else:
            parts += [
                element("circle", cx=x, cy=y, r=6, fill="none", stroke="#9aa0a6", stroke_width=2),
                element(
                    "text",
                    f"{item.candidate.name} ×",
                    x=x + 10,
                    y=y + 4,
                    font_size=12,
                    fill="#9aa0a6",
                ),
            ]
    bar = 10 ** math.floor(math.log10(span / 2)) if span > 20 else 10
    parts += [
        element("rect", x=cx - 8, y=cy - 8, width=16, height=16, fill="#b3261e"),
        element(  # below the square, haloed: candidates' labels sit to the right
            "text",
            compound,
            x=cx,
            y=cy + 28,
            font_size=14,
            font_weight="bold",
            fill="#b3261e",
            text_anchor="middle",
            stroke="#f6f7f9",
            stroke_width=4,
            paint_order="stroke",
        ),
        element(
            "line",
            x1=20,
            y1=HEIGHT - 20,
            x2=20 + bar * scale,
            y2=HEIGHT - 20,
            stroke="#1f2328",
            stroke_width=3,
        ),
        element("text", f"{int(bar):,} m", x=20, y=HEIGHT - 28, font_size=12, fill="#1f2328"),
        element("text", "N ↑", x=WIDTH - 20, y=30, font_size=16, text_anchor="end", fill="#1f2328"),
        "</svg>",
    ]
    return "\n".join(parts)
