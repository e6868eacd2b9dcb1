"""An SVG map of a compound and its candidate custodians, drawn here: no online tiles.

Pure: positions come from latitude and longitude by an equirectangular projection
around the compound (exact enough over a few kilometres), fitted into the picture.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from .proximity import Excluded, Point, Ranked, Site, great_circle_m

WIDTH, HEIGHT, MARGIN = 640, 420, 60
METRES_PER_DEGREE = 111_195.0


def _project(origin: Point, point: Point) -> tuple[float, float]:
    """Metres east and north of the origin."""
    east = (
        (point.longitude - origin.longitude)
        * METRES_PER_DEGREE
        * math.cos(math.radians(origin.latitude))
    )
    north = (point.latitude - origin.latitude) * METRES_PER_DEGREE
    return east, north


def _element(tag: str, text: str = "", **attributes: object) -> str:
    """An SVG element; attribute names use _ for -, values and text are escaped."""
    rendered = " ".join(
        f'{name.rstrip("_").replace("_", "-")}="{escape(_number(value))}"'
        for name, value in attributes.items()
    )
    if text:
        return f"<{tag} {rendered}>{escape(text)}</{tag}>"
    return f"<{tag} {rendered}/>"


def _number(value: object) -> str:
    return f"{value:.1f}" if isinstance(value, float) else str(value)


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
        _element("rect", width=WIDTH, height=HEIGHT, fill="#f6f7f9", stroke="#d8dde3"),
    ]
    for point, item in places:
        x, y = xy(point)
        if isinstance(item, Ranked):
            colour = "#1a7f37" if item.rank == 1 else "#0b57d0"
            label = f"{item.rank}. {item.candidate.name} {round(item.distance_m):,} m"
            parts += [
                _element("line", x1=cx, y1=cy, x2=x, y2=y, stroke=colour, stroke_dasharray="4 3"),
                _element("circle", cx=x, cy=y, r=7, fill=colour),
                _element("text", label, x=x + 10, y=y + 4, font_size=13, fill="#1f2328"),
            ]
        else:
            parts += [
                _element("circle", cx=x, cy=y, r=6, fill="none", stroke="#9aa0a6", stroke_width=2),
                _element(
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
        _element("rect", x=cx - 8, y=cy - 8, width=16, height=16, fill="#b3261e"),
        _element(  # below the square, haloed: candidates' labels sit to the right
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
        _element(
            "line",
            x1=20,
            y1=HEIGHT - 20,
            x2=20 + bar * scale,
            y2=HEIGHT - 20,
            stroke="#1f2328",
            stroke_width=3,
        ),
        _element("text", f"{int(bar):,} m", x=20, y=HEIGHT - 28, font_size=12, fill="#1f2328"),
        _element(
            "text", "N ↑", x=WIDTH - 20, y=30, font_size=16, text_anchor="end", fill="#1f2328"
        ),
        "</svg>",
    ]
    return "\n".join(parts)
